import { createHash } from "node:crypto";
import { createReadStream, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { InputError, type InputProblem } from "../../../core/input-error.ts";
import { createSafeWriteStream, type FileKind, writeFileSafely } from "../../../core/safe-write.ts";
import type { Store } from "../../../core/store/index.ts";
import type { ComplianceEngine } from "../../engine.ts";
import { fileSha256 } from "../manifest-of.ts";
import { type EvidenceVerification, verifyEvidence } from "../verify.ts";
import { type CertifiedFile, certificationLines, signatureBlockLines } from "./certification.ts";
import { textPdf } from "./text-pdf.ts";

/**
 * `cxo compliance evidence --export DIR FILE…` (issue 102 §2): the evidence files a records
 * custodian hands over, each verified first (a file that does not verify is named and nothing is
 * written: exit 1), copied into DIR (new or empty: anything else is refused, exit 2, before a
 * file is read) with `manifest.json` (each file's name, size, SHA-256, record count, instants and
 * chain root) and the certification page to sign, as text and PDF (certification.ts).
 */
export interface ExportRequest {
  dir: string;
  files: readonly string[];
}

export interface ExportSummary {
  ok: boolean;
  dir: string;
  files: CertifiedFile[];
  /** Files that did not verify (nothing was written): each with its first differences. */
  refused: Array<{ file: string; unverifiable: boolean; differences: EvidenceVerification["differences"] }>;
  manifest: string | null;
  manifestSha256: string | null;
  certification: { text: string; pdf: string } | null;
}

export const EXPORT_FORMAT = "cxo-evidence-export/1";

function checkRequest(request: ExportRequest): void {
  const problems: InputProblem[] = [];
  let entries: string[] | undefined;
  try {
    const stats = statSync(request.dir);
    entries = stats.isDirectory() ? readdirSync(request.dir) : undefined;
    if (!stats.isDirectory()) problems.push({ field: "dir", rule: `${request.dir} is not a directory` });
  } catch {
    // A new directory: made once everything verified.
  }
  if (entries !== undefined && entries.length > 0)
    problems.push({
      field: "dir",
      rule: `${request.dir} is not empty: an export is written into a new or empty directory, so that it holds the exported files alone`,
    });
  if (request.files.length === 0)
    problems.push({ field: "files", rule: "name the evidence files to export (one or more)" });
  const names = new Set<string>();
  for (const file of request.files) {
    let isFile = false;
    try {
      isFile = statSync(file).isFile();
    } catch {}
    if (!isFile) problems.push({ field: "files", rule: `${file} is not a readable evidence file` });
    const name = path.basename(file);
    if (names.has(name))
      problems.push({ field: "files", rule: `two files are named ${name}: export them apart` });
    names.add(name);
  }
  if (problems.length > 0) throw new InputError(problems);
}

export async function exportEvidence(
  engine: ComplianceEngine,
  store: Store,
  request: ExportRequest,
  context: { actor: string; tool: string; nowMs: number; signal?: AbortSignal | undefined },
): Promise<ExportSummary> {
  checkRequest(request);
  const summary: ExportSummary = {
    ok: true,
    dir: request.dir,
    files: [],
    refused: [],
    manifest: null,
    manifestSha256: null,
    certification: null,
  };
  for (const file of request.files) {
    const verified = await verifyEvidence(
      engine,
      store,
      file,
      context.signal ? { signal: context.signal } : {},
    );
    const manifest = verified.chain.manifest;
    if (!verified.ok || !manifest) {
      summary.refused.push({
        file,
        unverifiable: verified.unverifiable,
        differences: verified.differences.slice(0, 20),
      });
      continue;
    }
    summary.files.push({
      name: path.basename(file),
      bytes: statSync(file).size,
      sha256: (await fileSha256(file)) as string,
      records: manifest.records,
      notAllowed: manifest.notAllowed,
      first: manifest.first,
      last: manifest.last,
      root: manifest.root,
      run: manifest.run,
    });
  }
  if (summary.refused.length > 0) {
    summary.ok = false;
    summary.files = [];
    return summary;
  }
  mkdirSync(request.dir, { recursive: true, mode: 0o700 });
  for (const [i, file] of request.files.entries()) {
    const target = path.join(request.dir, (summary.files[i] as CertifiedFile).name);
    await pipeline(createReadStream(file), createSafeWriteStream(target, written("evidence file")));
    // The copy is what is certified: its hash is the one listed.
    const copied = await fileSha256(target);
    if (copied !== (summary.files[i] as CertifiedFile).sha256)
      throw new Error(`evidence export: ${file} changed while it was copied; export again`);
  }
  const exportedAt = new Date(context.nowMs).toISOString();
  const manifestText = `${JSON.stringify(
    {
      format: EXPORT_FORMAT,
      exportedAt,
      exportedBy: context.actor,
      tool: context.tool,
      files: summary.files,
    },
    null,
    2,
  )}\n`;
  const manifestFile = path.join(request.dir, "manifest.json");
  writeFileSafely(manifestFile, manifestText, written("export manifest"));
  const manifestSha256 = `sha256:${createHash("sha256").update(manifestText).digest("hex")}`;
  const lines = certificationLines({
    exportedAt,
    exportedBy: context.actor,
    tool: context.tool,
    manifestSha256,
    files: summary.files,
  });
  const text = path.join(request.dir, "certification.txt");
  const pdf = path.join(request.dir, "certification.pdf");
  writeFileSafely(text, `${lines.join("\n")}\n`, written("certification page"));
  const page = textPdf(lines, "Certification of electronic records", {
    foot: `manifest.json ${manifestSha256}`,
    keepLast: signatureBlockLines(lines),
  });
  writeFileSafely(pdf, page, written("certification page"));
  summary.manifest = manifestFile;
  summary.manifestSha256 = manifestSha256;
  summary.certification = { text, pdf };
  return summary;
}

/**
 * The export's files go through the one safe writer (temp file and rename, never through a
 * link); the directory is new or empty (checked first), so nothing is there to recognise.
 */
function written(name: string): { field: string; kind: FileKind } {
  return { field: "dir", kind: { name, recognise: () => false } };
}
