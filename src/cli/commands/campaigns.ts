import type { Command } from "commander";

/** `cxo campaigns create|pause|resume|status|watch` (seed 002) (stub: filled in by its capability's issue). */
export function registerCampaignCommands(group: Command): void {
  void group;
}
