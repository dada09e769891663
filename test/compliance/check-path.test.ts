import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { parseCampaignCapsFlag } from "../../src/cli/compliance-flags.ts";
import { migrate } from "../../src/core/store/migrations.ts";
import { openSqliteDb } from "../../src/core/store/sqlite-db.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * `cxo compliance check` is run once per number by a dialing script: it must not load what it
 * does not use (issue 32: zod and its locales, Intl's locale list, the store's migrations run
 * one write transaction each). CPU time itself is measured in `npm run bench` (cli startup).
 */

const HOOK = `
import { registerHooks } from "node:module";
const loaded = [];
registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
const intl = [];
for (const name of ["DateTimeFormat", "NumberFormat", "Collator", "PluralRules", "RelativeTimeFormat", "ListFormat", "DisplayNames", "Segmenter"]) {
  const Original = Intl[name];
  Intl[name] = new Proxy(Original, { construct(target, args) { intl.push(name); return Reflect.construct(target, args); } });
}
process.on("exit", () => process.stderr.write("\\nLOADED " + JSON.stringify({ loaded, intl }) + "\\n"));
`;

describe("the compliance check path", () => {
  it("loads neither zod nor date-holidays and makes no Intl formatter; the verdict is unchanged", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-check-path-"));
    const hook = path.join(dir, "hook.mjs");
    writeFileSync(hook, HOOK);
    const run = await runCli(
      [
        "compliance",
        "check",
        "--phone",
        "+12125550123",
        "--at",
        "2026-03-02T15:00:00Z",
        "--consent",
        "yes",
        "--json",
        "--data-dir",
        path.join(dir, "data"),
      ],
      { NODE_OPTIONS: `--import ${pathToFileURL(hook).href}` },
    );
    expect(run.code, run.stderr).toBe(0);
    const verdict = JSON.parse(run.stdout);
    expect(verdict).toMatchObject({
      phone: "+12125550123",
      at: "2026-03-02T10:00:00-05:00",
      zones: ["America/New_York"],
    });
    const report = JSON.parse(/LOADED (.*)/.exec(run.stderr)![1]!) as { loaded: string[]; intl: string[] };
    expect(report.loaded.length).toBeGreaterThan(20);
    expect(
      report.loaded.filter((url) => /\/node_modules\/(zod|date-holidays|moment|yaml)\//.test(url)),
    ).toEqual([]);
    expect(report.intl).toEqual([]);
  });

  it("--campaign-caps counts: whole numbers 1 to 1000 in digits, as before", () => {
    expect(parseCampaignCapsFlag("day=1,week=1000")).toEqual({ perDay: 1, perWeek: 1000 });
    expect(parseCampaignCapsFlag(" day = 007 ")).toEqual({ perDay: 7 });
    for (const bad of [
      "day=0",
      "day=1001",
      "day=1.5",
      "day=1e2",
      "day=-1",
      "day=0x10",
      "day=",
      "hour=1",
      "day=99999999999999999999",
    ])
      expect(() => parseCampaignCapsFlag(bad), bad).toThrow(/--campaign-caps|must be day=N/);
  });

  it("opening an up-to-date store reads its migrations and starts no write transaction", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-migrate-"));
    const db = openSqliteDb(path.join(dir, "cxo.sqlite"));
    try {
      expect(await migrate(db)).toBeGreaterThan(0);
      let transactions = 0;
      const counted = {
        ...db,
        transaction: ((fn, options) => {
          transactions += 1;
          return db.transaction(fn, options);
        }) as typeof db.transaction,
      };
      expect(await migrate(counted)).toBe(0);
      expect(transactions).toBe(0);
      // One migration missing: the full path runs and applies it again.
      await db.run(
        "DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)",
      );
      transactions = 0;
      await migrate(counted).catch(() => undefined);
      expect(transactions).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });
});
