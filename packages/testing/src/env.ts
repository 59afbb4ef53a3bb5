/** Where tests find PostgreSQL and Redis: the environment, else the local defaults. */
export const testEnv = {
  databaseUrl:
    process.env.WRIT_TEST_DATABASE_URL ??
    process.env.DATABASE_URL ??
    "postgresql://postgres@127.0.0.1:5432/postgres",
  redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
};
