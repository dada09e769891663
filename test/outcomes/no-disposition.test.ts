import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportSummaryText } from "../../src/cli/commands/outcomes.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { unknownCodesParts } from "../../src/outcomes/analysis.ts";
import { renderHtmlReport } from "../../src/outcomes/report-html.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 50 §6: records that carry no disposition are said to be that, not listed as a code
 * "(none)" among the codes outside the map ("codes outside the map (403 records): (none) 403").
 * A real export's summary (the CLI's --json document), given 403 records with no disposition
 * and 2 of a code the map does not list, as the human output and the HTML report show it.
 */
let emulator: RunningCxoneEmulator;
// biome-ignore lint/suspicious/noExplicitAny: the --json summary document
let summary: any;

beforeAll(async () => {
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 13,
    contacts: 300,
    days: 1,
  })) as RunningCxoneEmulator;
  const f = emulator.fixtures;
  const key = f.accessKeys.find((k) => !k.readOnly)!;
  const skill = f.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isActive)!;
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-no-dispo-"));
  const run = await runCli(
    [
      "--json",
      "outcomes",
      "export",
      "--campaign",
      String(skill.skillId),
      "--from",
      f.completed.windowStart,
      "--to",
      f.completed.windowEnd,
      "--out",
      path.join(dir, "x.ndjson"),
    ],
    {
      CXONE_PLATFORM: "cxone",
      CXONE_ISSUER: emulator.url,
      CXONE_CLIENT_ID: f.client.clientId,
      CXONE_CLIENT_SECRET: f.client.clientSecret,
      CXONE_ACCESS_KEY_ID: key.accessKeyId,
      CXONE_ACCESS_KEY_SECRET: key.accessKeySecret,
      CXO_DATA_DIR: path.join(dir, ".cxo"),
    },
    { timeoutMs: 120_000 },
  );
  expect(run.code, run.stderr).toBe(0);
  summary = {
    ...JSON.parse(run.stdout),
    unknownCodes: { "(none)": 403, "Promo (77)": 2 },
    unknownRecords: 405,
  };
}, 150_000);
afterAll(() => emulator.close());

describe("records with no disposition", () => {
  it("the human summary says how many records have no disposition, apart from the codes outside the map", () => {
    const text = exportSummaryText(summary);
    expect(text).toContain("403 records with no disposition");
    expect(text).toContain("codes outside the map (2 records): Promo (77) 2");
    expect(text).not.toContain("(none)");
  });

  it("the HTML report too", () => {
    const html = renderHtmlReport(summary);
    expect(html).toContain("records with no disposition");
    expect(html).toContain("no disposition</th><td>403");
    expect(html).not.toContain("(none)");
  });

  it("unknownCodesParts keeps real codes apart from records with none", () => {
    expect(unknownCodesParts({ "(none)": 403, "Sale (11)": 2, X: 1 })).toEqual({
      noDisposition: 403,
      outside: [
        ["Sale (11)", 2],
        ["X", 1],
      ],
      outsideRecords: 3,
    });
    expect(unknownCodesParts({})).toEqual({ noDisposition: 0, outside: [], outsideRecords: 0 });
  });
});
