/**
 * The FCC's Reassigned Numbers Database (reassigned.us), as the capability sees it:
 * a number and the date of consent in, the database's answer out. The wire's names (`tn`,
 * `date`, `result: "yes" | "no" | "no data"`) stay in platform/rnd/.
 */

/** One number to ask about: E.164 (+1…) and the date consent was given (YYYY-MM-DD). */
export interface RndQuestion {
  phone: string;
  consentDate: string;
}

/**
 * The database's answer for one number (FCC, DA 21-1637): `disconnected` ("yes": permanently
 * disconnected on or after the consent date: the consent is not the new subscriber's),
 * `not-disconnected` ("no": safe harbor for a call that reaches a new subscriber), `no-data`
 * ("no data": the database cannot say, no safe harbor).
 */
export type RndAnswer = "disconnected" | "not-disconnected" | "no-data";

export interface RndReply {
  /** The database's own id for the query, when it gives one. */
  queryId: string | undefined;
  /** The database's date: the latest data it answered from (YYYY-MM-DD). */
  dataAsOf: string;
  /** One answer per question, in the questions' order. */
  answers: Array<RndQuestion & { answer: RndAnswer }>;
}

export interface RndPort {
  /** At most `maxPerQuery` questions per call; the same key on a repeat is answered from the first. */
  query(
    questions: readonly RndQuestion[],
    options: { idempotencyKey: string; signal?: AbortSignal },
  ): Promise<RndReply>;
  /** The most numbers one query may carry (1,000: reassigned.us FAQ). */
  readonly maxPerQuery: number;
  /** Where it is (for evidence and messages; never a credential). */
  readonly url: string;
  close(): Promise<void>;
}
