import type { Command } from "commander";
import { registerConfigCommands } from "./config.ts";

/**
 * Every command group, one file each. A capability adds its file and one line here.
 */
export function registerCommands(program: Command): void {
  registerConfigCommands(program);
}
