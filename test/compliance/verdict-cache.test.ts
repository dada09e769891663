import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import type { ComplianceInput } from "../../src/compliance/verdict.ts";
import { parseNanp } from "../../src/core/phone-number.ts";

/**
 * The engine reuses the verdict of a situation (area code, exchange's zones, declared zone and
 * state, consent, registry findings, instant) for every number in it. A reused verdict must be
 * the one the engine computes for that number from scratch; an attempt history makes it compute
 * from scratch (an attempt 60 days old changes no rule's answer).
 */
const AT = Date.parse("2026-03-10T18:00:00Z");
const ASOF = "2026-03-01";
const engine = new ComplianceEngine();
const evaluateCall = (input: ComplianceInput) => engine.evaluate(input);
const fresh = (input: ComplianceInput) =>
  new ComplianceEngine().evaluate({ ...input, attempts: [{ atMs: AT - 60 * 86_400_000 }] });

function input(phone: string, options: Partial<ComplianceInput> = {}): ComplianceInput {
  const number = parseNanp(phone);
  if (!number) throw new Error(phone);
  return { number, atMs: AT, consent: false, onDnc: false, ...options };
}

describe("the verdict cache", () => {
  it("gives each number on a registry its own verdict, naming it, as computed from scratch", () => {
    const listed = [
      { registry: "national", asOf: ASOF, listed: true },
      { registry: "NY", asOf: ASOF, listed: true },
    ];
    const phones = ["+12127361001", "+12127361002", "+12127369999"];
    for (const consent of [false, true, undefined])
      for (const phone of phones) {
        const call = input(phone, { consent, registries: listed });
        const verdict = evaluateCall(call);
        expect(verdict).toEqual(fresh(call));
        const listings = verdict.reasons.filter(
          (r) => r.ruleId.startsWith("dnc-registry-") && !r.ruleId.endsWith("-age"),
        );
        expect(listings.map((r) => r.code)).toEqual(consent === true ? [] : ["national_dnc", "state_dnc_NY"]);
        for (const reason of listings) expect(reason.message.startsWith(`${phone} is on `)).toBe(true);
      }
  });

  it("keeps listed and unlisted numbers of one exchange apart", () => {
    const findings = (listedOnNational: boolean) => [
      { registry: "national", asOf: ASOF, listed: listedOnNational },
    ];
    const onList = evaluateCall(input("+13057361001", { registries: findings(true), consent: undefined }));
    const offList = evaluateCall(input("+13057361002", { registries: findings(false), consent: undefined }));
    expect(onList.reasons.map((r) => r.code)).toContain("national_dnc");
    expect(offList.reasons.map((r) => r.code)).not.toContain("national_dnc");
    expect(offList).toEqual(
      fresh(input("+13057361002", { registries: findings(false), consent: undefined })),
    );
  });

  it("hands out verdicts whose shared lists cannot be changed by one caller for the next", () => {
    const a = evaluateCall(input("+14157361001", { consent: true }));
    const b = evaluateCall(input("+14157361002", { consent: true }));
    expect(b.zones).toBe(a.zones);
    expect(() => (a.zones as string[]).push("Europe/Paris")).toThrow(TypeError);
    expect(b).toEqual(fresh(input("+14157361002", { consent: true })));
  });
});

describe("the verdict cache's keys", () => {
  it("never give one situation's verdict to another, across instants, parts and evictions", () => {
    // A tiny bound: every cache forgets all but its last few entries (the ids of the keys too),
    // so keys made before and after an eviction meet the same numbers.
    const tiny = new ComplianceEngine({ cacheLimit: 7 });
    const phones = [
      "+12127361001",
      "+13057361002",
      "+14157361003",
      "+18072031234",
      "+19075811234",
      "+16892341234",
    ];
    const zones = [undefined, "", "America/Chicago", "America/Los_Angeles", "Not/AZone"];
    const states = [undefined, "NY", "FL", "BC", "ZZ"];
    const registries = [
      undefined,
      [],
      [{ registry: "national", asOf: ASOF, listed: true }],
      [{ registry: "national", asOf: ASOF, listed: false }],
      [
        { registry: "national", asOf: ASOF, listed: false },
        { registry: "FL", asOf: ASOF, listed: true },
      ],
    ];
    const instants = [AT, AT + 3 * 3_600_000, Date.parse("2026-07-04T16:00:00Z")];
    let seed = 42;
    const pick = <T>(list: readonly T[]): T => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return list[seed % list.length]!;
    };
    for (let i = 0; i < 600; i++) {
      const call = input(pick(phones), {
        atMs: pick(instants),
        declaredZone: pick(zones),
        addressState: pick(states),
        consent: pick([true, false, undefined]),
        registries: pick(registries),
        ...(i % 5 === 0 ? { campaignCaps: { perDay: 1 }, campaignId: "c1" } : {}),
      });
      expect(tiny.evaluate(call)).toEqual(fresh(call));
    }
  });
});
