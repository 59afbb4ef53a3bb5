import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { CommandContext, type GlobalOptions } from "./commandContext";
import type { ActionFactory } from "./commands/commandHandler";
import { registerDeployCommand } from "./commands/deploy";
import { registerIntegrationCommands } from "./commands/integrations";
import { registerOperationCommands } from "./commands/operations";
import { registerProjectCommands } from "./commands/projects";
import { registerValidateCommand } from "./commands/validate";
import { registerWatchCommand } from "./commands/watch";
import { registerWriteCommand } from "./commands/write";
import { type CliEnv, parseCliEnv } from "./env";
import { type CliIo, exitCodes, UsageError } from "./io";
import { formatErrorReport } from "./output/errorReport";

/**
 * Runs the `writ` command line once and answers its exit code. Everything it touches comes in
 * through `io`, so tests run it in-process and read what it printed.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let env: CliEnv;
  try {
    env = parseCliEnv(io.env);
  } catch (error) {
    io.stderr.write(`${formatErrorReport(error)}\n`);
    return exitCodes.usage;
  }
  let exitCode: number = exitCodes.ok;
  const act: ActionFactory =
    (handler) =>
    async (...args) => {
      const command = args[args.length - 1] as Command;
      const ctx = new CommandContext(io, env, command.optsWithGlobals<GlobalOptions>());
      try {
        exitCode = await handler(ctx, command);
      } catch (error) {
        exitCode = reportFailure(ctx, error);
      }
    };
  const program = buildProgram(io, act);
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // Help and version end with exit code 0; every other commander error is a usage error.
    return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
  }
  return exitCode;
}

function reportFailure(ctx: CommandContext, error: unknown): number {
  ctx.note(formatErrorReport(error));
  return error instanceof UsageError ? exitCodes.usage : exitCodes.failure;
}

function parseUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") return value;
  } catch {
    // reported below
  }
  throw new InvalidArgumentError("expected an http(s) URL");
}

function buildProgram(io: CliIo, act: ActionFactory): Command {
  const program = new Command("writ")
    .description(
      "Writ: deploy integrations, write records into your customers' CRMs, follow operations",
    )
    .version("0.1.0", "-V, --version")
    .addOption(
      new Option(
        "-p, --project <idOrName>",
        "the project to act on (default: WRIT_PROJECT, or the API key's project)",
      ),
    )
    .addOption(new Option("-k, --key <apiKey>", "project API key (default: WRIT_API_KEY)"))
    .addOption(
      new Option(
        "--admin-token <token>",
        "admin token, for create:project (default: WRIT_ADMIN_TOKEN)",
      ),
    )
    .addOption(
      new Option(
        "--url <url>",
        "API base URL (default: WRIT_API_URL, else http://127.0.0.1:3000)",
      ).argParser(parseUrl),
    )
    .option("--json", "machine-readable output on stdout")
    .showHelpAfterError("(add --help for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .addHelpText(
      "after",
      `
Examples:
  $ writ validate amp.yaml
  $ writ deploy amp.yaml --project acme --key $WRIT_API_KEY
  $ writ write --integration crm-sync --object contact --group-ref customer-42 --file contacts.jsonl
  $ writ operations --status failure
  $ writ status <operationId>`,
    );
  // Subcommands copy exitOverride and the output configuration when they are created, so these
  // registrations come after the settings above.
  registerValidateCommand(program, act);
  registerDeployCommand(program, act);
  registerProjectCommands(program, act);
  registerIntegrationCommands(program, act);
  registerWriteCommand(program, act);
  registerOperationCommands(program, act);
  registerWatchCommand(program, act);
  return program;
}
