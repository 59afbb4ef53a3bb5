export { createApp } from "./app";
export type { AppDeps } from "./deps";
export { type ApiEnv, parseApiEnv } from "./env";
export { type ApiOptions, type ApiRuntime, startApi } from "./runtime";
