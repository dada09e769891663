/**
 * The abandonment regimes as data (the reference's "dialing rules": a dated table
 * with a citation and a confidence per row, never scattered `if`s): each regime's limit, the
 * window it is measured over, and whether it counts the operator's estimate of the people the
 * answering-machine detector hangs up on. The ledger (ledger.ts) computes one figure per row;
 * the pacing spec's `window` names the row a campaign is paced under.
 */
export type RegimeId = "ftc-30d" | "ofcom-24h" | "day" | "crtc-month";

/**
 * How the window is laid over the hours: `rolling` (the last `hours` hours before the instant;
 * `worstRolling` also judges every such window in the data kept, Ofcom's "any 24 hours"),
 * `utc-day` (the calendar day), `utc-month` (the calendar month).
 */
export type WindowKind = "rolling" | "utc-day" | "utc-month";

export interface Regime {
  id: RegimeId;
  /** Who sets it, in words. */
  authority: string;
  /** Abandoned / live answers allowed over the window. */
  limit: number;
  window: { kind: WindowKind; hours?: number; worstRolling?: boolean; words: string };
  /** Counts the operator's AMD estimate (people hung up on as machines) as abandoned. */
  countsAmdEstimate: boolean;
  /**
   * Also counts the attempted connections to the country's numbers in the window (every dial,
   * answered or not), beside the abandonment rate, with the source that makes an attempt count.
   */
  countsAttempted?: { country: "GB"; citation: string; confidence: Regime["confidence"] };
  citation: string;
  effective: string;
  confidence: "verified" | "secondary" | "platform";
}

export const REGIMES: readonly Regime[] = [
  {
    id: "ftc-30d",
    authority: "US FTC Telemarketing Sales Rule safe harbor",
    limit: 0.03,
    window: { kind: "rolling", hours: 720, words: "per campaign, each 30-day period" },
    countsAmdEstimate: false,
    citation: "16 CFR 310.4(b)(4)(i)",
    effective: "2003-10-01",
    confidence: "verified",
  },
  {
    id: "ofcom-24h",
    authority: "UK Ofcom persistent-misuse policy",
    limit: 0.03,
    window: { kind: "rolling", hours: 24, worstRolling: true, words: "per campaign, any 24 hours" },
    countsAmdEstimate: true,
    countsAttempted: {
      country: "GB",
      citation:
        "PECR 2003 (SI 2003/2426) regs 21, 21A as amended (Data (Use and Access) Act 2025): an attempted call, connected or not, counts as a call",
      confidence: "secondary",
    },
    citation: "Ofcom statement of policy on persistent misuse (2016); 2010 consultation §4.71–4.73",
    effective: "2016-10-01",
    confidence: "verified",
  },
  {
    id: "day",
    authority: "NICE CXone Personal Connection abandon control",
    limit: 0.03,
    window: { kind: "utc-day", words: "the calendar day (UTC)" },
    countsAmdEstimate: false,
    citation: "CXone Personal Connection, Abandon Rate Compliance report",
    effective: "2020-01-01",
    confidence: "platform",
  },
  {
    id: "crtc-month",
    authority: "Canada CRTC Unsolicited Telecommunications Rules",
    limit: 0.05,
    window: { kind: "utc-month", words: "the calendar month" },
    countsAmdEstimate: false,
    citation: "CRTC Unsolicited Telecommunications Rules, Part IV (ADAD/predictive dialing)",
    effective: "2008-09-30",
    confidence: "secondary",
  },
];

/** The regime of that id, or undefined (the caller names the field it came from). */
export function regimeOf(id: string): Regime | undefined {
  return REGIMES.find((r) => r.id === id);
}

/** The hours of data the ledger needs to judge every regime: 31 days (a calendar month, 30 days). */
export const LEDGER_HOURS = 31 * 24;
