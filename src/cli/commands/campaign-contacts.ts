import type { Command } from "commander";

/** `cxo campaigns contacts LIST_ID` (seed 002 segmentation with the compliance engine) (stub: filled in by its capability's issue). */
export function registerCampaignContactCommands(group: Command): void {
  void group;
}
