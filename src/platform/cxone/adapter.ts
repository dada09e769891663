import type { ProductionConnection } from "../../core/config/load.ts";
import type { ProductionApiSettings } from "../../core/config/schema.ts";
import { NotSupportedError } from "../errors.ts";
import type { CxonePort } from "../port.ts";
import type { PortOperation } from "../support.ts";
import type { ProductionApi } from "./api.ts";
import { businessUnitZone } from "./business-unit.ts";
import { checkContactId, checkSkillId } from "./campaign-skill.ts";
import { CONSENT_UNSUPPORTED, productionCampaigns, SUBSCRIBE_UNSUPPORTED } from "./campaigns.ts";
import { productionDiagnosis } from "./diagnosis.ts";
import { DIALER_AUDIT_UNSUPPORTED, LIVE_PACING_UNSUPPORTED, productionDialer } from "./dialer.ts";
import { productionDispositions } from "./dispositions.ts";
import { productionDncGroups } from "./dnc-groups.ts";
import { productionDoctor } from "./doctor/index.ts";
import { CLOSED_CORRECTION_UNSUPPORTED, productionInteractions } from "./interactions.ts";
import { productionLive } from "./live.ts";
import { productionOutcomes } from "./outcomes.ts";
import { productionLists } from "./plan-push.ts";
import { productionScheduledCallbacks } from "./scheduled-callbacks.ts";

/**
 * The port implemented over NICE CXone's production API (inContactAPI). One file per
 * capability; this file only assembles them. docs/platforms.md says what each maps to and
 * what the platform cannot do.
 */
export function createProductionPort(
  api: ProductionApi,
  connection: ProductionConnection,
  options: ProductionApiSettings,
  profileFacts: Record<string, unknown> = {},
): CxonePort {
  const outcomes = productionOutcomes(api, options.pageSize);
  const dispositions = productionDispositions(api, options, profileFacts);
  // One read of the business unit's zone for every reader of this client (campaigns, live).
  const zone = businessUnitZone(api, "campaigns");
  const refusals: Partial<Record<PortOperation, ConstructorParameters<typeof NotSupportedError>[0]>> = {
    "campaigns.subscribe": SUBSCRIBE_UNSUPPORTED,
    "dialer.auditLog": DIALER_AUDIT_UNSUPPORTED,
    "dialer.livePacing": LIVE_PACING_UNSUPPORTED,
    ...(options.allowClosedContactDisposition
      ? {}
      : { "interactions.replaceDispositions": CLOSED_CORRECTION_UNSUPPORTED }),
    ...(options.consentColumn ? {} : { "campaigns.listContacts.consentOnly": CONSENT_UNSUPPORTED }),
  };
  return {
    support: {
      name: "cxone",
      checkId(kind, id, field) {
        if (kind === "campaign") checkSkillId(id, field);
        else checkContactId(id, field);
      },
      unsupported(operation) {
        const refusal = refusals[operation];
        return refusal ? new NotSupportedError(refusal) : undefined;
      },
    },
    access: {
      async describe(signal) {
        const info = await api.session.tokens.info(signal);
        const claims = await api.session.claims(signal);
        const tenantId = await api.session.tenantId(signal);
        const apiEndpoint = await api.session.endpoint(signal);
        return {
          platform: "cxone",
          login: connection.login,
          clientId: connection.clientId,
          scopes: [],
          expiresAt: new Date(claims.expiresAt ?? info.expiresAt).toISOString(),
          tokenType: info.tokenType,
          tenantId,
          apiEndpoint,
          role: claims.role,
        };
      },
    },
    dispositions,
    interactions: productionInteractions(api, options),
    outcomes,
    campaigns: productionCampaigns(api, options, outcomes, zone),
    dialer: productionDialer(api, options),
    lists: productionLists(api, profileFacts),
    dncGroups: productionDncGroups(api),
    scheduledCallbacks: productionScheduledCallbacks(api),
    live: productionLive(api, {
      abandonRateUnit: options.liveAbandonRateUnit,
      zone,
    }),
    diagnosis: productionDiagnosis(api, options, zone, profileFacts),
    doctor: productionDoctor(api, connection, options, profileFacts),
    // What the port opened on the tenant is closed with the client: the agent sessions it joined.
    close: () => dispositions.endSessions(),
  };
}
