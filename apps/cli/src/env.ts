import { z } from "zod";

/** Where the CLI's defaults come from when no flag is given. Empty variables count as unset. */
const emptyAsUnset = (value: unknown) => (value === "" ? undefined : value);

const cliEnvSchema = z.object({
  /** The API's base URL. */
  WRIT_API_URL: z.preprocess(
    emptyAsUnset,
    z.url({ protocol: /^https?$/ }).default("http://127.0.0.1:3000"),
  ),
  /** A project API key; it also tells which project commands act on when --project is left out. */
  WRIT_API_KEY: z.preprocess(emptyAsUnset, z.string().optional()),
  /** The deployment's admin token, for create:project and for projects without a key at hand. */
  WRIT_ADMIN_TOKEN: z.preprocess(emptyAsUnset, z.string().optional()),
  /** The project (id or name) commands act on when --project is left out. */
  WRIT_PROJECT: z.preprocess(emptyAsUnset, z.string().optional()),
});

export type CliEnv = z.infer<typeof cliEnvSchema>;

export class InvalidEnvironmentError extends Error {
  override readonly name = "InvalidEnvironmentError";
}

export function parseCliEnv(source: Readonly<Record<string, string | undefined>>): CliEnv {
  const parsed = cliEnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new InvalidEnvironmentError(`invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** The process environment; `run` parses it with `parseCliEnv`, so tests can hand in their own. */
export function processEnvironment(): Readonly<Record<string, string | undefined>> {
  return process.env;
}
