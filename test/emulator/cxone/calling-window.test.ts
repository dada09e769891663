import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../../src/compliance/engine.ts";
import { parseNanp } from "../../../src/compliance/index.ts";
import type { Verdict } from "../../../src/compliance/verdict.ts";
import { resolveCxoneOptions } from "../../../src/emulator/cxone/options.ts";
import { CxoneState } from "../../../src/emulator/cxone/state.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * Issue 64 §2: the production emulator's history is a real tenant's — every dialled contact
 * started inside its called party's calling window (judged by the compliance engine, not by the
 * emulator's own table), and who answers depends on the local hour and weekday, so heat maps and
 * learned models have something true to find.
 */
const END = Date.parse("2026-03-20T10:30:00.000Z"); // spans the US DST change of 8 March

describe("production-API emulator: history inside calling windows", () => {
  const state = new CxoneState(
    resolveCxoneOptions({ platform: "cxone", seed: 64, contacts: 30_000, days: 21 }),
    END,
  );
  const w = state.warehouse;
  const outbound = Array.from({ length: w.total }, (_, p) => w.facts(p)).filter((f) => f.isOutbound);
  // Each dialled contact judged once by the compliance engine, for both tests below (they judged
  // every contact five times over: 9 s of the file's 12 at load 10).
  let judged: Array<{ f: (typeof outbound)[number]; verdict: Verdict }> | undefined;
  const verdicts = () =>
    (judged ??= outbound.map((f) => {
      const number = parseNanp(`+1${f.toAddress}`);
      if (!number) throw new Error(`unparsable called number ${f.toAddress}`);
      return { f, verdict: engine.evaluate({ number, atMs: f.contactStartMs, consent: true, onDnc: false }) };
    }));

  it("starts every dialled contact inside the called number's calling hours", () => {
    const outside: string[] = [];
    for (const { f, verdict } of verdicts()) {
      const banned = verdict.reasons.filter((r) =>
        ["outside_calling_hours", "no_calls_on_this_day", "holiday", "unknown_time_zone"].includes(r.code),
      );
      if (banned.length > 0) outside.push(`${f.toAddress} at ${new Date(f.contactStartMs).toISOString()}`);
    }
    expect(outbound.length).toBeGreaterThan(15_000);
    expect(outside.slice(0, 5)).toEqual([]);
  });

  it("keeps recent contacts: the newest started within the last half hour before the end", () => {
    // doctor infers the warehouse lag from the newest contact's age (10:30 UTC: Guam is open).
    expect(END - w.startMs(w.total - 1)).toBeLessThan(30 * 60_000);
  });

  it("option history any-hour: starts over the whole span, the quiet hour 11:00–12:00 UTC included", () => {
    const quiet = (s: CxoneState) =>
      Array.from({ length: 5000 }, (_, p) => s.warehouse.startMs(p)).filter(
        (ms) => new Date(ms).getUTCHours() === 11,
      ).length;
    const options = { platform: "cxone", seed: 64, contacts: 5000, days: 7 } as const;
    expect(quiet(new CxoneState(resolveCxoneOptions(options), END))).toBe(0);
    expect(
      quiet(new CxoneState(resolveCxoneOptions({ ...options, history: "any-hour" }), END)),
    ).toBeGreaterThan(100);
  });

  it("answers more in the evening than in the morning, more on Saturday than on Sunday", () => {
    // Each answerable contact at the called party's local time, once.
    const local = verdicts()
      .filter(({ f }) => !f.abandoned)
      .map(({ f, verdict }) => ({
        at: DateTime.fromMillis(f.contactStartMs, { zone: verdict.zones[0] as string }),
        answered: f.agentId !== null,
      }));
    const rate = (keep: (local: DateTime) => boolean) => {
      let dialled = 0;
      let answered = 0;
      for (const contact of local) {
        if (!keep(contact.at)) continue;
        dialled++;
        if (contact.answered) answered++;
      }
      expect(dialled).toBeGreaterThan(300);
      return answered / dialled;
    };
    const morning = rate((t) => t.hour >= 8 && t.hour < 10);
    const evening = rate((t) => t.hour >= 17 && t.hour < 21);
    expect(evening).toBeGreaterThan(morning * 1.6);
    const saturday = rate((t) => t.weekday === 6);
    const sunday = rate((t) => t.weekday === 7);
    expect(saturday).toBeGreaterThan(sunday * 1.4);
  });
});
