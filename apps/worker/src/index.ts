export { parseWorkerEnv, type WorkerEnv } from "./env";
export { startWorker, type WorkerOptions, type WorkerRuntime } from "./runtime";
export { signatureHeader, type WriteAsyncDoneData } from "./webhooks";
