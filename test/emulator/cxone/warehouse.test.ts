import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { NATURAL_UPDATE_LAG_MS } from "../../../src/emulator/cxone/data/bounded-scan.ts";
import type { CompletedQuery } from "../../../src/emulator/cxone/data/contacts.ts";
import { resolveCxoneOptions } from "../../../src/emulator/cxone/options.ts";
import { CxoneState } from "../../../src/emulator/cxone/state.ts";

/**
 * The lazy warehouse answers skill/date queries by arithmetic and the rest by scanning; both
 * must agree with the obvious way (build every contact, filter, order, slice), whatever the
 * filters, with overrides and contacts that ended during the run mixed in.
 */
const END = Date.parse("2026-01-10T00:00:00.000Z");

function world() {
  const state = new CxoneState(
    resolveCxoneOptions({ platform: "cxone", seed: 21, contacts: 400, days: 2 }),
    END,
  );
  const w = state.warehouse;
  // Some changes: a re-dispositioned contact, a tagged one, and two calls that ended.
  w.overrides.set(w.idOf(10), { primaryDispositionId: null, lastUpdateMs: END + 5000 });
  w.overrides.set(w.idOf(200), { tagIds: [1], lastUpdateMs: END + 9000 });
  // And changes inside the span: one keeping its own time, one moved to the middle of the span.
  w.overrides.set(w.idOf(150), { dispositionNotes: "seen", lastUpdateMs: 0 });
  w.overrides.set(w.idOf(50), { dispositionNotes: "later", lastUpdateMs: END - 86_400_000 });
  for (const contact of [...state.active.values()].slice(0, 2))
    state.endActive(contact.contactId, END + 60_000);
  return state;
}

function bruteForce(state: CxoneState, q: CompletedQuery, skip: number, top: number) {
  const w = state.warehouse;
  const matches: number[] = [];
  for (let p = 0; p < w.size; p++) {
    const f = w.facts(p);
    if (f.contactStartMs > q.visibleUntilMs) continue;
    if (q.skillIds && !q.skillIds.has(f.skillId)) continue;
    if (q.mediaTypeId !== null && f.mediaTypeId !== q.mediaTypeId) continue;
    if (q.agentId !== null && f.agentId !== q.agentId) continue;
    if (q.updatedSinceMs !== null && f.lastUpdateMs < q.updatedSinceMs) continue;
    const t = q.dateField === "lastUpdateTime" ? f.lastUpdateMs : f.contactStartMs;
    if (q.fromMs !== null && t < q.fromMs) continue;
    if (q.toMs !== null && (q.endInclusive ? t > q.toMs : t >= q.toMs)) continue;
    matches.push(p);
  }
  // In change order (TAP's incremental listing): by lastUpdateTime, ties by start order.
  if (q.byLastUpdate) matches.sort((a, b) => w.facts(a).lastUpdateMs - w.facts(b).lastUpdateMs || a - b);
  const ordered = q.descending ? [...matches].reverse() : matches;
  return { total: matches.length, positions: ordered.slice(skip, skip + top) };
}

describe("production-API emulator: the lazy completed-contact warehouse", () => {
  const state = world();
  const w = state.warehouse;
  const span = 2 * 86_400_000 + 120_000;
  const instant = fc.integer({ min: 0, max: span }).map((offset) => END - 2 * 86_400_000 + offset);

  it("agrees with building, filtering and slicing every contact", () => {
    fc.assert(
      fc.property(
        fc.record({
          from: fc.option(instant, { nil: null, freq: 2 }),
          to: fc.option(instant, { nil: null, freq: 2 }),
          endInclusive: fc.boolean(),
          byUpdate: fc.boolean(),
          skills: fc.option(fc.subarray([...w.skillIds]), { nil: null, freq: 2 }),
          agent: fc.option(fc.constantFrom(...state.world.agents.map((a) => a.agentId)), {
            nil: null,
            freq: 2,
          }),
          media: fc.option(fc.constantFrom(4, 1), { nil: null, freq: 2 }),
          since: fc.option(instant, { nil: null, freq: 2 }),
          visible: instant,
          descending: fc.boolean(),
          changeOrder: fc.boolean(),
          skip: fc.integer({ min: 0, max: 450 }),
          top: fc.integer({ min: 1, max: 120 }),
        }),
        (r) => {
          const q: CompletedQuery = {
            fromMs: r.from,
            toMs: r.to,
            endInclusive: r.endInclusive,
            dateField: r.byUpdate ? "lastUpdateTime" : "contactStartDate",
            skillIds: r.skills ? new Set(r.skills) : null,
            agentId: r.agent,
            mediaTypeId: r.media,
            updatedSinceMs: r.since,
            visibleUntilMs: r.visible,
            descending: r.descending,
            byLastUpdate: r.changeOrder,
          };
          expect(w.query(q, r.skip, r.top)).toEqual(bruteForce(state, q, r.skip, r.top));
        },
      ),
      { numRuns: 600 },
    );
  });

  it("keeps start times in order across generated and ended contacts", () => {
    for (let p = 1; p < w.size; p++) expect(w.startMs(p)).toBeGreaterThanOrEqual(w.startMs(p - 1));
    expect(w.size).toBe(402);
  });

  it("a generated contact's own lastUpdateTime is at most NATURAL_UPDATE_LAG_MS after its start", () => {
    // What the bounded scan rests on: a contact starting that long before updatedSince cannot match.
    const large = new CxoneState(
      resolveCxoneOptions({ platform: "cxone", seed: 7, contacts: 5_000, days: 2 }),
      END,
    ).warehouse;
    let longest = 0;
    for (let p = 0; p < large.total; p++) {
      const f = large.facts(p);
      expect(f.lastUpdateMs).toBeGreaterThanOrEqual(f.contactStartMs);
      longest = Math.max(longest, f.lastUpdateMs - f.contactStartMs);
    }
    expect(longest).toBeLessThanOrEqual(NATURAL_UPDATE_LAG_MS);
    expect(longest).toBeGreaterThan(NATURAL_UPDATE_LAG_MS / 2); // the bound is not loose by much
  });

  it("a page of the incremental listing builds that page and the bands at its bounds, not every contact", () => {
    // A first read of agents' dispositions pages a tenant's 30 days this way (keyed on
    // updatedSince: every page is a new query); each page built the whole range twice.
    const tenant = new CxoneState(
      resolveCxoneOptions({ platform: "cxone", seed: 5, contacts: 20_000, days: 10 }),
      END,
    );
    const q: CompletedQuery = {
      fromMs: null,
      toMs: null,
      endInclusive: false,
      dateField: "contactStartDate",
      skillIds: null,
      agentId: null,
      mediaTypeId: 4,
      updatedSinceMs: END - 5 * 86_400_000,
      visibleUntilMs: END,
      descending: false,
      byLastUpdate: true,
    };
    const built = vi.spyOn(tenant.warehouse, "facts");
    const page = tenant.warehouse.query(q, 0, 1000);
    const calls = built.mock.calls.length;
    built.mockRestore();
    expect(page.positions).toHaveLength(1000);
    expect(page.total).toBeGreaterThan(8_000);
    expect(page).toEqual(bruteForce(tenant, q, 0, 1000));
    expect(calls).toBeLessThan(4_000); // the old whole-range scan: twice the ~10,000 after updatedSince
  });
});
