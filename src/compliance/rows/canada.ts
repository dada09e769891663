import type { RuleRow } from "../rule-table.ts";

/** Canada: the CRTC's telemarketing rules. */
export const CANADA_ROWS: readonly RuleRow[] = [
  {
    id: "ca-crtc-hours",
    jurisdiction: "CA",
    kind: "calling_hours",
    window: { monFri: "09:00-21:30", sat: "10:00-18:00", sun: "10:00-18:00" },
    effectiveFrom: "2008-09-30",
    citation: "CRTC Unsolicited Telecommunications Rules, Part III (Telemarketing Rules)",
    confidence: "secondary",
  },
  {
    id: "ca-consent",
    jurisdiction: "CA",
    kind: "consent",
    effectiveFrom: "2008-09-30",
    citation: "CRTC Unsolicited Telecommunications Rules, Part IV (ADAD rules): express consent",
    confidence: "secondary",
  },
  {
    id: "ca-internal-dnc",
    jurisdiction: "CA",
    kind: "internal_dnc",
    effectiveFrom: "2008-09-30",
    citation: "CRTC Unsolicited Telecommunications Rules, Part II (internal do-not-call list)",
    confidence: "secondary",
  },
];
