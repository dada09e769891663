import { statSync } from "node:fs";
import { campaignIdProblem } from "../../core/ids.ts";
import { InputError, type InputProblem } from "../../core/input-error.ts";
import { type InstantInput, instantInputMs } from "../../core/instant-input.ts";
import type { EvidenceFrom } from "./make.ts";

/**
 * What a caller asks of `compliance.evidence`, checked before anything is read or sent (every
 * problem named by its SDK field; the CLI renames them to its flags): exactly one source — an
 * outcomes `file`, a `campaignId` with the instants `from` and `to` (ISO 8601 with an offset,
 * `from` before `to`), or a `listId` — and the `out` file.
 */
export interface EvidenceParams {
  /** An outcomes file in any format `cxo outcomes export` writes (NDJSON, CSV, Parquet). */
  file?: string;
  /** A campaign (skill) whose completed contacts in [`from`, `to`) are the attempts. */
  campaignId?: string;
  /**
   * The window's start with `campaignId` (inclusive): ISO 8601 with an offset or Z or a Date
   * (InstantInput), or epoch ms.
   */
  from?: InstantInput | number;
  /** The window's end (exclusive), after `from`: as `from`. */
  to?: InstantInput | number;
  /** A calling list whose dials are the attempts. */
  listId?: string;
  /** The evidence file: Parquet when it ends in `.parquet`, else NDJSON. */
  out?: string;
  /** Every attempt with no grant in the consent ledger was made with consent (`consent.basis: declared`). */
  consent?: boolean;
  /** Replace an existing `out` that is not an evidence file. */
  force?: boolean;
}

export interface CheckedEvidenceParams {
  from: EvidenceFrom;
  out: string;
  consent: boolean | undefined;
  force: boolean;
}

function instantOf(value: unknown, field: string, problems: InputProblem[]): number | undefined {
  if (value === undefined) {
    problems.push({ field, rule: "is required with `campaignId`" });
    return undefined;
  }
  try {
    return instantInputMs(value, field, { epochMs: true });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}

export function checkEvidenceParams(params: EvidenceParams): CheckedEvidenceParams {
  if (typeof params !== "object" || params === null)
    throw new InputError({
      field: "params",
      rule: "must be an object ({ file | campaignId, from, to | listId, out })",
    });
  const problems: InputProblem[] = [];
  const { file, campaignId, listId, out } = params;
  const given = (["file", "campaignId", "listId"] as const).filter((name) => params[name] !== undefined);
  const ONE = "give one source: `file`, `campaignId` with `from` and `to`, or `listId`";
  if (given.length === 0) problems.push({ field: "file", rule: `is required (${ONE})` });
  for (const name of given.slice(1))
    problems.push({ field: name, rule: `does not go with \`${given[0]}\` (${ONE})` });
  if (file !== undefined && (typeof file !== "string" || file === "" || !isFile(file)))
    problems.push({ field: "file", rule: `${String(file)} is not a readable file (an outcomes export)` });
  for (const problem of [campaignIdProblem(campaignId, "campaignId"), campaignIdProblem(listId, "listId")])
    if (problem) problems.push(problem);
  let window: { fromMs: number; toMs: number } | undefined;
  if (campaignId !== undefined) {
    const fromMs = instantOf(params.from, "from", problems);
    const toMs = instantOf(params.to, "to", problems);
    if (fromMs !== undefined && toMs !== undefined) {
      if (fromMs >= toMs) problems.push({ field: "to", rule: "must be after `from`" });
      else window = { fromMs, toMs };
    }
  } else
    for (const field of ["from", "to"] as const)
      if (params[field] !== undefined) problems.push({ field, rule: "goes with `campaignId` only" });
  if (typeof out !== "string" || out === "")
    problems.push({ field: "out", rule: "is required: the evidence file to write" });
  for (const field of ["consent", "force"] as const)
    if (params[field] !== undefined && typeof params[field] !== "boolean")
      problems.push({ field, rule: "must be true or false" });
  if (problems.length > 0) throw new InputError(problems);
  const from: EvidenceFrom =
    file !== undefined
      ? { file }
      : campaignId !== undefined
        ? { campaignId, ...(window as { fromMs: number; toMs: number }) }
        : { listId: listId as string };
  return { from, out: out as string, consent: params.consent, force: params.force === true };
}

function isFile(file: string): boolean {
  try {
    const stats = statSync(file);
    // A Parquet dataset is a directory of parts.
    return stats.isFile() || stats.isDirectory();
  } catch {
    return false;
  }
}
