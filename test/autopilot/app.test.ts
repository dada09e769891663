import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, expectTypeOf, it, onTestFinished } from "vitest";
import { dayReportSchema } from "../../src/autopilot/day-report-schema.ts";
import { type AutopilotJobInput, checkAutopilotJob } from "../../src/autopilot/job-input.ts";
import { type AutopilotJob, runAutopilot } from "../../src/autopilot/run.ts";
import { dayReports, loadState } from "../../src/autopilot/state.ts";
import type { CxoneClient } from "../../src/client.ts";
import { autopilotCampaignSchema } from "../../src/core/config/autopilot-schema.ts";
import { ItemList } from "../../src/core/http/pagination.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { createAutopilot, createClient, InputError } from "../../src/index.ts";
import { autopilotAnswer } from "../../src/service/answers/panels.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import { pinClock } from "../support/pinned-clock.ts";

/**
 * The autopilot as an application over the SDK: every SDK call of a run carries the run's
 * signal (its deadline, cxo serve's stop), so a run aborted mid-step stops at its next call;
 * the job's input type is its schema's (the fields the schema accepts, the type accepts);
 * `createAutopilot(client, job)` is what `client.autopilot` runs. A stub client stands for
 * CXone where the calls are what is asserted (the end-to-end day is autopilot-cli.test.ts).
 */
const dir = mkdtempSync(path.join(tmpdir(), "cxo-autopilot-app-"));
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

const at = (hhmm: string, signal?: AbortSignal) => ({
  nowMs: Date.parse(`2026-12-07T${hhmm}:00-05:00`),
  ...(signal ? { signal } : {}),
});

const planRow = {
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
};

type Call = { method: string; signal: AbortSignal | undefined };

/**
 * A client whose every method records the options it was given (its last argument) and, as the
 * SDK does, refuses to start on an aborted signal. `during` runs inside a method (after the
 * check): a test aborts the run there.
 */
function recordingClient(dataDir: string, during: (method: string) => void = () => {}) {
  const calls: Call[] = [];
  const method =
    <T>(name: string, answer: () => T) =>
    async (...args: unknown[]): Promise<T> => {
      const options = args.at(-1) as { signal?: AbortSignal } | undefined;
      const signal = typeof options === "object" && options !== null ? options.signal : undefined;
      calls.push({ method: name, signal });
      signal?.throwIfAborted();
      during(name);
      return answer();
    };
  const client = {
    dataDir,
    consent: {
      honour: method("consent.honour", () => ({ sent: 0 })),
      cancelCallbacks: method("consent.cancelCallbacks", () => undefined),
      report: method("consent.report", () => ({
        revocations: 0,
        late: 0,
        overdue: 0,
        breached: 0,
        entries: [],
      })),
    },
    strategy: {
      watchSkills: method("strategy.watchSkills", () => []),
      plan: method("strategy.plan", () => ({ rows: [planRow] })),
      push: method("strategy.push", () => ({
        listId: "71",
        records: 1,
        source: "created",
        later: 0,
        heldForAccount: 0,
        heldRecords: [],
      })),
      // A listing, as the SDK's: the call is made (and recorded) when it is first iterated.
      attempts: (...args: unknown[]) =>
        new ItemList(async function* () {
          yield* await method("strategy.attempts", () => [])(...args);
        }),
    },
    campaigns: {
      pause: method("campaigns.pause", () => ({})),
      diagnose: method("campaigns.diagnose", () => ({ causes: [] })),
    },
    callerId: { health: method("callerId.health", () => []) },
  } as unknown as CxoneClient;
  return { client, calls };
}

async function storeIn(name: string): Promise<{ store: Store; dataDir: string }> {
  const dataDir = path.join(dir, name);
  const store = await openStore(dataDir);
  stores.push(store);
  return { store, dataDir };
}

describe("every SDK call of a run carries the run's signal", () => {
  it("the honour, the watch, the plan, the push, the dials and the day report's parts, morning to evening", async () => {
    const { store, dataDir } = await storeIn("signals");
    const { client, calls } = recordingClient(dataDir);
    const run = new AbortController();
    await runAutopilot(client, store, job(), at("07:05", run.signal));
    await runAutopilot(client, store, job(), at("21:05", run.signal));
    const methods = new Set(calls.map((c) => c.method));
    for (const expected of [
      "consent.honour",
      "consent.cancelCallbacks",
      "strategy.watchSkills",
      "strategy.plan",
      "strategy.push",
      "strategy.attempts",
      "consent.report",
      "campaigns.diagnose",
      "callerId.health",
    ])
      expect(methods).toContain(expected);
    expect(calls.filter((c) => c.signal === undefined).map((c) => c.method)).toEqual([]);
    // Each is the run's signal, or one the run's abort ends (the campaign's lease adds its own).
    run.abort(new Error("stopped"));
    expect(calls.every((c) => c.signal?.aborted)).toBe(true);
  });

  it("a run aborted during a step stops at its next call: the push is not made, nothing recorded", async () => {
    const { store, dataDir } = await storeIn("aborted");
    const run = new AbortController();
    const { client, calls } = recordingClient(dataDir, (method) => {
      if (method === "strategy.plan") run.abort(new Error("cxo serve stopping"));
    });
    await expect(runAutopilot(client, store, job(), at("07:05", run.signal))).rejects.toThrow(
      "cxo serve stopping",
    );
    // The push was asked with the aborted signal and refused to start; nothing after it.
    expect(calls.map((c) => c.method).slice(-2)).toEqual(["strategy.plan", "strategy.push"]);
    expect(calls.at(-1)?.signal?.aborted).toBe(true);
    // Abandoned, not a failure of the step: the next run takes the day up where the store says.
    const state = await loadState(store, "301");
    expect(state.day?.retried ?? []).toEqual([]);
    expect(state.stopped).toBeUndefined();
  });
});

describe("the day report is its schema's", () => {
  it("what a day's runs write parses as the schema (nothing beyond it) and as the board's answer", async () => {
    const { store, dataDir } = await storeIn("report");
    const { client } = recordingClient(dataDir);
    await runAutopilot(client, store, job(), at("07:05"));
    await runAutopilot(client, store, job(), at("21:05"));
    const [report, ...others] = await dayReports(store);
    expect(others).toEqual([]);
    expect(report).toMatchObject({ campaign: "301", kind: "collections", planned: 1, pushed: 1 });
    // The schema strips what it does not know: a field the autopilot writes beyond it would be lost here.
    expect(dayReportSchema.parse(report)).toEqual(report);
    // The board serves its part of the same report.
    const board = autopilotAnswer.parse({ configured: true, campaigns: [], reports: [report] });
    const {
      kind: _k,
      zone: _z,
      retried: _r,
      why: _w,
      suspectCallerIds: _s,
      evidence: _e,
      ...shown
    } = report as NonNullable<typeof report>;
    const { records: _records, ...held } = shown.held;
    expect(board.reports).toEqual([{ ...shown, held }]);
  });
});

describe("the job's input type is its schema's", () => {
  it("accepts retryUnanswered and restAfterConversationDays, and the check keeps them", () => {
    const input: AutopilotJobInput = {
      timeZone: "America/New_York",
      campaigns: [
        {
          campaign: "301",
          kind: "collections",
          list: "list.csv",
          model: "model.json",
          retryUnanswered: 2,
          restAfterConversationDays: 3,
        },
      ],
    };
    type CampaignInput = NonNullable<AutopilotJobInput["campaigns"]>[number];
    expectTypeOf<CampaignInput>().toHaveProperty("retryUnanswered");
    expectTypeOf<CampaignInput>().toHaveProperty("restAfterConversationDays");
    const checked = checkAutopilotJob(input);
    expect(checked.campaigns[0]).toMatchObject({ retryUnanswered: 2, restAfterConversationDays: 3 });
  });
});

describe("createAutopilot(client, job)", () => {
  const options = (name: string) => ({
    connection: { baseUrl: "http://127.0.0.1:9", clientId: "id", clientSecret: "secret" },
    dataDir: path.join(dir, name),
  });
  const section = {
    timeZone: "America/New_York",
    campaigns: [{ campaign: "301", kind: "sales" as const, list: "l.csv", model: "m.json" }],
  };

  it("is what client.autopilot runs: the same status from the same store, nothing sent", async () => {
    const clock = pinClock();
    onTestFinished(() => clock.restore());
    await using cxo = createClient(options("app-status"));
    const autopilot = createAutopilot(cxo, section);
    const own = await autopilot.status();
    // The next step's instant is "now" at each call (the clock runs): compared by its step.
    const steps = (rows: typeof own) => rows.map(({ next, ...rest }) => ({ ...rest, next: next.step }));
    expect(steps(own)).toEqual(steps(await cxo.autopilot.status(section)));
    expect(own).toMatchObject([{ campaign: "301", kind: "sales", state: "running", lastStep: null }]);
    expect(await autopilot.reports()).toEqual([]);
  });

  it("refuses what is not a client made by createClient with an InputError, nothing built", () => {
    expect(() => createAutopilot({} as never, section)).toThrow(InputError);
  });

  it("checks the job at the call: a bad one rejects with an InputError naming the field", async () => {
    await using cxo = createClient(options("app-bad"));
    const autopilot = createAutopilot(cxo, { ...section, timeZone: "Mars/Olympus" });
    const refused = autopilot.run();
    await expect(refused).rejects.toBeInstanceOf(InputError);
    await expect(refused).rejects.toMatchObject({ problems: [{ field: "autopilot.timeZone" }] });
  });
});
