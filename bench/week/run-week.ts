import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DateTime } from "luxon";
import { installClock } from "../../src/core/clock/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { buildModel, SlotCounts } from "../../src/strategy/learn.ts";
import { accessKeyEnv, admin, cxoneApi, runCxo } from "./cxone.ts";
import { type FaultCtx, faultSteps } from "./faults.ts";
import { agentsAt, answerRate, type WeekAccount, type WeekNumber } from "./population.ts";
import { readAlerts, runServeWeek } from "./run-serve.ts";
import type { Scenario } from "./scenario.ts";

/**
 * One week of a scenario on a fresh production emulator (the scenario's seed), on one clock moved
 * by the bench: the emulator in this process (its clock installed here, pinned at each instant),
 * every `cxo` started with CXO_CLOCK at the same instant. `autopilot`: `cxo autopilot run --once`
 * every `autopilot.everyMinutes` through the day (cron's way; one run SIGKILLed mid-push when the
 * scenario says). `human`: the whole list loaded Monday morning into the same skill with CXone's
 * retries and NICE's documented 27-hour rest, nothing else done but the revocations entered. Both
 * weeks get the same events at the same instants and the same dialer, pace and answer model.
 */
export type WeekMode = "autopilot" | "human" | "serve";

export interface WeekEvent {
  at: string;
  kind: string;
  detail: string;
  ok: boolean;
}

export interface WeekRun {
  mode: WeekMode;
  emulatorUrl: string;
  skillId: string;
  events: WeekEvent[];
  dayReports: unknown[];
  /**
   * Numbers a DNC group scrubbing the skill held when the week began (ten digits): CXone does not
   * dial them, and no lawful floor may — the judge counts them out of the dialable records.
   */
  dncAtStart: string[];
  /** Each autopilot run's wall time (ms) and instant: a `run --once` process's; a serve's from its step lines. */
  runs: RunTime[];
  /** The autopilot's stops and attention items (the store's audit), at the clock's instant. */
  alerts: Alert[];
  /**
   * Serve week: each time this process (the bench and its emulator: CXone's stand-in) did not
   * answer for over a second of real time, at the clock's instant it began and how long, so a
   * slow serve run is told from a CXone that was not answering.
   */
  stalls?: RunTime[];
  close: () => Promise<void>;
}

/** One autopilot run: the clock's instant it ran at and its wall time. */
export interface RunTime {
  at: string;
  ms: number;
}

export interface Alert {
  kind: "stopped" | "attention";
  at: string;
  text: string;
}

const CXONE_ZONE: Record<string, string> = {
  "America/New_York": "Eastern Standard Time",
  "America/Chicago": "Central Standard Time",
  "America/Denver": "Mountain Standard Time",
  "America/Phoenix": "US Mountain Standard Time",
  "America/Los_Angeles": "Pacific Standard Time",
  "America/Anchorage": "Alaskan Standard Time",
  "Pacific/Honolulu": "Hawaiian Standard Time",
};

const DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"];

export interface Ctx extends FaultCtx {
  s: Scenario;
  mode: WeekMode;
  dir: string;
  emulator: RunningCxoneEmulator;
  skillId: string;
  env: Record<string, string>;
  numbers: WeekNumber[];
  accounts: WeekAccount[];
  events: WeekEvent[];
  lists: Set<number>;
  runs: RunTime[];
}

export const iso = (ms: number, zone: string) =>
  DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) as string;

export async function runWeek(
  s: Scenario,
  accounts: WeekAccount[],
  mode: WeekMode,
  dir: string,
  onProgress: (note: string) => void,
): Promise<WeekRun> {
  mkdirSync(dir, { recursive: true });
  const startMs = Date.parse(s.weekStart);
  let clock = installClock({ kind: "fixed", atMs: startMs, at: new Date(startMs).toISOString() });
  const emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: s.seed,
    contacts: s.emulatorContacts,
    days: 1,
    uploadJobPolls: 1,
    knobs: { listDialPacePerHour: 1 },
  })) as RunningCxoneEmulator;
  const skill = emulator.fixtures.skills.find(
    (k) => k.outboundStrategy === "Personal Connection" && k.isRunning,
  );
  if (!skill) throw new Error("the emulator holds no running Personal Connection skill");
  const ctx: Ctx = {
    s,
    mode,
    dir,
    emulator,
    skillId: String(skill.skillId),
    env: { ...accessKeyEnv(emulator), CXO_DATA_DIR: path.join(dir, ".cxo") },
    numbers: accounts.flatMap((a) => a.numbers),
    accounts,
    events: [],
    lists: new Set(),
    runs: [],
    emulatorUrl: emulator.url,
    zone: s.zone,
    consentGroup: 0,
    faults: new Map(),
  };
  await setSchedule(ctx, s.skill.schedule);
  ctx.consentGroup = await consentGroupOf(ctx);
  writeInputs(ctx, ctx.consentGroup);
  const dncAtStart = await scrubbedNumbers(ctx);
  if (mode === "serve") {
    clock.uninstall();
    return runServeWeek(ctx, dncAtStart, onProgress);
  }
  const instants = timeline(s, mode);
  let lastMs = startMs;
  for (const [atMs, what] of instants) {
    clock.uninstall();
    clock = installClock({ kind: "fixed", atMs, at: new Date(atMs).toISOString() });
    await dialUntil(ctx, lastMs, atMs);
    lastMs = atMs;
    for (const step of what) await step(ctx, atMs);
    if (DateTime.fromMillis(atMs, { zone: s.zone }).hour === 0)
      onProgress(`${mode}: ${iso(atMs, s.zone).slice(0, 10)}`);
  }
  clock.uninstall();
  const dayReports = mode === "autopilot" ? await readReports(ctx) : [];
  return {
    mode,
    emulatorUrl: emulator.url,
    skillId: ctx.skillId,
    events: ctx.events,
    dayReports,
    dncAtStart,
    runs: ctx.runs,
    alerts: mode === "autopilot" ? await readAlerts(ctx) : [],
    close: () => emulator.close(),
  };
}

type Step = (ctx: Ctx, atMs: number) => Promise<void>;

/** Every instant something happens, in order: dial steps, events, autopilot runs (or the human's Monday load). */
function timeline(s: Scenario, mode: WeekMode): Array<[number, Step[]]> {
  const startMs = Date.parse(s.weekStart);
  const endMs = startMs + s.days * 86_400_000;
  const at = new Map<number, Step[]>();
  const add = (ms: number, step: Step) => at.set(ms, [...(at.get(ms) ?? []), step]);
  for (let ms = startMs; ms <= endMs; ms += s.stepMinutes * 60_000) add(ms, async () => {});
  for (const r of s.revocations) add(Date.parse(r.at), (ctx) => revoke(ctx, r));
  for (const e of s.supervisor) add(Date.parse(e.at), (ctx) => supervisorEdit(ctx, e));
  faultSteps(s, (ms, step) => add(ms, (ctx, atMs) => step(ctx, atMs)));
  const day = (ms: number) => DateTime.fromMillis(ms, { zone: s.zone });
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  if (mode === "human") {
    const monday = day(startMs)
      .startOf("day")
      .plus({ minutes: minutes(s.autopilot.morning) });
    add(monday.toMillis(), (ctx, atMs) => humanLoad(ctx, atMs));
  } else {
    const killMs = s.kill ? Date.parse(s.kill.at) : undefined;
    for (let ms = startMs; ms < endMs; ms += s.autopilot.everyMinutes * 60_000) {
      const local = day(ms);
      const m = local.hour * 60 + local.minute;
      if (m < minutes(s.autopilot.firstRun) || m > minutes(s.autopilot.lastRun)) continue;
      if (killMs !== undefined && ms === killMs) continue;
      add(ms, (ctx) => autopilotRun(ctx, ms, false));
    }
    if (killMs !== undefined) {
      add(killMs, (ctx) => autopilotRun(ctx, killMs, true));
    }
    // A second host: cron on another machine starts a run at the same instant as this one.
    for (const f of s.faults)
      if (f.kind === "second-host") {
        const ms = Date.parse(f.from);
        add(ms, (ctx) =>
          Promise.all([autopilotRun(ctx, ms, false), autopilotRun(ctx, ms, false, "second host")]).then(
            () => undefined,
          ),
        );
      }
    // The bench runs the autopilot every `everyMinutes` (hourly) to fit its time; the docs' cron
    // line is every 5 minutes (as `cxo serve` runs it), whose first run after a supervisor's edit
    // is at most 5 minutes later: that run is added, so the watch answers an edit as it would on
    // a floor set up as the docs say. (It does not undo a retry CXone places the moment the edit
    // allows one: the sales week's Florida 4th call in 24 hours is such a retry, docs/week-bench.md.)
    for (const e of s.supervisor) {
      const ms = Date.parse(e.at) + 5 * 60_000;
      const regular = (ms - startMs) % (s.autopilot.everyMinutes * 60_000) === 0;
      if (!regular && ms !== killMs) add(ms, (ctx) => autopilotRun(ctx, ms, false));
    }
  }
  return [...at.entries()].sort((a, b) => a[0] - b[0]);
}

export async function setSchedule(ctx: Ctx, hours: { start: string; end: string }): Promise<void> {
  const block: Record<string, unknown> = {};
  for (const d of DAYS) {
    block[`${d}StartTime`] = hours.start;
    block[`${d}EndTime`] = hours.end;
  }
  await cxoneApi(ctx.emulator, "PUT", `/skills/${ctx.skillId}/parameters/schedule-settings`, {
    scheduleSettings: block,
  });
}

/** The numbers (ten digits) of every active DNC group that scrubs the skill. */
async function scrubbedNumbers(ctx: Ctx): Promise<string[]> {
  const fixtures = (await admin(ctx.emulator.url, "GET", "/fixtures")) as {
    dncGroups: Array<{ isActive: boolean; scrubbedSkillIds: number[]; phones: string[] }>;
  };
  return fixtures.dncGroups
    .filter((g) => g.isActive && g.scrubbedSkillIds.includes(Number(ctx.skillId)))
    .flatMap((g) => g.phones);
}

/** The business unit's DNC group that scrubs the skill: the consent group revocations go to. */
async function consentGroupOf(ctx: Ctx): Promise<number> {
  const fixtures = (await admin(ctx.emulator.url, "GET", "/fixtures")) as {
    dncGroups: Array<{ dncGroupId: number; isActive: boolean; scrubbedSkillIds: number[] }>;
  };
  const group = fixtures.dncGroups.find(
    (g) => g.isActive && g.scrubbedSkillIds.includes(Number(ctx.skillId)),
  );
  if (!group) throw new Error(`no active DNC group of the emulator scrubs skill ${ctx.skillId}`);
  return group.dncGroupId;
}

/** The list, the model (the scenario's answer model at 200 pseudo-attempts a slot) and the config. */
function writeInputs(ctx: Ctx, consentGroup: number): void {
  const serve = ctx.mode === "serve" ? ctx.s.serve : undefined;
  const { s, dir } = ctx;
  const rows = ctx.numbers.map((n) => `${n.recordId},${n.phone},${n.accountId},true,${n.state},${n.segment}`);
  writeFileSync(
    path.join(dir, "list.csv"),
    `recordId,phone,accountId,consent,state,segment\n${rows.join("\n")}\n`,
  );
  const counts = new SlotCounts();
  const monday = DateTime.fromISO(s.weekStart, { setZone: true });
  for (const segment of s.population.segments) {
    const probe: WeekNumber = {
      recordId: "",
      phone: "",
      zone: "UTC",
      state: "",
      accountId: "",
      segment: segment.name,
    };
    for (let slot = 0; slot < 168; slot++) {
      const local = DateTime.fromObject(
        { year: monday.year, month: monday.month, day: monday.day, hour: slot % 24 },
        { zone: "UTC" },
      ).plus({ days: Math.floor(slot / 24) });
      const rate = answerRate(s, probe, local.toMillis());
      counts.add(["column:segment"], { "column:segment": segment.name }, slot, 200, Math.round(200 * rate));
    }
  }
  writeFileSync(
    path.join(dir, "model.json"),
    JSON.stringify(buildModel(counts, { campaign: ctx.skillId, keys: ["column:segment"] })),
  );
  const history = ctx.accounts.flatMap((a) =>
    a.history.map((h, i) => ({
      id: `h-${a.accountId}-${i}`,
      campaignId: ctx.skillId,
      startTime: new Date(Date.parse(h.at)).toISOString(),
      endTime: new Date(Date.parse(h.at) + 30_000).toISOString(),
      durationSeconds: 30,
      dispositionCode: null,
      reasonCodeId: null,
      agentId: h.conversation ? "agent-1" : null,
      contactId: `hc-${a.accountId}-${i}`,
      phoneNumber: h.phone,
      direction: "outbound",
      tags: [],
      notes: null,
      dispositionUpdatedAt: null,
      callerId: null,
      extra: { accountId: a.accountId },
    })),
  );
  writeFileSync(
    path.join(dir, "history.ndjson"),
    history.map((h) => JSON.stringify(h)).join("\n") + (history.length ? "\n" : ""),
  );
  const capacity = Math.max(1, ...s.agents.map((a) => a.count)) * s.dialsPerAgentHour;
  writeFileSync(
    path.join(dir, "cxo.config.yaml"),
    `http:
  rateLimitScale: 100
service:
  timeZone: ${s.zone}
${serve ? `  port: 0\n  pollIntervalSeconds: 3600\n  livePollIntervalSeconds: 3600\n  callerIdCheckHours: 0\n` : ""}consent:
  cxoneDncGroup: ${consentGroup}
autopilot:
${serve ? `  intervalMinutes: ${serve.intervalMinutes}\n` : ""}  reportDir: ${path.join(dir, "reports")}
  campaigns:
    - campaign: "${ctx.skillId}"
      kind: ${s.kind}
      morning: "${s.autopilot.morning}"
      evening: "${s.autopilot.evening}"
      list: ${path.join(dir, "list.csv")}
      model: ${path.join(dir, "model.json")}
${history.length ? `      history: ${path.join(dir, "history.ndjson")}\n` : ""}      capacityPerHour: ${capacity}
`,
  );
}

/** The dialer moved on to `toMs` in steps of whole hours (answers drawn at each hour's rates). */
export async function dialUntil(ctx: Ctx, fromMs: number, toMs: number): Promise<void> {
  if (toMs <= fromMs) return;
  const fixtures = (await admin(ctx.emulator.url, "GET", "/fixtures")) as {
    callingLists: Array<{ listId: number }>;
  };
  const seeded = new Set(ctx.emulator.fixtures.callingLists?.map((l) => l.listId) ?? []);
  const lists = fixtures.callingLists.map((l) => l.listId).filter((id) => !seeded.has(id));
  for (const id of lists) ctx.lists.add(id);
  for (let ms = fromMs; ms < toMs; ) {
    const hourEnd = Math.min(toMs, (Math.floor(ms / 3_600_000) + 1) * 3_600_000);
    const agents = agentsAt(ctx.s, ms);
    const rates: Record<string, number> = {};
    for (const n of ctx.numbers) rates[n.phone] = answerRate(ctx.s, n, ms);
    // The hour's answer model also answers the dials a client's read makes (`cxo serve` on a
    // running clock reads the lists between the bench's steps).
    await admin(ctx.emulator.url, "POST", "/knobs", {
      listDialPacePerHour: Math.max(1, agents * ctx.s.dialsPerAgentHour),
      listDialAnswer: { rates },
    });
    await admin(ctx.emulator.url, "POST", `/skills/${ctx.skillId}/live`, { agentsLoggedOut: agents === 0 });
    for (const id of lists)
      await admin(ctx.emulator.url, "POST", `/lists/${id}/dial`, {
        until: new Date(hourEnd).toISOString(),
        answer: { rates },
      });
    ms = hourEnd;
  }
}

export async function autopilotRun(
  ctx: Ctx,
  atMs: number,
  kill: boolean,
  who = "",
  clock?: string,
): Promise<void> {
  const at = iso(atMs, ctx.s.zone);
  let seenBefore = 0;
  if (kill) seenBefore = await uploadsSeen(ctx);
  const started = performance.now();
  const result = await runCxo(
    ["--config", path.join(ctx.dir, "cxo.config.yaml"), "--json", "autopilot", "run", "--once"],
    ctx.env,
    clock ?? at,
    { cwd: ctx.dir, ...(kill ? { killWhen: async () => (await uploadsSeen(ctx)) > seenBefore } : {}) },
  );
  if (!kill && ctx.mode === "autopilot") ctx.runs.push({ at, ms: performance.now() - started });
  if (kill) {
    ctx.events.push({
      at,
      kind: "kill-9",
      detail: result.killed
        ? "cxo autopilot run --once SIGKILLed once its upload reached CXone (mid-push)"
        : `the run ended before its upload was seen (exit ${result.code}): nothing to kill`,
      ok: result.killed,
    });
    return;
  }
  let text = "";
  try {
    const run = JSON.parse(result.stdout) as {
      campaigns: Array<{
        steps: Array<{ step: string; ok: boolean; text: string }>;
        stopped?: { reason: string };
      }>;
    };
    const steps = run.campaigns[0]?.steps ?? [];
    text = steps.map((st) => `${st.ok ? "" : "✗"}${st.step}: ${st.text}`).join("; ");
    if (run.campaigns[0]?.stopped) text += ` — STOPPED: ${run.campaigns[0].stopped.reason}`;
  } catch {
    text = `exit ${result.code}: ${result.stderr.trim().split("\n").slice(-2).join(" ")}`;
  }
  ctx.events.push({
    at,
    kind: who ? `autopilot-run (${who})` : "autopilot-run",
    detail: text,
    ok: result.code === 0,
  });
}

async function uploadsSeen(ctx: Ctx): Promise<number> {
  const log = (await admin(ctx.emulator.url, "GET", "/requests")) as { requests: unknown[] };
  return log.requests.filter((r) => /\/upload/.test(JSON.stringify(r)) && /POST/.test(JSON.stringify(r)))
    .length;
}

export async function revoke(ctx: Ctx, r: Scenario["revocations"][number]): Promise<void> {
  const account = ctx.accounts.find((a) => a.accountId === r.account) as WeekAccount;
  const at = iso(Date.parse(r.at), ctx.s.zone);
  const phones =
    r.channel === "letter" || r.number === undefined
      ? account.numbers.map((n) => n.phone)
      : [(account.numbers[r.number - 1] ?? account.numbers[0])?.phone as string];
  const config = ["--config", path.join(ctx.dir, "cxo.config.yaml")];
  const runs: string[][] = [];
  if (r.channel === "letter" && ctx.mode === "autopilot")
    runs.push([
      ...config,
      "consent",
      "revoke",
      "--account",
      r.account,
      "--channel",
      "mail",
      "--at",
      at,
      "--source",
      "letter",
    ]);
  else if (r.channel === "agent-dnc" || r.channel === "letter")
    for (const phone of phones)
      runs.push([
        ...config,
        "consent",
        "revoke",
        "--phone",
        phone,
        "--channel",
        r.channel === "letter" ? "mail" : "agent",
        "--at",
        at,
      ]);
  else {
    const file = path.join(
      ctx.dir,
      `revocation-${Date.parse(r.at)}-${r.account}.${r.channel === "webhook" ? "ndjson" : "csv"}`,
    );
    const channel = r.channel === "sms-stop" ? "sms" : r.channel === "webhook" ? "web" : "call";
    writeFileSync(
      file,
      r.channel === "webhook"
        ? `${phones.map((p) => JSON.stringify({ phone: p, at, channel, source: "webhook" })).join("\n")}\n`
        : `phone,at,channel,source\n${phones.map((p) => `${p},${at},${channel},${r.channel}`).join("\n")}\n`,
    );
    // Cron's recipe (cxo serve honours within its poll): an import, then the revocations sent.
    runs.push([...config, "consent", "import", "--file", file], [...config, "consent", "honour"]);
  }
  for (const args of runs) {
    const result = await runCxo(args, ctx.env, at, { cwd: ctx.dir });
    ctx.events.push({
      at,
      kind: `revocation:${r.channel}`,
      detail: `${r.account} ${phones.join(" ")}: ${args.slice(2, 4).join(" ")} exit ${result.code}${result.code ? ` ${result.stderr.trim().split("\n").pop()}` : ""}`,
      ok: result.code === 0,
    });
  }
}

export async function supervisorEdit(ctx: Ctx, e: Scenario["supervisor"][number]): Promise<void> {
  const at = iso(Date.parse(e.at), ctx.s.zone);
  try {
    if (e.retry)
      await cxoneApi(ctx.emulator, "PUT", `/skills/${ctx.skillId}/parameters/retry-settings`, {
        retrySettings: e.retry,
      });
    if (e.schedule) await setSchedule(ctx, e.schedule);
    ctx.events.push({
      at,
      kind: "supervisor-edit",
      detail: JSON.stringify({ retry: e.retry, schedule: e.schedule }),
      ok: true,
    });
  } catch (error) {
    ctx.events.push({ at, kind: "supervisor-edit", detail: String(error), ok: false });
  }
}

/** The human-run week: the whole list loaded Monday morning, CXone's retries with a 27-hour rest. */
async function humanLoad(ctx: Ctx, atMs: number): Promise<void> {
  const { s } = ctx;
  const at = iso(atMs, s.zone);
  await cxoneApi(ctx.emulator, "PUT", `/skills/${ctx.skillId}/parameters/retry-settings`, {
    retrySettings: { ...s.skill.humanRetries, loadNonFresh: true },
  });
  const created = (await cxoneApi(
    ctx.emulator,
    "POST",
    "/lists/call-lists?listName=Week%20list&externalIdColumn=ExternalId&timeZoneColumn=TimeZone",
    { destinationMappings: [{ fieldName: "PhoneNumber", fieldValue: "Phone" }] },
  )) as { listId: number };
  const csv = `ExternalId,Phone,TimeZone\n${ctx.numbers
    .map((n) => `${n.recordId},${n.phone.slice(2)},${CXONE_ZONE[n.zone] ?? "Eastern Standard Time"}`)
    .join("\n")}\n`;
  const endIso = new Date(Date.parse(s.weekStart) + s.days * 86_400_000).toISOString();
  const job = (await cxoneApi(ctx.emulator, "POST", `/lists/call-lists/${created.listId}/upload`, {
    listFile: Buffer.from(csv).toString("base64"),
    fileName: "week.csv",
    skillId: Number(ctx.skillId),
    startSkill: true,
    expirationDate: endIso,
  })) as { jobId: string };
  await cxoneApi(ctx.emulator, "GET", `/lists/call-lists/jobs/${job.jobId}`).catch(() => undefined);
  ctx.events.push({
    at,
    kind: "human-load",
    detail: `${ctx.numbers.length} records loaded into list ${created.listId} (skill ${ctx.skillId}, ${s.skill.humanRetries.maximumAttempts} attempts, ${s.skill.humanRetries.minimumRetryMinutes} min rest)`,
    ok: true,
  });
}

export async function readReports(ctx: Ctx): Promise<unknown[]> {
  const { readdirSync, readFileSync, existsSync } = await import("node:fs");
  const dir = path.join(ctx.dir, "reports");
  if (!existsSync(dir)) return [];
  // The day reports (one JSON file a campaign and day); beside them each day's evidence files.
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), "utf8")));
}
