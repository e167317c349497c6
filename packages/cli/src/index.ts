export { main, mainHelp } from "./main.js";
export { type CliIO, UsageError, IOFailure, EXIT_OK, EXIT_FINDINGS, EXIT_USAGE } from "./io.js";
export { writeFileAtomic } from "./atomic-write.js";
export { simulateParallel, startWorkers, defaultThreads, type ParallelOptions } from "./parallel/run-parallel.js";
export { tuneGcForLogs } from "./gc-tuning.js";
