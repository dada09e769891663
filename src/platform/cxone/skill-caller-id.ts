import { callerIdNumberOf } from "../../core/phone-number.ts";
import type { PresentedCallerId } from "../ports/diagnosis.ts";
import { type Raw, text } from "./tolerant.ts";

/**
 * The caller id a Personal Connection skill's calls present: `callerIdOverride` on `GET
 * /skills/{id}` (NICE's generated client, calljacob/nice-cxone-api
 * `src/services/admin/AdminSkillsService.ts`: `getSkillsId`, `putSkillsId`, `postSkills` carry
 * it as a string). Empty or null: no number set (withheld, as far as cxo can tell); the field
 * missing from the record: the tenant does not show it. The skill record names no caller name
 * (CNAM is registered with the carrier, not in CXone's skill resource): `name` is left unknown.
 * The one reader of a skill's presented number (push, campaign start, evidence, doctor).
 */
export function presentedCallerIdOf(skill: Raw, skillId: string): PresentedCallerId {
  const field = "callerIdOverride";
  const has = Object.hasOwn(skill, field);
  const value = skill[field];
  const shown = !has ? undefined : value === null ? "" : (text(value)?.trim() ?? "");
  return {
    shown,
    number: callerIdNumberOf(shown),
    name: undefined,
    evidence: has
      ? `GET /skills/${skillId}: callerIdOverride ${JSON.stringify(shown)}`
      : `GET /skills/${skillId}: no callerIdOverride field (the tenant does not show the skill's caller id)`,
  };
}
