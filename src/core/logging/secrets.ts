/**
 * A process-wide registry of secret strings (client secrets, access tokens, signing secrets).
 * Anything that turns data into text for a human or another system (logs, error messages,
 * audit records, webhook bodies) passes through `scrubSecrets`, so a secret can never be printed
 * even if it ends up somewhere unexpected (a server echoing a header back in an error body, say).
 */

const REDACTED = "[REDACTED]";
// Short values would redact innocent text (and are not credentials anyway).
const MIN_SECRET_LENGTH = 6;
const MAX_REMEMBERED = 1000;

const secrets = new Set<string>();
let pattern: RegExp | null = null;

export function registerSecret(value: string | undefined | null): void {
  if (!value || value.length < MIN_SECRET_LENGTH || secrets.has(value)) return;
  // Tokens rotate; keep the most recent ones only, so the registry cannot grow without bound.
  if (secrets.size >= MAX_REMEMBERED) secrets.delete(secrets.values().next().value as string);
  secrets.add(value);
  pattern = null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function scrubSecrets(text: string): string {
  if (secrets.size === 0) return text;
  if (pattern === null) {
    // Longest first, so a secret that contains another is replaced whole.
    const alternatives = [...secrets].sort((a, b) => b.length - a.length).map(escapeRegExp);
    pattern = new RegExp(alternatives.join("|"), "g");
  }
  return text.replace(pattern, REDACTED);
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

function isSensitiveKey(key: string): boolean {
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

/** For tests: forget every registered secret. */
export function clearSecretsForTests(): void {
  secrets.clear();
  pattern = null;
}
