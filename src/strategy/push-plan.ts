import type { ComplianceEngine } from "../campaigns/compliance/engine.ts";
import { NUMBER_TYPES, type NumberType } from "../campaigns/compliance/touches.ts";
import type { TimedListRecord } from "../platform/ports/lists.ts";
import { listZoneOf } from "./list-zone.ts";
import { placeOf } from "./place.ts";
import type { PushedRecord, ReachRecords } from "./push-reach.ts";

/**
 * A plan as push holds it (issue 88 L13): columns, not an object per row. A million-row plan
 * held as objects (a record, its dial window, its first attempt, each with its strings) took
 * about 4 KB a record; here a row is a few numbers in typed arrays and indices into tables of
 * the distinct texts (times, zones, states, ZIP codes, accounts), and a record its id, its
 * number and its rows — about 130 bytes. Objects are made one at a time when asked for
 * (`timed`, `pushed`, `row`) and are garbage once used.
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

  get size(): number {
    return this.values.length;
  }
}

const CALLBACK = 1;

/**
 * Record ids to their record, open addressing in one typed array (4 to 8 bytes a record, where
 * a Map of a million entries took some 40 MB and doubled while it grew).
 */
class IdIndex {
  private slots = new Int32Array(2048).fill(-1);
  private size = 0;
  private readonly ids: readonly string[];

  constructor(ids: readonly string[]) {
    this.ids = ids;
  }

  private static hash(id: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
    return h >>> 0;
  }

  get(id: string): number | undefined {
    const mask = this.slots.length - 1;
    for (let at = IdIndex.hash(id) & mask; ; at = (at + 1) & mask) {
      const record = this.slots[at] as number;
      if (record === -1) return undefined;
      if (this.ids[record] === id) return record;
    }
  }

  /** Records `record` under its id (not already there). */
  set(id: string, record: number): void {
    if ((this.size + 1) * 2 > this.slots.length) this.grow();
    this.place(id, record);
    this.size++;
  }

  private place(id: string, record: number): void {
    const mask = this.slots.length - 1;
    let at = IdIndex.hash(id) & mask;
    while (this.slots[at] !== -1) at = (at + 1) & mask;
    this.slots[at] = record;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2).fill(-1);
    for (const record of old) if (record !== -1) this.place(this.ids[record] as string, record);
  }
}

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
  state?: string | undefined;
  lastTransactionMs?: number | undefined;
  numberType?: NumberType | undefined;
}

export class PlanColumns {
  /** Rows, in file order. */
  rows = 0;
  private rowRecord = new Uint32Array(1024);
  private rowAt = new Float64Array(1024);
  private rowCallAt = new Uint32Array(1024);
  private rowScore = new Uint16Array(1024);
  private rowFlags = new Uint8Array(1024);
  private rowZone = new Uint16Array(1024);
  private rowState = new Uint16Array(1024);
  private rowNumberType = new Uint8Array(1024);
  private rowLastTx = new Float64Array(1024);
  private rowZip = new Uint32Array(1024);
  private rowAccount = new Uint32Array(1024);
  private rowAttempt = new Uint32Array(1024);
  /** Records, in the order first met. */
  records = 0;
  private readonly ids: string[] = [];
  private readonly idIndex = new IdIndex(this.ids);
  private recordPhone = new Float64Array(1024);
  private recordFirst = new Uint32Array(1024);
  /** A record planned more than once: all its rows, in file order (one row: `recordFirst`'s). */
  private readonly manyRows = new Map<number, number[]>();
  private readonly callAts = new Texts();
  private readonly zones = new Texts();
  private readonly states = new Texts();
  private readonly zips = new Texts();
  private readonly accounts = new Texts();
  /** The dial window every record is given (set by `windowed`). */
  staleMinutes = 0;
  /** Records by their first attempt's time, then id (set by `windowed`). */
  order: Uint32Array = new Uint32Array(0);
  private phoneGroups: Map<number, number[]> | undefined;
  private accountGroups: Map<number, number[]> | undefined;

  /** The record of an id, or -1. */
  recordOf(id: string): number {
    return this.idIndex.get(id) ?? -1;
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
    return this.ids[record] as string;
  }

  attemptOf(row: number): number {
    return this.rowAttempt[row] as number;
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
    return this.accounts.at(this.rowAccount[this.firstRow(record)] as number);
  }

  /** Adds a row; answers its record (new or known) and whether the row is that record's earliest so far. */
  add(row: PlanRowInput): { record: number; known: boolean } {
    const j = this.rows++;
    if (j >= this.rowRecord.length) this.growRows(j + 1);
    let record = this.idIndex.get(row.recordId);
    const known = record !== undefined;
    if (record === undefined) {
      record = this.records++;
      if (record >= this.recordPhone.length) {
        this.recordPhone = grow(this.recordPhone, record + 1, (n) => new Float64Array(n));
        this.recordFirst = grow(this.recordFirst, record + 1, (n) => new Uint32Array(n));
      }
      this.ids.push(row.recordId);
      this.idIndex.set(row.recordId, record);
      this.recordPhone[record] = Number(row.phone.slice(1));
      this.recordFirst[record] = j;
    } else {
      const many = this.manyRows.get(record);
      if (many) many.push(j);
      else this.manyRows.set(record, [this.recordFirst[record] as number, j]);
      // The earliest attempt is the one sent (ties: the row met first).
      if (row.atMs < (this.rowAt[this.recordFirst[record] as number] as number)) this.recordFirst[record] = j;
    }
    this.rowRecord[j] = record;
    this.rowAt[j] = row.atMs;
    this.rowCallAt[j] = this.callAts.id(row.attemptAt);
    this.rowScore[j] = row.score;
    this.rowFlags[j] = row.callback ? CALLBACK : 0;
    this.rowState[j] = this.states.id(row.state);
    this.rowNumberType[j] = row.numberType === undefined ? 0 : NUMBER_TYPES.indexOf(row.numberType) + 1;
    this.rowLastTx[j] = row.lastTransactionMs ?? Number.NaN;
    this.rowZip[j] = this.zips.id(row.zip);
    this.rowAccount[j] = this.accounts.id(row.accountId);
    this.rowAttempt[j] = row.attempt;
    return { record, known };
  }

  /** The row a record was first met in, for the plan's integrity checks. */
  firstMetRow(record: number): number {
    return this.rowsOf(record)[0] as number;
  }

  /** Whether a record already has a row for this attempt number. */
  hasAttempt(record: number, attempt: number): boolean {
    return this.rowsOf(record).some((j) => this.rowAttempt[j] === attempt);
  }

  private growRows(size: number): void {
    this.rowRecord = grow(this.rowRecord, size, (n) => new Uint32Array(n));
    this.rowAt = grow(this.rowAt, size, (n) => new Float64Array(n));
    this.rowCallAt = grow(this.rowCallAt, size, (n) => new Uint32Array(n));
    this.rowScore = grow(this.rowScore, size, (n) => new Uint16Array(n));
    this.rowFlags = grow(this.rowFlags, size, (n) => new Uint8Array(n));
    this.rowZone = grow(this.rowZone, size, (n) => new Uint16Array(n));
    this.rowState = grow(this.rowState, size, (n) => new Uint16Array(n));
    this.rowNumberType = grow(this.rowNumberType, size, (n) => new Uint8Array(n));
    this.rowLastTx = grow(this.rowLastTx, size, (n) => new Float64Array(n));
    this.rowZip = grow(this.rowZip, size, (n) => new Uint32Array(n));
    this.rowAccount = grow(this.rowAccount, size, (n) => new Uint32Array(n));
    this.rowAttempt = grow(this.rowAttempt, size, (n) => new Uint32Array(n));
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
      const record = this.rowRecord[j] as number;
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
    const order = new Uint32Array(this.records);
    for (let i = 0; i < this.records; i++) order[i] = i;
    const at = (i: number) => this.rowAt[this.recordFirst[i] as number] as number;
    // `localeCompare`'s order (the key's, since issue 55), with one collator for every comparison.
    const compare = new Intl.Collator().compare;
    order.sort((a, b) => at(a) - at(b) || compare(this.ids[a] as string, this.ids[b] as string));
    this.order = order;
  }

  /** Row `j` as the list would hold it, in the key's field order (the digest is over this JSON). */
  timedRow(j: number): TimedListRecord {
    const record = this.rowRecord[j] as number;
    const zip = this.zips.at(this.rowZip[j] as number);
    return {
      externalId: this.ids[record] as string,
      phone: this.phoneOf(record),
      callAt: this.callAts.at(this.rowCallAt[j] as number) as string,
      score: this.rowScore[j] as number,
      ...(zip === undefined ? {} : { zip }),
      ...(((this.rowFlags[j] as number) & CALLBACK) !== 0 ? { callback: true } : {}),
      staleMinutes: this.staleMinutes,
      timeZone: this.zones.at(this.rowZone[j] as number) ?? "",
    };
  }

  /**
   * `JSON.stringify(this.timed(record))`, written without the object (the plan's digest takes a
   * million of these; issue 88 L13). The same text: the same fields in the same order.
   */
  timedJson(record: number): string {
    const j = this.recordFirst[record] as number;
    const zip = this.zips.at(this.rowZip[j] as number);
    return `{"externalId":${JSON.stringify(this.ids[record])},"phone":"${this.phoneOf(record)}","callAt":${JSON.stringify(
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
    const lastTx = this.rowLastTx[j] as number;
    const numberType = this.rowNumberType[j] as number;
    return {
      ...this.timedRow(j),
      row: j + 1,
      accountId: this.accounts.at(this.rowAccount[j] as number),
      ...(state === undefined ? {} : { state }),
      ...(Number.isNaN(lastTx) ? {} : { lastTransactionMs: lastTx }),
      ...(numberType === 0 ? {} : { numberType: NUMBER_TYPES[numberType - 1] as NumberType }),
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
      sameAccount: (i) => {
        const of = this.sameAccountRows(rows[i] as number);
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
    const record = this.rowRecord[j] as number;
    const group = this.phoneGroupsOf().get(this.recordPhone[record] as number);
    if (group === undefined) return this.rowsOf(record) as number[];
    const rows: number[] = [];
    for (const r of group) for (const k of this.rowsOf(r)) rows.push(k);
    return rows;
  }

  /** The rows of the same account (undefined without one). */
  sameAccountRows(j: number): number[] | undefined {
    const account = this.rowAccount[j] as number;
    if (account === 0) return undefined;
    return this.accountGroupsOf().get(account) ?? [j];
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
    for (let j = 0; j < this.rows; j++) {
      const account = this.rowAccount[j] as number;
      counts[account] = (counts[account] as number) + 1;
    }
    const groups = new Map<number, number[]>();
    for (let j = 0; j < this.rows; j++) {
      const account = this.rowAccount[j] as number;
      if (account === 0 || (counts[account] as number) < 2) continue;
      const group = groups.get(account);
      if (group) group.push(j);
      else groups.set(account, [j]);
    }
    this.accountGroups = groups;
    return groups;
  }
}
