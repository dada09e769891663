import type { CheckedVerdict, ComplianceCheck } from "../compliance/check-of-client.ts";
import type { CxoneDncSyncResult } from "../compliance/cxone-dnc-sync.ts";
import type { DncAddResult, DncListResult, DncRemoveResult } from "../compliance/dnc.ts";
import type { RuleListing } from "../compliance/effective-dates.ts";
import type { ExportSummary } from "../compliance/evidence/export/export.ts";
import type { PruneSummary } from "../compliance/evidence/export/retention.ts";
import type { EvidenceSummary } from "../compliance/evidence/make.ts";
import type { EvidenceParams } from "../compliance/evidence/request.ts";
import type { EvidenceVerification } from "../compliance/evidence/verify.ts";
import type { RegistryImportParams, RegistryImportSummary } from "../compliance/registry/import-request.ts";
import { isActorText } from "../core/actor-rule.ts";
import { InputError } from "../core/input-error.ts";
import { requiredPathOf } from "../core/params.ts";
import { runCall } from "./call.ts";

export type { CheckedVerdict, ComplianceCheck, RegistryImportParams, RegistryImportSummary };

import { clockNowMs } from "../core/clock/now.ts";
import type { ClientRuntime, RequestOptions } from "./runtime.ts";
// The calling-rules engine (~25 modules with its phone tables) is imported at first check, not
// with this file: every client builds this group, and most never check a call.

export interface ComplianceGroup {
  /**
   * May this number be called at this instant, and if not, why and when? Uses the local store's
   * attempt history, DNC list, consent ledger and synced copy of the CXone DNC groups. Sends
   * nothing to CXone unless, on the production platform, that copy is older than
   * `consent.cxoneDncMaxAgeMinutes` or was never synced: then the number is searched live in the
   * tenant's DNC groups (`cxoneDnc.source: "live"`). An already aborted `signal` refuses the check.
   */
  check(call: ComplianceCheck, options?: RequestOptions): Promise<CheckedVerdict>;
  /**
   * Copies the tenant's CXone DNC groups (each group, the skills it scrubs, its records) into the
   * local store, replacing the previous copy in one transaction, with an audit record. On a
   * platform without DNC groups (the seed API) a NotSupportedError, before anything is sent.
   */
  syncDnc(params?: Record<string, never>, options?: RequestOptions): Promise<CxoneDncSyncResult>;
  /**
   * One evidence record per attempt CXone made — an outcomes `file`, a campaign's
   * completed contacts between `from` and `to`, or a calling list's dials (`listId`) — judged by
   * the engine of `check` with what the store held as of each attempt, written to `out` (NDJSON,
   * or Parquet when it ends in `.parquet`), the attempts not allowed first. Answers what was
   * written (`notAllowed` > 0: the CLI exits 1). Sends nothing to CXone for a file; reads the
   * completed contacts or the list's dials for the others (a list on the seed API: a
   * NotSupportedError before anything is sent). docs/compliance.md, "Evidence for every attempt".
   */
  evidence(params: EvidenceParams, options?: RequestOptions): Promise<EvidenceSummary>;
  /**
   * Checks an evidence file: each record's digest, and its verdict, reasons, zones, rules and
   * counters recomputed from its kept inputs with the rule book of its own version. `ok: false`
   * names each difference by record and field. Local: sends nothing.
   */
  verifyEvidence(file: string, options?: RequestOptions): Promise<EvidenceVerification>;
  /**
   * Every rule cxo judges by — the rule table's rows and the revocation deadlines — each with its
   * effective date and the date's source (`built-in`, or `config`: the client's
   * `rules.effectiveDates`). Judging by dates other than the store last judged with is audited.
   * Local: sends nothing.
   */
  rules(options?: RequestOptions): Promise<{ rules: RuleListing[] }>;
  /**
   * Hands evidence files over (`cxo compliance evidence --export`): each of `files` verified, then
   * copied into `dir` (new or empty, else an InputError) with `manifest.json` (each file's SHA-256)
   * and a certification page to sign (`certification.txt`, `certification.pdf`). A file that does
   * not verify is named in `refused` and nothing is written (`ok: false`). `tool` is the program
   * the certification and manifest.json name as what made the export (default `cxo (SDK)`; an
   * application built on the client names itself). Local: sends nothing.
   */
  exportEvidence(
    params: { dir: string; files: readonly string[]; tool?: string },
    options?: RequestOptions,
  ): Promise<ExportSummary>;
  /**
   * The evidence files of `dir` the retention rule no longer keeps (a debt's: 3 years after its
   * last activity; any other call's: 5 years), removed unless `dryRun`. Local: sends nothing.
   */
  pruneEvidence(params: { dir: string; dryRun?: boolean }, options?: RequestOptions): Promise<PruneSummary>;
  /**
   * Adds `phones` (E.164, North American or UK) to the data dir's internal do-not-call list, with
   * `reason` (at most 500 characters) kept beside each; every check, plan and push of the data
   * dir then refuses them (`internal_dnc`). Each number added is audited (`compliance.dnc.add`)
   * in the same transaction; one already listed is left as it is. A bad number is an InputError
   * naming it (`phones[1]`), nothing added. Each number keeps `source`, what added it (1–64
   * printable characters; default `sdk`). Local: sends nothing.
   */
  addToDnc(
    params: { phones: readonly string[]; reason?: string; source?: string },
    options?: RequestOptions,
  ): Promise<DncAddResult>;
  /**
   * Removes `phones` from the internal do-not-call list, each removal audited
   * (`compliance.dnc.remove`) in the same transaction. Local: sends nothing.
   */
  removeFromDnc(params: { phones: readonly string[] }, options?: RequestOptions): Promise<DncRemoveResult>;
  /** The internal do-not-call list, by number: each with its reason, source and when it was added. Local. */
  listDnc(options?: RequestOptions): Promise<DncListResult>;
  /**
   * Imports a Do Not Call registry's download files (the National DNC Registry's, a US state's
   * own list, or the UK's TPS / CTPS) into the data dir's copy that `check` reads: a new version
   * built from `files` (`mode: "full"`) or applied to the current one (`"changes"`), then
   * published atomically. The request is checked whole first (an unknown `registry`, an unreadable
   * file, named by its path, a bad or future `asOf`: an InputError); a malformed line is an
   * InputError naming the file and row. On any error, or at the call's signal, deadline or close()
   * (checked between chunks), the previous copy is left as it was. Local: sends nothing, and works
   * on a client without a connection.
   */
  importRegistry(params: RegistryImportParams, options?: RequestOptions): Promise<RegistryImportSummary>;
}

export function complianceGroup(runtime: ClientRuntime): ComplianceGroup {
  return {
    check: (call, options) =>
      runCall(runtime, options, async (signal) =>
        (await import("../compliance/check-of-client.ts")).checkOfClient(runtime, call, signal),
      ),

    evidence: (params, options) =>
      runCall(runtime, options, async (signal) => {
        const { checkEvidenceParams } = await import("../compliance/evidence/request.ts");
        const checked = checkEvidenceParams(params);
        const [{ makeEvidence }, { evidenceEnvOf }] = await Promise.all([
          import("../compliance/evidence/make.ts"),
          import("../compliance/evidence/env-of-client.ts"),
        ]);
        const env = await evidenceEnvOf(runtime, checked.from, signal);
        return makeEvidence(env, checked);
      }),

    rules: (options) =>
      runCall(runtime, options, async () => {
        const { listRules } = await import("../compliance/effective-dates.ts");
        // The engine made (and the dates it judges by recorded) as a check would.
        await runtime.complianceEngine();
        return { rules: listRules(runtime.effectiveDates) };
      }),

    verifyEvidence: (file, options) =>
      runCall(runtime, options, async (signal) => {
        if (typeof file !== "string" || file === "")
          throw new InputError({ field: "file", rule: "must be the path of an evidence file" });
        const { verifyEvidence } = await import("../compliance/evidence/verify.ts");
        const store = await runtime.store();
        return verifyEvidence(await runtime.complianceEngine(), store, file, signal ? { signal } : {});
      }),

    exportEvidence: (params, options) =>
      runCall(runtime, options, async (signal) => {
        const dir = requiredPathOf(params, "dir", "is required: the directory to export into (new or empty)");
        if (!Array.isArray(params.files) || params.files.some((f) => typeof f !== "string"))
          throw new InputError({ field: "files", rule: "must be a list of evidence file paths" });
        if (params.tool !== undefined && !isActorText(params.tool, 128))
          throw new InputError({
            field: "tool",
            rule: "must be the program's name: 1–128 printable characters (no control characters)",
          });
        const { exportEvidence } = await import("../compliance/evidence/export/export.ts");
        const store = await runtime.store();
        return exportEvidence(
          await runtime.complianceEngine(),
          store,
          { dir, files: params.files },
          { actor: runtime.actor, tool: params.tool ?? "cxo (SDK)", nowMs: clockNowMs(), signal },
        );
      }),

    pruneEvidence: (params, options) =>
      runCall(runtime, options, async () => {
        const dir = requiredPathOf(params, "dir", "is required: the directory of evidence files");
        const { pruneEvidence } = await import("../compliance/evidence/export/retention.ts");
        return pruneEvidence(await runtime.store(), { dir, dryRun: params.dryRun === true }, clockNowMs());
      }),

    addToDnc: (params, options) =>
      runCall(runtime, options, async () => {
        const { addToDnc, dncPhonesOf, dncReasonOf } = await import("../compliance/dnc.ts");
        const phones = dncPhonesOf(params?.phones);
        const reason = dncReasonOf(params?.reason);
        const source = params?.source;
        if (source !== undefined && !isActorText(source, 64))
          throw new InputError({
            field: "source",
            rule: "must name what adds the numbers: 1–64 printable characters (no control characters)",
          });
        const added = await addToDnc(await runtime.store(), phones, { reason, actor: runtime.actor, source });
        return { added, alreadyListed: phones.filter((phone) => !added.includes(phone)) };
      }),

    removeFromDnc: (params, options) =>
      runCall(runtime, options, async () => {
        const { dncPhonesOf, removeFromDnc } = await import("../compliance/dnc.ts");
        const phones = dncPhonesOf(params?.phones);
        const removed = await removeFromDnc(await runtime.store(), phones, { actor: runtime.actor });
        return { removed, notListed: phones.filter((phone) => !removed.includes(phone)) };
      }),

    listDnc: (options) =>
      runCall(runtime, options, async () => {
        const { listDnc } = await import("../compliance/dnc.ts");
        const numbers = await listDnc(await runtime.store());
        return { count: numbers.length, numbers };
      }),

    importRegistry: (params, options) =>
      runCall(runtime, options, async (signal) =>
        (await import("../compliance/registry/import-request.ts")).importRegistryOf(
          runtime.dataDir,
          params,
          signal,
        ),
      ),

    syncDnc: (params, options) =>
      runCall(runtime, options, async (signal) => {
        if (params !== undefined && (typeof params !== "object" || params === null))
          throw new InputError({ field: "params", rule: "must be an object (or absent)" });
        const refusal = runtime.port.support.unsupported("dncGroups");
        const groups = runtime.port.dncGroups;
        if (refusal || !groups) throw refusal ?? new TypeError("this platform's port has no DNC groups");
        const { syncCxoneDnc } = await import("../compliance/cxone-dnc-sync.ts");
        const store = await runtime.store();
        return syncCxoneDnc(store, groups, { actor: runtime.actor, ...(signal ? { signal } : {}) });
      }),
  };
}
