import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InternalClient } from "../../src/client.ts";
import { openStore } from "../../src/core/store/index.ts";
import type { RunningEmulator } from "../../src/emulator/index.ts";
import type { Interaction } from "../../src/platform/types.ts";
import { runCli } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";
import {
  admin,
  clearRequestLog,
  emulator,
  interactionsWhere,
  noSecondary,
  requestLog,
  sdkClient,
  tempDir,
} from "./helpers.ts";

/** `cxo interactions …` as a user runs it: real processes against the emulator over HTTP. */

let emu: RunningEmulator;
let client: InternalClient;
let data: ReturnType<typeof tempDir>;
let env: Record<string, string>;
let pool: Interaction[];

const takeWithPrimary = (): Interaction => {
  const index = pool.findIndex((i) => i.dispositions.some((d) => d.code.startsWith("1")));
  if (index < 0) throw new Error("no fixture interaction with a 1xx code");
  return pool.splice(index, 1)[0] as Interaction;
};
const take = (): Interaction => {
  const next = pool.shift();
  if (!next) throw new Error("ran out of fixture interactions without 2xx codes");
  return next;
};
const cxo = (...args: string[]) => runCli(args, env, { cwd: data.dir, timeoutMs: 30_000 });
const codesOf = async (id: string) =>
  (await client.port.interactions.get(id)).interaction.dispositions.map((d) => d.code);

beforeAll(async () => {
  emu = await emulator();
  client = sdkClient(emu.url, emu.fixtures);
  data = tempDir();
  const { clientId, clientSecret } = admin(emu.fixtures);
  env = {
    CXONE_BASE_URL: emu.url,
    CXONE_CLIENT_ID: clientId,
    CXONE_CLIENT_SECRET: clientSecret,
    CXO_DATA_DIR: path.join(data.dir, "store"),
  };
  pool = await interactionsWhere(client, emu.fixtures, noSecondary);
});

afterAll(async () => {
  await client.close();
  await emu.close();
  data.remove();
});

describe("cxo interactions set-disposition: bad input", () => {
  it("exits 2 for each kind of bad input and sends no PATCH", async () => {
    const target = take();
    const withSecondary = (await interactionsWhere(client, emu.fixtures, (i) => !noSecondary(i)))[0];
    expect(withSecondary).toBeDefined();
    const withPrimary = takeWithPrimary();
    await clearRequestLog(emu.url);
    const base = ["--description", "Resolved", "--agent", "agent-1"];
    const cases: Array<[string, string[], RegExp]> = [
      [
        "no zone",
        [target.id, "--code", "101", ...base, "--timestamp", "2026-01-02T10:00:00"],
        /has no time zone/,
      ],
      [
        "not a date",
        [target.id, "--code", "101", ...base, "--timestamp", "2026-13-45T10:00:00Z"],
        /--timestamp/,
      ],
      ["unknown code", [target.id, "--code", "999", ...base], /unknown disposition code 999/],
      ["missing fields", [target.id], /--code: is required[\s\S]*--description[\s\S]*--agent/],
      ["bad id", ["a/b", "--code", "101", ...base], /interaction id/],
      ["empty etag", [target.id, "--code", "101", ...base, "--etag", ""], /--etag/],
      [
        "1xx on an interaction holding 2xx (mix only after merge)",
        [withSecondary?.id ?? "", "--code", "101", ...base],
        /primary \(1xx\) and secondary \(2xx\)/,
      ],
      ["2xx on an interaction holding 1xx", [withPrimary.id, "--code", "201", ...base], /cannot coexist/],
    ];
    // Through the CLI's entry point in one batch process: eight separate `cxo` starts cost
    // ~6.5 s of CPU for what one start and eight runs of main() show as well.
    const results = await runCliBatch(
      cases.map(([, args]) => ({ args: ["interactions", "set-disposition", ...args], env, cwd: data.dir })),
      1,
    );
    cases.forEach(([name, , message], i) => {
      expect(results[i]?.code, `${name}: ${results[i]?.stderr}`).toBe(2);
      expect(results[i]?.stderr, name).toMatch(message);
    });
    const patches = (await requestLog(emu.url)).filter((r) => r.method === "PATCH");
    expect(patches).toEqual([]);
  });
});

describe("cxo interactions set-disposition: optimistic locking", () => {
  it("10 concurrent calls on one interaction, each adding a different code, end with all 10 codes present", async () => {
    const target = take();
    const before = target.dispositions.map((d) => d.code);
    const codes = ["101", "102", "103", "104", "105", "106", "107", "108", "109", "110", "111", "112"]
      .filter((c) => !before.includes(c))
      .slice(0, 10);
    expect(codes).toHaveLength(10);
    const results = await Promise.all(
      codes.map((code, n) =>
        cxo(
          "--json",
          "interactions",
          "set-disposition",
          target.id,
          "--code",
          code,
          "--description",
          `fix ${code}`,
          "--agent",
          `agent-${n}`,
        ),
      ),
    );
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const docs = results.map((r) => JSON.parse(r.stdout));
    for (const doc of docs) {
      expect(doc).toMatchObject({ ok: true, outcome: "updated" });
      expect(doc.metrics).toMatchObject({ successes: 1, validationErrors: 0, failures: 0, errorRate: 0 });
      expect(doc.metrics.latencyMs.last).toBeGreaterThan(0);
    }
    const after = await codesOf(target.id);
    expect(after.sort()).toEqual([...new Set([...before, ...codes])].sort());

    const store = await openStore(env.CXO_DATA_DIR as string);
    try {
      const records = (await store.audit.tail(1000)).filter(
        (r) => r.target === target.id && r.operation === "interactions.set-disposition",
      );
      expect(records).toHaveLength(10);
      for (const record of records) {
        expect(record.outcome).toBe("done");
        const b = record.before as { etag: string };
        const a = record.after as { etag: string; codes: string[] };
        expect(b.etag).toMatch(/^W\/"/);
        expect(a.etag).toMatch(/^W\/"/);
        expect(a.etag).not.toBe(b.etag);
      }
      // Each PATCH that won produced a distinct new version.
      expect(new Set(records.map((r) => (r.after as { etag: string }).etag)).size).toBe(10);
      expect((await store.audit.verify()).ok).toBe(true);
      const events = (await store.outbox.list({ destination: "interactions", limit: 1000 })).filter(
        (e) => (e.data as { interactionId: string }).interactionId === target.id,
      );
      expect(events).toHaveLength(10);
    } finally {
      await store.close();
    }
  }, 120_000);

  it("a stale --etag is handled by re-reading and re-applying: the other edit survives", async () => {
    const target = take();
    const { etag: stale, interaction } = await client.port.interactions.get(target.id);
    const free = ["101", "102", "103", "104", "105", "106"].filter(
      (c) => !interaction.dispositions.some((d) => d.code === c),
    );
    const [theirs, ours] = free;
    // Someone else writes after we read: our ETag is now stale.
    await client.port.interactions.replaceDispositions(
      target.id,
      [
        ...interaction.dispositions,
        {
          code: theirs as string,
          description: "theirs",
          agentId: "agent-x",
          timestamp: "2026-01-02T09:00:00Z",
        },
      ],
      stale,
    );
    const result = await cxo(
      "--json",
      "interactions",
      "set-disposition",
      target.id,
      "--code",
      ours as string,
      "--description",
      "ours",
      "--agent",
      "agent-y",
      "--etag",
      stale,
      "--timestamp",
      "2026-01-02T10:00:00-05:00",
    );
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({ ok: true, staleEtag: true, givenEtag: stale, outcome: "updated" });
    expect(doc.beforeEtag).not.toBe(stale);
    expect(doc.metrics.conflicts).toBeGreaterThanOrEqual(1);
    const final = (await client.port.interactions.get(target.id)).interaction.dispositions;
    expect(final.find((d) => d.code === theirs)).toMatchObject({ description: "theirs", agentId: "agent-x" });
    expect(final.find((d) => d.code === ours)).toMatchObject({
      description: "ours",
      agentId: "agent-y",
      timestamp: "2026-01-02T10:00:00-05:00",
    });
    for (const d of interaction.dispositions) expect(final.map((e) => e.code)).toContain(d.code);
  });

  it("running the same request again sends nothing (exit 0, unchanged)", async () => {
    const target = take();
    const args = [
      "interactions",
      "set-disposition",
      target.id,
      "--code",
      "110",
      "--description",
      "again",
      "--agent",
      "a-1",
      "--timestamp",
      "2026-01-02T10:00:00Z",
    ];
    expect((await cxo(...args)).code).toBe(0);
    await clearRequestLog(emu.url);
    const second = await cxo("--json", ...args);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ outcome: "unchanged", patches: 0 });
    expect((await requestLog(emu.url)).filter((r) => r.method === "PATCH")).toEqual([]);
  });

  it("cxo interactions get prints the dispositions and the ETag", async () => {
    const target = take();
    const result = await cxo("--json", "interactions", "get", target.id);
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.id).toBe(target.id);
    expect(doc.etag).toMatch(/^W\/"/);
    expect(doc.dispositions.map((d: { code: string }) => d.code)).toEqual(
      target.dispositions.map((d) => d.code),
    );
  });
});

describe("no secret leaves in the audit log or the outbox", () => {
  it("audit records and interaction events hold no client secret, token or authorization", async () => {
    const { clientSecret } = admin(emu.fixtures);
    const token = await client.core.tokens.getToken();
    const store = await openStore(env.CXO_DATA_DIR as string);
    try {
      const records = await store.audit.tail(1000);
      const events = await store.outbox.list({ destination: "interactions", limit: 1000 });
      expect(records.length).toBeGreaterThan(0);
      expect(events.length).toBeGreaterThan(0);
      const event = events[0];
      expect(event?.type).toBe("interaction.disposition.set");
      expect(Object.keys(event?.data as object).sort()).toEqual(
        [
          "afterEtag",
          "agentId",
          "beforeEtag",
          "code",
          "codes",
          "description",
          "interactionId",
          "timestamp",
        ].sort(),
      );
      const text = JSON.stringify({ records, events });
      expect(text).not.toContain(clientSecret);
      expect(text).not.toContain(token);
      expect(text.toLowerCase()).not.toMatch(/bearer|authorization|access_token|client_secret/);
    } finally {
      await store.close();
    }
  });
});
