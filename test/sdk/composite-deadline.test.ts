import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createAutopilot } from "../../src/autopilot/app.ts";
import { clientOptionsFromSettings } from "../../src/client.ts";
import type { HttpEvent } from "../../src/core/http/events.ts";
import { type RunningCxoneEmulator, type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import {
  type CreateClientOptions,
  createClient,
  createTenants,
  DeadlineExceededError,
  InputError,
  ValidationError,
} from "../../src/index.ts";
import { honourConsent } from "../../src/sdk/honour.ts";
import { accessKeySettings, cxoneApi } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { useFakeTimeouts } from "../support/fake-timeouts.ts";
import { GENEROUS_LIMITS } from "../support/generous-limits.ts";
import { type ScriptedServer, startScriptedServer, TEST_CLIENT_SECRET } from "../support/scripted-server.ts";
import { waitUntil } from "../support/wait-until.ts";

/**
 * A composite call — one that makes several SDK calls (`tenants.diff`, `autopilot.why`, the
 * consent honour's two parts) — is ONE call: its `deadlineMs` bounds all of them together, from
 * its start. Each inner call used to start a deadline of its own, so a diff over many campaigns,
 * or an honour whose first part ran out of time, went on far past the caller's deadline.
 *
 * Time is the fake timeouts' (the call's deadline is a `setTimeout`): a slow CXone is a clock
 * that moves ANSWER_MS at each answer the client gets (its `onHttpEvent` hook), so the deadline
 * passes part way through the call without the test waiting for it. (The emulator's latency fault
 * sleeps on the real clock, which no fake timer moves: the test would wait it out.) What is
 * asserted is what the client sent after the deadline passed — nothing — by its own events and by
 * the emulator's request log; never how long anything took.
 */

const DEADLINE_MS = 10_000;
const ANSWER_MS = 2_500;

/** The fake clock as the client's requests move it, and the API requests started on each side of the deadline. */
function slowCxone(answerMs: number) {
  const seen = { elapsedMs: 0, before: 0, after: 0 };
  const onHttpEvent = (event: HttpEvent) => {
    if (event.type === "token" || event.type === "throttle" || event.group === "token") return;
    if (event.type === "request") {
      if (seen.elapsedMs >= DEADLINE_MS) seen.after += 1;
      else seen.before += 1;
    } else if (event.type === "response" && answerMs > 0) {
      // The answer took answerMs of the call's time.
      seen.elapsedMs += answerMs;
      vi.advanceTimersByTime(answerMs);
    }
  };
  /** Time passes at once (the deadline's timer fires), as if a request had taken it. */
  const pass = (ms: number) => {
    seen.elapsedMs += ms;
    vi.advanceTimersByTime(ms);
  };
  return { seen, onHttpEvent, pass };
}

/** The emulator's API requests logged (not the token's, not its admin routes). */
async function apiRequests(url: string): Promise<Array<{ method: string; path: string }>> {
  const { requests } = (await adminCall(url, "GET", "/requests")) as {
    requests: Array<{ method: string; path: string }>;
  };
  return requests.filter((r) => !/token|authentication|well-known/.test(r.path));
}

const dir = mkdtempSync(path.join(tmpdir(), "cxo-composite-deadline-"));

afterEach(() => {
  vi.useRealTimers();
});

describe("on the seed API", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, calls: 10, seed: 42, metricsIntervalMs: 0 });
  });
  afterAll(() => emulator?.close());

  const seedOptions = (
    client: number,
    name: string,
    hook?: (event: HttpEvent) => void,
  ): CreateClientOptions => {
    const credentials = emulator.fixtures.clients[client]!;
    return {
      connection: {
        platform: "seed",
        baseUrl: emulator.url,
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
      },
      rateLimits: GENEROUS_LIMITS,
      dataDir: path.join(dir, name),
      ...(hook ? { onHttpEvent: hook } : {}),
    };
  };

  it("tenants.diff: the deadline bounds every read of both business units, not each read", async () => {
    const slow = slowCxone(ANSWER_MS);
    const tenants = createTenants({
      acme: seedOptions(0, "acme", slow.onHttpEvent),
      globex: seedOptions(1, "globex", slow.onHttpEvent),
    });
    try {
      // The first reads' tokens on the real clock, then the diff on the fake one.
      await Promise.all([tenants.get("acme").access.describe(), tenants.get("globex").access.describe()]);
      await adminCall(emulator.url, "DELETE", "/requests");
      slow.seen.before = 0;
      useFakeTimeouts();
      const campaign = emulator.fixtures.campaigns[0]!.id;
      // Each side: the listing, the campaign, its dispositions, the business unit's dialer —
      // each read well inside the deadline, all of them (8 answers, 20 s) well past it.
      const failure = await tenants
        .diff("acme", "globex", { campaigns: [campaign], concurrency: 1 }, { deadlineMs: DEADLINE_MS })
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DeadlineExceededError);
      expect(slow.seen.after).toBe(0);
      expect(slow.seen.before).toBeLessThan(8);
      // The emulator saw no more than the client started before the deadline.
      expect((await apiRequests(emulator.url)).length).toBeLessThanOrEqual(slow.seen.before);
    } finally {
      vi.useRealTimers();
      await tenants.close();
    }
  });

  it("autopilot.why: the diagnosis and the autopilot's reading of it under one deadline", async () => {
    const slow = slowCxone(0);
    const client = createClient(seedOptions(0, "why", slow.onHttpEvent));
    try {
      const campaignId = emulator.fixtures.campaigns.find((c) => c.status === "active")!.id;
      await client.access.describe();
      const diagnose = client.campaigns.diagnose.bind(client.campaigns);
      // The diagnosis answers just as the deadline passes: the call goes no further.
      vi.spyOn(client.campaigns, "diagnose").mockImplementation(async (...args) => {
        const diagnosis = await diagnose(...args);
        slow.pass(DEADLINE_MS);
        return diagnosis;
      });
      useFakeTimeouts();
      const failure = await client.autopilot
        .why({ campaignId }, { deadlineMs: DEADLINE_MS })
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DeadlineExceededError);
      expect(slow.seen.after).toBe(0);
    } finally {
      vi.useRealTimers();
      await client.close();
    }
  });

  it("autopilot.run: options that are not request options are an InputError naming them, nothing sent", async () => {
    const slow = slowCxone(0);
    const client = createClient(seedOptions(0, "run", slow.onHttpEvent));
    try {
      const autopilot = createAutopilot(client, {
        timeZone: "UTC",
        campaigns: [{ campaign: "301", kind: "sales", list: "list.csv", model: "model.json" }],
      });
      await adminCall(emulator.url, "DELETE", "/requests");
      const asString = await autopilot.run({}, "x" as never).catch((error: unknown) => error);
      expect(asString).toBeInstanceOf(InputError);
      expect((asString as InputError).problems.map((f) => f.field)).toEqual(["options"]);
      const unknownKey = await client.autopilot
        .run({ timeZone: "UTC", campaigns: [] } as never, { timeout: 1 } as never)
        .catch((error: unknown) => error);
      expect(unknownKey).toBeInstanceOf(InputError);
      expect((unknownKey as InputError).problems.map((f) => f.field)).toEqual(["timeout"]);
      expect(slow.seen.before + slow.seen.after).toBe(0);
      expect(await apiRequests(emulator.url)).toEqual([]);
    } finally {
      await client.close();
    }
  });
});

describe("on the production API: the consent honour", () => {
  let cxone: RunningCxoneEmulator;
  beforeAll(async () => {
    cxone = (await startEmulator({
      platform: "cxone",
      port: 0,
      seed: 59,
      contacts: 50,
      days: 1,
    })) as RunningCxoneEmulator;
  });
  afterAll(() => cxone?.close());

  it("a deadline that passes during the DNC part does not start the callbacks part", async () => {
    const slow = slowCxone(DEADLINE_MS);
    const client = createClient({
      ...clientOptionsFromSettings(accessKeySettings(cxone)),
      rateLimits: GENEROUS_LIMITS,
      http: { maxAttempts: 1 },
      dataDir: path.join(dir, "honour"),
      onHttpEvent: slow.onHttpEvent,
    });
    try {
      const skillId = String(
        cxone.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isRunning)
          ?.skillId,
      );
      // A callback to a number, then its revocation: both parts of the honour have work.
      await cxoneApi(cxone, "POST", "/scheduled-callbacks", {
        phoneNumber: "3125550193",
        skillId,
        scheduleDate: "2026-12-02T16:00:00Z",
      });
      await client.consent.revoke({ phone: "+13125550193", channel: "email" });
      await client.access.describe();
      await adminCall(cxone.url, "DELETE", "/requests");
      slow.seen.before = 0;
      useFakeTimeouts();
      // The first answer of the DNC part takes the whole deadline.
      const failure = await honourConsent(client.consent, { deadlineMs: DEADLINE_MS }).catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(DeadlineExceededError);
      expect(slow.seen.before).toBeGreaterThan(0);
      expect(slow.seen.after).toBe(0);
      const logged = await apiRequests(cxone.url);
      expect(logged.filter((r) => r.path.includes("scheduled-callbacks"))).toEqual([]);
      expect(logged.length).toBeLessThanOrEqual(slow.seen.before);
    } finally {
      vi.useRealTimers();
      await client.close();
    }
  });
});

describe("a composite call ends what it started", () => {
  const scriptedOptions = (
    server: ScriptedServer,
    name: string,
    hook?: (event: HttpEvent) => void,
  ): CreateClientOptions => ({
    connection: {
      platform: "seed",
      baseUrl: server.url,
      clientId: `${name}-client`,
      clientSecret: TEST_CLIENT_SECRET,
    },
    rateLimits: GENEROUS_LIMITS,
    dataDir: path.join(dir, name),
    ...(hook ? { onHttpEvent: hook } : {}),
  });

  it("tenants.diff with no deadline: one side failing at once stops the other side's reads", async () => {
    // acme's CXone never answers: each read is held until the client gives it up (closes it).
    const [acme, globex] = await Promise.all([startScriptedServer(), startScriptedServer()]);
    const held: AbortSignal[] = [];
    let acmeReading!: () => void;
    const acmeBusy = new Promise<void>((resolve) => {
      acmeReading = resolve;
    });
    acme.setApi((_request, _index, closed) => {
      held.push(closed);
      if (held.length === 2) acmeReading();
      return new Promise((resolve) =>
        closed.addEventListener("abort", () => resolve("reset"), { once: true }),
      );
    });
    // globex refuses (a 400, not retried), once acme has both its reads in flight.
    globex.setApi(async () => {
      await acmeBusy;
      return { status: 400, body: { error: "invalid_request" } };
    });
    let acmeRequests = 0;
    const tenants = createTenants({
      acme: scriptedOptions(acme, "acme-ends", (event) => {
        if (event.type === "request" && event.group !== "token") acmeRequests += 1;
      }),
      globex: scriptedOptions(globex, "globex-ends"),
    });
    try {
      // Twenty campaigns, two reads at a time: acme has many reads still to make.
      const campaigns = Array.from({ length: 20 }, (_, i) => `campaign-${i + 1}`);
      const failure = await tenants
        .diff("acme", "globex", { campaigns, concurrency: 2 })
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ValidationError);
      const sentAtFailure = acme.apiRequests.length;
      const startedAtFailure = acmeRequests;
      expect(sentAtFailure).toBe(2);
      // The reads in flight when the diff failed are given up (the client closes them)...
      await waitUntil(() => held.every((closed) => closed.aborted), {
        what: "acme's reads in flight to be given up once the diff failed",
      });
      // ...and none is started after them.
      expect(acme.apiRequests.length).toBe(sentAtFailure);
      expect(acmeRequests).toBe(startedAtFailure);
    } finally {
      await tenants.close();
      await Promise.all([acme.close(), globex.close()]);
    }
  });
});
