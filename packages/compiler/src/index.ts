export * from "./plan.js";
export { compile, serializePlan, STAGES, type Stage, type CompileOptions } from "./compile.js";
export { evalFilter, filterToString, globToRegExp, type AppFacts } from "./filter-eval.js";
export { loadPlan } from "./load-plan.js";
