import { parseUk } from "../core/phone-number.ts";
import type { OutboundCall } from "../platform/types.ts";

/**
 * The number a call record dialled, in E.164: the record's `phoneNumber` (both platforms' call
 * records carry it under the domain's name; CXone's `toAddress` comes as ten digits for NANP,
 * and a UK number as 44 and its digits, as cxo sends it: calledUkNumberOf).
 */
export function calledNumberOf(call: Pick<OutboundCall, "raw">): string | undefined {
  const value = call.raw.phoneNumber;
  if (typeof value !== "string") return undefined;
  const digits = value.replace(/[^\d+]/g, "");
  if (/^\+1\d{10}$/.test(digits)) return digits;
  if (/^1\d{10}$/.test(digits)) return `+${digits}`;
  if (/^\d{10}$/.test(digits)) return `+1${digits}`;
  return calledUkNumberOf(call);
}

/**
 * The United Kingdom number a call record dialled (E.164 +44), or undefined: the record's
 * `phoneNumber` as +44…, or as 44… (international digits without the +); `calledNumberOf` reads
 * it too, after the NANP forms.
 */
export function calledUkNumberOf(call: Pick<OutboundCall, "raw">): string | undefined {
  const value = call.raw.phoneNumber;
  if (typeof value !== "string") return undefined;
  const digits = value.replace(/[^\d+]/g, "");
  return parseUk(digits.startsWith("+") ? digits : `+${digits}`)?.e164;
}
