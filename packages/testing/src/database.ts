import { randomBytes } from "node:crypto";
import pg from "pg";
import { testEnv } from "./env";

/**
 * Per-file PostgreSQL isolation. The global setup migrates one template database per run;
 * each test file clones it (CREATE DATABASE ... TEMPLATE is a file copy, ~50 ms) and drops
 * its clone afterwards.
 */

export const baseDatabaseUrl = testEnv.databaseUrl;

export const templateDatabaseName = "writ_test_template";

export function databaseUrlFor(name: string): string {
  const url = new URL(baseDatabaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrlFor("postgres") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `writ_test_${randomBytes(6).toString("hex")}`;
  await withAdmin(async (admin) => {
    // CREATE DATABASE ... TEMPLATE fails while another session is connected to the template;
    // only the global setup ever connects to it, so a short retry covers the race.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabaseName}"`);
        return;
      } catch (error) {
        if (attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
  return {
    url: databaseUrlFor(name),
    name,
    drop: () => dropDatabase(name),
  };
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

export async function recreateTemplate(
  migrateFn: (url: string) => Promise<unknown>,
): Promise<void> {
  await dropDatabase(templateDatabaseName);
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${templateDatabaseName}"`));
  await migrateFn(databaseUrlFor(templateDatabaseName));
}
