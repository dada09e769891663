import { PERSONAL, redactPersonal, redactPersonalText } from "../logging/personal-data.ts";
import { scrubSecrets } from "../logging/secrets.ts";
import { type FileKind, writeFileSafely } from "../safe-write.ts";
import type { Exchange } from "./transport.ts";

/**
 * A recording of a run's traffic as HAR 1.2 (the format browsers and proxies export), safe to
 * attach to a bug report: credentials (Authorization, cookies, client and access-key secrets,
 * passwords, every token) and their identifiers (the access key's id), and personal data (names, phone numbers, e-mail and postal
 * addresses, notes; phone- and e-mail-shaped text anywhere) are masked in URLs, headers and
 * bodies. A token's signature is dropped and only its non-personal claims are kept (tenant,
 * issuer, expiry, role), so a replay (emulator/har-replay.ts) still finds the tenant in it while
 * the recorded token can log nobody in.
 */
export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: [];
    headers: Array<{ name: string; value: string }>;
    queryString: Array<{ name: string; value: string }>;
    postData?: { mimeType: string; text: string };
    headersSize: -1;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: [];
    headers: Array<{ name: string; value: string }>;
    content: { size: number; mimeType: string; text?: string; comment?: string };
    redirectURL: string;
    headersSize: -1;
    bodySize: number;
    _error?: string;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
}

export interface Har {
  log: { version: "1.2"; creator: { name: string; version: string }; comment: string; entries: HarEntry[] };
}

/** Claims of a token kept in a recording: who the tenant is, not who the person is. */
const KEPT_CLAIMS = [
  "iss",
  "aud",
  "exp",
  "iat",
  "nbf",
  "tenantId",
  "tenant_id",
  "icBUId",
  "icClusterId",
  "role",
  "area",
];
const TOKEN_FIELDS = new Set([
  "access_token",
  "id_token",
  "refresh_token",
  "token",
  "accessToken",
  "idToken",
]);

/**
 * Identifiers of credentials (issue 50 §6): not secrets, but they name the key or the user a
 * recording was made with, so a shared recording does not carry them. The password grant sends
 * the access key's id as `username`.
 */
const CREDENTIAL_IDS = new Set(["accesskeyid", "username"]);
const isCredentialId = (key: string) => CREDENTIAL_IDS.has(key.replace(/[-_]/g, "").toLowerCase());
const CREDENTIAL_ID_MASK = "[CREDENTIAL-ID]";

/** `value` with every credential identifier field masked, at any depth. */
function withoutCredentialIds(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== "object" || depth > 16) return value;
  if (Array.isArray(value)) return value.map((item) => withoutCredentialIds(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    out[key] =
      isCredentialId(key) && item !== null && item !== ""
        ? CREDENTIAL_ID_MASK
        : withoutCredentialIds(item, depth + 1);
  return out;
}

function b64url(value: string): string {
  return Buffer.from(value, "utf8").toString("base64url");
}

/** A JWT reduced to its tenant claims, unsigned; anything that is not a JWT becomes the mask. */
export function reducedToken(token: unknown): string {
  if (typeof token !== "string") return "[REDACTED]";
  const parts = token.split(".");
  if (parts.length !== 3) return "[REDACTED]";
  try {
    const payload = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
    const kept: Record<string, unknown> = {};
    for (const claim of KEPT_CLAIMS)
      if (payload[claim] !== undefined) kept[claim] = redactPersonal(payload[claim]);
    return `${b64url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${b64url(JSON.stringify(kept))}.REDACTED`;
  } catch {
    return "[REDACTED]";
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A body as text, safe: JSON redacted field by field (tokens reduced), forms key by key, text by shape. */
export function redactBody(text: string | undefined, contentType = ""): string | undefined {
  if (text === undefined || text === "") return text;
  const json = safeJson(text);
  if (json !== undefined && typeof json === "object" && json !== null) {
    const tokens: Record<string, string> = {};
    if (!Array.isArray(json))
      for (const [key, value] of Object.entries(json))
        if (TOKEN_FIELDS.has(key)) tokens[key] = reducedToken(value);
    const safe = withoutCredentialIds(redactPersonal(json)) as Record<string, unknown>;
    return JSON.stringify(Array.isArray(safe) ? safe : { ...safe, ...tokens });
  }
  if (contentType.includes("x-www-form-urlencoded") || /^[\w.-]+=[^&]*(&[\w.-]+=[^&]*)*$/.test(text)) {
    const form = new URLSearchParams(text);
    const out = new URLSearchParams();
    for (const [key, value] of form) out.append(key, safeParam(key, value));
    return out.toString();
  }
  return redactPersonalText(scrubSecrets(text));
}

function safeParam(name: string, value: string): string {
  if (isCredentialId(name)) return CREDENTIAL_ID_MASK;
  const masked = redactPersonal({ [name]: value }) as Record<string, unknown>;
  const out = masked[name];
  return typeof out === "string" ? out : PERSONAL;
}

function safeUrl(raw: string): { url: string; query: Array<{ name: string; value: string }> } {
  const url = new URL(raw);
  const query: Array<{ name: string; value: string }> = [];
  const kept = new URLSearchParams();
  for (const [name, value] of url.searchParams) {
    const safe = safeParam(name, value);
    query.push({ name, value: safe });
    kept.append(name, safe);
  }
  url.search = kept.toString();
  url.username = "";
  url.password = "";
  return { url: redactPersonalText(url.toString()), query };
}

function safeHeaders(headers: Record<string, string>): Array<{ name: string; value: string }> {
  const masked = redactPersonal(headers) as Record<string, unknown>;
  return Object.entries(masked).map(([name, value]) => ({ name, value: String(value) }));
}

export class HarRecorder {
  readonly entries: HarEntry[] = [];
  private readonly creator: { name: string; version: string };

  constructor(creator = { name: "cxone-outbound", version: "0" }) {
    this.creator = creator;
  }

  /** Give this to the client's `http.onExchange`. */
  readonly record = (exchange: Exchange): void => {
    const { request, response } = exchange;
    const { url, query } = safeUrl(request.url);
    const requestType = request.headers["content-type"] ?? "";
    const requestBody = redactBody(request.body, requestType);
    const responseType = response?.headers["content-type"] ?? "";
    const responseText = response?.sunk ? undefined : redactBody(response?.text, responseType);
    this.entries.push({
      startedDateTime: exchange.startedAt.toISOString(),
      time: exchange.durationMs,
      request: {
        method: request.method,
        url,
        httpVersion: "HTTP/1.1",
        cookies: [],
        headers: safeHeaders(request.headers),
        queryString: query,
        ...(requestBody !== undefined ? { postData: { mimeType: requestType, text: requestBody } } : {}),
        headersSize: -1,
        bodySize: request.body === undefined ? 0 : Buffer.byteLength(request.body),
      },
      response: {
        status: response?.status ?? 0,
        statusText: "",
        httpVersion: "HTTP/1.1",
        cookies: [],
        headers: safeHeaders(response?.headers ?? {}),
        content: {
          size: responseText === undefined ? 0 : Buffer.byteLength(responseText),
          mimeType: responseType,
          ...(responseText !== undefined ? { text: responseText } : {}),
          ...(response?.sunk ? { comment: "streamed to its reader; not recorded" } : {}),
        },
        redirectURL: "",
        headersSize: -1,
        bodySize: -1,
        ...(exchange.error ? { _error: exchange.error } : {}),
      },
      cache: {},
      timings: { send: 0, wait: exchange.durationMs, receive: 0 },
    });
  };

  toJSON(): Har {
    return {
      log: {
        version: "1.2",
        creator: this.creator,
        comment:
          "Recorded by cxone-outbound. Masked: credentials, tokens (signature dropped; tenant claims kept), names, phone numbers, e-mail and postal addresses, notes.",
        entries: this.entries,
      },
    };
  }

  /**
   * Writes the recording (owner-only: it still names the tenant and its ids), through the
   * safe-write helper: never through a link, never over a file that is not a HAR recording
   * unless `force`.
   */
  write(file: string, options: { force?: boolean; field?: string } = {}): void {
    writeFileSafely(file, `${JSON.stringify(this.toJSON(), null, 2)}\n`, {
      field: options.field ?? "file",
      kind: HAR_FILE,
      force: options.force,
    });
  }
}

/** A HAR recording: a JSON document whose first key is `log`. */
export const HAR_FILE: FileKind = {
  name: "HAR recording",
  recognise: (head) => /^\s*\{\s*"log"\s*:/.test(head),
};
