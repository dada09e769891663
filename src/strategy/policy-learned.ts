import { DAY_MS, HOUR_MS } from "../core/time-units.ts";
import { buildModel, learn, SlotCounts } from "./learn.ts";
import type { ListRow } from "./list-format.ts";
import { type Model, SLOTS_PER_WEEK } from "./model-format.ts";
import { plan } from "./plan.ts";
import type { Policy } from "./simulate.ts";
import type { HistoryAttempt, OutcomeRecord } from "./types.ts";
import { trueRate, type World } from "./world.ts";

/**
 * The learned strategy in the bench, run as a user runs the product (issue 55 §4): every
 * morning `learn` reads the campaign's outcome records so far (the list's earlier attempts when
 * it starts from a history, then every attempt the bench has dialled) into a model keyed by the
 * list's column (`column:NAME`), and `plan` (the compliance layer first, then Thompson sampling,
 * the dialer's capacity per hour, the contact's own earlier attempts) plans each record still to
 * reach its next attempt over the coming days. The dialer dials the attempts planned for today;
 * tomorrow the user learns and plans again. No learner of its own: the product's, file for file.
 */

export const BENCH_CAMPAIGN = "bench";
/**
 * Days each morning's plan covers. One: a week's plan of which only the first day is dialled
 * waits for the records' best days and leaves today's capacity idle (docs/strategy.md, Figures).
 */
export const PLAN_AHEAD_DAYS = 1;
/**
 * Attempts planned per record a day, at least the skill's minimum retry apart: a second call in a
 * contact's good evening may beat a first call to another in a poor hour.
 */
export const ATTEMPTS_A_DAY = 1;

/** An RPC is an agent's conversation with a success disposition; anything else, no answer. */
function outcomeRecord(world: World, column: string, c: number, atMs: number, rpc: boolean): OutcomeRecord {
  const value = world.population.segments[world.hint[c] as number]?.value ?? "";
  return {
    campaignId: BENCH_CAMPAIGN,
    startTime: new Date(atMs).toISOString(),
    phoneNumber: world.phone[c] as string,
    dispositionCode: rpc ? "CONVERTED" : "NO_ANSWER",
    agentId: rpc ? "agent" : null,
    durationSeconds: rpc ? 180 : 0,
    extra: { [column]: value },
  };
}

/** The list as a user's file would give it: id, number, state, consent, the segment column. */
function listRows(world: World, column: string): ListRow[] {
  const collections = world.population.spec.kind === "collections";
  return Array.from({ length: world.size }, (_, c) => ({
    recordId: String(c),
    phone: world.phone[c] as string,
    state: world.population.spec.areas[world.area[c] as number]?.state,
    consent: true,
    ...(collections ? { accountId: `A${c}` } : {}),
    columns: { [column]: world.population.segments[world.hint[c] as number]?.value ?? "" },
  }));
}

async function* stream<T>(items: readonly T[]): AsyncIterable<T> {
  yield* items;
}

const ORACLE_COLUMN = "oracle_contact";
/** Pseudo-attempts per contact and slot of the true model: its draws are the true rates ± 0.001. */
const TRUE_EVIDENCE = 200_000;

/** Each contact a segment (list column `oracle_contact`) with its true rate in every slot. */
function trueModel(world: World): Model {
  const key = `column:${ORACLE_COLUMN}` as const;
  const counts = new SlotCounts();
  for (let c = 0; c < world.size; c++)
    for (let slot = 0; slot < SLOTS_PER_WEEK; slot++)
      counts.add(
        [key],
        { [key]: String(c) },
        slot,
        TRUE_EVIDENCE,
        Math.round(TRUE_EVIDENCE * trueRate(world, c, slot)),
      );
  return buildModel(counts, { campaign: BENCH_CAMPAIGN, keys: [key] });
}

export interface LearnedPolicy extends Policy {
  /** The model learned on the last morning (for the report's heat maps). */
  model(): Model | undefined;
}

export function learnedPlanned(options: {
  fromHistory: boolean;
  seed: number;
  name?: string;
  /** A model given instead of the one learned each morning (bench/strategy-variants/ceiling.ts). */
  model?: (world: World) => Model;
  /**
   * The oracle through the same planner: each contact its own segment whose rates are its true
   * ones (level and shift included), its own attempts left out (they could only blur them).
   */
  oracle?: boolean;
}): LearnedPolicy {
  let model: Model | undefined;
  let oracleModel: Model | undefined;
  let records: OutcomeRecord[] = [];
  let attempts: HistoryAttempt[] = [];
  let rows: ListRow[] = [];
  /** Today's planned attempts: record × horizon hour. */
  const today = new Set<number>();
  const key = (c: number, h: number) => c * 10_000 + h;
  let column = "segment";
  return {
    name: options.name ?? (options.fromHistory ? "learned-history" : "learned-cold"),
    gated: false,
    model: () => model,
    async startDay(world, state, day) {
      if (day === 0) {
        column = world.population.spec.list.observable.column;
        rows = listRows(world, column);
        if (options.oracle) {
          oracleModel = trueModel(world);
          rows = rows.map((row, c) => ({ ...row, columns: { [ORACLE_COLUMN]: String(c) } }));
        }
        records = [];
        attempts = [];
        const { contact, atMs, rpc } = world.history;
        for (let i = 0; i < contact.length; i++) {
          const c = contact[i] as number;
          const at = atMs[i] as number;
          // Every earlier attempt counts toward the caps and the contact's own factor (plan's
          // history, as a dialer keeps it); the model learns from them only from a history.
          attempts.push({ phone: world.phone[c] as string, atMs: at, conversation: rpc[i] === 1 });
          if (options.fromHistory) records.push(outcomeRecord(world, column, c, at, rpc[i] === 1));
        }
      }
      const { spec } = world.population;
      model = oracleModel
        ? oracleModel
        : options.model
          ? options.model(world)
          : await learn(stream(records), { campaign: BENCH_CAMPAIGN, keys: [`column:${column}`] });
      const open = rows.filter(
        (_, c) => !state.reached[c] && (state.attempts[c] as number) < spec.attemptsPerRecord,
      );
      const fromMs = world.startMs + day * DAY_MS;
      today.clear();
      const planned = plan(world.engine, stream(open), model, {
        campaign: BENCH_CAMPAIGN,
        from: new Date(fromMs).toISOString(),
        days: Math.min(PLAN_AHEAD_DAYS, spec.horizonDays - day),
        kind: spec.kind,
        capacityPerHour: spec.capacityPerHour,
        attemptsPerRecord: ATTEMPTS_A_DAY,
        minGapHours: spec.minRetryMinutes / 60,
        history: attempts,
        seed: options.seed * 1000 + day,
        ...(options.oracle ? { contactStrength: 1e9 } : {}),
      });
      for await (const row of planned) {
        const h = Math.round((Date.parse(row.attemptAt) - world.startMs) / HOUR_MS);
        if (h < (day + 1) * 24) today.add(key(Number(row.recordId), h));
      }
    },
    eligible: (_world, _state, c, h) => today.has(key(c, h)),
    score: () => 1,
    observe(world, c, _slot, rpc, atMs) {
      attempts.push({ phone: world.phone[c] as string, atMs, conversation: rpc });
      records.push(outcomeRecord(world, column, c, atMs, rpc));
    },
  };
}
