import { z } from "zod";
import {
  auditSchema,
  authStyleSchema,
  complianceSchema,
  consentSchema,
  connectionFields as field,
  groupCommitMsSchema,
  httpSchema,
  productionApiSchema,
} from "../core/config/client-schema.ts";
import { rndClientSchema, tsrSchema } from "../core/config/rnd-schema.ts";
import { DEFAULT_API_VERSION, DEFAULT_AREA, DEFAULT_ISSUER } from "../core/config/rules.ts";
import type { HttpEventSink } from "../core/http/events.ts";
import { InputError } from "../core/input-error.ts";
import type { ProductionConnectionOptions, SeedConnectionOptions } from "./client-types.ts";

/**
 * The schemas `createClient` checks its options with (zod), in a module of their own: building a
 * client (build-client.ts) is handed the check, so the CLI, whose options come from settings the
 * same schemas already checked, builds one without loading zod — `cxo compliance check`, run once
 * a number by a dialing script, among them (test/compliance/check-path.test.ts). Every field's
 * rule and default is the settings file's (core/config/client-schema.ts, rules.ts, rnd-schema.ts).
 */
const OPTION_SCHEMAS = {
  seedConnection: z.object({
    baseUrl: field.baseUrl,
    tokenUrl: field.tokenUrl.optional(),
    clientId: field.clientId,
    clientSecret: field.clientSecret,
  }),
  productionConnection: z.object({
    issuer: field.issuer.default(DEFAULT_ISSUER),
    // The registered application is optional: the access key logs in alone.
    clientId: field.clientId.optional(),
    clientSecret: field.clientSecret.optional(),
    area: field.area.default(DEFAULT_AREA),
    accessKeyUrl: field.accessKeyUrl.optional(),
    accessKeyId: field.accessKeyId,
    accessKeySecret: field.accessKeySecret,
    tenantId: field.tenantId.optional(),
    apiVersion: field.apiVersion.default(DEFAULT_API_VERSION),
    apiEndpoint: field.apiEndpoint.optional(),
    tenantProfile: field.tenantProfile.optional(),
  }),
  auth: authStyleSchema,
  http: httpSchema,
  consent: consentSchema,
  compliance: complianceSchema,
  productionApi: productionApiSchema,
  tsr: tsrSchema,
  rnd: rndClientSchema,
  groupCommitMs: groupCommitMsSchema,
  audit: auditSchema,
  onHttpEvent: z.custom<HttpEventSink>((value) => typeof value === "function", "must be a function"),
};

/**
 * The connection's fields the types name and the schemas check are the same fields (`platform`,
 * `auth` and `productionApi` are checked on their own): a field added to one and not the other
 * does not compile. The settings file's `cxone:` (core/config/schema.ts) takes the same rules.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type CheckedApart = "platform" | "auth" | "productionApi";
type Fields<T> = Exclude<keyof T, CheckedApart>;
const seedFieldsChecked: Same<
  Fields<SeedConnectionOptions>,
  keyof z.output<typeof OPTION_SCHEMAS.seedConnection>
> = true;
const productionFieldsChecked: Same<
  Fields<ProductionConnectionOptions>,
  keyof z.output<typeof OPTION_SCHEMAS.productionConnection>
> = true;
void seedFieldsChecked;
void productionFieldsChecked;

/** Each checked option as its schema outputs it (defaults filled in). */
export type CheckedOptions = { [K in keyof typeof OPTION_SCHEMAS]: z.output<(typeof OPTION_SCHEMAS)[K]> };

/** Checks one option: its value as the schema outputs it, or an InputError naming `field.path`. */
export type OptionCheck = <K extends keyof CheckedOptions>(
  name: K,
  value: unknown,
  field: string,
) => CheckedOptions[K];

/** `createClient`'s check: the option's schema (zod never escapes: its issues become an InputError). */
export const checkOption: OptionCheck = (name, value, field) => {
  const result = OPTION_SCHEMAS[name].safeParse(value);
  if (result.success) return result.data as never;
  throw new InputError(
    result.error.issues.map((issue) => ({
      field: [field, ...issue.path.map(String)].join("."),
      rule: issue.message,
    })),
  );
};
