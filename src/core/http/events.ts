/**
 * What the HTTP core reports as it works, for metrics, audit and debug logs. Never carries a
 * header, a body or a token: only what happened, where, and how long it took.
 */
export type HttpEvent =
  | { type: "request"; group: string; method: string; endpoint: string; attempt: number }
  | {
      type: "response";
      group: string;
      method: string;
      endpoint: string;
      attempt: number;
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
      code: string;
      latencyMs: number;
    }
  | {
      type: "retry";
      group: string;
      method: string;
      endpoint: string;
      attempt: number;
      delayMs: number;
      reason: string;
    }
  | { type: "throttle"; group: string; pauseMs: number }
  | { type: "token"; action: "fetched" | "invalidated"; expiresInS?: number };

export type HttpEventSink = (event: HttpEvent) => void;
