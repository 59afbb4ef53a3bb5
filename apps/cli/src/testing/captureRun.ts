import { run } from "../cli";

export interface CapturedRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process, as a user would type `writ ...`, and keeps what it printed. */
export async function captureRun(
  argv: string[],
  options: {
    env?: Record<string, string | undefined>;
    fetch?: typeof fetch;
    cwd?: string;
    signal?: AbortSignal;
  } = {},
): Promise<CapturedRun> {
  let stdout = "";
  let stderr = "";
  const exitCode = await run(argv, {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env: options.env ?? {},
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { exitCode, stdout, stderr };
}
