import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAutopilot } from "../../src/autopilot/app.ts";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { honourConsent } from "../../src/sdk/honour.ts";
import { accessKeySettings, cxoneApi } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { GENEROUS_LIMITS } from "../support/generous-limits.ts";
import { pinClock } from "../support/pinned-clock.ts";

/**
 * One honour (src/sdk/honour.ts): `cxo consent honour`, the autopilot's every run (the cron
 * form, `cxo autopilot run --once`, and `cxo serve`'s) and `cxo serve`'s consent watcher call the
 * same operation — revocations sent
 * to CXone's DNC group, CXone's scheduled callbacks to revoked numbers deleted — and the run's
 * honour step says the answer's figures. Both parts are attempted: a DNC group failing does not
 * keep a callback to a revoked number alive.
 */
describe("the one honour operation", () => {
  it("attempts the callbacks when the DNC group fails, then fails with the group's error", async () => {
    const asked: string[] = [];
    const consent = {
      honour: async () => {
        asked.push("honour");
        throw Object.assign(new Error("CXone answered 503 on the DNC routes"), { code: "server_error" });
      },
      cancelCallbacks: async () => {
        asked.push("cancelCallbacks");
        return { cancelled: [{ result: "deleted" }], failed: [] } as never;
      },
    };
    await expect(honourConsent(consent)).rejects.toThrow("CXone answered 503 on the DNC routes");
    expect(asked).toEqual(["honour", "cancelCallbacks"]);
  });

  it("answers both parts' figures, each part given the call's one signal (not its deadline again)", async () => {
    const seen: Array<{ signal?: AbortSignal; deadlineMs?: number } | undefined> = [];
    const abortedWhenRun: boolean[] = [];
    const caller = new AbortController();
    const options = { signal: caller.signal, deadlineMs: 60_000 };
    const answer = await honourConsent(
      {
        honour: async (given) => {
          seen.push(given);
          abortedWhenRun.push(given?.signal?.aborted ?? false);
          return { sent: 3, alreadyInGroup: 0, entries: 3 };
        },
        cancelCallbacks: async (given) => {
          seen.push(given);
          abortedWhenRun.push(given?.signal?.aborted ?? false);
          // The caller's signal is part of the call's: it reaches the part at once.
          caller.abort(new Error("stopped"));
          abortedWhenRun.push(given?.signal?.aborted ?? false);
          return { cancelled: [{}, {}], failed: [] } as never;
        },
      },
      options,
    );
    expect(answer).toMatchObject({ sent: 3, cancelled: 2 });
    // One signal for both parts: the caller's and the call's deadline joined, started once.
    expect(seen.map((given) => Object.keys(given ?? {}))).toEqual([["signal"], ["signal"]]);
    expect(seen[0]?.signal).toBe(seen[1]?.signal);
    expect(abortedWhenRun).toEqual([false, false, true]);
    expect(seen[0]?.signal?.reason).toMatchObject({ message: "stopped" });
  });

  it("ends its parts' signal when it answers: nothing either part started outlives the call", async () => {
    let given: AbortSignal | undefined;
    await honourConsent({
      honour: async (options) => {
        given = options?.signal;
        return { sent: 0, alreadyInGroup: 0, entries: 0 };
      },
      cancelCallbacks: async () => ({ cancelled: [], failed: [] }) as never,
    });
    expect(given?.aborted).toBe(true);
    expect(given?.reason).toMatchObject({ name: "AbortError" });
  });

  it("is the operation the CLI's consent honour, the autopilot's honour step and cxo serve's consent watcher call", () => {
    const source = (file: string) => readFileSync(path.join("src", file), "utf8");
    expect(source("cli/commands/consent.ts")).toMatch(
      /import \{ honourConsent \} from "\.\.\/\.\.\/sdk\/honour\.ts"/,
    );
    expect(source("autopilot/step-honour.ts")).toMatch(
      /import \{ honourConsent \} from "\.\.\/sdk\/honour\.ts"/,
    );
    expect(source("service/consent-watcher.ts")).toMatch(
      /import \{ honourParts, type Settled \} from "\.\.\/sdk\/honour\.ts"/,
    );
  });
});

describe("the autopilot's run (the cron form) on the production emulator", () => {
  let cxone: RunningCxoneEmulator;
  let client: InternalClient;
  let clock: ReturnType<typeof pinClock>;
  let skillId = "";
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-autopilot-honour-"));

  beforeAll(async () => {
    clock = pinClock();
    cxone = (await startEmulator({
      platform: "cxone",
      port: 0,
      seed: 59,
      contacts: 50,
      days: 1,
    })) as RunningCxoneEmulator;
    skillId = String(
      cxone.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isRunning)?.skillId,
    );
    client = createInternalClient({
      ...clientOptionsFromSettings(accessKeySettings(cxone)),
      rateLimits: GENEROUS_LIMITS,
      http: { maxAttempts: 1 },
      dataDir: path.join(dir, "desk"),
    });
  });
  afterAll(async () => {
    await client?.close();
    await cxone?.close();
    clock?.restore();
  });

  it("cancels a scheduled callback to a number revoked since it was scheduled, and says so", async () => {
    const scheduled = (await cxoneApi(cxone, "POST", "/scheduled-callbacks", {
      phoneNumber: "3125550193",
      skillId,
      scheduleDate: "2026-12-02T16:00:00Z",
    })) as { callbackId: number };
    await client.consent.revoke({ phone: "+13125550193", channel: "email" });
    // The morning is later than the clock: this run honours and watches, nothing planned.
    const autopilot = createAutopilot(client, {
      timeZone: "UTC",
      campaigns: [
        {
          campaign: skillId,
          kind: "sales",
          list: "list.csv",
          model: "model.json",
          morning: "23:00",
          evening: "23:30",
        },
      ],
    });
    const run = await autopilot.run();
    expect(run.honour).toMatchObject({ ok: true, text: expect.stringContaining("1 callback(s) cancelled") });
    const { callbacks } = (await adminCall(cxone.url, "GET", "/scheduled-callbacks")) as {
      callbacks: Array<{ callbackId: number; status: string }>;
    };
    expect(callbacks.find((c) => c.callbackId === scheduled.callbackId)?.status).toBe("deleted");
  });
});
