export { createDb, type Db, type DbOptions } from "./client";
export type {
  ApiKey,
  Connection,
  Installation,
  Integration,
  Operation,
  OperationRecord,
  Project,
  Revision,
} from "./generated/client";
export { Prisma } from "./generated/client";
export { ensureDatabase, migrate, migrationsDir, redactUrl } from "./migrate";
export * from "./repositories/apiKeys";
export * from "./repositories/connections";
export * from "./repositories/installations";
export * from "./repositories/integrations";
export * from "./repositories/operationBatches";
export * from "./repositories/operations";
export * from "./repositories/projects";
