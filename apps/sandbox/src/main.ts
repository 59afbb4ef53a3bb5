import { env } from "./env";
import { startSandbox } from "./server";

const sandbox = await startSandbox({
  port: env.SANDBOX_PORT,
  host: env.SANDBOX_HOST,
  autoCreateAccounts: env.SANDBOX_AUTO_CREATE_ACCOUNTS,
  requestLogCap: env.SANDBOX_REQUEST_LOG_CAP,
});
console.log(
  JSON.stringify({
    level: "info",
    time: new Date().toISOString(),
    msg: "sandbox listening",
    url: sandbox.url,
    hubspot: `${sandbox.url}/hubspot`,
    salesforce: `${sandbox.url}/salesforce`,
  }),
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  await sandbox.close();
  console.log(
    JSON.stringify({
      level: "info",
      time: new Date().toISOString(),
      msg: "sandbox stopped",
      signal,
    }),
  );
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));
