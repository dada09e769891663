import { z } from "zod";
import {
  authStyleSchema,
  complianceSchema,
  consentSchema,
  httpSchema,
  productionApiSchema,
} from "../core/config/client-schema.ts";
import { tsrSchema } from "../core/config/rnd-schema.ts";
import { API_VERSION_PATTERN, AREA_PATTERN, HTTP_PROTOCOL } from "../core/config/rules.ts";
import { InputError } from "../core/input-error.ts";
import type { ProductionConnectionOptions, SeedConnectionOptions } from "./client-types.ts";

/**
 * The schemas `createClient` checks its options with (zod), in a module of their own: building a
 * client (build-client.ts) is handed the check, so the CLI, whose options come from settings the
 * same schemas already checked, builds one without loading zod — `cxo compliance check`, run once
 * a number by a dialing script, among them (test/compliance/check-path.test.ts).
 */

const text = z.string().min(1, "must be a non-empty string");
const httpUrl = () => z.url({ error: "must be an http(s) URL", protocol: HTTP_PROTOCOL });

const OPTION_SCHEMAS = {
  seedConnection: z.object({
    baseUrl: httpUrl(),
    tokenUrl: httpUrl().optional(),
    clientId: text,
    clientSecret: text,
  }),
  productionConnection: z.object({
    issuer: httpUrl().optional(),
    // The registered application is optional: the access key logs in alone.
    clientId: text.optional(),
    clientSecret: text.optional(),
    area: z.string().regex(AREA_PATTERN, "must look like na1").optional(),
    accessKeyUrl: httpUrl().optional(),
    accessKeyId: text,
    accessKeySecret: text,
    tenantId: text.optional(),
    apiVersion: z.string().regex(API_VERSION_PATTERN, "must look like v33.0").optional(),
    apiEndpoint: httpUrl().optional(),
    tenantProfile: text.optional(),
  }),
  auth: authStyleSchema,
  http: httpSchema,
  consent: consentSchema,
  compliance: complianceSchema,
  productionApi: productionApiSchema,
  tsr: tsrSchema,
  rnd: z.strictObject({
    url: httpUrl(),
    tokenUrl: httpUrl().optional(),
    clientId: text,
    clientSecret: text,
    batchSize: z.number().int().min(1).max(1000).default(1000),
    maxAgeDays: z.number().int().min(0).max(31).default(30),
    noData: z.enum(["allow", "refuse"]).default("allow"),
  }),
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
