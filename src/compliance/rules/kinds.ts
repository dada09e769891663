import { judgeConfirmation } from "../revocation-confirmation.ts";
import { registrationProblem } from "../row-scope.ts";
import type { RegistrationRow, RevocationConfirmationRow } from "../rule-table.ts";
import type {
  ComplianceInput,
  Exemption,
  Reason,
  ReasonCode,
  ScriptRequirement,
  Verdict,
} from "../verdict.ts";
import { inEffect, type Prepared, primaryDate, reasonOf } from "./prepared.ts";

/**
 * What the kind of touch changes: a declared sales campaign needs the seller's state registration
 * (row-scope.ts decides which rows a kind, channel and number type are governed by), and the one
 * text confirming a revocation by text is not a solicitation — exempt from every rule but those
 * saying the number cannot be reached, and refused by its own row when late or repeated. Pure.
 */

/** A registration row: the seller's registration in the state, held on the call's local date. */
export function registrationReason(
  row: RegistrationRow,
  input: ComplianceInput,
  localDate: string,
): Reason | undefined {
  if (registrationExemption(row, input) !== undefined) return undefined;
  const problem = registrationProblem(row, input.registrations, localDate);
  return problem ? reasonOf(row, "registration_required", problem, null) : undefined;
}

/** What still refuses an allowed confirmation: a number that cannot be reached, or is not the consumer's. */
const CONFIRMATION_KEEPS = new Set<ReasonCode>([
  "not_dialable",
  "no_rules_for_destination",
  "rnd_reassigned",
  "rnd_no_data",
]);

/**
 * A touch marked as the confirmation of a revocation by text (`p`), given its verdict as an
 * ordinary touch: that verdict when no confirmation row is in force (before 2025-04-11, Canada),
 * else judged by the row. Allowed, it is not a solicitation: only a number that cannot be reached
 * or was reassigned still refuses it (the revocation, the consent rule, the DNC lists, hours and
 * caps do not). Refused, the row's reason is added to every other (the revocation's own among
 * them).
 */
export function confirmationVerdict(p: Prepared, ordinary: Verdict): Verdict {
  const { input } = p;
  const date = primaryDate(p, input.atMs);
  const row = p.rows.find(
    (r): r is RevocationConfirmationRow => r.kind === "revocation_confirmation" && inEffect(r, date),
  );
  if (!row) return ordinary;
  const judged = judgeConfirmation(row, {
    channel: input.channel,
    atMs: input.atMs,
    untilMs: input.untilMs,
    textStopsMs: input.textStopsMs,
    touches: input.attempts,
  });
  const rules = [...ordinary.rules, row.id];
  if (!judged.allowed)
    return {
      ...ordinary,
      allowed: false,
      reasons: [...ordinary.reasons, reasonOf(row, "revocation_confirmation_refused", judged.why, null)],
      rules,
      nextAllowedAt: null,
    };
  const reasons = ordinary.reasons.filter((r) => CONFIRMATION_KEEPS.has(r.code));
  return {
    ...ordinary,
    allowed: reasons.length === 0,
    reasons,
    rules,
    nextAllowedAt: reasons.length === 0 ? ordinary.at : null,
  };
}

/** The exemption a registration row grants this touch (a text with the recipient's consent), or undefined. */
export function registrationExemption(row: RegistrationRow, input: ComplianceInput): Exemption | undefined {
  if (row.consentedTextsExempt === undefined || input.channel !== "sms" || input.consent !== true)
    return undefined;
  return {
    ruleId: row.id,
    exemption: `a text sent with the recipient's prior consent needs no ${row.state} registration`,
    citation: row.consentedTextsExempt,
  };
}

/** The exemptions relied on and the script requirements of the rows in effect for a call. */
export function exemptionsAndScripts(p: Prepared, date: string): Pick<Verdict, "exemptions" | "scripts"> {
  const exemptions: Exemption[] = [];
  const scripts: ScriptRequirement[] = [];
  for (const row of p.rows) {
    if (!inEffect(row, date)) continue;
    if (row.kind === "registration") {
      const exempt = registrationExemption(row, p.input);
      if (exempt) exemptions.push(exempt);
    } else if (row.kind === "script_requirement")
      scripts.push({ ruleId: row.id, requirement: row.requirement, citation: row.citation });
  }
  return {
    ...(exemptions.length > 0 ? { exemptions } : {}),
    ...(scripts.length > 0 ? { scripts } : {}),
  };
}
