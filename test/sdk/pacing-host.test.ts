import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ClientClosedError } from "../../src/core/client-closed-error.ts";
import { InputError } from "../../src/core/input-error.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import type { DialerScope, DialerSettings } from "../../src/platform/ports/dialer.ts";
import { pacingHostOver } from "../../src/sdk/pacing-host.ts";
import { runtimeOverPort } from "../support/runtime-over-port.ts";

// The live pacer's host (src/sdk/pacing-host.ts): what `cxo serve`'s pacer is given of the
// client, each operation run as the SDK's own calls, its write audited as the pacer.

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

const runtimeOver = (port: object) => runtimeOverPort(port, "api-client-id");

const SETTINGS: DialerSettings = {
  concurrency: {},
  algorithm: { type: "predictive", abandonmentTarget: 0.03, dialRatio: 2.5 },
} as DialerSettings;

/** A dialer whose writes complete at once, noting each request. */
function dialerDouble(sent: unknown[]) {
  let state = { settings: SETTINGS, versionTag: "v1", pendingOperationId: null, updatedAt: null };
  return {
    unsupportedFields: [],
    getSettings: async (scope: DialerScope) => {
      sent.push(["get", scope]);
      return state;
    },
    putSettings: async (scope: DialerScope, settings: DialerSettings, ifMatch: string) => {
      sent.push(["put", scope, settings, ifMatch]);
      state = { ...state, settings, versionTag: "v2" };
      return { operationId: "op-1", versionTag: "v2", status: "COMPLETED" };
    },
    getOperation: async (operationId: string) => {
      sent.push(["operation", operationId]);
      return {
        operationId,
        status: "COMPLETED",
        versionTag: "v2",
        createdAt: null,
        completedAt: null,
        errorDetails: null,
      };
    },
  };
}

describe("the pacing host", () => {
  it("answers the platform's questions: the seed API's one tenant dialer, CXone's per skill", async () => {
    store = await openStore(mkdtempSync(path.join(tmpdir(), "cxo-pacing-host-")));
    const refusal = new Error("no live dial-ratio control");
    const seed = pacingHostOver(
      runtimeOver({ support: { name: "seed", unsupported: () => undefined } }),
      store,
    );
    const cxone = pacingHostOver(
      runtimeOver({ support: { name: "cxone", unsupported: () => refusal } }),
      store,
    );
    expect([seed.tenantWideDialer(), seed.dialerScope("camp-1")]).toEqual([true, undefined]);
    expect([cxone.tenantWideDialer(), cxone.dialerScope("701")]).toEqual([false, { campaignId: "701" }]);
    expect(seed.unsupported("dialer.livePacing")).toBeUndefined();
    expect(cxone.unsupported("dialer.livePacing")).toBe(refusal);
    expect(() => cxone.unsupported("dialer.nothing" as never)).toThrow(InputError);
  });

  it("changes the algorithm only, through the lifecycle, journaled and audited as pacing:<campaign> in the store given", async () => {
    store = await openStore(mkdtempSync(path.join(tmpdir(), "cxo-pacing-host-")));
    const sent: unknown[] = [];
    const host = pacingHostOver(
      runtimeOver({ support: { name: "cxone", unsupported: () => undefined }, dialer: dialerDouble(sent) }),
      store,
    );
    const result = await host.applyAlgorithm(
      "701",
      { campaignId: "701" },
      (algorithm) => ({ ...algorithm, dialRatio: 1.5 }),
      { minDelayMs: 1, maxDelayMs: 1, maxWaitMs: 1_000 },
    );
    expect(result.ok).toBe(true);
    const wanted = { ...SETTINGS, algorithm: { ...SETTINGS.algorithm, dialRatio: 1.5 } };
    expect(sent.filter((s) => (s as unknown[])[0] === "put")).toEqual([
      ["put", { campaignId: "701" }, wanted, "v1"],
    ]);
    const audit = await store.audit.tail(20);
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(new Set(audit.map((r) => r.actor))).toEqual(new Set(["pacing:701"]));
    expect(audit.map((r) => r.operation)).toEqual(
      expect.arrayContaining(["dialer.settings.snapshot", "dialer.settings.put"]),
    );
  });

  it("runs its reads as the SDK's calls: the caller's signal and the client's close() end one in flight", async () => {
    store = await openStore(mkdtempSync(path.join(tmpdir(), "cxo-pacing-host-")));
    const hanging = (_: unknown, _n: unknown, signal?: AbortSignal) =>
      new Promise((_resolve, reject) => {
        signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
      });
    const runtime = runtimeOver({
      support: { name: "cxone", unsupported: () => undefined },
      campaigns: { metrics: hanging },
      live: { read: (ids: unknown, signal?: AbortSignal) => hanging(ids, undefined, signal) },
    });
    const host = pacingHostOver(runtime, store);
    const stop = new AbortController();
    const read = host.liveRead(["701"], { signal: stop.signal }).catch((e: unknown) => e);
    stop.abort(new Error("stopped"));
    expect(await read).toMatchObject({ message: "stopped" });
    const metrics = host.campaignMetrics("701", 5).catch((e: unknown) => e);
    await runtime.close();
    expect(await metrics).toBeInstanceOf(ClientClosedError);
  });
});
