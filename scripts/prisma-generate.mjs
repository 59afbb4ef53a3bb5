// Generates the Prisma client into packages/db/src/generated.
//
// Prisma 7's client needs no native engine, but the CLI still insists on locating the native
// schema engine (used only by `prisma migrate`) and downloads it when it is missing. Where that
// download is impossible (offline CI, air-gapped installs) we point it at a stub: `generate`
// never runs it, and Writ applies its SQL migrations itself (`npm run db:migrate`).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const stub = fileURLToPath(new URL("./no-schema-engine.sh", import.meta.url));
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= stub;
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
const result = spawnSync("npx", ["prisma", "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
