import { z } from "zod";
import { InputError, type InputProblem } from "../../core/input-error.ts";
import { ERLANG_MODELS, type ErlangInput } from "../../dialer/simulator/erlang-report.ts";
import { agentsFlag, flagProblems, nonNegative, positive, probability } from "./number-flags.ts";

/** `cxo dialer erlang`'s flags: which apply to each model, and their checks. */
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

/** The model's inputs from its flags; a flag of another model, or a bad value, is an InputError naming it. */
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
