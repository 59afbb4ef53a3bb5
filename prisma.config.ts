import { defineConfig } from "prisma/config";

// The CLI (migrate, generate) reads its connection here; the running apps pass theirs to the
// pg driver adapter in @writ/db. `prisma generate` needs no database.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/writ",
  },
});
