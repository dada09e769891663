import { type CxoneEmulatorOptions, type CxoneFixtures, startEmulator } from "../../../src/emulator/index.ts";

/**
 * Test helpers for the production-API emulator: a running emulator with its fixtures, the
 * password grant done the way the reference (§B) says, and a fetch wrapper returning
 * status/headers/json. Plain fetch over real HTTP, never our own client.
 */
export interface CxoneHarness {
  url: string;
  fixtures: CxoneFixtures;
  close(): Promise<void>;
  /** A fresh access token (password grant, Basic client auth) for access key `which`. */
  login(which?: number): Promise<string>;
  /** Cached admin token. */
  token(): Promise<string>;
  forgetToken(): void;
  /** `path` under `/inContactAPI/services/v33.0` unless it starts with `/`. */
  api(method: string, path: string, options?: CallOptions): Promise<Answer>;
  call(method: string, path: string, options?: CallOptions): Promise<Answer>;
  admin(method: string, path: string, body?: unknown): Promise<Answer>;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
  version?: string;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests poke at arbitrary JSON shapes
  body: any;
}

export async function fetchAnswer(url: string, init: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, text, body };
}

export function basicAuth(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
}

export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8"));
}

export async function cxoneHarness(options: Partial<CxoneEmulatorOptions> = {}): Promise<CxoneHarness> {
  // Contacts at any hour unless a test asks for the realistic history (issue 64): that history
  // has no contact while no NANP number is callable (11:00–12:00 UTC), and a test of listing
  // mechanics that reads "the last hour" failed when run in that hour.
  const emu = await startEmulator({ port: 0, history: "any-hour", ...options, platform: "cxone" });
  const f = emu.fixtures;
  let cached: string | null = null;
  const call = async (method: string, path: string, opts: CallOptions = {}) => {
    const headers: Record<string, string> = { accept: "application/json", ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
      headers["content-type"] ??= "application/json";
    }
    return fetchAnswer(`${emu.url}${path}`, { method, headers, body });
  };
  const login = async (which = 0) => {
    const key = f.accessKeys[which];
    if (!key) throw new Error(`no access key ${which}`);
    const answer = await call("POST", "/auth/token", {
      body: new URLSearchParams({
        grant_type: "password",
        username: key.accessKeyId,
        password: key.accessKeySecret,
      }).toString(),
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: basicAuth(f.client.clientId, f.client.clientSecret),
      },
    });
    if (answer.status !== 200) throw new Error(`token: ${answer.status} ${answer.text}`);
    return answer.body.access_token as string;
  };
  const token = async () => {
    cached ??= await login(0);
    return cached;
  };
  return {
    url: emu.url,
    fixtures: f,
    close: emu.close,
    login,
    token,
    forgetToken: () => {
      cached = null;
    },
    call,
    api: async (method, path, opts = {}) => {
      const full = path.startsWith("/") ? path : `/inContactAPI/services/${opts.version ?? "v33.0"}/${path}`;
      return call(method, full, { ...opts, token: opts.token === undefined ? await token() : opts.token });
    },
    admin: (method, path, body) =>
      fetchAnswer(`${emu.url}/_emulator${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
  };
}
