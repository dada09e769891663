import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { type AttemptTime, parseNanp, regFReasons } from "../../src/compliance/index.ts";
import { directCount, indexIntervals, mostWithin } from "../../src/compliance/interval-caps.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * Issue 62 §3: the engine judges a call that may be placed anywhere in `[atMs, untilMs]` (a
 * pushed attempt's dial window). 2026-03-10 is a Tuesday (EDT in force); 2026-07-03 a Friday
 * before Independence Day (observed on Friday 2026-07-03, since 07-04 is a Saturday).
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (iso: string) => Date.parse(iso);
const number = (e164: string) => {
  const n = parseNanp(e164);
  if (!n) throw new Error(e164);
  return n;
};
const judge = (phone: string, atIso: string, minutes: number | undefined, attempts: AttemptTime[] = []) =>
  engine.evaluate({
    number: number(phone),
    atMs: at(atIso),
    ...(minutes === undefined ? {} : { untilMs: at(atIso) + minutes * MIN }),
    consent: true,
    onDnc: false,
    attempts,
    searchDays: 0,
  });
const codes = (v: { reasons: Array<{ code: string }> }) => v.reasons.map((r) => r.code);

describe("calling hours over a dial interval", () => {
  it("20:30 with a 59-minute window breaks the 21:00 curfew; the instant alone does not", () => {
    // New York (212): TCPA 08:00–21:00.
    expect(judge("+12125552123", "2026-03-10T20:30:00-04:00", undefined).allowed).toBe(true);
    expect(judge("+12125552123", "2026-03-10T20:30:00-04:00", 0).allowed).toBe(true);
    expect(judge("+12125552123", "2026-03-10T20:30:00-04:00", 29).allowed).toBe(true);
    const late = judge("+12125552123", "2026-03-10T20:30:00-04:00", 59);
    expect(codes(late)).toEqual(["outside_calling_hours"]);
    expect(late.reasons[0]?.message).toMatch(/^21:00 Tuesday in America\/New_York/);
    expect(judge("+12125552123", "2026-03-10T20:00:00-04:00", 59).allowed).toBe(true);
    expect(codes(judge("+12125552123", "2026-03-10T20:00:00-04:00", 60))).toEqual(["outside_calling_hours"]);
  });

  it("holds in every candidate zone of a two-zone area code (850: Eastern and Central Florida, 08:00–20:00)", () => {
    // 18:30 CST is 19:30 EST: an hour-long window reaches 20:30 Eastern, past Florida's 20:00.
    const v = judge("+18505552123", "2026-03-10T18:30:00-05:00", 59);
    expect(v.zones.length).toBeGreaterThanOrEqual(2);
    expect(v.allowed).toBe(false);
    expect(v.reasons.some((r) => r.zone === "America/New_York")).toBe(true);
    expect(judge("+18505552123", "2026-03-10T18:00:00-05:00", 59).allowed).toBe(true);
  });

  it("a holiday on any day the interval touches counts, and a window crossing midnight fails", () => {
    // Rhode Island (401) bans calls on its legal holidays; Friday 2026-07-03 is Independence Day
    // observed. Thursday 17:00 with a 24-hour window reaches into it (and through the night).
    const v = judge("+14015552123", "2026-07-02T17:00:00-04:00", 24 * 60);
    expect(codes(v)).toContain("holiday");
    expect(codes(v)).toContain("outside_calling_hours");
    expect(judge("+14015552123", "2026-07-02T17:00:00-04:00", 59).allowed).toBe(true);
    // A long window within one Wednesday's hours is allowed.
    expect(judge("+12125552123", "2026-03-11T09:00:00-04:00", 11 * 60).allowed).toBe(true);
  });
});

describe("frequency caps over dial intervals", () => {
  // Florida (305): at most 3 in any 24 h.
  const fl = "+13055550001";
  it("a call 24 h after the first of three planned calls may be dialled within 24 h of it", () => {
    const t0 = at("2026-03-10T10:00:00-04:00");
    const planned = (ms: number): AttemptTime => ({ atMs: ms, untilMs: ms + 59 * MIN });
    const attempts = [planned(t0), planned(t0 + 4 * HOUR), planned(t0 + 8 * HOUR)];
    // The first dialled at 10:59, this one at 10:00 the next day: 4 calls in 23 h 01.
    const v = judge(fl, new Date(t0 + 24 * HOUR).toISOString(), 0, attempts);
    expect(codes(v)).toEqual(["frequency_cap"]);
    expect(v.reasons[0]?.message).toMatch(/^3 other attempts may be dialled within 24 h/);
    // As instants the same times are legal (10:00 is exactly 24 h after 10:00).
    const points = engine.evaluate({
      number: number(fl),
      atMs: t0 + 24 * HOUR,
      consent: true,
      onDnc: false,
      attempts: attempts.map((a) => ({ atMs: a.atMs })),
      searchDays: 0,
    });
    expect(points.allowed).toBe(true);
    // W + s after the first start: every dial time is 24 h or more after the first's latest.
    expect(judge(fl, new Date(t0 + 24 * HOUR + 59 * MIN).toISOString(), 59, attempts).allowed).toBe(true);
    // History is a point: the same call after three attempts made is legal.
    expect(
      judge(
        fl,
        new Date(t0 + 24 * HOUR).toISOString(),
        59,
        attempts.map((a) => ({ atMs: a.atMs })),
      ).allowed,
    ).toBe(true);
  });

  it("counts attempts after the call too (a plan is not made in time order)", () => {
    const t0 = at("2026-03-10T10:00:00-04:00");
    const later = [3, 6, 9].map(
      (h): AttemptTime => ({ atMs: t0 + h * HOUR, untilMs: t0 + h * HOUR + 59 * MIN }),
    );
    expect(codes(judge(fl, new Date(t0).toISOString(), 59, later))).toEqual(["frequency_cap"]);
    expect(judge(fl, new Date(t0).toISOString(), undefined, later).allowed).toBe(true);
  });

  it("mostWithin: latest start − earliest end < window", () => {
    const W = 24 * HOUR;
    const s = 59 * MIN;
    const iv = (h: number, len = s) => ({ startMs: h * HOUR, endMs: h * HOUR + len });
    // Starts 0, 24, 48 with 59-min windows: dial 0:59 and 24:00 → 23 h 01 apart: 2 within 24 h.
    expect(mostWithin(iv(24), [iv(0)], W)).toBe(2);
    expect(mostWithin(iv(24), [iv(0, 0)], W)).toBe(1);
    expect(mostWithin(iv(48), [iv(0), iv(24)], W)).toBe(2);
    // Start gap W + s exactly: never within W.
    expect(mostWithin({ startMs: W + s, endMs: W + 2 * s }, [iv(0)], W)).toBe(1);
    expect(mostWithin({ startMs: W + s - 1, endMs: W + 2 * s - 1 }, [iv(0)], W)).toBe(2);
  });

  it("mostWithin's sorted count is the direct count, ties and backwards intervals included", () => {
    // Small integers so that ends, starts and u + W coincide often (the boundaries of < and ≥).
    const interval = fc
      .tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: -3, max: 12 }))
      .map(([startMs, span]) => ({ startMs, endMs: startMs + span }));
    fc.assert(
      fc.property(
        interval,
        fc.array(interval, { maxLength: 30 }),
        fc.integer({ min: -2, max: 20 }),
        (call, others, windowMs) => {
          const direct = directCount(call, others, windowMs);
          expect(mostWithin(call, others, windowMs)).toBe(direct);
          expect(mostWithin(call, indexIntervals(others), windowMs)).toBe(direct);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("Regulation F over dial intervals", () => {
  it("7 calls 24 h apart plus one 7 days after the first: dialled late then early, 8 in a period", () => {
    const t0 = at("2026-03-10T10:00:00-04:00");
    const PERIOD = 8 * 24 * HOUR;
    const planned = Array.from({ length: 7 }, (_, i) => ({
      atMs: t0 + i * 24 * HOUR,
      conversation: false,
      untilMs: t0 + i * 24 * HOUR + 59 * MIN,
    }));
    // As instants, a call 8 × 24 h after the first is outside every period with it; but the
    // first may be dialled 59 minutes late: 8 calls within less than a period.
    const eighth = t0 + PERIOD;
    const asPoints = planned.map(({ untilMs: _u, ...point }) => point);
    expect(regFReasons(asPoints, eighth).map((r) => r.code)).toEqual([]);
    expect(regFReasons(planned, eighth).map((r) => r.code)).toEqual(["reg_f_7_in_7"]);
    expect(regFReasons(planned, eighth + 59 * MIN, eighth + 2 * 59 * MIN).map((r) => r.code)).toEqual([]);
  });
});
