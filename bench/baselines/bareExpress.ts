// Baseline for ingress: the least an Express 5 service can do with a write — parse the JSON body
// and answer 202. Writ's ingress is measured against this on the same machine in the same run.
//   node --import tsx bench/baselines/bareExpress.ts --port 4100
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import express from "express";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4100" },
    host: { type: "string", default: "127.0.0.1" },
  },
});

const app = express();
app.disable("x-powered-by");
app.set("etag", false);
app.get("/healthz", (_req, res) => {
  res.json({ status: "ok" });
});
app.use(express.json({ limit: "1mb" }));
app.use((_req, res) => {
  res.status(202).json({ operationId: randomUUID() });
});

const server = app.listen(Number(values.port), values.host);
server.keepAliveTimeout = 65_000;
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
