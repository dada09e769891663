import type { Command } from "commander";
import type { CxoneClient } from "../../client.ts";
import type { CxoneDncFreshness } from "../../compliance/cxone-dnc-freshness.ts";
import { readDncFile } from "../../compliance/dnc.ts";
import { describeRegistries } from "../../compliance/registry/lookup.ts";
import type { Verdict } from "../../compliance/verdict.ts";
import { useProcessClockZones } from "../../compliance/zone-clock.ts";
import type { DispositionsFreshness } from "../../consent/cxone-dispositions.ts";
import type { Settings } from "../../core/config/schema.ts";
import { campaignIdProblem } from "../../core/ids.ts";
import { InputError } from "../../core/input-error.ts";
import { definedFields } from "../../core/params.ts";
import { type CheckFlags, parseCheckFlags, verdictInFlags } from "../compliance-flags.ts";
import { type CliContext, withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";
import { cxoneDncLine, registerDncSyncCommand } from "./compliance-cxone-dnc.ts";
import { registerEvidenceCommand } from "./compliance-evidence.ts";
import { registerRegistryImport } from "./compliance-registry.ts";
import { registerRndCommands } from "./compliance-rnd.ts";
import { registerRulesCommand } from "./compliance-rules.ts";

/**
 * `cxo compliance check` (may this number be called at this instant, and if not, why and
 * when) and `cxo compliance dnc add|remove|list` (the internal do-not-call list).
 *
 * Exit codes: `check` is a QUERY, so a call that is not allowed is still exit 0 (the verdict
 * is the answer; scripts read `allowed`); 2 for bad input; 1 if the store cannot be read.
 */
interface CheckOptions extends CheckFlags {
  campaign?: string;
  dnc?: string;
}

export function registerComplianceCommands(program: Command): void {
  const group = program
    .command("compliance")
    .description(
      "calling-rules engine (TCPA + stricter state rules, called party's local time) and the internal DNC list",
    );
  registerCheckCommand(group);
  const dnc = group
    .command("dnc")
    .description(
      "the internal do-not-call list kept in the local store (changes are audited), the imported National/state registry copies, and the copy of the tenant's CXone DNC groups (production)",
    );
  registerRegistryImport(dnc);
  registerDncRegistriesCommand(dnc);
  registerDncAddCommand(dnc);
  registerDncRemoveCommand(dnc);
  registerDncListCommand(dnc);
  registerDncSyncCommand(dnc);
  registerRndCommands(group);
  registerEvidenceCommand(group);
  registerRulesCommand(group);
}

/** `cxo compliance check`: one number at one instant, judged against the stored DNC list and the registries. */
function registerCheckCommand(group: Command): void {
  group
    .command("check")
    .description(
      "is a call to this number allowed at this instant? every reason, the candidate zones and states, and the next allowed instant",
    )
    .option("--phone <e164>", "the number to call, +1NXXNXXXXXX (or a UK one, +44…)")
    .option("--at <iso>", "the instant, ISO-8601 with an offset or Z (default: now)")
    .option("--state <XX>", "the contact's address state (adds its rules and zones)")
    .option("--zone <iana>", "the contact's declared IANA time zone (adds a candidate zone)")
    .option("--consent <yes|no>", "consentFlags.outbound.call; absent = not recorded = not allowed")
    .option(
      "--campaign-caps <caps>",
      "the campaign's per-contact caps, e.g. day=1,week=3 (rolling 24 h / 7 days)",
    )
    .option("--campaign <id>", "count the campaign caps over this campaign's recorded attempts only")
    .option("--dnc <file>", "an internal DNC file (one E.164 per line, # comments), besides the stored list")
    .option(
      "--kind <sales|collections>",
      "the campaign's kind (absent: not declared, every kind's rows apply)",
    )
    .option("--account <id>", "the account (debt) the touch is about: account caps count its touches")
    .option("--channel <channel>", "the touch: call (default), sms, email, callback, voicemail")
    .option("--zip <zip>", "the consumer's address ZIP code (New York City's rules follow it)")
    .option(
      "--last-transaction <iso>",
      "the consumer's last transaction with the seller (Oregon's exemption)",
    )
    .option(
      "--number-type <personal|other>",
      "the consumer's own number (default) or another (Massachusetts)",
    )
    .option(
      "--voice <live|prerecorded|ai>",
      "the voice the call uses (default live): prerecorded and AI need prior express consent",
    )
    .option(
      "--written-consent <yes|no>",
      "the consent on record is written (telemarketing with an artificial voice needs it)",
    )
    .option("--ai-disclosed <yes|no>", "the consent was given with the AI voice disclosed")
    .option("--announcement <live>", "the call is introduced by a live person (California)")
    .option("--discloses <ai>", "the introduction says the voice is artificial (California, 2025)")
    .option(
      "--purpose <emergency|revocation-confirmation>",
      "emergency: exempt from the artificial-voice consent rows; revocation-confirmation: the one text confirming a revocation by text (within 5 minutes)",
    )
    .action(
      withContext(async (ctx, options: CheckOptions) => {
        // One number, then exit: local times without Intl's start-up cost (zone-clock.ts).
        useProcessClockZones();
        const request = parseCheckFlags(options);
        const campaign = campaignIdProblem(options.campaign, "--campaign");
        if (campaign) throw new InputError(campaign);
        const fileDnc = options.dnc ? await readDncFile(options.dnc, "--dnc") : new Set<string>();
        const settings = await ctx.settings();
        const verdict = await ctx.withClient(
          (client) =>
            client.compliance.check({
              phone: request.number.e164,
              at: request.atMs,
              ...definedFields({
                zone: request.zone,
                state: request.state,
                consent: request.consent,
                campaignCaps: request.campaignCaps,
                campaignId: options.campaign,
                kind: request.kind,
                account: request.account,
                channel: request.channel,
                zip: request.zip,
                lastTransactionAt: request.lastTransactionMs,
                numberType: request.numberType,
              }),
              ...voiceParams(options),
              dnc: fileDnc,
            }),
          { local: !namesCxone(settings) },
        );
        const shown = verdictInFlags(verdict);
        ctx.print(shown, () => humanVerdict(shown));
      }),
    );
}

/**
 * The settings name a CXone (the production platform, or a seed API's URL): the check is then
 * the connected client's, and a connection missing a credential is exit 2 naming it, never a
 * quiet judgement without the CXone DNC groups and agents' do-not-call dispositions.
 */
function namesCxone(settings: Settings): boolean {
  return settings.cxone.platform === "cxone" || settings.cxone.baseUrl !== undefined;
}

/** `cxo compliance dnc registries`. */
function registerDncRegistriesCommand(dnc: Command): void {
  dnc
    .command("registries")
    .description("the imported Do Not Call registry copies: date, numbers, area codes")
    .action(
      withContext(async (ctx) => {
        const registries = describeRegistries((await ctx.settings()).dataDir);
        ctx.print(
          {
            registries: registries.map(({ areaCodes, ...r }) => ({
              ...r,
              areaCodes: Object.keys(areaCodes).length,
            })),
          },
          () =>
            registries.length === 0
              ? "no registry imported (cxo compliance dnc import --registry national FILE…)"
              : registries
                  .map(
                    (r) =>
                      `${r.registry}: ${r.numbers} numbers in ${Object.keys(r.areaCodes).length} area codes, dated ${r.asOf} (imported ${r.importedAt})`,
                  )
                  .join("\n"),
        );
      }),
    );
}

/** `cxo compliance dnc add` (audited): the client's `compliance.addToDnc`. */
function registerDncAddCommand(dnc: Command): void {
  dnc
    .command("add")
    .argument("<phones...>", "E.164 numbers")
    .option("--reason <text>", "why (e.g. 'asked on call 2026-03-02')")
    .description("add numbers to the internal DNC list")
    .action(
      withContext(async (ctx, phones: string[], options: { reason?: string }) => {
        // Each number keeps what added it: this command, not the SDK's default.
        const params = {
          phones,
          source: "cli",
          ...(options.reason === undefined ? {} : { reason: options.reason }),
        };
        const result = await withDncClient(ctx, (client) => client.compliance.addToDnc(params));
        ctx.print(
          result,
          `added ${result.added.length} of ${result.added.length + result.alreadyListed.length} number(s)`,
        );
      }),
    );
}

/** `cxo compliance dnc remove` (audited): the client's `compliance.removeFromDnc`. */
function registerDncRemoveCommand(dnc: Command): void {
  dnc
    .command("remove")
    .argument("<phones...>", "E.164 numbers")
    .description("remove numbers from the internal DNC list")
    .action(
      withContext(async (ctx, phones: string[]) => {
        const result = await withDncClient(ctx, (client) => client.compliance.removeFromDnc({ phones }));
        ctx.print(
          result,
          `removed ${result.removed.length} of ${result.removed.length + result.notListed.length} number(s)`,
        );
      }),
    );
}

/** `cxo compliance dnc list`: the client's `compliance.listDnc`. */
function registerDncListCommand(dnc: Command): void {
  dnc
    .command("list")
    .description("the numbers on the internal DNC list")
    .action(
      withContext(async (ctx) => {
        const { count, numbers } = await withDncClient(ctx, (client) => client.compliance.listDnc());
        ctx.print({ count, numbers }, () =>
          numbers.length === 0
            ? "the internal DNC list is empty"
            : numbers
                .map((e) => `${e.phone}  added ${e.addedAt}${e.reason ? `  (${e.reason})` : ""}`)
                .join("\n"),
        );
      }),
    );
}

/**
 * The internal list is the data dir's alone (nothing sent, the person audited, as before): an
 * offline client, whose InputErrors name `--reason` and each number by its place among the
 * arguments (`phone 2` for the SDK's `phones[1]`).
 */
function withDncClient<T>(ctx: CliContext, fn: (client: CxoneClient) => Promise<T>): Promise<T> {
  return ctx.withClient(
    (client) =>
      withFlagNames({ reason: "--reason" }, () =>
        fn(client).catch((error: unknown) => {
          throw error instanceof InputError ? phoneArgumentNames(error) : error;
        }),
      ),
    { offline: true },
  );
}

function phoneArgumentNames(error: InputError): InputError {
  const problems = error.problems.map((problem) => {
    const index = /^phones\[(\d+)\]$/.exec(problem.field)?.[1];
    return index === undefined ? problem : { ...problem, field: `phone ${Number(index) + 1}` };
  });
  return Object.assign(new InputError(problems), { stack: error.stack });
}

function humanVerdict(
  v: Verdict & { cxoneDnc: CxoneDncFreshness | null; dispositions: DispositionsFreshness | null },
): string {
  const lines = [
    `${v.phone} at ${v.at}: ${v.allowed ? "ALLOWED" : "NOT ALLOWED"}`,
    `  zones: ${v.zoneSources.map((z) => `${z.zone} (${z.source})`).join(", ") || "none known"}${v.zoneDerivation === "zip" ? " — the ZIP decided" : ""}`,
    `  jurisdictions: ${v.jurisdictions.join(", ") || "none known"}`,
  ];
  for (const r of v.reasons)
    lines.push(
      `  - ${r.code}: ${r.message} [${r.jurisdiction}${r.zone ? `, ${r.zone}` : ""}; ${r.citation}${r.confidence ? `; ${r.confidence}` : ""}]`,
    );
  for (const r of v.registries)
    lines.push(`  registry ${r.registry} (${r.asOf}): ${r.listed ? "LISTED" : "not listed"}`);
  for (const c of v.caps ?? [])
    lines.push(
      `  cap ${c.ruleId}: ${c.counted} of at most ${c.max} ${c.counts.replaceAll("_", " ")} per ${c.per.replaceAll("_", " ")} in ${c.window.hours} h${c.exempt ? ` (exempt: ${c.exempt})` : ""}`,
    );
  lines.push(`  ${cxoneDncLine(v.cxoneDnc)}`);
  lines.push(`  ${dispositionsLine(v.dispositions)}`);
  if (!v.allowed)
    lines.push(
      `  next allowed: ${v.nextAllowedAt ?? "none (a reason that time does not remove, or none within 21 days)"}`,
    );
  return lines.join("\n");
}

/** What the check knew of agents' "Do Not Call" in CXone (issue 77 §3). */
function dispositionsLine(d: DispositionsFreshness | null): string {
  if (d === null)
    return "agents' do-not-call dispositions in CXone: not read (no CXone connection configured)";
  return d.source === "read"
    ? `agents' do-not-call dispositions in CXone: read just now (${d.recorded} new revocation(s))`
    : `agents' do-not-call dispositions in CXone: last read ${d.readAt} (within ${d.maxAgeMinutes} min)`;
}

/** The voice flags as the SDK's check takes them (already checked by parseCheckFlags). */
function voiceParams(options: CheckOptions) {
  return {
    ...(options.voice === undefined ? {} : { voice: options.voice as "live" | "prerecorded" | "ai" }),
    ...(options.writtenConsent === undefined ? {} : { writtenConsent: options.writtenConsent === "yes" }),
    ...(options.aiDisclosed === undefined ? {} : { aiDisclosed: options.aiDisclosed === "yes" }),
    ...(options.announcement === undefined ? {} : { announcement: "live" as const }),
    ...(options.discloses === undefined ? {} : { discloses: "ai" as const }),
    ...(options.purpose === undefined
      ? {}
      : { purpose: options.purpose as "emergency" | "revocation-confirmation" }),
  };
}
