import type { CxoneBaseClient } from "../sdk/client-types.ts";
import { honourConsent } from "../sdk/honour.ts";
import { type Failure, failureOf } from "./failures.ts";
import type { StepRecord } from "./types.ts";

/** The honour step's record, with what it sent and, when it failed, how. */
export type HonourStep = StepRecord & { sent?: number; failure?: Failure };

/**
 * Consent honoured once per run for the business unit (every campaign's revocations): the one
 * honour operation (sdk/honour.ts) `cxo consent honour` calls too — revocations sent to CXone,
 * scheduled callbacks to revoked numbers cancelled. The day report counts its answer's `sent`.
 * A run stopped meanwhile (its signal) is abandoned, not recorded as the step's failure.
 */
export async function honourStep(
  client: CxoneBaseClient,
  at: string,
  signal: AbortSignal | undefined,
): Promise<HonourStep> {
  try {
    const { sent, cancelled } = await honourConsent(client.consent, { ...(signal ? { signal } : {}) });
    return {
      step: "honour",
      at,
      ok: true,
      text: `${sent} revocation(s) sent to CXone${cancelled ? `, ${cancelled} callback(s) cancelled` : ""}`,
      sent,
    };
  } catch (error) {
    if (signal?.aborted) throw error;
    const failure = failureOf(error);
    return { step: "honour", at, ok: false, text: failure.text, failure };
  }
}
