import { ENDPOINT_GROUPS, type EndpointGroup } from "../core/http/group-names.ts";

/**
 * Endpoint groups: the unit of rate limiting and fault injection. The names are the client's
 * (one list, so the two cannot drift); the client's catch-all `default` group has no endpoints
 * here. The limits are a contract with the client's throttling configuration (DESIGN.md,
 * "Talking to CXone").
 */
export const GROUPS = ENDPOINT_GROUPS.filter(
  (group): group is Exclude<EndpointGroup, "default"> => group !== "default",
) as unknown as readonly [Exclude<EndpointGroup, "default">, ...Exclude<EndpointGroup, "default">[]];

export type Group = Exclude<EndpointGroup, "default">;

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
