import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import * as sdk from "../../src/index.ts";
import { adminCall } from "../support/emulator-admin.ts";

/**
 * Issue 68 §1: "every parameter is checked as a whole before anything is sent". The single-field
 * walk (every-method.test.ts) gives each method one bad argument; here each write gets a request
 * that is right in every part but one — valid settings with a bad wait, a valid campaign with bad
 * request options — and must be refused whole: an InputError naming the part, and no write in
 * the emulator's request log. (`dialer.apply(cfg, { waitFor: … })` once sent its PUT and threw a
 * raw RangeError from the waiter afterwards.)
 */
let emulator: RunningEmulator;
let client: sdk.CxoneClient;
let campaignId = "";
const config = parse(readFileSync("examples/dialer.yaml", "utf8")) as Record<string, unknown>;

beforeAll(async () => {
  emulator = (await startEmulator({ port: 0, calls: 20, metricsIntervalMs: 0 })) as RunningEmulator;
  const admin = emulator.fixtures.clients[0]!;
  client = sdk.createClient({
    connection: { baseUrl: emulator.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
    dataDir: mkdtempSync(path.join(tmpdir(), "cxo-combinations-")),
  });
  campaignId = emulator.fixtures.campaigns[0]!.id;
});
afterAll(async () => {
  await client?.close();
  await emulator?.close();
});

/** Request options that are wrong in one way each, and the field the refusal must name. */
const BAD_OPTIONS: Array<{ options: unknown; names: string }> = [
  { options: { deadlineMs: -1 }, names: "deadlineMs" },
  { options: { deadlineMs: Number.NaN }, names: "deadlineMs" },
  { options: { maxAttempts: 0 }, names: "maxAttempts" },
  { options: { maxAttempts: 2.5 }, names: "maxAttempts" },
  { options: { signal: "stop" }, names: "signal" },
  { options: { signal: {} }, names: "signal" },
  { options: { deadlineMs: 1000, maxAttempts: 50 }, names: "maxAttempts" },
  { options: "fast", names: "options" },
  { options: [], names: "options" },
  // A key that is not a request option once ran with no deadline and no warning.
  { options: { timeout: 5000 }, names: "timeout" },
  { options: { deadline: 5_000 }, names: "deadline" },
  { options: { deadlineMs: 60_000, retries: 3 }, names: "retries" },
];

/** Waits that are wrong in one way each (apply and rollback take them in their params). */
const BAD_WAITS: Array<{ params: Record<string, unknown>; names: string }> = [
  { params: { waitFor: { maxWaitMs: -1 } }, names: "waitFor.maxWaitMs" },
  { params: { waitFor: { minDelayMs: 9000, maxDelayMs: 1000 } }, names: "waitFor" },
  { params: { waitFor: { minDelayMs: "1s" } }, names: "waitFor.minDelayMs" },
  { params: { waitFor: "soon" }, names: "waitFor" },
  {
    params: { rollbackWaitFor: { maxWaitMs: Number.POSITIVE_INFINITY } },
    names: "rollbackWaitFor.maxWaitMs",
  },
];

/** Each write with arguments valid in every part, the request options last. */
const WRITES: Array<{
  name: string;
  call: (options: unknown, params?: Record<string, unknown>) => Promise<unknown>;
}> = [
  {
    name: "dialer.apply",
    call: (o, p) => client.dialer.apply(config as never, (p ?? {}) as never, o as never),
  },
  { name: "dialer.rollback", call: (o, p) => client.dialer.rollback((p ?? {}) as never, o as never) },
  { name: "campaigns.pause", call: (o) => client.campaigns.pause(campaignId, o as never) },
  { name: "campaigns.resume", call: (o) => client.campaigns.resume(campaignId, o as never) },
  {
    name: "dispositions.tag",
    call: (o) =>
      client.dispositions.tag(campaignId, { callId: "call-1", dispositionCodeId: "CONVERTED" }, o as never),
  },
  { name: "consent.revoke", call: (o) => client.consent.revoke({ phone: "+12125550999" }, o as never) },
];

type Logged = { method: string; path: string };
const logged = async () =>
  ((await adminCall(emulator.url, "GET", "/requests")) as { requests: Logged[] }).requests;
const writesLogged = async () =>
  (await logged()).filter((r) => r.method !== "GET" && !r.path.includes("token")).length;

async function refusal(call: () => Promise<unknown>): Promise<{ error: unknown; wrote: number }> {
  const before = await writesLogged();
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, wrote: (await writesLogged()) - before };
}

const named = (error: unknown) => JSON.stringify((error as sdk.InputError).problems ?? []);

describe("a request wrong in one part is refused whole, before anything is sent", () => {
  it("every write × every bad request option: an InputError naming it, no write sent", async () => {
    const wrong: string[] = [];
    for (const write of WRITES)
      for (const bad of BAD_OPTIONS) {
        const { error, wrote } = await refusal(() => write.call(bad.options));
        if (!(error instanceof sdk.InputError) || !named(error).includes(bad.names) || wrote > 0)
          wrong.push(`${write.name} ${JSON.stringify(bad.options)}: ${String(error)}; ${wrote} writes sent`);
      }
    expect(wrong).toEqual([]);
  });

  it("apply and rollback × every bad wait, alone and with a bad option: refused whole, no write sent", async () => {
    const wrong: string[] = [];
    for (const write of WRITES.filter((w) => w.name.startsWith("dialer.")))
      for (const wait of BAD_WAITS)
        for (const options of [undefined, { deadlineMs: 60_000 }, { deadlineMs: -1 }]) {
          const { error, wrote } = await refusal(() => write.call(options, wait.params));
          const rightName = options?.deadlineMs === -1 ? /deadlineMs|waitFor|rollbackWaitFor/ : wait.names;
          const ok =
            error instanceof sdk.InputError &&
            (typeof rightName === "string"
              ? named(error).includes(rightName)
              : rightName.test(named(error))) &&
            wrote === 0;
          if (!ok)
            wrong.push(
              `${write.name} ${JSON.stringify(wait.params)} ${JSON.stringify(options)}: ${String(error)}; ${wrote} writes`,
            );
        }
    expect(wrong).toEqual([]);
  });

  it("a key that is not a request option, on a read, a listing or a write: an InputError naming it and listing the known ones; no request at all", async () => {
    const calls: Array<[string, (options: unknown) => unknown]> = [
      ["access.describe", (o) => client.access.describe({}, o as never)],
      ["campaigns.get", (o) => client.campaigns.get(campaignId, o as never)],
      ["campaigns.list", (o) => client.campaigns.list({}, o as never).toArray()],
      ["dispositions.codes", (o) => client.dispositions.codes(campaignId, o as never)],
      ["campaigns.pause", (o) => client.campaigns.pause(campaignId, o as never)],
    ];
    const wrong: string[] = [];
    for (const [name, call] of calls)
      for (const options of [{ timeout: 5000 }, { deadline: 5_000, signal: new AbortController().signal }]) {
        const before = (await logged()).length;
        const error = await Promise.resolve()
          .then(() => call(options))
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        const sent = (await logged()).length - before;
        const key = Object.keys(options)[0]!;
        const problem = (error as sdk.InputError | undefined)?.problems?.find((p) => p.field === key);
        if (!(error instanceof sdk.InputError) || !problem || sent > 0)
          wrong.push(`${name} ${JSON.stringify(options)}: ${String(error)}; ${sent} requests sent`);
        else expect(problem.rule).toMatch(/signal, deadlineMs, maxAttempts, idempotencyKey/);
      }
    expect(wrong).toEqual([]);
  });
});
