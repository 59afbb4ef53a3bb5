import { createTestDatabase, type TestDatabase } from "@writ/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "./migrate";

describe("migrate", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it("records migrations like prisma migrate deploy and is idempotent", async () => {
    const again = await migrate(db.url, { createDatabase: false });
    expect(again.applied).toEqual([]);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const rows = await client.query(
      `SELECT migration_name, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    const tables = await client.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    await client.end();
    expect(rows.rows.length).toBeGreaterThan(0);
    expect(rows.rows.every((row) => row.finished_at instanceof Date)).toBe(true);
    expect(tables.rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining([
        "Project",
        "ApiKey",
        "Operation",
        "OperationRecord",
        "IdempotencyKey",
      ]),
    );
  });
});
