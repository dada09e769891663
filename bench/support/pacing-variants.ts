import type { Scenario } from "../../src/dialer/pacing/scenario.ts";

/**
 * The robustness variants of a scenario (pacing.md §3): conditions `cxo` was not tuned on —
 * talk-time CV 1.5, wrap-up drawn from a distribution (exponential, same mean), answer rates
 * 30% lower, and a low-contact list whose live-answer rate runs 5–10% (the curve's shape kept,
 * rescaled into that band).
 */
export function robustnessVariants(base: Scenario): { name: string; scenario: Scenario }[] {
  const live = 1 - base.machineShare;
  const min = Math.min(...base.answerRates);
  const max = Math.max(...base.answerRates);
  const lowContact = base.answerRates.map((r) => {
    const share = max > min ? (r - min) / (max - min) : 0.5;
    return Math.min(1, (0.05 + 0.05 * share) / live);
  });
  return [
    {
      name: "talk CV 1.5",
      scenario: {
        ...base,
        name: `${base.name} (talk CV 1.5)`,
        talk: { ...base.talk, dist: "lognormal", cv: 1.5 },
      },
    },
    {
      name: "wrap exponential",
      scenario: {
        ...base,
        name: `${base.name} (wrap exponential)`,
        wrap: { dist: "exponential", mean: base.wrap.mean },
      },
    },
    {
      name: "answer rates −30%",
      scenario: {
        ...base,
        name: `${base.name} (answer −30%)`,
        answerRates: base.answerRates.map((r) => r * 0.7),
      },
    },
    {
      name: "low-contact list (live 5–10%)",
      scenario: { ...base, name: `${base.name} (low contact)`, answerRates: lowContact },
    },
  ];
}
