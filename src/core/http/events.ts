/**
 * What the HTTP core reports as it works, for metrics, audit and debug logs. Never carries a
 * header, a body or a token: only what happened, where, and how long it took.
 */
export type HttpEvent =
  | {
      type: "request";
      group: string;
      method: string;
      endpoint: string;
      attempt: number;
      /**
       * Which call of this client the event belongs to, so a listener pairs each `response`,
       * `network-error` and `retry` with its `request` while calls run concurrently: one number
       * per request the client's HTTP core is asked to make, the same on every attempt and retry
       * of it (`attempt` counts those). A token fetch takes a number too (its `retry` events carry
       * it; it has no `request` event). Counted per client from 1 (its CXone and RND connections
       * share the count) and never reused; not global: two clients in one process each have a call 1.
       */
      requestNo: number;
    }
  | {
      type: "response";
      group: string;
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
      group: string;
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
      group: string;
      method: string;
      endpoint: string;
      attempt: number;
      /** Which call of this client the event belongs to (per client, from 1): see `request`'s `requestNo`. */
      requestNo: number;
      delayMs: number;
      reason: string;
    }
  | { type: "throttle"; group: string; pauseMs: number }
  | { type: "token"; action: "fetched" | "invalidated"; expiresInS?: number };

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
