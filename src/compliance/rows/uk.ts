import type { RuleRow } from "../rule-table.ts";
import { EVERY_DAY } from "./every-day.ts";

/**
 * The United Kingdom (+44 numbers). A live marketing call needs no consent under PECR, unless the
 * number is on the TPS or CTPS (registry/uk.ts: refused 28 days after its registration, without
 * consent); an automated call (a recorded or AI voice) needs the subscriber's prior consent. The
 * UK has no statutory calling hours: the window here is a policy (`compliance.ukCallingHours`),
 * by default the industry's 08:00-21:00.
 */
export const UK_ROWS: readonly RuleRow[] = [
  {
    id: "gb-pecr-automated-calls",
    jurisdiction: "GB",
    kind: "artificial_voice",
    voices: ["prerecorded", "ai"],
    writtenFor: [],
    effectiveFrom: "2003-12-11",
    citation:
      "Privacy and Electronic Communications (EC Directive) Regulations 2003 (SI 2003/2426), reg 19: an automated calling system (a recorded or artificial voice) used for direct marketing only with the subscriber's prior consent",
    confidence: "statute-seen",
    note: "direct marketing (kind sales; an undeclared kind too): a debt's collection call is not marketing",
    kinds: ["sales"],
  },
  {
    id: "gb-internal-dnc",
    jurisdiction: "GB",
    kind: "internal_dnc",
    effectiveFrom: "2003-12-11",
    citation:
      "Privacy and Electronic Communications (EC Directive) Regulations 2003 (SI 2003/2426), reg 21(1)(a): no unsolicited call for direct marketing to a subscriber who has previously notified the caller that such calls should not be made on that line (the company's own do-not-call list)",
    confidence: "statute-seen",
    note: "the internal list refuses every call to the number, whatever its kind, as the US row does",
  },
  {
    id: "gb-calling-hours-policy",
    jurisdiction: "GB",
    kind: "calling_hours",
    window: EVERY_DAY("08:00-21:00"),
    effectiveFrom: "2003-12-11",
    citation:
      "a policy, not law: no UK statute sets calling hours; by default the industry guidance of 08:00-21:00 (DMA Code; Ofcom's persistent-misuse statement counts calls at unsocial hours as misuse), set by compliance.ukCallingHours",
    confidence: "secondary",
    note: "policy (compliance.ukCallingHours), not law",
  },
];
