import type { InputProblem } from "../core/input-error.ts";

/**
 * The limits a tagging request must respect, and the problem type every check reports.
 * Each limit is CXone's own (seed 000 / the emulator enforce the same), so anything we accept
 * CXone accepts, and we refuse it before sending instead of after.
 */

/** CXone rejects more than ten tags on one call. */
export const MAX_TAGS = 10;
/** Longest tag CXone stores. */
export const MAX_TAG_LENGTH = 100;
/**
 * Notes are bounded at 2,000 characters (UTF-16 units, as CXone counts them): the longest note
 * CXone's PUT accepts. A shorter bound would refuse notes CXone takes; a longer one would only
 * move the failure from our validation pass (nothing sent) to the server (row failed mid-run).
 */
export const MAX_NOTES_LENGTH = 2000;

/** Machine-readable names of the rules, so reports and tests can match on them. */
export type RuleCode =
  | "required"
  | "malformed_id"
  | "wrong_type"
  | "unknown_field"
  | "unknown_disposition_code"
  | "ambiguous_disposition_name"
  | "reason_not_under_code"
  | "too_many_tags"
  | "empty_tag"
  | "duplicate_tag"
  | "tag_too_long"
  | "control_character"
  | "notes_too_long"
  | "duplicate_call"
  | "column_count"
  | "invalid_json"
  | "not_an_object"
  | "unparsable_row";

/** One broken rule: which row (file input), which field, which rule (code + sentence). */
export interface RowProblem extends InputProblem {
  code: RuleCode;
  /** The row's call id when it could be read, to find the row in the file. */
  callId?: string;
}

/** Control characters other than tab and line breaks (which notes may hold). */
export function hasControlCharacter(text: string, allowWhitespace: boolean): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x7f || (c < 0x20 && !(allowWhitespace && (c === 0x09 || c === 0x0a || c === 0x0d))))
      return true;
  }
  return false;
}
