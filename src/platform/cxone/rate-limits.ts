import type { GroupLimit } from "../../core/http/endpoint-groups.ts";
import type { EndpointGroup } from "../../core/http/group-names.ts";

/**
 * The production API's endpoint groups. NICE publishes no request limits for the inContactAPI
 * (conformance §6: none in GEN, FULL, DZ; MCP meets 429s without a reliable `Retry-After`), so
 * these are conservative starting points, not CXone's figures: each is a ceiling the limiter
 * never exceeds, lowered at once on a 429 (the core's multiplicative decrease, shared by every
 * client of the tenant in a process, and split between processes on one store) and raised back
 * step by step. A team that knows its tenant's limits sets them: `rateLimits.<group>` in
 * cxo.config.yaml (docs/platforms.md).
 */
const SECOND = 1000;
const MINUTE = 60_000;

export const PRODUCTION_GROUP_LIMITS: Record<EndpointGroup, GroupLimit> = {
  // One login an hour per client; a burst only when several clients start together.
  token: { limit: 2, windowMs: SECOND, concurrency: 2 },
  // Tagging: two writes a row (set-disposition, tags) and a few reads.
  dispositions: { limit: 10, windowMs: SECOND, concurrency: 8 },
  interactions: { limit: 10, windowMs: SECOND, concurrency: 4 },
  // Skill reads and writes, list uploads, the board's polling (2 a campaign a poll).
  campaigns: { limit: 60, windowMs: MINUTE, concurrency: 4 },
  // Parameter reads and whole-block PUTs (a change is 2–4 reads and 1–3 PUTs).
  dialer: { limit: 30, windowMs: MINUTE, concurrency: 2 },
  // Live figures: 2 requests a reading for every campaign (24 a minute at the default 5 s).
  analytics: { limit: 60, windowMs: MINUTE, concurrency: 4 },
  // Completed contacts, up to 10,000 a page: 60 pages a minute is 600,000 records.
  outcomes: { limit: 60, windowMs: MINUTE, concurrency: 4 },
  default: { limit: 5, windowMs: SECOND, concurrency: 4 },
};
