import type { Command } from "commander";

/** `cxo outcomes export|verify` (seed 004) (stub: filled in by its capability's issue). */
export function registerOutcomeCommands(group: Command): void {
  void group;
}
