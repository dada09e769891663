import { CxoneError } from "../../../core/http/errors.ts";
import type { EndpointGroup } from "../../../core/http/group-names.ts";
import type { QueryValue } from "../../../core/http/http-client.ts";
import { redactPersonal } from "../../../core/logging/personal-data.ts";
import type { DoctorEvidence, DoctorWrite } from "../../ports/doctor.ts";
import type { ProductionApi } from "../api.ts";

/**
 * One probe request: sent like any adapter request (token, rate limits, retries of 429/5xx), but
 * a refusal (4xx) is an answer to read, not an error to raise, since the refusal is often the
 * fact being probed (an `orderBy` key refused, a PUT in the wrong types).
 */
export interface ProbeRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Below the API version (`/contacts/completed`). */
  path: string;
  /** Another API version than the pinned one (`v12.0`). */
  version?: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  body?: unknown;
  group: EndpointGroup;
  /** The route's name in metrics and errors. */
  endpoint: string;
}

export interface ProbeAnswer {
  request: ProbeRequest;
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** CXone's own words for a refusal (its error body or the `icStatusDescription` header). */
  description: string | undefined;
  errorCode: string | undefined;
}

export async function probeCall(
  api: ProductionApi,
  request: ProbeRequest,
  signal?: AbortSignal,
): Promise<ProbeAnswer> {
  try {
    const response = await api.request({
      method: request.method,
      path: request.path,
      ...(request.version ? { version: request.version } : {}),
      endpoint: request.endpoint,
      group: request.group,
      ...(request.query ? { query: request.query } : {}),
      ...(request.headers ? { headers: request.headers } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
      ...(request.method === "POST" ? { idempotencyKey: true as const } : {}),
      ...(signal ? { signal } : {}),
    });
    return {
      request,
      status: response.status,
      body: response.body,
      headers: response.headers,
      description: undefined,
      errorCode: undefined,
    };
  } catch (error) {
    if (
      error instanceof CxoneError &&
      typeof error.status === "number" &&
      error.status >= 400 &&
      error.status < 500 &&
      error.status !== 429
    )
      return {
        request,
        status: error.status,
        body: error.body,
        headers: {},
        description: error.cxoneDescription,
        errorCode: error.cxoneError,
      };
    throw error;
  }
}

/** The request as a line: method, path, query (values masked like the answer). */
export function requestLine(request: ProbeRequest): string {
  const query = Object.entries(request.query ?? {})
    .filter(([, value]) => value !== undefined)
    .map(
      ([name, value]) => `${name}=${String(redactPersonal(Array.isArray(value) ? value.join(",") : value))}`,
    );
  return `${request.method} ${request.path}${query.length > 0 ? `?${query.join("&")}` : ""}`;
}

/** Evidence of an answer: the request line, the status, and `part` of the answer (masked). */
export function evidenceOf(answer: ProbeAnswer, part?: unknown): DoctorEvidence {
  const shown =
    part !== undefined
      ? part
      : answer.status >= 400
        ? { body: answer.body ?? null, ...(answer.description ? { description: answer.description } : {}) }
        : undefined;
  return {
    request: requestLine(answer.request),
    status: answer.status,
    ...(shown !== undefined ? { answer: redactPersonal(shown) } : {}),
  };
}

export const ok = (answer: ProbeAnswer): boolean => answer.status >= 200 && answer.status < 300;

/**
 * A probe's request, kept among the run's writes when `write` says it changes the tenant;
 * `signal`, when given, replaces the run's (a waiter's poll signal, which the run's abort and the
 * wait's bound both end).
 */
export type RecordingCall = (
  request: ProbeRequest,
  write: boolean,
  signal?: AbortSignal,
) => Promise<ProbeAnswer>;

/**
 * `probeCall` with the writes a probe makes recorded (doctor's report lists every one): the one
 * caller every write probe uses.
 */
export function recordingCaller(
  api: ProductionApi,
  signal?: AbortSignal,
): { call: RecordingCall; writes: DoctorWrite[] } {
  const writes: DoctorWrite[] = [];
  const call: RecordingCall = async (request, write, pollSignal) => {
    const answer = await probeCall(api, request, pollSignal ?? signal);
    if (write) writes.push({ request: requestLine(answer.request), status: answer.status, restored: false });
    return answer;
  };
  return { call, writes };
}
