import type { Command } from "commander";
import {
  clockDocument,
  formatClockSetting,
  installClock,
  parseClockSetting,
} from "../../core/clock/index.ts";
import { withContext } from "../context.ts";

/**
 * `cxo clock [--json]`: the time this command reads (the clock of CXO_CLOCK / --clock, installed
 * before any command runs) and the value another process needs to read the same.
 * `cxo clock --anchor VALUE`: VALUE with its anchor (a running clock anchored now), for
 * `export CXO_CLOCK=$(cxo clock --anchor 2026-11-30T07:00:00-05:00@x600)` before the processes of
 * a simulated week start.
 */
export function registerClockCommands(program: Command): void {
  program
    .command("clock")
    .description("the time cxo reads (CXO_CLOCK / --clock), and the setting other processes need to agree")
    .option(
      "--anchor <setting>",
      "print SETTING anchored now (a running clock's anchor), to export as CXO_CLOCK",
    )
    .action(
      withContext((ctx, flags: { anchor?: string }) => {
        if (flags.anchor !== undefined) {
          // Installed only to anchor it, then undone: this command's own time is not what it prints.
          const installed = installClock(parseClockSetting(flags.anchor, "--anchor"));
          installed.uninstall();
          const text = formatClockSetting(installed.setting);
          ctx.print({ setting: text }, text);
          return;
        }
        const doc = clockDocument();
        ctx.print(
          doc,
          doc.setting === null
            ? `${doc.now} (the wall clock)`
            : `${doc.now} (${doc.kind} clock${doc.kind === "running" || doc.kind === "file" ? `, x${doc.rate}` : ""}; CXO_CLOCK='${doc.setting}')`,
        );
      }),
    );
}
