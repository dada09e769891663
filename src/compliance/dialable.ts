import type { NanpNumber } from "../core/phone-number.ts";
import { areaCodeKind } from "./area-codes.ts";

/**
 * Numbers no subscriber can have, refused before any rule is read (reason `not_dialable`):
 * area codes and exchanges starting 0 or 1, N11 service codes in the exchange position,
 * 555-0100…0199 (reserved for fiction), and area codes not assigned to any service.
 */
export interface NotDialable {
  ruleId: string;
  message: string;
  citation: string;
}

const NUMBERING_PLAN =
  "NANP numbering plan (47 CFR 52.7; ATIS-0300051 Central Office Code Assignment Guidelines)";

export function notDialable(number: NanpNumber): NotDialable | undefined {
  // A UK number has no area code or exchange of the NANP's: none of these rules is its.
  if (number.country !== undefined) return undefined;
  const { npa, nxx } = number;
  const line = number.digits.slice(7);
  if (/^[01]/.test(npa))
    return {
      ruleId: "nanp-area-code-format",
      message: `area code ${npa} cannot exist: NANP area codes start with 2-9`,
      citation: NUMBERING_PLAN,
    };
  if (/^[01]/.test(nxx))
    return {
      ruleId: "nanp-exchange-format",
      message: `exchange ${nxx} cannot exist: NANP exchange codes start with 2-9`,
      citation: NUMBERING_PLAN,
    };
  if (nxx.endsWith("11"))
    return {
      ruleId: "nanp-n11",
      message: `exchange ${nxx} is an N11 service code (211-911), not a subscriber exchange`,
      citation: `${NUMBERING_PLAN}: N11 codes are not assignable as central office codes`,
    };
  if (nxx === "555" && line >= "0100" && line <= "0199")
    return {
      ruleId: "nanp-555-fiction",
      message: `555-${line} is reserved for fictitious use (555-0100 to 555-0199), not a subscriber number`,
      citation: "NANPA 555 line number assignment guidelines (ATIS-0300048): 555-0100–0199 fictitious",
    };
  if (areaCodeKind(npa) === "unassigned")
    return {
      ruleId: "nanp-unassigned-area-code",
      message: `area code ${npa} is not in service (not in the reviewed area-code table)`,
      citation: `${NUMBERING_PLAN}; docs/compliance.md, "How a number is placed"`,
    };
  return undefined;
}
