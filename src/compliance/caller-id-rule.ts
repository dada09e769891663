import { parseNanp } from "../core/phone-number.ts";
import type { PresentedCallerId } from "../platform/ports/diagnosis.ts";
import { areaCodeKind } from "./area-codes.ts";
import { notDialable } from "./dialable.ts";
import type { CampaignKind } from "./touches.ts";

/**
 * The caller id a call presents (47 CFR 64.1601(e)): a telemarketing call must transmit a
 * number the called party can call during business hours to make a do-not-call request, and
 * the name where the carrier allows. Pure: the presented id (the skill's, as the platform reads
 * it), the campaign's kind and the codes the campaign's own blocked lists give the number.
 *
 * Telemarketing (`sales`, and a campaign whose kind is not declared, judged as the stricter) is
 * refused; collections calls are not telemarketing, so 64.1601(e) does not bind them: each
 * finding is a warning there.
 */
export type CallerIdCode = "callerid_absent" | "callerid_withheld" | "callerid_invalid" | "callerid_blocked";

export interface CallerIdFinding {
  code: CallerIdCode;
  /** What is wrong, in words. */
  rule: string;
}

export const CALLER_ID_CITATION =
  "47 CFR 64.1601(e) (telemarketing calls transmit a number callable during business hours for a do-not-call request, and the name where available); Zelma v. Ram (D.N.J. 2026-05-19) on its private enforcement";

/** What is wrong with the presented id ([] when nothing is). `blocked`: the blocked lists' codes for its number. */
export function callerIdFindings(
  presented: PresentedCallerId,
  blocked: readonly string[] = [],
): CallerIdFinding[] {
  if (presented.shown === undefined)
    return [
      {
        code: "callerid_absent",
        rule: "the platform shows no caller id for the skill, so the number its calls present cannot be known",
      },
    ];
  if (presented.shown === "")
    return [{ code: "callerid_withheld", rule: "the skill sets no caller id: its calls present none" }];
  const problem = invalidReason(presented.number);
  if (problem !== undefined)
    return [
      {
        code: "callerid_invalid",
        rule: `its caller id ${JSON.stringify(presented.shown)} ${problem}: nobody can call it back to ask not to be called`,
      },
    ];
  if (blocked.length > 0)
    return [
      {
        code: "callerid_blocked",
        rule: `its caller id ${presented.number} is one of the campaign's own blocked numbers (${blocked.join(", ")})`,
      },
    ];
  return [];
}

/**
 * Why `number` (E.164) cannot be called back, or undefined. The 555-0100…0199 reservation for
 * fiction is a geographic area code's (ATIS-0300048); a toll-free number is assigned from the
 * toll-free pool (47 CFR 52.101–52.111), so 8YY-555-01XX is a real number.
 */
function invalidReason(number: string | undefined): string | undefined {
  const nanp = number === undefined ? undefined : parseNanp(number);
  if (!nanp) return "is not a North American number (+1 then 10 digits)";
  const bad = notDialable(nanp);
  if (!bad) return undefined;
  if (bad.ruleId === "nanp-555-fiction" && areaCodeKind(nanp.npa) === "non_geographic") return undefined;
  return `is not a number anyone can have (${bad.message})`;
}

/** Whether the kind is telemarketing for this rule (undeclared: judged as telemarketing). */
export const callerIdBinds = (kind: CampaignKind | undefined): boolean => kind !== "collections";

/** One line naming the skill, the finding and the rule, for a refusal or a warning. */
export function callerIdMessage(
  skillId: string,
  finding: CallerIdFinding,
  kind: CampaignKind | undefined,
): string {
  const tail = callerIdBinds(kind)
    ? `set the skill's outbound caller id to a number of yours that answers do-not-call requests (${CALLER_ID_CITATION})`
    : `a collections campaign is not telemarketing, so 47 CFR 64.1601(e) does not bind it: a warning, not a refusal; still, set a number people can call back`;
  const undeclared =
    kind === undefined
      ? "; the campaign's kind is not declared, so it is judged as telemarketing (declare kind: collections if it is not)"
      : "";
  return `skill ${skillId}: ${finding.code}: ${finding.rule}; ${tail}${undeclared}`;
}
