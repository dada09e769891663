import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type EmulatorOptions, type Fixtures, startEmulator } from "../../src/emulator/index.ts";
import { waitUntil } from "../support/wait-until.ts";

/**
 * Test helpers: a running emulator with its fixtures, a token per client, a tiny fetch wrapper
 * returning status/headers/json, and a local webhook receiver. Tests use plain fetch over real
 * HTTP, never our own client, so the emulator is checked independently of it.
 */
export interface Harness {
  url: string;
  fixtures: Fixtures;
  close(): Promise<void>;
  admin: Fixtures["clients"][number];
  reader: Fixtures["clients"][number];
  token(client?: Fixtures["clients"][number], scope?: string): Promise<string>;
  /** Drops cached tokens (after a fault revoked them). */
  forgetTokens(): void;
  call(method: string, path: string, options?: CallOptions): Promise<Answer>;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests poke at arbitrary JSON shapes
  body: any;
}

export async function harness(options: EmulatorOptions = {}): Promise<Harness> {
  const emu = await startEmulator({ port: 0, rateLimitScale: 1000, metricsIntervalMs: 0, ...options });
  const [admin, reader] = emu.fixtures.clients;
  if (!admin || !reader) throw new Error("fixtures without clients");
  const tokens = new Map<string, string>();
  const call = async (method: string, path: string, opts: CallOptions = {}): Promise<Answer> => {
    const headers: Record<string, string> = { accept: "application/json", ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
      headers["content-type"] ??= "application/json";
    }
    const response = await fetch(`${emu.url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
  const token = async (client = admin, scope?: string) => {
    const key = `${client.clientId} ${scope ?? ""}`;
    const cached = tokens.get(key);
    if (cached) return cached;
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: client.clientId,
      client_secret: client.clientSecret,
    });
    if (scope) form.set("scope", scope);
    const answer = await call("POST", "/oauth/token", {
      body: form.toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    if (answer.status !== 200) throw new Error(`token: ${answer.status} ${JSON.stringify(answer.body)}`);
    tokens.set(key, answer.body.access_token);
    return answer.body.access_token as string;
  };
  return {
    url: emu.url,
    fixtures: emu.fixtures,
    close: emu.close,
    admin,
    reader,
    token,
    call,
    forgetTokens: () => tokens.clear(),
  };
}

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local HTTP server that records every POST and answers `status` (200 by default). */
export async function receiver(status = 200): Promise<{
  url: string;
  received: Received[];
  waitFor(predicate: (r: Received) => boolean, timeoutMs?: number): Promise<Received>;
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        path: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      response.statusCode = status;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    waitFor: (predicate, timeoutMs = 5000) =>
      waitUntil(() => received.find(predicate), {
        what: `a matching webhook (got ${received.length} so far)`,
        timeoutMs,
        intervalMs: 20,
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

/** GETs (or sends) and parses JSON, for admin endpoints. */
// biome-ignore lint/suspicious/noExplicitAny: tests poke at arbitrary JSON shapes
export async function json(url: string, init?: RequestInit): Promise<any> {
  return (await fetch(url, init)).json();
}
