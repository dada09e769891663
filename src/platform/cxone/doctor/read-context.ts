import { clockNowMs } from "../../../core/clock/now.ts";
import type { ProductionApiSettings } from "../../../core/config/schema.ts";
import type { EndpointGroup } from "../../../core/http/group-names.ts";
import type { DoctorEvidence } from "../../ports/doctor.ts";
import type { ProductionApi } from "../api.ts";
import { evidenceOf, type ProbeAnswer, probeCall } from "./probe-call.ts";
/**
 * What the read-only probes share (read-probes.ts lists them): the observation, the context,
 * the GET in the adapter's own endpoint groups, and the small helpers. Nothing here writes.
 */
export interface Observation {
  id: string;
  /** null: the probe could not tell (the note says why). */
  observed: unknown;
  evidence: DoctorEvidence[];
  note?: string;
}

export interface ReadContext {
  info: TenantInfo;
  api: ProductionApi;
  settings: ProductionApiSettings;
  signal: AbortSignal | undefined;
}

/** What the probes learn about the tenant besides facts (for the report's header and the profile). */
export interface TenantInfo {
  timeZone: string | undefined;
  /** The API area the tenant's discovery document names. */
  area?: string | undefined;
  /** The time zone names the tenant lists (`GET /timezones`): what a list upload may name. */
  zoneNames?: string[];
  /** How far behind the asked end the skill summary's own endDate was (seconds); null: not behind. */
  summaryBehindS?: number | null;
  /** Endpoints the role was refused (403): the permissions it lacks. */
  refused: string[];
  /** A Personal Connection skill to read parameters from (the scratch skill when given). */
  skillId: string | undefined;
}

export const seen = (
  id: string,
  observed: unknown,
  evidence: DoctorEvidence[],
  note?: string,
): Observation => ({
  id,
  observed: observed === undefined ? null : observed,
  evidence,
  ...(note ? { note } : {}),
});

export const untold = (id: string, note: string, evidence: DoctorEvidence[] = []): Observation =>
  seen(id, null, evidence, note);

export const PHONE_CALL = 4;
export const UNKNOWN_TENANT = "00000000-0000-4000-8000-000000000000";
export const UNKNOWN_SKILL = "999999999999";
export const ORDER_KEYS = ["contactStartDate", "lastUpdateTime", "contactId"] as const;

/** The adapter's own endpoint group of a path: probes share its rate limits with it. */
export function groupOf(path: string): EndpointGroup {
  if (path.startsWith("/contacts/completed")) return "outcomes";
  if (path.startsWith("/skills/summary") || path.startsWith("/wfm-data")) return "analytics";
  if (/^\/skills\/[^/]+\/parameters/.test(path)) return "dialer";
  if (path.startsWith("/tags") || path.startsWith("/contacts/")) return "dispositions";
  return "campaigns";
}

export function get(
  ctx: ReadContext,
  path: string,
  endpoint: string,
  query?: ProbeAnswerQuery,
  headers?: Record<string, string>,
) {
  return probeCall(
    ctx.api,
    {
      method: "GET",
      path,
      endpoint,
      group: groupOf(path),
      ...(query ? { query } : {}),
      ...(headers ? { headers } : {}),
    },
    ctx.signal,
  );
}
export type ProbeAnswerQuery = Record<string, string | number | boolean | undefined>;

/** The tenant's clock when it sent one (its `Date` header), else ours. */
export function serverNow(answer: ProbeAnswer): number {
  const sent = Date.parse(answer.headers.date ?? "");
  return Number.isFinite(sent) ? sent : clockNowMs();
}

/** Discovery: the client auth methods listed, and what an unknown tenant gets. */

/** An instant as ISO 8601 (UTC). */
export const iso = (ms: number) => new Date(ms).toISOString();

/** Every fact of an answer the role was refused, as untold (and the refusal noted). */
export function refusedAll(answer: ProbeAnswer, info: TenantInfo, ids: string[]): Observation[] {
  if (answer.status === 403) info.refused.push(`${answer.request.method} ${answer.request.path}`);
  return ids.map((id) =>
    untold(id, `${answer.request.method} ${answer.request.path} answered ${answer.status}`, [
      evidenceOf(answer),
    ]),
  );
}
