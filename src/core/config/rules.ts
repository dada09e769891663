/**
 * The few value rules of the settings the zod schema (schema.ts) states by name, one copy each.
 * The schema-free quick path (quick.ts) does not import them: it applies the rules
 * scripts/settings-layout.ts reads from the schema itself. No zod here.
 */

export const PLATFORMS = ["seed", "cxone"] as const;
export const AUTH_MODES = ["auto", "access-key", "application"] as const;
export const AUTH_CREDENTIALS = ["basic", "body"] as const;
export const AUTH_ENCODINGS = ["form", "json"] as const;
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** An http(s) URL's scheme, as zod's `z.url({ protocol })` tests it (without the colon). */
export const HTTP_PROTOCOL = /^https?$/;
export const AREA_PATTERN = /^[a-z]{2,4}\d{1,2}$/;
export const API_VERSION_PATTERN = /^v\d{1,2}\.0$/;
/** A PostgreSQL schema the store's tables live in: a lowercase SQL identifier. */
export const DATABASE_SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;
export const POSTGRES_URL_PATTERN = /^postgres(ql)?:\/\/\S+$/i;
export const INSTANCE_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
export const DESTINATION_NAME_PATTERN = /^[a-z][a-z0-9_-]*$/;
/** The production platform's defaults (`cxone.issuer`, `cxone.area`, `cxone.apiVersion`; createClient's too). */
export const DEFAULT_ISSUER = "https://cxone.niceincontact.com";
export const DEFAULT_AREA = "na1";
export const DEFAULT_API_VERSION = "v33.0";
/** store.groupCommitMs (createClient's `groupCommitMs`): the default, and the most. */
export const DEFAULT_GROUP_COMMIT_MS = 10;
export const MAX_GROUP_COMMIT_MS = 100;
/** service.accessToken and audit.anchorKey: at least this many characters. */
export const MIN_SECRET_KEY_LENGTH = 16;

/** A business unit's name in `tenants:` and `--tenant` (it names a directory and a SQL schema). */
export { TENANT_NAME_PATTERN } from "./tenant-identity.ts";
