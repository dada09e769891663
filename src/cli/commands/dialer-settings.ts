import type { Command } from "commander";

/** `cxo dialer validate|apply|history|diff|rollback|metrics|audit` (seed 003) (stub: filled in by its capability's issue). */
export function registerDialerSettingsCommands(group: Command): void {
  void group;
}
