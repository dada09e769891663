import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { CountedCall } from "../debt-calls.ts";
import type { CallVoice } from "../rule-table.ts";
import type { CampaignKind, Channel } from "../touches.ts";
import type { CallFacts, EvidenceSource } from "./record.ts";

/**
 * The attempts of one evidence run, held on disk rather than in memory (issue 92 §1: a million
 * attempts with flat memory): a scratch SQLite file in a directory of its own beside the output,
 * removed when the run ends. The attempts are loaded as the source gives them, in any order; they
 * are then read back in time order a chunk at a time (`chunks`), and each chunk's earlier calls to
 * its numbers and debts are looked up by index (`callsOf`). So memory holds a chunk and its
 * calls, never the input, and the input needs no order of its own.
 */
export interface EvidenceAttempt {
  /** The attempt's place in the input (ties of the same instant keep the input's order). */
  seq: number;
  source: EvidenceSource;
  /** The call's id: the outcome record's id, CXone's contact id, or a list dial's record and instant. */
  id: string;
  /** E.164, a NANP number (checked when read). */
  phone: string;
  atMs: number;
  campaignId?: string | undefined;
  accountId?: string | undefined;
  channel: Channel;
  /** An agent talked on it (Regulation F). */
  conversation: boolean;
  state?: string | undefined;
  zip?: string | undefined;
  zone?: string | undefined;
  voice?: CallVoice | undefined;
  kind?: CampaignKind | undefined;
  /** The calling list it was dialled from (`--list`). */
  listId?: string | undefined;
  /** What the call was (record.ts CallFacts), as the source said; undefined: nothing said. */
  facts?: CallFacts | undefined;
}

/** An input call as the counters see it, with its place in the input. */
export interface InputCall extends CountedCall {
  seq: number;
}

const COLUMNS = [
  "seq",
  "source",
  "id",
  "phone",
  "at_ms",
  "campaign",
  "account",
  "channel",
  "conversation",
  "state",
  "zip",
  "zone",
  "voice",
  "kind",
  "list",
  "facts",
] as const;

type Row = [
  number,
  EvidenceSource,
  string,
  string,
  number,
  string | null,
  string | null,
  Channel,
  number,
  string | null,
  string | null,
  string | null,
  CallVoice | null,
  CampaignKind | null,
  string | null,
  string | null,
];

const BATCH = 10_000;

export class ScratchAttempts {
  private readonly dir: string;
  private readonly db: DatabaseSync;
  private readonly insert: StatementSync;
  private pending = 0;
  private next = 0;
  private indexed = false;

  /** A scratch file in a new directory under `parent` (the output's directory: the same disk). */
  constructor(parent: string) {
    this.dir = mkdtempSync(path.join(parent, ".cxo-evidence-"));
    this.db = new DatabaseSync(path.join(this.dir, "attempts.sqlite"));
    this.db.exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = FILE");
    this.db.exec(
      `CREATE TABLE attempts (seq INTEGER PRIMARY KEY, source TEXT NOT NULL, id TEXT NOT NULL, phone TEXT NOT NULL,
        at_ms INTEGER NOT NULL, campaign TEXT, account TEXT, channel TEXT NOT NULL, conversation INTEGER NOT NULL,
        state TEXT, zip TEXT, zone TEXT, voice TEXT, kind TEXT, list TEXT, facts TEXT)`,
    );
    this.insert = this.db.prepare(
      `INSERT INTO attempts (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")})`,
    );
  }

  /** The run's own directory (its spools go there too). */
  get directory(): string {
    return this.dir;
  }

  /** How many attempts were added. */
  get size(): number {
    return this.next;
  }

  add(a: Omit<EvidenceAttempt, "seq">): void {
    if (this.pending === 0) this.db.exec("BEGIN");
    this.insert.run(
      this.next++,
      a.source,
      a.id,
      a.phone,
      a.atMs,
      a.campaignId ?? null,
      a.accountId ?? null,
      a.channel,
      a.conversation ? 1 : 0,
      a.state ?? null,
      a.zip ?? null,
      a.zone ?? null,
      a.voice ?? null,
      a.kind ?? null,
      a.listId ?? null,
      a.facts === undefined ? null : JSON.stringify(a.facts),
    );
    if (++this.pending >= BATCH) this.commit();
  }

  private commit(): void {
    if (this.pending === 0) return;
    this.db.exec("COMMIT");
    this.pending = 0;
  }

  /** The attempts in time order (ties in input order), `size` at a time. */
  *chunks(size: number): Generator<EvidenceAttempt[]> {
    this.commit();
    if (!this.indexed) {
      this.db.exec(
        "CREATE INDEX attempts_by_time ON attempts (at_ms, seq); CREATE INDEX attempts_by_phone ON attempts (phone, at_ms); CREATE INDEX attempts_by_account ON attempts (account, at_ms) WHERE account IS NOT NULL",
      );
      this.indexed = true;
    }
    const page = this.db.prepare(
      // A row value: the index is searched from the last row read (`a > ? OR (a = ? AND …)` scans from the first).
      `SELECT ${COLUMNS.join(", ")} FROM attempts WHERE (at_ms, seq) > (?, ?) ORDER BY at_ms, seq LIMIT ?`,
    );
    page.setReturnArrays(true);
    let afterMs = Number.MIN_SAFE_INTEGER;
    let afterSeq = -1;
    for (;;) {
      const rows = page.all(afterMs, afterSeq, size) as unknown as Row[];
      if (rows.length === 0) return;
      const last = rows[rows.length - 1] as Row;
      afterMs = last[4];
      afterSeq = last[0];
      yield rows.map(attemptOf);
    }
  }

  /**
   * The input's calls to `phones` or naming `accounts` with `fromMs < at <= toMs`, oldest first,
   * as the counters count them (each with the input's id as its contact id: two records of one
   * call are one call, two calls in one minute are two).
   */
  callsOf(phones: readonly string[], accounts: readonly string[], fromMs: number, toMs: number): InputCall[] {
    this.byPhone ??= this.lookup("phone");
    const rows = this.byPhone.all(JSON.stringify(phones), fromMs, toMs) as unknown as Row[];
    if (accounts.length > 0) {
      this.byAccount ??= this.lookup("account");
      rows.push(...(this.byAccount.all(JSON.stringify(accounts), fromMs, toMs) as unknown as Row[]));
    }
    const seen = new Set<number>();
    const calls: InputCall[] = [];
    for (const row of rows) {
      if (seen.has(row[0])) continue;
      seen.add(row[0]);
      calls.push(callOf(row));
    }
    return calls.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
  }

  private byPhone: StatementSync | undefined;
  private byAccount: StatementSync | undefined;

  /** The input's rows whose `column` is one of a JSON array's values, in a window, by index. */
  private lookup(column: "phone" | "account"): StatementSync {
    const statement = this.db.prepare(
      // Not `facts` (the last column): a call counted needs none of it, and it is the largest.
      `SELECT ${COLUMNS.filter((c) => c !== "facts")
        .map((c) => `a.${c}`)
        .join(
          ", ",
        )} FROM json_each(?) AS listed JOIN attempts a ON a.${column} = listed.value WHERE a.at_ms > ? AND a.at_ms <= ?`,
    );
    statement.setReturnArrays(true);
    return statement;
  }

  /** Closes and removes the scratch file and its directory. */
  close(): void {
    try {
      if (this.db.isOpen) this.db.close();
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

/** What every read of a row starts from: the call, its number and instant, channel, conversation, campaign and account. */
type CallFields = Pick<
  EvidenceAttempt,
  "seq" | "id" | "phone" | "atMs" | "channel" | "conversation" | "campaignId" | "accountId"
>;

function callFieldsOf(row: Row): CallFields {
  const call: CallFields = {
    seq: row[0],
    id: row[2],
    phone: row[3],
    atMs: row[4],
    channel: row[7],
    conversation: row[8] === 1,
  };
  if (row[5] !== null) call.campaignId = row[5];
  if (row[6] !== null) call.accountId = row[6];
  return call;
}

function attemptOf(row: Row): EvidenceAttempt {
  const a: EvidenceAttempt = { ...callFieldsOf(row), source: row[1] };
  if (row[9] !== null) a.state = row[9];
  if (row[10] !== null) a.zip = row[10];
  if (row[11] !== null) a.zone = row[11];
  if (row[12] !== null) a.voice = row[12];
  if (row[13] !== null) a.kind = row[13];
  if (row[14] !== null) a.listId = row[14];
  if (row[15] !== null) a.facts = JSON.parse(row[15]) as CallFacts;
  return a;
}

const SOURCE_OF: Record<EvidenceSource, CountedCall["source"]> = {
  file: "history",
  campaign: "completed",
  list: "list",
};

function callOf(row: Row): InputCall {
  return { ...callFieldsOf(row), contactId: row[2], source: SOURCE_OF[row[1]] };
}
