// Call, disposition and reason code ids follow the one id rule (core/ids.ts).
import { ID_RULE, isId } from "../core/ids.ts";
import type { CallDispositionInput, DispositionMatrix } from "../platform/types.ts";
import {
  hasControlCharacter,
  MAX_NOTES_LENGTH,
  MAX_TAG_LENGTH,
  MAX_TAGS,
  type RowProblem,
  type RuleCode,
} from "./rules.ts";

/**
 * Pure validation of one tagging row against the campaign's disposition matrix. No I/O.
 *
 * Input is what a file row or the command line gives: strings (CSV, flags) or JSON values
 * (NDJSON). Tags may be one `;`-separated string or an array. Whitespace around each tag is
 * formatting (`a; b` means `a` and `b`), so tags are trimmed; what is empty after trimming, or
 * repeated, is refused rather than silently dropped — the file says something it did not mean.
 */

export interface TagRequest extends CallDispositionInput {
  callId: string;
}

export type RowValidation = { ok: true; request: TagRequest } | { ok: false; problems: RowProblem[] };

const FIELDS = ["callId", "dispositionCodeId", "reasonCodeId", "tags", "notes"] as const;
const KNOWN = new Set<string>(FIELDS);

/**
 * `matrix` null checks the row's shape alone (ids, tags, notes: what needs no request), so bad
 * input is refused before the campaign's codes are fetched.
 */
export function validateTagRow(
  raw: Record<string, unknown>,
  matrix: DispositionMatrix | null,
  row?: number,
): RowValidation {
  const problems: RowProblem[] = [];
  const callIdText = typeof raw.callId === "string" ? raw.callId.trim() : undefined;
  const problem = (field: string, code: RuleCode, rule: string) =>
    problems.push({
      ...(row === undefined ? {} : { row }),
      field,
      code,
      rule,
      ...(callIdText ? { callId: callIdText } : {}),
    });

  for (const key of Object.keys(raw)) {
    if (!KNOWN.has(key)) problem(key, "unknown_field", `is not a column (expected ${FIELDS.join(", ")})`);
  }

  const callId = readId(raw.callId, "callId", true, problem);
  const byName = codeByName(raw.dispositionCodeId, matrix, problem);
  const dispositionCodeId = byName.reported
    ? undefined
    : byName.deferred
      ? String(byName.value).trim()
      : readId(byName.value, "dispositionCodeId", true, problem);
  const reasonCodeId = readId(raw.reasonCodeId, "reasonCodeId", false, problem);
  const tags = readTags(raw.tags, problem);
  const notes = readNotes(raw.notes, problem);

  if (matrix && dispositionCodeId !== undefined) {
    const code = matrix.codes.find((c) => c.id === dispositionCodeId);
    if (!code) {
      problem(
        "dispositionCodeId",
        "unknown_disposition_code",
        `${dispositionCodeId} is not a disposition code of campaign ${matrix.campaignId}`,
      );
    } else if (reasonCodeId !== undefined && !code.reasonCodes.some((r) => r.id === reasonCodeId)) {
      // The seed accepted a reason of ANY code; it must belong to THIS one.
      problem(
        "reasonCodeId",
        "reason_not_under_code",
        code.reasonCodes.length === 0
          ? `disposition code ${code.id} takes no reason code`
          : `${reasonCodeId} is not a reason code of disposition code ${code.id} (it takes ${code.reasonCodes.map((r) => r.id).join(", ")})`,
      );
    }
  }

  if (problems.length > 0 || callId === undefined || dispositionCodeId === undefined || tags === undefined) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    request: {
      callId,
      dispositionCodeId,
      ...(reasonCodeId !== undefined ? { reasonCodeId } : {}),
      tags,
      ...(notes ? { notes } : {}),
    },
  };
}

type Report = (field: string, code: RuleCode, rule: string) => void;

/**
 * A disposition given by its name ("Appointment Set") is the code of the campaign's matrix with
 * that name (case and surrounding spaces aside): users read names, CXone's ids are opaque. An id
 * of the matrix stays itself; a name two codes share is refused with their ids (null: reported).
 */
function codeByName(
  value: unknown,
  matrix: DispositionMatrix | null,
  problem: Report,
): { value: unknown; reported: boolean; deferred?: boolean } {
  const as = (v: unknown) => ({ value: v, reported: false });
  if (typeof value !== "string") return as(value);
  const given = value.trim();
  // The row's shape is checked before the matrix is fetched: a value that can only be a name
  // (printable, not an id's form) waits for the matrix rather than failing the id's rule.
  if (matrix === null)
    return given !== "" && !isId(given) && /^[^\p{Cc}]{1,200}$/u.test(given)
      ? { value, reported: false, deferred: true }
      : as(value);
  if (given === "" || matrix.codes.some((c) => c.id === given)) return as(value);
  const named = matrix.codes.filter((c) => c.name.trim().toLowerCase() === given.toLowerCase());
  if (named.length === 1) return as((named[0] as (typeof named)[number]).id);
  if (named.length > 1) {
    problem(
      "dispositionCodeId",
      "ambiguous_disposition_name",
      `"${given}" names ${named.length} disposition codes of campaign ${matrix.campaignId} (${named.map((c) => c.id).join(", ")}): give the id`,
    );
    return { value, reported: true };
  }
  // Not an id's form either: a name the matrix does not have (not a character rule's refusal).
  if (!isId(given)) {
    problem(
      "dispositionCodeId",
      "unknown_disposition_code",
      `"${given}" is neither a disposition code nor a disposition name of campaign ${matrix.campaignId} (its codes: ${matrix.codes
        .slice(0, 20)
        .map((c) => (c.name === c.id ? c.id : `${c.id} ${c.name}`))
        .join(", ")}${matrix.codes.length > 20 ? ", …" : ""})`,
    );
    return { value, reported: true };
  }
  return as(value);
}

/** An id field: absent/empty is "required" (or undefined when optional), else it must match. */
function readId(value: unknown, field: string, required: boolean, problem: Report): string | undefined {
  if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) {
    if (required) problem(field, "required", "is required");
    return undefined;
  }
  if (typeof value !== "string") {
    problem(field, "wrong_type", `must be a string, not ${describeType(value)}`);
    return undefined;
  }
  const id = value.trim();
  if (!isId(id)) {
    problem(field, "malformed_id", ID_RULE);
    return undefined;
  }
  return id;
}

function readTags(value: unknown, problem: Report): string[] | undefined {
  let items: unknown[];
  if (value === undefined || value === null || value === "") items = [];
  else if (typeof value === "string") items = value.split(";");
  else if (Array.isArray(value)) items = value;
  else {
    problem(
      "tags",
      "wrong_type",
      `must be a ;-separated string or an array of strings, not ${describeType(value)}`,
    );
    return undefined;
  }
  const tags: string[] = [];
  let ok = true;
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const field = `tags[${index}]`;
    if (typeof item !== "string") {
      problem(field, "wrong_type", `must be a string, not ${describeType(item)}`);
      ok = false;
      return;
    }
    const tag = item.trim();
    if (tag === "") {
      problem(field, "empty_tag", "is empty (check for ;; or a trailing ;)");
      ok = false;
    } else if (tag.length > MAX_TAG_LENGTH) {
      problem(field, "tag_too_long", `is ${tag.length} characters long (at most ${MAX_TAG_LENGTH})`);
      ok = false;
    } else if (hasControlCharacter(tag, false)) {
      problem(field, "control_character", "contains a control character");
      ok = false;
    } else if (seen.has(tag)) {
      problem(field, "duplicate_tag", `repeats the tag "${tag}"`);
      ok = false;
    } else {
      seen.add(tag);
      tags.push(tag);
    }
  });
  if (items.length > MAX_TAGS) {
    problem("tags", "too_many_tags", `has ${items.length} tags (at most ${MAX_TAGS})`);
    ok = false;
  }
  return ok ? tags : undefined;
}

function readNotes(value: unknown, problem: Report): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") {
    problem("notes", "wrong_type", `must be a string, not ${describeType(value)}`);
    return undefined;
  }
  if (value.length > MAX_NOTES_LENGTH) {
    problem("notes", "notes_too_long", `is ${value.length} characters long (at most ${MAX_NOTES_LENGTH})`);
    return undefined;
  }
  if (hasControlCharacter(value, true)) {
    problem(
      "notes",
      "control_character",
      "contains a control character (only tab and line breaks are allowed)",
    );
    return undefined;
  }
  return value;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
