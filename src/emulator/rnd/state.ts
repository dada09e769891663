import { createHash } from "node:crypto";
import type { FaultBoard } from "../faults.ts";
import { createRng } from "../random.ts";
import type { RequestLog } from "../request-log.ts";
import type { TokenStore } from "../tokens.ts";
import type { RndDatabase, RndResult } from "./database.ts";
import type { RndResolvedOptions } from "./options.ts";

/** One number as a query asked it, and what it was told: the emulator's record of what was asked. */
export interface AskedNumber {
  tn: string;
  date: string;
  result: RndResult;
  queryId: string;
  at: string;
}

/** A query's whole answer, kept under its idempotency key so a repeat is answered the same, unasked. */
export interface StoredAnswer {
  digest: string;
  body: unknown;
}

/** The caller account the emulator issues tokens to (one; the RND registers a company's users). */
export interface RndCaller {
  clientId: string;
  clientSecret: string;
}

/**
 * `hold` (docs/emulator-rnd.md, faults): after `after` more queries are answered, the next
 * `count` are answered and recorded but their answers are never sent (until `release`, reset
 * or close), as when a connection dies after the database did the work.
 */
export interface HoldFault {
  after: number;
  count: number;
}

/** Everything a route handler may touch, built once per emulator instance. */
export interface RndContext {
  options: RndResolvedOptions;
  db: RndDatabase;
  tokens: TokenStore;
  faults: FaultBoard;
  log: RequestLog;
  caller: RndCaller;
  asked: AskedNumber[];
  answers: Map<string, StoredAnswer>;
  hold: HoldFault | null;
  /** Answers held by a `hold` fault: each releases its request (which then ends unanswered). */
  held: Set<() => void>;
  queries: number;
}

export const RND_GROUPS = ["token", "query"] as const;

export function rndCaller(seed: number): RndCaller {
  const rng = createRng(seed, "rnd-caller");
  return { clientId: `rnd-caller-${rng.hex(8)}`, clientSecret: `rnd_${rng.hex(40)}` };
}

/** A request body's digest: a reused key with another body is refused (422). */
export function digestOf(body: unknown): string {
  return createHash("sha256").update(JSON.stringify(body)).digest("hex");
}

/** Lets every held answer go (its request ends without an answer) and clears the hold. */
export function releaseHeld(ctx: RndContext): number {
  const released = ctx.held.size;
  for (const release of ctx.held) release();
  ctx.held.clear();
  return released;
}
