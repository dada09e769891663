import { redactValue } from "./secrets.ts";

/**
 * Personal data out of what a user shares (doctor's evidence, a HAR recording for a bug report):
 * on top of every credential `redactValue` masks, the values of fields that hold a person's name,
 * phone number or address, and any text shaped like a phone number or an e-mail address, wherever
 * it appears (a query string, a message). Ids, counts, dates and settings are kept: they are what
 * a maintainer needs to read the exchange.
 */
export const PERSONAL = "[PERSONAL]";

/** Field names (any case, `_`/`-` ignored) whose values are a person's name or contact details. */
const PERSONAL_KEYS = new Set(
  [
    "firstName",
    "lastName",
    "middleName",
    "fullName",
    "agentName",
    "customerName",
    "contactName",
    "userName",
    "displayName",
    "phone",
    "phoneNumber",
    "mobile",
    "mobileNumber",
    "callbackNumber",
    "callerId",
    "callerIdOverride",
    "callerName",
    "ani",
    "dnis",
    "fromAddr",
    "toAddr",
    "fromAddress",
    "toAddress",
    "pointOfContact",
    "email",
    "emailAddress",
    "address",
    "address1",
    "address2",
    "city",
    "zip",
    "postalCode",
    "notes",
    "primaryDispositionNotes",
  ].map(normal),
);

function normal(key: string): string {
  return key.replace(/[-_]/g, "").toLowerCase();
}

export function isPersonalKey(key: string): boolean {
  return PERSONAL_KEYS.has(normal(key));
}

/**
 * A phone number inside text: E.164 (`+` and 8–15 digits, separators allowed) or a North
 * American number written with separators (`(212) 555-0123`, `212-555-0123`); an e-mail address.
 * A bare run of digits is left alone: CXone's contact, skill and list ids are bare digits too, and
 * a field that holds a bare phone number is masked by its name.
 */
const PERSONAL_SHAPES: RegExp[] = [
  /(?<![\w+])\+\d(?:[\s().-]?\d){7,14}(?![\w-])/g,
  /(?<![\w-])(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w-])/g,
  /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g,
];

export function redactPersonalText(text: string): string {
  let out = text;
  for (const shape of PERSONAL_SHAPES) out = out.replace(shape, PERSONAL);
  return out;
}

/** `value` with credentials (redactValue) and personal data masked; its shape is kept. */
export function redactPersonal(value: unknown, depth = 0): unknown {
  const safe = redactValue(value, depth);
  return maskPersonal(safe, 0);
}

function maskPersonal(value: unknown, depth: number): unknown {
  if (typeof value === "string") return redactPersonalText(value);
  if (value === null || typeof value !== "object" || depth > 16) return value;
  if (Array.isArray(value)) return value.map((item) => maskPersonal(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isPersonalKey(key) && item !== null && item !== "" ? PERSONAL : maskPersonal(item, depth + 1);
  }
  return out;
}
