import type { Command } from "commander";
import type { ExportSummary } from "../../compliance/evidence/export/export.ts";
import type { PruneSummary } from "../../compliance/evidence/export/retention.ts";
import { type CliContext, withContext } from "../context.ts";
import { withFlagNames } from "../flag-names.ts";
/**
 * `cxo compliance evidence --export DIR FILE…` and `cxo compliance evidence prune --dir DIR
 * [--dry-run]` (issue 102 §2; docs/compliance.md, "Handing evidence over" and "How long evidence
 * is kept"). Export: exit 1 when a file does not verify (nothing written), 2 for bad input (a
 * directory that is not empty, no file). Prune: exit 0 (what it removed, or would, is listed).
 */
export async function exportCommand(ctx: CliContext, dir: string, files: readonly string[]): Promise<void> {
  const { packageVersion } = await import("../../core/package-version.ts");
  const tool = `cxo ${packageVersion()}`;
  const summary = await ctx.withClient(
    (client) =>
      withFlagNames({ dir: "--export", files: "FILE" }, () =>
        client.compliance.exportEvidence({ dir, files, tool }),
      ),
    { offline: true },
  );
  ctx.print(summary, () => humanExport(summary));
  if (!summary.ok) process.exitCode = 1;
}

function humanExport(s: ExportSummary): string {
  if (!s.ok)
    return [
      `NOT EXPORTED: ${s.refused.length} file(s) do not verify; nothing was written to ${s.dir}`,
      ...s.refused.flatMap((r) => [
        `  - ${r.file}${r.unverifiable ? " (unverifiable: no manifest)" : ""}`,
        ...r.differences
          .slice(0, 5)
          .map(
            (d) =>
              `      record ${d.record}${d.id === null ? "" : ` (id ${d.id})`}: ${d.field}${d.note ? `: ${d.note}` : ""}`,
          ),
      ]),
    ].join("\n");
  return [
    `exported ${s.files.length} verified file(s) to ${s.dir}:`,
    ...s.files.map((f) => `  ${f.name}: ${f.records} record(s), SHA-256 ${f.sha256}`),
    `  manifest.json (SHA-256 ${s.manifestSha256})`,
    `  certification.txt and certification.pdf: for the records custodian to read, fill in and sign`,
  ].join("\n");
}

export function registerPruneCommand(evidence: Command): void {
  evidence
    .command("prune")
    .description(
      "remove the evidence files of a directory the retention rule no longer keeps (debts: 3 years after their last activity; other calls: 5 years); --dry-run lists them",
    )
    .option("--dir <dir>", "the directory of evidence files (the autopilot's reportDir)")
    .option("--dry-run", "list what would be removed, remove nothing")
    .action(
      withContext(async (ctx, flags: { dir?: string; dryRun?: boolean }) => {
        const params = { dir: flags.dir ?? "", dryRun: flags.dryRun === true };
        const summary = await ctx.withClient(
          (client) => withFlagNames({ dir: "--dir" }, () => client.compliance.pruneEvidence(params)),
          { offline: true },
        );
        ctx.print(summary, () => humanPrune(summary));
      }),
    );
}

function humanPrune(s: PruneSummary): string {
  const gone = s.files.filter((f) => f.action !== "kept");
  const lines = [
    s.dryRun
      ? `dry run: ${gone.length} of ${s.files.length} evidence file(s) in ${s.dir} would be removed (nothing removed)`
      : `${s.removed} of ${s.files.length} evidence file(s) in ${s.dir} removed`,
  ];
  for (const f of s.files)
    lines.push(
      `  ${f.action === "kept" ? "keep  " : s.dryRun ? "remove" : "removed"} ${f.file} (${f.records} record(s)): ${f.keepUntil === null ? "" : `kept until ${f.keepUntil}: `}${f.why}`,
    );
  return lines.join("\n");
}
