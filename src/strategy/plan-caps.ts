import { resolveCandidates } from "../compliance/candidates.ts";
import type { CampaignCaps } from "../compliance/index.ts";
import { governs } from "../compliance/row-scope.ts";
import { RULE_TABLE } from "../compliance/rule-table.ts";
import type { CampaignKind } from "../compliance/touches.ts";
import type { NanpNumber } from "../core/phone-number.ts";

/**
 * The frequency caps that can apply to a record's calls, from the engine's rule table (not
 * restated): the smallest cap and the longest window of its jurisdictions' rows (the federal ones,
 * the area code's regions, the address state, New York City by ZIP) that govern calls of the
 * plan's kind, with the campaign's own. A record with fewer attempts near an hour than the
 * smallest cap cannot hit any cap there, so the planner asks the engine only when it could; a
 * bound over the whole table (Massachusetts' 2 in 31 days) would ask it for nearly every hour of
 * every record with one earlier attempt (issue 79).
 */
export class CapBounds {
  private readonly known = new Map<string, { smallest: number; longestMs: number }>();
  private readonly campaignCaps: CampaignCaps | undefined;
  private readonly kind: CampaignKind | undefined;

  constructor(campaignCaps: CampaignCaps | undefined, kind: CampaignKind | undefined) {
    this.campaignCaps = campaignCaps;
    this.kind = kind;
  }

  /** The bounds for a number (its area code's regions) with the address state given, in New York City or not. */
  of(number: NanpNumber, state: string | undefined, nyc: boolean): { smallest: number; longestMs: number } {
    // The jurisdictions follow from the area code and the address state (candidates.ts).
    const key = `${number.npa}|${state ?? ""}|${nyc}`;
    let bounds = this.known.get(key);
    if (!bounds) {
      const jurisdictions = new Set(resolveCandidates({ number, addressState: state }).jurisdictions);
      if (nyc) jurisdictions.add("US-NYC");
      const caps: Array<{ max: number; hours: number }> = [];
      for (const row of RULE_TABLE)
        if (
          row.kind === "frequency_cap" &&
          jurisdictions.has(row.jurisdiction) &&
          governs(row, { channel: "call", kind: this.kind, numberType: row.numberTypes?.[0] })
        )
          caps.push({ max: row.max, hours: row.windowHours });
      if (this.campaignCaps?.perDay !== undefined) caps.push({ max: this.campaignCaps.perDay, hours: 24 });
      if (this.campaignCaps?.perWeek !== undefined) caps.push({ max: this.campaignCaps.perWeek, hours: 168 });
      bounds =
        caps.length === 0
          ? { smallest: Number.POSITIVE_INFINITY, longestMs: 0 }
          : {
              smallest: Math.min(...caps.map((c) => c.max)),
              longestMs: Math.max(...caps.map((c) => c.hours)) * 3_600_000,
            };
      this.known.set(key, bounds);
    }
    return bounds;
  }
}
