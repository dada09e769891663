import { createHash } from "node:crypto";
import { DateTime, IANAZone } from "luxon";
import { z } from "zod";
import { canonicalJson } from "../core/audit/canonical-json.ts";
import { clockNowDate } from "../core/clock/now.ts";
import { ID_PATTERN, ID_RULE } from "../core/ids.ts";
import { InputError } from "../core/input-error.ts";
import { naiveWallMs, zonedInstantMs, zonedInstantProblem } from "../core/instant-input.ts";
import type { CallQuery } from "../platform/types.ts";
/**
 * The export query, validated before anything is sent: campaign id, an [from, to) window inside
 * CXone's 90-day retention and not in the future, page size 1–5000, disposition codes, and
 * date-times that say which zone they are in. The seed compared naive and aware datetimes;
 * here a date-time without an offset is refused unless `tz` names its zone.
 */
export const RETENTION_DAYS = 90;
export const MAX_PAGE_SIZE = 5000;

const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** What a caller gives (CLI flags or SDK fields), before validation. */
export interface ExportQueryInput {
  campaign?: unknown;
  from?: unknown;
  to?: unknown;
  codes?: unknown;
  pageSize?: unknown;
  tz?: unknown;
}

/** A validated query. `from`/`to` are UTC ISO strings, so the same window always reads the same. */
export interface ExportQuery {
  campaignId: string;
  from: string;
  to: string;
  codes: string[];
  pageSize: number;
  /** The zone the day/hour breakdowns are computed in (the --tz given, else UTC). */
  zone: string;
}

/** The field each problem names: the SDK's query field (the CLI maps them to its flags). */
export const QUERY_FIELDS: Record<keyof ExportQueryInput, string> = {
  campaign: "campaignId",
  from: "from",
  to: "to",
  codes: "codes",
  pageSize: "pageSize",
  tz: "tz",
};

const zoneSchema = z
  .string()
  .refine((zone) => IANAZone.isValidZone(zone), "must be an IANA time zone such as America/New_York")
  .optional();

function dateTimeSchema(zone: string | undefined) {
  return z.string().transform((text, ctx) => {
    const rule = zonedInstantProblem(text, { zoneGiven: zone !== undefined, naiveHint: "or give `tz`" });
    if (rule !== undefined) {
      ctx.addIssue({ code: "custom", message: rule });
      return z.NEVER;
    }
    const ms = zonedInstantMs(text);
    if (ms !== undefined) return DateTime.fromMillis(ms, { zone: "utc" });
    // No zone of its own: its wall time read in `tz` (a time a spring-forward skips moves on, as luxon does).
    const wall = DateTime.fromMillis(naiveWallMs(text) as number, { zone: "utc" });
    return wall.setZone(zone as string, { keepLocalTime: true }).toUTC();
  });
}

function codesSchema() {
  return z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return [];
      const list = (Array.isArray(value) ? value : value.split(",")).map((code) => code.trim());
      if (list.length === 0 || list.every((code) => code === "")) {
        ctx.addIssue({ code: "custom", message: "must list at least one disposition code (A,B)" });
        return z.NEVER;
      }
      for (const code of list)
        if (!CODE_PATTERN.test(code)) {
          ctx.addIssue({
            code: "custom",
            message: `"${code}" is not a disposition code (letters, digits, _ . -; at most 64)`,
          });
          return z.NEVER;
        }
      return [...new Set(list)].sort();
    });
}

const pageSizeSchema = z
  .union([z.number(), z.string().regex(/^\d+$/, "must be a whole number from 1 to 5000")])
  .optional()
  .transform((value) => (value === undefined ? 1000 : Number(value)))
  .pipe(
    z
      .number()
      .int("must be a whole number from 1 to 5000")
      .min(1, "must be at least 1")
      .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE} (CXone's per-request limit)`),
  );

/** Validates a query; throws InputError naming every bad field. `now` is injectable for tests. */
export function parseExportQuery(input: ExportQueryInput, now: Date = clockNowDate()): ExportQuery {
  const zoneResult = zoneSchema.safeParse(input.tz);
  const zone = zoneResult.success ? zoneResult.data : undefined;
  const schema = z
    .object({
      campaign: z.string({ error: "is required" }).regex(ID_PATTERN, ID_RULE),
      from: dateTimeSchema(zone),
      to: dateTimeSchema(zone),
      codes: codesSchema(),
      pageSize: pageSizeSchema,
      tz: zoneSchema,
    })
    .superRefine((value, ctx) => {
      const nowMs = now.getTime();
      const oldest = nowMs - RETENTION_DAYS * 86_400_000;
      if (value.from.toMillis() < oldest)
        ctx.addIssue({
          code: "custom",
          path: ["from"],
          message: `is older than CXone's ${RETENTION_DAYS}-day retention (earliest ${new Date(oldest).toISOString()})`,
        });
      if (value.to.toMillis() > nowMs)
        ctx.addIssue({ code: "custom", path: ["to"], message: "is in the future" });
      if (value.from.toMillis() >= value.to.toMillis())
        ctx.addIssue({
          code: "custom",
          path: ["from"],
          message: "must be before the end of the window (to)",
        });
    });
  const result = schema.safeParse({
    ...input,
    from: input.from ?? undefined,
    to: input.to ?? undefined,
  });
  if (!result.success)
    throw new InputError(
      result.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? "") as keyof ExportQueryInput;
        return {
          field: QUERY_FIELDS[key] ?? key,
          rule: issue.code === "invalid_type" && issue.input === undefined ? "is required" : issue.message,
        };
      }),
    );
  const { campaign, from, to, codes, pageSize } = result.data;
  return {
    campaignId: campaign,
    from: from.toISO({ suppressMilliseconds: false }) as string,
    to: to.toISO({ suppressMilliseconds: false }) as string,
    codes,
    pageSize,
    zone: zone ?? "UTC",
  };
}

/** The port's query for this export (and a resume token when continuing). */
export function toCallQuery(query: ExportQuery, startToken?: string): CallQuery {
  return {
    campaignId: query.campaignId,
    from: query.from,
    to: query.to,
    pageSize: query.pageSize,
    ...(query.codes.length > 0 ? { dispositionCodes: query.codes } : {}),
    ...(startToken ? { startToken } : {}),
  };
}

/**
 * The checkpoint key of an export: the query plus where and how it is written. The same
 * command line finds its own checkpoint; another window, page size or file never does.
 */
export function exportKey(query: ExportQuery, out: string, format: string): string {
  const text = canonicalJson({ ...queryFields(query), out, format });
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}

/** The fields that define an export's records (in its checkpoint key and its audit record). */
export function queryFields(query: ExportQuery) {
  return {
    campaignId: query.campaignId,
    from: query.from,
    to: query.to,
    codes: query.codes,
    pageSize: query.pageSize,
  };
}
