import { defineConfig } from "vitest/config";

// One run covers every workspace. Tests that need services (`*.int.test.ts`) each get their own
// PostgreSQL database (cloned from a migrated template) and their own Redis key prefix, so files
// run in parallel without seeing each other's rows or jobs.
export default defineConfig({
  test: {
    include: [
      "apps/*/src/**/*.test.ts",
      "packages/*/src/**/*.test.ts",
      "test/**/*.test.ts",
      "infra/**/*.test.ts",
    ],
    globalSetup: ["./test/global-setup.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ["default"] : ["default"],
  },
});
