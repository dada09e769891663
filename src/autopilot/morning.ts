import path from "node:path";
import type { AutopilotCampaign } from "../core/config/autopilot-schema.ts";
import type { CxoneBaseClient as CxoneClient } from "../sdk/client-types.ts";
import type { ListRow } from "../strategy/list-format.ts";
import type { Model } from "../strategy/model-format.ts";
import type { PlanRow } from "../strategy/plan-format.ts";
import type { PushSummary } from "../strategy/push.ts";
import type { HistoryAttempt } from "../strategy/types.ts";
import { debtsOfPlanRow } from "./day-dials.ts";
import { planFromMs } from "./local-day.ts";
import type { CampaignDay, HeldRecord } from "./types.ts";

/** Where a campaign's files are read from: its settings, under the field names errors use. */
export interface CampaignFiles {
  job: AutopilotCampaign;
  /** `autopilot.campaigns[i]`: the settings path errors name. */
  field: string;
}

/**
 * The model the day plans from: learned again from the campaign's outcomes when
 * `learnEveryDays` says it is due (written over the model file, so a person reads what the
 * autopilot planned from), else read from the file.
 */
export async function modelForToday(
  client: CxoneClient,
  files: CampaignFiles,
  lastLearnAt: string | undefined,
  nowMs: number,
  signal?: AbortSignal,
): Promise<{ model: Model; learnedAt?: string }> {
  const { readModel, writeDocument } = await import("../strategy/files.ts");
  const { job, field } = files;
  const due =
    job.learnEveryDays > 0 &&
    (lastLearnAt === undefined || nowMs - Date.parse(lastLearnAt) >= job.learnEveryDays * 86_400_000);
  if (!due) return { model: readModel(job.model, `${field}.model`) };
  const current = readModel(job.model, `${field}.model`);
  const { canonicalRecord } = await import("../outcomes/record-format.ts");
  const from = new Date(nowMs - job.learnDays * 86_400_000).toISOString();
  const to = new Date(nowMs).toISOString();
  const records = (async function* () {
    for await (const call of client.outcomes.list({ campaignId: job.campaign, from, to }, { signal }))
      yield canonicalRecord(call.raw);
  })();
  const model = await client.strategy.learn(
    records,
    {
      campaign: job.campaign,
      from,
      to,
      keys: current.keys,
    },
    { signal },
  );
  // Nothing to learn from (no outcomes in the window: a clock ahead of the data, a new skill):
  // the model in use stays, never replaced by one learned from 0 records (issue 101 §3).
  if (model.learnedFrom.records === 0) return { model: current };
  writeDocument(job.model, `${JSON.stringify(model, null, 1)}\n`, `${field}.model`);
  return { model, learnedAt: to };
}

async function historyOf(
  job: AutopilotCampaign,
  field: string,
): Promise<readonly HistoryAttempt[] | "campaign" | undefined> {
  if (job.history === undefined) return undefined;
  if (job.history === "campaign") return "campaign";
  const { readHistory } = await import("../strategy/files.ts");
  return readHistory(job.history, `${field}.history`);
}

/** The list's rows, all of them or those named (a re-plan of held records). */
async function listRows(
  job: AutopilotCampaign,
  field: string,
  only?: ReadonlySet<string>,
  resting: ReadonlySet<string> = new Set(),
): Promise<ListRow[]> {
  const { readList } = await import("../strategy/files.ts");
  const rows: ListRow[] = [];
  for await (const row of readList(job.list, `${field}.list`))
    if ((!only || only.has(row.recordId)) && !(row.accountId !== undefined && resting.has(row.accountId)))
      rows.push(row);
  return rows;
}

/**
 * Plans the list (or the named records of it) from now for the day ahead, for what the skill can
 * dial, into `planFile` (the data dir's): a push that fails is tried again with the same plan, so
 * that CXone's copy of an upload whose answer was lost is adopted, never uploaded twice.
 *
 * Only attempts starting before `untilMs` (the day's evening) are kept: the planner's horizon is a
 * whole day from now, and an attempt planned past the evening would sit on today's list into
 * tomorrow, unseen by tomorrow's morning plan — which then sends the debt's other number too and
 * the two are dialled after each other's conversation (issue 91's week bench found it: a held
 * record re-planned at noon for tomorrow's best hour, called an hour after its sibling talked).
 */
export async function planDay(
  client: CxoneClient,
  files: CampaignFiles,
  model: Model,
  nowIso: string,
  planFile: string,
  only?: ReadonlySet<string>,
  untilMs: number = Number.POSITIVE_INFINITY,
  resting: ReadonlySet<string> = new Set(),
  frontLoad = false,
  signal?: AbortSignal,
): Promise<number> {
  const { job, field } = files;
  const history = await historyOf(job, field);
  const listed = await listRows(job, field, only, resting);
  const rows: PlanRow[] = [];
  for (const group of frontLoad ? byNumbersOfDebt(listed, untilMs) : [{ rows: listed, untilMs }])
    if (group.rows.length > 0)
      rows.push(...(await planRows(client, job, model, nowIso, group, history, signal)));
  const { writePlan } = await import("../strategy/files.ts");
  await writePlan(
    planFile,
    (async function* () {
      yield rows;
    })(),
  );
  return rows.length;
}

const HOUR_MS = 3_600_000;

/**
 * The morning's list in groups by how many numbers each debt has, a debt of k numbers planned to
 * start at least k hours before the evening. Only one number of a debt is on the lists at a time,
 * the next planned once the one before has its outcome: a debt whose first number went out at its
 * best hour, the day's last, had no hour left for the others (issue 91's week bench: two-number
 * debts of Californian day workers, and a New York number at 19:15 before a Florida one whose
 * calls end at 20:00, each reached on one number a day).
 */
function byNumbersOfDebt(
  rows: readonly ListRow[],
  untilMs: number,
): Array<{ rows: ListRow[]; untilMs: number }> {
  const size = new Map<string, number>();
  for (const row of rows)
    if (row.accountId !== undefined) size.set(row.accountId, (size.get(row.accountId) ?? 0) + 1);
  // A number listed for several debts goes in one group, its largest debt's (issue 100): one plan
  // makes it one record for all of them.
  const ofPhone = new Map<string, number>();
  for (const row of rows) {
    const k = row.accountId === undefined ? 1 : (size.get(row.accountId) ?? 1);
    ofPhone.set(row.phone, Math.max(ofPhone.get(row.phone) ?? 1, k));
  }
  const groups = new Map<number, ListRow[]>();
  for (const row of rows) {
    const k = ofPhone.get(row.phone) ?? 1;
    groups.set(k, [...(groups.get(k) ?? []), row]);
  }
  return [...groups].map(([k, group]) => ({
    rows: group,
    untilMs: k > 1 && Number.isFinite(untilMs) ? untilMs - k * HOUR_MS : untilMs,
  }));
}

/** One plan of these rows from now until `untilMs` (only attempts starting before it are kept). */
async function planRows(
  client: CxoneClient,
  job: AutopilotCampaign,
  model: Model,
  nowIso: string,
  group: { rows: ListRow[]; untilMs: number },
  history: Awaited<ReturnType<typeof historyOf>>,
  signal?: AbortSignal,
): Promise<PlanRow[]> {
  const fromMs = planFromMs(Date.parse(nowIso));
  if (group.untilMs <= fromMs) return [];
  const plan = await client.strategy.plan(
    group.rows,
    model,
    {
      campaign: job.campaign,
      kind: job.kind,
      from: new Date(fromMs).toISOString(),
      days: 1,
      ...(Number.isFinite(group.untilMs) ? { until: new Date(group.untilMs).toISOString() } : {}),
      attemptsPerRecord: job.attemptsPerRecord,
      ...(job.capacityPerHour === undefined ? {} : { capacityPerHour: job.capacityPerHour }),
      ...(history === undefined ? {} : { history }),
    },
    { signal },
  );
  return plan.rows.filter((row) => Date.parse(row.attemptAt) < group.untilMs);
}

/** Pushes a plan file of the day; the summary's counts are added to the day. */
/** How long an autopilot push waits for another push of the same plan (seconds of real time, not a minute). */
export const AUTOPILOT_PUSH_LEASE_WAIT_MS = 2_000;

export async function pushDay(
  client: CxoneClient,
  job: AutopilotCampaign,
  planFile: string,
  day: CampaignDay,
  signal?: AbortSignal,
): Promise<PushSummary> {
  const { readPlanRows } = await import("../strategy/plan-read.ts");
  // The list is named after the plan file: a plan made again with the same rows (records a
  // skill's change took out, planned for the same hours) is a new list, not the earlier push
  // found in the store with those records taken out; the same file pushed again (after a kill,
  // a lost answer) is the same list, adopted.
  const summary = await client.strategy.push(
    readPlanRows(planFile, "plan"),
    {
      campaign: job.campaign,
      fitSkill: job.fitSkill,
      listName: listNameOf(planFile),
      // A run never waits on cxo's own leases (issue 101 §2): the campaign's run lease keeps other
      // autopilot runs out; a push of the same plan by hand is left to finish, and this push is
      // tried again at the next run (push_in_progress passes).
      leaseWaitMs: AUTOPILOT_PUSH_LEASE_WAIT_MS,
    },
    { signal },
  );
  const rows = await planRowsOf(planFile);
  if (summary.source === "created" || summary.source === "resumed") day.pushed += summary.records;
  if (!day.lists.includes(summary.listId) && summary.listId) day.lists.push(summary.listId);
  for (const [code, count] of Object.entries(summary.blocked ?? {}))
    day.blocked[code] = (day.blocked[code] ?? 0) + count;
  day.held.push(...heldOf(summary, rows, day));
  return summary;
}

/** The list a plan file goes out in (the same file, the same list). */
export function listNameOf(planFile: string): string {
  return `cxo autopilot ${path.basename(planFile, ".ndjson")}`;
}

async function planRowsOf(planFile: string): Promise<Array<{ recordId: string; debts: string[] }>> {
  const { readPlanRows } = await import("../strategy/plan-read.ts");
  const rows: Array<{ recordId: string; debts: string[] }> = [];
  for await (const row of readPlanRows(planFile, "plan"))
    rows.push({ recordId: String(row.recordId), debts: debtsOfPlanRow(row) });
  return rows;
}

/**
 * The records a push held back for their debt, with their accounts, not already followed. A
 * record planned again and held once more (a debt of three numbers: two held behind the first,
 * both planned again once it closed, one sent and one held behind it) waits again — it had been
 * left as "replanned" and never sent.
 */
function heldOf(
  summary: PushSummary,
  rows: ReadonlyArray<{ recordId: string; debts: string[] }>,
  day: CampaignDay,
): HeldRecord[] {
  const known = new Map(day.held.map((h) => [h.recordId, h]));
  const debtsOf = new Map(rows.map((row) => [row.recordId, row.debts]));
  const added: HeldRecord[] = [];
  const why = "another number of the debt is on the list: its outcome decides";
  for (const recordId of summary.heldRecords ?? []) {
    const was = known.get(recordId);
    if (was?.state === "replanned") Object.assign(was, { state: "waiting", why });
    if (was) continue;
    const debts = debtsOf.get(recordId) ?? [];
    added.push({
      recordId,
      accountId: debts[0] ?? "",
      ...(debts.length > 1 ? { accountIds: debts } : {}),
      state: "waiting",
      why,
    });
  }
  return added;
}
