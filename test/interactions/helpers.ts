import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInternalClient, type InternalClient } from "../../src/client.ts";
import { type Fixtures, type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import type { Interaction } from "../../src/platform/types.ts";

/** Shared by the interaction tests: a real emulator, an SDK client on it, temp data dirs, a proxy. */

export async function emulator(): Promise<RunningEmulator> {
  return startEmulator({ port: 0, rateLimitScale: 1000, metricsIntervalMs: 0 });
}

export function admin(fixtures: Fixtures) {
  const client = fixtures.clients[0];
  if (!client) throw new Error("fixtures without clients");
  return client;
}

export function sdkClient(
  baseUrl: string,
  fixtures: Fixtures,
  http: Record<string, number> = {},
): InternalClient {
  const { clientId, clientSecret } = admin(fixtures);
  return createInternalClient({
    connection: { baseUrl, clientId, clientSecret },
    http: { backoffBaseMs: 5, backoffCapMs: 50, ...http },
  });
}

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-interactions-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Interactions of the fixtures that pass `accept` (read through the SDK), each used once. */
export async function interactionsWhere(
  client: InternalClient,
  fixtures: Fixtures,
  accept: (interaction: Interaction) => boolean,
): Promise<Interaction[]> {
  const found: Interaction[] = [];
  for (const { id } of fixtures.interactions) {
    const { interaction } = await client.port.interactions.get(id);
    if (accept(interaction)) found.push(interaction);
  }
  return found;
}

export const noSecondary = (i: Interaction) => i.dispositions.every((d) => !d.code.startsWith("2"));

export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
}

export async function requestLog(baseUrl: string): Promise<RequestLogEntry[]> {
  const answer = await fetch(`${baseUrl}/_emulator/requests`);
  return ((await answer.json()) as { requests: RequestLogEntry[] }).requests;
}

export async function clearRequestLog(baseUrl: string): Promise<void> {
  await fetch(`${baseUrl}/_emulator/requests`, { method: "DELETE" });
}

export async function fault(baseUrl: string, body: Record<string, unknown>): Promise<void> {
  const answer = await fetch(`${baseUrl}/_emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (answer.status !== 201) throw new Error(`fault: ${answer.status} ${await answer.text()}`);
}

/**
 * What the proxy does with the n-th PATCH (1-based): pass it on; pass it on and then drop the
 * connection (the change is applied, the answer is lost); drop it without passing it on; or
 * answer 503 without passing it on.
 */
export type PatchAction = "forward" | "forward-then-reset" | "reset" | "503";

export interface LossyProxy {
  url: string;
  patches: number;
  close(): Promise<void>;
}

/** A pass-through HTTP proxy in front of the emulator that can lose PATCH answers. */
export async function lossyProxy(target: string, onPatch: (n: number) => PatchAction): Promise<LossyProxy> {
  const state = { patches: 0 };
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const action = req.method === "PATCH" ? onPatch(++state.patches) : "forward";
    if (action === "reset") return void req.socket.destroy();
    if (action === "503") {
      res.writeHead(503, { "content-type": "application/json" });
      return void res.end('{"error":"proxy_unavailable"}');
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string" && !["host", "connection", "content-length"].includes(name))
        headers[name] = value;
    }
    const upstream = await fetch(`${target}${req.url}`, {
      method: req.method ?? "GET",
      headers,
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    });
    const body = Buffer.from(await upstream.arrayBuffer());
    if (action === "forward-then-reset") return void req.socket.destroy();
    const out: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (
        !["content-length", "connection", "keep-alive", "transfer-encoding", "content-encoding"].includes(
          name,
        )
      )
        out[name] = value;
    });
    res.writeHead(upstream.status, out);
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get patches() {
      return state.patches;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
