import { migrate } from "@writ/db";
import { recreateTemplate } from "@writ/testing";

// Runs once per `vitest run`: a fresh, fully migrated template database that each
// integration-test file clones for itself.
export default async function setup(): Promise<void> {
  await recreateTemplate((url) => migrate(url, { createDatabase: false }));
}
