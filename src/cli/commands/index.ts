import type { Command } from "commander";
import { registerAccessCommands } from "./access.ts";
import { registerAuditCommands } from "./audit.ts";
import { registerConfigCommands } from "./config.ts";
import { registerDispositionCommands } from "./dispositions.ts";
import { registerEmulatorCommands } from "./emulator.ts";
import { registerInteractionCommands } from "./interactions.ts";
import { registerOutboxCommands } from "./outbox.ts";
import { registerTagCommands } from "./tag.ts";

/**
 * Every command group, one file each. A capability adds its file and one line here.
 */
export function registerCommands(program: Command): void {
  registerConfigCommands(program);
  registerEmulatorCommands(program);
  registerAuditCommands(program);
  registerOutboxCommands(program);
  registerAccessCommands(program);
  registerDispositionCommands(program);
  registerTagCommands(program);
  registerInteractionCommands(program);
}
