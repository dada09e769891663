import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore, STORE_FILE } from "../../src/core/store/index.ts";
import { ClientClosedError, type CxoneClient, createClient, InputError } from "../../src/index.ts";

/**
 * `client.audit`: the data dir's hash-chained audit log through the SDK, on a client without a
 * connection (what `cxo audit verify | tail | export | anchor` run): a tampered record is found,
 * the records are read a page at a time with their filters, anchors are signed and checked.
 */
const KEY = "anchor-key-of-the-audit-group-test";
let dir: string;
let dataDir: string;
let cxo: CxoneClient;

async function seed(count: number): Promise<void> {
  const store = await openStore(dataDir);
  try {
    await store.audit.appendBatch(
      Array.from({ length: count }, (_, i) => ({
        operation: "campaigns.pause",
        target: `camp-${i + 1}`,
        outcome: "done" as const,
        actor: "test:seed",
      })),
    );
  } finally {
    await store.close();
  }
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "cxo-audit-group-"));
  dataDir = path.join(dir, "data");
  await seed(7);
  // The anchors' own file in the temp dir: nothing is written to the user's state directory.
  cxo = createClient({
    dataDir,
    actor: "test:audit",
    audit: { anchorKey: KEY, anchorFile: path.join(dir, "anchors-of-settings.jsonl") },
  });
});

afterEach(async () => {
  await cxo.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("client.audit.verify", () => {
  it("passes an intact chain, then names the first record edited behind its back", async () => {
    const intact = await cxo.audit.verify();
    expect(intact).toMatchObject({ ok: true, records: 7, firstBrokenAt: null });
    await cxo.close();
    const db = new DatabaseSync(path.join(dataDir, STORE_FILE));
    db.exec("UPDATE audit_log SET target = 'camp-999' WHERE seq = 4");
    db.close();
    cxo = createClient({ dataDir, actor: "test:audit" });
    const broken = await cxo.audit.verify();
    expect(broken).toMatchObject({ ok: false, firstBrokenAt: 4, records: 3 });
    expect(broken.reason).toContain("record 4");
  });

  it("checks the chain against an anchor file; a bad one is an InputError naming anchorFile", async () => {
    const file = path.join(dir, "anchors.jsonl");
    const sent = await cxo.audit.anchor({ file });
    expect(sent).toMatchObject({ file, destination: null, anchor: { seq: 7, kind: "cxo.audit.anchor" } });
    expect(JSON.parse(readFileSync(file, "utf8").trim())).toEqual(sent.anchor);
    const checked = await cxo.audit.verify({ anchorFile: file });
    expect(checked).toMatchObject({ ok: true, anchor: { ok: true, anchors: 1, latest: { seq: 7 } } });

    appendFileSync(file, "not json\n");
    const error = await cxo.audit.verify({ anchorFile: file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems).toEqual([
      { field: "anchorFile", rule: `"${file}" line 2 is not JSON` },
    ]);
    const empty = await cxo.audit.verify({ anchorFile: "" }).catch((e: unknown) => e);
    expect((empty as InputError).problems[0]?.field).toBe("anchorFile");
  });
});

describe("client.audit.anchor", () => {
  it("without an anchor key (SQLite store) refuses naming audit.anchorKey, nothing written", async () => {
    await cxo.close();
    cxo = createClient({ dataDir, actor: "test:audit" });
    const file = path.join(dir, "never.jsonl");
    const error = await cxo.audit.anchor({ file }).catch((e: unknown) => e);
    expect((error as InputError).problems[0]?.field).toBe("audit.anchorKey");
    expect(() => readFileSync(file)).toThrow();
  });

  it("a short anchor key is an InputError naming audit.anchorKey when the client is made", () => {
    expect(() => createClient({ dataDir, audit: { anchorKey: "short" } })).toThrow(InputError);
  });
});

describe("client.audit.records", () => {
  it("pages through every record oldest first, and filters by last and after", async () => {
    const all = [];
    for await (const record of cxo.audit.records({ pageSize: 2 })) all.push(record);
    expect(all.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(all[0]).toMatchObject({ operation: "campaigns.pause", target: "camp-1", actor: "test:seed" });

    expect((await cxo.audit.records({ last: 3 }).toArray()).map((r) => r.seq)).toEqual([5, 6, 7]);
    expect((await cxo.audit.records({ after: 5, pageSize: 1 }).toArray()).map((r) => r.seq)).toEqual([6, 7]);
    expect(await cxo.audit.records({ after: 7 }).toArray()).toEqual([]);
    // The default page reads them all at once; the result is the same.
    expect((await cxo.audit.records().toArray()).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("bad filters are InputErrors naming the field", async () => {
    const fieldOf = async (params: object) =>
      (
        (await cxo.audit
          .records(params)
          .toArray()
          .catch((e: unknown) => e)) as InputError
      ).problems[0]?.field;
    expect(await fieldOf({ last: 0 })).toBe("last");
    expect(await fieldOf({ last: 1.5 })).toBe("last");
    expect(await fieldOf({ after: -1 })).toBe("after");
    expect(await fieldOf({ pageSize: 1001 })).toBe("pageSize");
    expect(await fieldOf({ last: 2, after: 1 })).toBe("last");
  });
});

describe("after close()", () => {
  it("every method is refused with ClientClosedError", async () => {
    await cxo.close();
    await expect(cxo.audit.verify()).rejects.toBeInstanceOf(ClientClosedError);
    await expect(cxo.audit.anchor()).rejects.toBeInstanceOf(ClientClosedError);
    await expect(cxo.audit.records().toArray()).rejects.toBeInstanceOf(ClientClosedError);
  });

  it("an aborted signal refuses the call", async () => {
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(cxo.audit.verify({}, { signal: controller.signal })).rejects.toThrow("stop");
  });
});

describe("client.audit.records({ follow })", () => {
  it("hands over each record appended after the tail, on the client's clock, and ends on the signal", async () => {
    // A clock whose schedule the test runs: the follower's waits are these timers, not the wall's.
    const due: Array<{ fn: () => void; ms: number }> = [];
    const clock = {
      now: () => Date.parse("2026-12-07T12:00:00Z"),
      setTimeout: (fn: () => void, ms: number) => {
        const timer = { fn, ms };
        due.push(timer);
        return timer;
      },
      clearTimeout: (timer: unknown) => {
        const at = due.indexOf(timer as (typeof due)[number]);
        if (at >= 0) due.splice(at, 1);
      },
    };
    const follower = createClient({ dataDir, actor: "test:follow", clock });
    const stop = new AbortController();
    const seen: number[] = [];
    let waited = (): void => undefined;
    const arrived = (count: number) =>
      new Promise<void>((resolve) => {
        waited = () => {
          if (seen.length >= count) resolve();
        };
        waited();
      });
    const following = (async () => {
      for await (const record of follower.audit.records(
        { last: 2, follow: { intervalMs: 250 } },
        { signal: stop.signal },
      )) {
        seen.push(record.seq);
        waited();
      }
    })();
    await arrived(2);
    expect(seen).toEqual([6, 7]);
    await seed(3);
    // Nothing new is read until the clock's interval has passed.
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([6, 7]);
    const sleeping = async () => {
      while (due.length === 0) await new Promise((resolve) => setImmediate(resolve));
      return due.splice(0, 1)[0] as (typeof due)[number];
    };
    const timer = await sleeping();
    expect(timer.ms).toBe(250);
    timer.fn();
    await arrived(5);
    expect(seen).toEqual([6, 7, 8, 9, 10]);
    await sleeping(); // waiting again
    stop.abort();
    await following; // the listing ends, without an error
    expect(seen).toEqual([6, 7, 8, 9, 10]);
    const bad = await follower.audit
      .records({ follow: { intervalMs: 0 } })
      .toArray()
      .catch((error: unknown) => error);
    expect(bad).toMatchObject({ problems: [{ field: "follow.intervalMs" }] });
    await follower.close();
  });
});

describe("client.audit.records({ follow }) and close()", () => {
  it("the client's close() ends a follow with ClientClosedError (not the quiet end of the caller's stop)", async () => {
    const follower = createClient({ dataDir, actor: "test:follow-close" });
    const following = (async () => {
      for await (const _ of follower.audit.records({ follow: { intervalMs: 60_000 } })) {
        // the seven records, then the wait for more
      }
    })();
    const ended = following.catch((error: unknown) => error);
    // The follower is waiting once it has read the seven records; close() ends its wait.
    await new Promise((resolve) => setImmediate(resolve));
    await follower.close();
    expect(await ended).toBeInstanceOf(ClientClosedError);
  });
});
