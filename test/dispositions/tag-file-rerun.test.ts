import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeadlineExceededError } from "../../src/index.ts";
import { runCli } from "../support/run-cli.ts";
import { type TagHarness, tagHarness, validRows, writeCsv } from "./helpers.ts";

/**
 * Issue 43 §2: a rerun of `tagFile` on rows an earlier run tagged skipped them all silently
 * (199 skipped of 200). The summary now says so (`warnings`), as does the CLI's human output,
 * and `force` (`cxo tag --force`) sends them again on purpose. And tagFile's call shape: its
 * request options bound the whole call; "no new row after" is its own param.
 */
let h: TagHarness;
beforeAll(async () => {
  h = await tagHarness({ calls: 3000 });
});
afterAll(() => h.close());

describe("a rerun of the same rows", () => {
  it("the SDK's summary says the rows were skipped and why; force sends them again", async () => {
    const dir = h.dir();
    const dataDir = path.join(dir, ".cxo");
    const calls = await h.callsOf(h.campaign.id, 20);
    const file = writeCsv(path.join(dir, "rows.csv"), validRows(calls, h.campaign.matrix));
    const cxo = h.client(dataDir, 1000);
    try {
      const first = await cxo.dispositions.tagFile(file, { campaignId: h.campaign.id });
      expect(first).toMatchObject({ succeeded: 20, skipped: 0, forced: false, warnings: [] });

      await h.clearRequests();
      const again = await cxo.dispositions.tagFile(file, { campaignId: h.campaign.id });
      expect(again).toMatchObject({ succeeded: 0, skipped: 20, forced: false });
      expect(again.warnings).toHaveLength(1);
      expect(again.warnings[0]).toMatch(
        /^20 of 20 valid rows were not sent: an earlier run .* already tagged/,
      );
      expect(again.warnings[0]).toContain("force");
      expect(await h.puts()).toHaveLength(0);

      const forced = await cxo.dispositions.tagFile(file, { campaignId: h.campaign.id, force: true });
      expect(forced).toMatchObject({ succeeded: 20, skipped: 0, forced: true, warnings: [] });
      expect(await h.puts()).toHaveLength(20);
    } finally {
      await cxo.close();
    }
  });

  it("the CLI's human output says so too, and --force re-sends", async () => {
    const dir = h.dir();
    const dataDir = path.join(dir, ".cxo");
    const calls = await h.callsOf(h.fixtures.campaigns[1]!.id, 10);
    const matrix = {
      campaignId: h.fixtures.campaigns[1]!.id,
      codes: h.fixtures.campaigns[1]!.dispositionCodes,
    };
    const file = writeCsv(path.join(dir, "rows.csv"), validRows(calls, matrix as never));
    const env = h.env(dataDir, { CXO_CONFIG: h.configFile(dir, 1000) });
    const args = ["tag", "--campaign", matrix.campaignId, "--file", file];
    const first = await runCli(args, env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).not.toContain("note:");
    const again = await runCli(args, env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(
      "note: 10 of 10 valid rows were not sent: an earlier run of this file already tagged them (add --force to send them again)",
    );
    const forced = await runCli([...args, "--force", "--json"], env);
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({
      succeeded: 10,
      skipped: 0,
      forced: true,
      warnings: [],
    });
  }, 60_000);
});

describe("tagFile's call shape", () => {
  it("noNewRowsAfterMs stops starting rows and resolves with an interrupted summary", async () => {
    // 40 rows two at a time at 200 ms each take 4 s: stopping new rows after 2 s leaves some done
    // and some never started, with room for a loaded machine's slow start on either side.
    await h.admin$("POST", "/faults", { group: "dispositions", latencyMs: 200 });
    const dir = h.dir();
    const calls = await h.callsOf(h.fixtures.campaigns[2]!.id, 40);
    const matrix = {
      campaignId: h.fixtures.campaigns[2]!.id,
      codes: h.fixtures.campaigns[2]!.dispositionCodes,
    };
    const file = writeCsv(path.join(dir, "rows.csv"), validRows(calls, matrix as never));
    const cxo = h.client(path.join(dir, ".cxo"), 1000);
    try {
      const summary = await cxo.dispositions.tagFile(file, {
        campaignId: matrix.campaignId,
        concurrency: 2,
        noNewRowsAfterMs: 2000,
      });
      expect(summary.interrupted).toBe(true);
      expect(summary.succeeded).toBeGreaterThan(0);
      expect(summary.succeeded).toBeLessThan(40);
    } finally {
      await h.admin$("DELETE", "/faults");
      await cxo.close();
    }
  });

  it("the request options' deadlineMs bounds the whole call: DeadlineExceededError, and the next run re-drives what it stopped", async () => {
    // 40 rows two at a time at 200 ms each take 4 s: stopping new rows after 2 s leaves some done
    // and some never started, with room for a loaded machine's slow start on either side.
    await h.admin$("POST", "/faults", { group: "dispositions", latencyMs: 200 });
    const dir = h.dir();
    const dataDir = path.join(dir, ".cxo");
    const calls = await h.callsOf(h.fixtures.campaigns[3]!.id, 40);
    const matrix = {
      campaignId: h.fixtures.campaigns[3]!.id,
      codes: h.fixtures.campaigns[3]!.dispositionCodes,
    };
    const file = writeCsv(path.join(dir, "rows.csv"), validRows(calls, matrix as never));
    const cxo = h.client(dataDir, 1000);
    try {
      const error = await cxo.dispositions
        .tagFile(file, { campaignId: matrix.campaignId, concurrency: 2 }, { deadlineMs: 300 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DeadlineExceededError);
    } finally {
      await h.admin$("DELETE", "/faults");
      await cxo.close();
    }
    const next = h.client(dataDir, 1000);
    try {
      const summary = await next.dispositions.tagFile(file, { campaignId: matrix.campaignId });
      expect(summary.interrupted).toBe(false);
      expect(summary.skipped + summary.redrivenRows + summary.succeeded).toBe(40);
      expect(summary.failed).toBe(0);
    } finally {
      await next.close();
    }
  });

  it("noNewRowsAfterMs stops new rows, gracefully", async () => {
    // 40 rows two at a time at 200 ms each take 4 s: stopping new rows after 2 s leaves some done
    // and some never started, with room for a loaded machine's slow start on either side.
    await h.admin$("POST", "/faults", { group: "dispositions", latencyMs: 200 });
    const dir = h.dir();
    const calls = await h.callsOf(h.fixtures.campaigns[4]!.id, 40);
    const matrix = {
      campaignId: h.fixtures.campaigns[4]!.id,
      codes: h.fixtures.campaigns[4]!.dispositionCodes,
    };
    const file = writeCsv(path.join(dir, "rows.csv"), validRows(calls, matrix as never));
    const cxo = h.client(path.join(dir, ".cxo"), 1000);
    try {
      const summary = await cxo.dispositions.tagFile(file, {
        campaignId: matrix.campaignId,
        concurrency: 2,
        noNewRowsAfterMs: 300,
      });
      expect(summary.interrupted).toBe(true);
      // A bad value is named as the caller wrote it.
      const current = await cxo.dispositions
        .tagFile(file, { campaignId: matrix.campaignId, noNewRowsAfterMs: -1 })
        .catch((e: unknown) => e);
      expect(current).toMatchObject({ code: "invalid_input", problems: [{ field: "noNewRowsAfterMs" }] });
    } finally {
      await h.admin$("DELETE", "/faults");
      await cxo.close();
    }
  });
});
