import type { EndpointGroup } from "./group-names.ts";

/**
 * What the HTTP core reports as it works, for metrics, audit and debug logs: every request the
 * client sends — API calls, token requests and the production login's discovery reads alike,
 * each told the same way. Never carries a header, a body or a token: only what happened, where,
 * and how long it took.
 *
 * `group` is the request's endpoint group: the rate-limit group of an API call, `token` for the
 * login (the token request and the issuer's discovery documents; `endpoint` tells them apart).
 *
 * A request refused with a 401 while its token was still cached is sent again at once with a
 * fresh token (once): told as its `response` 401, the token `invalidated`, a `retry` with
 * `delayMs: 0` and `cause: { status: 401 }`, then the next attempt's `request` (that re-send is
 * not counted against the client's `http.maxAttempts`).
 *
 * New `type`s, new fields on the existing ones, and new `group` values (endpoint groups) may
 * arrive in a minor release: a listener that switches on `type` (or `group`) ignores the ones it
 * does not know.
 */
export type HttpEvent =
  | {
      type: "request";
      group: EndpointGroup;
      method: string;
      endpoint: string;
      attempt: number;
      /**
       * Which call of this client the event belongs to, so a listener pairs each `response`,
       * `network-error`, `retry`, `throttle` and `token` with its `request` while calls run concurrently: one number
       * per request the client's HTTP core is asked to make, the same on every attempt and retry
       * of it (`attempt` counts those). A token fetch and a discovery read each take a number too.
       * Counted per client from 1 (its CXone and RND connections share the count) and never
       * reused; not global: two clients in one process each have a call 1.
       */
      requestNo: number;
    }
  | {
      type: "response";
      group: EndpointGroup;
      method: string;
      endpoint: string;
      attempt: number;
      /** Which call of this client the event belongs to (per client, from 1): see `request`'s `requestNo`. */
      requestNo: number;
      status: number;
      latencyMs: number;
      requestId?: string | undefined;
    }
  | {
      type: "network-error";
      group: EndpointGroup;
      method: string;
      endpoint: string;
      attempt: number;
      /** Which call of this client the event belongs to (per client, from 1): see `request`'s `requestNo`. */
      requestNo: number;
      code: string;
      latencyMs: number;
    }
  | {
      type: "retry";
      group: EndpointGroup;
      method: string;
      endpoint: string;
      attempt: number;
      /** Which call of this client the event belongs to (per client, from 1): see `request`'s `requestNo`. */
      requestNo: number;
      delayMs: number;
      /** Why, in words ("status 503", "ECONNRESET", "status 401: token refused, refreshed"): for people and logs. */
      reason: string;
      /** Why, as data: the failed attempt's HTTP status, or its network failure's code (a metrics label). */
      cause: RetryCause;
    }
  | {
      /** A throttling answer (a 429, a 503 with Retry-After) paused the whole group for `pauseMs`. */
      type: "throttle";
      group: EndpointGroup;
      /** The method of the call whose answer paused the group. */
      method: string;
      /** The call whose answer paused the group. */
      endpoint: string;
      /** Which call of this client was throttled (per client, from 1): see `request`'s `requestNo`. */
      requestNo: number;
      pauseMs: number;
    }
  | {
      /**
       * The client's access token: `fetched` (a new one, living `expiresInS` seconds) or
       * `invalidated` (CXone refused it: a call that carried it was answered 401).
       */
      type: "token";
      action: "fetched" | "invalidated";
      /**
       * Which call of this client it belongs to (per client, from 1): see `request`'s `requestNo`.
       * On `fetched`, the token fetch's own (its `request` and `response` events carry it); on
       * `invalidated`, the call that was answered 401 (its `retry` and next `request` follow).
       */
      requestNo: number;
      expiresInS?: number;
    };

/** What a retried attempt failed with: an answer's status, or a network failure's code (`ECONNRESET`, `ATTEMPT_TIMEOUT`). */
export type RetryCause = { status: number } | { code: string };

export type HttpEventSink = (event: HttpEvent) => void;

/** Hands out a client's call numbers (`requestNo`): 1, 2, 3… each asked for once. */
export type RequestNumbers = () => number;

/** A new count of calls from 1: one per client, shared by every HTTP core it opens. */
export function requestNumbers(): RequestNumbers {
  let last = 0;
  return () => {
    last += 1;
    return last;
  };
}
