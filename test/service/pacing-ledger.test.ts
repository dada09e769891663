import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { KNOWN_CAMPAIGNS } from "../../src/campaigns/known-campaigns.ts";
import { pacingSpecSchema } from "../../src/campaigns/spec.ts";
import { silentLogger } from "../../src/core/logging/index.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { PACING_LATEST, type PacingDecision } from "../../src/dialer/live-pacing/latest.ts";
import type { DialerCounters } from "../../src/platform/types.ts";
import { CampaignBoard } from "../../src/service/campaign-board.ts";
import { startPacing } from "../../src/service/pacing.ts";
import { pacingHostOnPort } from "../support/pacing-host.ts";

/**
 * Issue 67 §1–§2 in `cxo serve`'s loop: the campaign's pacing spec carries the operator's AMD
 * estimate; the loop reads the dialer's machine verdicts into the window, Ofcom's window counts
 * the estimated people, and every decision carries the ledger's figure for the board (its 95%
 * interval, the regime's limit, the headroom).
 */
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

/** The known-campaign record the pacing loop reads a campaign's spec from. */
function knownCampaign(id: string, name: string, pacing: unknown) {
  return {
    id,
    name,
    createdAt: new Date(0).toISOString(),
    specHash: "x",
    contactListId: "list-1",
    failover: null,
    pacing,
  };
}

function counters(at: number, scale: number): DialerCounters {
  return {
    observedSeconds: at,
    dials: 4000 * scale,
    liveAnswers: 1000 * scale,
    connects: 980 * scale,
    abandons: 20 * scale,
    machines: 500 * scale,
    handled: 900 * scale,
    handleSeconds: 90 * 900 * scale,
    answerSeconds: 7000 * scale,
    agentsLoggedIn: 20,
    agentsBusy: 15,
    callsInProgress: 10,
    dialRatio: 1,
  };
}

describe("the pacing loop and the ledger", () => {
  it("counts the estimated people under Ofcom and puts the ledger's figure on the board", async () => {
    store = await openStore(mkdtempSync(path.join(tmpdir(), "cxo-pacing-ledger-")));
    const spec = pacingSpecSchema.parse({
      mode: "auto",
      window: "ofcom-24h",
      intervalSeconds: 60,
      machines: { falsePositive: { sampled: 250, foundLive: 5 } },
    });
    await store.kv.set(KNOWN_CAMPAIGNS, "camp-1", knownCampaign("camp-1", "Paced", spec));
    let clock = Date.UTC(2026, 10, 26, 12);
    let scale = 0;
    const port = {
      support: { name: "seed", unsupported: () => undefined },
      campaigns: { metrics: async () => ({ dialer: counters(clock / 1000, scale) }) },
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
      clock += 60_000;
      scale = 1;
      await loop.tick();
      const decision = (await store.kv.get<PacingDecision>(PACING_LATEST, "camp-1"))!;
      // 1,000 live answers, 20 abandons, 500 machine verdicts; 2% of them people (5 of 250 reviewed).
      expect(decision.liveAnswers).toBeCloseTo(1010, 6);
      expect(decision.abandonment).toBeCloseTo(30 / 1010, 6);
      expect(decision.ledger).toMatchObject({
        regime: "ofcom-24h",
        limit: 0.03,
        estimatedPeople: 10,
        abandoned: 30,
        live: 1010,
      });
      expect(decision.ledger!.rate).toBeCloseTo(30 / 1010, 10);
      expect(decision.ledger!.headroom).toBeCloseTo(0.03 * 1010 - 30, 10);
      const [lo, hi] = decision.ledger!.interval95!;
      expect(lo).toBeLessThan(30 / 1010);
      expect(hi).toBeGreaterThan(30 / 1010);
      expect(board.view("camp-1")?.pacing?.ledger?.regime).toBe("ofcom-24h");
    } finally {
      await loop.stop();
    }
  });

  it("warns once per spec under Ofcom without the operator's estimate, and not with one (issue 67 §3)", async () => {
    store = await openStore(mkdtempSync(path.join(tmpdir(), "cxo-pacing-ledger-")));
    const lines: string[] = [];
    const logger = pino({ level: "warn" }, { write: (line: string) => void lines.push(line) });
    const specs = {
      "camp-1": pacingSpecSchema.parse({ mode: "auto", window: "ofcom-24h", intervalSeconds: 60 }),
      "camp-2": pacingSpecSchema.parse({
        mode: "auto",
        window: "ofcom-24h",
        intervalSeconds: 60,
        machines: { falsePositive: { rate: 0 } },
      }),
      "camp-3": pacingSpecSchema.parse({ mode: "auto", window: "ftc-30d", intervalSeconds: 60 }),
    };
    for (const [id, spec] of Object.entries(specs))
      await store.kv.set(KNOWN_CAMPAIGNS, id, knownCampaign(id, id, spec));
    let clock = Date.UTC(2026, 10, 26, 12);
    const port = {
      support: { name: "cxone", unsupported: () => undefined },
      campaigns: { metrics: async () => ({ dialer: counters(clock / 1000, 1) }) },
      dialer: { getSettings: async () => ({ settings: { algorithm: { type: "preview" } } }) },
    };
    const board = new CampaignBoard({ historyPoints: 10 });
    const loop = startPacing({
      store,
      host: pacingHostOnPort(port, store),
      board,
      logger,
      now: () => clock,
      timer: false,
    });
    try {
      await loop.tick();
      clock += 120_000;
      await loop.tick();
    } finally {
      await loop.stop();
    }
    const notices = lines
      .map((l) => JSON.parse(l) as { campaignId?: string; msg: string })
      .filter((l) => l.msg.includes("no estimate of the people the answering-machine detector hangs up on"));
    expect(notices.map((n) => n.campaignId)).toEqual(["camp-1"]);
    expect(notices[0]?.msg).toMatch(/pacing\.machines\.falsePositive/);
  });
});
