import { parseWorkerEnv } from "./env";
import { startWorker } from "./runtime";

const worker = await startWorker(parseWorkerEnv());

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  worker.logger.info({ signal }, "draining: finishing active jobs");
  try {
    await worker.close();
    process.exit(0);
  } catch (error) {
    worker.logger.error({ err: error }, "shutdown failed");
    process.exit(1);
  }
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
