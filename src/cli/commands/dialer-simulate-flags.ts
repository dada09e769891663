import { existsSync, statSync } from "node:fs";
import { dirname, extname } from "node:path";
import { z } from "zod";
import { InputError, type InputProblem } from "../../core/input-error.ts";
import { readInputDocument, zodProblems } from "../../core/input-file.ts";
import { type FileKind, HTML_REPORT, SVG_CHART } from "../../core/safe-write.ts";
import {
  type DialerConfig,
  type DialerConfigInput,
  dialerConfigSchema,
  MAX_ABANDONMENT_RATE,
} from "../../dialer/config.ts";
import type { SimulationMode } from "../../dialer/simulator/des/params.ts";
import { type SweepRange, sweepRangeRule } from "../../dialer/simulator/sweep.ts";
import { checkOutFile } from "../output-target.ts";
import {
  agentsFlag,
  flagProblems,
  NUMBER,
  nonNegative,
  numberFlag,
  positive,
  wholeNumberFlag,
} from "./number-flags.ts";

/** `cxo dialer simulate`'s flags: laid over the dialer config file (if any) and validated as one. */
export interface SimulateFlags {
  hours?: string;
  seed?: string;
  mode?: SimulationMode;
  agents?: string;
  ahtS?: string;
  wrapS?: string;
  answerRate?: string;
  dialRatio?: string;
  trunks?: string;
  patienceS?: string;
  target?: string;
  dialsPerHour?: string;
  sweep?: string;
  chart?: string;
  force?: boolean;
}

export interface SimulateRun {
  config: DialerConfig;
  mode: SimulationMode;
  hours: number;
  seed: number;
  dialsPerSecond?: number;
  sweep?: SweepRange;
  chart?: string;
  /** Replace a --chart file that is not a chart cxo wrote. */
  force?: boolean;
}

const simulateFlags = z.object({
  hours: numberFlag("must be above 0 and at most 10000", (n) => n > 0 && n <= 10_000).optional(),
  seed: wholeNumberFlag(0, 0xffffffff).optional(),
  agents: agentsFlag.optional(),
  ahtS: positive.optional(),
  wrapS: nonNegative.optional(),
  answerRate: numberFlag("must be from 0 to 1", (n) => n >= 0 && n <= 1).optional(),
  dialRatio: numberFlag("must be from 1 to 20", (n) => n >= 1 && n <= 20).optional(),
  trunks: wholeNumberFlag(1, 100_000).optional(),
  patienceS: wholeNumberFlag(0, 600, "seconds").optional(),
  target: numberFlag(
    `must be from 0 to ${MAX_ABANDONMENT_RATE} (TCPA 3% abandonment limit)`,
    (n) => n >= 0 && n <= MAX_ABANDONMENT_RATE,
  ).optional(),
  dialsPerHour: positive.optional(),
});

const SIMULATE_FLAG_NAMES: Record<string, string> = {
  hours: "--hours",
  seed: "--seed",
  agents: "--agents",
  ahtS: "--aht-s",
  wrapS: "--wrap-s",
  answerRate: "--answer-rate",
  dialRatio: "--dial-ratio",
  trunks: "--trunks",
  patienceS: "--patience-s",
  target: "--target",
  dialsPerHour: "--dials-per-hour",
};

/** Config fields a flag sets: a schema problem on one of them names the flag. */
const FLAG_OF_CONFIG_PATH: Record<string, keyof typeof SIMULATE_FLAG_NAMES> = {
  "concurrency.maxAgents": "agents",
  "concurrency.maxSimultaneousCalls": "trunks",
  "carrier.trunks": "trunks",
  "algorithm.dialRatio": "dialRatio",
  "algorithm.warmLineTimeoutSec": "patienceS",
  "algorithm.abandonmentTarget": "target",
  "traffic.liveAnswerRate": "answerRate",
  "traffic.talkSeconds": "ahtS",
  "traffic.wrapSeconds": "wrapS",
};

const UNLIMITED_TRUNKS = 100_000;
/** The calling population the dialer config schema assumes when a file gives none. */
const TRAFFIC_DEFAULTS = dialerConfigSchema.shape.traffic.parse(undefined);
const DEFAULT_HOURS = 8;

export function parseSimulateFlags(options: SimulateFlags, file: string | undefined): SimulateRun {
  const parsed = simulateFlags.safeParse(options);
  if (!parsed.success) throw new InputError(flagProblems(parsed.error, SIMULATE_FLAG_NAMES));
  const f = parsed.data;
  const problems: InputProblem[] = [];
  if (file === undefined) {
    for (const key of ["agents", "ahtS", "answerRate"] as const)
      if (f[key] === undefined)
        problems.push({ field: SIMULATE_FLAG_NAMES[key] as string, rule: "is required without --config" });
    if (f.dialRatio === undefined && options.mode !== "progressive" && options.sweep === undefined)
      problems.push({
        field: "--dial-ratio",
        rule: "is required without --config (except --mode progressive or --sweep)",
      });
  }
  let sweep: SweepRange | undefined;
  if (options.sweep !== undefined) {
    const result = parseSweep(options.sweep);
    if ("rule" in result) problems.push({ field: "--sweep", rule: result.rule });
    else sweep = result;
    if (options.mode === "progressive")
      problems.push({ field: "--mode", rule: "progressive dialing has no dial ratio to sweep" });
    if (f.dialRatio !== undefined)
      problems.push({ field: "--dial-ratio", rule: "cannot be combined with --sweep" });
  }
  if (options.chart !== undefined) {
    const ext = extname(options.chart).toLowerCase();
    if (options.sweep === undefined) problems.push({ field: "--chart", rule: "only applies to --sweep" });
    else if (ext !== ".svg" && ext !== ".html")
      problems.push({ field: "--chart", rule: `must end in .svg or .html (got "${options.chart}")` });
    else if (!isDirectory(dirname(options.chart)))
      problems.push({ field: "--chart", rule: `directory "${dirname(options.chart)}" does not exist` });
    else collectChartTarget(options.chart, options.force === true, problems);
  }
  if (f.dialsPerHour !== undefined && options.mode !== "open")
    problems.push({ field: "--dials-per-hour", rule: "only applies to --mode open" });
  if (problems.length > 0) throw new InputError(problems);

  const config = buildConfig(f, file, sweep);
  const mode: SimulationMode =
    options.mode ??
    (sweep ? "predictive" : config.algorithm.type === "predictive" ? "predictive" : "progressive");
  return {
    config,
    mode,
    hours: f.hours ?? DEFAULT_HOURS,
    seed: f.seed ?? 1,
    ...(f.dialsPerHour !== undefined ? { dialsPerSecond: f.dialsPerHour / 3600 } : {}),
    ...(sweep ? { sweep } : {}),
    ...(options.chart !== undefined ? { chart: options.chart } : {}),
    ...(options.force ? { force: true } : {}),
  };
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

export function parseSweep(text: string): SweepRange | { rule: string } {
  const match = /^dial-ratio=([^:]+):([^:]+):([^:]+)$/.exec(text.trim());
  const usage = "must be dial-ratio=FROM:TO:STEP, e.g. dial-ratio=1:4:0.1";
  if (!match) return { rule: usage };
  const [from, to, step] = [match[1], match[2], match[3]].map((s) =>
    NUMBER.test(s ?? "") ? Number(s) : Number.NaN,
  );
  if (from === undefined || to === undefined || step === undefined || [from, to, step].some(Number.isNaN))
    return { rule: usage };
  // The SDK's rule for a range (dialer.sweep checks it too).
  const rule = sweepRangeRule({ from, to, step });
  return rule === undefined ? { from, to, step } : { rule };
}

/** The config document from the file (if any) with the flags laid over it, validated as one. */
function buildConfig(
  f: z.infer<typeof simulateFlags>,
  file: string | undefined,
  sweep: SweepRange | undefined,
): DialerConfig {
  const document = (file !== undefined ? readInputDocument(file, "--config") : {}) as Record<string, unknown>;
  if (document === null || typeof document !== "object" || Array.isArray(document))
    throw new InputError({
      field: "--config",
      rule: "must hold a mapping (concurrency, algorithm, carrier, traffic)",
    });
  const section = (name: string): Record<string, unknown> => {
    const value = document[name];
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? { ...(value as object) }
      : {};
  };
  const concurrency = section("concurrency");
  const algorithm = section("algorithm");
  const carrier = section("carrier");
  const traffic = section("traffic");
  if (file === undefined) {
    algorithm.abandonmentTarget = MAX_ABANDONMENT_RATE;
    algorithm.agentAvailabilityEstimate = 1;
    algorithm.dialRatio = 1;
    carrier.trunks = UNLIMITED_TRUNKS;
    concurrency.maxSimultaneousCalls = UNLIMITED_TRUNKS;
  }
  if (f.agents !== undefined) {
    concurrency.maxAgents = f.agents;
    if (file !== undefined) algorithm.agentAvailabilityEstimate = 1;
  }
  if (f.trunks !== undefined) {
    carrier.trunks = f.trunks;
    concurrency.maxSimultaneousCalls = f.trunks;
  }
  if (f.dialRatio !== undefined) algorithm.dialRatio = f.dialRatio;
  if (sweep) algorithm.dialRatio = sweep.from;
  if (f.patienceS !== undefined) algorithm.warmLineTimeoutSec = f.patienceS;
  if (f.target !== undefined) algorithm.abandonmentTarget = f.target;
  // The schema's own defaults (not re-typed here), needed to derive talk time and the non-live split.
  const number = (value: unknown, fallback: number) => (typeof value === "number" ? value : fallback);
  const baseLive = number(traffic.liveAnswerRate, TRAFFIC_DEFAULTS.liveAnswerRate);
  const baseMachine = number(traffic.machineRate, TRAFFIC_DEFAULTS.machineRate);
  const baseNoAnswer = number(traffic.noAnswerRate, TRAFFIC_DEFAULTS.noAnswerRate);
  if (f.wrapS !== undefined) traffic.wrapSeconds = f.wrapS;
  if (f.ahtS !== undefined) {
    const wrap = number(traffic.wrapSeconds, TRAFFIC_DEFAULTS.wrapSeconds);
    if (f.ahtS <= wrap)
      throw new InputError({
        field: "--aht-s",
        rule: `must be above the wrap time (${wrap} s): AHT = talk + wrap`,
      });
    traffic.wrapSeconds = wrap;
    traffic.talkSeconds = f.ahtS - wrap;
  }
  if (f.answerRate !== undefined) {
    // Keep the non-live outcomes' proportions, rescaled to what the new live rate leaves.
    const rest = 1 - baseLive;
    const scale = rest > 0 ? (1 - f.answerRate) / rest : 0;
    traffic.liveAnswerRate = f.answerRate;
    traffic.machineRate = baseMachine * scale;
    traffic.noAnswerRate = baseNoAnswer * scale;
  }
  const merged: DialerConfigInput = {
    ...(document as object),
    concurrency,
    algorithm,
    carrier,
    ...(Object.keys(traffic).length > 0 || document.traffic !== undefined ? { traffic } : {}),
  } as DialerConfigInput;
  const result = dialerConfigSchema.safeParse(merged);
  if (!result.success)
    throw new InputError(
      zodProblems(result.error).map((p) => {
        const key = FLAG_OF_CONFIG_PATH[p.field];
        const fromFlag = key !== undefined && f[key as keyof typeof f] !== undefined;
        if (fromFlag) return { field: SIMULATE_FLAG_NAMES[key] as string, rule: p.rule };
        if (file === undefined && key !== undefined)
          return { field: SIMULATE_FLAG_NAMES[key] as string, rule: "is required" };
        return { field: file !== undefined ? `--config ${p.field}` : p.field, rule: p.rule };
      }),
    );
  return result.data;
}

/** The chart's file: no link, no directory, no file of another kind unless --force. */
function collectChartTarget(chart: string, force: boolean, problems: InputProblem[]): void {
  try {
    checkOutFile(chart, "--chart", chartKind(chart), force);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.push(...error.problems);
  }
}

/** What a chart file holds, by its extension. */
export const chartKind = (file: string): FileKind =>
  extname(file).toLowerCase() === ".html" ? HTML_REPORT : SVG_CHART;
