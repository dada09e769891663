/**
 * Canonical JSON: object keys sorted (recursively), no whitespace, `undefined` members dropped,
 * as JSON.stringify would. Two equal values always give the same text, whatever order their
 * keys were built in, which is what a hash chain and a payload digest need.
 */
export function canonicalJson(value: unknown): string {
  const text = write(value);
  return text === undefined ? "null" : text;
}

function write(value: unknown): string | undefined {
  if (value === null) return "null";
  if (typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function")
    return write((value as { toJSON: () => unknown }).toJSON());
  if (Array.isArray(value)) return `[${value.map((item) => write(item) ?? "null").join(",")}]`;
  if (typeof value === "object") {
    const parts: string[] = [];
    for (const key of Object.keys(value).sort()) {
      const item = write((value as Record<string, unknown>)[key]);
      if (item !== undefined) parts.push(`${JSON.stringify(key)}:${item}`);
    }
    return `{${parts.join(",")}}`;
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "function" || typeof value === "symbol" || value === undefined) return undefined;
  return JSON.stringify(value);
}

/** A JSON-safe deep copy (dates become strings, undefined members go), key order kept. */
export function toJsonValue(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(canonicalJson(value));
}
