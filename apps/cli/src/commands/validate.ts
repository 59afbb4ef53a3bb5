import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import {
  formatProblem,
  type ManifestProblem,
  type ParseResult,
  parseManifest,
} from "@writ/manifest";
import type { Command } from "commander";
import type { CommandContext } from "../commandContext";
import { exitCodes } from "../io";
import { plural } from "../output/table";
import { type ActionFactory, positionalArgument } from "./commandHandler";

export interface CheckedManifest {
  fileName: string;
  source: string;
  parsed: ParseResult;
}

/** Reads and checks a manifest locally; a file that cannot be read throws. */
export async function checkManifestFile(
  ctx: CommandContext,
  fileName: string,
): Promise<CheckedManifest> {
  let source: string;
  try {
    source = await readFile(resolve(ctx.cwd, fileName), "utf8");
  } catch (error) {
    throw new Error(
      `cannot read ${fileName}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return { fileName, source, parsed: parseManifest(source) };
}

/** `2 errors, 1 warning`. */
export function problemSummary(parsed: ParseResult): string {
  return `${plural(parsed.errors.length, "error")}, ${plural(parsed.warnings.length, "warning")}`;
}

export function problemLines(problems: ManifestProblem[], fileName: string): string[] {
  return problems.map((problem) => formatProblem(problem, fileName));
}

export function registerValidateCommand(program: Command, act: ActionFactory): void {
  program
    .command("validate")
    .description("check an amp.yaml manifest locally, without a server")
    .argument("<manifest>", "path to the amp.yaml file")
    .addHelpText(
      "after",
      `
Prints every problem as file:line:col: error|warning: message (at path), then a summary.
Exits 1 when there is any error; warnings alone exit 0.

Examples:
  $ writ validate amp.yaml
  $ writ validate amp.yaml --json | jq '.problems[] | select(.severity == "error")'`,
    )
    .action(
      act(async (ctx, command) => {
        const { fileName, parsed } = await checkManifestFile(ctx, positionalArgument(command, 0));
        const valid = parsed.errors.length === 0;
        if (ctx.json) {
          ctx.printJson({
            file: fileName,
            valid,
            errors: parsed.errors.length,
            warnings: parsed.warnings.length,
            problems: parsed.problems,
            integrations:
              parsed.manifest?.integrations.map((integration) => integration.name) ?? [],
          });
          return valid ? exitCodes.ok : exitCodes.failure;
        }
        for (const line of problemLines(parsed.problems, fileName)) ctx.print(line);
        if (parsed.problems.length > 0) ctx.print(problemSummary(parsed));
        if (valid && parsed.manifest) {
          const names = parsed.manifest.integrations.map((integration) => integration.name);
          ctx.print(
            `${fileName} is valid: ${plural(names.length, "integration")} (${names.join(", ")})`,
          );
        }
        return valid ? exitCodes.ok : exitCodes.failure;
      }),
    );
}
