import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real local HTTP server whose answers each test scripts: an OAuth token endpoint that counts
 * its requests, and an API handler that can answer, delay, or reset the connection. Every
 * request is recorded (arrival time, method, path, headers, body) so tests assert on what
 * actually went over the wire.
 */
export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export type ScriptedAnswer =
  | {
      status: number;
      headers?: Record<string, string>;
      body?: unknown;
      delayMs?: number;
      /** Send the full Content-Length but only half the body, then close the connection. */
      truncate?: boolean;
    }
  | "reset";

/**
 * Answers one API request. `closed` aborts when the client closes the request before its answer
 * is sent (its call was stopped): a handler holding an answer back sees the client give up.
 */
export type ApiHandler = (
  request: RecordedRequest,
  index: number,
  closed: AbortSignal,
) => ScriptedAnswer | Promise<ScriptedAnswer>;

export interface TokenBehaviour {
  expiresIn: number;
  /** Delay before answering, so concurrent callers overlap the fetch. */
  delayMs: number;
  /** Override the token endpoint's answer (e.g. 401 invalid_client). */
  answer?: (request: RecordedRequest) => ScriptedAnswer | undefined;
  scope: string;
}

export interface ScriptedServer {
  url: string;
  requests: RecordedRequest[];
  tokenRequests: RecordedRequest[];
  apiRequests: RecordedRequest[];
  /** Access tokens issued so far, in order. */
  issued: string[];
  /** Tokens the API must reject with 401 (revoked). */
  revoked: Set<string>;
  token: TokenBehaviour;
  setApi(handler: ApiHandler): void;
  close(): Promise<void>;
}

const TOKEN_PATHS = new Set(["/oauth/token", "/v1/oauth/token", "/api/v2/oauth/token"]);

export const TEST_CLIENT_ID = "test-client";
export const TEST_CLIENT_SECRET = "s3cr3t-client-secret-value";

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function send(response: ServerResponse, answer: Exclude<ScriptedAnswer, "reset">): void {
  const body =
    answer.body === undefined
      ? ""
      : typeof answer.body === "string"
        ? answer.body
        : JSON.stringify(answer.body);
  const bytes = Buffer.from(body);
  response.writeHead(answer.status, {
    "content-type": typeof answer.body === "string" ? "text/plain" : "application/json",
    "content-length": String(bytes.length),
    ...answer.headers,
  });
  if (answer.truncate) {
    response.write(bytes.subarray(0, bytes.length >> 1), () => response.socket?.end());
    return;
  }
  response.end(bytes);
}

export async function startScriptedServer(): Promise<ScriptedServer> {
  let api: ApiHandler = () => ({ status: 200, body: { ok: true } });
  let apiCount = 0;
  const state: Omit<ScriptedServer, "url" | "close" | "setApi"> = {
    requests: [],
    tokenRequests: [],
    apiRequests: [],
    issued: [],
    revoked: new Set(),
    token: { expiresIn: 3600, delayMs: 20, scope: "outbound:campaign:read outbound:calls:read" },
  };

  const server: Server = createServer(async (request, response) => {
    const closed = new AbortController();
    response.on("close", () => {
      if (!response.writableFinished) closed.abort();
    });
    const url = new URL(request.url ?? "/", "http://localhost");
    const recorded: RecordedRequest = {
      at: performance.now(),
      method: request.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      body: await readBody(request),
    };
    state.requests.push(recorded);

    if (TOKEN_PATHS.has(url.pathname)) {
      state.tokenRequests.push(recorded);
      await new Promise((resolve) => setTimeout(resolve, state.token.delayMs));
      const override = state.token.answer?.(recorded);
      if (override === "reset") return void request.socket.destroy();
      if (override) return send(response, override);
      const token = `tok-${state.issued.length + 1}-${Math.random().toString(36).slice(2, 12)}`;
      state.issued.push(token);
      return send(response, {
        status: 200,
        body: {
          access_token: token,
          expires_in: state.token.expiresIn,
          token_type: "Bearer",
          scope: state.token.scope,
        },
      });
    }

    state.apiRequests.push(recorded);
    const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ""))?.[1];
    if (!bearer || !state.issued.includes(bearer) || state.revoked.has(bearer)) {
      return send(response, { status: 401, body: { error: "invalid_token" } });
    }
    const answer = await api(recorded, apiCount++, closed.signal);
    if (answer === "reset") return void request.socket.destroy();
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    send(response, answer);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    setApi(handler: ApiHandler) {
      api = handler;
      apiCount = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
