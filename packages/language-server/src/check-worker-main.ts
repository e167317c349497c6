// Entry of the check worker thread when the server runs from its modules (not the bundle).
import { runCheckWorker } from "./check-worker.js";
runCheckWorker();
