import { parseApiEnv } from "./env";
import { startApi } from "./runtime";

const env = parseApiEnv();
const api = await startApi(env);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  api.deps.logger.info({ signal }, "draining");
  try {
    await api.close();
    process.exit(0);
  } catch (error) {
    api.deps.logger.error({ err: error }, "shutdown failed");
    process.exit(1);
  }
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
