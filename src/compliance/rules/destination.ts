import { notDialable } from "../dialable.ts";
import type { Reason } from "../verdict.ts";
import type { Prepared } from "./prepared.ts";

/**
 * Where the call goes: a number that cannot be dialled (dialable.ts), a destination with no rules
 * modelled (not the US or Canada), and a number whose time zone is not known (its hours cannot
 * be judged). Pure.
 */
export function destinationReasons(p: Prepared): Reason[] {
  const reasons: Reason[] = [];
  const country = p.candidates.jurisdictions.filter((j) => !j.includes("-"));
  // The NANP numbering plan's checks say nothing of a UK number (its form was checked on input).
  const impossible = p.input.number.country === undefined ? notDialable(p.input.number) : undefined;
  if (impossible)
    reasons.push({
      code: "not_dialable",
      message: impossible.message,
      jurisdiction: "NANP",
      zone: null,
      ruleId: impossible.ruleId,
      citation: impossible.citation,
      confidence: "verified",
    });
  else if (country.length === 0)
    reasons.push({
      code: "no_rules_for_destination",
      message: `no calling rules are known for area code ${p.input.number.npa} (${p.candidates.areaCodePlace ?? "not a US or Canadian area code"}); give the contact's \`state\` if it is in the US`,
      jurisdiction: "unknown",
      zone: null,
      ruleId: "destination",
      citation:
        "47 CFR 64.1200 and 16 CFR 310.4 (US), CRTC Unsolicited Telecommunications Rules (Canada): the only rules modelled",
      confidence: null,
    });
  if (p.zones.length === 0 && !impossible)
    reasons.push({
      code: "unknown_time_zone",
      message: `the time-zone data does not know area code ${p.input.number.npa}; give the contact's \`zone\` or \`state\``,
      jurisdiction: country[0] ?? "unknown",
      zone: null,
      ruleId: "time-zone",
      citation: "47 CFR 64.1200(c)(1): hours are the called party's local time",
      confidence: null,
    });
  return reasons;
}
