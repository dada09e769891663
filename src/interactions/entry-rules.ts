import type { InputProblem } from "../core/input-error.ts";
import { type InstantInput, instantInputProblem } from "../core/instant-input.ts";

/**
 * What one disposition entry must look like before it goes anywhere near CXone: a code, a
 * description, an agent id and an ISO 8601 timestamp WITH a zone (a naive timestamp means a
 * different instant on every machine that reads it). Pure; every rule is table-tested.
 */
export interface IntendedDisposition {
  code: string;
  description: string;
  agentId: string;
  /** ISO 8601 with a zone: `Z` or a `±HH:MM` offset (core/instant-input.ts). */
  timestamp: string;
}

export const MAX_DESCRIPTION = 500;
export const MAX_AGENT_ID = 128;

const CODE = /^[A-Za-z0-9_-]{1,32}$/;
const INTERACTION_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we reject
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * An entry as a caller gives it: its timestamp text or a Date (InstantInput), before it is
 * written as the text an entry carries.
 */
export type GivenDisposition = Omit<IntendedDisposition, "timestamp"> & { timestamp: InstantInput };

/**
 * Problems with a timestamp, or null when it is ISO 8601 with a zone and a real instant, or a
 * valid Date (core/instant-input.ts).
 */
export function timestampProblem(value: InstantInput): string | null {
  if (typeof value === "string" && value.trim() === "") return "is required";
  return instantInputProblem(value) ?? null;
}

export function interactionIdProblem(id: string): InputProblem | null {
  return INTERACTION_ID.test(id)
    ? null
    : { field: "interactionId", rule: "must be 1–128 letters, digits or _ . : -" };
}

/** Every problem with the entry (empty when it is well formed). Field names are the entry's (the CLI maps them to its flags). */
export function entryProblems(entry: Partial<GivenDisposition>): InputProblem[] {
  const problems: InputProblem[] = [];
  const code = entry.code ?? "";
  if (code === "") problems.push({ field: "code", rule: "is required" });
  else if (!CODE.test(code)) problems.push({ field: "code", rule: "must be 1–32 letters, digits, _ or -" });

  const description = entry.description ?? "";
  if (description.trim() === "") problems.push({ field: "description", rule: "is required" });
  else if (description.length > MAX_DESCRIPTION)
    problems.push({ field: "description", rule: `must be at most ${MAX_DESCRIPTION} characters` });
  else if (CONTROL.test(description))
    problems.push({ field: "description", rule: "must not contain control characters" });

  const agentId = entry.agentId ?? "";
  if (agentId.trim() === "") problems.push({ field: "agentId", rule: "is required" });
  else if (agentId.length > MAX_AGENT_ID || agentId !== agentId.trim() || CONTROL.test(agentId))
    problems.push({
      field: "agentId",
      rule: `must be at most ${MAX_AGENT_ID} characters, without surrounding spaces or control characters`,
    });

  const timestampIssue = timestampProblem(entry.timestamp ?? "");
  if (timestampIssue) problems.push({ field: "timestamp", rule: timestampIssue });
  return problems;
}

/**
 * Every problem with a disposition to set on an interaction, found without CXone: its id, the
 * entry and an `etag` given empty. The SDK's `setDisposition` refuses with these before anything
 * is sent; the CLI asks the same before it opens a connection.
 */
export function setDispositionProblems(
  interactionId: string,
  entry: Partial<GivenDisposition> & { etag?: string | undefined },
): InputProblem[] {
  const problems = [interactionIdProblem(interactionId), ...entryProblems(entry)].filter(
    (p): p is InputProblem => p !== null,
  );
  if (entry.etag !== undefined && entry.etag.trim() === "")
    problems.push({ field: "etag", rule: "must not be empty when given" });
  return problems;
}
