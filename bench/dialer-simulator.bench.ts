import { dialerConfigSchema } from "../src/dialer/config.ts";
import type { EventQueue } from "../src/dialer/simulator/des/event-heap.ts";
import { mmnD, paramsFromConfig, simulate } from "../src/dialer/simulator/index.ts";
import type { BenchRow } from "./types.ts";

/**
 * The capacity simulator's speed: one simulated hour of a 100-agent predictive campaign
 * (target < 1 s) and a run long enough for 10⁶ answered calls (target < 10 s), in events/s.
 * Baseline in the same run: the same simulation on a naive future-event list (an array kept
 * sorted by re-sorting on every insert), and the cost of one closed-form evaluation.
 */
class SortedArrayQueue implements EventQueue {
  private events: Array<{ time: number; payload: number }> = [];
  get size(): number {
    return this.events.length;
  }
  peekTime(): number {
    return this.events.length > 0 ? (this.events.at(-1) as { time: number }).time : Number.POSITIVE_INFINITY;
  }
  push(time: number, payload: number): void {
    this.events.push({ time, payload });
    this.events.sort((a, b) => b.time - a.time);
  }
  pop(): number {
    return (this.events.pop() as { payload: number }).payload;
  }
}

const config = dialerConfigSchema.parse({
  concurrency: { maxAgents: 100, maxSimultaneousCalls: 1000 },
  algorithm: { abandonmentTarget: 0.03, dialRatio: 2.5, agentAvailabilityEstimate: 1 },
  carrier: { trunks: 1000 },
});

function timed<T>(fn: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = fn();
  return { value, ms: performance.now() - started };
}

export default async function dialerSimulatorBench(): Promise<BenchRow[]> {
  // Warm the JIT on a short run so the measured runs are steady-state code.
  simulate(paramsFromConfig(config, { hours: 2, warmupSeconds: 600 }));

  const oneHour = paramsFromConfig(config, { hours: 1, warmupSeconds: 600 });
  const ours = timed(() => simulate(oneHour));

  // 10⁶ answered calls: size the run from the one-hour answer rate.
  const hoursForMillion = Math.ceil(1_000_000 / ours.value.answered) + 1;
  const million = timed(() =>
    simulate(paramsFromConfig(config, { hours: hoursForMillion, warmupSeconds: 600 })),
  );
  if (million.value.answered < 1_000_000) throw new Error(`only ${million.value.answered} answered calls`);
  const eventsPerSecond = million.value.eventsProcessed / (million.ms / 1000);

  // Baseline: the same one-hour simulation on the naive event list (run after ours).
  const naive = timed(() => simulate(oneHour, { queue: () => new SortedArrayQueue() }));
  if (naive.value.eventsProcessed !== ours.value.eventsProcessed)
    throw new Error("the naive queue changed the simulation");
  const naiveEventsPerSecond = naive.value.eventsProcessed / (naive.ms / 1000);
  const oursEventsPerSecond = ours.value.eventsProcessed / (ours.ms / 1000);

  const evaluations = 2000;
  const closed = timed(() => {
    let sum = 0;
    for (let i = 0; i < evaluations; i++) sum += mmnD(100, 0.7 + i * 1e-6, 1 / 130, 2).pAbandon;
    return sum;
  });

  return [
    {
      suite: "dialer-simulator",
      metric: `1 simulated hour, 100 agents predictive (${ours.value.eventsProcessed} events)`,
      unit: "ms",
      ours: ours.ms,
      baseline: naive.ms,
      baselineLabel: "same run on a re-sorted array event list",
      target: "< 1000",
      met: ours.ms < 1000,
    },
    {
      suite: "dialer-simulator",
      metric: "events/s, 1-hour run",
      unit: "events/s",
      ours: oursEventsPerSecond,
      baseline: naiveEventsPerSecond,
      baselineLabel: "re-sorted array event list",
    },
    {
      suite: "dialer-simulator",
      metric: `${million.value.answered} answered calls (${hoursForMillion} h, ${million.value.eventsProcessed} events)`,
      unit: "s",
      ours: million.ms / 1000,
      target: "< 10",
      met: million.ms < 10_000,
    },
    {
      suite: "dialer-simulator",
      metric: "events/s, 10⁶-answer run",
      unit: "events/s",
      ours: eventsPerSecond,
      baseline: naiveEventsPerSecond,
      baselineLabel: "re-sorted array event list (1-hour run)",
    },
    {
      suite: "dialer-simulator",
      metric: "M/M/n+D closed form, n = 100 (for scale: no simulation)",
      unit: "µs/evaluation",
      ours: (closed.ms * 1000) / evaluations,
    },
  ];
}
