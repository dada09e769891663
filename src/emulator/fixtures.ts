import type { EmulatorContext } from "./context.ts";
import type { Campaign } from "./data/model.ts";
import { INTERACTION_DISPOSITIONS } from "./data/vocabulary.ts";
import { GROUP_LIMITS } from "./groups.ts";
import { TOKEN_PATHS } from "./routes/token.ts";

/**
 * What a test needs to drive the emulator: credentials, campaign ids with their disposition
 * matrices, call ids (`calls` of them, spread over campaigns, none locked), locked call ids
 * (for 409s), interaction and contact list ids, the seed 001 disposition list.
 */
export function buildFixtures(ctx: EmulatorContext, callCount = 20) {
  const { state } = ctx;
  const calls = state.calls;
  const campaignOf = (index: number) => calls.campaignAt(index % calls.campaignCount)?.id ?? "";
  const seeded = state.world.campaigns.map((c) => state.campaigns.get(c.id) as Campaign);
  return {
    seed: ctx.options.seed,
    totalCalls: calls.total,
    // From the first call's start (a little inside the 90-day retention edge, so a listing
    // from here stays valid for a while) to the emulator's start (end exclusive).
    callWindow: {
      start: new Date(calls.startMs(0)).toISOString(),
      end: new Date(calls.windowStartMs + calls.spanMs).toISOString(),
    },
    tokenPaths: [...TOKEN_PATHS],
    clients: state.world.clients.map(({ clientId, clientSecret, scopes, description }) => ({
      clientId,
      clientSecret,
      scopes,
      description,
    })),
    campaigns: seeded.map((campaign) => ({
      id: campaign.id,
      name: campaign.name,
      status: campaign.status,
      contactListId: campaign.contactListId,
      timeZone: campaign.timeZone,
      callCount: calls.countFor(calls.slotOf(campaign.id)),
      dispositionCodes: campaign.dispositionCodes.map(({ id, name, reasonCodes }) => ({
        id,
        name,
        reasonCodes,
      })),
    })),
    failoverPairs: state.world.failoverPairs,
    calls: calls.sample(callCount).map((index) => ({ id: calls.idOf(index), campaignId: campaignOf(index) })),
    lockedCalls: calls
      .lockedSample(5)
      .map((index) => ({ id: calls.idOf(index), campaignId: campaignOf(index) })),
    interactions: state.world.interactions.map(({ id, campaignId }) => ({ id, campaignId })),
    contactLists: state.world.contactLists.map(({ id, name, size }) => ({ id, name, size })),
    dispositions: [...INTERACTION_DISPOSITIONS],
    dialerSettings: { versionTag: state.dialerSettings.versionTag },
    groups: GROUP_LIMITS,
    rateLimitScale: ctx.options.rateLimitScale,
  };
}

export type Fixtures = ReturnType<typeof buildFixtures>;
