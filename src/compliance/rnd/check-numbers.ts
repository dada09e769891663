import { clockNowMs } from "../../core/clock/now.ts";
import type { SqlDb } from "../../core/store/sql.ts";
import { timeOrderedId } from "../../core/store/time-ordered-id.ts";
import type { RndAnswer, RndPort, RndQuestion } from "../../platform/ports/rnd.ts";
import {
  freshEvidence,
  pendingQueries,
  type RndEvidence,
  recordAnswers,
  recordPendingQuery,
} from "./evidence-store.ts";
import { judgeRndAnswer, type RndRefusalCode } from "./verdict.ts";
/**
 * Issue 79 §3: numbers with their consent dates checked against the Reassigned Numbers Database,
 * in queries of at most `batchSize` (≤ 1,000), each answer kept as evidence before the next
 * query is asked. Nothing is asked twice:
 *   - an answer for the same number and consent date younger than `maxAgeDays` is reused;
 *   - a query is committed `pending` (with its questions and its key) before it is sent, and its
 *     answers, the query `done` and its audit record commit together; a run killed at any moment
 *     re-sends its pending query under the same key first (a database that already answered it
 *     answers the same again, unasked), and the numbers answered before are reused.
 */
export interface RndCheckOptions {
  batchSize: number;
  maxAgeDays: number;
  noData: "allow" | "refuse";
  actor?: string | null;
  now?: () => number;
  signal?: AbortSignal;
  /** After each query's answers are stored: numbers judged so far, of all. */
  onProgress?: (judged: number, total: number) => void;
}

export interface RndVerdict extends RndQuestion {
  /** The line of the file the number was read from (a check of a `file`; CSV: the header is line 1). */
  row?: number;
  answer: RndAnswer;
  refused: boolean;
  code?: RndRefusalCode;
  safeHarbor: boolean;
  askedAt: string;
  dataAsOf: string;
  /** The answer came from the store (asked within `maxAgeDays`), not from a query of this run. */
  reused: boolean;
}

export interface RndCheckResult {
  numbers: number;
  /** Numbers asked by this run's queries (a re-sent pending query included). */
  asked: number;
  reused: number;
  queries: number;
  /** Queries an earlier run left pending, re-sent under their keys before anything new. */
  resumed: number;
  refused: number;
  disconnected: number;
  notDisconnected: number;
  noData: number;
  /** The newest database date of the answers used. */
  dataAsOf: string | null;
  verdicts: RndVerdict[];
}

const DAY_MS = 86_400_000;

export async function checkReassigned(
  db: SqlDb,
  port: RndPort,
  questions: readonly (RndQuestion & { row?: number })[],
  options: RndCheckOptions,
): Promise<RndCheckResult> {
  const now = options.now ?? clockNowMs;
  const batchSize = Math.min(options.batchSize, port.maxPerQuery);
  const actor = options.actor ?? null;
  let asked = 0;
  let queries = 0;
  const ask = async (id: string, batch: readonly RndQuestion[]) => {
    const reply = await port.query(batch, {
      idempotencyKey: id,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    asked += batch.length;
    queries += 1;
    return recordAnswers(db, { id, source: port.url, actor }, reply, now());
  };
  const pending = await pendingQueries(db);
  for (const query of pending) await ask(query.id, query.questions);

  const sinceMs = now() - options.maxAgeDays * DAY_MS;
  const found = new Map<string, { evidence: RndEvidence; reused: boolean }>();
  for (let i = 0; i < questions.length; i += batchSize) {
    options.signal?.throwIfAborted();
    const chunk = questions.slice(i, i + batchSize);
    const fresh =
      options.maxAgeDays > 0 ? await freshEvidence(db, chunk, sinceMs) : new Map<string, RndEvidence>();
    for (const [key, evidence] of fresh) found.set(key, { evidence, reused: true });
    // Each number and consent date once per query (a list may repeat a number), and once per
    // run (one asked in an earlier chunk of this run is answered already).
    const asking = new Set<string>();
    const missing = chunk.filter((q) => {
      const key = `${q.phone}|${q.consentDate}`;
      if (fresh.has(key) || found.has(key) || asking.has(key)) return false;
      asking.add(key);
      return true;
    });
    if (missing.length > 0) {
      const id = timeOrderedId("rnd_");
      await recordPendingQuery(db, { id, questions: missing, source: port.url });
      for (const evidence of await ask(id, missing))
        found.set(`${evidence.phone}|${evidence.consentDate}`, { evidence, reused: false });
    }
    options.onProgress?.(Math.min(i + batchSize, questions.length), questions.length);
  }
  return summarise(questions, found, { asked, queries, resumed: pending.length, noData: options.noData });
}

function summarise(
  questions: readonly (RndQuestion & { row?: number })[],
  found: Map<string, { evidence: RndEvidence; reused: boolean }>,
  run: { asked: number; queries: number; resumed: number; noData: "allow" | "refuse" },
): RndCheckResult {
  const verdicts: RndVerdict[] = [];
  let dataAsOf: string | null = null;
  for (const q of questions) {
    const hit = found.get(`${q.phone}|${q.consentDate}`);
    if (!hit) throw new Error(`no RND answer was kept for ${q.phone} (consent ${q.consentDate})`);
    const { evidence, reused } = hit;
    const judged = judgeRndAnswer(evidence.answer, run.noData);
    if (dataAsOf === null || evidence.dataAsOf > dataAsOf) dataAsOf = evidence.dataAsOf;
    verdicts.push({
      phone: q.phone,
      consentDate: q.consentDate,
      ...(q.row === undefined ? {} : { row: q.row }),
      answer: evidence.answer,
      refused: judged.refused,
      ...(judged.code ? { code: judged.code } : {}),
      safeHarbor: judged.safeHarbor,
      askedAt: evidence.askedAt,
      dataAsOf: evidence.dataAsOf,
      reused,
    });
  }
  const count = (answer: RndAnswer) => verdicts.filter((v) => v.answer === answer).length;
  return {
    numbers: verdicts.length,
    asked: run.asked,
    reused: verdicts.filter((v) => v.reused).length,
    queries: run.queries,
    resumed: run.resumed,
    refused: verdicts.filter((v) => v.refused).length,
    disconnected: count("disconnected"),
    notDisconnected: count("not-disconnected"),
    noData: count("no-data"),
    dataAsOf,
    verdicts,
  };
}
