import { WritClient } from "@writ/sdk";
import type { CliEnv } from "./env";
import { type CliIo, type OutputStream, UsageError } from "./io";

/** The options every command accepts (see `writ --help`). */
export interface GlobalOptions {
  project?: string;
  key?: string;
  adminToken?: string;
  url?: string;
  json?: boolean;
}

/** What a command needs from its surroundings: where to write, how to reach the API, which project. */
export class CommandContext {
  readonly json: boolean;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly signal: AbortSignal | undefined;
  readonly now: () => number;
  readonly cwd: string;
  readonly baseUrl: string;
  readonly #apiKey: string | undefined;
  readonly #adminToken: string | undefined;
  readonly #project: string | undefined;
  readonly #fetch: typeof fetch | undefined;
  #client: WritClient | undefined;
  #resolvedProject: Promise<string> | undefined;

  constructor(io: CliIo, env: CliEnv, globals: GlobalOptions) {
    this.json = globals.json === true;
    this.stdout = io.stdout;
    this.stderr = io.stderr;
    this.signal = io.signal;
    this.now = io.now ?? Date.now;
    this.cwd = io.cwd ?? process.cwd();
    this.baseUrl = globals.url ?? env.WRIT_API_URL;
    this.#apiKey = globals.key ?? env.WRIT_API_KEY;
    this.#adminToken = globals.adminToken ?? env.WRIT_ADMIN_TOKEN;
    this.#project = globals.project ?? env.WRIT_PROJECT;
    this.#fetch = io.fetch;
  }

  /** A line on stdout: the command's result. */
  print(text = ""): void {
    this.stdout.write(`${text}\n`);
  }

  /** A line on stderr: notes, warnings and errors, kept out of piped results. */
  note(text: string): void {
    this.stderr.write(`${text}\n`);
  }

  printJson(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  client(): WritClient {
    this.#client ??= new WritClient({
      baseUrl: this.baseUrl,
      ...(this.#apiKey ? { apiKey: this.#apiKey } : {}),
      ...(this.#adminToken ? { adminToken: this.#adminToken } : {}),
      ...(this.#fetch ? { fetch: this.#fetch } : {}),
      userAgent: "writ-cli/0.1.0",
    });
    return this.#client;
  }

  get hasAdminToken(): boolean {
    return this.#adminToken !== undefined;
  }

  /**
   * The project to act on: --project, else WRIT_PROJECT, else the API key's own project (an API
   * key belongs to exactly one).
   */
  project(): Promise<string> {
    this.#resolvedProject ??= this.#resolveProject();
    return this.#resolvedProject;
  }

  async #resolveProject(): Promise<string> {
    if (this.#project) return this.#project;
    if (!this.#apiKey) {
      throw new UsageError(
        "name the project with --project <idOrName> (or WRIT_PROJECT), or pass its API key with --key",
      );
    }
    // Asked with the key alone: with the admin token the answer would be every project.
    const keyOnly = new WritClient({
      baseUrl: this.baseUrl,
      apiKey: this.#apiKey,
      ...(this.#fetch ? { fetch: this.#fetch } : {}),
    });
    const [own] = await keyOnly.listProjects();
    if (!own) throw new UsageError("the API key's project was not found; name it with --project");
    return own.name;
  }
}
