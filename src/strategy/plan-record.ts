import type { DncList } from "../compliance/dnc.ts";
import type {
  AccountAttempt,
  CampaignCaps,
  ComplianceEngine,
  DncRegistries,
  RegistryFinding,
} from "../compliance/index.ts";
import { nycCountyOf } from "../compliance/nyc-zips.ts";
import type { Registrations } from "../compliance/touches.ts";
import type { CampaignVoice } from "../compliance/voice-rules.ts";
import type { GrantLookup } from "../consent/grants.ts";
import { InputError } from "../core/input-error.ts";
import { ZONED_INSTANT_RULE, zonedInstantMs, zonedInstantProblem } from "../core/instant-input.ts";
import { type NanpNumber, parseNanpOrUk } from "../core/phone-number.ts";
import { HOUR_MS } from "../core/time-units.ts";
import { hashSeed, seededUniform } from "./beta.ts";
import type { ListRow } from "./list-format.ts";
import type { DialRecord, DialScope } from "./may-dial.ts";
import { type Model, SLOTS_PER_WEEK } from "./model-format.ts";
import { type Place, placeOf } from "./place.ts";
import { CapBounds } from "./plan-caps.ts";
import { type ContactFactor, contactFactorOf } from "./plan-contact.ts";
import type { PlanRow } from "./plan-format.ts";
import { frequencyRefusal } from "./plan-frequency.ts";
import { type Posterior, RecordDraws } from "./plan-posterior.ts";
import { PlanRows } from "./plan-row.ts";
import { SegmentPosteriors } from "./plan-segment.ts";
import { type Horizon, type Situation, Situations } from "./plan-situation.ts";
import type { SkillOpen } from "./skill-hours.ts";
import type { CollectionsOrSales, HistoryAttempt, PlanSummary } from "./types.ts";

/** What every record of one plan shares (options resolved, maps of prior attempts). */
export interface PlanSetup {
  /** The runtime's compliance engine: every record's hours and attempts are judged by it. */
  engine: ComplianceEngine;
  model: Model;
  /** Pseudo-attempts of the contact-level prior around its segment's rates (plan-contact.ts). */
  contactStrength: number;
  /** The Thompson draws' spread, a share of the posterior's (plan-posterior.ts). */
  exploration: number;
  horizon: Horizon;
  perRecord: number;
  minGapMs: number;
  /** The dial window each attempt is planned for (issue 62 §3): rules hold over [t, t + it]. */
  staleMinutes: number;
  seed: number;
  capacity: number | undefined;
  kind: CollectionsOrSales;
  /**
   * Issue 79: the kind as the caller declared it (or the campaign spec): the rule table's kinds
   * follow it (undeclared: every kind's rows but a registration), while Regulation F follows `kind`.
   */
  declaredKind?: CollectionsOrSales | undefined;
  /** Issue 92 §2: the campaign's voice and introduction (undefined: live). */
  voice?: CampaignVoice | undefined;
  /** The consent ledger's grants, asked per record. */
  grants?: GrantLookup | undefined;
  /** The seller planning: per-seller caps count its touches. */
  seller?: string | undefined;
  registrations?: Registrations | undefined;
  /** Touches naming their account, by account (history and planned): per-account caps count them. */
  accountTouches?: Map<string, HistoryAttempt[]>;
  campaignId: string;
  listId: string | undefined;
  campaignCaps: CampaignCaps | undefined;
  /** When the platform itself dials (issue 76 §2): no attempt is planned in a window it would hold back. */
  skillOpen?: SkillOpen | undefined;
  dnc: ReadonlySet<string> | undefined;
  /** Revocations and CXone DNC groups (issue 62): a covered number is not planned at all. */
  blocked?: DncList | undefined;
  registries: DncRegistries;
  summary: PlanSummary;
  /** Attempts by phone: the history's, and the plan's as they are made. */
  attemptsOfPhone: Map<string, HistoryAttempt[]>;
  /** Calls by account (collections): the history's, and the plan's as they are made. */
  accountAttempts: Map<string, AccountAttempt[]>;
}

/** One record while it is planned. */
export interface RecordState {
  row: ListRow;
  number: NanpNumber;
  place: Place;
  zone: string;
  onDnc: boolean;
  findings: readonly RegistryFinding[];
  situation: Situation;
  phoneAttempts: HistoryAttempt[];
  /** Its debt's calls (collections): the first debt's, when it is for several. */
  account: AccountAttempt[] | undefined;
  /**
   * Every account the record is for: its own, or each debt of a number listed for
   * several (plan-debts.ts). Each call to it counts toward every one, and a cap of any refuses it.
   */
  debts: readonly string[];
  /** Times planned for it so far. */
  planned: number[];
  /** Slots a rule of its own refused (frequency caps, Regulation F, capacity), first rule each. */
  ruledOut: Map<number, string>;
  /** The contact's own earlier attempts as a factor on its segment's rate per slot (plan-contact.ts). */
  factor: ContactFactor | undefined;
  /** The record as the judging function takes it (may-dial.ts), made once. */
  dial: DialRecord;
}

/**
 * Plans records one at a time: the situation's legal hours (judged once per situation), then
 * Thompson sampling among them, drawn lazily (best bounds first), and the rules that depend on
 * other attempts asked only of the hour about to be chosen. Which segment's posterior a record
 * is drawn from is plan-segment.ts's; the row a chosen hour becomes, plan-row.ts's.
 */
export class RecordPlanner {
  /** NANP records whose consent is not recorded (none, for the consent rule): said in a note. */
  withoutConsent = 0;
  /** UK records whose consent is not recorded: said in a note of their own (PECR's rule, not the FCC's). */
  ukWithoutConsent = 0;
  private readonly load: Int32Array;
  private readonly situations: Situations;
  private readonly draws = new RecordDraws();
  private readonly segmentPosteriors: SegmentPosteriors;
  private readonly rows: PlanRows;
  private readonly candSlot = new Int16Array(SLOTS_PER_WEEK);
  private readonly candDraw = new Float64Array(SLOTS_PER_WEEK);
  /** The caps a record's jurisdictions can apply (plan-caps.ts), by jurisdictions. */
  private readonly capBounds: CapBounds;
  private readonly staleMs: number;
  /** What every record of this plan is judged in: the campaign, its caps, the seller, the skill. */
  private readonly scope: DialScope;

  private readonly setup: PlanSetup;

  constructor(setup: PlanSetup) {
    this.setup = setup;
    const { model, horizon } = setup;
    this.load = new Int32Array(horizon.hours);
    this.staleMs = setup.staleMinutes * 60_000;
    this.scope = {
      engine: setup.engine,
      campaignId: setup.campaignId,
      campaignCaps: setup.campaignCaps,
      kind: setup.declaredKind,
      seller: setup.seller,
      registrations: setup.registrations,
      skill: setup.skillOpen,
      voice: setup.voice,
    };
    this.situations = new Situations(horizon, this.scope, this.staleMs);
    this.segmentPosteriors = new SegmentPosteriors(model, setup.exploration, setup.listId);
    this.rows = new PlanRows(setup);
    this.capBounds = new CapBounds(setup.campaignCaps, setup.declaredKind);
  }

  /** Plans one list row's attempts into `out`, the record's best hours first come first served. */
  plan(row: ListRow, out: PlanRow[]): void {
    const r = this.open(row);
    if (!r) return;
    const planned = out.length;
    for (let k = 0; k < this.setup.perRecord; k++) {
      const posterior = this.posteriorFor(r, r.phoneAttempts.length + 1);
      const chosen = this.choose(r, posterior);
      if (chosen === undefined) break;
      out.push(this.commit(r, posterior, chosen, k + 1));
    }
    this.close(r, out.length > planned);
  }

  /** A record's situation, attempts and random stream; undefined (counted) when no zone is known. */
  open(row: ListRow): RecordState | undefined {
    const { setup } = this;
    const { summary } = setup;
    summary.records++;
    // A row given in code has not been through the list schema (a file's row has): its
    // lastTransactionAt keeps the one rule too, read once (the rules are asked of many hours).
    const lastTransactionMs = lastTransactionMsOf(row);
    // A list row that says nothing of consent has the ledger's grant (`consent grant`), as a check does.
    const grant =
      row.consent === undefined || (setup.voice !== undefined && setup.voice.voice !== "live")
        ? setup.grants?.factsOf(row.phone, row.accountId, setup.kind, setup.horizon.startMs)
        : undefined;
    const consent = row.consent ?? grant?.consent;
    const number = parseNanpOrUk(row.phone);
    if (consent === undefined) {
      if (number?.country === "GB") this.ukWithoutConsent++;
      else this.withoutConsent++;
    }
    // A New York City ZIP code places the consumer in New York (issue 79 §2), as the check does.
    const state = row.state ?? (nycCountyOf(row.zip) ? "NY" : undefined);
    const place = number ? placeOf(row.phone, state) : null;
    const zone = place?.zones[0];
    if (!number || !place || zone === undefined) {
      summary.unplannable++;
      this.count("unknown_time_zone", 1);
      return undefined;
    }
    // The row's accounts too (issue 77 §2): a revocation of any debt covers each of its numbers.
    const debts = row.accountIds ?? (row.accountId === undefined ? [] : [row.accountId]);
    const suppressions = suppressionsOf(setup, row.phone, debts);
    if (suppressions.length > 0) {
      summary.unplannable++;
      summary.suppressed ??= {};
      for (const { code } of suppressions) {
        summary.suppressed[code] = (summary.suppressed[code] ?? 0) + 1;
        this.count(code, 1);
      }
      return undefined;
    }
    const findings = setup.registries.findings(number);
    const onDnc = (setup.dnc?.has(row.phone) ?? false) || (setup.blocked?.has(row.phone) ?? false);
    const situation = this.situations.of({
      zones: place.zones,
      number,
      state,
      consent,
      onDnc,
      findings,
      place,
      writtenConsent: grant?.writtenConsent,
      aiDisclosed: grant?.aiDisclosed,
    });
    const phoneAttempts = setup.attemptsOfPhone.get(row.phone) ?? [];
    this.draws.reset(seededUniform(hashSeed(setup.seed, `${row.recordId}|${row.phone}`)));
    return {
      row,
      number,
      place,
      zone,
      onDnc,
      findings,
      situation,
      phoneAttempts,
      account:
        setup.kind === "collections" && row.accountId !== undefined
          ? setup.accountAttempts.get(row.accountId)
          : undefined,
      debts,
      planned: [],
      ruledOut: new Map(),
      factor: contactFactorOf(phoneAttempts, zone, setup.contactStrength),
      dial: {
        number,
        zones: place.zones,
        state,
        zip: row.zip,
        consent,
        onDnc,
        registries: findings,
        lastTransactionMs,
        numberType: row.numberType,
        accountId: row.accountId,
        writtenConsent: grant?.writtenConsent,
        aiDisclosed: grant?.aiDisclosed,
      },
    };
  }

  /** Whether `attempts` more fit in every hour of the horizon (no hour could fill). */
  roomForAll(attempts: number): boolean {
    const { capacity } = this.setup;
    if (capacity === undefined) return true;
    let most = 0;
    for (let h = 0; h < this.load.length; h++)
      if ((this.load[h] as number) > most) most = this.load[h] as number;
    return most + attempts <= capacity;
  }

  /** Plans the record's remaining attempts (up to `perRecord` in `done`) first come, first served. */
  fill(r: RecordState, posterior: Posterior, done: PlanRow[], perRecord: number): void {
    this.draws.reset(seededUniform(hashSeed(this.setup.seed, `${r.row.recordId}|${r.row.phone}`)));
    while (done.length < perRecord) {
      const chosen = this.choose(r, posterior);
      if (chosen === undefined) return;
      done.push(this.commit(r, posterior, chosen, done.length + 1));
    }
  }

  /** Counts the record's ruled-out slots, and the record when nothing was planned for it. */
  close(r: RecordState, plannedAny: boolean): void {
    for (const [rule, n] of r.situation.refusedCounts) this.count(rule, n);
    for (const rule of r.ruledOut.values()) this.count(rule, 1);
    if (!plannedAny) this.setup.summary.unplannable++;
  }

  /** The record's Thompson draw for a slot: its segment's, times its own attempts' factor. */
  draw(r: RecordState, posterior: Posterior, slot: number): number {
    const value = this.draws.draw(posterior, slot);
    return r.factor ? value * r.factor.of(posterior, slot) : value;
  }

  /**
   * The record's best `k` draws among its legal slots (slots in `slots`, draws in `values`, best
   * first), drawn lazily in the order of their upper bounds; returns how many.
   */
  bestDraws(
    r: RecordState,
    posterior: Posterior,
    k: number,
    slots: Int16Array,
    values: Float64Array,
  ): number {
    const { slotStart } = r.situation;
    const { order, upper } = posterior;
    const most = r.factor ? r.factor.most(posterior) : 1;
    let n = 0;
    for (let next = 0; next < SLOTS_PER_WEEK; next++) {
      const s = order[next] as number;
      if (slotStart[s + 1] === slotStart[s]) continue;
      if (n >= k && (values[k - 1] as number) >= (upper[s] as number) * most) break;
      const value = this.draw(r, posterior, s);
      // Insertion into the sorted top k.
      let i = Math.min(n, k - 1);
      if (n >= k && value <= (values[i] as number)) continue;
      while (i > 0 && (values[i - 1] as number) < value) {
        values[i] = values[i - 1] as number;
        slots[i] = slots[i - 1] as number;
        i--;
      }
      values[i] = value;
      slots[i] = s;
      if (n < k) n++;
    }
    return n;
  }

  private count(rule: string, n: number): void {
    const by = this.setup.summary.ruledOutByRule;
    by[rule] = (by[rule] ?? 0) + n;
  }

  /** The posterior of the record's segment (values as learn computes them) at an attempt's number. */
  posteriorFor(r: RecordState, attemptNumber: number): Posterior {
    return this.segmentPosteriors.of(r.row, r.place, attemptNumber);
  }

  /**
   * Thompson sampling among the situation's legal hours: the slot with the best draw, its
   * earliest hour that keeps the gap to the record's other attempts, that the frequency rules
   * allow and that has capacity left; else the next best draw. Slots are drawn in the order of
   * their upper bound, and only while one could still beat the best draw so far.
   */
  private choose(r: RecordState, posterior: Posterior): { h: number; slot: number } | undefined {
    const { slotStart } = r.situation;
    const { order, upper } = posterior;
    const { candSlot, candDraw } = this;
    const most = r.factor ? r.factor.most(posterior) : 1;
    let drawn = 0;
    let next = 0;
    for (;;) {
      let best = -1;
      for (let i = 0; i < drawn; i++)
        if (
          (candDraw[i] as number) >= 0 &&
          (best < 0 || (candDraw[i] as number) > (candDraw[best] as number))
        )
          best = i;
      while (next < SLOTS_PER_WEEK) {
        const s = order[next] as number;
        if (slotStart[s + 1] === slotStart[s]) {
          next++;
          continue;
        }
        if (best >= 0 && (candDraw[best] as number) >= (upper[s] as number) * most) break;
        candSlot[drawn] = s;
        candDraw[drawn] = this.draw(r, posterior, s);
        if (best < 0 || (candDraw[drawn] as number) > (candDraw[best] as number)) best = drawn;
        drawn++;
        next++;
      }
      if (best < 0) return undefined;
      const slot = candSlot[best] as number;
      candDraw[best] = -1;
      const h = this.hourIn(r, slot);
      if (h !== undefined) return { h, slot };
    }
  }

  /**
   * The slot's earliest hour that keeps the gap to the record's other attempts, that the
   * frequency rules allow and that has capacity left; the first refusal is kept for `ruledOut`.
   */
  hourIn(r: RecordState, slot: number): number | undefined {
    const { slotStart, hours } = r.situation;
    const { startMs } = this.setup.horizon;
    const { capacity, minGapMs } = this.setup;
    for (let i = slotStart[slot] as number; i < (slotStart[slot + 1] as number); i++) {
      const h = hours[i] as number;
      const t = startMs + h * HOUR_MS;
      if (r.planned.some((p) => Math.abs(p - t) < minGapMs)) continue;
      const refusal =
        this.frequencyRefusal(r, t) ??
        (capacity !== undefined && (this.load[h] as number) >= capacity ? "capacity" : null);
      if (refusal === null) return h;
      if (!r.ruledOut.has(slot)) r.ruledOut.set(slot, refusal);
    }
    return undefined;
  }

  /**
   * The slot's earliest hour that keeps the gap to the record's other attempts and that the
   * frequency rules allow, whatever the capacity (the hour a pair bids for in the allocation).
   */
  ruleHourIn(r: RecordState, slot: number): number | undefined {
    const { slotStart, hours } = r.situation;
    const { startMs } = this.setup.horizon;
    const { minGapMs } = this.setup;
    for (let i = slotStart[slot] as number; i < (slotStart[slot + 1] as number); i++) {
      const h = hours[i] as number;
      const t = startMs + h * HOUR_MS;
      if (r.planned.some((p) => Math.abs(p - t) < minGapMs)) continue;
      if (this.frequencyRefusal(r, t) === null) return h;
    }
    return undefined;
  }

  /** Attempts each hour of the horizon still has room for (the capacity less the load). */
  capacityLeft(): Int32Array {
    const { capacity } = this.setup;
    const left = new Int32Array(this.load.length);
    for (let h = 0; h < left.length; h++)
      left[h] = capacity === undefined ? 2 ** 30 : Math.max(0, capacity - (this.load[h] as number));
    return left;
  }

  /** Records the chosen hour (capacity, the phone's and the account's attempts) and makes its row. */
  commit(r: RecordState, posterior: Posterior, chosen: { h: number; slot: number }, attempt: number) {
    const { setup } = this;
    const t = setup.horizon.startMs + chosen.h * HOUR_MS;
    this.load[chosen.h] = (this.load[chosen.h] as number) + 1;
    r.planned.push(t);
    if (r.phoneAttempts.length === 0) setup.attemptsOfPhone.set(r.row.phone, r.phoneAttempts);
    // A planned attempt is its dial window, not an instant: later choices count it as one.
    const untilMs = t + this.staleMs;
    r.phoneAttempts.push({
      phone: r.row.phone,
      atMs: t,
      campaignId: setup.campaignId,
      conversation: false,
      untilMs,
    });
    const call: AccountAttempt = {
      atMs: t,
      conversation: false,
      untilMs,
      channel: "call",
      phone: r.row.phone,
    };
    // A call to a number of several debts is a call about each (12 CFR 1006.14(b)(2)).
    if (r.debts.length > 1 && setup.kind === "collections")
      for (const debt of r.debts) setup.accountAttempts.get(debt)?.push(call);
    else r.account?.push(call);
    if (setup.accountTouches)
      for (const accountId of r.debts) {
        const planned = { phone: r.row.phone, atMs: t, untilMs, conversation: false, accountId };
        const known = setup.accountTouches.get(accountId);
        if (known) known.push(planned);
        else setup.accountTouches.set(accountId, [planned]);
      }
    setup.summary.planned++;
    return this.rows.rowOf(r, posterior, chosen, attempt);
  }

  /** The rules that depend on other attempts (plan-frequency.ts), for an attempt at t. */
  private frequencyRefusal(r: RecordState, t: number): string | null {
    return frequencyRefusal(
      { setup: this.setup, scope: this.scope, capBounds: this.capBounds, staleMs: this.staleMs },
      r,
      t,
    );
  }
}

/** What covers the number for this campaign: a revocation of it, or of any debt it is for. */
function suppressionsOf(setup: PlanSetup, phone: string, debts: readonly string[]) {
  const of = (account: string | undefined) =>
    setup.blocked?.suppressions?.(phone, setup.campaignId, undefined, account) ?? [];
  if (debts.length < 2) return of(debts[0]);
  const byCode = new Map<string, ReturnType<typeof of>[number]>();
  for (const debt of debts) for (const s of of(debt)) if (!byCode.has(s.code)) byCode.set(s.code, s);
  return [...byCode.values()];
}

/**
 * A row's last transaction (epoch ms) by the one rule for a date-time with a zone, or undefined
 * when it has none; one that breaks the rule (a row given in code: a file's row was read by
 * listRowSchema) is an InputError naming `lastTransactionAt`, where Date.parse read it before
 * (a time without a zone in the machine's zone, NaN for the rest).
 */
function lastTransactionMsOf(row: ListRow): number | undefined {
  const given = row.lastTransactionAt;
  if (given === undefined) return undefined;
  const ms = zonedInstantMs(given);
  if (ms === undefined)
    throw new InputError({
      field: "lastTransactionAt",
      rule: zonedInstantProblem(given) ?? ZONED_INSTANT_RULE,
    });
  return ms;
}
