import { parseUk } from "../core/phone-number.ts";

/**
 * The number a call dialled, in E.164, from the number as the platform sent it (a call's
 * `phoneNumber`: both platforms' call records carry it under the domain's name; CXone's
 * `toAddress` comes as ten digits for NANP, and a UK number as 44 and its digits, as cxo sends
 * it: calledUkNumberOf). Undefined for no number, or one of neither form.
 */
export function calledNumberOf(value: string | undefined): string | undefined {
  if (typeof value !== "string") return undefined;
  const digits = value.replace(/[^\d+]/g, "");
  if (/^\+1\d{10}$/.test(digits)) return digits;
  if (/^1\d{10}$/.test(digits)) return `+${digits}`;
  if (/^\d{10}$/.test(digits)) return `+1${digits}`;
  return calledUkNumberOf(value);
}

/**
 * The United Kingdom number a call dialled (E.164 +44), or undefined: the number as +44…, or as
 * 44… (international digits without the +); `calledNumberOf` reads it too, after the NANP forms.
 */
export function calledUkNumberOf(value: string | undefined): string | undefined {
  if (typeof value !== "string") return undefined;
  const digits = value.replace(/[^\d+]/g, "");
  return parseUk(digits.startsWith("+") ? digits : `+${digits}`)?.e164;
}
