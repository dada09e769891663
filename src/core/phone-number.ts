/**
 * NANP numbers in E.164: +1, a 3-digit area code (NPA), a 3-digit exchange (NXX) and 4 digits.
 * The form is all this checks: a number of that form that no subscriber can have (an area
 * code or exchange starting 0/1, N11, 555-01XX, an unassigned area code) is a well-formed
 * question whose answer is "refused, not_dialable" (campaigns/compliance/dialable.ts), not bad
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
}

export function parseNanp(phone: string): NanpNumber | undefined {
  const e164 = phone.trim();
  // test, then fixed slices: a scrub parses each of a million numbers, and exec's match array
  // and captures were most of that.
  if (!NANP_E164.test(e164)) return undefined;
  return { e164, digits: e164.slice(1), npa: e164.slice(2, 5), nxx: e164.slice(5, 8) };
}
