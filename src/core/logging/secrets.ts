/**
 * A process-wide registry of secret strings (client secrets, access tokens, signing secrets).
 * Anything that turns data into text for a human or another system (logs, error messages,
 * audit records, webhook bodies) passes through `scrubSecrets`, so a secret can never be printed
 * even if it ends up somewhere unexpected (a server echoing a header back in an error body, say).
 */

const REDACTED = "[REDACTED]";
// Short values would redact innocent text (and are not credentials anyway).
const MIN_SECRET_LENGTH = 6;
/** Rotating values (access tokens) remembered at most; long-lived secrets are never dropped. */
const MAX_TOKENS = 1000;

/**
 * The secrets known to a process: client secrets, access-key secrets, webhook secrets and
 * passwords kept for good, and the most recent access tokens. One per process (processSecrets):
 * every output channel scrubs with it.
 */
export class SecretRegistry {
  /** Client secrets, access-key secrets, webhook secrets, passwords: few, and kept for good. */
  private readonly lasting = new Set<string>();
  /** Access tokens: one more per renewal, so only the most recent are kept. */
  private readonly tokens = new Set<string>();
  private pattern: RegExp | null = null;

  /**
   * A secret that lives as long as the process's configuration (never forgotten): before, every
   * token renewal pushed the oldest entry out of one shared 1,000-entry set, and after about
   * 1,000 renewals (six weeks of `cxo serve` with hourly tokens) the client and access-key
   * secrets were printed in clear.
   */
  register(value: string | undefined | null): void {
    if (!value || value.length < MIN_SECRET_LENGTH || this.lasting.has(value)) return;
    this.tokens.delete(value);
    this.lasting.add(value);
    this.pattern = null;
  }

  /** A rotating credential (an access token): the most recent MAX_TOKENS are kept. */
  registerToken(value: string | undefined | null): void {
    if (!value || value.length < MIN_SECRET_LENGTH || this.lasting.has(value) || this.tokens.has(value))
      return;
    if (this.tokens.size >= MAX_TOKENS) this.tokens.delete(this.tokens.values().next().value as string);
    this.tokens.add(value);
    this.pattern = null;
  }

  scrub(text: string): string {
    if (this.lasting.size === 0 && this.tokens.size === 0) return text;
    if (this.pattern === null) {
      // Longest first, so a secret that contains another is replaced whole.
      const alternatives = [...this.lasting, ...this.tokens]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp);
      this.pattern = new RegExp(alternatives.join("|"), "g");
    }
    return text.replace(this.pattern, REDACTED);
  }

  /**
   * Forgets every secret, as a process starting afresh knows none: a host that runs several
   * commands in one process (a warm `cxo` host, test files sharing a worker) starts each clean.
   */
  clear(): void {
    this.lasting.clear();
    this.tokens.clear();
    this.pattern = null;
  }
}

/** The process's secrets. */
export const processSecrets = new SecretRegistry();

/** processSecrets.register: a secret kept as long as the process's configuration. */
export function registerSecret(value: string | undefined | null): void {
  processSecrets.register(value);
}

/** processSecrets.registerToken: a rotating credential (an access token). */
export function registerToken(value: string | undefined | null): void {
  processSecrets.registerToken(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** processSecrets.scrub: the text with every known secret replaced. */
export function scrubSecrets(text: string): string {
  return processSecrets.scrub(text);
}

/** Header and field names whose values are credentials, whatever their content. */
export const SENSITIVE_KEYS = [
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "client_secret",
  "clientSecret",
  "accessKeySecret",
  "anchorKey",
  "access_token",
  "accessToken",
  "refresh_token",
  "secret",
  "password",
  "token",
];

const sensitive = new Set(SENSITIVE_KEYS.map((key) => key.toLowerCase()));
/** Field names that say "credential" in any spelling (accessKeySecret, x-api-key, privateKey…). */
const SENSITIVE_NAME =
  /secret|passw(or)?d|credential|api[-_]?key|private[-_]?key|(access|refresh|id|bearer|session)[-_]?token|authori[sz]ation|cookie/i;

/** Credentials recognisable by their shape alone, registered or not. */
const CREDENTIAL_SHAPES: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]{8,}=*/gi, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED], // a JWT
  [/\bwhsec_[A-Za-z0-9+/=]{8,}/g, REDACTED], // a Standard Webhooks secret
];

/** Deepest level of nesting examined; anything deeper is masked whole. */
const MAX_DEPTH = 8;

/**
 * Where a server is, not a credential: an OpenID discovery document's `authorization_endpoint`,
 * `token_endpoint`, `jwks_uri`… are public URLs (their values are still scrubbed of secrets).
 */
const PUBLIC_ENDPOINT_NAME = /[-_](endpoint|uri)$/i;

function isSensitiveKey(key: string): boolean {
  if (PUBLIC_ENDPOINT_NAME.test(key)) return false;
  return sensitive.has(key.toLowerCase()) || SENSITIVE_NAME.test(key);
}

function redactString(text: string): string {
  let out = scrubSecrets(text);
  for (const [shape, replacement] of CREDENTIAL_SHAPES) out = out.replace(shape, replacement);
  return out;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Deep copy with sensitive fields masked and secrets scrubbed from strings. It FAILS CLOSED:
 * plain data (strings, numbers, booleans, null, arrays, plain objects, dates) is kept; anything
 * it cannot classify — a Map, a class instance, bytes, a function, nesting deeper than it looks —
 * is masked whole rather than written as it is.
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactString(value);
  if (value === null || value === undefined || typeof value === "boolean") return value;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value !== "object" || depth > MAX_DEPTH) return REDACTED;
  if (value instanceof Error) return { name: value.name, message: redactString(value.message) };
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (!isPlainObject(value)) return REDACTED;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSensitiveKey(key) ? REDACTED : redactValue(item, depth + 1);
  }
  return out;
}
