import type { ClientContext } from "../platform/client-context.ts";
import type { DispositionsFreshness } from "./cxone-dispositions.ts";

/**
 * Issue 77 §3: before a command that can lead to a dial decides anything (a check, a scrub, a
 * plan, a push, `consent honour`), the agents' do-not-call dispositions set in CXone since the
 * last read are read into the ledger when that read is older than
 * `consent.dispositionsMaxAgeMinutes` (or there was none). CXone unreachable rejects: nothing is
 * allowed, planned or pushed on a ledger that may lack a "Do Not Call".
 */
export async function freshDispositions(
  client: ClientContext,
  signal?: AbortSignal,
): Promise<DispositionsFreshness> {
  const { ensureFreshDispositions } = await import("./cxone-dispositions.ts");
  return ensureFreshDispositions(
    {
      port: client.port,
      store: await client.store(),
      matrixOf: (campaignId) => client.port.dispositions.getMatrix(campaignId, signal),
      actor: client.actor,
      cxoneGroupId: client.consent.cxoneDncGroup,
      agentDoNotCall: client.consent.agentDoNotCall,
    },
    { maxAgeMinutes: client.dispositionsMaxAgeMinutes, signal },
  );
}
