import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Dial } from "../dial-checker/index.ts";
import { judgeWeek, type WeekFigures } from "./judge.ts";
import { buildPopulation } from "./population.ts";
import { runWeek, type WeekMode } from "./run-week.ts";
import { loadScenario, type Scenario, ScenarioError } from "./scenario.ts";

/**
 * `npm run bench -- week [--scenario FILE] [--out DIR] [--json]` (issue 91 §3; docs/week-bench.md):
 * each scenario's week run twice on the production emulator with the same seed — by `cxo
 * autopilot` (run --once on a cadence) and by a person (the list loaded Monday with CXone's
 * retries) — every dial judged by the independent dial checker, the figures side by side.
 * Without `--scenario`: the shipped collections and sales weeks. Bad scenario: exit 2, nothing run.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_SCENARIOS = [
  path.join(here, "scenarios", "collections.yaml"),
  path.join(here, "scenarios", "sales.yaml"),
  path.join(here, "scenarios", "unattended.yaml"),
];

export const GOALS = { lift: 1.3, share: 0.7, violations: 0 };

export interface ScenarioResult {
  scenario: string;
  file: string;
  kind: string;
  wallSeconds: number;
  autopilot: WeekFigures;
  human: WeekFigures;
  /** The serve week (a scenario with `serve:`): the autopilot run by `cxo serve` on a running clock. */
  serve?: WeekFigures;
  lift: number;
  /** The same on lawful RPCs (the human-run week's flagged dials not counted). */
  lawfulLift: number;
  /** The same on parties reached (distinct accounts with a lawful conversation): the judged lift. */
  partyLift: number;
  met: {
    lift: boolean;
    lawfulLift: boolean;
    partyLift: boolean;
    violations: boolean;
    share: boolean;
    /** The serve week's goals: 0 violations, every weekday ≥ 70%, every day report equal to the dials. */
    serve?: { violations: boolean; share: boolean; reports: boolean };
  };
}

export interface WeekBenchResult {
  at: string;
  load: number[];
  scenarios: ScenarioResult[];
}

export async function runWeekBench(options: {
  scenarios: string[];
  out?: string | undefined;
  onProgress?: (note: string) => void;
}): Promise<WeekBenchResult> {
  const loaded = options.scenarios.map((file) => ({ file, s: loadScenario(file) }));
  const results: ScenarioResult[] = [];
  for (const { file, s } of loaded)
    results.push(await runScenario(file, s, options.out, options.onProgress ?? (() => {})));
  return { at: new Date().toISOString(), load: loadavg(), scenarios: results };
}

/**
 * Some of a scenario's weeks, each judged (and written under `out/<scenario>/<mode>/`), without
 * the side-by-side figures: the serve week's test runs the serve week alone (the cron week and
 * the human-run week are the week bench test's).
 */
export async function runWeekModes(options: {
  scenario: string;
  modes: readonly WeekMode[];
  out?: string | undefined;
  onProgress?: (note: string) => void;
}): Promise<Partial<Record<WeekMode, WeekFigures>>> {
  const s = loadScenario(options.scenario);
  return runModes(
    options.scenario,
    s,
    buildPopulation(s),
    options.modes,
    options.out,
    options.onProgress ?? (() => {}),
  );
}

async function runModes(
  file: string,
  s: Scenario,
  accounts: ReturnType<typeof buildPopulation>,
  modes: readonly WeekMode[],
  out: string | undefined,
  progress: (n: string) => void,
): Promise<Partial<Record<WeekMode, WeekFigures>>> {
  const work = mkdtempSync(path.join(tmpdir(), "cxo-week-"));
  const figures: Partial<Record<WeekMode, WeekFigures>> = {};
  const stem = path.basename(file).replace(/\.(ya?ml|json)$/, "");
  try {
    for (const mode of modes) {
      const run = await runWeek(s, accounts, mode, path.join(work, mode), progress);
      try {
        const { dials, figures: f } = await judgeWeek(s, accounts, run);
        figures[mode] = f;
        if (out) writeOut(path.join(out, stem, mode), dials, run.events, run.dayReports, f);
      } finally {
        await run.close();
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return figures;
}

async function runScenario(
  file: string,
  s: Scenario,
  out: string | undefined,
  progress: (n: string) => void,
): Promise<ScenarioResult> {
  const started = performance.now();
  const accounts = buildPopulation(s);
  const modes = s.serve ? (["autopilot", "human", "serve"] as const) : (["autopilot", "human"] as const);
  const figures = await runModes(file, s, accounts, modes, out, progress);
  const autopilot = figures.autopilot as WeekFigures;
  const human = figures.human as WeekFigures;
  const serve = figures.serve;
  const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.POSITIVE_INFINITY);
  const lift = ratio(autopilot.rpcPerAgentHour, human.rpcPerAgentHour);
  const lawfulLift = ratio(autopilot.lawfulRpcPerAgentHour, human.lawfulRpcPerAgentHour);
  const partyLift = ratio(autopilot.partiesPerAgentHour, human.partiesPerAgentHour);
  return {
    scenario: s.name,
    file,
    kind: s.kind,
    wallSeconds: (performance.now() - started) / 1000,
    autopilot,
    human,
    ...(serve ? { serve } : {}),
    lift,
    lawfulLift,
    partyLift,
    met: {
      lift: lift >= GOALS.lift,
      lawfulLift: lawfulLift >= GOALS.lift,
      partyLift: partyLift >= GOALS.lift,
      violations: autopilot.violations.length === GOALS.violations,
      share: autopilot.days.every((d) => d.share >= GOALS.share),
      ...(serve
        ? {
            serve: {
              violations: serve.violations.length === GOALS.violations,
              share: serve.days.every((d) => d.share >= GOALS.share),
              reports: serve.reportsMatch.every((d) => d.equal),
            },
          }
        : {}),
    },
  };
}

function writeOut(
  dir: string,
  dials: Dial[],
  events: unknown[],
  reports: unknown[],
  figures: WeekFigures,
): void {
  mkdirSync(dir, { recursive: true });
  const nd = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join("\n") + (rows.length ? "\n" : "");
  writeFileSync(path.join(dir, "dials.ndjson"), nd(dials));
  writeFileSync(path.join(dir, "events.ndjson"), nd(events));
  writeFileSync(path.join(dir, "day-reports.ndjson"), nd(reports));
  writeFileSync(path.join(dir, "violations.ndjson"), nd(figures.violations));
}

const times = (x: number) => `${Number.isFinite(x) ? x.toFixed(2) : "∞"}×`;
const pct = (x: number) => `${(100 * x).toFixed(0)}%`;

export function sideBySide(r: ScenarioResult): string {
  const a = r.autopilot;
  const h = r.human;
  const rows: Array<[string, string, string]> = [
    ["RPC per agent-hour", a.rpcPerAgentHour.toFixed(3), h.rpcPerAgentHour.toFixed(3)],
    [
      "RPC per agent-hour a floor may have (judged)",
      a.lawfulRpcPerAgentHour.toFixed(3),
      h.lawfulRpcPerAgentHour.toFixed(3),
    ],
    ["parties reached per agent-hour", a.partiesPerAgentHour.toFixed(3), h.partiesPerAgentHour.toFixed(3)],
    ["parties reached (accounts talked to)", String(a.partiesReached), String(h.partiesReached)],
    [
      "right-party contacts (a floor may have) / dials",
      `${a.rpcs} (${a.lawfulRpcs}) / ${a.dials}`,
      `${h.rpcs} (${h.lawfulRpcs}) / ${h.dials}`,
    ],
    ["agent-hours", String(a.agentHours), String(h.agentHours)],
    ...a.days.map((d, i): [string, string, string] => {
      const hd = h.days[i];
      return [
        `${d.date} dialled (reached) · % of dialable dialled`,
        `${d.recordsDialled} (${d.recordsReached}) · ${pct(d.share)} of ${d.dialable}`,
        hd ? `${hd.recordsDialled} (${hd.recordsReached}) · ${pct(hd.share)} of ${hd.dialable}` : "",
      ];
    }),
    ["violations (dial checker)", String(a.violations.length), String(h.violations.length)],
    ...(r.kind === "sales"
      ? [
          [
            "calls after the household's conversation",
            String(a.afterConversation),
            String(h.afterConversation),
          ] as [string, string, string],
        ]
      : []),
    ["interventions · stops", `${a.interventions} · ${a.stops.length}`, `— · —`],
  ];
  const width = Math.max(...rows.map((x) => x[0].length));
  const colA = Math.max(9, ...rows.map((x) => x[1].length));
  const lines = [
    `${r.scenario} (${r.kind}) — ${r.wallSeconds.toFixed(0)} s wall`,
    `${"".padEnd(width)}  ${"autopilot".padEnd(colA)}  human-run`,
    ...rows.map(([k, x, y]) => `${k.padEnd(width)}  ${x.padEnd(colA)}  ${y}`),
    `lift on RPCs a floor may have ${times(r.lawfulLift)} (goal ≥ ${GOALS.lift}×: ${r.met.lawfulLift ? "met" : "NOT met"}); on parties reached ${times(r.partyLift)}, on all RPCs ${times(r.lift)}; violations ${a.violations.length} (goal 0: ${r.met.violations ? "met" : "NOT met"}); every weekday ≥ 70% of dialable dialled: ${r.met.share ? "met" : "NOT met"}`,
  ];
  const byRule = (v: WeekFigures["violations"]) => {
    const counts = new Map<string, number>();
    for (const x of v) counts.set(x.rule, (counts.get(x.rule) ?? 0) + 1);
    return [...counts].map(([k, n]) => `${k} ×${n}`).join(", ");
  };
  if (a.violations.length)
    lines.push(`  autopilot violations: ${byRule(a.violations)}; first: ${a.violations[0]?.detail}`);
  if (h.violations.length) lines.push(`  human-run violations: ${byRule(h.violations)}`);
  if (a.stops.length) lines.push(`  stops: ${a.stops.join("; ")}`);
  if (r.serve) lines.push("", unattended(r));
  return lines.join("\n");
}

/** The cron week and the serve week side by side: the unattended goals. */
export function unattended(r: ScenarioResult): string {
  const weeks = [r.autopilot, r.serve as WeekFigures];
  const cell = (f: (w: WeekFigures) => string) => weeks.map(f);
  const alerts = (w: WeekFigures) =>
    w.alerts.length
      ? w.alerts
          .map(
            (x) =>
              `${x.kind} ${x.at.slice(5, 16)}${x.fault ? ` +${x.delayMinutes} min after ${x.fault}` : ""}`,
          )
          .join("; ")
      : "none";
  const rows: Array<[string, ...string[]]> = [
    ["violations (dial checker)", ...cell((w) => String(w.violations.length))],
    [
      "weekdays ≥ 70% dialled",
      ...cell((w) => `${w.days.filter((d) => d.share >= GOALS.share).length} of ${w.days.length}`),
    ],
    [
      "day reports equal to the dials",
      ...cell((w) => `${w.reportsMatch.filter((d) => d.equal).length} of ${w.reportsMatch.length}`),
    ],
    ["weekdays % dialled", ...cell((w) => w.days.map((d) => pct(d.share)).join(" "))],
    ["RPCs a floor may have / dials", ...cell((w) => `${w.lawfulRpcs} / ${w.dials}`)],
    [
      "runs · first · p50 · p99 after it (ms)",
      ...cell(
        (w) =>
          `${w.runTime.runs} · ${w.runTime.first.toFixed(0)} · ${w.runTime.p50.toFixed(0)} · ${w.runTime.p99.toFixed(0)}`,
      ),
    ],
  ];
  const width = Math.max(...rows.map((x) => x[0].length));
  const colA = Math.max(9, ...rows.map((x) => (x[1] ?? "").length));
  const lines = [
    `${r.scenario}: cron's week (run --once) and the serve week (cxo serve, running clock)`,
    `${"".padEnd(width)}  ${"cron".padEnd(colA)}  serve`,
    ...rows.map(([k, x = "", y = ""]) => `${k.padEnd(width)}  ${x.padEnd(colA)}  ${y}`),
    `  cron stops and attention: ${alerts(r.autopilot)}`,
    `  serve stops and attention: ${alerts(r.serve as WeekFigures)}`,
    `  cron's slowest runs: ${slowest(r.autopilot)}`,
    `  serve's slowest runs: ${slowest(r.serve as WeekFigures)}`,
    `  the bench's process (the emulator) held over 1 s during serve's days: ${stalled(r.serve as WeekFigures)}`,
  ];
  const m = r.met.serve;
  if (m)
    lines.push(
      `serve week: violations 0 ${m.violations ? "met" : "NOT met"}; every weekday ≥ 70% ${m.share ? "met" : "NOT met"}; every day report equal to the dials ${m.reports ? "met" : "NOT met"}`,
    );
  return lines.join("\n");
}

/** The bench's own stalls in the serve week: CXone's stand-in not answering while serve waited. */
function stalled(w: WeekFigures | undefined): string {
  const s = w?.stalls;
  if (!s) return "not measured";
  const longest = s.longest.map((r) => `${r.at} ${(r.ms / 1000).toFixed(1)} s`).join("; ");
  return `${s.count} time(s)${longest ? `; longest: ${longest}` : ""}`;
}

/** The slowest runs after the first, with the clock's instant each ran at (what a p99 is made of). */
function slowest(w: WeekFigures): string {
  return w.runTime.slowest.map((r) => `${r.at} ${(r.ms / 1000).toFixed(1)} s`).join("; ") || "none";
}

export function parseArgs(argv: string[]): { scenarios: string[]; out?: string; json: boolean } {
  const scenarios: string[] = [];
  let out: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--scenario") scenarios.push(argv[++i] ?? "");
    else if (arg === "--out") out = argv[++i];
    else if (arg === "--json") json = true;
    else if (arg !== "week")
      throw new ScenarioError("(command line)", [
        { line: 0, field: arg ?? "", rule: "is not an option (--scenario FILE, --out DIR, --json)" },
      ]);
  }
  return { scenarios: scenarios.length ? scenarios : DEFAULT_SCENARIOS, ...(out ? { out } : {}), json };
}

export async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  let result: WeekBenchResult;
  try {
    args = parseArgs(argv);
    result = await runWeekBench({ ...args, onProgress: (n) => process.stderr.write(`  week: ${n}\n`) });
  } catch (error) {
    if (error instanceof ScenarioError) {
      process.stderr.write(`week: bad scenario, nothing run:\n${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (args.out) mkdirSync(args.out, { recursive: true });
  if (args.out) writeFileSync(path.join(args.out, "week.json"), `${JSON.stringify(result, null, 2)}\n`);
  if (args.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    for (const r of result.scenarios) process.stdout.write(`${sideBySide(r)}\n\n`);
    process.stdout.write(`load average ${result.load.map((x) => x.toFixed(2)).join(" ")}\n`);
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  process.exitCode = await main(process.argv.slice(2));
