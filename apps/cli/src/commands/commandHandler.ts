import type { Command } from "commander";
import type { CommandContext } from "../commandContext";

/** A command's body: reads its arguments and options from `command`, answers an exit code. */
export type CommandHandler = (ctx: CommandContext, command: Command) => Promise<number>;

/** Turns a handler into a commander action that builds the context and records the exit code. */
export type ActionFactory = (handler: CommandHandler) => (...args: unknown[]) => Promise<void>;

export function positionalArgument(command: Command, index: number): string {
  return String(command.processedArgs[index] ?? "");
}
