import type { ClientContext } from "../platform/client-context.ts";
import type {
  DispositionReader,
  DispositionReadProgress,
  DispositionsFreshness,
} from "./cxone-dispositions.ts";

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
  return ensureFreshDispositions(await dispositionReaderOf(client, signal), {
    maxAgeMinutes: client.dispositionsMaxAgeMinutes,
    signal,
    onProgress: progressLog(client),
  });
}

/**
 * How old the last read of CXone's completed contacts may be when a count of a debt's calls
 * reads the kept calls: a plan or push has just read them (its dispositions' read) and reads
 * nothing again; a check made later reads what changed since.
 */
const CALLS_MAX_AGE_MS = 60_000;

/**
 * Issue 100 §3: the calls kept from CXone's completed contacts brought up to date for a count
 * over a window starting at `coverFromMs` (production; the same read as the dispositions').
 */
export async function syncCompletedCalls(
  client: ClientContext,
  options: { coverFromMs: number; signal?: AbortSignal | undefined },
): Promise<void> {
  if (client.port.support.unsupported("outcomes.changedCalls") !== undefined) return;
  const { ensureCompletedCalls } = await import("./cxone-dispositions.ts");
  await ensureCompletedCalls(await dispositionReaderOf(client, options.signal), {
    coverFromMs: options.coverFromMs,
    maxAgeMs: CALLS_MAX_AGE_MS,
    signal: options.signal,
    onProgress: progressLog(client),
  });
}

async function dispositionReaderOf(
  client: ClientContext,
  signal: AbortSignal | undefined,
): Promise<DispositionReader> {
  return {
    port: client.port,
    store: await client.store(),
    matrixOf: (campaignId) => client.port.dispositions.getMatrix(campaignId, signal),
    actor: client.actor,
    cxoneGroupId: client.consent.cxoneDncGroup,
    agentDoNotCall: client.consent.agentDoNotCall,
  };
}

/**
 * A long read says where it is (a first read of 30 days is dozens of pages: what the command, or
 * the autopilot's campaign, waits for); each page is kept as it comes, so a read stopped here
 * resumes from about `upTo`.
 */
function progressLog(client: ClientContext): (progress: DispositionReadProgress) => void {
  return (p) =>
    client.logger?.info(
      { calls: p.calls, pages: p.pages, since: p.since, upTo: p.upTo },
      `reading CXone's completed contacts${p.first ? " (first read)" : ""} since ${p.since}: ${p.calls} read, up to ${p.upTo}; kept as read, a read stopped now resumes from there`,
    );
}
