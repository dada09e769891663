import type { HonourSummary } from "../consent/honour.ts";
import type { CallbackSweep } from "./revoked-callbacks.ts";

/**
 * Consent honoured, the one way the CLI (`cxo consent honour`) and the autopilot's every run do
 * it: pending revocations sent to CXone's DNC group, then CXone's scheduled callbacks to revoked
 * numbers deleted — whether or not a group is named (the autopilot's form never
 * cancelled callbacks, reading a count nothing produced). A failure of either is the call's.
 * It takes the client's consent methods alone (a `CxoneClient` is one), so compliance names no client.
 */
/** The request options honour passes on (the SDK's: attempts per request, the run's signal). */
type HonourOptions = { maxAttempts?: number; signal?: AbortSignal };

export async function honourConsent(
  client: {
    consent: {
      honour(options?: HonourOptions): Promise<HonourSummary | undefined>;
      cancelCallbacks(options?: HonourOptions): Promise<CallbackSweep | undefined>;
    };
  },
  options?: HonourOptions,
): Promise<{ summary: HonourSummary | undefined; callbacks: CallbackSweep | undefined }> {
  const summary = await client.consent.honour(options);
  const callbacks = await client.consent.cancelCallbacks(options);
  return { summary, callbacks };
}
