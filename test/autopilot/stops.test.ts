import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type AutopilotJob, runAutopilot } from "../../src/autopilot/run.ts";
import { loadState } from "../../src/autopilot/state.ts";
import type { CxoneClient } from "../../src/client.ts";
import { autopilotCampaignSchema } from "../../src/core/config/autopilot-schema.ts";
import { ItemList } from "../../src/core/http/pagination.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";

/**
 * What the autopilot does when a step fails (issue 91 §2): a CXone that fails for a while (503)
 * is tried again at the next run, the campaign goes on; a push refused is tried again with a new
 * plan, and only the third refusal of a day stops the campaign; an answer it cannot read stops
 * the campaign at once — the skill paused, an audit record `autopilot.stop`, a signed
 * `autopilot.stopped` event — and nothing is planned or pushed until it is resumed. A stub client
 * stands for CXone here: each case fails one step on purpose (the end-to-end day runs on the
 * emulator in autopilot-cli.test.ts).
 */
const dir = mkdtempSync(path.join(tmpdir(), "cxo-autopilot-stops-"));
const stores: Store[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

const counts = new SlotCounts();
for (let s = 0; s < 168; s++) counts.add(["state"], { state: "ZZ" }, s, 100, 10);
writeFileSync(path.join(dir, "model.json"), JSON.stringify(buildModel(counts, { campaign: "301" })));
writeFileSync(path.join(dir, "list.csv"), "recordId,phone,accountId\nr1,+12125557601,ACC-1\n");

const job = (): AutopilotJob => ({
  campaigns: [
    autopilotCampaignSchema.parse({
      campaign: "301",
      kind: "collections",
      list: path.join(dir, "list.csv"),
      model: path.join(dir, "model.json"),
    }),
  ],
  zone: "America/New_York",
  intervalMinutes: 5,
});

const coded = (code: string, message: string) => Object.assign(new Error(message), { code });

/** A client whose plan answers one row and whose push does what `push` says; calls are counted. */
function stubClient(dataDir: string, push: () => Promise<unknown>) {
  const calls = { pause: 0, push: 0, plan: 0 };
  const client = {
    dataDir,
    consent: { honour: async () => ({ sent: 0 }), cancelCallbacks: async () => undefined },
    strategy: {
      watchSkills: async () => [],
      plan: async () => {
        calls.plan += 1;
        return {
          rows: [
            {
              recordId: "r1",
              phone: "+12125557601",
              accountId: "ACC-1",
              attemptAt: "2026-12-07T10:00:00-05:00",
              zone: "America/New_York",
              slot: 10,
              attempt: 1,
              estimate: 0.1,
              interval: [0.05, 0.15],
              ruledOut: [],
              staleMinutes: 59,
            },
          ],
        };
      },
      push: async () => {
        calls.push += 1;
        return push();
      },
      attempts: () => new ItemList(async function* () {}),
    },
    campaigns: {
      pause: async () => {
        calls.pause += 1;
        return {};
      },
    },
  } as unknown as CxoneClient;
  return { client, calls };
}

async function storeIn(name: string): Promise<{ store: Store; dataDir: string }> {
  const dataDir = path.join(dir, name);
  const store = await openStore(dataDir);
  stores.push(store);
  return { store, dataDir };
}

const at = (hhmm: string) => ({ nowMs: Date.parse(`2026-12-07T${hhmm}:00-05:00`) });

describe("a failing step", () => {
  it("a 503 is tried again at the next run; the campaign goes on, the plan file is pushed again", async () => {
    const { store, dataDir } = await storeIn("passing");
    let fail = true;
    const { client, calls } = stubClient(dataDir, async () => {
      if (fail) throw coded("server_error", "CXone answered 503");
      return { listId: "64", records: 1, source: "resumed", later: 0, heldForAccount: 0, heldRecords: [] };
    });
    const first = await runAutopilot(client, store, job(), at("07:05"));
    expect(first.campaigns[0]?.stopped).toBeUndefined();
    expect(first.campaigns[0]?.steps.at(-1)).toMatchObject({ step: "push", ok: false });
    fail = false;
    const second = await runAutopilot(client, store, job(), at("07:10"));
    expect(second.campaigns[0]?.steps.map((s) => [s.step, s.ok])).toEqual([
      ["watch", true],
      ["push", true],
    ]);
    // The same plan both times (planned once): an upload whose answer was lost is adopted.
    expect(calls).toMatchObject({ plan: 1, push: 2, pause: 0 });
    const day = (await loadState(store, "301")).day;
    expect(day).toMatchObject({ pushed: 1, lists: ["64"] });
    expect(day?.retried).toHaveLength(1);
  });

  it("a failed honour (CXone's DNC routes answering 503) does not stop the rest: the watch, the plan and the push go on (issue 101 §4)", async () => {
    const { store, dataDir } = await storeIn("honour-503");
    const { client, calls } = stubClient(dataDir, async () => ({
      listId: "65",
      records: 1,
      source: "created",
      later: 0,
      heldForAccount: 0,
      heldRecords: [],
    }));
    (client as unknown as { consent: { honour: () => Promise<unknown> } }).consent.honour = async () => {
      throw coded("server_error", "CXone answered 503 on the DNC routes");
    };
    const run = await runAutopilot(client, store, job(), at("07:05"));
    expect(run.honour.ok).toBe(false);
    expect(run.campaigns[0]?.stopped).toBeUndefined();
    expect(run.campaigns[0]?.steps.map((s) => [s.step, s.ok])).toEqual([
      ["watch", true],
      ["plan", true],
      ["push", true],
    ]);
    expect(calls).toMatchObject({ plan: 1, push: 1, pause: 0 });
    expect((await loadState(store, "301")).day?.retried).toEqual([
      expect.objectContaining({ step: "honour", text: expect.stringMatching(/503/) }),
    ]);
  });

  it("an honour that cannot judge (a DNC copy it cannot refresh) stops the campaign before anything is planned, said as the honour's failure", async () => {
    const { store, dataDir } = await storeIn("honour-stop");
    const { client, calls } = stubClient(dataDir, async () => {
      throw new Error("no push expected");
    });
    (client as unknown as { consent: { honour: () => Promise<unknown> } }).consent.honour = async () => {
      throw coded("cxone_dnc_copy_incomplete", "the DNC group's copy read 2 of 3 pages");
    };
    const run = await runAutopilot(client, store, job(), at("07:05"));
    expect(run.honour).toMatchObject({
      ok: false,
      failure: { kind: "stop", code: "cxone_dnc_copy_incomplete" },
    });
    expect(run.campaigns[0]?.stopped).toMatchObject({ code: "cxone_dnc_copy_incomplete" });
    expect(run.campaigns[0]?.stopped?.reason).toBe(
      "honour could not be judged: consent honour: the DNC group's copy read 2 of 3 pages",
    );
    expect(calls).toMatchObject({ plan: 0, push: 0, pause: 1 });
    expect((await loadState(store, "301")).stopped).toMatchObject({ code: "cxone_dnc_copy_incomplete" });
  });

  it("a refused push is tried again; the third refusal of the day stops the campaign", async () => {
    const { store, dataDir } = await storeIn("refused");
    const { client, calls } = stubClient(dataDir, async () => {
      throw coded("invalid_input", "plan row 1: attemptAt is outside the skill's hours");
    });
    for (const hhmm of ["07:05", "07:10"]) {
      const run = await runAutopilot(client, store, job(), at(hhmm));
      expect(run.campaigns[0]?.stopped).toBeUndefined();
    }
    const third = await runAutopilot(client, store, job(), at("07:15"));
    expect(third.campaigns[0]?.stopped).toMatchObject({ code: "invalid_input" });
    expect(third.campaigns[0]?.stopped?.reason).toMatch(/refused 3 times today/);
    // Each try planned afresh (a refused plan is not pushed again as it was).
    expect(calls).toMatchObject({ plan: 3, push: 3, pause: 1 });
  });

  it("an answer it cannot read stops the campaign: paused, audited, a signed event; nothing more until resumed", async () => {
    const { store, dataDir } = await storeIn("stop");
    const { client, calls } = stubClient(dataDir, async () => {
      throw coded("cxone_unreadable_answer", "GET skills/301/parameters answered without scheduleSettings");
    });
    const run = await runAutopilot(client, store, job(), at("07:05"));
    expect(run.campaigns[0]?.stopped).toMatchObject({ code: "cxone_unreadable_answer" });
    expect(calls.pause).toBe(1);
    const events = await store.db.all<{ type: string; destination: string; data: string }>(
      "SELECT type, destination, data FROM outbox WHERE type LIKE 'autopilot.%'",
    );
    expect(events.map((e) => [e.type, e.destination])).toEqual([["autopilot.stopped", "campaigns"]]);
    expect(JSON.parse(events[0]?.data ?? "{}").stopped.reason).toMatch(/scheduleSettings/);
    const audits = await store.db.all<{ operation: string }>(
      "SELECT operation FROM audit_log WHERE operation LIKE 'autopilot.%'",
    );
    expect(audits.map((a) => a.operation)).toEqual(["autopilot.stop"]);

    const later = await runAutopilot(client, store, job(), at("09:00"));
    expect(later.campaigns[0]?.steps).toEqual([expect.objectContaining({ step: "watch", ok: false })]);
    expect(calls.push).toBe(1);
  });
});

describe("the autopilot's clock only moves forward (issue 101 §3)", () => {
  it("a run on a clock before the campaign's last run is refused naming both instants, nothing written", async () => {
    const { store, dataDir } = await storeIn("clock-back");
    const { client, calls } = stubClient(dataDir, async () => ({
      listId: "66",
      records: 1,
      source: "created",
      later: 0,
      heldForAccount: 0,
      heldRecords: [],
    }));
    Object.assign((client as unknown as { strategy: Record<string, unknown> }).strategy, {
      attempts: () => new ItemList(async function* () {}),
    });
    await runAutopilot(client, store, job(), at("07:05"));
    const before = await loadState(store, "301");
    await expect(runAutopilot(client, store, job(), at("06:00"))).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(
        /CXO_CLOCK: reads 2026-12-07T06:00:00-05:00, before campaign 301's last run at 2026-12-07T07:05:00-05:00/,
      ),
    });
    expect(await loadState(store, "301")).toEqual(before);
    expect(calls).toMatchObject({ plan: 1, push: 1 });
  });
});

describe("a failure that passes for too long needs a person (issue 101 §5)", () => {
  it("past escalateAfterMinutes: an attention item once per episode (audit, signed event), open until a run goes through", async () => {
    const { store, dataDir } = await storeIn("attention");
    let fail = true;
    const { client } = stubClient(dataDir, async () => {
      if (fail) throw coded("server_error", "CXone answered 503");
      return { listId: "67", records: 1, source: "created", later: 0, heldForAccount: 0, heldRecords: [] };
    });
    const events = async () =>
      (await store.db.all<{ type: string }>("SELECT type FROM outbox WHERE type = 'autopilot.attention'"))
        .length;
    const runs: Array<Awaited<ReturnType<typeof runAutopilot>>> = [];
    for (const hhmm of ["07:05", "07:15", "07:25", "07:35", "07:45"])
      runs.push(await runAutopilot(client, store, job(), at(hhmm)));
    // 07:05 → 07:35 is 30 minutes of failing: escalated there, once.
    expect(runs.map((r) => r.campaigns[0]?.attention?.since ?? null)).toEqual([
      null,
      null,
      null,
      "2026-12-07T07:05:00-05:00",
      "2026-12-07T07:05:00-05:00",
    ]);
    expect(runs[3]?.campaigns[0]?.steps.at(-1)?.text).toMatch(
      /^needs attention: push has failed since 2026-12-07T07:05/,
    );
    expect(await events()).toBe(1);
    const audits = await store.db.all<{ operation: string }>(
      "SELECT operation FROM audit_log WHERE operation = 'autopilot.attention'",
    );
    expect(audits).toHaveLength(1);
    expect(runs.every((r) => r.campaigns[0]?.stopped === undefined)).toBe(true);
    fail = false;
    const through = await runAutopilot(client, store, job(), at("07:50"));
    expect(through.campaigns[0]?.attention).toBeUndefined();
    expect((await loadState(store, "301")).passing).toBeUndefined();
  });
});

describe("the job's bad input (issue 101)", () => {
  it("an evening before the morning, an escalateAfterMinutes of 0: exit 2 naming the setting", async () => {
    const { checkAutopilotJob } = await import("../../src/autopilot/job-input.ts");
    const base = {
      timeZone: "America/New_York",
      campaigns: [{ campaign: "301", kind: "sales", list: "l", model: "m" }],
    };
    expect(() =>
      checkAutopilotJob({
        ...base,
        campaigns: [{ ...base.campaigns[0], morning: "18:00", evening: "09:00" }],
      }),
    ).toThrow(/autopilot\.campaigns\.0\.evening: must be after morning/);
    expect(() => checkAutopilotJob({ ...base, escalateAfterMinutes: 0 })).toThrow(
      /autopilot\.escalateAfterMinutes: must be a number of minutes above 0/,
    );
  });
});

describe("a run never waits on cxo's own leases (issue 101 §2)", () => {
  it("its push waits seconds, not a minute, for another push of the same plan", async () => {
    const { store, dataDir } = await storeIn("lease-wait");
    let asked: { leaseWaitMs?: number } | undefined;
    const { client } = stubClient(dataDir, async () => ({
      listId: "68",
      records: 1,
      source: "created",
      later: 0,
      heldForAccount: 0,
      heldRecords: [],
    }));
    const strategy = (client as unknown as { strategy: Record<string, unknown> }).strategy;
    const push = strategy.push as () => Promise<unknown>;
    strategy.push = async (_rows: unknown, options: { leaseWaitMs?: number }) => {
      asked = options;
      return push();
    };
    await runAutopilot(client, store, job(), at("07:05"));
    expect(asked?.leaseWaitMs).toBeLessThanOrEqual(5_000);
  });
});

describe("the honour step is consent honour's (issue 104 §3)", () => {
  it("cancels CXone's scheduled callbacks to revoked numbers and says how many", async () => {
    const { store, dataDir } = await storeIn("callbacks");
    const { client } = stubClient(dataDir, async () => ({
      listId: "69",
      records: 1,
      source: "created",
      later: 0,
      heldForAccount: 0,
      heldRecords: [],
    }));
    (client as unknown as { consent: Record<string, unknown> }).consent.cancelCallbacks = async () => ({
      cancelled: [{ result: "deleted" }, { result: "gone" }],
      failed: [],
    });
    const run = await runAutopilot(client, store, job(), at("06:00"));
    expect(run.honour).toMatchObject({
      ok: true,
      text: "0 revocation(s) sent to CXone, 2 callback(s) cancelled",
    });
  });
});

describe("the day report says what it does not know (issue 104 §3)", () => {
  it("a consent report that fails is unknown revocations, not 0 overdue", async () => {
    const { store, dataDir } = await storeIn("report-unknown");
    const { client } = stubClient(dataDir, async () => ({
      listId: "70",
      records: 1,
      source: "created",
      later: 0,
      heldForAccount: 0,
      heldRecords: [],
    }));
    (client as unknown as { consent: Record<string, unknown> }).consent.report = async () => {
      throw coded("server_error", "CXone answered 503");
    };
    await runAutopilot(client, store, job(), at("07:05"));
    const evening = await runAutopilot(client, store, job(), at("21:05"));
    const report = evening.campaigns[0]?.report;
    expect(report?.revocations.unknown).toMatch(/the consent report could not be made: CXone answered 503/);
  });

  it("a step stopped while it gathers the day report (cxo serve's SIGTERM, its deadline) abandons the report; the next run writes it whole", async () => {
    const { store, dataDir } = await storeIn("report-abandoned");
    const { client } = stubClient(dataDir, async () => ({
      listId: "72",
      records: 1,
      source: "created",
      later: 0,
      heldForAccount: 0,
      heldRecords: [],
    }));
    const stop = new AbortController();
    let reads = 0;
    // The consent report's read is where the stop lands: the call ends with the run's signal.
    (client as unknown as { consent: Record<string, unknown> }).consent.report = async () => {
      reads += 1;
      if (reads === 1) {
        stop.abort();
        throw Object.assign(new Error("This operation was aborted"), { name: "AbortError" });
      }
      throw coded("server_error", "CXone answered 503");
    };
    await runAutopilot(client, store, job(), at("07:05"));
    await expect(
      runAutopilot(client, store, job(), { ...at("21:05"), signal: stop.signal }),
    ).rejects.toThrow();
    const { AUTOPILOT_REPORTS, reportKey } = await import("../../src/autopilot/state.ts");
    expect(await store.kv.get(AUTOPILOT_REPORTS, reportKey("301", "2026-12-07"))).toBeUndefined();
    const next = await runAutopilot(client, store, job(), at("21:10"));
    const report = next.campaigns[0]?.report;
    expect(report?.date).toBe("2026-12-07");
    expect(JSON.stringify(report)).not.toMatch(/aborted/);
  });
});

describe("a skill's change acted on by two watches", () => {
  it("records planned again for the first removal are not planned again for a second that took nothing out of their new list", async () => {
    const { SKILL_REMOVALS } = await import("../../src/strategy/skill-watch.ts");
    const { store, dataDir } = await storeIn("two-watches");
    let list = 80;
    const { client, calls } = stubClient(dataDir, async () => ({
      listId: String(list++),
      records: 1,
      source: "created",
      later: 0,
      heldForAccount: 0,
      heldRecords: [],
    }));
    await runAutopilot(client, store, job(), at("07:05"));
    expect(calls.push).toBe(1);
    // The autopilot's own watch took r1 out of the morning's list 80: planned again, list 81.
    await store.kv.set(SKILL_REMOVALS, "301", { at: "2026-12-07T17:00:00.000Z", removed: 1, lists: ["80"] });
    await runAutopilot(client, store, job(), at("12:05"));
    expect(calls.push).toBe(2);
    // cxo serve's watch acted on the same change: it took r1 out of list 80 again, not of 81.
    await store.kv.set(SKILL_REMOVALS, "301", { at: "2026-12-07T17:20:00.000Z", removed: 1, lists: ["80"] });
    await runAutopilot(client, store, job(), at("12:25"));
    expect(calls.push).toBe(2);
    // A removal from list 81 (the skill changed again) plans r1 again.
    await store.kv.set(SKILL_REMOVALS, "301", { at: "2026-12-07T17:40:00.000Z", removed: 1, lists: ["81"] });
    await runAutopilot(client, store, job(), at("12:45"));
    expect(calls.push).toBe(3);
  });
});

describe("status says when runs are missed (issue 101 §1)", () => {
  it("three intervals without a run: the next step says so first", async () => {
    const { autopilotStatus } = await import("../../src/autopilot/status.ts");
    const { store, dataDir } = await storeIn("overdue");
    const { client } = stubClient(dataDir, async () => ({
      listId: "71",
      records: 1,
      source: "created",
      later: 0,
      heldForAccount: 0,
      heldRecords: [],
    }));
    await runAutopilot(client, store, job(), at("07:05"));
    const soon = await autopilotStatus(store, job(), at("07:10").nowMs, undefined);
    expect(soon[0]?.next.text).not.toMatch(/no run since/);
    const late = await autopilotStatus(store, job(), at("07:30").nowMs, undefined);
    expect(late[0]?.next.text).toMatch(
      /^no run since 2026-12-07T07:05:00-05:00 \(every 5 min expected\): is cxo serve leading, or the cron running\? Then: /,
    );
  });
});
