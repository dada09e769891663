import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFromSettings, createInternalClient } from "../../../src/client.ts";
import type { BodySink } from "../../../src/core/http/transport.ts";
import { openStore } from "../../../src/core/store/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../../src/emulator/index.ts";
import { exportOutcomes } from "../../../src/outcomes/export.ts";
import { parseExportQuery } from "../../../src/outcomes/query.ts";
import type { ProductionApi } from "../../../src/platform/cxone/api.ts";
import { PAGES_AHEAD, productionOutcomes } from "../../../src/platform/cxone/outcomes.ts";
import { accessKeySettings } from "../../support/cxone-access-key.ts";
import { adminCall } from "../../support/emulator-admin.ts";

/**
 * Issue 29: once a page of `/contacts/completed` says how many records there are, the next
 * pages are asked for while it is read (PAGES_AHEAD of them), and still handed out one by one,
 * in order, with the records of asking page by page; a 429 in the middle changes nothing in
 * the export's bytes.
 */
const FROM = "2026-01-01T00:00:00.000Z";
const TO = "2026-01-02T00:00:00.000Z";
const PAGE = 50;
const PAGES = 9;

function records(): Record<string, unknown>[] {
  return Array.from({ length: PAGE * PAGES - 7 }, (_, i) => ({
    contactId: 7_000_000 + i,
    contactStartDate: new Date(Date.parse(FROM) + i * 60_000).toISOString(),
    skillId: 701,
    isOutbound: true,
    primaryDispositionId: 0,
    tags: [],
  }));
}

/**
 * A stand-in for the API whose listing answers wait until the test lets them go: it logs when
 * each page is asked for, and how many were waiting at once.
 */
function heldApi(all: Record<string, unknown>[], log: string[]) {
  const held: Array<() => void> = [];
  let waiting = 0;
  let mostWaiting = 0;
  const answer = (body: unknown) => ({ status: 200, headers: {}, body, attempts: 1, throttled: 0 });
  const api = {
    fallback() {},
    async request(options: { path: string; query?: Record<string, unknown>; bodySink?: BodySink }) {
      if (options.path === "/skills/701") return answer({ skills: [{ skillId: 701, isOutbound: true }] });
      if (options.path.endsWith("dispositions")) return answer({ dispositions: [], totalRecords: 0 });
      const skip = Number(options.query?.skip);
      const top = Number(options.query?.top);
      log.push(`ask ${skip}`);
      waiting += 1;
      mostWaiting = Math.max(mostWaiting, waiting);
      await new Promise<void>((resolve) => held.push(resolve));
      waiting -= 1;
      const body = Buffer.from(
        JSON.stringify({ totalRecords: all.length, completedContacts: all.slice(skip, skip + top) }),
      );
      options.bodySink!.begin();
      // In two parts, so that answers can interleave in the buffers.
      options.bodySink!.write(body.subarray(0, 100));
      await Promise.resolve();
      options.bodySink!.write(body.subarray(100));
      return { status: 200, headers: {}, body: undefined, attempts: 1, throttled: 0 };
    },
  } as unknown as ProductionApi;
  /** Lets held answers go, one turn of the event loop at a time, until `promise` settles. */
  const drive = async <T>(promise: Promise<T>): Promise<T> => {
    let settled = false;
    promise.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    while (!settled) {
      for (const go of held.splice(0)) go();
      await new Promise((resolve) => setImmediate(resolve));
    }
    return promise;
  };
  return { api, drive, mostWaiting: () => mostWaiting };
}

describe("the production listing asks for pages ahead", () => {
  it("asks for the next pages before a page is handed out, and hands them out in order", async () => {
    const all = records();
    const log: string[] = [];
    const { api, drive, mostWaiting } = heldApi(all, log);
    const pages = productionOutcomes(api, PAGE).callPages({ campaignId: "701", from: FROM, to: TO });
    const ids: string[] = [];
    for (;;) {
      const page = await drive(pages.next());
      if (page.done) break;
      log.push(`page ${page.value.index}`);
      for (let i = 0; i < page.value.count; i++) ids.push(page.value.call(i).id);
    }
    // Same records, same order, each once.
    expect(ids).toEqual(all.map((r) => String(r.contactId)));
    // The first page is asked alone (nothing says how long the listing is yet); once it came,
    // the next PAGES_AHEAD pages are asked before it is handed out.
    expect(PAGES_AHEAD).toBeGreaterThanOrEqual(2);
    expect(log.slice(0, 2 + PAGES_AHEAD)).toEqual(
      ["ask 0", ...Array.from({ length: PAGES_AHEAD }, (_, k) => `ask ${(k + 1) * PAGE}`), "page 0"].slice(
        0,
        2 + PAGES_AHEAD,
      ),
    );
    expect(log.indexOf(`ask ${PAGES_AHEAD * PAGE}`)).toBeLessThan(log.indexOf("page 0"));
    expect(mostWaiting()).toBe(PAGES_AHEAD);
    // Every page asked once, none past the end.
    const asked = log.filter((l) => l.startsWith("ask ")).map((l) => Number(l.slice(4)));
    expect(asked).toEqual(Array.from({ length: PAGES }, (_, k) => k * PAGE));
  });

  it("stops asking when the reader stops: nothing is left waiting on the listing's behalf", async () => {
    const log: string[] = [];
    const { api, drive } = heldApi(records(), log);
    const pages = productionOutcomes(api, PAGE).callPages({ campaignId: "701", from: FROM, to: TO });
    expect((await drive(pages.next())).value?.index).toBe(0);
    await pages.return(undefined);
    // Page 0 and the pages asked ahead of it; nothing more once the reader left.
    expect(log.filter((l) => l.startsWith("ask ")).length).toBe(1 + PAGES_AHEAD);
  });
});

describe("against the production API's emulator", () => {
  let emulator: RunningCxoneEmulator;
  let skillId = "";
  const client = () => {
    const options = clientOptionsFromSettings(accessKeySettings(emulator));
    return createInternalClient({
      ...options,
      dataDir: mkdtempSync(path.join(tmpdir(), "cxo-prefetch-")),
      http: { ...options.http, backoffBaseMs: 5, backoffCapMs: 20, rateLimitScale: 100 },
    });
  };
  const exportOnce = async (onFirstPage?: () => Promise<unknown>) => {
    const c = client();
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-prefetch-export-"));
    const store = await openStore(path.join(dir, ".cxo"), { actor: "test" });
    let pending: Promise<unknown> | undefined;
    try {
      const summary = await exportOutcomes({
        client: c.port,
        store,
        query: parseExportQuery({
          campaign: skillId,
          from: emulator.fixtures.completed.windowStart,
          to: new Date(Date.now() - 3 * 3_600_000).toISOString(),
          pageSize: 40,
        }),
        out: path.join(dir, "out.ndjson"),
        onProgress: () => {
          pending ??= onFirstPage?.();
        },
      });
      await pending;
      return { summary, bytes: readFileSync(path.join(dir, "out.ndjson")) };
    } finally {
      await store.close();
      await c.close();
    }
  };

  beforeAll(async () => {
    emulator = (await startEmulator({
      platform: "cxone",
      port: 0,
      seed: 29,
      contacts: 3000,
    })) as RunningCxoneEmulator;
    skillId = String(
      emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isActive)!
        .skillId,
    );
  });
  afterAll(async () => {
    await emulator.close();
  });

  it("a burst of 429s in the middle of an export gives the same bytes and hash", async () => {
    const clean = await exportOnce();
    expect(clean.summary.pages).toBeGreaterThan(4 + PAGES_AHEAD);
    const throttled = await exportOnce(() =>
      adminCall(emulator.url, "POST", "/faults", { group: "completed", burst429: 3, retryAfter: 0 }),
    );
    expect(throttled.summary.throttled).toBeGreaterThan(0);
    expect(throttled.bytes.equals(clean.bytes)).toBe(true);
    expect(throttled.summary.complianceHash).toBe(clean.summary.complianceHash);
    expect(throttled.summary.totalRecords).toBe(clean.summary.totalRecords);
  });
});
