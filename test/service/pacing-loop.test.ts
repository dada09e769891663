import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { KNOWN_CAMPAIGNS } from "../../src/campaigns/known-campaigns.ts";
import { pacingSpecSchema } from "../../src/campaigns/spec.ts";
import { silentLogger } from "../../src/core/logging/index.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import type { DialerCounters } from "../../src/platform/types.ts";
import { CampaignBoard } from "../../src/service/campaign-board.ts";
import { startPacing } from "../../src/service/pacing.ts";
import { setAutomation } from "../../src/service/pacing-automation.ts";
import { pacingHostOnPort } from "../support/pacing-host.ts";

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
    const port = {
      support: { name: "seed", unsupported: () => undefined },
      campaigns: {
        metrics: async () => {
          reads += 1;
          return { dialer: counters(clock / 1000) };
        },
      },
    };
    const loop = startPacing({
      store,
      host: pacingHostOnPort(port, store),
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

  it("leaves a campaign whose automation an operator stopped alone (reads its ratio in force, writes nothing), and picks it up when resumed", async () => {
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
    let settingsReads = 0;
    let clock = 1_000_000;
    const port = {
      support: { name: "seed", unsupported: () => undefined },
      campaigns: {
        metrics: async () => {
          reads += 1;
          return { dialer: { ...counters(clock / 1000), dialRatio: 2.5 } };
        },
      },
      // Any settings call would be a write's first step: none while stopped.
      dialer: {
        getSettings: async () => {
          settingsReads += 1;
          throw new Error("no settings call while stopped");
        },
      },
    };
    const board = new CampaignBoard({ historyPoints: 10 });
    const loop = startPacing({
      store,
      host: pacingHostOnPort(port, store),
      board,
      logger: silentLogger,
      now: () => clock,
      timer: false,
    });
    try {
      await loop.tick();
      expect(reads).toBe(1);
      expect(settingsReads).toBe(0);
      expect(board.view("camp-1")?.pacing).toMatchObject({ ratio: 2.5, automation: { state: "stopped" } });
      clock += 60_000;
      await setAutomation(
        store,
        "camp-1",
        { state: "automatic", by: "board:olivia", at: new Date(1).toISOString() },
        "k-go",
      );
      await loop.tick();
      expect(reads).toBe(2);
    } finally {
      await loop.stop();
    }
  });

  it("on the seed API's one tenant-wide dialer, paces one campaign and refuses the second with a note on its card", async () => {
    store = await openStore(mkdtempSync(path.join(tmpdir(), "cxo-pacing-two-")));
    for (const [id, at] of [
      ["camp-b", 2],
      ["camp-a", 1],
    ] as const)
      await store.kv.set(KNOWN_CAMPAIGNS, id, {
        id,
        name: `Paced ${id}`,
        createdAt: new Date(at).toISOString(),
        specHash: "x",
        contactListId: "list-1",
        failover: null,
        pacing: pacingSpecSchema.parse({ mode: "auto", intervalSeconds: 60 }),
      });
    const read: string[] = [];
    const port = {
      support: { name: "seed", unsupported: () => undefined },
      campaigns: {
        metrics: async (id: string) => {
          read.push(id);
          return { dialer: counters(1000) };
        },
      },
    };
    const board = new CampaignBoard({ historyPoints: 10 });
    const loop = startPacing({
      store,
      host: pacingHostOnPort(port, store),
      board,
      logger: silentLogger,
      now: () => 1_000_000,
      timer: false,
    });
    try {
      await loop.tick();
      // The older campaign owns the dialer; the other is never read for pacing, never written.
      expect(read).toEqual(["camp-a"]);
      expect(board.view("camp-a")?.pacing?.tenantWide).toBe(true);
      expect(board.view("camp-b")?.pacing?.notPaced).toMatch(
        /one dial ratio for the whole tenant and it is paced for Paced camp-a/,
      );
    } finally {
      await loop.stop();
    }
  });
});
