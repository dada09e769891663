import type { FastifyInstance } from "fastify";
import { clockNowDate } from "../../../core/clock/now.ts";
import type { CxoneContext } from "../context.ts";
import { CXONE_TIME_ZONES } from "../data/vocabulary.ts";
import { V33 } from "../data/wire.ts";
import { notFound } from "../errors.ts";
import { apiRoute, pathId, sendEmpty, sendJson } from "../http.ts";
import { sendListPage } from "../paging.ts";

/**
 * §C2 #22, #28–31: the business unit (its time zone, dialing switches, port limits, features), reporting campaigns (field names by
 * version: v33 `{id,name}`, older `{campaignId,campaignName}`, v20 and below wrapped in
 * `resultSet`), a campaign's audit history and the server time (the DNC search is dnc-groups.ts').
 */
/** The unit's port limits (assumed figures: no source shows a tenant's). */
const PORT_LIMITS = { concurrent: 500, outbound: 300 } as const;

/**
 * The unit's licensed features, each `{productDescription, isEnabled}` as the MCP reads them (it
 * keeps the enabled ones' descriptions); the names are assumed.
 */
const FEATURES = [
  { productId: 1, productDescription: "Personal Connection", isEnabled: true },
  { productId: 2, productDescription: "Call Suppression", isEnabled: true },
  { productId: 3, productDescription: "Scheduled Callbacks", isEnabled: true },
  { productId: 4, productDescription: "Workforce Management", isEnabled: false },
] as const;

export function registerMiscRoutes(app: FastifyInstance, ctx: CxoneContext): void {
  const { state } = ctx;

  apiRoute(app, { method: "GET", path: "/server-time", group: "misc" }, (call) =>
    sendJson(ctx, call.reply, { ServerTime: clockNowDate().toISOString() }),
  );

  apiRoute(app, { method: "GET", path: "/timezones", group: "misc" }, (call) =>
    sendJson(ctx, call.reply, { timeZones: CXONE_TIME_ZONES.map((z) => ({ ...z })) }),
  );

  apiRoute(app, { method: "GET", path: "/business-unit", group: "misc" }, (call) => {
    const t = state.world.tenant;
    return sendJson(ctx, call.reply, {
      businessUnits: [
        {
          businessUnitId: state.businessUnitId,
          businessUnitName: t.businessUnitName,
          defaultTimeZone: t.defaultTimeZone,
          isActive: true,
          allowPredictiveDialing: state.knobs.allowPredictiveDialing,
          enableSkillAbandonRate: state.knobs.enableSkillAbandonRate,
          abandonRateScope: state.knobs.abandonRateScope,
          apiPublishedLimit: state.knobs.apiPublishedLimit,
          // outboundani/cxone-mcp `src/tools.js` get_business_unit reads these (values assumed).
          callSuppression: state.knobs.callSuppression,
          priorityBasedBlending: false,
          concurrentPortLimit: PORT_LIMITS.concurrent,
          outboundPortLimit: PORT_LIMITS.outbound,
          features: FEATURES.map((f) => ({ ...f })),
        },
      ],
    });
  });

  apiRoute(app, { method: "GET", path: "/campaigns", group: "campaigns" }, (call) => {
    const modern = call.version >= V33;
    const all = [...state.campaigns.values()].map((c) =>
      modern
        ? {
            id: c.id,
            name: c.name,
            isActive: c.isActive,
            description: c.description,
            notes: c.notes,
            lastUpdateTime: c.lastUpdateTime,
          }
        : { campaignId: c.id, campaignName: c.name, isActive: c.isActive },
    );
    if (call.version <= 20) {
      if (all.length === 0) return sendEmpty(call.reply, 204);
      return sendJson(ctx, call.reply, {
        resultSet: { businessUnitId: state.businessUnitId, campaigns: all },
      });
    }
    return sendListPage(ctx, call, "campaigns", all);
  });

  apiRoute(
    app,
    { method: "GET", path: "/campaigns/:campaignId/audit-history", group: "campaigns" },
    (call) => {
      const id = pathId(call.params, "campaignId");
      if (!state.campaigns.has(id)) throw notFound(`campaign ${id}`);
      const entries = state.audit.get(id) ?? [];
      if (entries.length === 0) return sendEmpty(call.reply, 204);
      return sendJson(ctx, call.reply, {
        businessUnitId: state.businessUnitId,
        totalRecords: entries.length,
        auditHistoryEntries: entries,
      });
    },
  );
}
