import { CxoneError } from "../../../core/http/errors.ts";
import { pathOf } from "../../../core/http/http-client.ts";
import { ianaZoneOf } from "../time-zones.ts";
import { bool, isObject, listOf, num, text } from "../tolerant.ts";
import { evidenceOf, ok } from "./probe-call.ts";
import {
  get,
  type Observation,
  type ReadContext,
  refusedAll,
  seen,
  type TenantInfo,
  UNKNOWN_SKILL,
  UNKNOWN_TENANT,
  untold,
} from "./read-context.ts";

// The tenant: discovery, the business unit, how requests are handled.

export async function probeDiscovery(ctx: ReadContext): Promise<Observation[]> {
  const session = ctx.api.session;
  const issuer = session.connection.issuer;
  const out: Observation[] = [];
  const openId = await session.openIdConfiguration(ctx.signal);
  const methods = openId.authMethods;
  const basic = methods.includes("client_secret_basic");
  const post = methods.includes("client_secret_post");
  out.push(
    seen(
      "advertisedClientAuth",
      basic && post ? "both" : basic ? "basic" : post ? "post" : null,
      [
        {
          request: `GET ${issuer}/.well-known/openid-configuration`,
          status: 200,
          answer: { token_endpoint_auth_methods_supported: methods },
        },
      ],
      methods.length === 0 ? "the document lists no client auth method" : undefined,
    ),
  );
  // The document the session discovered the API with (read again only when cxone.baseUrl skipped it).
  const own = await session.discovery(ctx.signal).catch(() => undefined);
  if (own?.area) ctx.info.area = own.area;
  const request = `GET ${issuer}/.well-known/cxone-configuration?tenantId=${UNKNOWN_TENANT}`;
  try {
    const doc = await session.tenantConfiguration(UNKNOWN_TENANT, ctx.signal);
    out.push(
      seen("unknownTenant", "serve", [{ request, status: 200, answer: { api_endpoint: doc.apiEndpoint } }]),
    );
  } catch (error) {
    if (error instanceof CxoneError && error.status === 404)
      out.push(seen("unknownTenant", "404", [{ request, status: 404 }]));
    else if (error instanceof CxoneError && error.status === 200)
      // A document without an api_endpoint: served, but empty.
      out.push(seen("unknownTenant", "serve", [{ request, status: 200 }]));
    else throw error;
  }
  return out;
}

/** The facts the business unit's read tells. */
export const BUSINESS_UNIT_FACTS = [
  "allowPredictiveDialing",
  "enableSkillAbandonRate",
  "abandonRateScope",
  "apiPublishedLimit",
  "numbersAsStrings",
  "stringly",
  "callSuppression",
];

/** The business unit: its dialing fields, its zone, and how it types numbers and booleans. */
export async function probeBusinessUnit(ctx: ReadContext, info: TenantInfo): Promise<Observation[]> {
  const answer = await get(ctx, "/business-unit", "GET /business-unit");
  if (!ok(answer)) return refusedAll(answer, info, BUSINESS_UNIT_FACTS);
  const row = listOf(answer.body, "businessUnits")[0] ?? {};
  info.timeZone = ianaZoneOf(text(row.defaultTimeZone));
  const zones = await get(ctx, "/timezones", "GET /timezones");
  if (ok(zones)) info.zoneNames = listOf(zones.body, "timeZones").flatMap((z) => text(z.standardName) ?? []);
  const fields = [
    "businessUnitId",
    "defaultTimeZone",
    "isActive",
    "allowPredictiveDialing",
    "enableSkillAbandonRate",
    "abandonRateScope",
    "apiPublishedLimit",
    "callSuppression",
  ];
  const evidence = [
    evidenceOf(answer, Object.fromEntries(fields.filter((f) => f in row).map((f) => [f, row[f]]))),
  ];
  const absent = (field: string) => (field in row ? undefined : `the business unit has no ${field} field`);
  const id = row.businessUnitId;
  const active = row.isActive;
  return [
    seen(
      "allowPredictiveDialing",
      bool(row.allowPredictiveDialing),
      evidence,
      absent("allowPredictiveDialing"),
    ),
    seen(
      "enableSkillAbandonRate",
      bool(row.enableSkillAbandonRate),
      evidence,
      absent("enableSkillAbandonRate"),
    ),
    seen("abandonRateScope", text(row.abandonRateScope), evidence, absent("abandonRateScope")),
    seen("apiPublishedLimit", num(row.apiPublishedLimit), evidence, absent("apiPublishedLimit")),
    seen("callSuppression", bool(row.callSuppression), evidence, absent("callSuppression")),
    seen(
      "numbersAsStrings",
      typeof id === "number" ? false : typeof id === "string" && /^-?\d+$/.test(id) ? true : null,
      evidence,
    ),
    seen(
      "stringly",
      typeof active === "boolean"
        ? false
        : typeof active === "string"
          ? /^(true|false)$/i.test(active)
          : null,
      evidence,
    ),
  ];
}

/** A request without a JSON Accept header, and the error layout of an unknown id. */
export async function probeRequestHandling(ctx: ReadContext): Promise<Observation[]> {
  const bare = await get(ctx, "/business-unit", "GET /business-unit", undefined, { accept: "" });
  const refused = !ok(bare);
  const out = [
    seen("requireAccept", refused, [evidenceOf(bare, refused ? undefined : null)]),
    refused && [406, 415, 400].includes(bare.status)
      ? seen("acceptStatus", bare.status, [evidenceOf(bare)])
      : untold("acceptStatus", refused ? `refused with ${bare.status}` : "not refused"),
  ];
  const unknown = await get(ctx, pathOf`/skills/${UNKNOWN_SKILL}`, "GET /skills/{skillId}");
  const body = isObject(unknown.body) ? unknown.body : undefined;
  const layout = ok(unknown)
    ? null
    : body && "error" in body && "errorDescription" in body
      ? "cxone"
      : body && "error" in body && "error_description" in body
        ? "oauth"
        : body && "message" in body
          ? "message"
          : unknown.description
            ? "header"
            : null;
  out.push(
    seen(
      "errorBody",
      layout,
      [
        evidenceOf(unknown, {
          keys: body ? Object.keys(body) : [],
          icStatusDescription: unknown.description ?? null,
        }),
      ],
      layout === null
        ? `an unknown skill answered ${unknown.status} in a layout none of the known ones`
        : undefined,
    ),
  );
  return out;
}
