import { existsSync, statSync, writeFileSync } from "node:fs";
import { dirname, extname } from "node:path";
import { type Command, Option } from "commander";
import { z } from "zod";
import { InputError, type InputProblem } from "../../core/input-error.ts";
import { readInputDocument, zodProblems } from "../../core/input-file.ts";
import {
  type DialerConfig,
  type DialerConfigInput,
  dialerConfigSchema,
  MAX_ABANDONMENT_RATE,
} from "../../dialer/config.ts";
import {
  ERLANG_MODELS,
  type ErlangInput,
  erlangReport,
  MAX_SWEEP_POINTS,
  paramsFromConfig,
  SIMULATION_MODES,
  type SimulationMode,
  type SimulationResult,
  type SweepRange,
  type SweepResult,
  simulate,
  sweepDialRatio,
  sweepHtml,
  sweepSvg,
  sweepValues,
} from "../../dialer/simulator/index.ts";
import { CliContext } from "../context.ts";
import { splitConfigFlag } from "./dialer-settings.ts";

/**
 * `cxo dialer erlang` (queueing closed forms) and `cxo dialer simulate` (the discrete-event
 * simulator, optionally swept over the dial ratio with a chart). Both are local and pure:
 * nothing is sent to CXone, no credentials are needed. Exit 0 with the figures (an answer
 * over target is still an answer), 2 for bad input naming the flag, 1 if a chart cannot be
 * written.
 */
export function registerDialerSimulatorCommands(group: Command): void {
  group
    .command("erlang")
    .description("queueing closed forms: Erlang B, C, A, M/M/n+D (the 2-second rule) and progressive dialing")
    .addOption(new Option("--model <model>", `b | c | a | mmnd | progressive`))
    .option("--agents <n>", "agents (servers)")
    .option("--arrival-per-min <rate>", "live answers (arrivals) per minute")
    .option("--aht-min <minutes>", "average handling time (talk + wrap), minutes")
    .option("--patience-min <minutes>", "model a: mean caller patience, minutes")
    .option("--patience-s <seconds>", "model mmnd: how long an answered call waits for an agent (default 2)")
    .option("--sl-s <seconds>", "service-level threshold, seconds (default 20)")
    .option("--answer-rate <p>", "progressive: P(live answer) per attempt")
    .option("--non-live-s <seconds>", "progressive: mean duration of a non-live attempt")
    .option("--live-s <seconds>", "progressive: mean ring + greeting before a live call reaches the agent")
    .option("--aht-s <seconds>", "progressive: average handling time, seconds")
    .action((options: Record<string, string | undefined>, command: Command) => {
      const ctx = CliContext.fromCommand(command);
      const input = parseErlangFlags(options);
      const report = erlangReport(input);
      ctx.print({ ...report, inputs: input }, () => humanErlang(report));
    });

  group
    .command("simulate")
    .description(
      "simulate a dialer config (or --agents/--aht-s/--answer-rate/--dial-ratio) locally: abandonment with its 95% CI, occupancy, channels",
    )
    .option("--config <file>", "dialer config (.yaml/.json, the file `cxo dialer validate` reads)")
    .option("--hours <h>", "simulated hours measured after the warm-up (default 8)")
    .option("--seed <n>", "random seed; the same seed gives the same result (default 1)")
    .addOption(
      new Option("--mode <mode>", "dialing policy (default: the config's algorithm.type)").choices(
        SIMULATION_MODES,
      ),
    )
    .option("--agents <n>", "agents taking calls (without --config; overrides concurrency.maxAgents with it)")
    .option("--aht-s <seconds>", "average handling time, talk + wrap, seconds")
    .option("--wrap-s <seconds>", "wrap-up part of the handling time, seconds (default 10)")
    .option("--answer-rate <p>", "P(live answer) per dial")
    .option("--dial-ratio <r>", "lines per available agent (predictive; the maximum level for adaptive)")
    .option("--trunks <n>", "carrier trunks (default without --config: unlimited)")
    .option(
      "--patience-s <seconds>",
      "warm-line timeout: how long an answered call waits for an agent (default 2)",
    )
    .option(
      "--target <rate>",
      `abandonment target, at most ${MAX_ABANDONMENT_RATE} (default ${MAX_ABANDONMENT_RATE})`,
    )
    .option("--dials-per-hour <n>", "open mode: Poisson dial rate (default: dial ratio × agents / AHT)")
    .option("--sweep <range>", "one run per dial ratio, e.g. dial-ratio=1:4:0.1")
    .option("--chart <file>", "with --sweep: write the chart (.svg, or self-contained interactive .html)")
    .action((options: SimulateFlags, command: Command) => {
      const ctx = CliContext.fromCommand(command);
      const { file } = splitConfigFlag(command);
      const run = parseSimulateFlags(options, file);
      const started = performance.now();
      if (run.sweep) {
        const sweep = sweepDialRatio(run.config, run.sweep, {
          mode: run.mode,
          hours: run.hours,
          seed: run.seed,
        });
        if (run.chart) writeChart(run.chart, sweep, run.config);
        const elapsedMs = performance.now() - started;
        ctx.print({ ...sweep, chart: run.chart ?? null, elapsedMs }, () =>
          humanSweep(sweep, run.chart, elapsedMs),
        );
        return;
      }
      const result = simulate(
        paramsFromConfig(run.config, {
          mode: run.mode,
          hours: run.hours,
          seed: run.seed,
          ...(run.dialsPerSecond !== undefined ? { dialsPerSecond: run.dialsPerSecond } : {}),
        }),
      );
      const elapsedMs = performance.now() - started;
      const target = run.config.algorithm.abandonmentTarget;
      const doc = {
        ...result,
        target,
        withinTarget: result.abandonment.ci95.high <= target,
        elapsedMs,
        eventsPerSecond: result.eventsProcessed / (elapsedMs / 1000),
      };
      ctx.print(doc, () => humanSimulation(result, target, elapsedMs));
    });
}

// ---------------------------------------------------------------------------------- erlang --

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A flag's text as a number checked by `check`, or the rule it broke. */
function numberFlag(rule: string, check: (n: number) => boolean) {
  return z
    .string()
    .trim()
    .refine((text) => NUMBER.test(text), { message: `must be a number (${rule})` })
    .transform(Number)
    .refine((n) => Number.isFinite(n) && check(n), { message: rule });
}

const positive = numberFlag("must be above 0", (n) => n > 0);
const nonNegative = numberFlag("must be 0 or more", (n) => n >= 0);
const agentsFlag = numberFlag(
  "must be a whole number from 1 to 100000",
  (n) => Number.isInteger(n) && n >= 1 && n <= 100_000,
);
const probability = numberFlag("must be above 0 and at most 1", (n) => n > 0 && n <= 1);

const QUEUE_FLAGS = ["agents", "arrivalPerMin", "ahtMin"] as const;
const FLAGS_BY_MODEL: Record<string, readonly string[]> = {
  b: [...QUEUE_FLAGS],
  c: [...QUEUE_FLAGS, "slS"],
  a: [...QUEUE_FLAGS, "patienceMin", "slS"],
  mmnd: [...QUEUE_FLAGS, "patienceS", "slS"],
  progressive: ["agents", "answerRate", "nonLiveS", "liveS", "ahtS"],
};
const ERLANG_FLAG_NAMES: Record<string, string> = {
  agents: "--agents",
  arrivalPerMin: "--arrival-per-min",
  ahtMin: "--aht-min",
  patienceMin: "--patience-min",
  patienceS: "--patience-s",
  slS: "--sl-s",
  answerRate: "--answer-rate",
  nonLiveS: "--non-live-s",
  liveS: "--live-s",
  ahtS: "--aht-s",
};

const erlangSchemas = {
  b: z.object({ agents: agentsFlag, arrivalPerMin: positive, ahtMin: positive }),
  c: z.object({
    agents: agentsFlag,
    arrivalPerMin: positive,
    ahtMin: positive,
    slS: nonNegative.default(20),
  }),
  a: z.object({
    agents: agentsFlag,
    arrivalPerMin: positive,
    ahtMin: positive,
    patienceMin: positive,
    slS: nonNegative.default(20),
  }),
  mmnd: z.object({
    agents: agentsFlag,
    arrivalPerMin: positive,
    ahtMin: positive,
    patienceS: nonNegative.default(2),
    slS: nonNegative.default(20),
  }),
  progressive: z.object({
    agents: agentsFlag.optional(),
    answerRate: probability,
    nonLiveS: nonNegative,
    liveS: nonNegative,
    ahtS: positive,
  }),
};

function flagProblems(error: z.ZodError, names: Record<string, string>): InputProblem[] {
  return zodProblems(error).map((p) => ({
    field: names[p.field] ?? p.field,
    rule: p.rule.startsWith("Invalid input: expected string, received undefined") ? "is required" : p.rule,
  }));
}

export function parseErlangFlags(options: Record<string, string | undefined>): ErlangInput {
  const model = options.model;
  if (model === undefined || !(ERLANG_MODELS as readonly string[]).includes(model))
    throw new InputError({ field: "--model", rule: `must be one of ${ERLANG_MODELS.join(", ")}` });
  const allowed = FLAGS_BY_MODEL[model] ?? [];
  const stray: InputProblem[] = Object.keys(ERLANG_FLAG_NAMES)
    .filter((key) => options[key] !== undefined && !allowed.includes(key))
    .map((key) => ({ field: ERLANG_FLAG_NAMES[key] ?? key, rule: `does not apply to --model ${model}` }));
  const schema = erlangSchemas[model as keyof typeof erlangSchemas];
  const parsed = schema.safeParse(options);
  const problems = [...stray, ...(parsed.success ? [] : flagProblems(parsed.error, ERLANG_FLAG_NAMES))];
  if (problems.length > 0 || !parsed.success) throw new InputError(problems);
  const v = parsed.data as Record<string, number | undefined>;
  const n = (key: string) => v[key] as number;
  if (model === "progressive")
    return {
      model,
      ...(v.agents !== undefined ? { agents: v.agents } : {}),
      answerRate: n("answerRate"),
      nonLiveSeconds: n("nonLiveS"),
      liveSeconds: n("liveS"),
      ahtSeconds: n("ahtS"),
    };
  const base = { agents: n("agents"), arrivalPerMin: n("arrivalPerMin"), ahtMin: n("ahtMin") };
  const load = base.arrivalPerMin * base.ahtMin;
  if (model === "c" && load >= base.agents)
    throw new InputError({
      field: "--arrival-per-min",
      rule: `offered load a = arrival × AHT = ${load.toFixed(3)} Erlangs must be below --agents ${base.agents} for Erlang C: with infinite patience the queue grows without bound (unstable); add agents or use --model a / mmnd, which allow abandonment`,
    });
  if (model === "b") return { model, ...base };
  if (model === "c") return { model, ...base, slSeconds: n("slS") };
  if (model === "a") return { model, ...base, patienceMin: n("patienceMin"), slSeconds: n("slS") };
  return { model: "mmnd", ...base, patienceSeconds: n("patienceS"), slSeconds: n("slS") };
}

const pct = (v: number | null | undefined, digits = 2) =>
  v === null || v === undefined ? "—" : `${(v * 100).toFixed(digits)}%`;
const secs = (v: number | null | undefined) => (v === null || v === undefined ? "—" : `${v.toFixed(2)} s`);

function humanErlang(r: ReturnType<typeof erlangReport>): string {
  const lines = [
    `model ${r.model}${r.offeredLoad !== undefined ? `, offered load ${r.offeredLoad.toFixed(3)} Erlangs` : ""}`,
  ];
  if (r.model === "progressive")
    lines.push(
      `cycle ${secs(r.cycleSeconds)}, ${r.connectsPerAgentHour?.toFixed(2)} connects and ${r.dialsPerAgentHour?.toFixed(1)} dials per agent-hour${r.connectsPerHour !== undefined ? `, ${r.connectsPerHour.toFixed(0)} connects/h in all` : ""}`,
      `occupancy ${pct(r.occupancy, 1)}, abandonment 0 (every call has its agent)`,
    );
  else
    lines.push(
      `P(wait) ${pct(r.pWait)}   P(abandon) ${pct(r.pAbandon, 3)}   ASA ${secs(r.asaSeconds)}`,
      `service level${r.slSeconds !== undefined ? ` (${r.slSeconds} s)` : ""} ${pct(r.serviceLevel, 1)}   occupancy ${pct(r.occupancy, 1)}${r.erlangB !== undefined ? `   (Erlang B would say ${pct(r.erlangB, 3)})` : ""}`,
    );
  return lines.join("\n");
}

// -------------------------------------------------------------------------------- simulate --

interface SimulateFlags {
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
}

interface SimulateRun {
  config: DialerConfig;
  mode: SimulationMode;
  hours: number;
  seed: number;
  dialsPerSecond?: number;
  sweep?: SweepRange;
  chart?: string;
}

const simulateFlags = z.object({
  hours: numberFlag("must be above 0 and at most 10000", (n) => n > 0 && n <= 10_000).optional(),
  seed: numberFlag(
    "must be a whole number from 0 to 4294967295",
    (n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff,
  ).optional(),
  agents: agentsFlag.optional(),
  ahtS: positive.optional(),
  wrapS: nonNegative.optional(),
  answerRate: numberFlag("must be from 0 to 1", (n) => n >= 0 && n <= 1).optional(),
  dialRatio: numberFlag("must be from 1 to 20", (n) => n >= 1 && n <= 20).optional(),
  trunks: numberFlag(
    "must be a whole number from 1 to 100000",
    (n) => Number.isInteger(n) && n >= 1 && n <= 100_000,
  ).optional(),
  patienceS: numberFlag(
    "must be a whole number of seconds from 0 to 600",
    (n) => Number.isInteger(n) && n >= 0 && n <= 600,
  ).optional(),
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
  if (from < 1 || to > 20) return { rule: "dial ratios must be from 1 to 20" };
  if (to < from) return { rule: "TO must be at least FROM" };
  if (!(step > 0)) return { rule: "STEP must be above 0" };
  const count = sweepValues({ from, to, step }).length;
  if (count > MAX_SWEEP_POINTS)
    return { rule: `at most ${MAX_SWEEP_POINTS} points (this range has ${count})` };
  return { from, to, step };
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

function writeChart(path: string, sweep: SweepResult, config: DialerConfig): void {
  const agents = Math.max(
    1,
    Math.round(config.concurrency.maxAgents * config.algorithm.agentAvailabilityEstimate),
  );
  const title = `Abandonment and occupancy vs dial ratio — ${agents} agents, ${(config.traffic.liveAnswerRate * 100).toFixed(0)}% live answers, τ = ${config.algorithm.warmLineTimeoutSec} s${config.campaignId ? ` (${config.campaignId})` : ""}`;
  const text = extname(path).toLowerCase() === ".html" ? sweepHtml(sweep, title) : sweepSvg(sweep, title);
  writeFileSync(path, text);
}

function humanSimulation(r: SimulationResult, target: number, elapsedMs: number): string {
  const ok = r.abandonment.ci95.high <= target;
  const n = (v: number) => Math.round(v).toLocaleString("en-US");
  return [
    `${r.mode} dialing, ${r.agents} agents, ${r.hours} h simulated after warm-up (seed ${r.seed}), ${n(r.answered)} live answers`,
    `abandonment  ${pct(r.abandonment.rate)} (95% CI ${pct(r.abandonment.ci95.low)} – ${pct(r.abandonment.ci95.high)}), target ${pct(target)}: ${ok ? "within target" : "CI upper bound OVER target"}`,
    `occupancy    ${pct(r.occupancy, 1)}   ASA ${secs(r.asaSeconds)}   P(wait) ${pct(r.pWait)}   P(wait > τ) ${pct(r.pWaitOverTau)}`,
    `per hour     ${n(r.perHour.dials)} dials, ${n(r.perHour.liveAnswers)} live, ${n(r.perHour.connects)} connects, ${n(r.perHour.abandoned)} dropped${r.perHour.blockedDials > 0 ? `, ${n(r.perHour.blockedDials)} blocked (no trunk)` : ""}`,
    `channels     peak ${r.peakChannels} of ${r.trunks} trunks (dialer limit ${r.channelLimit}), mean ${r.meanChannels.toFixed(1)}, ${r.meanHoldingSeconds.toFixed(1)} s per dial`,
    ...(r.mode === "adaptive"
      ? [`dial level   mean ${r.dialLevel.mean.toFixed(2)}, final ${r.dialLevel.final.toFixed(2)}`]
      : []),
    `${n(r.eventsProcessed)} events in ${elapsedMs.toFixed(0)} ms`,
  ].join("\n");
}

function humanSweep(s: SweepResult, chart: string | undefined, elapsedMs: number): string {
  const lines = [
    `dial ratio   abandonment   95% CI high   occupancy   connects/h`,
    ...s.points.map(
      (p) =>
        `${p.dialRatio.toString().padStart(10)}   ${pct(p.abandonment).padStart(11)}   ${pct(p.ci95High).padStart(11)}   ${pct(p.occupancy, 1).padStart(9)}   ${Math.round(p.connectsPerHour).toString().padStart(10)}`,
    ),
    s.recommendedMaxRatio === null
      ? `no ratio keeps the abandonment CI upper bound at or under the ${pct(s.target)} target`
      : `recommended maximum dial ratio: ${s.recommendedMaxRatio} (CI upper bound ≤ ${pct(s.target)} target)`,
    `${s.points.length} simulations of ${s.hours} h (${s.mode}, seed ${s.seed}) in ${(elapsedMs / 1000).toFixed(1)} s${chart ? `; chart written to ${chart}` : ""}`,
  ];
  return lines.join("\n");
}
