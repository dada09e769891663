import type { Store } from "../core/store/index.ts";
import type { CxonePort } from "../platform/port.ts";
import type { DispositionMatrix, OutboundCall } from "../platform/types.ts";
import { calledNumberOf } from "./called-number.ts";
import { type AgentDoNotCall, agentRevocations, dncRevocationOf, markedCodesOf } from "./dnc-request.ts";
import { recordRevocations } from "./ledger.ts";
import type { Revocation } from "./revocation.ts";

/**
 * Agents' do-not-call dispositions set in CXone, read into the consent ledger (issue 62 §1,
 * issue 77 §3). One reader for both users of it: `cxo serve`'s watcher runs it every
 * `consent.pollSeconds`; without the service, every command that can lead to a dial (a check, a
 * scrub, a plan, a push, `consent honour`) runs it first when the last read is older than
 * `consent.dispositionsMaxAgeMinutes` (or there was none): `ensureFreshDispositions`.
 *
 * Every outbound campaign of the business unit is read (issue 78 §3), not only those the data
 * dir knows: a "Do Not Call" on a skill nobody configured here is a revocation all the same.
 *
 * Production: the incremental listing of changed contacts (`changedCalls`), tenant-wide (no
 * skill: every outbound skill), from one checkpoint, overlapping the warehouse's lag; the first
 * read looks back 30 days. CXone serves a completed contact up to 30 minutes after it ended: an
 * agent's "Do Not Call" reaches cxo's ledger that late at worst. CXone's own dialer stops sooner
 * where the skill CONTRIBUTES to a DNC group (CXone adds the number itself), and the service's
 * group sync brings that into cxo's checks within `consent.cxoneDncSyncMinutes`.
 * Seed API (no "changed since" filter): the listing without a campaign (every campaign), of the
 * calls STARTED since the last read less `LOOKBACK_MS` (30 days back the first time), read again
 * each time (the ledger's ids make a second sight of a call add nothing); a disposition set on a
 * call started more than `LOOKBACK_MS` before the last read is not seen there (docs/platforms.md).
 */
const CHECKPOINTS = "consent.watcher";
/** The checkpoint of the tenant-wide read (the per-campaign keys of earlier builds are left alone). */
const TENANT_KEY = "tenant";
/**
 * When the last read finished, by this machine's clock: what freshness is judged on (the
 * checkpoint itself is CXone's clock on production).
 */
const READ_AT_KEY = "tenant.readAt";
/**
 * CXone's completed contacts join the warehouse up to 30 minutes after they end (conformance
 * reference, DX), with their earlier `lastUpdateTime`: each incremental read starts this much
 * before the last one's time, so a contact that became visible late is still seen (seen twice
 * is harmless: the ledger keys a revocation by what it says).
 */
const WAREHOUSE_OVERLAP_MS = 35 * 60_000;
/** Seed: how far before the last read a call may have started and still be read again. */
const LOOKBACK_MS = 24 * 3_600_000;
/** The first read of a business unit: 30 days back (issue 78 §3; 24 hours missed revocations). */
const FIRST_READ_MS = 30 * 86_400_000;

/** The default of `consent.dispositionsMaxAgeMinutes`. */
export const DEFAULT_DISPOSITIONS_MAX_AGE_MINUTES = 5;

export interface DispositionReader {
  port: CxonePort;
  store: Store;
  /** The campaign's disposition matrix (a reason's name can say "do not call"); null: unknown. */
  matrixOf: (campaignId: string) => Promise<DispositionMatrix | null>;
  actor: string | null;
  cxoneGroupId: string | undefined;
  /** `consent.agentDoNotCall`: the number, or every number of its account (unset: by the campaign's kind). */
  agentDoNotCall?: AgentDoNotCall | undefined;
  now?: () => number;
}

export interface DispositionRead {
  /** Revocations new to the ledger from this read. */
  recorded: number;
  /** Calls read. */
  calls: number;
  readAt: string;
}

/** Reads every outbound campaign's calls since the checkpoint, recording each do-not-call disposition. */
export async function readDncDispositions(
  reader: DispositionReader,
  signal?: AbortSignal,
): Promise<DispositionRead> {
  const { port, store } = reader;
  const now = reader.now?.() ?? Date.now();
  const pending: Revocation[] = [];
  const consider = considerer(reader, pending);
  const counts = { recorded: 0, calls: 0 };
  const see = async (call: OutboundCall) => {
    counts.calls += 1;
    await consider(call);
  };
  const last = await store.kv.get<string>(CHECKPOINTS, TENANT_KEY);
  let checkpoint: string;
  if (port.support.unsupported("outcomes.changedCalls") === undefined) {
    const since = new Date(
      last === undefined ? now - FIRST_READ_MS : Date.parse(last) - WAREHOUSE_OVERLAP_MS,
    ).toISOString();
    const listing = port.outcomes.changedCalls({ updatedSince: since }, signal);
    let next = await listing.next();
    while (!next.done) {
      await see(next.value);
      next = await listing.next();
    }
    checkpoint = next.value.lastPollTime ?? new Date(now).toISOString();
  } else {
    const fromMs = last === undefined ? now - FIRST_READ_MS : Date.parse(last) - LOOKBACK_MS;
    const calls = port.outcomes.tenantCalls?.(
      { from: new Date(fromMs).toISOString(), to: new Date(now + 60_000).toISOString() },
      signal,
    );
    if (!calls) throw new Error("this platform lists no calls across campaigns");
    for await (const call of calls) await see(call);
    checkpoint = new Date(now).toISOString();
  }
  // Recorded together, before the checkpoint moves on (a failure here reads them again next time).
  if (pending.length > 0)
    counts.recorded = (
      await recordRevocations(store, pending, { actor: reader.actor, cxoneGroupId: reader.cxoneGroupId })
    ).added;
  const readAt = new Date(now).toISOString();
  await store.kv.set(CHECKPOINTS, TENANT_KEY, checkpoint);
  await store.kv.set(CHECKPOINTS, READ_AT_KEY, readAt);
  return { ...counts, readAt };
}

export interface DispositionsFreshness {
  /** When the last read finished (this read, when one was made); null: never. */
  readAt: string | null;
  maxAgeMinutes: number;
  /** `copy`: the last read was recent enough, nothing read; `read`: read just now. */
  source: "copy" | "read";
  /** Revocations this read added (0 when nothing was read). */
  recorded: number;
}

/**
 * The freshness rule (like the CXone DNC copy's): a last read older than `maxAgeMinutes`, or
 * none, is made again before the caller goes on; a failure (CXone unreachable) rejects, so the
 * caller plans, pushes or allows nothing on a ledger that may lack an agent's "Do Not Call".
 */
export async function ensureFreshDispositions(
  reader: DispositionReader,
  options: { maxAgeMinutes: number; signal?: AbortSignal | undefined },
): Promise<DispositionsFreshness> {
  const now = reader.now?.() ?? Date.now();
  const readAt = await reader.store.kv.get<string>(CHECKPOINTS, READ_AT_KEY);
  const readMs = readAt === undefined ? Number.NaN : Date.parse(readAt);
  if (!Number.isNaN(readMs) && now - readMs <= options.maxAgeMinutes * 60_000 && readMs <= now)
    return { readAt: readAt ?? null, maxAgeMinutes: options.maxAgeMinutes, source: "copy", recorded: 0 };
  const read = await readDncDispositions(reader, options.signal);
  return {
    readAt: read.readAt,
    maxAgeMinutes: options.maxAgeMinutes,
    source: "read",
    recorded: read.recorded,
  };
}

/** Collects a call's disposition when it is a do-not-call request (per campaign: its marked codes, its reason names). */
function considerer(reader: DispositionReader, pending: Revocation[]): (call: OutboundCall) => Promise<void> {
  const { store } = reader;
  const marked = new Map<string, Promise<Set<string> | undefined>>();
  const matrices = new Map<string, Promise<DispositionMatrix | null>>();
  const reasonName = async (call: OutboundCall) => {
    if (call.reasonCodeId === undefined) return undefined;
    let matrix = matrices.get(call.campaignId);
    if (!matrix) {
      matrix = reader.matrixOf(call.campaignId).catch(() => null);
      matrices.set(call.campaignId, matrix);
    }
    const code = (await matrix)?.codes.find((c) => c.id === call.dispositionCode);
    return code?.reasonCodes.find((r) => r.id === call.reasonCodeId)?.name;
  };
  return async (call) => {
    if (call.dispositionCode === undefined || call.campaignId === "") return;
    let codes = marked.get(call.campaignId);
    if (!codes) {
      codes = markedCodesOf(store, call.campaignId);
      marked.set(call.campaignId, codes);
    }
    const { revocation } = dncRevocationOf(
      {
        campaignId: call.campaignId,
        callId: call.id,
        phone: calledNumberOf(call),
        at: call.startTime,
        facts: {
          code: call.dispositionCode,
          name: call.dispositionName,
          reasonCode: call.reasonCodeId,
          reasonName: await reasonName(call),
        },
        via: "cxone",
      },
      await codes,
    );
    if (revocation)
      pending.push(...(await agentRevocations(store, revocation, call.campaignId, reader.agentDoNotCall)));
  };
}
