import { type AccountAttempt, type ComplianceEngine, NO_REGISTRIES } from "../compliance/index.ts";
import { campaignVoiceOf } from "../compliance/voice-rules.ts";
import { checkWholeNumber, InputError } from "../core/input-error.ts";
import { instantInputMs } from "../core/instant-input.ts";
import { HOUR_MS } from "../core/time-units.ts";
import { type ListRow, ownColumn } from "./list-format.ts";
import { columnOfKey, type Model } from "./model-format.ts";
import { nanpE164 } from "./place.ts";
import { batches, planBatch } from "./plan-allocate.ts";
import { DEFAULT_CONTACT_STRENGTH } from "./plan-contact.ts";
import { readDebts } from "./plan-debts.ts";
import { DEFAULT_STALE_MINUTES, MAX_STALE_MINUTES, type PlanRow } from "./plan-format.ts";
import { RecordPlanner } from "./plan-record.ts";
import { Horizon, horizonStartMs } from "./plan-situation.ts";
import { skillOpen } from "./skill-hours.ts";
import type { HistoryAttempt, PlanOptions, PlanSummary } from "./types.ts";

export const MAX_PLAN_DAYS = 31;
export const DEFAULT_MIN_GAP_HOURS = 20;
/**
 * The Thompson draws' spread as a share of the posterior's standard deviation: 0.3, draws from a
 * Beta of the same mean with the evidence divided by 0.3² (about eleven times the evidence;
 * docs/strategy.md, Figures: on the bench's populations it spends fewer attempts on hours the
 * model rates poorly, and reaches more of the oracle's lift).
 */
export const DEFAULT_EXPLORATION = 0.3;

export const newPlanSummary = (): PlanSummary => ({
  records: 0,
  planned: 0,
  unplannable: 0,
  ruledOutByRule: {},
  notes: [],
});

/** Checks the model against what the caller expects and the options; throws InputError. */
export function checkPlanInput(
  model: Model,
  options: PlanOptions,
): { fromMs: number; untilMs: number | undefined } {
  if (options.campaign !== undefined && options.campaign !== model.campaign)
    throw new InputError({
      field: "model.campaign",
      rule: `the model was learned for campaign ${model.campaign}, not ${options.campaign}`,
    });
  if (options.keys !== undefined && options.keys.join(",") !== model.keys.join(","))
    throw new InputError({
      field: "model.keys",
      rule: `the model's segment keys are [${model.keys.join(", ")}], not [${options.keys.join(", ")}]`,
    });
  const fromMs = instantInputMs(options.from, "from");
  if (fromMs === undefined) throw new InputError({ field: "from", rule: "is required" });
  const untilMs = instantInputMs(options.until, "until");
  if (untilMs !== undefined && untilMs <= fromMs)
    throw new InputError({ field: "until", rule: "must be after `from` (the horizon's end)" });
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > MAX_PLAN_DAYS)
    throw new InputError({
      field: "days",
      rule: `must be a whole number of days from 1 to ${MAX_PLAN_DAYS}`,
    });
  const per = options.attemptsPerRecord ?? 1;
  if (!Number.isInteger(per) || per < 1 || per > 24)
    throw new InputError({ field: "attemptsPerRecord", rule: "must be a whole number from 1 to 24" });
  if (
    options.capacityPerHour !== undefined &&
    !(Number.isInteger(options.capacityPerHour) && options.capacityPerHour > 0)
  )
    throw new InputError({ field: "capacity", rule: "must be a positive whole number of attempts per hour" });
  if (options.exploration !== undefined && !(options.exploration > 0 && options.exploration <= 1))
    throw new InputError({
      field: "exploration",
      rule: "must be above 0 and at most 1 (a share of the posterior's spread)",
    });
  checkWholeNumber(
    options.staleMinutes,
    "staleMinutes",
    [0, MAX_STALE_MINUTES],
    `must be a whole number of minutes from 0 to ${MAX_STALE_MINUTES} (the dial window each attempt is planned for)`,
  );
  if (options.contactStrength !== undefined && !(options.contactStrength > 0))
    throw new InputError({ field: "contactStrength", rule: "must be a positive number of pseudo-attempts" });
  const voiceProblems: Array<{ field: string; rule: string }> = [];
  campaignVoiceOf(options, voiceProblems);
  if (voiceProblems.length > 0) throw new InputError(voiceProblems);
  return { fromMs, untilMs };
}

/**
 * Plans each record's next attempts at the best legal hours. The compliance engine runs first
 * (src/compliance: calling hours in every candidate zone, state windows and holidays,
 * consent, DNC list and registry copies, the state and campaign frequency caps counted over the
 * history and the attempts already planned), then Regulation F for kind `collections` (by
 * account, across its numbers); only among the hours left does Thompson sampling on the model
 * choose. Pure and seeded: the same list, model, options and seed give the same plan.
 *
 * The engine's answer for an hour is the same for every number of one situation (zone, area
 * code, state, consent…), so it is asked once per situation (plan-situation.ts); the rules that
 * depend on other attempts are asked per record (plan-record.ts). For kind `collections` the list
 * is read in full before the first row is planned (an account's numbers must all be known, so
 * that the history of each counts toward the account's calls; a number of several debts is one
 * record for all of them: plan-debts.ts); otherwise it is streamed, keeping only the phones
 * planned for.
 */
export async function* plan(
  engine: ComplianceEngine,
  list: AsyncIterable<ListRow> | Iterable<ListRow>,
  model: Model,
  options: PlanOptions,
  summary: PlanSummary = newPlanSummary(),
): AsyncIterable<PlanRow> {
  for await (const rows of planInBatches(engine, list, model, options, summary)) yield* rows;
}

/**
 * `plan`'s rows in the list's order, a batch at a time (up to a batch of the list's records'
 * rows): what the CLI writes, one await a batch instead of one a row (a million-record plan
 * spent about a tenth of its time passing rows one by one through three async generators).
 */
export async function* planInBatches(
  /** The runtime's compliance engine (a client's, a CLI run's). */
  engine: ComplianceEngine,
  list: AsyncIterable<ListRow> | Iterable<ListRow>,
  model: Model,
  options: PlanOptions,
  summary: PlanSummary = newPlanSummary(),
): AsyncIterable<PlanRow[]> {
  const { fromMs, untilMs } = checkPlanInput(model, options);
  const kind = options.kind ?? "sales";
  summary.staleMinutes = options.staleMinutes ?? DEFAULT_STALE_MINUTES;
  if (model.learnedFrom.records === 0)
    summary.notes.push(
      "the model learned from no attempts: planned from the prior alone (every legal hour alike)",
    );
  if (options.history === undefined)
    summary.notes.push(
      (options.calls?.length ?? 0) > 0
        ? `no history given: counted the ${options.calls?.length} call(s) cxo knows of (its own, imported touches, histories given before, CXone's dials on the lists it pushed and the skill's completed contacts) toward the frequency caps and Regulation F`
        : "no history given: no attempt already made counted toward the frequency caps or Regulation F, only this plan's own",
    );
  else summary.history ??= { source: "given", attempts: options.history.length };
  if (options.history !== undefined && options.history.length === 0)
    summary.notes.push(
      "the history holds no attempts: nothing counted toward the frequency caps but this plan",
    );
  // Prior attempts by phone; planned ones are added as they are made.
  const attemptsOfPhone = new Map<string, HistoryAttempt[]>();
  // Matched to the list's E.164 phones: a production history holds 10-digit numbers.
  for (const given of options.calls ?? options.history ?? []) {
    const phone = nanpE164(given.phone);
    const attempt = phone === given.phone ? given : { ...given, phone };
    const known = attemptsOfPhone.get(phone);
    if (known) known.push(attempt);
    else attemptsOfPhone.set(phone, [attempt]);
  }
  const accountAttempts = new Map<string, AccountAttempt[]>();
  // Each debt's calls on every number (a per-account cap and Regulation F count those to every
  // number of the debt), the planned ones added as they are made: the calls gathered for the debt
  // (options.accountCalls), else the history's touches that name their account (issue 79).
  const accountTouches = new Map<string, HistoryAttempt[]>();
  if (options.accountCalls)
    for (const [account, calls] of options.accountCalls) accountTouches.set(account, [...calls]);
  else
    for (const list of attemptsOfPhone.values())
      for (const a of list)
        if (a.accountId !== undefined) {
          const known = accountTouches.get(a.accountId);
          if (known) known.push(a);
          else accountTouches.set(a.accountId, [a]);
        }
  let read: AsyncIterable<ListRow> | Iterable<ListRow> = list;
  if (kind === "collections") {
    const debts = await readDebts(
      list,
      attemptsOfPhone,
      options.accountCalls,
      options.debtsOfNumbers,
      summary,
    );
    read = debts.rows;
    for (const [account, attempts] of debts.accountAttempts) accountAttempts.set(account, attempts);
  }
  const rows = withModelColumns(read, model);
  const planner = new RecordPlanner({
    engine,
    model,
    contactStrength: options.contactStrength ?? DEFAULT_CONTACT_STRENGTH,
    exploration: options.exploration ?? DEFAULT_EXPLORATION,
    horizon: new Horizon(horizonStartMs(fromMs), horizonHours(horizonStartMs(fromMs), options.days, untilMs)),
    perRecord: options.attemptsPerRecord ?? 1,
    minGapMs: (options.minGapHours ?? DEFAULT_MIN_GAP_HOURS) * HOUR_MS,
    staleMinutes: options.staleMinutes ?? DEFAULT_STALE_MINUTES,
    seed: options.seed ?? 1,
    capacity: options.capacityPerHour,
    kind,
    declaredKind: options.kind,
    voice: campaignVoiceOf(options, []),
    grants: options.grants,
    seller: options.seller,
    registrations: options.registrations,
    accountTouches,
    campaignId: options.campaign ?? model.campaign,
    listId: options.listId,
    campaignCaps: options.campaignCaps,
    skillOpen: options.skillHours ? skillOpen(options.skillHours) : undefined,
    dnc: options.dnc,
    blocked: options.blocked,
    registries: options.registries ?? NO_REGISTRIES,
    summary,
    attemptsOfPhone,
    accountAttempts,
  });
  const perRecord = options.attemptsPerRecord ?? 1;
  const ordered = perRecord > 1 ? inTimeOrder : (out: PlanRow[]) => out;
  if (options.capacityPerHour !== undefined)
    for await (const batch of batches(rows))
      if (!planner.roomForAll(batch.length * perRecord)) yield ordered(planBatch(planner, batch, perRecord));
      // No hour can fill with this batch: each record's own best hours are the allocation.
      else {
        const out: PlanRow[] = [];
        for (const row of batch) planner.plan(row, out);
        yield ordered(out);
      }
  else
    for await (const batch of batches(rows)) {
      const out: PlanRow[] = [];
      for (const row of batch) planner.plan(row, out);
      yield ordered(out);
    }
  if (planner.withoutConsent > 0)
    summary.notes.push(
      `${planner.withoutConsent} of ${summary.records} records carry no consent (not recorded counts as none: the federal consent rule refuses every hour of theirs)`,
    );
  if (planner.ukWithoutConsent > 0)
    summary.notes.push(
      `${planner.ukWithoutConsent} of ${summary.records} records are UK numbers without recorded consent: PECR is their rule — a live call needs none unless the number has been on the TPS/CTPS 28 days or more (regs 21, 21A, 26), an automated (recorded or AI voice) marketing call needs the subscriber's prior consent (reg 19)`,
    );
}

/**
 * A record's attempts are chosen best first (its best hour, then the best left at least the
 * minimum gap away), which may be earlier: each record's rows (consecutive in a batch) are put in
 * time order and numbered so, attempt 1 being its first call. The planner's own rows, renumbered
 * in place.
 */
function inTimeOrder(out: PlanRow[]): PlanRow[] {
  let start = 0;
  while (start < out.length) {
    const id = (out[start] as PlanRow).recordId;
    let end = start + 1;
    while (end < out.length && (out[end] as PlanRow).recordId === id) end++;
    if (end - start > 1) {
      const run = out.slice(start, end).sort((a, b) => Date.parse(a.attemptAt) - Date.parse(b.attemptAt));
      run.forEach((row, i) => {
        row.attempt = i + 1;
        out[start + i] = row;
      });
    }
    start = end;
  }
  return out;
}

/** Rows read before a model's list column must have been seen (withModelColumns). */
const COLUMN_SEEN_WITHIN = 1_000;

/**
 * A model keyed by a list column (`column:NAME`) plans a list that has that column: a list none of
 * whose first 1,000 rows (or all its rows, if fewer) has a value in it is refused (`model.keys`)
 * before any row comes out, instead of every record silently planned on the campaign's rates.
 * A row without a value has the empty value, as in learn.
 */
function withModelColumns(
  rows: AsyncIterable<ListRow> | Iterable<ListRow>,
  model: Model,
): AsyncIterable<ListRow> | Iterable<ListRow> {
  const columns = model.keys.flatMap((key) => {
    const name = columnOfKey(key);
    return name === undefined ? [] : [name];
  });
  if (columns.length === 0) return rows;
  const refuse = (missing: string) =>
    new InputError({
      field: "model.keys",
      rule: `the model was learned by the list column ${missing} (key column:${missing}), which the list does not have`,
    });
  return (async function* () {
    const held: ListRow[] = [];
    const unseen = new Set(columns);
    for await (const row of rows) {
      if (unseen.size === 0) {
        yield row;
        continue;
      }
      held.push(row);
      for (const name of unseen) if (ownColumn(row.columns, name) !== undefined) unseen.delete(name);
      if (unseen.size === 0) yield* held.splice(0);
      else if (held.length >= COLUMN_SEEN_WITHIN) throw refuse([...unseen][0] as string);
    }
    if (unseen.size > 0 && held.length > 0) throw refuse([...unseen][0] as string);
  })();
}

/** The horizon's hours: `days` of them, or fewer when `until` comes first (at least one). */
function horizonHours(startMs: number, days: number, untilMs: number | undefined): number {
  const hours = days * 24;
  if (untilMs === undefined) return hours;
  return Math.max(1, Math.min(hours, Math.ceil((untilMs - startMs) / 3_600_000)));
}
