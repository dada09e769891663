import { createHash } from "node:crypto";
import { exactUpper } from "../../core/binomial-interval.ts";

/**
 * The sampling plan for the operator's AMD estimate: how many machine-classified
 * calls to review (listen to) so that the exact one-sided 95% bound of the share of live people
 * among them falls under `under` — "under 1% at 95% confidence" — given what was found so far,
 * and which calls: a reproducible random sample of their ids. Pure.
 */
export interface SamplingPlan {
  /** The share the review is to show the false positives are under, and at what confidence. */
  under: number;
  confidence: number;
  /** Reviewed so far and live people found (0 and 0 without evidence). */
  sampled: number;
  foundLive: number;
  /** The exact one-sided upper bound now (null before any review). */
  upperNow: number | null;
  /** Whether the review so far already shows "under". */
  shownNow: boolean;
  /**
   * Calls still to review, if they are found live at the rate found so far; null when no sample
   * can show it (the rate found so far is at or over `under`).
   */
  reviewMore: number | null;
  /** What reviewMore assumes, in words. */
  assumes: string;
}

/** No plan asks for more reviews than this: beyond it the answer is "no practical review shows it" (null). */
export const MAX_REVIEWS = 100_000;

export function samplingPlan(
  sampled: number,
  foundLive: number,
  under: number,
  confidence = 0.95,
): SamplingPlan {
  const upperNow = sampled > 0 ? exactUpper(foundLive, sampled, confidence) : null;
  const shownNow = upperNow !== null && upperNow < under;
  const rate = sampled > 0 ? foundLive / sampled : 0;
  const base = {
    under,
    confidence,
    sampled,
    foundLive,
    upperNow,
    shownNow,
    assumes:
      sampled > 0
        ? `the calls still to review are found live at the rate found so far (${foundLive} of ${sampled})`
        : "no live person is found among the calls reviewed",
  };
  if (shownNow) return { ...base, reviewMore: 0 };
  if (rate >= under) return { ...base, reviewMore: null };
  const shows = (more: number) =>
    exactUpper(foundLive + Math.round(rate * more), sampled + more, confidence) < under;
  if (!shows(MAX_REVIEWS)) return { ...base, reviewMore: null };
  let lo = 0;
  let hi = 1;
  while (!shows(hi)) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (shows(mid)) hi = mid;
    else lo = mid;
  }
  return { ...base, reviewMore: hi };
}

/**
 * A reproducible random sample of `size` ids: each id's rank is the SHA-256 of `seed:id`, the
 * lowest ranks are taken (the same seed and ids give the same sample in any order; an id added
 * later enters only if it ranks lower, so a sample grows without being redrawn).
 */
export function sampleIds(ids: readonly string[], size: number, seed: string): string[] {
  const ranked = [...new Set(ids)].map((id) => ({
    id,
    rank: createHash("sha256").update(`${seed}:${id}`).digest("hex"),
  }));
  ranked.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
  return ranked.slice(0, Math.max(0, size)).map((r) => r.id);
}
