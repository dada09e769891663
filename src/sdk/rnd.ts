import type { RndCheckResult } from "../compliance/rnd/check-numbers.ts";
import type { RndEvidence } from "../compliance/rnd/evidence-store.ts";
import { clockNowMs } from "../core/clock/now.ts";
import { InputError } from "../core/input-error.ts";
import { runCall } from "./call.ts";
import type { ClientRuntime, RequestOptions } from "./runtime.ts";
/**
 * The FCC's Reassigned Numbers Database, from code (`cxo compliance rnd check` and
 * `evidence` are thin users of it). The engine is imported at first call, not with this file.
 */
export interface RndCheckParams {
  /** Numbers with the date consent was given (YYYY-MM-DD, or a Date). Either this or `file`. */
  numbers?: ReadonlyArray<{ phone: string; consentDate: string | Date }>;
  /** A CSV or NDJSON file of `phone, consentDate` rows (≤ 250,000). Either this or `numbers`. */
  file?: string;
  /** Told after each query's answers are stored: numbers judged so far, of all. */
  onProgress?: (judged: number, total: number) => void;
}

export interface RndEvidenceReport {
  phone: string;
  /** Every answer kept for the number, oldest first: what was asked, when, of which database, and what it said. */
  evidence: RndEvidence[];
}

export interface RndGroup {
  /**
   * Asks the RND about every number not answered within `rnd.maxAgeDays` (queries of at most
   * `rnd.batchSize`, each answer stored as evidence before the next query), and judges each: a
   * number permanently disconnected on or after its consent date is refused (`rnd_reassigned`).
   * Bad input is an InputError naming the row (or `numbers[i]`) and field, nothing asked. Without
   * `rnd` settings, a ConfigError before anything is read.
   */
  check(params: RndCheckParams, options?: RequestOptions): Promise<RndCheckResult>;
  /** What the store keeps for a number: every RND answer, with the question and when it was asked. */
  evidence(params: { phone: string }, options?: RequestOptions): Promise<RndEvidenceReport>;
}

export function rndGroup(runtime: ClientRuntime): RndGroup {
  return {
    check: (params, options) =>
      runCall(runtime, options, async (signal) => {
        if (
          typeof params !== "object" ||
          params === null ||
          (params.file === undefined) === (params.numbers === undefined)
        )
          throw new InputError({ field: "params", rule: "must give either numbers or file" });
        // Not configured: a ConfigError before the file is read.
        const { rndOfClient, checkNumbersOfClient } = await import("../compliance/rnd/check-of-client.ts");
        rndOfClient(runtime);
        const { readRndQuestions, rndQuestionsOf } = await import("../compliance/rnd/questions-file.ts");
        const nowMs = clockNowMs();
        const questions =
          params.file !== undefined
            ? await readRndQuestions(params.file, { nowMs, ...(signal ? { signal } : {}) })
            : rndQuestionsOf(params.numbers, nowMs);
        return checkNumbersOfClient(runtime, questions, { signal, onProgress: params.onProgress });
      }),

    evidence: (params, options) =>
      runCall(runtime, options, async () => {
        const [{ parsePhone }, { evidenceFor }] = await Promise.all([
          import("../compliance/check-input.ts"),
          import("../compliance/rnd/evidence-store.ts"),
        ]);
        const phone = parsePhone(typeof params?.phone === "string" ? params.phone : undefined).e164;
        const store = await runtime.store();
        return { phone, evidence: await evidenceFor(store.db, phone) };
      }),
  };
}
