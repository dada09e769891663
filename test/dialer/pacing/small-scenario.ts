import { compileScenario, type Scenario, scenarioSchema } from "../../../src/dialer/pacing/scenario.ts";

/** A small scenario (10 agents, a 2-hour day) so pacing tests run in milliseconds. */
export function smallScenario(over: Record<string, unknown> = {}): Scenario {
  return compileScenario(
    scenarioSchema.parse({
      name: "small",
      days: 2,
      day: { start: "09:00", end: "11:00" },
      agents: 10,
      staffing: [{ from: "10:00", to: "10:30", present: 0.8 }],
      talk: { dist: "lognormal", mean: 120, cv: 1 },
      wrap: { dist: "constant", mean: 10 },
      ring: { answered: { dist: "lognormal", mean: 12, cv: 0.5 }, unansweredSeconds: 25 },
      answerRate: [
        { at: "09:00", rate: 0.3 },
        { at: "10:00", rate: 0.2 },
        { at: "10:00", rate: 0.1 },
        { at: "11:00", rate: 0.3 },
      ],
      machines: { share: 0.3, detectSeconds: 2.5, falsePositive: 0.05 },
      abandon: { connectWithinSeconds: 2 },
      limits: { target: 0.03, window: "ftc-30d", maxLinesPerAgent: 3 },
      ...over,
    }),
  );
}
