import type { HttpClient } from "../../core/http/http-client.ts";
import type { OAuthTokenProvider } from "../../core/http/token-provider.ts";
import type { CxonePort } from "../port.ts";
import { SEED_SUPPORT } from "../support.ts";
import { seedCampaigns } from "./campaigns.ts";
import { seedDiagnosis } from "./diagnosis.ts";
import { seedDialer } from "./dialer.ts";
import { seedDispositions } from "./dispositions.ts";
import { seedInteractions } from "./interactions.ts";
import { seedLive } from "./live.ts";
import { seedOutcomes } from "./outcomes.ts";

/**
 * The port implemented over the API the seeds describe. One file per capability; this file
 * only assembles them.
 */
export function createSeedApiPort(http: HttpClient, tokens: OAuthTokenProvider, clientId: string): CxonePort {
  const campaigns = seedCampaigns(http);
  return {
    support: SEED_SUPPORT,
    access: {
      async describe(signal) {
        const info = await tokens.info(signal);
        return {
          clientId,
          scopes: info.scopes,
          expiresAt: new Date(info.expiresAt).toISOString(),
          tokenType: info.tokenType,
        };
      },
    },
    dispositions: seedDispositions(http),
    interactions: seedInteractions(http),
    outcomes: seedOutcomes(http),
    campaigns,
    dialer: seedDialer(http),
    live: seedLive(campaigns),
    diagnosis: seedDiagnosis(campaigns),
  };
}
