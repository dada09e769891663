import type { Command } from "commander";

/** `cxo compliance check` (calling-rules engine) (stub: filled in by its capability's issue). */
export function registerComplianceCommands(group: Command): void {
  void group;
}
