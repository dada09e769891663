import { clockNowMs } from "../../core/clock/now.ts";
import { authStyleSchema } from "../../core/config/client-schema.ts";
import { createCxoneHttp, type SharedHttpOptions } from "../../core/http/create.ts";
import type { AnswerBound } from "../../core/http/errors.ts";
import { registerSecret } from "../../core/logging/secrets.ts";
import { UnreadableAnswerError } from "../errors.ts";
import type { RndAnswer, RndPort, RndQuestion, RndReply } from "../ports/rnd.ts";
/**
 * The RND API's client (issue 79 §3; docs/emulator-rnd.md for the shapes and which are
 * assumed). It runs on the one HTTP core (core/http): a client-credentials token shared and
 * renewed once, the one retry policy (429 with Retry-After, 5xx, resets, timeouts), a deadline.
 * A query is a POST, retried only because it carries an idempotency key (the caller's, stable
 * across a crash and a re-run): a repeat is answered from the first, never asked (and paid) twice.
 *
 * An answer it cannot read — no `results` array, a number missing or answered twice, a result
 * that is none of "yes" / "no" / "no data", no database date — fails naming the route: a
 * compliance read never takes an unreadable answer for "not disconnected" (round-7 contract).
 */
export interface RndConnection {
  url: string;
  tokenUrl?: string | undefined;
  clientId: string;
  clientSecret: string;
}

const ROUTE = "POST /api/v1/queries";
const MAX_PER_QUERY = 1000;
const WIRE_ANSWERS: Record<string, RndAnswer> = {
  yes: "disconnected",
  no: "not-disconnected",
  "no data": "no-data",
};

/**
 * The most an answer to `count` numbers can need: one result is ~60 bytes
 * (`{"tn":"3035552001","date":"2024-01-01","result":"no data"}`); 1 KiB each and 16 KiB for the
 * envelope leave room for fields the documentation does not show, and refuse a hostile answer
 * (150 MB for 3 numbers) after reading 19 KiB of it.
 */
function answerBoundOf(count: number): AnswerBound {
  return {
    bytes: 16 * 1024 + count * 1024,
    why: `what an answer to ${count} number${count === 1 ? "" : "s"} can need (1 KiB a number and 16 KiB)`,
  };
}

/** +1NXXNXXXXXX → the 10 digits the RND takes. */
const tnOf = (phone: string) => phone.replace(/^\+1/, "");

export function connectRnd(connection: RndConnection, shared: SharedHttpOptions): RndPort {
  registerSecret(connection.clientSecret);
  const url = connection.url.replace(/\/+$/, "");
  const core = createCxoneHttp({
    ...shared,
    connection: {
      baseUrl: url,
      tokenUrl: connection.tokenUrl ?? `${url}/oauth/token`,
      clientId: connection.clientId,
      clientSecret: connection.clientSecret,
      auth: authStyleSchema.parse({ credentials: "basic" }),
    },
  });
  return {
    maxPerQuery: MAX_PER_QUERY,
    url,
    close: () => core.close(),
    async query(questions, options) {
      if (questions.length === 0) return { queryId: undefined, dataAsOf: "", answers: [] };
      if (questions.length > MAX_PER_QUERY)
        throw new RangeError(`at most ${MAX_PER_QUERY} numbers per RND query (got ${questions.length})`);
      const response = await core.http.request<unknown>({
        method: "POST",
        path: "/api/v1/queries",
        endpoint: ROUTE,
        group: "default",
        body: { queries: questions.map((q) => ({ tn: tnOf(q.phone), date: q.consentDate })) },
        idempotencyKey: options.idempotencyKey,
        answerBound: answerBoundOf(questions.length),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return readReply(response.body, questions, response.status);
    },
  };
}

/** The answer, each result matched to its question by number and date; anything else is unreadable. */
/**
 * How old the database's data may be when asked (days before the query's date). Providers report
 * permanent disconnections to the RND monthly, by the 15th (47 CFR 52.103(d)), so the latest
 * database is up to a month old, plus the days it takes in a month's reports; the safe harbor
 * rests on the database as last updated (47 CFR 64.1200(m); FCC DA 22-360). An answer from data
 * older than that, or dated after the query, is not kept as evidence.
 */
export const RND_MAX_DATA_AGE_DAYS = 45;
const DAY_MS = 86_400_000;

export function readReply(
  body: unknown,
  questions: readonly RndQuestion[],
  status?: number,
  nowMs: number = clockNowMs(),
): RndReply {
  const fail = (missing: string): never => {
    throw new UnreadableAnswerError(ROUTE, missing, {
      ...(status === undefined ? {} : { status }),
      body,
      service: "the Reassigned Numbers Database",
    });
  };
  const record =
    typeof body === "object" && body !== null ? (body as Record<string, unknown>) : fail("a JSON object");
  const results = Array.isArray(record.results) ? record.results : fail("a results array");
  const dataAsOf =
    typeof record.dataAsOf === "string" && /^\d{4}-\d{2}-\d{2}$/.test(record.dataAsOf)
      ? record.dataAsOf
      : fail("the database's date (dataAsOf, YYYY-MM-DD)");
  const asOfMs = Date.parse(`${dataAsOf}T00:00:00Z`);
  const today = Date.parse(`${new Date(nowMs).toISOString().slice(0, 10)}T00:00:00Z`);
  // A day of slack ahead: the database's date is in its own zone, the query's in UTC.
  if (Number.isNaN(asOfMs) || asOfMs > today + DAY_MS)
    fail(
      `a dataAsOf no later than the query's date (it says ${dataAsOf}: data from the future is not evidence)`,
    );
  if (asOfMs < today - RND_MAX_DATA_AGE_DAYS * DAY_MS)
    fail(
      `data no more than ${RND_MAX_DATA_AGE_DAYS} days old (it says ${dataAsOf}: not the latest database, so no safe harbor; ask again later or tell the RND's operator)`,
    );
  const said = new Map<string, RndAnswer>();
  for (const item of results) {
    const r = typeof item === "object" && item !== null ? (item as Record<string, unknown>) : {};
    const answer = typeof r.result === "string" ? WIRE_ANSWERS[r.result.toLowerCase()] : undefined;
    if (typeof r.tn !== "string" || typeof r.date !== "string" || answer === undefined)
      fail('a tn, a date and a result of "yes", "no" or "no data" on every result');
    const key = `${r.tn}|${r.date}`;
    if (said.has(key)) fail(`one result per number (${r.tn} was answered twice)`);
    said.set(key, answer as RndAnswer);
  }
  const answers = questions.map((q) => {
    const answer = said.get(`${tnOf(q.phone)}|${q.consentDate}`);
    return answer === undefined
      ? fail(`a result for every number asked (none for ${tnOf(q.phone)})`)
      : { ...q, answer };
  });
  return { queryId: typeof record.queryId === "string" ? record.queryId : undefined, dataAsOf, answers };
}
