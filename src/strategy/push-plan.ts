import type { ComplianceEngine } from "../compliance/engine.ts";
import { NUMBER_TYPES, type NumberType } from "../compliance/touches.ts";
import type { TimedListRecord } from "../platform/ports/lists.ts";
import { listZoneOf } from "./list-zone.ts";
import { placeOf } from "./place.ts";
import { SparseColumn } from "./plan-column.ts";
import { PlanIds } from "./plan-ids.ts";
import type { PushedRecord, ReachRecords } from "./push-reach.ts";

/**
 * A plan as push holds it: columns, not an object per row. A million-row plan held as objects
 * (a record, its dial window, its first attempt, each with its strings) took about 4 KB a
 * record; here a row is a few numbers in typed arrays and indices into tables of the distinct
 * texts (times, zones, states, ZIP codes, accounts), a column most plans leave empty costs
 * nothing until a row fills it (plan-column.ts), and a record is its id's bytes and its number
 * (plan-ids.ts) — about 55 bytes a record of a one-day plan, out of the JS heap (130 bytes, a
 * third of them heap strings, before the ids went to bytes). Objects are made one at a time
 * when asked for (`timed`, `pushed`, `row`) and are garbage once used.
 *
 * Rows are kept in file order (row `j` is plan row `j + 1`); a record is its id and the row of
 * its earliest attempt (`first`), which is what the list gets. `order` is the records by that
 * attempt's time, then id: the order the plan's digest (its key) is taken in.
 */

/** A column of texts as small numbers: 0 is none, n the n-th distinct text met. */
class Texts {
  private readonly index = new Map<string, number>();
  private readonly values: Array<string | undefined> = [undefined];

  id(value: string | undefined): number {
    if (value === undefined) return 0;
    let id = this.index.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.index.set(value, id);
    }
    return id;
  }

  at(id: number): string | undefined {
    return this.values[id];
  }

  /** The id of a text already met (0: never met). */
  find(value: string): number {
    return this.index.get(value) ?? 0;
  }

  get size(): number {
    return this.values.length;
  }
}

const CALLBACK = 1;
/** A UK row's consent as planned: recorded true, recorded false (neither: not recorded). */
const CONSENT_GIVEN = 2;
const CONSENT_REFUSED = 4;

function grow<T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(
  column: T,
  size: number,
  make: (n: number) => T,
): T {
  if (size <= column.length) return column;
  const next = make(Math.max(size, column.length * 2));
  next.set(column);
  return next;
}

/** One row as read (push.ts checked it). */
export interface PlanRowInput {
  recordId: string;
  phone: string;
  attemptAt: string;
  atMs: number;
  attempt: number;
  score: number;
  callback: boolean;
  zip?: string | undefined;
  accountId?: string | undefined;
  /** Every debt of a record whose number the list gave several, `accountId` first. */
  accountIds?: readonly string[] | undefined;
  state?: string | undefined;
  lastTransactionMs?: number | undefined;
  numberType?: NumberType | undefined;
  /** A UK number's consent, as planned. */
  consent?: boolean | undefined;
}

export class PlanColumns {
  /** Rows, in file order. */
  rows = 0;
  /** Room for this many rows in every row column. */
  private capacity = 1024;
  /**
   * Each row's record; absent while row `j` is record `j` (a plan of one row a record, the
   * common case), made when a record's second row arrives.
   */
  private rowRecord: Uint32Array | undefined;
  private rowAt = new Float64Array(1024);
  private rowCallAt = new Uint32Array(1024);
  private rowScore = new Uint16Array(1024);
  private rowFlags = new Uint8Array(1024);
  private rowZone = new Uint16Array(1024);
  private rowState = new Uint16Array(1024);
  private readonly rowNumberType = new SparseColumn((n) => new Uint8Array(n), 0);
  private readonly rowLastTx = new SparseColumn((n) => new Float64Array(n), Number.NaN);
  private readonly rowZip = new SparseColumn((n) => new Uint32Array(n), 0);
  private readonly rowAccount = new SparseColumn((n) => new Uint32Array(n), 0);
  /** A row of several debts: its set of accounts (an index into `debtSets`); 0 for one or none. */
  private readonly rowDebts = new SparseColumn((n) => new Uint32Array(n), 0);
  private readonly rowAttempt = new SparseColumn((n) => new Uint32Array(n), 1);
  /** Records, in the order first met. */
  records = 0;
  private readonly ids = new PlanIds();
  private recordPhone = new Float64Array(1024);
  private recordFirst = new Uint32Array(1024);
  /** A record planned more than once: all its rows, in file order (one row: `recordFirst`'s). */
  private readonly manyRows = new Map<number, number[]>();
  private readonly callAts = new Texts();
  private readonly zones = new Texts();
  private readonly states = new Texts();
  private readonly zips = new Texts();
  private readonly accounts = new Texts();
  /** The sets of debts rows name (their JSON), and each set's account ids (made once a set). */
  private readonly debtSets = new Texts();
  private readonly debtSetIds = new Map<number, number[]>();
  /** The dial window every record is given (set by `windowed`). */
  staleMinutes = 0;
  /** Records by their first attempt's time, then id (set by `windowed`). */
  order: Uint32Array = new Uint32Array(0);
  private phoneGroups: Map<number, number[]> | undefined;
  private accountGroups: Map<number, number[]> | undefined;

  /** The record of an id, or -1. */
  recordOf(id: string): number {
    return this.ids.get(id);
  }

  /** A record's rows, in file order. */
  rowsOf(record: number): readonly number[] {
    return this.manyRows.get(record) ?? [this.recordFirst[record] as number];
  }

  /** The phone of a record, as E.164 text. */
  phoneOf(record: number): string {
    return `+${this.recordPhone[record]}`;
  }

  idOf(record: number): string {
    return this.ids.at(record);
  }

  attemptOf(row: number): number {
    return this.rowAttempt.at(row);
  }

  atOf(row: number): number {
    return this.rowAt[row] as number;
  }

  /** The row of a record's earliest attempt (the one the list gets). */
  firstRow(record: number): number {
    return this.recordFirst[record] as number;
  }

  isCallback(record: number): boolean {
    return ((this.rowFlags[this.firstRow(record)] as number) & CALLBACK) !== 0;
  }

  accountOf(record: number): string | undefined {
    return this.accounts.at(this.rowAccount.at(this.firstRow(record)));
  }

  /** Every debt a record is for: its account, or each debt of a shared number; none: []. */
  accountsOf(record: number): string[] {
    return this.debtIdsOf(this.firstRow(record)).map((id) => this.accounts.at(id) as string);
  }

  /** Row `j`'s accounts as ids of `accounts`. */
  private debtIdsOf(j: number): readonly number[] {
    const set = this.rowDebts.at(j);
    if (set !== 0) return this.debtSetIds.get(set) ?? [];
    const account = this.rowAccount.at(j);
    return account === 0 ? [] : [account];
  }

  /** Adds a row; answers its record (new or known) and whether the row is that record's earliest so far. */
  add(row: PlanRowInput): { record: number; known: boolean } {
    const j = this.rows++;
    if (j >= this.capacity) this.growRows(j + 1);
    let record = this.ids.get(row.recordId);
    const known = record !== -1;
    if (record === -1) {
      record = this.records++;
      if (record >= this.recordPhone.length) {
        this.recordPhone = grow(this.recordPhone, record + 1, (n) => new Float64Array(n));
        this.recordFirst = grow(this.recordFirst, record + 1, (n) => new Uint32Array(n));
      }
      this.ids.add(row.recordId);
      this.recordPhone[record] = Number(row.phone.slice(1));
      this.recordFirst[record] = j;
    } else {
      const many = this.manyRows.get(record);
      if (many) many.push(j);
      else this.manyRows.set(record, [this.recordFirst[record] as number, j]);
      // The earliest attempt is the one sent (ties: the row met first).
      if (row.atMs < (this.rowAt[this.recordFirst[record] as number] as number)) this.recordFirst[record] = j;
    }
    if (this.rowRecord === undefined && record !== j) {
      this.rowRecord = new Uint32Array(this.capacity);
      for (let k = 0; k < j; k++) this.rowRecord[k] = k;
    }
    if (this.rowRecord !== undefined) this.rowRecord[j] = record;
    this.rowAt[j] = row.atMs;
    this.rowCallAt[j] = this.callAts.id(row.attemptAt);
    this.rowScore[j] = row.score;
    this.rowFlags[j] =
      (row.callback ? CALLBACK : 0) |
      (row.consent === true ? CONSENT_GIVEN : row.consent === false ? CONSENT_REFUSED : 0);
    this.rowState[j] = this.states.id(row.state);
    const capacity = this.capacity;
    this.rowNumberType.set(
      j,
      row.numberType === undefined ? 0 : NUMBER_TYPES.indexOf(row.numberType) + 1,
      capacity,
    );
    this.rowLastTx.set(j, row.lastTransactionMs ?? Number.NaN, capacity);
    this.rowZip.set(j, this.zips.id(row.zip), capacity);
    this.rowAccount.set(j, this.accounts.id(row.accountId), capacity);
    if (row.accountIds !== undefined && row.accountIds.length > 1) {
      const set = this.debtSets.id(JSON.stringify(row.accountIds));
      if (!this.debtSetIds.has(set))
        this.debtSetIds.set(
          set,
          row.accountIds.map((account) => this.accounts.id(account)),
        );
      this.rowDebts.set(j, set, capacity);
    }
    this.rowAttempt.set(j, row.attempt, capacity);
    return { record, known };
  }

  /** The record of row `j`. */
  private recordAt(j: number): number {
    return this.rowRecord === undefined ? j : (this.rowRecord[j] as number);
  }

  /** The row a record was first met in, for the plan's integrity checks. */
  firstMetRow(record: number): number {
    return this.rowsOf(record)[0] as number;
  }

  /** Whether a record already has a row for this attempt number. */
  hasAttempt(record: number, attempt: number): boolean {
    return this.rowsOf(record).some((j) => this.rowAttempt.at(j) === attempt);
  }

  private growRows(size: number): void {
    this.capacity = Math.max(size, this.capacity * 2);
    const capacity = this.capacity;
    if (this.rowRecord) this.rowRecord = grow(this.rowRecord, capacity, (n) => new Uint32Array(n));
    this.rowAt = grow(this.rowAt, capacity, (n) => new Float64Array(n));
    this.rowCallAt = grow(this.rowCallAt, capacity, (n) => new Uint32Array(n));
    this.rowScore = grow(this.rowScore, capacity, (n) => new Uint16Array(n));
    this.rowFlags = grow(this.rowFlags, capacity, (n) => new Uint8Array(n));
    this.rowZone = grow(this.rowZone, capacity, (n) => new Uint16Array(n));
    this.rowState = grow(this.rowState, capacity, (n) => new Uint16Array(n));
  }

  /**
   * Every row given the push's dial window: its zone (the stricter of the number's zones over
   * the window, list-zone.ts) worked out once, and the records put in the key's order.
   */
  windowed(engine: ComplianceEngine, staleMinutes: number): void {
    this.staleMinutes = staleMinutes;
    const windowMs = staleMinutes * 60_000;
    // A number whose exchange (NPA-NXX) lies in one zone has it at every hour: asked once per
    // exchange, not per row (a million rows' texts and answers were most of the push's garbage).
    const oneZone = new Map<number, number>();
    for (let j = 0; j < this.rows; j++) {
      const record = this.recordAt(j);
      const exchange = Math.floor((this.recordPhone[record] as number) / 10_000);
      let zone = oneZone.get(exchange);
      if (zone === undefined) {
        const zones = placeOf(this.phoneOf(record))?.zones ?? [];
        zone = zones.length <= 1 ? this.zones.id(zones[0] ?? "") : -1;
        oneZone.set(exchange, zone);
      }
      if (zone >= 0) this.rowZone[j] = zone;
      else {
        const atMs = this.rowAt[j] as number;
        this.rowZone[j] = this.zones.id(
          listZoneOf(engine, this.phoneOf(record), atMs, atMs + windowMs) ?? "",
        );
      }
    }
    this.order = this.keyOrder();
  }

  /**
   * The records by their first attempt's time, then id in `localeCompare`'s order (the key's),
   * with one collator for every comparison. The ids are made text one run of equal times at a
   * time (a run's texts are garbage once it is sorted), not all at once.
   */
  private keyOrder(): Uint32Array {
    const order = new Uint32Array(this.records);
    for (let i = 0; i < this.records; i++) order[i] = i;
    const at = (i: number) => this.rowAt[this.recordFirst[i] as number] as number;
    order.sort((a, b) => at(a) - at(b) || a - b);
    const compare = new Intl.Collator().compare;
    for (let from = 0; from < order.length; ) {
      let to = from + 1;
      while (to < order.length && at(order[to] as number) === at(order[from] as number)) to++;
      if (to - from > 1) {
        const run = Array.from(order.subarray(from, to), (record) => ({ record, id: this.ids.at(record) }));
        run.sort((a, b) => compare(a.id, b.id));
        for (let k = 0; k < run.length; k++) order[from + k] = (run[k] as { record: number }).record;
      }
      from = to;
    }
    return order;
  }

  /** Row `j` as the list would hold it, in the key's field order (the digest is over this JSON). */
  timedRow(j: number): TimedListRecord {
    const record = this.recordAt(j);
    const zip = this.zips.at(this.rowZip.at(j));
    return {
      externalId: this.ids.at(record),
      phone: this.phoneOf(record),
      callAt: this.callAts.at(this.rowCallAt[j] as number) as string,
      score: this.rowScore[j] as number,
      ...(zip === undefined ? {} : { zip }),
      ...(((this.rowFlags[j] as number) & CALLBACK) !== 0 ? { callback: true } : {}),
      staleMinutes: this.staleMinutes,
      timeZone: this.zones.at(this.rowZone[j] as number) ?? "",
      // Last, and not in the key (timedJson): a plan's key is what it was before debts were sent.
      ...(this.rowDebts.at(j) === 0
        ? {}
        : { debts: this.debtIdsOf(j).map((id) => this.accounts.at(id) as string) }),
    };
  }

  /**
   * `JSON.stringify(this.timed(record))`, written without the object (the plan's digest takes a
   * million of these; issue 88 L13). The same text: the same fields in the same order — but a
   * record's `debts`, which the key never held.
   */
  timedJson(record: number): string {
    const j = this.recordFirst[record] as number;
    const zip = this.zips.at(this.rowZip.at(j));
    return `{"externalId":${JSON.stringify(this.ids.at(record))},"phone":"${this.phoneOf(record)}","callAt":${JSON.stringify(
      this.callAts.at(this.rowCallAt[j] as number),
    )},"score":${this.rowScore[j]}${zip === undefined ? "" : `,"zip":${JSON.stringify(zip)}`}${
      ((this.rowFlags[j] as number) & CALLBACK) !== 0 ? ',"callback":true' : ""
    },"staleMinutes":${this.staleMinutes},"timeZone":${JSON.stringify(this.zones.at(this.rowZone[j] as number) ?? "")}}`;
  }

  /** A record's next planned attempt, as the list gets it. */
  timed(record: number): TimedListRecord {
    return this.timedRow(this.recordFirst[record] as number);
  }

  /** Row `j` as a dial window push judges, with what the plan judged it with. */
  row(j: number): PushedRecord {
    const state = this.states.at(this.rowState[j] as number);
    const lastTx = this.rowLastTx.at(j);
    const numberType = this.rowNumberType.at(j);
    const flags = this.rowFlags[j] as number;
    const timed = this.timedRow(j);
    return {
      ...timed,
      row: j + 1,
      accountId: this.accounts.at(this.rowAccount.at(j)),
      ...(timed.debts === undefined ? {} : { accountIds: timed.debts }),
      ...(state === undefined ? {} : { state }),
      ...(Number.isNaN(lastTx) ? {} : { lastTransactionMs: lastTx }),
      ...(numberType === 0 ? {} : { numberType: NUMBER_TYPES[numberType - 1] as NumberType }),
      ...((flags & CONSENT_GIVEN) !== 0
        ? { consent: true }
        : (flags & CONSENT_REFUSED) !== 0
          ? { consent: false }
          : {}),
    };
  }

  /** A record's next planned attempt as a dial window. */
  pushed(record: number): PushedRecord {
    return this.row(this.recordFirst[record] as number);
  }

  /**
   * Rows to judge (push-reach.ts), one object at a time: each, and the others among them on its
   * number and of its account.
   */
  reach(rows: ArrayLike<number>): ReachRecords {
    const among = new Uint8Array(this.rows);
    for (let i = 0; i < rows.length; i++) among[rows[i] as number] = 1;
    const others = (j: number, of: readonly number[]) => {
      const found: PushedRecord[] = [];
      for (const k of of) if (k !== j && among[k] === 1) found.push(this.row(k));
      return found;
    };
    return {
      count: rows.length,
      staleMinutes: this.staleMinutes,
      at: (i) => this.row(rows[i] as number),
      samePhone: (i) => others(rows[i] as number, this.samePhoneRows(rows[i] as number)),
      sameAccount: (i, account) => {
        const of = this.sameAccountRows(rows[i] as number, account);
        return of === undefined ? undefined : others(rows[i] as number, of);
      },
    };
  }

  /** Every row, in file order. */
  allRows(): Uint32Array {
    const rows = new Uint32Array(this.rows);
    for (let j = 0; j < this.rows; j++) rows[j] = j;
    return rows;
  }

  /** The rows of other records on the same number, and this record's other rows. */
  samePhoneRows(j: number): number[] {
    const record = this.recordAt(j);
    const group = this.phoneGroupsOf().get(this.recordPhone[record] as number);
    if (group === undefined) return this.rowsOf(record) as number[];
    const rows: number[] = [];
    for (const r of group) for (const k of this.rowsOf(r)) rows.push(k);
    return rows;
  }

  /**
   * The rows of the same account (undefined without one): the row's account, or `account`, one of
   * the debts of a row made for several.
   */
  sameAccountRows(j: number, account?: string): number[] | undefined {
    const id = account === undefined ? this.rowAccount.at(j) : this.accounts.find(account);
    if (id === 0) return undefined;
    return this.accountGroupsOf().get(id) ?? [j];
  }

  /** Numbers of more than one record: the records of each (most numbers have one, kept out). */
  private phoneGroupsOf(): Map<number, number[]> {
    if (this.phoneGroups) return this.phoneGroups;
    const sorted = this.recordPhone.slice(0, this.records).sort();
    const shared = new Set<number>();
    for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) shared.add(sorted[i] as number);
    const groups = new Map<number, number[]>();
    if (shared.size > 0)
      for (let r = 0; r < this.records; r++) {
        const phone = this.recordPhone[r] as number;
        if (!shared.has(phone)) continue;
        const group = groups.get(phone);
        if (group) group.push(r);
        else groups.set(phone, [r]);
      }
    this.phoneGroups = groups;
    return groups;
  }

  /** Accounts of more than one row: their rows. */
  private accountGroupsOf(): Map<number, number[]> {
    if (this.accountGroups) return this.accountGroups;
    const counts = new Uint32Array(this.accounts.size);
    // A row of several debts is in each debt's group (issue 100).
    for (let j = 0; j < this.rows; j++)
      for (const account of this.debtIdsOf(j)) counts[account] = (counts[account] as number) + 1;
    const groups = new Map<number, number[]>();
    for (let j = 0; j < this.rows; j++)
      for (const account of this.debtIdsOf(j)) {
        if ((counts[account] as number) < 2) continue;
        const group = groups.get(account);
        if (group) group.push(j);
        else groups.set(account, [j]);
      }
    this.accountGroups = groups;
    return groups;
  }
}
