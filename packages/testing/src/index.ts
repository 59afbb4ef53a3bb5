export {
  baseDatabaseUrl,
  createTestDatabase,
  databaseUrlFor,
  dropDatabase,
  recreateTemplate,
  type TestDatabase,
  templateDatabaseName,
} from "./database";
export { testRedisUrl, uniqueRedisPrefix } from "./redis";
