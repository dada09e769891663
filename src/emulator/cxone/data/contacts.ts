import { hash3, unit3 } from "../../random.ts";
import { BoundedScan } from "./bounded-scan.ts";
import { answerSuppressed, type CallerIdLabel, callerIdPool } from "./caller-ids.ts";
import { answerRate, CallingWindows } from "./calling-window.ts";
import type { Disposition, Skill } from "./model.ts";

/**
 * The completed-contact warehouse, generated from each contact's position instead of stored.
 *
 * Position p (0 ≤ p < total) belongs to skill slot p % S and starts at a time that never
 * decreases with p, so the whole set is ordered by contactStartDate. A skill + time-range
 * query is two binary searches and arithmetic: no scan, no memory per contact, which is what
 * keeps a million contacts free. Contacts that ended during the run (active ones) follow the
 * generated ones (they started later), and changes (tags, dispositions) are overrides keyed by
 * contact id. Field names here are v33's; `wire.ts` renames them per API version.
 */
export interface ContactFacts {
  contactId: number;
  skillId: number;
  contactStartMs: number;
  lastUpdateMs: number;
  agentId: number | null;
  teamId: number | null;
  isOutbound: boolean;
  fromAddress: string;
  toAddress: string;
  mediaTypeId: number;
  primaryDispositionId: number | null;
  secondaryDispositionId: number | null;
  dispositionNotes: string;
  /** Who set the disposition (the agent, or the API user who overwrote it). */
  dispositionAgentId: number | null;
  endReason: string;
  abandoned: boolean;
  abandonSeconds: number;
  agentSeconds: number;
  acwSeconds: number;
  holdSeconds: number;
  inQueueSeconds: number;
  totalDurationSeconds: number;
  tagIds: number[];
}

export interface ContactOverride {
  primaryDispositionId?: number | null;
  secondaryDispositionId?: number | null;
  dispositionNotes?: string;
  dispositionAgentId?: number | null;
  tagIds?: number[];
  lastUpdateMs: number;
}

export interface CompletedQuery {
  fromMs: number | null;
  toMs: number | null;
  endInclusive: boolean;
  dateField: "contactStartDate" | "lastUpdateTime";
  /** Null = every skill. */
  skillIds: Set<number> | null;
  agentId: number | null;
  mediaTypeId: number | null;
  updatedSinceMs: number | null;
  /** Contacts that started after this are not warehoused yet. */
  visibleUntilMs: number;
  descending: boolean;
  /** `orderBy=lastUpdateTime …` (TAP's incremental listing): in change order, else in start order. */
  byLastUpdate?: boolean;
}

const DAY_MS = 86_400_000;

/** An outbound skill's caller ids, its disposition without an agent, and those with one. */
interface Dialling {
  pool: string[];
  noAnswer: number | null;
  talked: number[];
}

export class ContactWarehouse {
  readonly seed: number;
  readonly total: number;
  readonly idBase: number;
  readonly windowStartMs: number;
  readonly spanMs: number;
  readonly skillIds: readonly number[];
  private readonly skills: Map<number, Skill>;
  private readonly dispositions: Map<number, Disposition>;
  private readonly tagIds: readonly number[];
  private readonly agents: readonly { agentId: number; teamId: number }[];
  readonly overrides = new Map<number, ContactOverride>();
  /** Caller-id labels (admin route POST /_emulator/callerid/labels), applied as contacts are read. */
  readonly labels: CallerIdLabel[] = [];
  /** Per outbound skill, its caller-id pool and a disposition without an agent (a label's no-answer). */
  private readonly dialling = new Map<number, Dialling>();
  /** When some called area is in its calling window: generated starts fall only there. */
  private readonly windows: CallingWindows;
  /** Contacts that ended during the run, in start order (all after the generated ones). */
  readonly ended: ContactFacts[] = [];

  constructor(options: {
    seed: number;
    total: number;
    windowEndMs: number;
    days: number;
    /** Starts over the whole span, not only while a called area is open (option `history`). */
    anyHour?: boolean;
    skillIds: readonly number[];
    skills: Map<number, Skill>;
    dispositions: Map<number, Disposition>;
    tagIds: readonly number[];
    agents: readonly { agentId: number; teamId: number }[];
  }) {
    this.seed = options.seed;
    this.total = options.total;
    this.spanMs = options.days * DAY_MS;
    this.windowStartMs = options.windowEndMs - this.spanMs;
    this.skillIds = options.skillIds;
    this.skills = options.skills;
    this.dispositions = options.dispositions;
    this.tagIds = options.tagIds;
    this.agents = options.agents;
    this.idBase = 700_000_000 + (options.seed % 1000) * 1_000_000 * 10;
    this.windows = new CallingWindows(this.windowStartMs, options.windowEndMs, options.anyHour ?? false);
  }

  // ---- identity and time ----------------------------------------------------------------

  startMs(position: number): number {
    if (position >= this.total) return (this.ended[position - this.total] as ContactFacts).contactStartMs;
    // Evenly over the open time, not the whole span: no contact starts while every called area
    // is outside its calling window, and starts still never decrease with the position.
    const open = this.windows.openMs;
    return this.windows.instantAt(
      Math.floor(((position + unit3(this.seed, position, 1)) * open) / this.total),
    );
  }

  idOf(position: number): number {
    return position < this.total
      ? this.idBase + position
      : (this.ended[position - this.total] as ContactFacts).contactId;
  }

  /** The position of a completed contact id, or -1. */
  positionOf(contactId: number): number {
    const p = contactId - this.idBase;
    if (Number.isSafeInteger(p) && p >= 0 && p < this.total) return p;
    const i = this.ended.findIndex((c) => c.contactId === contactId);
    return i === -1 ? -1 : this.total + i;
  }

  get size(): number {
    return this.total + this.ended.length;
  }

  private slotSkill(position: number): number {
    return this.skillIds[position % this.skillIds.length] as number;
  }

  /** First position in [0, size) whose start is ≥ ms (or > ms when `after`). */
  firstAt(ms: number, after = false): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const start = this.startMs(mid);
      if (after ? start > ms : start >= ms) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  // ---- records --------------------------------------------------------------------------

  facts(position: number): ContactFacts {
    const base = position >= this.total ? this.endedFacts(position) : this.generated(position);
    const override = this.overrides.get(base.contactId);
    return override ? applyOverride(base, override) : base;
  }

  private endedFacts(position: number): ContactFacts {
    const stored = this.ended[position - this.total] as ContactFacts;
    return { ...stored, tagIds: [...stored.tagIds] };
  }

  private diallingOf(skill: Skill): Dialling {
    let entry = this.dialling.get(skill.skillId);
    if (entry === undefined) {
      const noAgent = (id: number) => this.dispositions.get(id)?.noAgent ?? false;
      const noAnswer = skill.dispositionIds.find(noAgent) ?? null;
      const talked = skill.dispositionIds.filter((id) => !noAgent(id));
      entry = { pool: callerIdPool(skill), noAnswer, talked };
      this.dialling.set(skill.skillId, entry);
    }
    return entry;
  }

  private generated(p: number): ContactFacts {
    const seed = this.seed;
    const skillId = this.slotSkill(p);
    const skill = this.skills.get(skillId) as Skill;
    const start = this.startMs(p);
    const codes = skill.dispositionIds;
    const abandoned = skill.isOutbound && unit3(seed, p, 3) < 0.02;
    // The called party: a number in an area whose calling window is open at the start (issue 64).
    const areas = this.windows.openAt(start);
    const area = areas[hash3(seed, p, 11) % areas.length] as (typeof areas)[number];
    const customer = `${area.npa}555${String(hash3(seed, p, 12) % 10_000).padStart(4, "0")}`;
    // Salts 16 and 17 are new (issue 66): every other field draws what it drew before.
    const dialling = skill.isOutbound ? this.diallingOf(skill) : undefined;
    // A dialled call is answered as often as its called party's local hour and weekday make
    // likely (salt 18, issue 64), so heat maps and learned models see a real tenant's shape;
    // an inbound call was placed by the customer and is answered whatever the hour.
    let pick = codes;
    if (dialling && dialling.noAnswer !== null && dialling.talked.length > 0)
      pick = unit3(seed, p, 18) < answerRate(area.hour, area.weekday) ? dialling.talked : [dialling.noAnswer];
    let code = pick.length > 0 && !abandoned ? (pick[hash3(seed, p, 2) % pick.length] as number) : null;
    let disposition = code === null ? undefined : this.dispositions.get(code);
    const callerId = dialling
      ? (dialling.pool[hash3(seed, p, 16) % dialling.pool.length] as string)
      : skill.callerId;
    if (
      dialling &&
      this.labels.length > 0 &&
      !abandoned &&
      !(disposition?.noAgent ?? false) &&
      dialling.noAnswer !== null &&
      answerSuppressed(this.labels, callerId, customer, start, unit3(seed, p, 17))
    ) {
      code = dialling.noAnswer;
      disposition = this.dispositions.get(code);
    }
    const talked = !abandoned && !(disposition?.noAgent ?? false);
    const agent = talked ? this.agents[hash3(seed, p, 4) % this.agents.length] : undefined;
    const between = (salt: number, min: number, max: number) =>
      min + (hash3(seed, p, salt) % (max - min + 1));
    const inQueueSeconds = abandoned ? between(5, 3, 20) : between(5, 0, 2);
    const agentSeconds = talked ? between(6, 30, 600) : 0;
    const acwSeconds = talked ? between(7, 5, 60) : 0;
    const holdSeconds = talked && unit3(seed, p, 8) < 0.1 ? between(9, 10, 60) : 0;
    const ringSeconds = talked ? between(10, 3, 15) : between(10, 10, 30);
    const totalDurationSeconds = inQueueSeconds + agentSeconds + acwSeconds + holdSeconds + ringSeconds;
    const tagged = this.tagIds.length > 0 && unit3(seed, p, 13) < 0.05;
    return {
      contactId: this.idBase + p,
      skillId,
      contactStartMs: start,
      lastUpdateMs: start + totalDurationSeconds * 1000 + between(14, 1, 30) * 1000,
      agentId: agent?.agentId ?? null,
      teamId: agent?.teamId ?? null,
      isOutbound: skill.isOutbound,
      fromAddress: skill.isOutbound ? callerId : customer,
      toAddress: skill.isOutbound ? customer : skill.callerId,
      mediaTypeId: skill.mediaTypeId,
      primaryDispositionId: code,
      secondaryDispositionId: null,
      dispositionNotes: "",
      dispositionAgentId: code === null ? null : (agent?.agentId ?? null),
      endReason: abandoned ? "Contact Abandoned" : talked ? "Contact Hung Up" : "Dialer Disposition",
      abandoned,
      abandonSeconds: abandoned ? inQueueSeconds : 0,
      agentSeconds,
      acwSeconds,
      holdSeconds,
      inQueueSeconds,
      totalDurationSeconds,
      tagIds: tagged ? [this.tagIds[hash3(seed, p, 15) % this.tagIds.length] as number] : [],
    };
  }

  /**
   * Changes `count` of the contacts a query lists (knob listingChurn): each one's lastUpdateTime
   * moves to `nowMs` (strictly later than any before), as an edit during a listing would. `draw`
   * gives uniform floats in [0, 1). Returns the changed contact ids.
   */
  touchListed(q: CompletedQuery, count: number, draw: () => number, nowMs: number): number[] {
    const { total, positions } = this.query(q, 0, Number.MAX_SAFE_INTEGER);
    const touched: number[] = [];
    for (let i = 0; i < count && total > 0; i++) {
      const p = positions[Math.floor(draw() * total)] as number;
      const id = this.idOf(p);
      this.lastTouchMs = Math.max(nowMs, this.lastTouchMs + 1);
      const override = this.overrides.get(id) ?? { lastUpdateMs: 0 };
      this.overrides.set(id, { ...override, lastUpdateMs: this.lastTouchMs });
      touched.push(id);
    }
    return touched;
  }
  private lastTouchMs = 0;

  // ---- queries --------------------------------------------------------------------------

  /** Total matches and the page [skip, skip+top) of positions, in the asked order. */
  query(q: CompletedQuery, skip: number, top: number): { total: number; positions: number[] } {
    const fast =
      q.dateField === "contactStartDate" &&
      q.agentId === null &&
      q.updatedSinceMs === null &&
      !q.byLastUpdate;
    return fast ? this.fastQuery(q, skip, top) : this.scanQuery(q, skip, top);
  }

  /** The position range a start-date query covers, warehouse lag included. */
  private startRange(q: CompletedQuery): [number, number] {
    const lo = q.fromMs === null ? 0 : this.firstAt(q.fromMs);
    let hi = this.firstAt(q.visibleUntilMs, true);
    if (q.toMs !== null) hi = Math.min(hi, this.firstAt(q.toMs, q.endInclusive));
    return [lo, Math.max(lo, hi)];
  }

  private slotList(q: CompletedQuery): number[] {
    if (q.mediaTypeId !== null && q.mediaTypeId !== 4) return [];
    const slots: number[] = [];
    this.skillIds.forEach((id, slot) => {
      if (q.skillIds === null || q.skillIds.has(id)) slots.push(slot);
    });
    return slots;
  }

  private fastQuery(q: CompletedQuery, skip: number, top: number) {
    const [lo, hi] = this.startRange(q);
    const slots = this.slotList(q);
    const S = this.skillIds.length;
    const genHi = Math.min(hi, this.total);
    // Positions p < x with p % S === s.
    const below = (x: number, s: number) => (x <= s ? 0 : Math.floor((x - s - 1) / S) + 1);
    const countGen = (from: number, to: number) =>
      from >= to ? 0 : slots.reduce((sum, s) => sum + below(to, s) - below(from, s), 0);
    const generatedCount = countGen(lo, genHi);
    const endedMatches: number[] = [];
    for (let p = Math.max(lo, this.total); p < hi; p++) {
      const facts = this.facts(p);
      if (slots.length === S || slots.some((s) => this.skillIds[s] === facts.skillId)) {
        if (q.mediaTypeId === null || q.mediaTypeId === facts.mediaTypeId) endedMatches.push(p);
      }
    }
    const total = generatedCount + endedMatches.length;
    const slotSet = new Set(slots);
    // The n-th (0-based) generated match: the smallest p with countGen(lo, p + 1) = n + 1.
    const nth = (n: number) => {
      let a = lo;
      let b = genHi - 1;
      while (a < b) {
        const mid = Math.floor((a + b) / 2);
        if (countGen(lo, mid + 1) >= n + 1) b = mid;
        else a = mid + 1;
      }
      return a;
    };
    const ascending = (first: number, count: number): number[] => {
      const out: number[] = [];
      let j = first;
      if (j < generatedCount) {
        let p = nth(j);
        while (out.length < count && j < generatedCount) {
          if (slotSet.has(p % S)) {
            out.push(p);
            j++;
          }
          p++;
        }
      }
      while (out.length < count && j < total) out.push(endedMatches[j++ - generatedCount] as number);
      return out;
    };
    return { total, positions: window(total, skip, top, q.descending, ascending) };
  }

  /** Filters no arithmetic can answer (agent, lastUpdateTime): a scan, still constant memory. */
  private scanQuery(q: CompletedQuery, skip: number, top: number) {
    const slots = new Set(this.slotList(q).map((s) => this.skillIds[s] as number));
    const byUpdate = q.dateField === "lastUpdateTime";
    // A contact's natural lastUpdateTime is at most a day after its start; overrides may be later.
    const earliest = Math.max(q.updatedSinceMs ?? -Infinity, byUpdate ? (q.fromMs ?? -Infinity) : -Infinity);
    const lo = this.firstAt(
      byUpdate || q.fromMs === null ? earliest - DAY_MS : Math.max(q.fromMs, earliest - DAY_MS),
    );
    // Either date field: lastUpdateTime ≥ start, so nothing starting at or after `toMs` matches.
    let hi = this.firstAt(q.visibleUntilMs, true);
    if (q.toMs !== null) hi = Math.min(hi, this.firstAt(q.toMs, q.endInclusive));
    const early = [...this.overrides.keys()]
      .map((id) => this.positionOf(id))
      .filter((p) => p !== -1 && p < lo && p < hi)
      .sort((a, b) => a - b);
    const matches = (p: number): boolean => {
      const f = this.facts(p);
      if (!slots.has(f.skillId)) return false;
      if (q.agentId !== null && f.agentId !== q.agentId) return false;
      if (q.updatedSinceMs !== null && f.lastUpdateMs < q.updatedSinceMs) return false;
      const t = byUpdate ? f.lastUpdateMs : f.contactStartMs;
      if (q.fromMs !== null && t < q.fromMs) return false;
      if (q.toMs !== null && (q.endInclusive ? t > q.toMs : t >= q.toMs)) return false;
      return true;
    };
    // Without an agent filter, start time and skill slot decide most of [lo, hi) (bounded-scan.ts).
    const bounded =
      q.agentId === null && !(q.byLastUpdate && q.descending)
        ? new BoundedScan(this, {
            lo,
            hi,
            early,
            skillIds: slots,
            updatedFrom: earliest,
            updatedTo: byUpdate ? q.toMs : null,
            matches,
          })
        : undefined;
    if (bounded && q.byLastUpdate) {
      const total = bounded.count();
      const inOrder = (first: number, count: number) => bounded.inChangeOrder(first, count);
      return { total, positions: window(total, skip, top, false, inOrder) };
    }
    const each = function* (): Generator<number> {
      for (const p of early) yield p;
      for (let p = lo; p < hi; p++) yield p;
    };
    if (q.byLastUpdate) {
      // In change order: every match is listed and sorted (incremental polls match few).
      const all: number[] = [];
      for (const p of each()) if (matches(p)) all.push(p);
      const updated = new Map(all.map((p) => [p, this.facts(p).lastUpdateMs]));
      all.sort((a, b) => (updated.get(a) as number) - (updated.get(b) as number) || a - b);
      return {
        total: all.length,
        positions: window(all.length, skip, top, q.descending, (first, count) =>
          all.slice(first, first + count),
        ),
      };
    }
    let total = 0;
    if (bounded) total = bounded.count();
    else for (const p of each()) if (matches(p)) total++;
    const ascending = (first: number, count: number): number[] => {
      const out: number[] = [];
      let j = 0;
      for (const p of each()) {
        if (out.length >= count) break;
        if (!matches(p)) continue;
        if (j++ >= first) out.push(p);
      }
      return out;
    };
    return { total, positions: window(total, skip, top, q.descending, ascending) };
  }

  /** Visits every visible contact started in [fromMs, toMs), in start order (WFM data). */
  forEachIn(
    fromMs: number,
    toMs: number,
    visibleUntilMs: number,
    visit: (facts: ContactFacts) => void,
  ): void {
    const lo = this.firstAt(fromMs);
    const hi = Math.min(this.firstAt(toMs), this.firstAt(visibleUntilMs, true));
    for (let p = lo; p < hi; p++) visit(this.facts(p));
  }
}

/** The page [skip, skip+top) of `total` matches, ascending or descending. */
function window(
  total: number,
  skip: number,
  top: number,
  descending: boolean,
  ascending: (first: number, count: number) => number[],
): number[] {
  if (skip >= total || top <= 0) return [];
  if (!descending) return ascending(skip, Math.min(top, total - skip));
  const end = total - skip;
  const first = Math.max(0, end - top);
  return ascending(first, end - first).reverse();
}

function applyOverride(base: ContactFacts, o: ContactOverride): ContactFacts {
  return {
    ...base,
    primaryDispositionId:
      o.primaryDispositionId !== undefined ? o.primaryDispositionId : base.primaryDispositionId,
    secondaryDispositionId:
      o.secondaryDispositionId !== undefined ? o.secondaryDispositionId : base.secondaryDispositionId,
    dispositionNotes: o.dispositionNotes ?? base.dispositionNotes,
    dispositionAgentId: o.dispositionAgentId !== undefined ? o.dispositionAgentId : base.dispositionAgentId,
    tagIds: o.tagIds ? [...o.tagIds] : base.tagIds,
    lastUpdateMs: Math.max(base.lastUpdateMs, o.lastUpdateMs),
  };
}
