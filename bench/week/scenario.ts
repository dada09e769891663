import { readFileSync } from "node:fs";
import { DateTime } from "luxon";
import { isMap, LineCounter, parseDocument } from "yaml";
import { z } from "zod";

/**
 * The week bench's scenario file (issue 91 §3; docs/week-bench.md): a floor's week described as
 * YAML or JSON, checked with zod before anything runs. A bad file is a `ScenarioError` naming the
 * line and the field (`npm run bench -- week` exits 2 on it): an unknown field, a time without an
 * offset, an event before the week's start, an account whose numbers cross tenants.
 */

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const instant = z
  .string()
  .regex(INSTANT, "must be an ISO instant with an offset, like 2026-12-07T09:30:00-05:00");
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM (24-hour)");
const DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
/** `mon-fri`, `sat-sun`, `mon`, `mon-sun`. */
const days = z
  .string()
  .regex(
    /^(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?$/,
    "must be a day or range like mon-fri",
  );
const zone = z.string().refine((name) => DateTime.now().setZone(name).isValid, "must be an IANA time zone");
const phone = z.string().regex(/^\+1[2-9]\d{2}[2-9]\d{6}$/, "must be a NANP number in E.164 (+1NXXNXXXXXX)");

const hoursRow = z.strictObject({
  days,
  /** Local hours [from, to). */
  from: z.number().int().min(0).max(23),
  to: z.number().int().min(1).max(24),
  answer: z.number().min(0).max(1),
});

const segment = z.strictObject({
  name: z.string().min(1),
  share: z.number().min(0).max(1),
  /** The chance a dial outside every row of `hours` is answered (a right-party contact). */
  otherHours: z.number().min(0).max(1),
  hours: z.array(hoursRow).min(1),
});

const area = z.strictObject({
  areaCode: z.string().regex(/^[2-9]\d{2}$/, "must be a three-digit area code"),
  state: z.string().regex(/^[A-Z]{2}$/, "must be a two-letter state"),
  zone,
  share: z.number().min(0).max(1),
});

const explicitNumber = z.strictObject({
  phone,
  zone,
  state: z.string().regex(/^[A-Z]{2}$/, "must be a two-letter state"),
  /** The business unit that holds the number (default: the scenario's `tenant`). */
  tenant: z.string().min(1).optional(),
});

const explicitAccount = z.strictObject({
  account: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "must be an account id"),
  segment: z.string().min(1),
  numbers: z.array(explicitNumber).min(1).max(4),
  /** Calls made before the week (counted by cxo and the judge, never judged). */
  history: z
    .array(z.strictObject({ at: instant, number: z.number().int().min(1).max(4), conversation: z.boolean() }))
    .default([]),
});

const revocation = z.strictObject({
  at: instant,
  /**
   * How it arrives: `sms-stop` (an SMS STOP, through `cxo consent import`), `letter` (a letter
   * about the account: every number of the debt), `agent-dnc` (an agent's Do Not Call), `webhook`
   * (a consent system's revocation, through `consent import` as NDJSON), `import` (a CSV import).
   */
  channel: z.enum(["sms-stop", "letter", "agent-dnc", "webhook", "import"]),
  account: z.string().min(1),
  /** Which of the account's numbers (1-based); a letter covers them all. */
  number: z.number().int().min(1).max(4).optional(),
});

const supervisorEdit = z.strictObject({
  at: instant,
  retry: z
    .strictObject({
      maximumAttempts: z.number().int().min(1).max(99).optional(),
      minimumRetryMinutes: z.number().int().min(1).max(10080).optional(),
      loadNonFresh: z.boolean().optional(),
    })
    .optional(),
  /** The skill's weekly schedule for every weekday, in the business unit's zone. */
  schedule: z.strictObject({ start: hhmm, end: hhmm }).optional(),
});

const fault = z.discriminatedUnion("kind", [
  /** Every CXone API route answers 503 from `from` to `to`. */
  z.strictObject({ kind: z.literal("outage-503"), from: instant, to: instant }),
  /** The next list upload from `at` on is taken, its answer lost. */
  z.strictObject({ kind: z.literal("lost-upload"), at: instant }),
  /** CXone's DNC group routes answer 503 from `from` to `to` (the rest of CXone answers). */
  z.strictObject({ kind: z.literal("dnc-outage"), from: instant, to: instant }),
  /** The consent group (`consent.cxoneDncGroup`) reads 404 from `from` to `to`; the search still names it. */
  z.strictObject({ kind: z.literal("consent-group-unreadable"), from: instant, to: instant }),
  /**
   * A second host: another `cxo serve` on the same store from `from` to `to` (serve week; the
   * leader and campaign-run leases keep them apart), and cron's `cxo autopilot run --once` at
   * `from` beside the running serve (both weeks).
   */
  z.strictObject({ kind: z.literal("second-host"), from: instant, to: instant }),
]);

export const scenarioSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().min(1),
  kind: z.enum(["collections", "sales"]),
  seed: z.number().int().min(0),
  /** The week's first instant (a Monday 00:00 in the business unit's zone, with its offset). */
  weekStart: instant,
  days: z.number().int().min(1).max(7),
  /** The business unit's zone: the skill's schedule, the autopilot's morning and evening. */
  zone,
  /** The business unit every number belongs to unless it names another. */
  tenant: z.string().min(1).default("main"),
  /**
   * The completed contacts in the emulator's warehouse (the production emulator's default is
   * 100,000): what the autopilot's first run reads of the agents' dispositions before it plans.
   */
  emulatorContacts: z.number().int().min(1).max(1_000_000).default(20),
  /** The emulator's dialer moves on in steps of this many minutes (answers drawn per step). */
  stepMinutes: z.number().int().min(15).max(120).default(60),
  autopilot: z
    .strictObject({
      /** `cxo autopilot run --once` every this many minutes of simulated time. */
      everyMinutes: z.number().int().min(15).max(240).default(60),
      morning: hhmm.default("07:00"),
      evening: hhmm.default("21:00"),
      /** The first and last hour of the day (zone) at which the autopilot runs. */
      firstRun: hhmm.default("06:00"),
      lastRun: hhmm.default("21:30"),
    })
    .prefault({}),
  skill: z
    .strictObject({
      /** The skill's weekly schedule on weekdays (zone); weekends closed. */
      schedule: z.strictObject({ start: hhmm, end: hhmm }).default({ start: "08:00", end: "21:00" }),
      /** The human-run week's retry settings: CXone's defaults with NICE's documented 27-hour rest. */
      humanRetries: z
        .strictObject({
          maximumAttempts: z.number().int().min(1).max(99).default(3),
          minimumRetryMinutes: z.number().int().min(1).max(10080).default(1620),
        })
        .prefault({}),
    })
    .prefault({}),
  /** Agents logged in to the skill by hour (business unit zone); hours not given: none. */
  agents: z
    .array(
      z.strictObject({
        days,
        from: z.number().int().min(0).max(23),
        to: z.number().int().min(1).max(24),
        count: z.number().int().min(0).max(10000),
      }),
    )
    .min(1),
  /** Dials an agent's hour carries (the dialer's pace = agents × this, both weeks). */
  dialsPerAgentHour: z.number().min(1).max(200).default(6),
  population: z.strictObject({
    /** Generated accounts (besides `accounts`). */
    generate: z.number().int().min(0).max(5000).default(0),
    /** Shares of accounts holding 1, 2, 3, 4 numbers. */
    numbersPerAccount: z.array(z.number().min(0)).length(4).default([0.5, 0.3, 0.15, 0.05]),
    areas: z.array(area).min(1),
    segments: z.array(segment).min(1),
    /** Generated history: this share of accounts had `calls` unanswered calls in the `days` before the week. */
    history: z
      .strictObject({
        share: z.number().min(0).max(1).default(0),
        calls: z.number().int().min(0).max(20).default(0),
        days: z.number().int().min(1).max(28).default(6),
      })
      .prefault({}),
    accounts: z.array(explicitAccount).default([]),
  }),
  revocations: z.array(revocation).default([]),
  supervisor: z.array(supervisorEdit).default([]),
  faults: z.array(fault).default([]),
  /** `kill -9` of the `cxo autopilot run --once` that runs at `at`, once its upload is under way. */
  kill: z.strictObject({ at: instant }).optional(),
  /**
   * The serve week (a third week, run by `cxo serve` on a running clock): each weekday from `from`
   * to `to` (HH:MM, zone) on its own clock anchored at that day's `from`, `speed` times the wall;
   * serve restarted each morning (the nights are not run). Absent: no serve week.
   */
  serve: z
    .strictObject({
      speed: z.number().int().min(1).max(20_000).default(600),
      from: hhmm.default("06:45"),
      to: hhmm.default("21:20"),
      intervalMinutes: z.number().int().min(1).max(60).default(5),
      /**
       * The day's serve stopped once it (or the second host) said the day report written, `to`
       * the latest: the hours after the evening then pass on a fixed clock, as the nights do.
       */
      untilReport: z.boolean().default(false),
    })
    .optional(),
});

export type Scenario = z.infer<typeof scenarioSchema>;

/** A bad scenario file: each problem with its line and field. */
export class ScenarioError extends Error {
  readonly file: string;
  readonly problems: ReadonlyArray<{ line: number; field: string; rule: string }>;
  constructor(file: string, problems: ReadonlyArray<{ line: number; field: string; rule: string }>) {
    super(problems.map((p) => `${file}:${p.line}: ${p.field} ${p.rule}`).join("\n"));
    this.name = "ScenarioError";
    this.file = file;
    this.problems = problems;
  }
}

type Path = ReadonlyArray<string | number>;

/** Reads and checks a scenario file (YAML or JSON: JSON is YAML), or throws a ScenarioError. */
export function loadScenario(file: string): Scenario {
  return parseScenario(readFileSync(file, "utf8"), file);
}

export function parseScenario(text: string, file = "scenario"): Scenario {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const lineAt = (path: Path, key = false): number => {
    const parent = path.length === 0 ? doc.contents : doc.getIn(path.slice(0, -1), true);
    const last = path[path.length - 1];
    if ((key || typeof last === "string") && isMap(parent)) {
      const pair = parent.items.find((p) => String((p.key as { value?: unknown })?.value) === String(last));
      const range = (pair?.key as { range?: number[] } | undefined)?.range;
      if (range) return lines.linePos(range[0] as number).line;
    }
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      const range = (node as { range?: number[] } | null)?.range;
      if (range) return lines.linePos(range[0] as number).line;
    }
    return 1;
  };
  if (doc.errors.length > 0)
    throw new ScenarioError(
      file,
      doc.errors.map((e) => ({ line: e.linePos?.[0]?.line ?? 1, field: "(file)", rule: e.message })),
    );
  const parsed = scenarioSchema.safeParse(doc.toJS());
  if (!parsed.success)
    throw new ScenarioError(
      file,
      parsed.error.issues.flatMap((issue) => {
        const path = issue.path.map((p) => (typeof p === "number" ? p : String(p)));
        if (issue.code === "unrecognized_keys")
          return issue.keys.map((k) => ({
            line: lineAt([...path, k], true),
            field: fieldOf([...path, k]),
            rule: "is not a field of the scenario (unknown field)",
          }));
        return [{ line: lineAt(path), field: fieldOf(path), rule: issue.message }];
      }),
    );
  const problems = crossChecks(parsed.data).map((p) => ({
    line: lineAt(p.path),
    field: fieldOf(p.path),
    rule: p.rule,
  }));
  if (problems.length > 0) throw new ScenarioError(file, problems);
  return parsed.data;
}

const fieldOf = (path: Path): string =>
  path.reduce<string>((out, p) => (typeof p === "number" ? `${out}[${p}]` : out ? `${out}.${p}` : p), "");

/** What zod cannot see alone: events inside the week, accounts inside one tenant, names that resolve. */
function crossChecks(s: Scenario): Array<{ path: Path; rule: string }> {
  const out: Array<{ path: Path; rule: string }> = [];
  const startMs = Date.parse(s.weekStart);
  const endMs = startMs + s.days * 86_400_000;
  const inWeek = (at: string, path: Path) => {
    const ms = Date.parse(at);
    if (ms < startMs) out.push({ path, rule: `is before the week's start (${s.weekStart})` });
    else if (ms >= endMs)
      out.push({ path, rule: `is after the week's end (${s.days} day(s) from ${s.weekStart})` });
  };
  for (const [i, r] of s.revocations.entries()) inWeek(r.at, ["revocations", i, "at"]);
  for (const [i, e] of s.supervisor.entries()) inWeek(e.at, ["supervisor", i, "at"]);
  s.faults.forEach((f, i) => {
    if (f.kind === "lost-upload") inWeek(f.at, ["faults", i, "at"]);
    else {
      inWeek(f.from, ["faults", i, "from"]);
      inWeek(f.to, ["faults", i, "to"]);
      if (Date.parse(f.to) <= Date.parse(f.from))
        out.push({ path: ["faults", i, "to"], rule: `must be after from (${f.from})` });
    }
  });
  if (s.kill) inWeek(s.kill.at, ["kill", "at"]);
  const segments = new Set(s.population.segments.map((g) => g.name));
  s.population.accounts.forEach((a, i) => {
    const tenants = new Set(a.numbers.map((n) => n.tenant ?? s.tenant));
    if (tenants.size > 1)
      out.push({
        path: ["population", "accounts", i, "numbers"],
        rule: `cross tenants (${[...tenants].join(", ")}): an account's numbers belong to one business unit`,
      });
    if (!segments.has(a.segment))
      out.push({
        path: ["population", "accounts", i, "segment"],
        rule: `names no segment (${[...segments].join(", ")})`,
      });
    a.history.forEach((h, j) => {
      if (Date.parse(h.at) >= startMs)
        out.push({
          path: ["population", "accounts", i, "history", j, "at"],
          rule: "is not before the week's start",
        });
      if (h.number > a.numbers.length)
        out.push({
          path: ["population", "accounts", i, "history", j, "number"],
          rule: "names no number of the account",
        });
    });
  });
  const accountIds = new Set([
    ...s.population.accounts.map((a) => a.account),
    ...Array.from({ length: s.population.generate }, (_, i) => generatedId(i)),
  ]);
  s.revocations.forEach((r, i) => {
    if (!accountIds.has(r.account))
      out.push({
        path: ["revocations", i, "account"],
        rule: `names no account of the population (${r.account})`,
      });
  });
  if (!DateTime.fromISO(s.weekStart, { setZone: true }).isValid)
    out.push({ path: ["weekStart"], rule: "is not a valid instant" });
  return out;
}

export const generatedId = (i: number): string => `ACC-${String(i + 1).padStart(4, "0")}`;

/** `mon-fri` → [1..5] (ISO weekdays). */
export function weekdaysOf(range: string): number[] {
  const [from, to = from] = range.split("-") as [string, string?];
  const a = DAY_NAMES.indexOf(from as (typeof DAY_NAMES)[number]) + 1;
  const b = DAY_NAMES.indexOf(to as (typeof DAY_NAMES)[number]) + 1;
  const out: number[] = [];
  for (let d = a; ; d = (d % 7) + 1) {
    out.push(d);
    if (d === b) break;
  }
  return out;
}
