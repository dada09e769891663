import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../../src/client.ts";
import { loadSettings, requireProductionConnection } from "../../../src/core/config/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../../src/emulator/index.ts";
import { ProductionApi } from "../../../src/platform/cxone/api.ts";
import { ProductionSession } from "../../../src/platform/cxone/auth.ts";
import { probeListTiming } from "../../../src/platform/cxone/doctor/list-timing-probes.ts";
import { LIST_UPLOAD_WAIT } from "../../../src/platform/cxone/list-upload.ts";
import { accessKeySettings } from "../../support/cxone-access-key.ts";
import { adminCall } from "../../support/emulator-admin.ts";
import { until, VirtualClock } from "../../support/virtual-clock.ts";

/**
 * The doctor's list-timing probe waits for its upload jobs on the one waiter (core/waiter.ts),
 * with a push's bound and pauses (LIST_UPLOAD_WAIT), on the API's clock — here a virtual one, so
 * the pauses are seen and no test time passes on the wall. A tenant whose jobs take 12 polls
 * (the emulator's `uploadJobPolls`) is still observed: the probe used to give up after 10 polls
 * sent back to back, and report both facts as unknown.
 */
let emulator: RunningCxoneEmulator;
let client: InternalClient;
let scratch: string;

beforeAll(async () => {
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 41,
    contacts: 50,
    days: 1,
    uploadJobPolls: 12,
  })) as RunningCxoneEmulator;
  scratch = String(
    emulator.fixtures.skills.find(
      (s) => s.outboundStrategy === "Personal Connection" && s.isActive && s.callingListIds.length === 0,
    )!.skillId,
  );
  const settings = accessKeySettings(emulator);
  client = createInternalClient({
    ...clientOptionsFromSettings(settings),
    dataDir: mkdtempSync(path.join(tmpdir(), "cxo-doctor-wait-")),
  });
});
afterAll(async () => {
  await client.close();
  await emulator.close();
});

/** An API handle on the client's HTTP core whose waiters run on `clock` (requests stay real). */
function apiOn(clock: VirtualClock): ProductionApi {
  const key = emulator.fixtures.accessKeys.find((k) => !k.readOnly)!;
  const connection = requireProductionConnection(
    loadSettings({
      cwd: "/nonexistent",
      env: {
        CXONE_PLATFORM: "cxone",
        CXONE_BASE_URL: emulator.url,
        CXONE_ACCESS_KEY_ID: key.accessKeyId,
        CXONE_ACCESS_KEY_SECRET: key.accessKeySecret,
      },
    }),
  );
  const api = new ProductionApi(
    client.core.http,
    new ProductionSession(connection, client.core.tokens, undefined as never),
    "v33.0",
  );
  return Object.assign(Object.create(api) as ProductionApi, { clock: () => clock });
}

describe("the doctor's upload probe on the one waiter", () => {
  it("a job that completes on its 12th poll: both facts observed, each poll after a pause within the bound", async () => {
    const clock = new VirtualClock(0);
    const state: { done: boolean; value?: Awaited<ReturnType<typeof probeListTiming>>; error?: unknown } = {
      done: false,
    };
    probeListTiming(apiOn(clock), scratch).then(
      (value) => Object.assign(state, { done: true, value }),
      (error: unknown) => Object.assign(state, { done: true, error }),
    );
    const pauses: number[] = [];
    for (;;) {
      // A wait in progress holds two timers: its bound, and the pause before its next poll.
      await until(() => state.done || clock.pending().length >= 2);
      if (state.done) break;
      const pause = Math.min(...clock.pending());
      pauses.push(pause);
      clock.advance(pause);
    }
    expect(state.error).toBeUndefined();
    const facts = Object.fromEntries(state.value!.facts.map((f) => [f.id, f.observed]));
    expect(facts.callbackCap).toBe("enforced");
    expect(facts.recordTimeRangeColumns).toEqual({ start: "AllowedStart", end: "AllowedEnd" });

    const polls = (
      (await adminCall(emulator.url, "GET", "/requests")).requests as Array<{ method: string; path: string }>
    ).filter((r) => r.method === "GET" && /\/lists\/call-lists\/jobs\/[^/]+$/.test(r.path));
    // Two uploads, each polled to its 12th poll, with a pause before every poll after the first.
    expect(polls).toHaveLength(24);
    expect(pauses).toHaveLength(22);
    for (const pause of pauses) {
      expect(pause).toBeGreaterThanOrEqual(LIST_UPLOAD_WAIT.minDelayMs);
      expect(pause).toBeLessThanOrEqual(LIST_UPLOAD_WAIT.maxDelayMs);
    }
  });
});
