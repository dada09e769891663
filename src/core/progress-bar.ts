import { createRequire } from "node:module";
import type { Options, SingleBar } from "cli-progress";

// cli-progress (and its string-width dependencies) loads when a bar is drawn, not with every
// command whose module mentions one: most runs draw none (--json, or stderr not a terminal).
const require = createRequire(import.meta.url);

/** A one-line progress display on stderr in cli-progress's classic style, with `options` over the defaults. */
export function stderrBar(options: Options): SingleBar {
  const cliProgress = require("cli-progress") as typeof import("cli-progress");
  return new cliProgress.SingleBar(
    { stream: process.stderr, fps: 5, hideCursor: true, ...options },
    cliProgress.Presets.shades_classic,
  );
}
