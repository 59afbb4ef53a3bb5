export { parseWorkerEnv, type WorkerEnv } from "./env";
export { startWorker, type WorkerRuntime } from "./runtime";
export { signatureHeader, type WriteAsyncDoneData } from "./webhooks";
