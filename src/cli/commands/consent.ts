import type { Command } from "commander";
import type { ConsentReport, ReportEntry } from "../../campaigns/compliance/revocation-report.ts";
import type { CallbackSweep, RevokedCallback } from "../../campaigns/compliance/revoked-callbacks.ts";
import type { CxoneClient } from "../../client.ts";
import type { ConsentBook } from "../../consent/book.ts";
import type { ConsentCoverage } from "../../consent/client-coverage.ts";
import type { TenantOutcome } from "../../consent/every-tenant.ts";
import type { HonourSummary } from "../../consent/honour.ts";
import { honourConsent } from "../../consent/honour-consent.ts";
import type { Channel } from "../../consent/revocation.ts";
import type { ScopeText } from "../../consent/scope.ts";
import { type CliContext, withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";
import { withOfflineBook } from "../offline-consent.ts";
import { sellerPeerNames } from "../seller-tenants.ts";
import { registerConsentGrantCommand } from "./consent-grant.ts";
import { registerConsentReviewCommand } from "./consent-review.ts";

/**
 * `cxo consent revoke|import|report|honour` (issue 62 §1): the consent ledger. A revocation of
 * scope `all` is recorded in every configured tenant that shares this tenant's seller
 * (`consent.seller`), each in its own store and CXone DNC group: the SDK's fan-out does it
 * (consent/every-tenant.ts), given the other tenants' clients (issue 78 §1).
 */
const REVOKE_FLAGS = {
  phone: "--phone",
  account: "--account",
  at: "--at",
  channel: "--channel",
  scope: "--scope",
  source: "--source",
};

interface RevokeFlags {
  phone?: string;
  account?: string;
  at?: string;
  channel?: string;
  scope?: string;
  source?: string;
}

export function registerConsentCommands(program: Command): void {
  const consent = program
    .command("consent")
    .description("the consent ledger: revocations by every channel, honoured at once (docs/consent.md)");
  registerConsentReviewCommand(consent);
  registerConsentGrantCommand(consent);
  registerConsentEntryCommands(consent);
}

/** `consent revoke|import|report|honour|coverage`. */
function registerConsentEntryCommands(consent: Command): void {
  consent
    .command("revoke")
    .description(
      "record that a person revoked consent (honoured at once; and in the tenant's CXone DNC group)",
    )
    .option("--phone <e164>", "the number, E.164 (+1NXXNXXXXXX); optional with --account")
    .option(
      "--account <id>",
      "the debtor's account: every number cxo reads for it (lists, plans, history), now and later",
    )
    .option("--channel <channel>", "agent | call | sms | email | web | mail (default call)")
    .option("--at <iso>", "when the person said it, ISO 8601 with an offset (default: now)")
    .option("--scope <scope>", "tenant (default) | campaign:<id> | all (every tenant of the seller)")
    .option("--source <text>", "where it came from (a system, a ticket, a call id)")
    .action(
      withContext(async (ctx, options: RevokeFlags) => {
        const params = {
          ...(options.phone !== undefined ? { phone: options.phone } : {}),
          ...(options.account !== undefined ? { account: options.account } : {}),
          ...(options.at !== undefined ? { at: options.at } : {}),
          ...(options.channel !== undefined ? { channel: options.channel as Channel } : {}),
          ...(options.scope !== undefined ? { scope: options.scope as ScopeText } : {}),
          ...(options.source !== undefined ? { source: options.source } : {}),
        };
        // No CXone connection: recorded all the same, CXone's part pending (offline-consent.ts).
        const result = await recordRevocations(
          ctx,
          REVOKE_FLAGS,
          (client) => client.consent.revoke(params),
          (book, { revokeIn }) => revokeIn(book, params, undefined),
        );
        printRecorded(ctx, result, () => [
          `${result.added ? "recorded" : "already in the ledger"}: ${describeEntry(result.entry)}`,
        ]);
      }),
    );
  consent
    .command("import")
    .description(
      "record revocations from a file (columns phone and/or account, at, channel, scope?, source?); re-running adds nothing twice",
    )
    .requiredOption("--file <path>", ".csv (comma or semicolon) or .ndjson")
    .option("--scope <scope>", "scope of rows that name none (default tenant)")
    .option(
      "--batch-rows <n>",
      "rows committed together (1-100000, default 5000): a killed import keeps what it committed",
    )
    .action(
      withContext(async (ctx, options: { file: string; scope?: string; batchRows?: string }) => {
        const params = importParams(options);
        const flags = { file: "--file", scope: "--scope", batchRows: "--batch-rows" };
        const result = await recordRevocations(
          ctx,
          flags,
          (client) => client.consent.import(params),
          (book, { importIn }) => importIn(book, params, undefined),
        );
        printRecorded(ctx, result, () => [
          `${result.rows} row(s): ${result.added} new revocation(s) recorded, ${result.known} already in the ledger`,
          result.messages
            ? `messages: ${result.messages.recorded} revocation(s) by their words, ${result.messages.review} for a person's review (cxo consent review), ${result.messages.other} not revocations`
            : "",
        ]);
      }),
    );
  consent
    .command("report")
    .description(
      "each revocation with its legal deadline, when it was honoured, and every call made after it",
    )
    .option("--from <iso>", "revocations received from (default: 90 days ago)")
    .option("--to <iso>", "until (default: now)")
    .option(
      "--campaign <id...>",
      "check only these campaigns' calls (and the lists pushed to them); default: every campaign of the tenant and every list cxo pushed",
    )
    .action(
      withContext(async (ctx, options: { from?: string; to?: string; campaign?: string[] }) => {
        const report = await withSellerPeers(ctx, (consentPeers) =>
          ctx.withClient(
            (client) =>
              withFlagNames({ from: "--from", to: "--to", campaigns: "--campaign" }, () =>
                client.consent.report({
                  ...(options.from ? { from: options.from } : {}),
                  ...(options.to ? { to: options.to } : {}),
                  ...(options.campaign ? { campaigns: options.campaign } : {}),
                }),
              ),
            { ...(consentPeers ? { consentPeers } : {}) },
          ),
        );
        ctx.print(report, () => humanReport(report));
        if (reportFinds(report)) process.exitCode = 1;
      }),
    );
  registerHonour(consent);
}

/**
 * Any revocation honoured late, still overdue, called after, or not held by a tenant of the
 * seller (scope all) is a finding; so is a call CXone is yet to place to a revoked number (a
 * pending scheduled callback).
 */
function reportFinds(report: ConsentReport): boolean {
  const pending = report.scheduledCallbacks?.toRevoked.length ?? 0;
  return report.breached > 0 || report.overdue > 0 || report.late > 0 || report.incomplete > 0 || pending > 0;
}

/** `cxo consent honour`: what is pending goes to CXone, and the coverage is said (issue 77 §1). */
function registerHonour(consent: Command): void {
  consent
    .command("honour")
    .description(
      "send revocations still pending to the tenant's CXone DNC group (cxo serve does this on a schedule)",
    )
    .action(
      withContext(async (ctx) => {
        const { summary, coverage, callbacks } = await withSellerPeers(ctx, (consentPeers) =>
          ctx.withClient(
            async (client) => {
              // Revocations sent, and CXone's scheduled callbacks to revoked numbers deleted
              // (whether or not a group is named): the autopilot's honour, the same call.
              const { summary, callbacks } = await honourConsent(client);
              return { summary, coverage: await client.consent.coverage(), callbacks };
            },
            { ...(consentPeers ? { consentPeers } : {}) },
          ),
        );
        ctx.print(
          {
            ...(summary ?? { configured: false }),
            coverage,
            ...(callbacks ? { scheduledCallbacks: callbacks } : {}),
          },
          () =>
            [
              summary && !summary.noGroup
                ? (cxoneLine(summary) ?? "")
                : "no CXone DNC group is configured (consent.cxoneDncGroup): nothing to send",
              ...fanOutLines(summary),
              ...coverageLines(coverage),
              ...sweepLines(callbacks),
            ].join("\n"),
        );
        // A skill CXone would dial a revoked number on is a finding (issue 77 §1); so is a number
        // CXone refused to put in its group (pending, sent again by the next run), a skill's group
        // left unlinked, a scope-all revocation a tenant of the seller still lacks, and a callback
        // to a revoked number CXone would not delete (it stays pending: the next run tries again).
        const findings = [summary?.refused, summary?.unlinked, summary?.fanOuts?.waiting, callbacks?.failed];
        if (coverage.gaps.length > 0 || findings.some((list) => (list?.length ?? 0) > 0))
          process.exitCode = 1;
      }),
    );
}

/**
 * Revocations recorded through CXone where a connection is configured (the seller's other
 * tenants reached for scope `all`), else in this data dir's book alone, CXone's part pending
 * (offline-consent.ts); a refusal names the command's flags either way.
 */
async function recordRevocations<T>(
  ctx: CliContext,
  flags: Record<string, string>,
  online: (client: CxoneClient) => Promise<T>,
  offline: (
    book: ConsentBook,
    intake: typeof import("../../campaigns/compliance/revocation-intake.ts"),
  ) => Promise<T>,
): Promise<T> {
  if (!(await ctx.hasConnection()))
    return withOfflineBook(ctx, async (book) => {
      const intake = await import("../../campaigns/compliance/revocation-intake.ts");
      return withFlagNames(flags, () => offline(book, intake));
    });
  return withSellerPeers(ctx, (consentPeers) =>
    ctx.withClient((client) => withFlagNames(flags, () => online(client)), {
      ...(consentPeers ? { consentPeers } : {}),
    }),
  );
}

/**
 * Runs `fn` with, for a named tenant, the clients of the other configured tenants that share its
 * seller (`consent.seller`, default the tenant's own name), opened when a scope-`all` revocation
 * asks for them and closed afterwards: the SDK's fan-out (consent/every-tenant.ts) records it in
 * each. One tenant configured (no name): no peers, `all` is this tenant.
 */
async function withSellerPeers<T>(
  ctx: CliContext,
  fn: (peers: (() => Promise<readonly CxoneClient[]>) | undefined) => Promise<T>,
): Promise<T> {
  const own = await ctx.settings();
  if (own.tenant === undefined) return fn(undefined);
  const opened: Array<{ client: CxoneClient; close: () => Promise<void> }> = [];
  let peers: Promise<readonly CxoneClient[]> | undefined;
  const open = async () => {
    for (const name of await sellerPeerNames(ctx)) opened.push(await ctx.forTenant(name).openClient());
    return opened.map((o) => o.client);
  };
  try {
    return await fn(() => {
      peers ??= open();
      return peers;
    });
  } finally {
    for (const o of opened) await o.close();
  }
}

/** What honour did of the scope-`all` revocations an earlier run left half recorded. */
function fanOutLines(summary: HonourSummary | undefined): string[] {
  const fanOuts = summary?.fanOuts;
  if (!fanOuts) return [];
  return [
    ...(fanOuts.finished > 0
      ? [
          `scope all: ${fanOuts.finished} revocation fan-out(s) an earlier run left half done, now recorded in every tenant`,
        ]
      : []),
    ...fanOuts.waiting.map(
      (w) =>
        `scope all: NOT YET in ${w.missing.join(", ")} (journaled by ${w.tenant ?? "this tenant"}${w.error ? `: ${w.error}` : ""}); run cxo consent honour where those tenants are configured`,
    ),
  ];
}

/**
 * What revoke and import print: their own lines, then each tenant's, then CXone's part; a CXone
 * part delayed is noted as well.
 */
function printRecorded(
  ctx: CliContext,
  result: {
    tenants?: TenantOutcome[] | undefined;
    cxone?: HonourSummary | undefined;
    cxoneDelayed?: string | undefined;
  },
  own: () => string[],
): void {
  ctx.print(result, () =>
    [...own(), ...tenantLines(result.tenants), cxoneLine(result.cxone, result.cxoneDelayed)]
      .filter(Boolean)
      .join("\n"),
  );
  noteDelays(ctx, result.tenants ?? [{ tenant: undefined, cxoneDelayed: result.cxoneDelayed }]);
}

function tenantLines(tenants: TenantOutcome[] | undefined): string[] {
  if (!tenants) return [];
  return tenants.map(
    (t) =>
      `  ${t.tenant ?? "this tenant"}: ${t.holds ? `holds it (${t.added} new, ${t.known} already there)` : `NOT recorded: ${t.error}`}${cxoneLine(t.cxone, t.cxoneDelayed) ? `; ${cxoneLine(t.cxone, t.cxoneDelayed)}` : ""}`,
  );
}

/** A CXone group write that failed is said on stderr too: the local refusal holds, the group waits. */
function noteDelays(
  ctx: CliContext,
  tenants: ReadonlyArray<{ tenant: string | undefined; cxoneDelayed?: string | undefined }>,
): void {
  for (const t of tenants)
    if (t.cxoneDelayed)
      ctx.note(
        `${t.tenant ? `${t.tenant}: ` : ""}the CXone DNC group could not be written (${t.cxoneDelayed}); cxo refuses the number now, and cxo serve or \`cxo consent honour\` sends it to the group`,
      );
}

function describeEntry(e: ReportEntry): string {
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
function coverageLines(coverage: ConsentCoverage): string[] {
  if (!coverage.platform) return [];
  if (coverage.gaps.length === 0)
    return [
      `coverage: every skill cxo pushed to (${coverage.skills.join(", ") || "none yet"}) is scrubbed by the consent group`,
    ];
  return coverage.gaps.map((g) => `COVERAGE GAP: skill ${g.skill}: ${g.reason}`);
}

/** One line per callback: whose, when, on which skill, and why it matters. */
function callbackLine(c: RevokedCallback): string {
  return `scheduled callback ${c.callbackId} to ${c.phone}${c.skillId ? ` on skill ${c.skillId}` : ""} at ${c.callbackAt ?? "an unknown time"}: ${c.revocation}`;
}

/** What `consent honour` did with CXone's scheduled callbacks; every failure loud. */
function sweepLines(sweep: CallbackSweep | undefined): string[] {
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

function cxoneLine(summary: HonourSummary | undefined, delayed?: string): string | undefined {
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

function humanReport(report: ConsentReport): string {
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
function checkedLine(report: ConsentReport): string {
  const { checked } = report;
  const ids = (list: readonly string[]) =>
    list.length === 0
      ? "none"
      : list.length <= 20
        ? list.join(", ")
        : `${list.slice(0, 20).join(", ")} … (${list.length})`;
  const lists = `${checked.lists.length} pushed list(s)${checked.lists.length > 0 ? ` (${ids(checked.lists.map((l) => l.listId))})` : ""}`;
  const touches = `; ${checked.touches} imported touch(es) read`;
  if (checked.scope === "named")
    return `checked ONLY campaign(s) ${ids(checked.campaigns)} (--campaign) and the ${lists} of them: calls on other campaigns were not looked for${touches}`;
  const how =
    checked.listing === "tenant-wide" ? "one tenant-wide listing of calls; campaigns seen" : "campaigns";
  return `checked every campaign of the tenant (${how}: ${ids(checked.campaigns)}) and every list cxo pushed: ${lists}${touches}`;
}

/** `consent import`'s flags as the SDK's params (the SDK checks them, naming the field). */
function importParams(options: { file: string; scope?: string; batchRows?: string }) {
  return {
    file: options.file,
    ...(options.scope ? { scope: options.scope as ScopeText } : {}),
    ...(options.batchRows === undefined ? {} : { batchRows: Number(options.batchRows) }),
  };
}
