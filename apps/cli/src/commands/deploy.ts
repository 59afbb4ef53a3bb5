import { type Integration, WritApiError } from "@writ/sdk";
import type { Command } from "commander";
import { exitCodes } from "../io";
import { formatErrorReport } from "../output/errorReport";
import { formatTable, plural } from "../output/table";
import { type ActionFactory, positionalArgument } from "./commandHandler";
import { checkManifestFile, problemLines, problemSummary } from "./validate";

export function registerDeployCommand(program: Command, act: ActionFactory): void {
  program
    .command("deploy")
    .description(
      "validate an amp.yaml locally, then deploy it: each integration gets a new revision",
    )
    .argument("<manifest>", "path to the amp.yaml file")
    .addHelpText(
      "after",
      `
Nothing is sent when the manifest has errors; warnings are shown and the deploy goes ahead.

Examples:
  $ writ deploy amp.yaml --project acme --key $WRIT_API_KEY
  $ WRIT_API_KEY=... writ deploy amp.yaml --json`,
    )
    .action(
      act(async (ctx, command) => {
        const { fileName, source, parsed } = await checkManifestFile(
          ctx,
          positionalArgument(command, 0),
        );
        for (const line of problemLines(parsed.problems, fileName)) ctx.note(line);
        if (parsed.errors.length > 0) {
          ctx.note(`${problemSummary(parsed)}: nothing was deployed`);
          return exitCodes.failure;
        }
        const project = await ctx.project();
        let integrations: Integration[];
        try {
          integrations = await ctx.client().deployManifest(project, source);
        } catch (error) {
          if (!(error instanceof WritApiError)) throw error;
          ctx.note(formatErrorReport(error, { sourceFile: fileName }));
          return exitCodes.failure;
        }
        if (ctx.json) {
          ctx.printJson(integrations);
          return exitCodes.ok;
        }
        ctx.print(
          `Deployed ${plural(integrations.length, "integration")} from ${fileName} to project ${project}`,
        );
        ctx.print(
          formatTable(
            [{ header: "NAME" }, { header: "PROVIDER" }, { header: "ID" }, { header: "REVISION" }],
            integrations.map((integration) => [
              integration.name,
              integration.provider,
              integration.id,
              integration.latestRevision?.id ?? "",
            ]),
          ),
        );
        return exitCodes.ok;
      }),
    );
}
