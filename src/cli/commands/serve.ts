import type { Command } from "commander";

/** `cxo serve` (dashboard, webhook receiver, metrics, workers) (stub: filled in by its capability's issue). */
export function registerServeCommands(group: Command): void {
  void group;
}
