import { clockNowMs } from "../clock/now.ts";
/**
 * Parses a `Retry-After` header: delta-seconds ("2", "1.5") or an HTTP date
 * ("Wed, 21 Oct 2026 07:28:00 GMT"). Returns milliseconds to wait from `nowMs`, never negative,
 * or undefined when the header is absent or unreadable (the caller then backs off on its own).
 */
export function parseRetryAfter(
  value: string | readonly string[] | null | undefined,
  nowMs: number = clockNowMs(),
): number | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first == null) return undefined;
  const text = (first as string).trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Every HTTP date format (IMF-fixdate, RFC 850, asctime) names its month and ends in a time;
  // anything else ("-1", "soon") is unreadable, whatever Date.parse would make of it.
  if (!/[A-Za-z]{3}/.test(text) || !/\d{2}:\d{2}:\d{2}/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
