import path from "node:path";
import { accountsOfPhones } from "../../consent/accounts.ts";
import type { Store } from "../../core/store/index.ts";
import { timeOrderedId } from "../../core/store/time-ordered-id.ts";
import { readOutcomeHistory } from "../../outcomes/read-history.ts";
import type { PresentedCallerId } from "../../platform/ports/diagnosis.ts";
import type { ListAttempt } from "../../platform/ports/lists.ts";
import type { OutboundCall } from "../../platform/types.ts";
import { declaredVoices, type SkillVoices } from "../declared-voice.ts";
import type { ComplianceEngine } from "../engine.ts";
import type { DncRegistries } from "../registry/lookup.ts";
import type { RuleRow } from "../rule-table.ts";
import { sqlOf } from "../store-sql.ts";
import type { Registrations } from "../touches.ts";
import { CxoneCopyHistory } from "./cxone-copy.ts";
import type { EvidenceFrom } from "./evidence-from.ts";
import { type GatherContext, holdingsOf, inputsOfChunk } from "./gather.ts";
import type { JudgedChunk } from "./judge.ts";
import { inlineJudges, JUDGING_THREADS, threadJudges, WORKER_FROM_ATTEMPTS } from "./judges.ts";
import { fileSha256, keepManifest, manifestOf } from "./manifest-of.ts";
import { checkEvidenceTarget, type EvidenceFormat, EvidenceSink } from "./output.ts";
import type { EvidenceInputs } from "./record.ts";
import { keepRuleBook } from "./rule-book.ts";
import { ScratchAttempts } from "./scratch.ts";
import { attemptOfCall, attemptOfDial, attemptOfRecord, type Skipped, type SourceItem } from "./sources.ts";

/**
 * `cxo compliance evidence` / `compliance.evidence` (issue 92 §1): one evidence record per attempt
 * CXone made (record.ts), judged by `compliance check`'s engine with what the store held as of the
 * attempt (gather.ts), the attempts read in time order from a scratch file (scratch.ts) so that
 * each one's counters count the calls before it, written not-allowed first (output.ts). The rule
 * book the records were judged by is kept in the store, for `--verify` (rule-book.ts).
 */
export type { EvidenceFrom } from "./evidence-from.ts";

/** The platform's side, for the campaign and list sources (the SDK wires it to its port). */
export interface EvidencePlatform {
  calls(campaignId: string, from: string, to: string): AsyncIterable<OutboundCall>;
  dials(listId: string): Promise<readonly ListAttempt[]>;
  /** The lists cxo pushed from plans, with the skill each feeds. */
  pushedLists(): Promise<ReadonlyArray<{ listId: string; campaignId: string | undefined }>>;
  /** The caller id the campaign's skill presents (undefined: the platform has none). */
  presentedCallerId?(campaignId: string): Promise<PresentedCallerId | undefined>;
}

export interface EvidenceEnv {
  /** The runtime's compliance engine (the judging threads have their own). */
  engine: ComplianceEngine;
  store: Store;
  registries: DncRegistries;
  seller: string | undefined;
  registrations: Registrations;
  rndNoData: "allow" | "refuse";
  platform?: EvidencePlatform | undefined;
  signal?: AbortSignal | undefined;
  nowMs: number;
  /** The rule book to judge by (default the current one; tests give another). */
  ruleTable?: readonly RuleRow[] | undefined;
  /** Threads to judge on (judges.ts; 0: inline): default JUDGING_THREADS from WORKER_FROM_ATTEMPTS attempts. */
  threads?: number | undefined;
  /** The voice each skill's calls use (`compliance.skills`): with a campaign spec's, an attempt's default. */
  skillVoices?: SkillVoices | undefined;
}

export interface EvidenceRequest {
  from: EvidenceFrom;
  /** The file to write: Parquet when it ends in `.parquet`, else NDJSON. */
  out: string;
  /** Every attempt with no grant in the ledger was made with consent (`consent.basis: declared`). */
  consent?: boolean | undefined;
  /** Replace an existing file that is not an evidence file. */
  force?: boolean | undefined;
  /** The field names bad input is reported under (the CLI's flags). */
  outField?: string;
}

export interface EvidenceSummary {
  out: string;
  format: EvidenceFormat;
  records: number;
  allowed: number;
  notAllowed: number;
  ruleBook: string;
  /** Attempts not allowed, by reason code (an attempt counts under each of its codes). */
  reasons: Record<string, number>;
  /** The first attempts not allowed (at most 20), as listed first in the file. */
  firstNotAllowed: Array<{ id: string; phone: string; at: string; reasons: string[] }>;
  /** Records that could not be judged (no number, no instant, inbound): counted, the first 20 named. */
  skipped: number;
  skippedSample: Skipped[];
  /** The file's manifest (chain.ts): its run id (the data dir keeps it), root and record count. */
  manifest?: { run: string; root: string; records: number };
}

const CHUNK = 2_000;
const SAMPLE = 20;

export async function makeEvidence(env: EvidenceEnv, request: EvidenceRequest): Promise<EvidenceSummary> {
  const field = request.outField ?? "out";
  const out = checkEvidenceTarget(request.out, field, request.force === true);
  const table = env.ruleTable ?? env.engine.ruleTable;
  const scratch = new ScratchAttempts(path.dirname(out));
  try {
    const planLists = new Map<string, string | undefined>();
    // The outcomes file's digest goes into the manifest: read beside the attempts.
    const fileDigest = "file" in request.from ? fileSha256(request.from.file) : Promise.resolve(undefined);
    fileDigest.catch(() => {});
    const skipped = await loadAttempts(env, request.from, scratch, planLists);
    env.signal?.throwIfAborted();
    const fileSha = await fileDigest;
    const listCampaign = "listId" in request.from ? planLists.get(request.from.listId) : undefined;
    const cxoneCopy = await CxoneCopyHistory.of(env.store);
    const ruleBook = await keepRuleBook(env.store, table, env.nowMs);
    const ctx: GatherContext = {
      engine: env.engine,
      store: env.store,
      registries: env.registries,
      scratch,
      ruleBook,
      seller: env.seller,
      registrations: env.registrations,
      rndNoData: env.rndNoData,
      consent: request.consent,
      planLists: new Set(planLists.keys()),
      cxoneCopy,
      holds: await holdingsOf(env.store),
      voices: await declaredVoices(env.store, env.skillVoices),
      callerIds: await presentedCallerIds(env.platform, [
        ...("campaignId" in request.from ? [request.from.campaignId] : []),
        ...(listCampaign === undefined ? [] : [listCampaign]),
      ]),
    };
    let first: string | null = null;
    let last: string | null = null;
    const sink = new EvidenceSink(out, scratch.directory, { field, force: request.force === true });
    const summary: EvidenceSummary = {
      out,
      format: sink.format,
      records: 0,
      allowed: 0,
      notAllowed: 0,
      ruleBook,
      reasons: {},
      firstNotAllowed: [],
      skipped: skipped.count,
      skippedSample: skipped.sample,
    };
    const threads = env.threads ?? (scratch.size >= WORKER_FROM_ATTEMPTS ? JUDGING_THREADS : 0);
    const judges = threads > 0 ? threadJudges(table, threads) : inlineJudges(env.engine, table);
    try {
      // Chunks are judged (on the threads) while the next ones are gathered; written in order.
      // Of each chunk in flight, only what the summary names is kept (the inputs went to the thread).
      const inFlight: Array<{ named: Named[]; judged: Promise<JudgedChunk> }> = [];
      const writeFirst = async () => {
        const done = inFlight.shift();
        if (!done) return;
        const judged = await done.judged;
        await sink.add(judged);
        first ??= done.named[0]?.at ?? null;
        last = done.named.at(-1)?.at ?? last;
        done.named.forEach((named, i) => {
          tally(summary, named, judged.codes[i] as string[]);
        });
      };
      for (const chunk of scratch.chunks(CHUNK)) {
        env.signal?.throwIfAborted();
        const inputs = await inputsOfChunk(ctx, chunk);
        const named = inputs.map(({ id, phone, at }) => ({ id, phone, at }));
        const next = { named, judged: judges.judge(inputs) };
        // Observed at once: a failure while the next chunk is gathered is not an unhandled rejection.
        next.judged.catch(() => {});
        inFlight.push(next);
        if (inFlight.length > Math.max(1, threads)) await writeFirst();
      }
      while (inFlight.length > 0) await writeFirst();
      env.signal?.throwIfAborted();
      const manifest = await sink.finish((end) =>
        manifestOf(
          {
            run: timeOrderedId("evidence-"),
            from: request.from,
            fileSha256: fileSha,
            campaignOfList: listCampaign,
            ruleBook,
            registries: env.registries,
            cxoneDnc: cxoneCopy.consulted(),
            first,
            last,
            notAllowed: summary.notAllowed,
            madeAtMs: env.nowMs,
          },
          end,
        ),
      );
      await keepManifest(env.store, manifest);
      summary.manifest = { run: manifest.run, root: manifest.root, records: manifest.records };
    } catch (error) {
      await sink.abandon();
      throw error;
    } finally {
      await judges.close();
    }
    return summary;
  } finally {
    scratch.close();
  }
}

type Named = Pick<EvidenceInputs, "id" | "phone" | "at">;

function tally(summary: EvidenceSummary, inputs: Named, codes: readonly string[]): void {
  summary.records += 1;
  if (codes.length === 0) {
    summary.allowed += 1;
    return;
  }
  summary.notAllowed += 1;
  for (const code of codes) summary.reasons[code] = (summary.reasons[code] ?? 0) + 1;
  if (summary.firstNotAllowed.length < SAMPLE)
    summary.firstNotAllowed.push({ id: inputs.id, phone: inputs.phone, at: inputs.at, reasons: [...codes] });
}

/** Reads the source into the scratch file; the records skipped. Fills `planLists` (the list source). */
async function loadAttempts(
  env: EvidenceEnv,
  from: EvidenceFrom,
  scratch: ScratchAttempts,
  planLists: Map<string, string | undefined>,
): Promise<{ count: number; sample: Skipped[] }> {
  const skipped = { count: 0, sample: [] as Skipped[] };
  const take = (item: SourceItem) => {
    if ("attempt" in item) scratch.add(item.attempt);
    else {
      skipped.count += 1;
      if (skipped.sample.length < SAMPLE) skipped.sample.push(item.skipped);
    }
  };
  if ("file" in from) {
    let n = 0;
    for await (const record of readOutcomeHistory(from.file, "file")) {
      take(attemptOfRecord(record));
      if ((++n & 0xffff) === 0) env.signal?.throwIfAborted();
    }
    return skipped;
  }
  const platform = env.platform;
  if (!platform) throw new TypeError("evidence: the campaign and list sources need the platform");
  if ("campaignId" in from) {
    const window = [new Date(from.fromMs).toISOString(), new Date(from.toMs).toISOString()] as const;
    for await (const call of platform.calls(from.campaignId, ...window)) {
      const item = attemptOfCall(call, from.campaignId);
      // The listing is by whole minutes on some platforms: the window's own bounds decide.
      if ("attempt" in item && (item.attempt.atMs < from.fromMs || item.attempt.atMs >= from.toMs)) continue;
      take(item);
    }
    return skipped;
  }
  const pushed = await platform.pushedLists();
  const ofList = pushed.find((l) => l.listId === from.listId);
  if (ofList) planLists.set(from.listId, ofList.campaignId);
  const items = (await platform.dials(from.listId)).map((d) =>
    attemptOfDial(d, from.listId, ofList?.campaignId),
  );
  // A list's record names no account: a number cxo read for one account alone is that debt's
  // (as the debt's counts take it: debt-calls.ts); one of several accounts names none.
  const phones = new Set(items.flatMap((item) => ("attempt" in item ? [item.attempt.phone] : [])));
  const accounts = await accountsOfPhones(sqlOf(env.store), phones);
  for (const item of items) {
    const own = "attempt" in item ? accounts.get(item.attempt.phone) : undefined;
    if ("attempt" in item && own?.length === 1) item.attempt.accountId = own[0];
    take(item);
  }
  return skipped;
}

/**
 * The caller id each campaign's skill presents, read once (issue 103 §3): an attempt whose own
 * record names no caller id (a list's dial) is recorded with its skill's, as read now.
 */
async function presentedCallerIds(
  platform: EvidencePlatform | undefined,
  campaigns: readonly string[],
): Promise<Map<string, PresentedCallerId>> {
  const found = new Map<string, PresentedCallerId>();
  if (!platform?.presentedCallerId) return found;
  for (const campaign of new Set(campaigns)) {
    // A skill that cannot be read (deleted since) leaves the attempts their own records' facts.
    const presented = await platform.presentedCallerId(campaign).catch(() => undefined);
    if (presented) found.set(campaign, presented);
  }
  return found;
}
