import { clockNowMs } from "../core/clock/now.ts";
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
const DAY_MS = 86_400_000;
/**
 * The first read of a business unit: 32 days back. Revocations need 30 (issue 78 §3; 24 hours
 * missed some); the same read fills the calls every count of a debt's calls reads
 * (completed-calls.ts), whose longest window is 31 days (ATTEMPT_LOOKBACK_MS:
 * Massachusetts' 30-day period), and a day more lets a plan start tomorrow without reading again.
 */
export const FIRST_READ_MS = 32 * DAY_MS;
/** Completed calls kept this long after they started (a week past the first read's reach). */
const KEEP_CALLS_MS = FIRST_READ_MS + 7 * DAY_MS;
/**
 * From when the kept completed calls are whole (ISO, CXone's clock): every contact that started
 * since is kept, up to the checkpoint. Absent: not known (a data dir whose reads predate the
 * store of calls), and a count that needs them reads from its own window's start.
 */
const CALLS_FROM_KEY = "tenant.callsFrom";
/** A read under way or stopped half way (its progress, DispositionReadProgress); removed when a read finishes. */
const READING_KEY = "tenant.reading";

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

/** Where a long read stands, page by page (`onProgress`). */
export interface DispositionReadProgress {
  /** Calls read so far by this read. */
  calls: number;
  pages: number;
  /** CXone's time of the last change read: a read stopped now starts again from about here. */
  upTo: string;
  /** Where this read started (CXone's time), and whether it is a first read (or one reaching back further). */
  since: string;
  first: boolean;
}

export interface DispositionReadOptions {
  signal?: AbortSignal | undefined;
  /**
   * The kept completed calls must be whole from this instant (a count's window): a read that
   * cannot say so reaches back to it (production).
   */
  coverFromMs?: number | undefined;
  /** Told after each page is kept (a first read of 30 days is dozens of pages). */
  onProgress?: ((progress: DispositionReadProgress) => void) | undefined;
}

/**
 * Reads every outbound campaign's calls since the checkpoint, recording each do-not-call
 * disposition, and (production) keeping every call for the counts of a debt's calls. Production
 * keeps its progress page by page — the page's revocations, then its calls, then the checkpoint —
 * so a read that is killed (cron's timeout during the first read of 30 days) resumes where it
 * stopped, not from the start (issue 100 §3).
 */
export async function readDncDispositions(
  reader: DispositionReader,
  options: DispositionReadOptions = {},
): Promise<DispositionRead> {
  const { signal, coverFromMs, onProgress } = options;
  const { port, store } = reader;
  const now = reader.now?.() ?? clockNowMs();
  const pending: Revocation[] = [];
  const consider = considerer(reader, pending);
  const counts = { recorded: 0, calls: 0 };
  const see = async (call: OutboundCall) => {
    counts.calls += 1;
    await consider(call);
  };
  const record = async () => {
    // Recorded before the checkpoint moves on (a failure here reads them again next time).
    if (pending.length > 0)
      counts.recorded += (
        await recordRevocations(store, pending.splice(0), {
          actor: reader.actor,
          cxoneGroupId: reader.cxoneGroupId,
        })
      ).added;
  };
  let checkpoint: string;
  if (port.support.unsupported("outcomes.changedCalls") === undefined) {
    checkpoint = await readChangedPages(reader, { now, see, record, coverFromMs, onProgress, signal });
  } else {
    const last = await store.kv.get<string>(CHECKPOINTS, TENANT_KEY);
    const fromMs = last === undefined ? now - FIRST_READ_MS : Date.parse(last) - LOOKBACK_MS;
    const calls = port.outcomes.tenantCalls?.(
      { from: new Date(fromMs).toISOString(), to: new Date(now + 60_000).toISOString() },
      signal,
    );
    if (!calls) throw new Error("this platform lists no calls across campaigns");
    for await (const call of calls) await see(call);
    checkpoint = new Date(now).toISOString();
  }
  await record();
  const readAt = new Date(now).toISOString();
  await store.kv.set(CHECKPOINTS, TENANT_KEY, checkpoint);
  await store.kv.set(CHECKPOINTS, READ_AT_KEY, readAt);
  return { ...counts, readAt };
}

/**
 * Production: the incremental listing, tenant-wide, page by page. Where it starts: the last
 * checkpoint less the warehouse's overlap; 32 days back the first time; further back when a
 * count needs calls from before what is kept (`coverFromMs`). Each page: its revocations
 * recorded, its calls kept, the checkpoint moved to where the listing would go on (with, on the
 * first page of a read that reaches back, from when the kept calls are whole). Answers the
 * listing's own time, the next read's starting point.
 */
async function readChangedPages(
  reader: DispositionReader,
  how: {
    now: number;
    see: (call: OutboundCall) => Promise<void>;
    record: () => Promise<void>;
    coverFromMs: number | undefined;
    onProgress: DispositionReadOptions["onProgress"];
    signal: AbortSignal | undefined;
  },
): Promise<string> {
  const { port, store } = reader;
  const [last, callsFrom, calls, kv] = await Promise.all([
    store.kv.get<string>(CHECKPOINTS, TENANT_KEY),
    store.kv.get<string>(CHECKPOINTS, CALLS_FROM_KEY),
    import("./completed-calls.ts"),
    import("../core/store/kv.ts"),
  ]);
  const wholeFromMs = callsFrom === undefined ? Number.POSITIVE_INFINITY : Date.parse(callsFrom);
  let startMs = last === undefined ? how.now - FIRST_READ_MS : Date.parse(last) - WAREHOUSE_OVERLAP_MS;
  // The kept calls become whole from where this read starts, when it starts before what they say.
  let newWholeFrom: string | undefined;
  if (last === undefined || (how.coverFromMs !== undefined && how.coverFromMs < wholeFromMs)) {
    startMs = Math.min(startMs, how.coverFromMs ?? startMs);
    if (startMs < wholeFromMs) newWholeFrom = new Date(startMs).toISOString();
  }
  const since = new Date(startMs).toISOString();
  const pages = port.outcomes.changedCallPages({ updatedSince: since }, how.signal);
  let read = 0;
  let pageCount = 0;
  const progress = (upTo: string): DispositionReadProgress => ({
    calls: read,
    pages: pageCount,
    upTo,
    since,
    first: last === undefined,
  });
  let next = await pages.next();
  while (!next.done) {
    const page = next.value;
    for (const call of page.calls) await how.see(call);
    await how.record();
    read += page.calls.length;
    pageCount += 1;
    const wholeFrom = newWholeFrom;
    await store.db.transaction(async (tx) => {
      await calls.keepCompletedCalls(tx, page.calls);
      await kv.setCheckpoints(tx, [
        { namespace: CHECKPOINTS, key: TENANT_KEY, value: page.resumeFrom },
        ...(wholeFrom === undefined
          ? []
          : [{ namespace: CHECKPOINTS, key: CALLS_FROM_KEY, value: wholeFrom }]),
        // Where the read stands, for whoever waits on it (`cxo autopilot status`).
        { namespace: CHECKPOINTS, key: READING_KEY, value: { ...progress(page.resumeFrom), at: how.now } },
      ]);
    });
    newWholeFrom = undefined;
    how.onProgress?.(progress(page.resumeFrom));
    next = await pages.next();
  }
  // Nothing changed since (a 304 on the first page): the kept calls are whole from where it asked.
  if (newWholeFrom !== undefined) await store.kv.set(CHECKPOINTS, CALLS_FROM_KEY, newWholeFrom);
  // Calls no count reaches any more are forgotten, and what is whole says so.
  const keepFromMs = how.now - KEEP_CALLS_MS;
  await store.db.transaction(async (tx) => {
    await kv.deleteCheckpoint(tx, CHECKPOINTS, READING_KEY);
    await calls.forgetCompletedCallsBefore(tx, keepFromMs);
    const whole = await kv.getCheckpoint<string>(tx, CHECKPOINTS, CALLS_FROM_KEY);
    if (whole !== undefined && Date.parse(whole) < keepFromMs)
      await kv.setCheckpoints(tx, [
        { namespace: CHECKPOINTS, key: CALLS_FROM_KEY, value: new Date(keepFromMs).toISOString() },
      ]);
  });
  return next.value.lastPollTime ?? new Date(how.now).toISOString();
}

/**
 * A read of CXone's completed contacts that has not finished (under way, or stopped half way: the
 * next read resumes it), with where it stands and when its last page was kept (epoch ms); undefined
 * when the last read finished. What a campaign waiting on it is told (`cxo autopilot status`).
 */
export async function unfinishedRead(
  store: Store,
): Promise<(DispositionReadProgress & { at: number }) | undefined> {
  return store.kv.get<DispositionReadProgress & { at: number }>(CHECKPOINTS, READING_KEY);
}

/**
 * Before a count of a debt's calls reads the kept completed calls (production): they are brought
 * up to date when the last read finished more than `maxAgeMs` ago (or never, or "later" than now),
 * or do not reach back to `coverFromMs` — one incremental read, its revocations recorded as any
 * other read's. A count made right after a plan's or a push's own read of the dispositions reads
 * nothing more. Answers whether a read was made.
 */
export async function ensureCompletedCalls(
  reader: DispositionReader,
  options: DispositionReadOptions & { coverFromMs: number; maxAgeMs: number },
): Promise<boolean> {
  const { store } = reader;
  const now = reader.now?.() ?? clockNowMs();
  const [readAt, from] = await Promise.all([
    store.kv.get<string>(CHECKPOINTS, READ_AT_KEY),
    store.kv.get<string>(CHECKPOINTS, CALLS_FROM_KEY),
  ]);
  const readMs = readAt === undefined ? Number.NaN : Date.parse(readAt);
  const fresh = !Number.isNaN(readMs) && readMs <= now && now - readMs <= options.maxAgeMs;
  const covered = from !== undefined && Date.parse(from) <= options.coverFromMs;
  if (fresh && covered) return false;
  await readDncDispositions(reader, options);
  return true;
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
  options: {
    maxAgeMinutes: number;
    signal?: AbortSignal | undefined;
    onProgress?: DispositionReadOptions["onProgress"];
  },
): Promise<DispositionsFreshness> {
  const now = reader.now?.() ?? clockNowMs();
  const readAt = await reader.store.kv.get<string>(CHECKPOINTS, READ_AT_KEY);
  const readMs = readAt === undefined ? Number.NaN : Date.parse(readAt);
  if (!Number.isNaN(readMs) && now - readMs <= options.maxAgeMinutes * 60_000 && readMs <= now)
    return { readAt: readAt ?? null, maxAgeMinutes: options.maxAgeMinutes, source: "copy", recorded: 0 };
  const read = await readDncDispositions(reader, { signal: options.signal, onProgress: options.onProgress });
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
        phone: calledNumberOf(call.phoneNumber),
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
