import type { Integration } from "@writ/sdk";
import type { Command } from "commander";
import { exitCodes } from "../io";
import { formatTable, formatTime } from "../output/table";
import type { ActionFactory } from "./commandHandler";

/** The write objects an integration's latest revision declares. */
export function writeObjectNames(integration: Integration): string[] {
  return (integration.latestRevision?.content.write?.objects ?? []).map(
    (object) => object.objectName,
  );
}

export function registerIntegrationCommands(program: Command, act: ActionFactory): void {
  program
    .command("list:integrations")
    .description("list a project's integrations with their latest revision and write objects")
    .addHelpText(
      "after",
      `
Examples:
  $ writ list:integrations --project acme
  $ writ list:integrations --json | jq -r '.[] | "\\(.name) \\(.id)"'`,
    )
    .action(
      act(async (ctx) => {
        const project = await ctx.project();
        const integrations = await ctx.client().listIntegrations(project);
        if (ctx.json) {
          ctx.printJson(integrations);
          return exitCodes.ok;
        }
        if (integrations.length === 0) {
          ctx.print(
            `Project ${project} has no integrations yet. Deploy some with: writ deploy amp.yaml`,
          );
          return exitCodes.ok;
        }
        ctx.print(
          formatTable(
            [
              { header: "ID" },
              { header: "NAME" },
              { header: "PROVIDER" },
              { header: "WRITE OBJECTS", maxWidth: 40 },
              { header: "REVISION" },
              { header: "UPDATED" },
            ],
            integrations.map((integration) => [
              integration.id,
              integration.name,
              integration.provider,
              writeObjectNames(integration).join(", "),
              integration.latestRevision?.id ?? "",
              formatTime(integration.updateTime),
            ]),
          ),
        );
        return exitCodes.ok;
      }),
    );
}
