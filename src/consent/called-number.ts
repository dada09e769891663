import { parseUk } from "../core/phone-number.ts";
import type { OutboundCall } from "../platform/types.ts";

/**
 * The number a call record dialled, in E.164: the record's `phoneNumber` (both platforms' call
 * records carry it under the domain's name; CXone's `toAddress` comes as ten digits).
 */
export function calledNumberOf(call: Pick<OutboundCall, "raw">): string | undefined {
  const value = call.raw.phoneNumber;
  if (typeof value !== "string") return undefined;
  const digits = value.replace(/[^\d+]/g, "");
  if (/^\+1\d{10}$/.test(digits)) return digits;
  if (/^1\d{10}$/.test(digits)) return `+${digits}`;
  if (/^\d{10}$/.test(digits)) return `+1${digits}`;
  return undefined;
}

/**
 * The United Kingdom number a call record dialled (E.164 +44), or undefined: the record's
 * `phoneNumber` as +44…, or as 44… (international digits without the +). Kept apart from
 * `calledNumberOf`, which every NANP-only path reads.
 */
export function calledUkNumberOf(call: Pick<OutboundCall, "raw">): string | undefined {
  const value = call.raw.phoneNumber;
  if (typeof value !== "string") return undefined;
  const digits = value.replace(/[^\d+]/g, "");
  return parseUk(digits.startsWith("+") ? digits : `+${digits}`)?.e164;
}
