/** Where a command writes. Tests pass collectors; the binary passes process.stdout and stderr. */
export interface OutputStream {
  write(text: string): unknown;
  /** True on a terminal: progress redraws in place instead of printing lines. */
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** The raw environment (WRIT_API_URL, WRIT_API_KEY, WRIT_ADMIN_TOKEN, WRIT_PROJECT). */
  env: Readonly<Record<string, string | undefined>>;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Aborted on Ctrl-C: long-running commands stop cleanly and print what they have. */
  signal?: AbortSignal;
  /** Relative file paths resolve against this; defaults to the process's. */
  cwd?: string;
  /** Injectable clock for progress and rates. */
  now?: () => number;
}

/** Bad flags or arguments: exit code 2, like commander's own usage errors. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export const exitCodes = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;
