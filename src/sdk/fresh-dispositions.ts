import type { DispositionsFreshness } from "../consent/cxone-dispositions.ts";
import type { ClientRuntime } from "./runtime.ts";

/**
 * Issue 77 §3: before a command that can lead to a dial decides anything (a check, a scrub, a
 * plan, a push, `consent honour`), the agents' do-not-call dispositions set in CXone since the
 * last read are read into the ledger when that read is older than
 * `consent.dispositionsMaxAgeMinutes` (or there was none). CXone unreachable rejects: nothing is
 * allowed, planned or pushed on a ledger that may lack a "Do Not Call".
 */
export async function freshDispositions(
  runtime: ClientRuntime,
  signal?: AbortSignal,
): Promise<DispositionsFreshness> {
  const { ensureFreshDispositions } = await import("../consent/cxone-dispositions.ts");
  return ensureFreshDispositions(
    {
      port: runtime.port,
      store: await runtime.store(),
      matrixOf: (campaignId) => runtime.port.dispositions.getMatrix(campaignId, signal),
      actor: runtime.actor,
      cxoneGroupId: runtime.consent.cxoneDncGroup,
      agentDoNotCall: runtime.consent.agentDoNotCall,
    },
    { maxAgeMinutes: runtime.dispositionsMaxAgeMinutes, signal },
  );
}
