import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WATCHDOG_DEFAULTS } from "../../src/campaigns/watchdog/index.ts";
import { ClientClosedError } from "../../src/core/client-closed-error.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { campaignControlHostOver } from "../../src/sdk/campaign-control-host.ts";
import { monitoringHostOver } from "../../src/sdk/monitoring-host.ts";
import { runtimeOverPort } from "../support/runtime-over-port.ts";

// The hosts of `cxo serve`'s watchdogs, board actions and leader's watches
// (src/sdk/campaign-control-host.ts, src/sdk/monitoring-host.ts): each operation run as the SDK's
// own calls (close() ends one in flight), each write audited as the writer given, not the API client.

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

const runtimeOver = (port: object) => runtimeOverPort(port, "api-client-id");

/** A promise that settles only when `signal` aborts (rejecting with its reason). */
const hanging = (signal?: AbortSignal) =>
  new Promise<never>((_resolve, reject) => {
    signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
  });

describe("the campaign control host", () => {
  it("pauses a campaign through the journal, audited as the writer's actor in the writer's store", async () => {
    store = await openStore(mkdtempSync(path.join(tmpdir(), "cxo-control-host-")));
    const sent: unknown[] = [];
    const campaign = { id: "701", name: "Sales", status: "active" };
    const host = campaignControlHostOver(
      runtimeOver({
        campaigns: {
          get: async (id: string) => {
            sent.push(["get", id]);
            return campaign;
          },
          setStatus: async (id: string, status: string, key: string) => {
            sent.push(["setStatus", id, status, key]);
            return { campaign: { ...campaign, status }, replayed: false, requestId: "r1", attempts: 1 };
          },
        },
      }),
    );
    const result = await host.setCampaignStatus(
      { store, actor: "board:ana" },
      { campaignId: "701", status: "paused", intent: "intent-1" },
    );
    expect(result).toMatchObject({ changed: true, previous: "active", status: "paused" });
    expect(sent).toEqual([
      ["get", "701"],
      ["setStatus", "701", "paused", "cxo-status-701-paused-intent-1"],
    ]);
    const audit = await store.audit.tail(10);
    expect(audit.length).toBeGreaterThan(0);
    expect(new Set(audit.map((r) => r.actor))).toEqual(new Set(["board:ana"]));
  });

  it("runs a watchdog's reads as the client's calls: close() ends the one in flight", async () => {
    store = await openStore(mkdtempSync(path.join(tmpdir(), "cxo-control-host-")));
    const signals: Array<AbortSignal | undefined> = [];
    let reached: () => void = () => undefined;
    const read = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const runtime = runtimeOver({
      campaigns: {
        metrics: (_id: string, _window: number, signal?: AbortSignal) => {
          signals.push(signal);
          reached();
          return hanging(signal);
        },
      },
    });
    const watchdog = campaignControlHostOver(runtime).startWatchdog(
      { store, actor: "watchdog:701" },
      { config: { ...WATCHDOG_DEFAULTS, primary: "701", backup: "702" } },
    );
    try {
      // The loop's first evaluation reads the primary's metrics at once.
      await read;
      expect(signals[0]?.aborted).toBe(false);
      await runtime.close();
      expect(signals[0]?.aborted).toBe(true);
      expect(signals[0]?.reason).toBeInstanceOf(ClientClosedError);
    } finally {
      await watchdog.stop();
    }
  });
});

describe("the monitoring host", () => {
  it("runs its reads as the client's calls: the caller's signal and close() end one in flight", async () => {
    const runtime = runtimeOver({
      campaigns: { get: (_id: string, signal?: AbortSignal) => hanging(signal) },
      live: { read: (_ids: unknown, signal?: AbortSignal) => hanging(signal) },
    });
    const host = monitoringHostOver(runtime);
    const stop = new AbortController();
    const read = host.liveRead(["701"], { signal: stop.signal }).catch((e: unknown) => e);
    stop.abort(new Error("stopped"));
    expect(await read).toMatchObject({ message: "stopped" });
    const campaign = host.campaign("701").catch((e: unknown) => e);
    await runtime.close();
    expect(await campaign).toBeInstanceOf(ClientClosedError);
  });

  it("has DNC groups to sync only where the platform has them and supports them", () => {
    const groups = { list: async () => [] };
    const refusal = new Error("no DNC groups here");
    const on = (port: object) => monitoringHostOver(runtimeOver(port)).hasDncGroups();
    expect(on({ support: { unsupported: () => undefined } })).toBe(false);
    expect(on({ dncGroups: groups, support: { unsupported: () => refusal } })).toBe(false);
    expect(on({ dncGroups: groups, support: { unsupported: () => undefined } })).toBe(true);
  });
});
