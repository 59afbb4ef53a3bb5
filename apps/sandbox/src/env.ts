import { z } from "zod";

const schema = z.object({
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65_535).default(4010),
  SANDBOX_HOST: z.string().min(1).default("127.0.0.1"),
  /** "false" makes unknown bearer tokens a 401 instead of a fresh account. */
  SANDBOX_AUTO_CREATE_ACCOUNTS: z
    .enum(["true", "false"])
    .default("true")
    .transform((value) => value === "true"),
  SANDBOX_REQUEST_LOG_CAP: z.coerce.number().int().positive().default(100_000),
});

export type SandboxEnv = z.infer<typeof schema>;

export const env: SandboxEnv = schema.parse(process.env);
