import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The autopilot is an application over the client (docs/autopilot.md): it calls the client's
// public groups and is given the rest by the SDK's application host (src/sdk/application-host.ts):
// the store for its own state, the SDK's way of running a call, the platform's answers. It never
// opens the client's runtime or reads the port.
const AUTOPILOT = path.resolve(import.meta.dirname, "../../src/autopilot");

/** What an application must not reach: the client's internals, its runtime, the port or the platform's adapters. */
const INTERNAL_REACH =
  /from\s+"\.\.\/sdk\/internals\.ts"|import\("\.\.\/sdk\/internals\.ts"\)|\bruntimeOf\(|\binternalsOf\(|\.port\.|from\s+"\.\.\/platform\/(?!ports\/)/;

describe("the autopilot over the client", () => {
  it("the matcher finds each way into the client's internals", () => {
    for (const planted of [
      'import { runtimeOf } from "../sdk/internals.ts";',
      "const store = await runtimeOf(client).store();",
      'runtime.port.support.unsupported("dncGroups")',
      'import { cxonePort } from "../platform/cxone/port.ts";',
    ]) {
      expect(INTERNAL_REACH.test(planted), planted).toBe(true);
    }
    expect(INTERNAL_REACH.test('import type { ListAttempt } from "../platform/ports/lists.ts";')).toBe(false);
    expect(INTERNAL_REACH.test('import { applicationHostOf } from "../sdk/application-host.ts";')).toBe(
      false,
    );
  });

  it("no module of src/autopilot reaches the client's runtime, its internals or the port", () => {
    const offenders = readdirSync(AUTOPILOT, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
      .map((entry) => path.join(entry.parentPath, entry.name))
      .flatMap((file) =>
        readFileSync(file, "utf8")
          .split("\n")
          .map((line, i) => ({ line, at: `${path.relative(AUTOPILOT, file)}:${i + 1}` }))
          .filter(({ line }) => !line.trimStart().startsWith("//") && !line.trimStart().startsWith("*"))
          .filter(({ line }) => INTERNAL_REACH.test(line))
          .map(({ at, line }) => `${at}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});
