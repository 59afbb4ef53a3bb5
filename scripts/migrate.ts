// `npm run db:migrate`: creates the database if needed and applies pending migrations.
import { migrate, redactUrl } from "@writ/db";

const url = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/writ";
const result = await migrate(url);
console.log(
  `${redactUrl(url)}: ${result.created ? "created, " : ""}${
    result.applied.length ? `applied ${result.applied.join(", ")}` : "up to date"
  }`,
);
