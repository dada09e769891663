import type { DispositionMatrix } from "../types.ts";

/** Seed 000: outbound call dispositions. */
export interface DispositionsPort {
  /** The campaign's disposition codes and the reason codes that belong to each. */
  getMatrix(campaignId: string, signal?: AbortSignal): Promise<DispositionMatrix>;
}
