import { z } from "zod";
import { falsePositiveEstimateSchema } from "./amd-estimate.ts";
import { PACING_WINDOWS, type PacingLimits } from "./types.ts";

/**
 * The pacing scenario file (docs/pacing.md, a contract): one campaign's days, agents, handle
 * times, answer-rate curve, answering machines and legal limits. Parsed with zod so every
 * problem names its field (`answerRate.2.at: …`); `compileScenario` turns it into seconds.
 */
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day "HH:MM" (24-hour)');

const distribution = z
  .object({
    dist: z.enum(["constant", "exponential", "lognormal"]),
    mean: z.number().nonnegative().max(86_400),
    cv: z.number().positive().max(10).optional(),
  })
  .strict()
  .refine((d) => d.dist !== "lognormal" || d.cv !== undefined, {
    message: "a lognormal distribution needs cv",
    path: ["cv"],
  });

export const scenarioSchema = z
  .object({
    name: z.string().min(1).max(200),
    days: z.number().int().min(1).max(400),
    day: z.object({ start: clock, end: clock }).strict(),
    agents: z.number().int().min(1).max(5000),
    staffing: z
      .array(z.object({ from: clock, to: clock, present: z.number().min(0).max(1) }).strict())
      .max(100)
      .default([]),
    talk: distribution,
    wrap: distribution,
    ring: z
      .object({
        answered: distribution,
        unansweredSeconds: z.number().min(15, "at least 15 s (FTC: ring ≥ 15 s or 4 rings)").max(120),
      })
      .strict(),
    answerRate: z
      .array(z.object({ at: clock, rate: z.number().min(0).max(1) }).strict())
      .min(1)
      .max(1000),
    machines: z
      .object({
        share: z.number().min(0).max(1),
        detectSeconds: z.number().min(0).max(30),
        /**
         * A number (files written before issue 67): the share of machines the detector passes on as
         * live, as `passedAsLive`. An object: the OPERATOR's estimate of the people it hangs up on
         * as machines (`{rate}` or `{sampled, foundLive}`, amd-estimate.ts), handed to the
         * controller as `limits.amdFalsePositive`; the simulator's truth stays `liveHungUp`.
         */
        falsePositive: z.union([z.number().min(0).max(1), falsePositiveEstimateSchema]).optional(),
        /** Share of machines the detector passes on as live (an agent hears the machine). */
        passedAsLive: z.number().min(0).max(1).optional(),
        /**
         * How long the detector holds a live person after the greeting before passing them on
         * (this counts inside the connect threshold). Default when `detectSeconds` > 0: lognormal,
         * mean 0.4 × detectSeconds, cv 0.3; none without detection.
         */
        humanDetect: distribution.optional(),
        /** Share of live people the detector takes for machines and hangs up on (abandoned, FTC). */
        liveHungUp: z.number().min(0).max(1).default(0),
      })
      .strict()
      .superRefine((m, ctx) => {
        if (typeof m.falsePositive === "number" && m.passedAsLive !== undefined)
          ctx.addIssue({
            code: "custom",
            path: ["passedAsLive"],
            message: "give passedAsLive or a number falsePositive (its old name), not both",
          });
      })
      .default({ share: 0, detectSeconds: 0, liveHungUp: 0 }),
    abandon: z
      .object({
        connectWithinSeconds: z.number().positive().max(60).default(2),
        patience: distribution.optional(),
        /**
         * Whether a person who hangs up before the connect threshold (during the detector's hold
         * or while waiting, with `patience`) counts as abandoned. Default true: the strict reading
         * of 16 CFR 310.4(b)(4)(i) and Ofcom (docs/pacing.md); false: only a person still there at
         * the threshold with no agent counts (the hang-up stays a live answer).
         */
        countHangUpsBeforeThreshold: z.boolean().default(true),
      })
      .strict()
      .default({ connectWithinSeconds: 2, countHangUpsBeforeThreshold: true }),
    limits: z
      .object({
        target: z.number().positive().max(0.03, "at most 0.03 (the legal 3%)").default(0.03),
        window: z.enum(PACING_WINDOWS as [string, ...string[]]).default("ftc-30d"),
        maxLinesPerAgent: z.number().min(1).max(15).default(3),
      })
      .strict()
      .default({ target: 0.03, window: "ftc-30d", maxLinesPerAgent: 3 }),
    /** Which weekdays the campaign dials and the weekday of its first day (default: every day). */
    calendar: z
      .object({
        dialingDays: z
          .array(z.enum(WEEKDAYS))
          .min(1)
          .max(7)
          .default([...WEEKDAYS]),
        firstDay: z.enum(WEEKDAYS).default("mon"),
      })
      .strict()
      .default({ dialingDays: [...WEEKDAYS], firstDay: "mon" }),
    /** Agents log in evenly over the first `minutes` of each day (default 0: all at opening). */
    ramp: z
      .object({ minutes: z.number().int().min(0).max(240) })
      .strict()
      .default({ minutes: 0 }),
    /** Each agent takes one break of `minutes` within [from, to), staggered evenly. */
    breaks: z
      .array(z.object({ from: clock, to: clock, minutes: z.number().positive().max(240) }).strict())
      .max(20)
      .default([]),
    /** Day-to-day noise: each day's answer rates and handle times × a lognormal factor of mean 1 and this cv. */
    noise: z
      .object({
        answerRate: z.number().min(0).max(2).default(0),
        handle: z.number().min(0).max(2).default(0),
      })
      .strict()
      .default({ answerRate: 0, handle: 0 }),
  })
  .strict()
  .superRefine((s, ctx) => {
    const start = secondsOf(s.day.start);
    const end = secondsOf(s.day.end);
    if (end <= start)
      ctx.addIssue({ code: "custom", path: ["day", "end"], message: "must be after day.start" });
    s.staffing.forEach((entry, i) => {
      if (secondsOf(entry.to) <= secondsOf(entry.from))
        ctx.addIssue({ code: "custom", path: ["staffing", i, "to"], message: "must be after from" });
      // Two windows covering one second would leave who is present to the order of the file.
      s.staffing.forEach((other, j) => {
        if (j >= i) return;
        if (secondsOf(entry.from) < secondsOf(other.to) && secondsOf(other.from) < secondsOf(entry.to))
          ctx.addIssue({
            code: "custom",
            path: ["staffing", i, "from"],
            message: `${entry.from}–${entry.to} overlaps staffing[${j}] (${other.from}–${other.to}): give each time of day one window`,
          });
      });
    });
    s.breaks.forEach((entry, i) => {
      const span = (secondsOf(entry.to) - secondsOf(entry.from)) / 60;
      if (span <= 0)
        ctx.addIssue({ code: "custom", path: ["breaks", i, "to"], message: "must be after from" });
      else if (entry.minutes > span)
        ctx.addIssue({
          code: "custom",
          path: ["breaks", i, "minutes"],
          message: `a ${entry.minutes}-minute break does not fit in ${entry.from}–${entry.to}`,
        });
    });
    for (let i = 1; i < s.answerRate.length; i++) {
      const prev = s.answerRate[i - 1] as { at: string };
      const point = s.answerRate[i] as { at: string };
      if (secondsOf(point.at) < secondsOf(prev.at))
        ctx.addIssue({
          code: "custom",
          path: ["answerRate", i, "at"],
          message: "points must be in time order (two points at the same time make a step)",
        });
    }
  });

export type ScenarioFile = z.infer<typeof scenarioSchema>;
export type DistributionSpec = z.infer<typeof distribution>;

/** The scenario in seconds of the day, ready for the simulator. */
export interface Scenario {
  name: string;
  days: number;
  startSecond: number;
  endSecond: number;
  agents: number;
  /** Share present by interval (seconds of day); 1 outside every interval. */
  staffing: { from: number; to: number; present: number }[];
  talk: DistributionSpec;
  wrap: DistributionSpec;
  ringAnswered: DistributionSpec;
  unansweredSeconds: number;
  /** Piecewise-linear answer rate: times (seconds of day) and rates; equal times make a step. */
  answerTimes: number[];
  answerRates: number[];
  machineShare: number;
  detectSeconds: number;
  falsePositive: number;
  /** The detector's hold on a live person after the greeting (none: passed on at once). */
  humanDetect?: DistributionSpec;
  /** Share of live people hung up on as machines (abandoned people the dialer never sees). */
  liveHungUp: number;
  patience?: DistributionSpec;
  /**
   * False: a person who hangs up before the connect threshold is not abandoned (absent: true,
   * the strict reading; docs/pacing.md, "What counts as abandoned").
   */
  countHangUpsBeforeThreshold?: boolean;
  limits: PacingLimits;
  /** Dialing weekdays, Monday first, and the weekday (0 = Monday) of the first day. */
  dialingWeekdays: boolean[];
  firstWeekday: number;
  /** Agents log in evenly over this many seconds from the opening (whole minutes). */
  rampSeconds: number;
  /** Breaks: within [from, to) a share `minutes × 60 / (to − from)` of agents is away. */
  breaks: { from: number; to: number; away: number }[];
  /** Day-to-day cv of the answer-rate and handle-time factors. */
  noiseAnswerRate: number;
  noiseHandle: number;
}

export function secondsOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  return h * 3600 + m * 60;
}

export function compileScenario(file: ScenarioFile): Scenario {
  return {
    name: file.name,
    days: file.days,
    startSecond: secondsOf(file.day.start),
    endSecond: secondsOf(file.day.end),
    agents: file.agents,
    staffing: file.staffing.map((s) => ({
      from: secondsOf(s.from),
      to: secondsOf(s.to),
      present: s.present,
    })),
    talk: file.talk,
    wrap: file.wrap,
    ringAnswered: file.ring.answered,
    unansweredSeconds: file.ring.unansweredSeconds,
    answerTimes: file.answerRate.map((p) => secondsOf(p.at)),
    answerRates: file.answerRate.map((p) => p.rate),
    machineShare: file.machines.share,
    detectSeconds: file.machines.detectSeconds,
    falsePositive:
      typeof file.machines.falsePositive === "number"
        ? file.machines.falsePositive
        : (file.machines.passedAsLive ?? 0),
    ...(file.machines.humanDetect
      ? { humanDetect: file.machines.humanDetect }
      : file.machines.detectSeconds > 0
        ? { humanDetect: { dist: "lognormal" as const, mean: 0.4 * file.machines.detectSeconds, cv: 0.3 } }
        : {}),
    liveHungUp: file.machines.liveHungUp,
    dialingWeekdays: WEEKDAYS.map((d) => file.calendar.dialingDays.includes(d)),
    firstWeekday: WEEKDAYS.indexOf(file.calendar.firstDay),
    rampSeconds: file.ramp.minutes * 60,
    breaks: file.breaks.map((b) => {
      const from = secondsOf(b.from);
      const to = secondsOf(b.to);
      return { from, to, away: (b.minutes * 60) / (to - from) };
    }),
    noiseAnswerRate: file.noise.answerRate,
    noiseHandle: file.noise.handle,
    ...(file.abandon.patience ? { patience: file.abandon.patience } : {}),
    ...(file.abandon.countHangUpsBeforeThreshold ? {} : { countHangUpsBeforeThreshold: false }),
    limits: {
      target: file.limits.target,
      window: file.limits.window as PacingLimits["window"],
      maxLinesPerAgent: file.limits.maxLinesPerAgent,
      // The true AMD false-positive rate is the scenario's secret: a controller learns it from
      // the agents' machine dispositions (PacingCounts.agentMachines).
      connectWithinSeconds: file.abandon.connectWithinSeconds,
      // The operator's estimate of the people hung up on as machines (not the scenario's truth).
      ...(typeof file.machines.falsePositive === "object"
        ? { amdFalsePositive: file.machines.falsePositive }
        : {}),
    },
  };
}

/** Answer rate (any answer, live or machine) at a second of the day: linear between points, flat outside. */
export function answerRateAt(s: Scenario, second: number): number {
  const times = s.answerTimes;
  const rates = s.answerRates;
  const n = times.length;
  if (second < (times[0] as number)) return rates[0] as number;
  // The last point at or before `second` (after a step, the later of two equal times).
  let i = 0;
  while (i + 1 < n && (times[i + 1] as number) <= second) i++;
  if (i === n - 1) return rates[n - 1] as number;
  const t0 = times[i] as number;
  const t1 = times[i + 1] as number;
  const r0 = rates[i] as number;
  return r0 + ((rates[i + 1] as number) - r0) * ((second - t0) / (t1 - t0));
}

/**
 * Share of agents present at a second of the day: the staffing window's share, × the login
 * ramp's share (whole minutes: 1/N of the agents at opening, one more N-th each minute), × (1 −
 * the share away on break) for each break window covering it.
 */
export function presentAt(s: Scenario, second: number): number {
  let present = 1;
  for (const entry of s.staffing)
    if (second >= entry.from && second < entry.to) {
      present = entry.present;
      break;
    }
  if (s.rampSeconds > 0 && second >= s.startSecond && second < s.startSecond + s.rampSeconds) {
    const steps = s.rampSeconds / 60;
    present *= Math.min(1, (Math.floor((second - s.startSecond) / 60) + 1) / steps);
  }
  for (const b of s.breaks) if (second >= b.from && second < b.to) present *= 1 - b.away;
  return present;
}

/** Seconds of the day at which `presentAt` may change (staffing, ramp minutes, breaks). */
export function staffingChanges(s: Scenario): number[] {
  const out = new Set<number>();
  for (const e of s.staffing) out.add(e.from).add(e.to);
  for (const b of s.breaks) out.add(b.from).add(b.to);
  for (let t = 60; t <= s.rampSeconds; t += 60) out.add(s.startSecond + t);
  return [...out].filter((t) => t > s.startSecond && t < s.endSecond).sort((a, b) => a - b);
}

/** The calendar day (days since the campaign's first day) of the `index`-th dialing day. */
export function calendarDayOf(s: Scenario, index: number): number {
  let calendar = 0;
  let seen = -1;
  for (;;) {
    if (s.dialingWeekdays[(s.firstWeekday + calendar) % 7]) {
      seen++;
      if (seen === index) return calendar;
    }
    calendar++;
  }
}
