import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

/**
 * Applies the SQL migrations in prisma/migrations, recording them in `_prisma_migrations`
 * exactly as `prisma migrate deploy` does, so either tool can take over from the other.
 * Writ ships its own runner because Prisma's migrate needs a native engine that not every
 * install can download; the SQL files stay the single source of truth.
 */

/**
 * The repository's prisma/migrations, found by walking up from this module: it runs from
 * packages/db/src under tsx and from dist/ when compiled (`npm run build`).
 */
export const migrationsDir = findMigrationsDir(dirname(fileURLToPath(import.meta.url)));

function findMigrationsDir(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "prisma", "migrations");
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`no prisma/migrations above ${from}`);
  }
}

export interface MigrateResult {
  created: boolean;
  applied: string[];
}

// Any constant works; it only has to be the same in every process that migrates.
const migrationLockKey = 72_657_289;

export async function migrate(
  databaseUrl: string,
  options: { createDatabase?: boolean; dir?: string } = {},
): Promise<MigrateResult> {
  const created = options.createDatabase === false ? false : await ensureDatabase(databaseUrl);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [migrationLockKey]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const done = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations"
       WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Map(done.rows.map((row) => [row.migration_name, row.checksum]));
    const dir = options.dir ?? migrationsDir;
    const names = (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    const newlyApplied: string[] = [];
    for (const name of names) {
      const sql = await readFile(`${dir}/${name}/migration.sql`, "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      const previous = applied.get(name);
      if (previous !== undefined) {
        if (previous !== checksum) {
          throw new Error(
            `migration ${name} was changed after it was applied (checksum ${previous} in the database, ${checksum} on disk)`,
          );
        }
        continue;
      }
      const id = randomUUID();
      await client.query("BEGIN");
      try {
        await client.query(sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), 1)`,
          [id, checksum, name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${name} failed: ${(error as Error).message}`);
      }
      newlyApplied.push(name);
    }
    return { created, applied: newlyApplied };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [migrationLockKey]).catch(() => {});
    await client.end();
  }
}

/** Creates the database named in the URL when it does not exist. Returns whether it did. */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!name) throw new Error(`DATABASE_URL names no database: ${redactUrl(databaseUrl)}`);
  url.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount) return false;
    try {
      await admin.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    } catch (error) {
      // Two processes starting at once: the loser sees 42P04 (duplicate_database).
      if ((error as { code?: string }).code !== "42P04") throw error;
      return false;
    }
    return true;
  } finally {
    await admin.end();
  }
}

/** The URL with its password removed, for messages. */
export function redactUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "<unparseable url>";
  }
}
