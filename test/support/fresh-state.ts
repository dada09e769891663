// Runs before every test file. Test files share a worker's modules (vitest.config.ts,
// isolate: false), so process-wide state would otherwise carry over from whichever files ran
// earlier in the same worker — an order that changes from run to run:
// - the metrics registry's samples;
// - the secret scrubber's registered values: a file whose client secret is the word "secret"
//   made a later file's error text read "access key id and [REDACTED]" (a shuffled run,
//   2026-11-25);
// - the process's rate limiters (per tenant: an emulator's URL and client id), whose spent
//   budget a later file's emulator on a reused port would otherwise inherit;
// - `process.env` itself: a file that put back a saved copy (`process.env = saved`) left the worker
//   a plain object, whose writes no longer reach the process's environment — `os.tmpdir()` and
//   other native reads of it then disagree with `process.env` (2026-11-29: the run's TMPDIR);
// - the process clock: a file whose test timed out with a pinned clock (pinClock, restored in its
//   own finally, which a timeout skips) left later files reading 2026-12-07 (a loaded run,
//   2026-11-28: a cursor "in the future", a conformance file failing 23 of 30).
import { restoreWallClock } from "../../src/core/clock/index.ts";
import { processLimiters } from "../../src/core/http/limiter-registry.ts";
import { processSecrets } from "../../src/core/logging/secrets.ts";
import { metricsRegistry } from "../../src/core/metrics/index.ts";

// The worker's own environment object, kept at its first file: a later file that replaced it gets
// it back, with the values the replacement held.
const kept = globalThis as { __cxoProcessEnv?: NodeJS.ProcessEnv };
kept.__cxoProcessEnv ??= process.env;
if (process.env !== kept.__cxoProcessEnv) {
  const replacement = process.env;
  process.env = kept.__cxoProcessEnv;
  for (const key of Object.keys(process.env)) if (!(key in replacement)) delete process.env[key];
  Object.assign(process.env, replacement);
}
metricsRegistry.resetMetrics();
processSecrets.clear();
processLimiters.clear();
restoreWallClock();
