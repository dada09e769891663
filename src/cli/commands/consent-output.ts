import type { ConsentReport, ReportEntry } from "../../compliance/revocation-report.ts";
import type { CallbackSweep, RevokedCallback } from "../../compliance/revoked-callbacks.ts";
import type { AccountNotice } from "../../consent/accounts.ts";
import type { ConsentCoverage } from "../../consent/client-coverage.ts";
import type { TenantOutcome } from "../../consent/every-tenant.ts";
import type { HonourSummary } from "../../consent/honour.ts";
import type { AccountNoticeCounts } from "../../consent/import-file.ts";

/** What `cxo consent revoke|import|report|honour` print for a person (commands/consent.ts). */

/** What honour did of the scope-`all` revocations an earlier run left half recorded. */
export function fanOutLines(summary: HonourSummary | undefined): string[] {
  const fanOuts = summary?.fanOuts;
  if (!fanOuts) return [];
  return [
    ...(fanOuts.finished > 0
      ? [
          `scope all: ${fanOuts.finished} revocation fan-out(s) an earlier run left half done, now recorded in every tenant`,
        ]
      : []),
    ...(fanOuts.repaired ?? []).map(
      (r) =>
        `scope all: ${r.tenant ?? "this tenant"} lacked ${r.added} revocation(s) that ${r.from.join(", ")} held: now recorded there (every unit of the seller holds the same set)`,
    ),
    ...fanOuts.waiting.map(
      (w) =>
        `scope all: NOT YET in ${w.missing.join(", ")} (${w.id === "scope-all" ? "held by" : "journaled by"} ${w.tenant ?? "this tenant"}${w.error ? `: ${w.error}` : ""}); run cxo consent honour where those tenants are configured`,
    ),
  ];
}

export function tenantLines(tenants: TenantOutcome[] | undefined): string[] {
  if (!tenants) return [];
  return tenants.map(
    (t) =>
      `  ${t.tenant ?? "this tenant"}: ${t.holds ? `holds it (${t.added} new, ${t.known} already there)` : `NOT recorded: ${t.error}`}${cxoneLine(t.cxone, t.cxoneDelayed) ? `; ${cxoneLine(t.cxone, t.cxoneDelayed)}` : ""}`,
  );
}

export function describeEntry(e: ReportEntry): string {
  const honoured =
    e.cxone.status === "removed"
      ? "REMOVED from the CXone group after it was honoured there (someone took it out): being added again"
      : e.cxone.status === "unlinked"
        ? `NOT honoured in CXone: its group (${e.cxone.groupId}) no longer scrubs the campaign's skill (cxo consent honour links it again)`
        : (e.honouredAt ?? "not yet in the CXone group");
  const who = e.account === undefined ? e.phone : `account ${e.account}${e.phone ? ` (${e.phone})` : ""}`;
  return `${who} revoked ${e.receivedAt} by ${e.channel}, scope ${e.scope}; honoured ${honoured}; deadline ${e.deadline ?? "none"}${e.rule ? ` (${e.rule})` : ""}`;
}

/** Coverage as `consent honour` says it: every gap, loud, or one line that all is covered. */
export function coverageLines(coverage: ConsentCoverage): string[] {
  if (!coverage.platform) return [];
  if (coverage.gaps.length === 0)
    return [
      `coverage: every skill cxo pushed to (${coverage.skills.join(", ") || "none yet"}) is scrubbed by the consent group`,
    ];
  return coverage.gaps.map((g) => `COVERAGE GAP: skill ${g.skill}: ${g.reason}`);
}

/** One line per callback: whose, when, on which skill, and why it matters. */
export function callbackLine(c: RevokedCallback): string {
  return `scheduled callback ${c.callbackId} to ${c.phone}${c.skillId ? ` on skill ${c.skillId}` : ""} at ${c.callbackAt ?? "an unknown time"}: ${c.revocation}`;
}

/** What `consent honour` did with CXone's scheduled callbacks; every failure loud. */
export function sweepLines(sweep: CallbackSweep | undefined): string[] {
  if (!sweep) return [];
  return [
    `scheduled callbacks: ${sweep.pending} pending on ${sweep.skills.length} skill(s), ${sweep.toRevoked.length} to revoked numbers, ${sweep.cancelled.length} deleted`,
    ...sweep.cancelled.map(
      (c) => `  DELETED ${callbackLine(c)}${c.result === "gone" ? " (CXone no longer held it)" : ""}`,
    ),
    ...sweep.failed.map(
      (c) =>
        `  NOT DELETED (${c.error}): ${callbackLine(c)}; still pending in CXone, tried again by the next run`,
    ),
  ];
}

export function cxoneLine(summary: HonourSummary | undefined, delayed?: string): string | undefined {
  if (delayed)
    return `CXone DNC group: DELAYED (${delayed}); pending, sent by cxo serve or cxo consent honour`;
  if (!summary) return undefined;
  const refused = summary.refused ?? [];
  return [
    `CXone DNC group: ${summary.sent} number(s) sent, ${summary.alreadyInGroup} already there${summary.readded ? `; ${summary.readded} entry(ies) found REMOVED from the group since they were honoured, added again` : ""}`,
    ...(summary.relinked ?? []).map(
      (l) => `skill ${l.skillId}: its group ${l.groupId} no longer scrubbed it: linked again`,
    ),
    ...(summary.unlinked ?? []).map(
      (l) =>
        `NOT LINKED: skill ${l.skillId}: ${l.reason}; its revocations are not honoured in CXone until it is`,
    ),
    ...(refused.length > 0
      ? [
          `CXone REFUSED ${refused.length} number(s), NOT in its group (still pending: cxo refuses them, and cxo serve or cxo consent honour sends them again):`,
          ...refused.map((r) => `  ${r.phone} (group ${r.groupId}): ${r.reason}`),
        ]
      : []),
  ].join("\n");
}

export function humanReport(report: ConsentReport): string {
  const lines = [
    `${report.revocations} revocation(s) received ${report.from} → ${report.to}: ${report.late} honoured late, ${report.overdue} overdue, ${report.breached} with calls after them${report.incomplete > 0 ? `, ${report.incomplete} of scope all not held by every tenant of the seller` : ""}`,
  ];
  for (const e of report.entries) {
    const late = e.lateBy !== undefined ? `, LATE by ${e.lateBy} min` : e.overdue ? ", OVERDUE" : "";
    lines.push(`  ${describeEntry(e)}${late}`);
    if (e.missingIn)
      lines.push(
        `    NOT HELD by ${e.missingIn.join(", ")} (scope all): they still allow it; cxo consent honour records it there`,
      );
    for (const call of e.callsAfter)
      lines.push(
        call.channel === undefined
          ? `    CALLED AFTER: ${call.at} call ${call.callId} (campaign ${call.campaignId})`
          : `    TOUCHED AFTER: ${call.at} ${call.channel}${call.voice ? ` (${call.voice} voice)` : ""}${call.purpose ? ` marked ${call.purpose}` : ""} (imported touch${call.campaignId ? `, campaign ${call.campaignId}` : ""})`,
      );
    if (e.confirmation)
      lines.push(`    confirmed by one text at ${e.confirmation.at} (within 5 minutes: allowed)`);
  }
  lines.push(checkedLine(report));
  const callbacks = report.scheduledCallbacks;
  if (callbacks) {
    lines.push(
      `scheduled callbacks: ${callbacks.pending} pending on ${callbacks.skills.length} skill(s), ${callbacks.toRevoked.length} to revoked numbers${callbacks.toRevoked.length > 0 ? " (cxo consent honour deletes them)" : ""}`,
    );
    for (const c of callbacks.toRevoked)
      lines.push(`  PENDING CALLBACK TO A REVOKED NUMBER: ${callbackLine(c)}`);
  }
  return lines.join("\n");
}

/** What the report read for calls after: said every time, so "no calls after" is never taken for more than it is. */
export function checkedLine(report: ConsentReport): string {
  const { checked } = report;
  const ids = (list: readonly string[]) =>
    list.length === 0
      ? "none"
      : list.length <= 20
        ? list.join(", ")
        : `${list.slice(0, 20).join(", ")} … (${list.length})`;
  const lists = `${checked.lists.length} pushed list(s)${checked.lists.length > 0 ? ` (${ids(checked.lists.map((l) => l.listId))})` : ""}`;
  const touches = `; ${checked.touches} imported touch(es) read`;
  if (checked.listing === "none")
    return `NOT CHECKED for calls: no CXone connection is configured, so CXone's calls and the dials of pushed lists were not read (the ledger is this data dir's: read offline)${touches}; run cxo consent report with a connection to find calls after a revocation`;
  if (checked.scope === "named")
    return `checked ONLY campaign(s) ${ids(checked.campaigns)} (--campaign) and the ${lists} of them: calls on other campaigns were not looked for${touches}`;
  const how =
    checked.listing === "tenant-wide" ? "one tenant-wide listing of calls; campaigns seen" : "campaigns";
  return `checked every campaign of the tenant (${how}: ${ids(checked.campaigns)}) and every list cxo pushed: ${lists}${touches}`;
}

/** A revocation's account notices: recorded all the same, said loudly. */
export function accountNoticeLines(notices: readonly AccountNotice[] | undefined): string[] {
  return (notices ?? []).map((n) =>
    n.kind === "unseen"
      ? `NOTE (account not seen yet): ${n.message}`
      : `WARNING (account and phone disagree): ${n.message}`,
  );
}

/** An import's rows naming accounts not seen yet, or phones of other accounts: counted, the first named. */
export function importNoticeLines(counts: AccountNoticeCounts | undefined): string[] {
  if (!counts) return [];
  return [
    ...(counts.unseen > 0
      ? [
          `NOTE: ${counts.unseen} row(s) name an account cxo has not seen yet in any list, history, plan or touches file: recorded against the account; each covers every number its account gains later (refused the moment cxo reads it, sent to the CXone DNC group by the next consent honour)`,
        ]
      : []),
    ...(counts.phoneOfOthers > 0
      ? [
          `WARNING: ${counts.phoneOfOthers} row(s) name a phone cxo knows for other accounts than the row's: recorded for the phone and the row's account; the other accounts' numbers are NOT covered`,
        ]
      : []),
    ...counts.first.map((n) => `  row ${n.row}: ${n.message}`),
  ];
}
