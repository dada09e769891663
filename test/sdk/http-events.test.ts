import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings } from "../../src/client.ts";
import { AuthError } from "../../src/core/http/errors.ts";
import { InputError } from "../../src/core/input-error.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { startRndEmulator } from "../../src/emulator/rnd/index.ts";
import { type CreateClientOptions, type CxoneClient, createClient, type HttpEvent } from "../../src/index.ts";
import { accessKeySettings } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";

/** A call answered 503, 503, then 200, as its events tell it: [type, attempt or status]. */
const ANSWERED_503_503_200 = [
  ["request", 1],
  ["response", 503],
  ["retry", 1],
  ["request", 2],
  ["response", 503],
  ["retry", 2],
  ["request", 3],
  ["response", 200],
];

/**
 * `createClient({ onHttpEvent })`: the stable hook on every HTTP request, against the production
 * API's emulator. A 429 then a 200 is told as it happened; a listener that throws fails nothing;
 * no event carries a secret; a listener that is not a function is refused before anything is sent.
 */
let emulator: RunningCxoneEmulator;
let dir: string;
const clients: CxoneClient[] = [];
beforeAll(async () => {
  emulator = await startEmulator({ platform: "cxone", port: 0, seed: 5, contacts: 200 });
  dir = mkdtempSync(path.join(tmpdir(), "cxo-http-events-"));
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

function options(extra: Partial<CreateClientOptions>): CreateClientOptions {
  const base = clientOptionsFromSettings(accessKeySettings(emulator));
  return {
    ...base,
    dataDir: path.join(dir, `.cxo-${clients.length}`),
    http: { ...base.http, backoffBaseMs: 5, backoffCapMs: 50, rateLimitScale: 100 },
    ...extra,
  };
}

/** The events of a call (a request's or a token fetch's): each carries its `requestNo`. */
type CallEvent = Exclude<HttpEvent, { type: "throttle" | "token" }>;
const isCall = (event: HttpEvent): event is CallEvent => event.type !== "throttle" && event.type !== "token";

const skills = () =>
  emulator.fixtures.skills.filter((s) => s.outboundStrategy === "Personal Connection" && s.isActive);

describe("onHttpEvent", () => {
  it("tells a 429 then a 200: request, response 429, the pause, request, response 200 with its request id; no secret", async () => {
    const events: HttpEvent[] = [];
    const client = createClient(options({ onHttpEvent: (event) => events.push(event) }));
    clients.push(client);
    const [first, second] = skills();
    await client.dispositions.codes(String(first!.skillId));
    // The login was told too (a token fetched), before any API request's answer.
    expect(events.some((e) => e.type === "token" && e.action === "fetched")).toBe(true);
    expect(events.some((e) => e.type === "response" && e.status === 200)).toBe(true);

    await adminCall(emulator.url, "POST", "/faults", { burst429: 1, retryAfter: 0 });
    const from = events.length;
    await client.dispositions.codes(String(second!.skillId));
    const told = events.slice(from);
    const firstAnswer = told.findIndex((e) => e.type === "response");
    expect(told[0]).toMatchObject({ type: "request", attempt: 1 });
    expect(told[firstAnswer]).toMatchObject({
      type: "response",
      status: 429,
      endpoint: told[0]!.type === "request" ? told[0]!.endpoint : "",
    });
    const pause = told.findIndex((e, i) => i > firstAnswer && (e.type === "throttle" || e.type === "retry"));
    expect(pause).toBeGreaterThan(firstAnswer);
    const ok = told.findIndex((e, i) => i > pause && e.type === "response" && e.status === 200);
    expect(ok).toBeGreaterThan(pause);
    const answer = told[ok] as Extract<HttpEvent, { type: "response" }>;
    expect(answer.requestId).toMatch(/\S/);
    expect(answer.latencyMs).toBeGreaterThanOrEqual(0);
    expect(told.slice(pause + 1, ok).some((e) => e.type === "request")).toBe(true);
    // The pause names the call whose 429 caused it: its requestNo, method and endpoint.
    const throttle = told.find((e) => e.type === "throttle");
    const asked = told[0] as Extract<HttpEvent, { type: "request" }>;
    expect(throttle).toMatchObject({
      type: "throttle",
      requestNo: asked.requestNo,
      method: asked.method,
      endpoint: asked.endpoint,
      group: asked.group,
    });

    // Never a header, a body, a token or a secret: only what happened, where, and how long.
    const key = emulator.fixtures.accessKeys.find((k) => !k.readOnly)!;
    const text = JSON.stringify(events);
    expect(text).not.toContain(key.accessKeySecret);
    expect(text).not.toMatch(/authorization|bearer|access_token|secret/i);
    const allowed = new Set([
      "type",
      "group",
      "method",
      "endpoint",
      "attempt",
      "status",
      "latencyMs",
      "requestId",
      "code",
      "delayMs",
      "reason",
      "pauseMs",
      "action",
      "expiresInS",
      "requestNo",
      "cause",
    ]);
    expect(events.flatMap((e) => Object.keys(e)).filter((k) => !allowed.has(k))).toEqual([]);
  });

  it("tells a refused login (401): its request and answer under one requestNo, group token; no secret", async () => {
    const events: HttpEvent[] = [];
    const base = options({ onHttpEvent: (event) => events.push(event) });
    const wrong = "wrong-access-key-secret-7Qx2";
    const connection = { ...base.connection, accessKeySecret: wrong } as CreateClientOptions["connection"];
    const client = createClient({ ...base, connection });
    clients.push(client);
    const [first] = skills();
    const error = await client.dispositions.codes(String(first!.skillId)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    const login = events.filter((e): e is CallEvent => isCall(e) && e.group === "token");
    expect(login.map((e) => [e.type, e.type === "response" ? e.status : e.attempt])).toEqual([
      ["request", 1],
      ["response", 401],
    ]);
    expect(new Set(login.map((e) => e.requestNo)).size).toBe(1);
    expect(login[0]).toMatchObject({ method: "POST", endpoint: "POST /authentication/v1/token/access-key" });
    // Never the secret it tried, nor the right one, nor a header, body or token.
    const key = emulator.fixtures.accessKeys.find((k) => !k.readOnly)!;
    const text = JSON.stringify(events);
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(key.accessKeySecret);
    expect(text).not.toMatch(/authorization|bearer|access_token|secret/i);
  });

  it("tells a login answered 503, 503, 200: request, response and retry, one requestNo, then the token", async () => {
    const events: HttpEvent[] = [];
    const client = createClient(options({ onHttpEvent: (event) => events.push(event) }));
    clients.push(client);
    // The emulator's auth group: the access-key login first (the tenant's discovery comes after it).
    await adminCall(emulator.url, "POST", "/faults", {
      group: "auth",
      errorRate: 1,
      errorStatus: 503,
      count: 2,
    });
    const [first] = skills();
    await client.dispositions.codes(String(first!.skillId));
    const login = events.filter(
      (e): e is CallEvent => isCall(e) && e.group === "token" && e.endpoint.includes("access-key"),
    );
    expect(login.map((e) => [e.type, e.type === "response" ? e.status : e.attempt])).toEqual(
      ANSWERED_503_503_200,
    );
    expect(new Set(login.map((e) => e.requestNo)).size).toBe(1);
    const retries = login.flatMap((e) => (e.type === "retry" ? [e.cause] : []));
    expect(retries).toEqual([{ status: 503 }, { status: 503 }]);
    const fetched = events.findIndex((e) => e.type === "token" && e.action === "fetched");
    expect(fetched).toBeGreaterThan(events.indexOf(login.at(-1)!));
    // The tenant's discovery read is told too, in the same group, a number of its own.
    const discovery = events.filter(
      (e): e is CallEvent => isCall(e) && e.endpoint.startsWith("GET /.well-known/cxone-configuration"),
    );
    expect(discovery.map((e) => [e.type, e.group])).toEqual([
      ["request", "token"],
      ["response", "token"],
    ]);
    expect(discovery[0]!.requestNo).not.toBe(login[0]!.requestNo);
  });

  it("pairs each answer with its own request by requestNo: two calls at once, two numbers", async () => {
    const events: HttpEvent[] = [];
    const client = createClient(options({ onHttpEvent: (event) => events.push(event) }));
    clients.push(client);
    const [first] = skills();
    // Two calls of different endpoints in flight together: the endpoint says whose each answer is.
    await Promise.all([
      client.dispositions.codes(String(first!.skillId)),
      client.campaigns.list().toArray({ limit: 5 }),
    ]);
    const calls = events.filter(isCall);
    for (const event of calls) expect(event.requestNo).toBeTypeOf("number");
    const requests = calls.filter((e) => e.type === "request");
    for (const [index, answer] of calls.entries()) {
      if (answer.type !== "response") continue;
      // Its request: the latest one before it of the same endpoint and attempt.
      const own = calls
        .slice(0, index)
        .findLast(
          (e) => e.type === "request" && e.endpoint === answer.endpoint && e.attempt === answer.attempt,
        );
      expect(own, `${answer.endpoint}'s request`).toBeDefined();
      expect(answer.requestNo).toBe(own!.requestNo);
      // And no other request shares its number.
      expect(requests.filter((r) => r.requestNo === answer.requestNo)).toEqual([own]);
    }
    const numbersOf = (endpoint: (e: string) => boolean) =>
      new Set(requests.filter((r) => endpoint(r.endpoint)).map((r) => r.requestNo));
    const codes = numbersOf((e) => e.startsWith("GET /skills/"));
    const campaigns = numbersOf((e) => !e.startsWith("GET /skills/"));
    expect(codes.size).toBeGreaterThan(0);
    expect(campaigns.size).toBeGreaterThan(0);
    expect([...codes].filter((n) => campaigns.has(n))).toEqual([]);
  });

  it("keeps one requestNo across a call's retries (503, 503, 200), a number no other call of the client has", async () => {
    const events: HttpEvent[] = [];
    const client = createClient(options({ onHttpEvent: (event) => events.push(event) }));
    clients.push(client);
    const [first, second] = skills();
    await client.dispositions.codes(String(first!.skillId));
    await adminCall(emulator.url, "POST", "/faults", {
      group: "dispositions",
      errorRate: 1,
      errorStatus: 503,
      count: 2,
    });
    const from = events.length;
    await client.dispositions.codes(String(second!.skillId));
    // The call reads the skill, then its dispositions: the faulted group's request is the retried one.
    const retried = events.slice(from).filter((e): e is CallEvent => isCall(e) && e.group === "dispositions");
    expect(retried.map((e) => [e.type, e.type === "response" ? e.status : e.attempt])).toEqual(
      ANSWERED_503_503_200,
    );
    const numbers = new Set(retried.map((e) => e.requestNo));
    expect(numbers.size).toBe(1);
    const [retriedNo] = numbers;
    expect(retriedNo).toBeTypeOf("number");
    // Never reused: no other call of this client had the number, and it is past every number told
    // before it. Counted per client from 1, not per process: the clients of the tests above made
    // their calls, yet this one's first request is its call 1 or 2 (the login may be call 1).
    const others = events.flatMap((e) => (e.type === "request" && !retried.includes(e) ? [e.requestNo] : []));
    expect(others).not.toContain(retriedNo);
    expect(others[0]).toBeLessThanOrEqual(2);
    const earlier = events.slice(0, from).flatMap((e) => (isCall(e) ? [e.requestNo] : []));
    expect(retriedNo).toBeGreaterThan(Math.max(...earlier));
  });

  it("one count for every HTTP core of a client: its RND calls and CXone calls never share a requestNo", async () => {
    // The RND's data as of yesterday: the latest database, as the client requires.
    const rnd = await startRndEmulator({
      dataAsOf: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10),
    });
    const events: HttpEvent[] = [];
    const client = createClient(
      options({
        onHttpEvent: (event) => events.push(event),
        rnd: { url: rnd.url, clientId: rnd.fixtures.clientId, clientSecret: rnd.fixtures.clientSecret },
      }),
    );
    try {
      // Calls of both cores, told to one listener: two of each, so per-core counts would meet.
      for (const skill of skills().slice(0, 2)) await client.dispositions.codes(String(skill.skillId));
      for (const phone of ["+13035552001", "+13035552002"])
        await client.rnd.check({ numbers: [{ phone, consentDate: "2024-01-01" }] });
    } finally {
      await client.close();
      await rnd.close();
    }
    const requests = events.flatMap((e) => (e.type === "request" ? [e] : []));
    const rndNumbers = new Set(
      requests.filter((r) => r.endpoint.includes("/queries")).map((r) => r.requestNo),
    );
    const cxoneNumbers = new Set(
      requests.filter((r) => !r.endpoint.includes("/queries")).map((r) => r.requestNo),
    );
    expect(rndNumbers.size).toBeGreaterThan(0);
    expect(cxoneNumbers.size).toBeGreaterThan(0);
    expect([...rndNumbers].filter((n) => cxoneNumbers.has(n))).toEqual([]);
  });

  it("a listener that throws fails no call; the logger is told once", async () => {
    const lines: string[] = [];
    const logger = pino({ level: "warn" }, { write: (line: string) => lines.push(line) });
    let calls = 0;
    const client = createClient(
      options({
        logger,
        onHttpEvent: () => {
          calls += 1;
          throw new Error("listener broke");
        },
      }),
    );
    clients.push(client);
    const [first, second] = skills();
    await expect(client.dispositions.codes(String(first!.skillId))).resolves.toBeDefined();
    await expect(client.dispositions.codes(String(second!.skillId))).resolves.toBeDefined();
    expect(calls).toBeGreaterThan(2);
    const warned = lines.filter((l) => l.includes("onHttpEvent threw"));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain("listener broke");
  });

  it.each([
    ["a string", "log it"],
    ["an object", { on: () => undefined }],
    ["null", null],
  ])("refuses %s, naming onHttpEvent, nothing sent", async (_what, value) => {
    const before = ((await adminCall(emulator.url, "GET", "/requests")) as { requests: unknown[] }).requests
      .length;
    let error: unknown;
    try {
      clients.push(createClient(options({ onHttpEvent: value as never })));
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems.map((p) => p.field)).toEqual(["onHttpEvent"]);
    const after = ((await adminCall(emulator.url, "GET", "/requests")) as { requests: unknown[] }).requests
      .length;
    expect(after).toBe(before);
  });
});
