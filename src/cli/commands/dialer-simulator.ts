import type { Command } from "commander";

/** `cxo dialer erlang|simulate` (local capacity simulator) (stub: filled in by its capability's issue). */
export function registerDialerSimulatorCommands(group: Command): void {
  void group;
}
