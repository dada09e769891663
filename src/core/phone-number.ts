/**
 * NANP numbers in E.164: +1, a 3-digit area code (NPA), a 3-digit exchange (NXX) and 4 digits.
 * The form is all this checks: a number of that form that no subscriber can have (an area
 * code or exchange starting 0/1, N11, 555-01XX, an unassigned area code) is a well-formed
 * question whose answer is "refused, not_dialable" (compliance/dialable.ts), not bad
 * input. Shared by every folder that reads a number (compliance, consent, strategy).
 */
export const NANP_E164 = /^\+1(\d{3})(\d{3})(\d{4})$/;
export const NANP_RULE = "must be a NANP number in E.164 form: +1 then 10 digits";

export interface NanpNumber {
  e164: string;
  /** Digits without "+", e.g. "18505551234". */
  digits: string;
  npa: string;
  nxx: string;
  /**
   * `GB`: a United Kingdom number (+44), judged by the UK's rules; it has no area code or
   * exchange (`npa`, `nxx` are empty). Absent: a NANP number.
   */
  country?: "GB";
}

/**
 * UK numbers in E.164: +44 then the national number without its leading 0, 9 or 10 digits
 * starting 1-9 (geographic 01/02, mobile 07, non-geographic 03/08/09). `compliance check`, the
 * evidence, the TPS/CTPS registry copies, the lists, plans and pushes of strategy/, the internal
 * do-not-call list, consent grants and revocations, imported touches and scheduled callbacks
 * take them; numbers of other countries are refused as before.
 */
export const UK_E164 = /^\+44[1-9]\d{8,9}$/;
export const NANP_OR_UK_RULE =
  "must be a NANP number in E.164 form (+1 then 10 digits) or a UK one (+44 then 9 or 10 digits, no leading 0)";

export function parseUk(phone: string): NanpNumber | undefined {
  const e164 = phone.trim();
  if (!UK_E164.test(e164)) return undefined;
  return { e164, digits: e164.slice(1), npa: "", nxx: "", country: "GB" };
}

/** A NANP number, else a UK one (`compliance check`'s numbers). */
export const parseNanpOrUk = (phone: string): NanpNumber | undefined => parseNanp(phone) ?? parseUk(phone);

export function parseNanp(phone: string): NanpNumber | undefined {
  const e164 = phone.trim();
  // test, then fixed slices: a scrub parses each of a million numbers, and exec's match array
  // and captures were most of that.
  if (!NANP_E164.test(e164)) return undefined;
  return { e164, digits: e164.slice(1), npa: e164.slice(2, 5), nxx: e164.slice(5, 8) };
}

const CALLER_E164 = /^\+[1-9]\d{6,14}$/;
const CALLER_TEN = /^[2-9]\d{9}$/;
const CALLER_ELEVEN = /^1[2-9]\d{9}$/;

/**
 * A presented caller id (a contact's from address, a skill's outbound caller id) as E.164: CXone
 * writes NANP numbers as their 10 digits, spaces, dots, dashes and brackets aside. Undefined for
 * a value that is not a phone number (empty, "Anonymous", a SIP URI). The one reading of a caller
 * id: the outcome records, `callerid health`, the evidence and the push's check all key on it.
 */
export function callerIdNumberOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const digits = value.trim().replace(/[\s().-]/g, "");
  if (CALLER_E164.test(digits)) return digits;
  if (CALLER_TEN.test(digits)) return `+1${digits}`;
  if (CALLER_ELEVEN.test(digits)) return `+${digits}`;
  return undefined;
}
