import { z } from "zod";
import { campaignIdProblem } from "../core/ids.ts";
import type { InputProblem } from "../core/input-error.ts";
import { zodProblems } from "../core/input-file.ts";
import { instantInputMs, instantInputProblem } from "../core/instant-input.ts";
import { DIALER_METRICS } from "../platform/ports/dialer.ts";

/**
 * What a dialer analytics query and an audit-log query must be before anything is sent, in one
 * place: `client.dialer.metrics` / `auditLog` refuse with these problems (an InputError naming
 * the SDK's fields), and `cxo dialer metrics` / `cxo dialer audit` ask the same and name their
 * flags. Pure. A date without a zone would be read in the machine's zone, a bad one would fail
 * at the first request, and an unknown metric would be left out of the rows: each is refused.
 */

const entitySchema = z.object({ entity: z.enum(["dialer", "campaign"]) });

/** The problem with a date-time bound (`from`, `to`) of a query, or null when it is one with a zone. */
function zonedProblem(field: string, value: unknown): InputProblem | null {
  if (value === undefined) return null;
  const rule = instantInputProblem(value);
  return rule === undefined ? null : { field, rule };
}

/** The problem with a page size given: a whole number of at least 1. */
function pageSizeProblem(value: unknown): InputProblem | null {
  return value === undefined || (Number.isSafeInteger(value) && (value as number) >= 1)
    ? null
    : { field: "pageSize", rule: "must be a whole number of at least 1" };
}

/** A metrics query as a caller may give it (anything: the problems say what is wrong). */
export interface MetricsQueryInput {
  campaignId?: unknown;
  metrics?: unknown;
  groupBy?: unknown;
  from?: unknown;
  to?: unknown;
  pageSize?: unknown;
}

/**
 * Every problem with a dialer metrics query (empty when it can be sent): the campaign id, the
 * metric names (each one of DIALER_METRICS), `from` and `to` ISO 8601 with a zone (or a valid
 * Date, from the SDK) and `from` before `to`, `groupBy` hour or day, `pageSize` a whole number. `metricsWritten` is how the
 * caller's user writes the metrics ("list" for the SDK's array, "comma list" for a flag).
 */
export function dialerMetricsProblems(
  query: MetricsQueryInput,
  metricsWritten: "list" | "comma list" = "list",
): InputProblem[] {
  const problems: (InputProblem | null)[] = [];
  const names = Array.isArray(query.metrics) ? (query.metrics as unknown[]) : [];
  const unknown = names.filter((n) => !(DIALER_METRICS as readonly unknown[]).includes(n)).map(String);
  if (names.length === 0 || unknown.length > 0)
    problems.push({
      field: "metrics",
      rule: `must be a ${metricsWritten} of ${DIALER_METRICS.join(", ")}${unknown.length ? ` (unknown: ${unknown.join(", ")})` : ""}`,
    });
  problems.push(
    query.campaignId === undefined
      ? { field: "campaignId", rule: "is required (a campaign id)" }
      : campaignIdProblem(query.campaignId, "campaignId"),
  );
  problems.push(zonedProblem("from", query.from), zonedProblem("to", query.to));
  const fromMs =
    instantInputProblem(query.from) === undefined ? instantInputMs(query.from, "from") : undefined;
  const toMs = instantInputProblem(query.to) === undefined ? instantInputMs(query.to, "to") : undefined;
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs)
    problems.push({ field: "from", rule: "must be before `to`" });
  if (query.groupBy !== undefined && query.groupBy !== "hour" && query.groupBy !== "day")
    problems.push({ field: "groupBy", rule: "must be hour or day" });
  problems.push(pageSizeProblem(query.pageSize));
  return problems.filter((p): p is InputProblem => p !== null);
}

/** An audit-log query as a caller may give it. */
export interface AuditLogQueryInput {
  entity?: unknown;
  campaignId?: unknown;
  pageSize?: unknown;
}

/**
 * Every problem with a dialer audit-log query (empty when it can be sent): `entity` dialer or
 * campaign, the campaign id when given, `pageSize` a whole number.
 */
export function dialerAuditLogProblems(query: AuditLogQueryInput): InputProblem[] {
  const problems: (InputProblem | null)[] = [];
  if (query.entity !== undefined) {
    const entity = entitySchema.safeParse({ entity: query.entity });
    if (!entity.success) problems.push(...zodProblems(entity.error));
  }
  problems.push(campaignIdProblem(query.campaignId, "campaignId"), pageSizeProblem(query.pageSize));
  return problems.filter((p): p is InputProblem => p !== null);
}
