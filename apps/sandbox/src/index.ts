export {
  type AccountLimitsUpdate,
  type CreateAccountInput,
  createSandboxAdmin,
  type Provider,
  type RateLimit,
  type SandboxAccount,
  type SandboxAdmin,
  type SandboxRecord,
  type SandboxStoreOptions,
} from "./accounts";
export { createSandboxApp } from "./app";
export type { FaultConfig } from "./faults";
export type { RequestLogEntry } from "./requestLog";
export { type Sandbox, type SandboxOptions, startSandbox } from "./server";
