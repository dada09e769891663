import { hash3, unit3 } from "../random.ts";
import { contactId, contactPhone } from "./contacts.ts";
import type { CodeWithStats } from "./vocabulary.ts";

/**
 * Outbound call records, generated from their index instead of stored.
 *
 * Layout: call i belongs to campaign slot `i % C` and starts at a time that grows with i, so
 * the whole set is ordered by startTime and each campaign's calls form an arithmetic
 * progression (i = slot + k·C). A campaign + time-range query is then two binary searches over
 * k and a straight walk: no scan of other campaigns, no memory per call. Only tagged calls
 * (seed 000) are stored, as overrides keyed by index.
 */
export interface CallRecord {
  id: string;
  campaignId: string;
  contactId: string;
  phoneNumber: string;
  /**
   * The number the call was placed from (E.164). Not in the seed API's call record: this
   * emulator's documented extension (docs/emulator.md), so caller-id health runs on seed too.
   */
  callerId: string;
  direction: "OUTBOUND";
  startTime: string;
  endTime: string;
  durationSeconds: number;
  dispositionCode: string;
  reasonCodeId: string | null;
  agentId: string | null;
  tags: string[];
  notes?: string;
  dispositionUpdatedAt?: string;
}

export interface CallCampaign {
  id: string;
  listIndex: number;
  listSize: number;
  codes: readonly CodeWithStats[];
}

export interface CallOverride {
  dispositionCode: string;
  reasonCodeId: string | null;
  tags: string[];
  notes: string;
  updatedAt: string;
}

interface PreparedCampaign extends CallCampaign {
  cumulative: number[];
  totalWeight: number;
}

/** Codes ending without a conversation have no agent. */
const NO_AGENT = new Set(["BUSY", "NO_ANSWER", "DISCONNECTED"]);

const DAY_MS = 86_400_000;
const OPEN_OFFSET_MS = 16 * 3_600_000;
const OPEN_MS = 9 * 3_600_000;

/** Each weekday in [from, to) whose whole calling window lies inside the range. */
function callingDays(fromMs: number, toMs: number): number[] {
  const days: number[] = [];
  for (let day = Math.floor(fromMs / DAY_MS) * DAY_MS; day < toMs; day += DAY_MS) {
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    if (day + OPEN_OFFSET_MS >= fromMs && day + OPEN_OFFSET_MS + OPEN_MS <= toMs) days.push(day);
  }
  return days;
}

/** Numbers each campaign calls from (its caller-id pool), picked per call. */
export const CALLER_IDS_PER_CAMPAIGN = 4;

/** Caller id `k` of campaign slot `slot`: toll-free 800-555 numbers, distinct per campaign. */
export const seedCallerId = (slot: number, k: number): string =>
  `+1800555${String(2000 + slot * CALLER_IDS_PER_CAMPAIGN + k).padStart(4, "0")}`;

/** About 1% of calls have a locked disposition (seed 000's 409). */
const LOCK_MODULUS = 100;

export class CallStore {
  readonly seed: number;
  readonly total: number;
  readonly windowStartMs: number;
  readonly spanMs: number;
  readonly overrides = new Map<number, CallOverride>();
  private readonly campaigns: PreparedCampaign[];
  private readonly days: number[];
  private readonly openTotalMs: number;

  constructor(options: {
    seed: number;
    total: number;
    windowStartMs: number;
    spanMs: number;
    campaigns: CallCampaign[];
  }) {
    this.seed = options.seed;
    this.total = options.total;
    this.windowStartMs = options.windowStartMs;
    this.spanMs = options.spanMs;
    // The first day of the window is left empty, so a query from the first call's start stays
    // inside the 90-day retention for at least a day of emulator uptime.
    this.days = callingDays(options.windowStartMs + DAY_MS, options.windowStartMs + options.spanMs);
    this.openTotalMs = Math.max(1, this.days.length) * OPEN_MS;
    this.campaigns = options.campaigns.map((campaign) => {
      let running = 0;
      const cumulative = campaign.codes.map((code) => {
        running += code.weight;
        return running;
      });
      return { ...campaign, cumulative, totalWeight: running };
    });
  }

  get campaignCount(): number {
    return this.campaigns.length;
  }

  campaignAt(slot: number): CallCampaign | undefined {
    return this.campaigns[slot];
  }

  slotOf(campaignId: string): number {
    return this.campaigns.findIndex((campaign) => campaign.id === campaignId);
  }

  /** How many calls campaign slot `slot` has. */
  countFor(slot: number): number {
    const c = this.campaigns.length;
    return this.total > slot ? Math.floor((this.total - 1 - slot) / c) + 1 : 0;
  }

  startMs(index: number): number {
    const open = Math.floor(((index + unit3(this.seed, index, 1)) * this.openTotalMs) / this.total);
    const day = this.days[Math.floor(open / OPEN_MS)] ?? this.windowStartMs;
    return day + OPEN_OFFSET_MS + (open % OPEN_MS);
  }

  idOf(index: number): string {
    const check = (hash3(this.seed, index, 2) & 0xffff).toString(16).padStart(4, "0");
    return `call-${index.toString(36).padStart(5, "0")}-${check}`;
  }

  /** The index behind an id, or -1 when the id is not one of ours (wrong seed, typo, guess). */
  indexOf(id: string): number {
    const match = /^call-([0-9a-z]+)-([0-9a-f]{4})$/.exec(id);
    if (!match) return -1;
    const index = Number.parseInt(match[1] as string, 36);
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.total) return -1;
    return this.idOf(index) === id ? index : -1;
  }

  isLocked(index: number): boolean {
    return hash3(this.seed, index, 9) % LOCK_MODULUS === 0;
  }

  private generatedCode(index: number): CodeWithStats {
    const campaign = this.campaigns[index % this.campaigns.length] as PreparedCampaign;
    const target = unit3(this.seed, index, 3) * campaign.totalWeight;
    const { cumulative } = campaign;
    let i = 0;
    while (i < cumulative.length - 1 && (cumulative[i] as number) <= target) i++;
    return campaign.codes[i] as CodeWithStats;
  }

  /** The code a listing filters on: the tagged one when the call was tagged. */
  effectiveCode(index: number): string {
    return this.overrides.get(index)?.dispositionCode ?? this.generatedCode(index).id;
  }

  record(index: number): CallRecord {
    const seed = this.seed;
    const campaign = this.campaigns[index % this.campaigns.length] as PreparedCampaign;
    const code = this.generatedCode(index);
    const start = this.startMs(index);
    const [minS, maxS] = code.durationRange;
    const duration = minS + Math.floor(unit3(seed, index, 4) * (maxS - minS + 1));
    const position = hash3(seed, index, 5) % campaign.listSize;
    const reasons = code.reasonCodes;
    const reason =
      reasons.length > 0 && unit3(seed, index, 6) < 0.8
        ? (reasons[hash3(seed, index, 7) % reasons.length]?.id ?? null)
        : null;
    const record: CallRecord = {
      id: this.idOf(index),
      campaignId: campaign.id,
      contactId: contactId(campaign.listIndex, position),
      phoneNumber: contactPhone(seed, campaign.listIndex, position),
      // Its own salt: the other fields draw exactly what they drew before the extension.
      callerId: seedCallerId(index % this.campaigns.length, hash3(seed, index, 10) % CALLER_IDS_PER_CAMPAIGN),
      direction: "OUTBOUND",
      startTime: new Date(start).toISOString(),
      endTime: new Date(start + duration * 1000).toISOString(),
      durationSeconds: duration,
      dispositionCode: code.id,
      reasonCodeId: reason,
      agentId: NO_AGENT.has(code.id)
        ? null
        : `agent-${String((hash3(seed, index, 8) % 60) + 1).padStart(3, "0")}`,
      tags: [],
    };
    const override = this.overrides.get(index);
    if (override) {
      record.dispositionCode = override.dispositionCode;
      record.reasonCodeId = override.reasonCodeId;
      record.tags = [...override.tags];
      record.notes = override.notes;
      record.dispositionUpdatedAt = override.updatedAt;
    }
    return record;
  }

  /** Maps a position in a (possibly per-campaign) sequence back to a call index. */
  private indexAt(slot: number | null, position: number): number {
    return slot === null ? position : slot + position * this.campaigns.length;
  }

  private lengthOf(slot: number | null): number {
    return slot === null ? this.total : this.countFor(slot);
  }

  /** First position whose start time is >= t (binary search: start time grows with position). */
  firstPositionAtOrAfter(slot: number | null, t: number): number {
    let lo = 0;
    let hi = this.lengthOf(slot);
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.startMs(this.indexAt(slot, mid)) >= t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * One page of a listing. `scanBudget` bounds the work per request when a code filter is
   * selective: the page may then be shorter than `limit` and still carry a next position.
   */
  page(query: {
    slot: number | null;
    fromMs: number;
    toMs: number;
    codes: ReadonlySet<string> | null;
    limit: number;
    cursor: number | null;
    scanBudget?: number;
  }): { records: CallRecord[]; next: number | null } {
    const end = this.firstPositionAtOrAfter(query.slot, query.toMs);
    let position = Math.max(query.cursor ?? 0, this.firstPositionAtOrAfter(query.slot, query.fromMs));
    const budget = query.scanBudget ?? 250_000;
    const records: CallRecord[] = [];
    let scanned = 0;
    while (position < end && records.length < query.limit && scanned < budget) {
      const index = this.indexAt(query.slot, position);
      position++;
      scanned++;
      if (query.codes && !query.codes.has(this.effectiveCode(index))) continue;
      records.push(this.record(index));
    }
    return { records, next: position < end ? position : null };
  }

  /**
   * How many calls of a listing carry each disposition code (tags included), without building
   * records: the reference a client's export can be checked against.
   */
  countByCode(query: { slot: number | null; fromMs: number; toMs: number }): Record<string, number> {
    const end = this.firstPositionAtOrAfter(query.slot, query.toMs);
    const counts: Record<string, number> = {};
    for (let position = this.firstPositionAtOrAfter(query.slot, query.fromMs); position < end; position++) {
      const code = this.effectiveCode(this.indexAt(query.slot, position));
      counts[code] = (counts[code] ?? 0) + 1;
    }
    return counts;
  }

  /** `count` distinct unlocked call indices spread evenly over campaigns and time. */
  sample(count: number): number[] {
    const c = this.campaigns.length;
    const wanted = Math.min(count, Math.floor(this.total * 0.95));
    const chosen = new Set<number>();
    const perCampaign = Math.ceil(wanted / c);
    for (let k = 0; chosen.size < wanted && k < wanted * 2; k++) {
      const slot = k % c;
      const available = this.countFor(slot);
      if (available === 0) continue;
      const step = available / perCampaign;
      let position = Math.floor(Math.floor(k / c) * step) % available;
      let index = slot + position * c;
      for (let guard = 0; (chosen.has(index) || this.isLocked(index)) && guard < available; guard++) {
        position = (position + 1) % available;
        index = slot + position * c;
      }
      if (!chosen.has(index) && !this.isLocked(index)) chosen.add(index);
    }
    // Top up in index order if spreading left gaps (tiny totals).
    for (let index = 0; chosen.size < wanted && index < this.total; index++) {
      if (!this.isLocked(index)) chosen.add(index);
    }
    return [...chosen];
  }

  /** The first `count` locked call indices. */
  lockedSample(count: number): number[] {
    const out: number[] = [];
    for (let index = 0; out.length < count && index < this.total; index++) {
      if (this.isLocked(index)) out.push(index);
    }
    return out;
  }
}
