import { renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DateTime } from "luxon";
import { installClock, parseClockSetting, realNowMs } from "../../src/core/clock/index.ts";
import { openStore } from "../../src/core/store/index.ts";
import { type CxoProcess, startCxo } from "./cxone.ts";
import { faultSteps } from "./faults.ts";
import {
  type Alert,
  autopilotRun,
  type Ctx,
  dialUntil,
  iso,
  type RunTime,
  readReports,
  revoke,
  supervisorEdit,
  type WeekRun,
} from "./run-week.ts";

/**
 * The serve week: the same scenario, population, events and answer model as the cron week, the
 * autopilot run by a real `cxo serve` (its `autopilot:` section in the config) on a RUNNING clock
 * shared with this process and its emulator: a stepped one (a file), held ten minutes before the
 * day's `serve.from` at x1 until serve answers, then the day at the scenario's speed from
 * `serve.from`. Each weekday gets its own, and serve is started each morning
 * and stopped after `serve.to` (a restart a day: the nights are not run; what happens between two
 * days — a fault at 06:00, the dialer's night — is done on a fixed clock, as the cron week does).
 * The bench waits in real time for the clock to reach each hour and each event, and moves the
 * list dialer on hour by hour as the cron week does.
 */
type Step = (ctx: ServeCtx, atMs: number) => Promise<void>;

interface ServeCtx extends Ctx {
  clockSetting: string;
  serve?: CxoProcess;
  second?: CxoProcess;
  lines: string[];
}

const SERVE_ARGS = (ctx: Ctx) => ["--config", path.join(ctx.dir, "cxo.config.yaml"), "--json", "serve"];

export async function runServeWeek(
  base: Ctx,
  dncAtStart: string[],
  onProgress: (note: string) => void,
): Promise<WeekRun> {
  const ctx: ServeCtx = Object.assign(base, { clockSetting: "", lines: [] as string[] });
  const s = ctx.s;
  const serve = s.serve ?? { speed: 600, from: "06:45", to: "21:20", intervalMinutes: 5, untilReport: false };
  const startMs = Date.parse(s.weekStart);
  const endMs = startMs + s.days * 86_400_000;
  const instants = timeline(ctx);
  const stalls: RunTime[] = [];
  let done = 0;
  let lastMs = startMs;
  // Instants before `untilMs` not run yet, each on a fixed clock at its instant.
  const fixedUntil = async (untilMs: number) => {
    for (; done < instants.length && (instants[done]?.[0] ?? 0) < untilMs; done++) {
      const [atMs, steps] = instants[done] as [number, Step[]];
      const clock = installClock({ kind: "fixed", atMs, at: new Date(atMs).toISOString() });
      try {
        await dialUntil(ctx, lastMs, atMs);
        lastMs = Math.max(lastMs, atMs);
        for (const step of steps) await step(ctx, atMs);
      } finally {
        clock.uninstall();
      }
    }
  };
  const first = DateTime.fromMillis(startMs, { zone: s.zone }).startOf("day");
  for (let d = 0; d < s.days; d++) {
    const day = first.plus({ days: d });
    if (day.weekday > 5) continue;
    const at = (hhmm: string) =>
      day.set({ hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3)) }).toMillis();
    const fromMs = at(serve.from);
    const toMs = at(serve.to);
    await fixedUntil(fromMs);
    {
      const clock = installClock({ kind: "fixed", atMs: fromMs, at: new Date(fromMs).toISOString() });
      await dialUntil(ctx, lastMs, fromMs);
      clock.uninstall();
      lastMs = fromMs;
    }
    // A stepped clock (CXO_CLOCK=file:, docs/clock.md): ten minutes before the day's start at
    // x1 while `cxo serve` starts, then the day at its speed from the moment serve answers. A
    // running clock anchored at the spawn lost the start-up to the day: at load 14 serve took
    // ~20 s to start, three hours of a x600 clock, and the morning was gone.
    const clockFile = path.join(ctx.dir, "clock");
    const writeClock = (atMs: number, speed: number) => {
      writeFileSync(
        `${clockFile}.next`,
        `${iso(atMs, s.zone)}@x${speed}~${new Date(realNowMs()).toISOString()}\n`,
      );
      renameSync(`${clockFile}.next`, clockFile);
    };
    writeClock(fromMs - 600_000, 1);
    ctx.clockSetting = `file:${clockFile}`;
    const clock = installClock(parseClockSetting(ctx.clockSetting));
    const stopWatching = watchStalls(s.zone, stalls);
    try {
      ctx.serve = startServe(ctx);
      await ctx.serve.up;
      writeClock(fromMs, serve.speed);
      onProgress(
        `serve: ${day.toISODate()} from ${iso(fromMs, s.zone)} at x${serve.speed}, once serve answered`,
      );
      // `serve.untilReport`: the day ends on the clock's reading once the report is said.
      const linesBefore = ctx.lines.length;
      const reported = () =>
        serve.untilReport &&
        [ctx.serve?.stderrLines, ctx.second?.stderrLines, ctx.lines.slice(linesBefore)].some((lines) =>
          lines?.some((line) => {
            const step = stepLine(line);
            return step?.step === "report" && /day report written/.test(step.msg);
          }),
        );
      let dayEndMs = toMs;
      for (; done < instants.length && (instants[done]?.[0] ?? 0) <= toMs; done++) {
        const [atMs, steps] = instants[done] as [number, Step[]];
        if (!(await clockReaches(atMs, serve.speed, reported))) break;
        await dialUntil(ctx, lastMs, atMs);
        lastMs = Math.max(lastMs, atMs);
        for (const step of steps) await step(ctx, atMs);
      }
      if (!(await clockReaches(toMs, serve.speed, reported)))
        dayEndMs = Math.min(toMs, Math.max(lastMs, Date.now()));
      await dialUntil(ctx, lastMs, dayEndMs);
      lastMs = dayEndMs;
    } finally {
      stopWatching();
      await stopServe(ctx, "serve");
      await stopServe(ctx, "second");
      clock.uninstall();
    }
  }
  await fixedUntil(endMs + 1);
  return {
    mode: "serve",
    emulatorUrl: ctx.emulator.url,
    skillId: ctx.skillId,
    events: ctx.events,
    dayReports: await readReports(ctx),
    dncAtStart,
    runs: runTimes(ctx.lines),
    alerts: await readAlerts(ctx),
    stalls,
    close: () => ctx.emulator.close(),
  };
}

/**
 * Notes each time this process's event loop is held over a second (a timer every 100 ms comes
 * late): the emulator lives here, so serve's requests wait that long for CXone's answers.
 */
function watchStalls(zone: string, into: RunTime[]): () => void {
  const EVERY_MS = 100;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - EVERY_MS;
    if (late > 1_000) into.push({ at: iso(Date.now() - (now - last), zone), ms: Math.round(late) });
    last = now;
  }, EVERY_MS);
  return () => clearInterval(timer);
}

function timeline(ctx: ServeCtx): Array<[number, Step[]]> {
  const s = ctx.s;
  const startMs = Date.parse(s.weekStart);
  const endMs = startMs + s.days * 86_400_000;
  const at = new Map<number, Step[]>();
  const add = (ms: number, step: Step) => at.set(ms, [...(at.get(ms) ?? []), step]);
  for (let ms = startMs; ms <= endMs; ms += s.stepMinutes * 60_000) add(ms, async () => {});
  for (const r of s.revocations) add(Date.parse(r.at), (c) => revoke(c, r));
  for (const e of s.supervisor) add(Date.parse(e.at), (c) => supervisorEdit(c, e));
  faultSteps(s, (ms, step) => add(ms, (c, atMs) => step(c, atMs)));
  for (const f of s.faults)
    if (f.kind === "second-host") {
      add(Date.parse(f.from), async (c, atMs) => {
        c.second = startServe(c);
        c.events.push({
          at: iso(atMs, s.zone),
          kind: "second-host",
          detail: "a second cxo serve on the same store",
          ok: true,
        });
        // And cron on a third machine starts a run beside the serve's.
        await autopilotRun(c, atMs, false, "cron beside serve", c.clockSetting || undefined);
      });
      add(Date.parse(f.to), async (c, atMs) => {
        await stopServe(c, "second");
        c.events.push({
          at: iso(atMs, s.zone),
          kind: "second-host",
          detail: "the second cxo serve stopped",
          ok: true,
        });
      });
    }
  // A host lost mid-day: the serve SIGKILLed at the instant and started again (its leases left).
  if (s.kill)
    add(Date.parse(s.kill.at), async (c, atMs) => {
      await stopServe(c, "serve", "SIGKILL");
      c.serve = startServe(c);
      c.events.push({
        at: iso(atMs, s.zone),
        kind: "kill-9",
        detail: "cxo serve SIGKILLed and started again",
        ok: true,
      });
    });
  return [...at.entries()].sort((a, b) => a[0] - b[0]);
}

function startServe(ctx: ServeCtx): CxoProcess {
  return startCxo(SERVE_ARGS(ctx), ctx.env, ctx.clockSetting, ctx.dir);
}

async function stopServe(ctx: ServeCtx, which: "serve" | "second", signal?: NodeJS.Signals): Promise<void> {
  const proc = ctx[which];
  if (!proc) return;
  ctx[which] = undefined;
  await proc.stop(signal);
  ctx.lines.push(...proc.stderrLines);
  for (const line of proc.stderrLines) {
    const step = stepLine(line);
    const warning = step ? undefined : warningLine(line);
    // The service's warnings beside the autopilot's steps (its own skill watch acting on a
    // supervisor's edit, a lease taken over): what an operator reading serve's log would see.
    if (warning)
      ctx.events.push({
        at: warning.time,
        kind: which === "serve" ? "serve-warning" : "serve-warning (second host)",
        detail: warning.msg,
        ok: false,
      });
    if (step)
      ctx.events.push({
        at: step.at ?? "",
        kind: which === "serve" ? "serve-step" : "serve-step (second host)",
        detail: step.msg,
        ok: step.ok,
      });
  }
}

interface StepLine {
  campaign: string;
  step: string;
  at?: string;
  runMs?: string;
  ok: boolean;
  msg: string;
}

function stepLine(line: string): StepLine | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const x = JSON.parse(line) as Partial<StepLine>;
    return typeof x.step === "string" && typeof x.msg === "string" ? (x as StepLine) : undefined;
  } catch {
    return undefined;
  }
}

function warningLine(line: string): { time: string; msg: string } | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const x = JSON.parse(line) as { level?: number | string; time?: number | string; msg?: string };
    const level = typeof x.level === "number" ? x.level : { warn: 40, error: 50, fatal: 60 }[String(x.level)];
    if (level === undefined || level < 40 || typeof x.msg !== "string") return undefined;
    return {
      time: typeof x.time === "number" ? new Date(x.time).toISOString() : String(x.time ?? ""),
      msg: x.msg,
    };
  } catch {
    return undefined;
  }
}

/** One figure a run: the step lines of a run carry its instant and its wall time. */
function runTimes(lines: string[]): RunTime[] {
  const byRun = new Map<string, number>();
  for (const line of lines) {
    const step = stepLine(line);
    if (step?.at && step.runMs !== undefined) byRun.set(step.at, Number(step.runMs));
  }
  return [...byRun].map(([at, ms]) => ({ at, ms }));
}

/**
 * Waits (real time, the bench's work) until the running clock reads `ms` (true), or until
 * `stop` says the day is done before (false).
 */
async function clockReaches(ms: number, speed: number, stop: () => boolean = () => false): Promise<boolean> {
  for (;;) {
    const left = ms - Date.now();
    if (left <= 0) return true;
    if (stop()) return false;
    await new Promise((r) => setTimeout(r, Math.min(200, Math.max(5, left / speed))));
  }
}

/** The autopilot's stops and attention items, from the store's audit (its clock's instants). */
export async function readAlerts(ctx: Ctx): Promise<Alert[]> {
  const store = await openStore(path.join(ctx.dir, ".cxo"));
  try {
    const rows = await store.db.all<{ operation: string; details_json: string | null }>(
      "SELECT operation, details_json FROM audit_log WHERE operation IN ('autopilot.attention', 'autopilot.stop') ORDER BY seq",
    );
    return rows.map((r) => {
      const d = JSON.parse(r.details_json ?? "{}") as {
        attention?: { escalatedAt?: string; since?: string; step?: string; text?: string };
        stopped?: { at?: string; reason?: string };
      };
      return r.operation === "autopilot.attention"
        ? {
            kind: "attention" as const,
            at: d.attention?.escalatedAt ?? "",
            text: `${d.attention?.step}: ${d.attention?.text} (since ${d.attention?.since})`,
          }
        : { kind: "stopped" as const, at: d.stopped?.at ?? "", text: d.stopped?.reason ?? "" };
    });
  } finally {
    await store.close();
  }
}
