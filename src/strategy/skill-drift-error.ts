import { CxoError } from "../core/cxo-error.ts";
import type { SkillChange } from "./skill-drift.ts";

/** A drift found: open until acted on (`action` then says how). */
export interface SkillDrift {
  skillId: string;
  seenAt: string;
  changes: SkillChange[];
  /** What the watch does (or did) about it. */
  action: "restore-retry" | "remove-records";
  text: string;
}

/**
 * A skill changed behind cxo's back since a push counted on it, in a way that lets CXone dial
 * what the push did not count; nothing is done until it is put back or the records taken out
 * (`cxo serve` does either within minutes; without it, `cxo strategy watch`).
 */
export class SkillDriftError extends CxoError {
  override readonly name = "SkillDriftError";
  readonly code = "skill_drift" as const;
  readonly drift: SkillDrift;
  constructor(drift: SkillDrift) {
    super(
      `skill ${drift.skillId} changed since cxo's push counted on it (${drift.text}): CXone may dial what the push did not count. ${
        drift.action === "restore-retry"
          ? "cxo puts the retry settings it set back"
          : "cxo takes the push's records out of its lists"
      } — cxo serve does it within minutes; without the service run \`cxo strategy watch\` (or put the skill back by hand)`,
    );
    this.drift = drift;
  }
}
