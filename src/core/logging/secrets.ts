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

/** Deep copy with sensitive keys masked and registered secrets scrubbed from strings. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrubSecrets(value);
  if (value === null || typeof value !== "object" || depth > 8) return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = sensitive.has(key.toLowerCase()) ? REDACTED : redactValue(item, depth + 1);
  }
  return out;
}

/** For tests: forget every registered secret. */
export function clearSecretsForTests(): void {
  secrets.clear();
  pattern = null;
}
