import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InternalClient } from "../../src/client.ts";
import { InputError } from "../../src/core/input-error.ts";
import { INVALID_DATE_RULE } from "../../src/core/instant-input.ts";
import { changesQueryProblems, updatedSinceProblem } from "../../src/outcomes/changes-query.ts";
import { type CxoneHarness, cxoneHarness } from "../emulator/cxone/helpers.ts";
import { harnessClient } from "../support/cxone-harness-client.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * The incremental export's page size, overlap, format and start rules are one function
 * (outcomes/changes-query.ts) that `outcomes.exportChanges` and `cxo outcomes export
 * --updated-since|--since-last` both ask (review 8 gap 2), the CLI by its flags in the words it
 * always used (pinned below; test/platform/cxone/incremental.test.ts runs the rest). The SDK now
 * reports a bad start with the other problems, before anything is sent or written, and an
 * invalid Date is an InputError, not a RangeError.
 */
describe("changesQueryProblems", () => {
  it.each([
    [{ pageSize: 0 }, "pageSize", "must be a whole number from 1 to 5000"],
    [{ pageSize: 5001 }, "pageSize", "must be a whole number from 1 to 5000"],
    [{ pageSize: 2.5 }, "pageSize", "must be a whole number from 1 to 5000"],
    [{ overlapMinutes: -1 }, "overlapMinutes", "must be a number of minutes from 0 to 1440"],
    [{ overlapMinutes: 1440.5 }, "overlapMinutes", "must be a number of minutes from 0 to 1440"],
    [{ overlapMinutes: Number.NaN }, "overlapMinutes", "must be a number of minutes from 0 to 1440"],
    [{ format: "xml" }, "format", "must be ndjson or csv"],
    [
      { format: "parquet" },
      "format",
      "the incremental mode writes ndjson or csv (a .ndjson or .csv file), not Parquet",
    ],
    [
      { updatedSince: "2026-03-01T00:00:00" },
      "updatedSince",
      "has no time zone: add Z or an offset such as +02:00",
    ],
    [
      { updatedSince: "soon" },
      "updatedSince",
      '"soon" is not an ISO 8601 date-time with a zone (YYYY-MM-DDTHH:MM[:SS[.fff]] then Z or an offset ±HH:MM, e.g. 2026-03-08T14:30:00-05:00)',
    ],
    [{ updatedSince: new Date(Number.NaN) }, "updatedSince", INVALID_DATE_RULE],
  ])("%j: %s %s", (input, field, rule) => {
    expect(changesQueryProblems(input)).toEqual([{ field, rule }]);
  });

  it("takes what is good (nothing given is the default): no problem", () => {
    expect(changesQueryProblems({})).toEqual([]);
    expect(
      changesQueryProblems({
        pageSize: 5000,
        overlapMinutes: 0,
        format: "csv",
        updatedSince: "2026-03-01T00:00:00+05:00",
      }),
    ).toEqual([]);
    expect(updatedSinceProblem(" 2026-03-01T00:00:00Z ")).toBeNull();
    expect(updatedSinceProblem(new Date("2026-03-01T00:00:00Z"))).toBeNull();
  });
});

let h: CxoneHarness;
let client: InternalClient;
beforeAll(async () => {
  h = await cxoneHarness({ seed: 9, contacts: 20, days: 1 });
  client = harnessClient(h, "cxo-changes-query-", true);
});
afterAll(async () => {
  await client?.close();
  await h?.close();
});

describe("outcomes.exportChanges asks the same rules", () => {
  it("every problem at once, the start among them; nothing sent, nothing written", async () => {
    const skillId = String(
      h.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")!.skillId,
    );
    const count = async () =>
      ((await h.admin("GET", "/requests")).body as { requests: unknown[] }).requests.length;
    const before = await count();
    const out = path.join(mkdtempSync(path.join(tmpdir(), "cxo-changes-query-")), "x.ndjson");
    const error = await client.outcomes
      .exportChanges(
        { campaignId: skillId, updatedSince: "2026-03-01T00:00:00", pageSize: 0 },
        { out, overlapMinutes: 2000, format: "parquet" as never },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems.map((p) => p.field)).toEqual([
      "format",
      "pageSize",
      "overlapMinutes",
      "updatedSince",
    ]);
    const bad = await client.outcomes
      .exportChanges({ campaignId: skillId, updatedSince: new Date(Number.NaN) }, { out })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InputError);
    expect((bad as InputError).problems).toEqual([{ field: "updatedSince", rule: INVALID_DATE_RULE }]);
    expect(await count()).toBe(before);
    expect(existsSync(out)).toBe(false);
  });
});

describe("cxo outcomes export's incremental flags, by the same rules", () => {
  it("names each flag in the words it always used, every problem at once (exit 2, before any connection)", async () => {
    const d = mkdtempSync(path.join(tmpdir(), "cxo-changes-query-cli-"));
    const run = await runCli(
      [
        "outcomes",
        "export",
        "--campaign",
        "c1",
        "--since-last",
        "--out",
        path.join(d, "x.parquet"),
        "--page-size",
        "5.0",
        "--overlap-minutes",
        "9999",
        "--updated-since",
        "2026-03-01T00:00:00",
      ],
      { CXO_DATA_DIR: path.join(d, ".cxo") },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      [
        "error: invalid input",
        "  - --since-last: continues from the stored cursor; --updated-since starts from a given instant: give one of them",
        "  - --out: the incremental mode writes ndjson or csv (a .ndjson or .csv file), not Parquet",
        "  - --page-size: must be a whole number from 1 to 5000",
        "  - --overlap-minutes: must be a number of minutes from 0 to 1440",
        "  - --updated-since: has no time zone: add Z or an offset such as +02:00",
        "",
      ].join("\n"),
    );
  });
});
