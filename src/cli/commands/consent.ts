import type { Command } from "commander";
import type { CxoneClient } from "../../client.ts";
import type { ConsentReport } from "../../compliance/revocation-report.ts";
import type { TenantOutcome } from "../../consent/every-tenant.ts";
import type { HonourSummary } from "../../consent/honour.ts";
import type { Channel } from "../../consent/revocation.ts";
import type { ScopeText } from "../../consent/scope.ts";
import { honourConsent } from "../../sdk/honour.ts";
import { type CliContext, withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";
import { sellerPeerNames } from "../seller-tenants.ts";
import { registerConsentGrantCommand } from "./consent-grant.ts";
import {
  accountNoticeLines,
  coverageLines,
  cxoneLine,
  describeEntry,
  fanOutLines,
  humanReport,
  importNoticeLines,
  sweepLines,
  tenantLines,
} from "./consent-output.ts";
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
    .option("--phone <e164>", "the number, E.164 (+1NXXNXXXXXX, or a UK +44…); optional with --account")
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
        // No CXone connection: recorded all the same, CXone's part pending (the local client's book).
        const result = await recordRevocations(ctx, REVOKE_FLAGS, (client) => client.consent.revoke(params));
        printRecorded(ctx, result, () => [
          `${result.added ? "recorded" : "already in the ledger"}: ${describeEntry(result.entry)}`,
          ...accountNoticeLines(result.accountNotices),
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
        const result = await recordRevocations(ctx, flags, (client) => client.consent.import(params));
        printRecorded(ctx, result, () => [
          `${result.rows} row(s): ${result.added} new revocation(s) recorded, ${result.known} already in the ledger`,
          result.messages
            ? `messages: ${result.messages.recorded} revocation(s) by their words, ${result.messages.review} for a person's review (cxo consent review), ${result.messages.other} not revocations`
            : "",
          ...importNoticeLines(result.accountNotices),
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
        const params = {
          ...(options.from ? { from: options.from } : {}),
          ...(options.to ? { to: options.to } : {}),
          ...(options.campaign ? { campaigns: options.campaign } : {}),
        };
        // The ledger is the store's: read without a connection, CXone's calls said not read (issue 100).
        const report = await withSellerPeers(ctx, (consentPeers) =>
          ctx.withClient(
            (client) =>
              withFlagNames({ from: "--from", to: "--to", campaigns: "--campaign" }, () =>
                client.consent.report(params),
              ),
            { local: true, ...(consentPeers ? { consentPeers } : {}) },
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
              const { summary, callbacks } = await honourConsent(client.consent);
              // Without a connection nothing was sent, so there is no coverage to ask CXone for.
              if (summary?.notSent) return { summary, coverage: undefined, callbacks };
              return { summary, coverage: await client.consent.coverage(), callbacks };
            },
            { local: true, ...(consentPeers ? { consentPeers } : {}) },
          ),
        );
        // Without a connection: the local part done, what waits for CXone said, exit 1 (issue 100).
        if (summary?.notSent || !coverage) return printNotSent(ctx, summary);
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
 * `consent honour` on a client without a connection: the local part done (the seller's units
 * given the scope-`all` revocations another holds, the fan-outs a killed run left finished),
 * what waits for CXone and the missing setting said, exit 1: nothing could be sent.
 */
function printNotSent(ctx: CliContext, summary: HonourSummary | undefined): void {
  const notSent = summary?.notSent;
  if (!summary || !notSent) throw new Error("unreachable: honour without coverage sent something");
  const fanOuts = summary.fanOuts ?? { finished: 0, waiting: [] };
  const answer = { connection: false, missing: notSent.missing, sent: 0, fanOuts, waiting: notSent.waiting };
  const { pending, noGroup } = notSent.waiting;
  ctx.print(answer, () =>
    [
      `NOT SENT to CXone: no CXone connection is configured (${notSent.missing.message})`,
      `waiting for CXone's DNC group: ${pending} revocation entr(ies) pending${noGroup > 0 ? `, ${noGroup} recorded while no group was named (consent.cxoneDncGroup)` : ""}; cxo refuses every one of them now, and the first consent honour (or cxo serve) with a connection sends them`,
      ...fanOutLines({ sent: 0, alreadyInGroup: 0, entries: 0, fanOuts }),
    ].join("\n"),
  );
  ctx.note(`consent honour: nothing sent to CXone: ${notSent.missing.message}`);
  process.exitCode = 1;
}

/**
 * Revocations recorded by the tenant's client (the seller's other tenants reached for scope
 * `all`): through CXone where a connection is configured, else in the data dir's ledger alone,
 * CXone's part pending; a refusal names the command's flags either way.
 */
async function recordRevocations<T>(
  ctx: CliContext,
  flags: Record<string, string>,
  record: (client: CxoneClient) => Promise<T>,
): Promise<T> {
  return withSellerPeers(ctx, (consentPeers) =>
    ctx.withClient((client) => withFlagNames(flags, () => record(client)), {
      local: true,
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
    for (const name of await sellerPeerNames(ctx))
      opened.push(await ctx.forTenant(name).openClient({ local: true }));
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

/** `consent import`'s flags as the SDK's params (the SDK checks them, naming the field). */
function importParams(options: { file: string; scope?: string; batchRows?: string }) {
  return {
    file: options.file,
    ...(options.scope ? { scope: options.scope as ScopeText } : {}),
    ...(options.batchRows === undefined ? {} : { batchRows: Number(options.batchRows) }),
  };
}
