import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { KNOWN_CAMPAIGNS } from "../../src/campaigns/known-campaigns.ts";
import { pacingSpecSchema } from "../../src/campaigns/spec.ts";
import type { InternalClient } from "../../src/client.ts";
import { silentLogger } from "../../src/core/logging/index.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import type { DialerCounters } from "../../src/platform/types.ts";
import { CampaignBoard } from "../../src/service/campaign-board.ts";
import { startPacing } from "../../src/service/pacing.ts";
import { setAutomation } from "../../src/service/pacing-automation.ts";

/**
 * The pacing loop's own bookkeeping (src/service/pacing.ts), on an injected clock: a campaign
 * is read once per `intervalSeconds`, not on every round of the loop, and its controller lives
 * from round to round. The known campaigns come fresh from the store every round, so the spec
 * must be compared by value (by identity every round looked like a new spec: a new controller
 * and a read every second).
 */
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

function counters(at: number): DialerCounters {
  return {
    observedSeconds: at,
    dials: at * 2,
    liveAnswers: Math.floor(at * 0.6),
    connects: Math.floor(at * 0.6),
    abandons: 0,
    handled: Math.floor(at * 0.5),
    handleSeconds: at * 90,
    answerSeconds: at * 7,
    agentsLoggedIn: 20,
    agentsBusy: 15,
    callsInProgress: 10,
    dialRatio: 1,
  };
}

describe("pacing loop (seed API)", () => {
  it("reads a campaign once per interval and keeps its controller between rounds", async () => {
    store = await openStore(mkdtempSync(path.join(tmpdir(), "cxo-pacing-loop-")));
    const spec = pacingSpecSchema.parse({ mode: "auto", intervalSeconds: 60 });
    await store.kv.set(KNOWN_CAMPAIGNS, "camp-1", {
      id: "camp-1",
      name: "Paced",
      createdAt: new Date(0).toISOString(),
      specHash: "x",
      contactListId: "list-1",
      failover: null,
      pacing: spec,
    });
    let clock = 1_000_000;
    let reads = 0;
    const client = {
      port: {
        support: { name: "seed", unsupported: () => undefined },
        campaigns: {
          metrics: async () => {
            reads += 1;
            return { dialer: counters(clock / 1000) };
          },
        },
      },
    } as unknown as InternalClient;
    const loop = startPacing({
      store,
      client,
      board: new CampaignBoard({ historyPoints: 10 }),
      logger: silentLogger,
      now: () => clock,
      timer: false,
    });
    try {
      await loop.tick();
      expect(reads).toBe(1);
      // Rounds within the interval read nothing.
      for (let i = 0; i < 5; i++) {
        clock += 1000;
        await loop.tick();
      }
      expect(reads).toBe(1);
      clock += 60_000;
      await loop.tick();
      expect(reads).toBe(2);
    } finally {
      await loop.stop();
    }
  });

  it("leaves a campaign whose automation an operator stopped alone, and picks it up when resumed", async () => {
    store = await openStore(mkdtempSync(path.join(tmpdir(), "cxo-pacing-hold-")));
    await store.kv.set(KNOWN_CAMPAIGNS, "camp-1", {
      id: "camp-1",
      name: "Paced",
      createdAt: new Date(0).toISOString(),
      specHash: "x",
      contactListId: "list-1",
      failover: null,
      pacing: pacingSpecSchema.parse({ mode: "auto", intervalSeconds: 60 }),
    });
    await setAutomation(
      store,
      "camp-1",
      { state: "stopped", by: "board:olivia", at: new Date(0).toISOString() },
      "k-stop",
    );
    let reads = 0;
    const client = {
      port: {
        support: { name: "seed", unsupported: () => undefined },
        campaigns: {
          metrics: async () => {
            reads += 1;
            return { dialer: counters(1000) };
          },
        },
      },
    } as unknown as InternalClient;
    const loop = startPacing({
      store,
      client,
      board: new CampaignBoard({ historyPoints: 10 }),
      logger: silentLogger,
      now: () => 1_000_000,
      timer: false,
    });
    try {
      await loop.tick();
      expect(reads).toBe(0);
      await setAutomation(
        store,
        "camp-1",
        { state: "automatic", by: "board:olivia", at: new Date(1).toISOString() },
        "k-go",
      );
      await loop.tick();
      expect(reads).toBe(1);
    } finally {
      await loop.stop();
    }
  });
});
