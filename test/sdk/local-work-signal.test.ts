import { closeSync, mkdirSync, mkdtempSync, openSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import * as sdk from "../../src/index.ts";
import type { ListRow } from "../../src/strategy/list-format.ts";
import type { Model } from "../../src/strategy/model-format.ts";
import { holdoutStart, history as knownLiftHistory } from "../strategy/known-lift-history.ts";
import { useFakeTimeouts } from "../support/fake-timeouts.ts";
import { waitUntil } from "../support/wait-until.ts";

/**
 * Issue 80 §2: the SDK's local work (strategy learn, plan and evaluate; campaigns.diagnose) checks
 * its call's signal per item and gives the event loop a turn between slices, so a call rejects
 * with DeadlineExceededError once its deadline passes, and with ClientClosedError once `close()`
 * is called, on an input of any size. What is asserted is how much of the input the call read
 * after that (one look's worth at most), never how long it took (issue 93 §4: 1 s bounds failed
 * at 1.1–1.3 s on a loaded machine). The deadline runs on fake timers (only setTimeout, which
 * its timer is; the work's slices and the event loop run as usual), so it passes when the test
 * says: at a chosen item of a streamed input, or once a call on a file or a dataset is under way.
 * The inputs are lazy and far larger than the call reads: the old behaviour (the whole input
 * worked through first) would hold the test until its timeout.
 */
let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = (await startEmulator({ port: 0, calls: 20, metricsIntervalMs: 0 })) as RunningEmulator;
});
afterAll(() => emulator.close());
afterEach(() => {
  vi.useRealTimers();
});

function client(): sdk.CxoneClient {
  const admin = emulator.fixtures.clients[0]!;
  return sdk.createClient({
    connection: { baseUrl: emulator.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
    dataDir: mkdtempSync(path.join(tmpdir(), "cxo-local-signal-")),
  });
}

const failureOf = (call: () => Promise<unknown>): Promise<unknown> =>
  call().then(
    () => undefined,
    (error: unknown) => error,
  );

/** Miami and Dallas numbers, one call an hour from 2026-01-05 on, answered at 18:00 UTC only: `count` of them, lazily. */
function* records(count: number): Generator<sdk.OutcomeRecord> {
  const start = Date.UTC(2026, 0, 5);
  for (let i = 0; i < count; i++) {
    const rpc = i % 24 === 18;
    yield {
      campaignId: "C1",
      startTime: new Date(start + (i % (24 * 60)) * 3_600_000).toISOString(),
      phoneNumber: `+1${i % 2 === 0 ? "305" : "214"}555${String(2000 + (i % 8000)).padStart(4, "0")}`,
      dispositionCode: rpc ? "CONVERTED" : "NO_ANSWER",
      agentId: rpc ? "A1" : null,
      durationSeconds: rpc ? 120 : 0,
    };
  }
}

/** A calling list of `count` records, lazily. */
function* listRows(count: number): Generator<ListRow> {
  for (let i = 0; i < count; i++)
    yield { recordId: `r${i}`, phone: `+1305555${String(i % 10_000).padStart(4, "0")}`, consent: true };
}

const BIG = 50_000_000;
/** The item at which a streamed input's deadline passes, or close() is called. */
const AT = 10_000;
/**
 * How far past the abort a call may read: one look of the signal slices (src/core/signal-slices.ts
 * looks at the clock every 256 items; the signal itself is checked at every item).
 */
const ONE_LOOK = 256;

/** A model learned by a client of its own, closed after. */
async function learnedBy(learn: (c: sdk.CxoneClient) => Promise<Model>): Promise<Model> {
  const c = client();
  try {
    return await learn(c);
  } finally {
    await c.close();
  }
}
const planParams = { from: "2026-03-02T00:00:00-05:00", days: 2, campaign: "C1" };

/** The deadline's timer on the fake clock: it passes only when the test advances it. */
const fakeDeadlineClock = useFakeTimeouts;
/** A 1 ms deadline passes. */
const deadlinePasses = () => vi.advanceTimersByTime(1);
/** One turn of the event loop (a real setImmediate: the fake clock does not hold it). */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The items, counting how many the call has read (`read.count`, `read.all` once every one was); `at(count)` runs at each. */
function counted<T>(
  items: Iterable<T>,
  length = Number.POSITIVE_INFINITY,
  at: (count: number) => void = () => {},
) {
  const read = { count: 0, all: false };
  const stream = (function* () {
    for (const item of items) {
      read.count++;
      read.all = read.count >= length;
      at(read.count);
      yield item;
    }
  })();
  return { stream, read };
}

/**
 * A call on a streamed input whose 1 ms deadline passes as item `AT` is read: it rejects with
 * DeadlineExceededError, having read at most one look past that item.
 */
async function stopsAtDeadline<T>(
  items: Iterable<T>,
  call: (c: sdk.CxoneClient, stream: Iterable<T>) => Promise<unknown>,
) {
  const c = client();
  try {
    fakeDeadlineClock();
    const { stream, read } = counted(items, Number.POSITIVE_INFINITY, (count) => {
      if (count === AT) deadlinePasses();
    });
    const error = await failureOf(() => call(c, stream));
    expect(error).toBeInstanceOf(sdk.DeadlineExceededError);
    expect(read.count).toBeGreaterThanOrEqual(AT);
    expect(read.count - AT).toBeLessThanOrEqual(ONE_LOOK);
  } finally {
    vi.useRealTimers();
    await c.close();
  }
}

/**
 * A call on a file, a dataset or CXone (inputs the call reads itself, so not counted), whose 1 ms
 * deadline passes once it is under way (still pending after a turn of the event loop: it does
 * not hold the loop): it rejects with DeadlineExceededError; then `after` checks what it left.
 */
async function boundedByDeadline(
  call: (c: sdk.CxoneClient) => Promise<unknown>,
  after: (c: sdk.CxoneClient) => Promise<void> = async () => {},
) {
  const c = client();
  try {
    fakeDeadlineClock();
    let settled = false;
    const failing = failureOf(() => call(c)).finally(() => {
      settled = true;
    });
    await turn();
    expect(settled, "the call ended before its deadline").toBe(false);
    deadlinePasses();
    vi.useRealTimers();
    expect(await failing).toBeInstanceOf(sdk.DeadlineExceededError);
    await after(c);
  } finally {
    vi.useRealTimers();
    await c.close();
  }
}

/**
 * The call rejects with ClientClosedError when close() is called mid-run (once `underWay`
 * holds); `read` (a counted input), when given, shows it read at most one look after close().
 */
async function boundedByClose(
  call: (c: sdk.CxoneClient) => Promise<unknown>,
  underWay: () => boolean,
  read?: { count: number },
) {
  const c = client();
  const running = failureOf(() => call(c));
  await waitUntil(underWay, { what: "the call to be under way", timeoutMs: 60_000 });
  const readAtClose = read?.count ?? 0;
  await c.close();
  expect(await running).toBeInstanceOf(sdk.ClientClosedError);
  if (read) expect(read.count - readAtClose).toBeLessThanOrEqual(ONE_LOOK);
}

describe("strategy.learn is bounded by its signal", () => {
  it("records of any size: DeadlineExceededError within one look of its deadline", async () => {
    await stopsAtDeadline(records(BIG), (c, stream) =>
      c.strategy.learn(stream, { campaign: "C1" }, { deadlineMs: 1 }),
    );
  });

  it("records of any size: ClientClosedError within one look of close()", async () => {
    const { stream, read } = counted(records(BIG));
    await boundedByClose(
      (c) => c.strategy.learn(stream, { campaign: "C1" }),
      () => read.count > 0,
      read,
    );
  });

  // 200,000 rows: the old code read a dataset of any size to the end, so any size shows the
  // check; 2,000,000 cost 3.8 s of the suite (most of it DuckDB writing them), for nothing more.
  it("a Parquet dataset (written to a temp dir): DeadlineExceededError once its deadline passes", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-signal-dataset-"));
    mkdirSync(path.join(dir, "date=2026-01-05"));
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const instance = await DuckDBInstance.create(":memory:");
    const db = await instance.connect();
    await db.run(
      `COPY (SELECT 'C1' AS campaign_id, TIMESTAMP '2026-01-05 00:00:00' + to_hours(i % 1440) AS start_time,
                    '+1305555' || lpad(CAST(i % 10000 AS VARCHAR), 4, '0') AS phone_number,
                    CASE WHEN i % 24 = 18 THEN 'A1' END AS agent_id,
                    CASE WHEN i % 24 = 18 THEN 'CONVERTED' ELSE 'NO_ANSWER' END AS disposition_code,
                    '{}'::JSON AS extra
             FROM range(200000) t(i))
       TO '${path.join(dir, "date=2026-01-05", "part-0.parquet")}' (FORMAT parquet)`,
    );
    db.closeSync();
    instance.closeSync();
    await boundedByDeadline((c) =>
      c.strategy.learn(
        { dataset: dir },
        { campaign: "C1", keys: ["state", "attemptBucket"] },
        { deadlineMs: 1 },
      ),
    );
  });

  it("a normal call gives the same model with and without a signal", async () => {
    const c = client();
    try {
      const plain = await c.strategy.learn(records(5_000), { campaign: "C1" });
      const bounded = await c.strategy.learn(records(5_000), { campaign: "C1" }, { deadlineMs: 60_000 });
      expect(bounded).toEqual(plain);
    } finally {
      await c.close();
    }
  });
});

describe("strategy.plan is bounded by its signal", () => {
  const model = () => learnedBy((c) => c.strategy.learn(records(5_000), { campaign: "C1" }));

  it("a list of any size: DeadlineExceededError within one look of its deadline", async () => {
    const learned = await model();
    await stopsAtDeadline(listRows(BIG), (c, stream) =>
      c.strategy.plan(stream, learned, planParams, { deadlineMs: 1 }),
    );
  });

  it("a list of any size: ClientClosedError within one look of close()", async () => {
    const learned = await model();
    const { stream, read } = counted(listRows(BIG));
    await boundedByClose(
      (c) => c.strategy.plan(stream, learned, { ...planParams, onRow: () => {} }),
      () => read.count > 0,
      read,
    );
  });

  it("a collections list (read in full, then planned): DeadlineExceededError once its deadline passes", async () => {
    const learned = await model();
    const rows = [...listRows(200_000)].map((row, i) => ({ ...row, accountId: `a${i}` }));
    await boundedByDeadline((c) =>
      c.strategy.plan(rows, learned, { ...planParams, kind: "collections" }, { deadlineMs: 1 }),
    );
  });

  it("a normal call plans the same rows with and without a signal", async () => {
    const learned = await model();
    const c = client();
    try {
      const plain = await c.strategy.plan(listRows(2_000), learned, planParams);
      const bounded = await c.strategy.plan(listRows(2_000), learned, planParams, { deadlineMs: 60_000 });
      expect(bounded.rows.length).toBeGreaterThan(0);
      expect(bounded).toEqual(plain);
    } finally {
      await c.close();
    }
  });
});

describe("strategy.evaluate is bounded by its signal", () => {
  const evaluated = knownLiftHistory((hour) => (hour >= 17 ? 0.4 : 0.1));
  const learned = () =>
    learnedBy((c) => c.strategy.learn(evaluated, { campaign: "C1", keys: ["state"], to: holdoutStart }));

  it("a history of any size: DeadlineExceededError within one look of its deadline", async () => {
    const model = await learned();
    await stopsAtDeadline(records(BIG), (c, stream) =>
      c.strategy.evaluate(stream, model, { holdoutDays: 14 }, { deadlineMs: 1 }),
    );
  });

  // Ten million resamples: the old behaviour (every resample first) outlasts the test's timeout.
  it("many resamples: ClientClosedError once close() is called", async () => {
    const model = await learned();
    // Under way once the whole history is read: then it is resampling.
    const { stream, read } = counted(evaluated, evaluated.length);
    await boundedByClose(
      (c) => c.strategy.evaluate(stream, model, { holdoutDays: 14, resamples: 10_000_000 }),
      () => read.all,
    );
  });

  it("a normal call gives the same evaluation with and without a signal", async () => {
    const model = await learned();
    const c = client();
    try {
      const plain = await c.strategy.evaluate(evaluated, model, { holdoutDays: 14, resamples: 200 });
      const bounded = await c.strategy.evaluate(
        evaluated,
        model,
        { holdoutDays: 14, resamples: 200 },
        { deadlineMs: 60_000 },
      );
      expect(bounded).toEqual(plain);
    } finally {
      await c.close();
    }
  });
});

describe("campaigns.diagnose is bounded by its signal", () => {
  it("DeadlineExceededError once its deadline passes, not a diagnosis of CXone unreachable", async () => {
    const campaignId = emulator.fixtures.campaigns[0]!.id;
    await boundedByDeadline((c) => c.campaigns.diagnose({ campaignId }, { deadlineMs: 1 }));
  });

  it("ClientClosedError once close() is called; a normal call gives the same diagnosis with and without a signal", async () => {
    const campaignId = emulator.fixtures.campaigns[0]!.id;
    let asked = false;
    await boundedByClose(
      (c) => {
        const answer = c.campaigns.diagnose({ campaignId });
        asked = true;
        return answer;
      },
      () => asked,
    );
    const c = client();
    try {
      const at = new Date().toISOString();
      const plain = await c.campaigns.diagnose({ campaignId, at });
      const bounded = await c.campaigns.diagnose({ campaignId, at }, { deadlineMs: 60_000 });
      expect(bounded).toEqual(plain);
    } finally {
      await c.close();
    }
  });
});

/**
 * A file of `count` lines written in blocks of one repeated chunk (`lineOf(i)` for i < 10,000):
 * megabytes in a few milliseconds, far more than a call reads before its deadline or close().
 */
function bigFile(name: string, header: string, count: number, lineOf: (i: number) => string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "cxo-signal-file-")), name);
  const block = Array.from({ length: 10_000 }, (_, i) => `${lineOf(i)}\n`).join("");
  const fd = openSync(file, "w");
  try {
    if (header) writeSync(fd, `${header}\n`);
    for (let written = 0; written < count; written += 10_000) writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
  return file;
}

/** An outcomes export (NDJSON) of `count` records over five caller ids, each answered one time in seven. */
function historyFile(count: number): string {
  const start = Date.UTC(2026, 9, 5);
  return bigFile("history.ndjson", "", count, (i) =>
    JSON.stringify({
      id: String(i),
      campaignId: "C1",
      startTime: new Date(start + i * 60_000).toISOString(),
      phoneNumber: `+1305555${String(2000 + i).padStart(4, "0")}`,
      dispositionCode: i % 7 === 0 ? "CONVERTED" : "NO_ANSWER",
      agentId: i % 7 === 0 ? "A1" : null,
      durationSeconds: i % 7 === 0 ? 60 : 0,
      callerId: `+1800555010${i % 5}`,
    }),
  );
}

describe("callerId.health is bounded by its signal", () => {
  // 100,000 records (about 23 MB): still being read when the deadline passes. (The old code
  // read a file whole first; how much a call reads past its abort is shown on the streams above.)
  it("a history file: DeadlineExceededError once its deadline passes", async () => {
    const history = historyFile(100_000);
    await boundedByDeadline((c) => c.callerId.health({ history }, { deadlineMs: 1 }));
  });

  it("a history file: ClientClosedError once close() is called", async () => {
    const history = historyFile(100_000);
    let asked = false;
    await boundedByClose(
      (c) => {
        const answer = c.callerId.health({ history });
        asked = true;
        return answer;
      },
      () => asked,
    );
  });

  it("a Parquet dataset: DeadlineExceededError, not the rows, past a 1 ms deadline", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-signal-callerid-dataset-"));
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const instance = await DuckDBInstance.create(":memory:");
    const db = await instance.connect();
    await db.run(
      `COPY (SELECT 'C1' AS campaign_id, TIMESTAMP '2026-10-05 00:00:00' + to_minutes(i) AS start_time,
                    '+1800555010' || CAST(i % 5 AS VARCHAR) AS caller_id,
                    CASE WHEN i % 7 = 0 THEN 'A1' END AS agent_id
             FROM range(200000) t(i))
       TO '${path.join(dir, "part-0.parquet")}' (FORMAT parquet)`,
    );
    db.closeSync();
    instance.closeSync();
    await boundedByDeadline((c) => c.callerId.health({ dataset: dir }, { deadlineMs: 1 }));
  });

  it("a normal call gives the same rows with and without a signal", async () => {
    const history = historyFile(5_000);
    const c = client();
    try {
      const plain = await c.callerId.health({ history });
      const bounded = await c.callerId.health({ history }, { deadlineMs: 60_000 });
      expect(plain).toHaveLength(5);
      expect(bounded).toEqual(plain);
    } finally {
      await c.close();
    }
  });
});

/** A revocations CSV of `count` rows (10,000 numbers, repeated). */
const revocationsFile = (count: number) =>
  bigFile(
    "revocations.csv",
    "phone,at,channel",
    count,
    (i) => `+1305555${String(i % 10_000).padStart(4, "0")},2026-10-05T10:00:00Z,call`,
  );

describe("consent.import is bounded by its signal", () => {
  // 200,000 rows (about 9 MB), checked whole before the first batch: the deadline passes during
  // that check, and nothing is recorded.
  it("a file: DeadlineExceededError once its deadline passes, nothing recorded", async () => {
    const file = revocationsFile(200_000);
    await boundedByDeadline(
      (c) => c.consent.import({ file }, { deadlineMs: 1 }),
      async (c) => expect((await c.consent.report({ from: "2026-10-01T00:00:00Z" })).entries).toEqual([]),
    );
  });

  it("a file: ClientClosedError once close() is called", async () => {
    const file = revocationsFile(200_000);
    let asked = false;
    await boundedByClose(
      (c) => {
        const answer = c.consent.import({ file });
        asked = true;
        return answer;
      },
      () => asked,
    );
  });
});
