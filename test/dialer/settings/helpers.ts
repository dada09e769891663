import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { type EmulatorOptions, type Fixtures, startEmulator } from "../../../src/emulator/index.ts";
import { waitUntil } from "../../support/wait-until.ts";

/**
 * The settings-lifecycle tests' world: a real emulator (short operations), and in front of it a
 * recording proxy — the emulator's request log has no headers, and the tests must see which
 * If-Match each PUT carried. The proxy can also run a hook before forwarding a request (to let
 * "another client" change the settings at exactly the wrong moment).
 */
export interface Seen {
  method: string;
  path: string;
  ifMatch: string | undefined;
  status: number;
  body: unknown;
}

export type BeforeForward = (request: { method: string; path: string }) => Promise<void> | void;

export interface DialerHarness {
  emulatorUrl: string;
  /** Where the CLI is pointed (the recording proxy). */
  url: string;
  fixtures: Fixtures;
  seen: Seen[];
  settingsPuts(): Seen[];
  setBeforeForward(hook: BeforeForward | undefined): void;
  dir(): string;
  env(dataDir: string): Record<string, string>;
  writeConfig(dir: string, config: unknown, name?: string): string;
  /** The emulator's current settings, read with a raw request (not through our adapter). */
  rawSettings(): Promise<Record<string, unknown> & { versionTag: string; pendingOperationId: string | null }>;
  /** Another client's PUT straight to the emulator; resolves once its operation completed. */
  otherClientPut(change: (current: Record<string, unknown>) => Record<string, unknown>): Promise<string>;
  admin(method: string, route: string, body?: unknown): Promise<unknown>;
  apiRequests(): Promise<Array<{ method: string; path: string; status: number }>>;
  close(): Promise<void>;
}

/** A config every local check passes (40 agents, dial ratio 1.3: simulated abandonment ~0). */
export function goodConfig(overrides: { maxAgents?: number; dialRatio?: number; name?: string } = {}) {
  return {
    name: overrides.name ?? "Spring push",
    concurrency: { maxAgents: overrides.maxAgents ?? 40, maxSimultaneousCalls: 120, callSpacingMs: 100 },
    algorithm: {
      type: "predictive",
      abandonmentTarget: 0.02,
      dialRatio: overrides.dialRatio ?? 1.3,
      agentAvailabilityEstimate: 0.85,
      warmLineTimeoutSec: 2,
    },
    carrier: { trunks: 150 },
  };
}

export async function dialerHarness(options: EmulatorOptions = {}): Promise<DialerHarness> {
  const emu = await startEmulator({
    port: 0,
    rateLimitScale: 1000,
    metricsIntervalMs: 0,
    operationDelayMs: 150,
    ...options,
  });
  const client = emu.fixtures.clients[0];
  if (!client) throw new Error("no fixture client");
  const seen: Seen[] = [];
  let beforeForward: BeforeForward | undefined;

  const proxy: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? "/", emu.url);
    await beforeForward?.({ method: req.method ?? "GET", path: url.pathname });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === "string" && !["host", "connection", "content-length"].includes(k)) headers[k] = v;
    const answer = await fetch(`${emu.url}${req.url}`, {
      method: req.method ?? "GET",
      headers,
      ...(body.length > 0 ? { body } : {}),
    });
    const text = await answer.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    seen.push({
      method: req.method ?? "GET",
      path: url.pathname,
      ifMatch: req.headers["if-match"] as string | undefined,
      status: answer.status,
      body: parsed,
    });
    const out: Record<string, string> = {};
    answer.headers.forEach((value, key) => {
      if (!["content-length", "transfer-encoding", "connection", "content-encoding"].includes(key))
        out[key] = value;
    });
    res.writeHead(answer.status, out);
    res.end(text);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  const token = async () => {
    const answer = await fetch(`${emu.url}/oauth/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`,
      },
      body: "grant_type=client_credentials",
    });
    return ((await answer.json()) as { access_token: string }).access_token;
  };
  const api = async (method: string, route: string, body?: unknown, headers: Record<string, string> = {}) => {
    const answer = await fetch(`${emu.url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${await token()}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
  };
  const rawSettings = async () =>
    (await api("GET", "/api/v1/dialer/settings")).body as Record<string, unknown> & {
      versionTag: string;
      pendingOperationId: string | null;
    };
  const admin = async (method: string, route: string, body?: unknown) => {
    const answer = await fetch(`${emu.url}/_emulator${route}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });
    const text = await answer.text();
    return text ? JSON.parse(text) : null;
  };

  return {
    emulatorUrl: emu.url,
    url,
    fixtures: emu.fixtures,
    seen,
    settingsPuts: () => seen.filter((s) => s.method === "PUT" && s.path === "/api/v1/dialer/settings"),
    setBeforeForward(hook) {
      beforeForward = hook;
    },
    dir: () => mkdtempSync(path.join(tmpdir(), "cxo-dialer-")),
    env: (dataDir) => ({
      CXONE_BASE_URL: url,
      CXONE_CLIENT_ID: client.clientId,
      CXONE_CLIENT_SECRET: client.clientSecret,
      CXO_DATA_DIR: dataDir,
    }),
    writeConfig(dir, config, name = "dialer.yaml") {
      const file = path.join(dir, name);
      writeFileSync(file, name.endsWith(".json") ? JSON.stringify(config) : stringify(config));
      return file;
    },
    rawSettings,
    async otherClientPut(change) {
      const current = await rawSettings();
      const { versionTag, updatedAt: _u, pendingOperationId: _p, ...settings } = current;
      const started = await api("PUT", "/api/v1/dialer/settings", change(settings), {
        "if-match": versionTag,
      });
      if (started.status !== 202) throw new Error(`other client's PUT: ${started.status}`);
      const op = await waitUntil(
        async () => {
          const now = await api("GET", `/api/v1/dialer/operations/${started.body.operationId}`);
          return now.body.status !== "IN_PROGRESS" ? now : undefined;
        },
        { what: "the other client's settings operation to end", intervalMs: 25 },
      );
      return String(op.body.versionTag);
    },
    admin,
    async apiRequests() {
      const log = (await admin("GET", "/requests")) as {
        requests: Array<{ method: string; path: string; status: number }>;
      };
      return log.requests.filter((r) => r.path.startsWith("/api/"));
    },
    async close() {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await emu.close();
    },
  };
}
