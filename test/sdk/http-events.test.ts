import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings } from "../../src/client.ts";
import { InputError } from "../../src/core/input-error.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { type CreateClientOptions, type CxoneClient, createClient, type HttpEvent } from "../../src/index.ts";
import { accessKeySettings } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";

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
    ]);
    expect(events.flatMap((e) => Object.keys(e)).filter((k) => !allowed.has(k))).toEqual([]);
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
