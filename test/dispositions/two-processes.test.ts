import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/core/store/index.ts";
import { runCli } from "../support/run-cli.ts";
import { waitUntil } from "../support/wait-until.ts";
import { callOfPath, type TagHarness, tagHarness, validRows, writeCsv } from "./helpers.ts";

/**
 * Issue 20 item 11: a second `cxo tag` on the same data dir while the first is running must not
 * re-drive the first's pending rows (they are in flight, not abandoned). Before journal row
 * leases it did: every row the first had in flight was PUT a second time by the second process.
 */
const ROWS = 80;

describe("two cxo tag processes on one data dir", () => {
  let h: TagHarness;
  beforeAll(async () => {
    // 120 ms per request, 4 in flight: the file takes ~2.5 s, so the second process starts mid-run.
    h = await tagHarness({ calls: 20_000, latencyMs: 120 });
  });
  afterAll(() => h.close());

  it("the second process leaves the first's in-flight rows alone; every call is PUT once", async () => {
    const dir = h.dir();
    const dataDir = path.join(dir, ".cxo");
    const calls = await h.callsOf(h.campaign.id, ROWS + 1);
    const fileCalls = calls.slice(0, ROWS);
    const single = calls[ROWS]!;
    const file = writeCsv(path.join(dir, "rows.csv"), validRows(fileCalls, h.campaign.matrix));
    const env = h.env(dataDir);
    await h.clearRequests();

    const first = runCli(
      ["--json", "tag", "--campaign", h.campaign.id, "--file", file, "--concurrency", "4"],
      env,
      { timeoutMs: 30_000 },
    );
    await waitUntil(async () => (await h.puts()).length >= 8, {
      what: "the first process's first 8 PUTs",
      timeoutMs: 15_000,
      intervalMs: 20,
    });
    const code =
      h.campaign.matrix.codes.find((c) => c.reasonCodes.length === 0) ?? h.campaign.matrix.codes[0]!;
    const reason = code.reasonCodes[0]?.id;
    const second = await runCli(
      [
        "--json",
        "tag",
        "--campaign",
        h.campaign.id,
        "--call",
        single,
        "--disposition",
        code.id,
        ...(reason ? ["--reason", reason] : []),
      ],
      env,
      { timeoutMs: 30_000 },
    );
    const firstResult = await first;
    expect(second.code, second.stderr).toBe(0);
    expect(firstResult.code, firstResult.stderr).toBe(0);
    expect(JSON.parse(firstResult.stdout)).toMatchObject({ succeeded: ROWS, failed: 0 });

    const putsPerCall = new Map<string, number>();
    for (const put of await h.puts()) {
      const call = callOfPath(put.path);
      putsPerCall.set(call, (putsPerCall.get(call) ?? 0) + 1);
    }
    const twice = [...putsPerCall].filter(([, n]) => n > 1).map(([call]) => call);
    expect(twice, "calls PUT more than once (re-driven by the second process)").toEqual([]);
    expect(putsPerCall.size).toBe(ROWS + 1);

    const store = await openStore(dataDir);
    try {
      const targets: string[] = [];
      for await (const record of store.audit.records()) if (record.target) targets.push(record.target);
      expect(targets.filter((t) => t !== single).sort()).toEqual([...fileCalls].sort());
      expect(await store.journal.counts()).toMatchObject({ pending: 0 });
    } finally {
      await store.close();
    }
  }, 120_000);
});
