export { createDb, type Db, type DbOptions } from "./client";
export { Prisma } from "./generated/client";
export { ensureDatabase, migrate, migrationsDir, redactUrl } from "./migrate";
