/**
 * Endpoint groups: the unit of rate limiting and fault injection. The names and limits are a
 * contract with the client's throttling configuration (DESIGN.md, "Talking to CXone").
 */
export const GROUPS = [
  "token",
  "dispositions",
  "interactions",
  "campaigns",
  "dialer",
  "analytics",
  "outcomes",
] as const;

export type Group = (typeof GROUPS)[number];

export interface GroupLimit {
  limit: number;
  windowMs: number;
}

export const GROUP_LIMITS: Readonly<Record<Group, GroupLimit>> = {
  token: { limit: 10, windowMs: 1_000 },
  dispositions: { limit: 100, windowMs: 1_000 },
  interactions: { limit: 100, windowMs: 1_000 },
  campaigns: { limit: 100, windowMs: 60_000 },
  dialer: { limit: 100, windowMs: 60_000 },
  analytics: { limit: 100, windowMs: 60_000 },
  outcomes: { limit: 100, windowMs: 60_000 },
};
