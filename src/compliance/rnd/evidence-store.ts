import { appendAuditRecords } from "../../core/audit/audit-log.ts";
import { clockNowDate } from "../../core/clock/now.ts";
import type { SqlDb } from "../../core/store/sql.ts";
import type { RndAnswer, RndQuestion, RndReply } from "../../platform/ports/rnd.ts";
/**
 * The RND's answers in the store (migration 11): `rnd_queries` (each query, pending before it is
 * sent, done with its answers) and `rnd_evidence` (every answer, append-only). The one module
 * that writes or reads those tables.
 */
export interface RndEvidence {
  phone: string;
  consentDate: string;
  answer: RndAnswer;
  /** When cxo asked (the answer's arrival), ISO. */
  askedAt: string;
  /** The database's date: the latest data the answer came from. */
  dataAsOf: string;
  /** cxo's key of the query (its idempotency key) and the database's own id for it. */
  queryRef: string;
  queryId: string | null;
  /** The RND's URL. */
  source: string;
}

interface EvidenceRow {
  phone: string;
  consent_date: string;
  answer: string;
  asked_at: string;
  data_as_of: string;
  query_ref: string;
  query_id: string | null;
  source: string;
}

const evidenceOf = (row: EvidenceRow): RndEvidence => ({
  phone: row.phone,
  consentDate: row.consent_date,
  answer: row.answer as RndAnswer,
  askedAt: row.asked_at,
  dataAsOf: row.data_as_of,
  queryRef: row.query_ref,
  queryId: row.query_id,
  source: row.source,
});

const COLUMNS = "phone, consent_date, answer, asked_at, data_as_of, query_ref, query_id, source";
/** Numbers per IN (…) lookup: well under SQLite's and PostgreSQL's parameter limits. */
const LOOKUP_CHUNK = 500;

/** Every answer kept for a number, oldest first. */
/** Whether the store holds any RND answer (one row read at most). */
export async function holdsRndEvidence(db: SqlDb): Promise<boolean> {
  return (await db.get("SELECT 1 AS found FROM rnd_evidence LIMIT 1")) !== undefined;
}

export async function evidenceFor(db: SqlDb, phone: string): Promise<RndEvidence[]> {
  const rows = await db.all<EvidenceRow>(
    `SELECT ${COLUMNS} FROM rnd_evidence WHERE phone = ? ORDER BY asked_ms, seq`,
    [phone],
  );
  return rows.map(evidenceOf);
}

/** The newest answer asked since `sinceMs` for each question (keyed `phone|consentDate`). */
export async function freshEvidence(
  db: SqlDb,
  questions: readonly RndQuestion[],
  sinceMs: number,
): Promise<Map<string, RndEvidence>> {
  const found = new Map<string, RndEvidence>();
  const wanted = new Set(questions.map((q) => `${q.phone}|${q.consentDate}`));
  const phones = [...new Set(questions.map((q) => q.phone))];
  for (let i = 0; i < phones.length; i += LOOKUP_CHUNK) {
    const chunk = phones.slice(i, i + LOOKUP_CHUNK);
    const rows = await db.all<EvidenceRow>(
      `SELECT ${COLUMNS} FROM rnd_evidence WHERE phone IN (${chunk.map(() => "?").join(", ")}) AND asked_ms >= ? ORDER BY asked_ms, seq`,
      [...chunk, sinceMs],
    );
    for (const row of rows) {
      const key = `${row.phone}|${row.consent_date}`;
      if (wanted.has(key)) found.set(key, evidenceOf(row));
    }
  }
  return found;
}

/**
 * Every answer kept for each of `phones`, oldest first (an evidence record takes the newest asked
 * at or before its attempt: the answer the call could rely on).
 */
export async function evidenceOfPhones(
  db: SqlDb,
  phones: readonly string[],
): Promise<Map<string, Array<RndEvidence & { askedMs: number }>>> {
  const found = new Map<string, Array<RndEvidence & { askedMs: number }>>();
  const unique = [...new Set(phones)];
  for (let i = 0; i < unique.length; i += LOOKUP_CHUNK) {
    const chunk = unique.slice(i, i + LOOKUP_CHUNK);
    const rows = await db.all<EvidenceRow & { asked_ms: number }>(
      `SELECT ${COLUMNS}, asked_ms FROM rnd_evidence WHERE phone IN (${chunk.map(() => "?").join(", ")}) ORDER BY asked_ms, seq`,
      chunk,
    );
    for (const row of rows) {
      const list = found.get(row.phone) ?? [];
      list.push({ ...evidenceOf(row), askedMs: Number(row.asked_ms) });
      found.set(row.phone, list);
    }
  }
  return found;
}

/** A query about to be sent: its row, pending, committed before it goes. */
export async function recordPendingQuery(
  db: SqlDb,
  query: { id: string; questions: readonly RndQuestion[]; source: string },
): Promise<void> {
  await db.run(
    "INSERT INTO rnd_queries (id, status, questions, numbers, source, created_at) VALUES (?, 'pending', ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    [
      query.id,
      JSON.stringify(query.questions),
      query.questions.length,
      query.source,
      clockNowDate().toISOString(),
    ],
  );
}

/** Queries a run left pending (sent, or about to be, when it died), oldest first. */
export async function pendingQueries(
  db: SqlDb,
): Promise<Array<{ id: string; questions: RndQuestion[]; source: string }>> {
  const rows = await db.all<{ id: string; questions: string; source: string }>(
    "SELECT id, questions, source FROM rnd_queries WHERE status = 'pending' ORDER BY created_at, id",
  );
  return rows.map((row) => ({
    id: row.id,
    questions: JSON.parse(row.questions) as RndQuestion[],
    source: row.source,
  }));
}

/**
 * ONE transaction: the answers kept, the query done (its questions dropped: the evidence holds
 * them), an audit record (counts, not numbers). A crash before it commits leaves the query
 * pending, to be re-sent under its key.
 */
export async function recordAnswers(
  db: SqlDb,
  query: { id: string; source: string; actor: string | null },
  reply: RndReply,
  askedMs: number,
): Promise<RndEvidence[]> {
  const askedAt = new Date(askedMs).toISOString();
  const kept: RndEvidence[] = reply.answers.map((a) => ({
    phone: a.phone,
    consentDate: a.consentDate,
    answer: a.answer,
    askedAt,
    dataAsOf: reply.dataAsOf,
    queryRef: query.id,
    queryId: reply.queryId ?? null,
    source: query.source,
  }));
  await db.transaction(async (tx) => {
    for (let i = 0; i < kept.length; i += 100) {
      const rows = kept.slice(i, i + 100);
      await tx.run(
        `INSERT INTO rnd_evidence (${COLUMNS}, asked_ms) VALUES ${rows.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}`,
        rows.flatMap((e) => [
          e.phone,
          e.consentDate,
          e.answer,
          e.askedAt,
          e.dataAsOf,
          e.queryRef,
          e.queryId,
          e.source,
          askedMs,
        ]),
      );
    }
    await tx.run(
      "UPDATE rnd_queries SET status = 'done', questions = '[]', finished_at = ?, query_id = ?, data_as_of = ? WHERE id = ?",
      [askedAt, reply.queryId ?? null, reply.dataAsOf, query.id],
    );
    const count = (answer: RndAnswer) => kept.filter((e) => e.answer === answer).length;
    await appendAuditRecords(tx, [
      {
        operation: "compliance.rnd.query",
        outcome: "done",
        actor: query.actor,
        target: query.source,
        idempotencyKey: query.id,
        details: {
          queryId: reply.queryId ?? null,
          dataAsOf: reply.dataAsOf,
          numbers: kept.length,
          disconnected: count("disconnected"),
          notDisconnected: count("not-disconnected"),
          noData: count("no-data"),
        },
      },
    ]);
  });
  return kept;
}
