import type { Command } from "commander";
import { exitCodes } from "../io";
import { formatTable, formatTime } from "../output/table";
import type { ActionFactory } from "./commandHandler";
import { positionalArgument } from "./commandHandler";

export function registerProjectCommands(program: Command, act: ActionFactory): void {
  program
    .command("list:projects")
    .description("list projects: all of them with the admin token, the key's own with an API key")
    .addHelpText(
      "after",
      `
Examples:
  $ writ list:projects --admin-token $WRIT_ADMIN_TOKEN
  $ writ list:projects --json | jq -r '.[].id'`,
    )
    .action(
      act(async (ctx) => {
        const projects = await ctx.client().listProjects();
        if (ctx.json) {
          ctx.printJson(projects);
          return exitCodes.ok;
        }
        if (projects.length === 0) {
          ctx.print("No projects yet. Create one with: writ create:project <name>");
          return exitCodes.ok;
        }
        ctx.print(
          formatTable(
            [{ header: "ID" }, { header: "NAME" }, { header: "APP NAME" }, { header: "CREATED" }],
            projects.map((project) => [
              project.id,
              project.name,
              project.appName,
              formatTime(project.createTime),
            ]),
          ),
        );
        return exitCodes.ok;
      }),
    );

  program
    .command("create:project")
    .description("create a project (needs the admin token)")
    .argument("<name>", "letters, digits and inner hyphens; unique")
    .option("--app-name <appName>", "the application's display name")
    .addHelpText(
      "after",
      `
Examples:
  $ writ create:project acme --admin-token $WRIT_ADMIN_TOKEN
  $ writ create:project acme --app-name "Acme CRM sync"`,
    )
    .action(
      act(async (ctx, command) => {
        const options = command.opts<{ appName?: string }>();
        const project = await ctx.client().createProject({
          name: positionalArgument(command, 0),
          ...(options.appName ? { appName: options.appName } : {}),
        });
        if (ctx.json) {
          ctx.printJson(project);
          return exitCodes.ok;
        }
        ctx.print(`Created project ${project.name} (id ${project.id})`);
        ctx.note(`Next: writ create:key --project ${project.name} --label <label>`);
        return exitCodes.ok;
      }),
    );

  program
    .command("create:key")
    .description("create an API key for a project; the key is shown once")
    .requiredOption("--label <label>", "what the key is for, e.g. production or ci")
    .addHelpText(
      "after",
      `
The key alone goes to stdout, so it can be captured; everything else goes to stderr.
Writ keeps only a hash of the key: store it now, it cannot be shown again.

Examples:
  $ writ create:key --project acme --label ci --admin-token $WRIT_ADMIN_TOKEN
  $ export WRIT_API_KEY=$(writ create:key --project acme --label local)`,
    )
    .action(
      act(async (ctx, command) => {
        const { label } = command.opts<{ label: string }>();
        const project = await ctx.project();
        const created = await ctx.client().createApiKey(project, { label });
        if (ctx.json) {
          ctx.printJson(created);
        } else {
          ctx.note(`Created API key "${created.label}" (id ${created.id}) for project ${project}:`);
          ctx.print(created.key);
        }
        ctx.note("Store this key now: Writ keeps only its hash and cannot show it again.");
        return exitCodes.ok;
      }),
    );
}
