import type { Command } from "commander";
import type { EvidenceSummary } from "../../compliance/evidence/make.ts";
import type { EvidenceParams } from "../../compliance/evidence/request.ts";
import type { EvidenceVerification } from "../../compliance/evidence/verify.ts";
import { InputError, type InputProblem } from "../../core/input-error.ts";
import { definedFields } from "../../core/params.ts";
import { type CliContext, withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";
import { exportCommand, registerPruneCommand } from "./compliance-evidence-export.ts";

/**
 * `cxo compliance evidence (--list ID | --campaign C --from ISO --to ISO | --file OUTCOMES) --out
 * FILE` and `cxo compliance evidence --verify FILE` (issue 92 §1; docs/compliance.md, "Evidence
 * for every attempt"). An AUDIT, not a query: exit 1 when any attempt was not allowed (or, with
 * --verify, when any record differs), 2 for bad input (nothing read, nothing sent).
 */
interface EvidenceFlags {
  list?: string;
  campaign?: string;
  from?: string;
  to?: string;
  file?: string;
  out?: string;
  verify?: string;
  export?: string;
  consent?: string;
  force?: boolean;
}

const FLAGS = {
  file: "--file",
  campaignId: "--campaign",
  listId: "--list",
  from: "--from",
  to: "--to",
  out: "--out",
  consent: "--consent",
  force: "--force",
};

export function registerEvidenceCommand(group: Command): void {
  const evidence = group
    .command("evidence")
    .description(
      "one replayable evidence record per attempt CXone made (rows, zones, counters, consent, RND, DNC lists, verdict), not allowed first; --verify recomputes a file",
    )
    .option("--list <id>", "the attempts: a calling list's dials (production platform)")
    .option("--campaign <id>", "the attempts: a campaign's completed contacts between --from and --to")
    .option("--from <iso>", "with --campaign: the first instant (ISO 8601 with an offset)")
    .option("--to <iso>", "with --campaign: the instant after the last (ISO 8601 with an offset)")
    .option(
      "--file <outcomes>",
      "the attempts: an outcomes file (NDJSON, CSV or Parquet, as `outcomes export` writes)",
    )
    .option("--out <file>", "the evidence file: Parquet when it ends in .parquet, else NDJSON")
    .option(
      "--consent <yes|no>",
      "every attempt with no grant in the consent ledger was made with consent (basis: declared)",
    )
    .option("--force", "replace an existing --out that is not an evidence file")
    .option(
      "--verify <file>",
      "check an evidence file: each record's digest, its verdict recomputed from its inputs, its chain and manifest",
    )
    .option(
      "--export <dir>",
      "hand evidence files over: verify each FILE, copy it into DIR (new or empty) with manifest.json (SHA-256 of each) and a certification page (text and PDF) to sign",
    )
    .argument("[files...]", "with --export: the evidence files to export")
    .action(
      withContext(async (ctx, files: string[], flags: EvidenceFlags) => {
        if (flags.export !== undefined) return exportOf(ctx, flags, files);
        if (files.length > 0)
          throw new InputError({ field: "FILE", rule: `${files[0]}: files are given with --export only` });
        if (flags.verify !== undefined) return verify(ctx, flags);
        const params = paramsOf(flags);
        // One path: a file is judged locally (no connection needed); a campaign's contacts and a
        // list's dials are read from CXone (without a connection: exit 2 naming the setting).
        const summary = await withFlagNames(FLAGS, () =>
          ctx.withClient((client) => client.compliance.evidence(params), { local: true }),
        );
        ctx.print(summary, () => humanSummary(summary));
        if (summary.notAllowed > 0) process.exitCode = 1;
      }),
    );
  registerPruneCommand(evidence);
}

async function exportOf(ctx: CliContext, flags: EvidenceFlags, files: readonly string[]): Promise<void> {
  const problems: InputProblem[] = [];
  for (const [name, flag] of FLAG_LIST)
    if (flags[name] !== undefined) problems.push({ field: flag, rule: "does not go with --export" });
  if (flags.verify !== undefined) problems.push({ field: "--verify", rule: "does not go with --export" });
  if (problems.length > 0) throw new InputError(problems);
  await exportCommand(ctx, flags.export as string, files);
}

const FLAG_LIST = [
  ["list", "--list"],
  ["campaign", "--campaign"],
  ["from", "--from"],
  ["to", "--to"],
  ["file", "--file"],
  ["out", "--out"],
  ["consent", "--consent"],
  ["force", "--force"],
] as const;

function paramsOf(flags: EvidenceFlags): EvidenceParams {
  if (flags.consent !== undefined && flags.consent !== "yes" && flags.consent !== "no")
    throw new InputError({ field: "--consent", rule: "must be yes or no" });
  return definedFields({
    file: flags.file,
    campaignId: flags.campaign,
    listId: flags.list,
    from: flags.from,
    to: flags.to,
    out: flags.out,
    consent: flags.consent === undefined ? undefined : flags.consent === "yes",
    force: flags.force ? true : undefined,
  });
}

async function verify(ctx: CliContext, flags: EvidenceFlags): Promise<void> {
  const problems: InputProblem[] = [];
  for (const [name, flag] of FLAG_LIST)
    if (flags[name] !== undefined) problems.push({ field: flag, rule: "does not go with --verify" });
  if (problems.length > 0) throw new InputError(problems);
  const file = flags.verify as string;
  const result = await ctx.withClient(
    (client) => withFlagNames({ file: "--verify" }, () => client.compliance.verifyEvidence(file)),
    { offline: true },
  );
  ctx.print(result, () => humanVerification(result));
  if (!result.ok) process.exitCode = 1;
}

function humanSummary(s: EvidenceSummary): string {
  const lines = [
    `${s.notAllowed > 0 ? "NOT ALLOWED" : "ok"}: ${s.records} attempt(s) written to ${s.out} (${s.format}): ${s.notAllowed} not allowed (listed first), ${s.allowed} allowed; rule book ${s.ruleBook}`,
  ];
  if (s.manifest)
    lines.push(
      `  chained, ending in its manifest: root ${s.manifest.root} (run ${s.manifest.run}, kept in this data dir)`,
    );
  const reasons = Object.entries(s.reasons).sort((a, b) => b[1] - a[1]);
  if (reasons.length > 0)
    lines.push(`  not allowed by reason: ${reasons.map(([code, n]) => `${code} ${n}`).join(", ")}`);
  for (const a of s.firstNotAllowed)
    lines.push(`  - ${a.id}: ${a.phone} at ${a.at}: ${a.reasons.join(", ")}`);
  if (s.notAllowed > s.firstNotAllowed.length)
    lines.push(`  … and ${s.notAllowed - s.firstNotAllowed.length} more (the file lists them all, first)`);
  if (s.skipped > 0) {
    lines.push(`  ${s.skipped} record(s) could not be judged and have no evidence record:`);
    for (const k of s.skippedSample) lines.push(`    - ${k.id}: ${k.why}`);
  }
  return lines.join("\n");
}

function humanVerification(v: EvidenceVerification): string {
  const head = v.ok
    ? `ok: ${v.records} record(s) of ${v.file} verified: each hashes to its digest, its verdict recomputes from its inputs, the chain is whole and the manifest matches (root ${v.chain.root})`
    : v.unverifiable
      ? `UNVERIFIABLE: ${v.file} has no manifest: nothing shows that no record was removed (${v.differenceCount} difference(s))`
      : `DIFFERENT: ${v.records - v.verified} of ${v.records} record(s) of ${v.file} (${v.differenceCount} difference(s))`;
  const lines = [head];
  if (v.chain.kept === "not-kept")
    lines.push("  (this data dir did not write the file: its manifest is checked against the records alone)");
  for (const book of v.ruleBooks)
    if (book.version !== v.currentRuleBook)
      lines.push(
        `  rule book ${book.version} (${book.records} record(s)): replayed with ${book.replayedWith === "kept" ? "the book kept in this data dir" : book.replayedWith === "not-replayed" ? "nothing: not kept here, and rows changed" : "today's book (its rows that applied are unchanged)"}${book.changedRows.length > 0 ? `; rows changed since: ${book.changedRows.join(", ")}` : ""}`,
      );
  for (const d of v.differences.slice(0, 50))
    lines.push(
      `  - record ${d.record}${d.id === null ? "" : ` (id ${d.id})`}: ${d.field}: ${d.note ?? `recorded ${JSON.stringify(d.recorded)}, recomputed from its inputs ${JSON.stringify(d.recomputed)}`}`,
    );
  if (v.differenceCount > 50)
    lines.push(`  … and ${v.differenceCount - 50} more (--json lists the first 1,000)`);
  return lines.join("\n");
}
