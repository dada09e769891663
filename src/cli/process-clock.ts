import type { Command } from "commander";
import {
  clockForChildren,
  formatClockSetting,
  installClock,
  parseClockSetting,
} from "../core/clock/index.ts";

/**
 * The command's clock, from `--clock` (the nearest command's) or `CXO_CLOCK`, installed before
 * its action runs (a malformed value is an InputError: exit 2, nothing run). A running clock given
 * without its anchor is anchored at this process's start; the anchored value is then what this
 * process hands to the processes it starts (CXO_CLOCK in its environment) and what it says on
 * stderr, so that a user can export it to the others. Answers the undo (main.ts runs it when the
 * command ends, which matters to a host that runs commands one after another).
 */
export function installCommandClock(command: Command): () => void {
  const flag = (command.optsWithGlobals() as { clock?: string }).clock;
  const field = flag === undefined ? "CXO_CLOCK" : "--clock";
  const setting = parseClockSetting(flag ?? process.env.CXO_CLOCK, field);
  if (setting.kind === "wall") return () => undefined;
  const installed = installClock(setting, field);
  const before = process.env.CXO_CLOCK;
  process.env.CXO_CLOCK = clockForChildren();
  if (setting.kind === "running" && setting.anchorMs === undefined)
    process.stderr.write(
      `cxo: clock ${formatClockSetting(setting)} anchored at this process's start; other processes read the same time with CXO_CLOCK='${formatClockSetting(installed.setting)}'\n`,
    );
  return () => {
    installed.uninstall();
    if (before === undefined) delete process.env.CXO_CLOCK;
    else process.env.CXO_CLOCK = before;
  };
}
