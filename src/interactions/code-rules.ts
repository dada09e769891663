import type { InputProblem } from "../core/input-error.ts";

/**
 * Disposition code rules that look at a whole dispositions array. The compliance rule — primary
 * (1xx) and secondary (2xx) codes never coexist on one interaction — is applied to the MERGED
 * result we are about to send, not to the request alone: adding 201 to an interaction that
 * already carries 101 breaks it just as much as sending both. Pure.
 */
export type CodeClass = "primary" | "secondary" | "other";

export function codeClass(code: string): CodeClass {
  if (/^1\d\d$/.test(code)) return "primary";
  if (/^2\d\d$/.test(code)) return "secondary";
  return "other";
}

/** The compliance problem with this set of codes, or null. */
export function classMixProblem(codes: readonly string[]): InputProblem | null {
  const primary = codes.filter((c) => codeClass(c) === "primary");
  const secondary = codes.filter((c) => codeClass(c) === "secondary");
  if (primary.length === 0 || secondary.length === 0) return null;
  return {
    field: "code",
    rule: `primary (1xx) and secondary (2xx) codes cannot coexist on one interaction (the result would hold ${[...primary, ...secondary].join(", ")})`,
  };
}

/** A problem when `code` is not in the tenant's list (GET /api/v1/dispositions). */
export function unknownCodeProblem(code: string, known: ReadonlySet<string>): InputProblem | null {
  if (known.has(code)) return null;
  const sample = [...known].sort().slice(0, 30).join(", ");
  return { field: "code", rule: `unknown disposition code ${code} (known: ${sample})` };
}
