import { z } from "zod";

/**
 * NANP numbers in E.164: +1, a 3-digit area code (NPA) and a 7-digit number whose exchange
 * (NXX) starts with 2-9 (47 CFR 52; NANP numbering plan).
 */
export const NANP_E164 = /^\+1([2-9]\d{2})([2-9]\d{2})(\d{4})$/;
export const NANP_RULE =
  "must be a NANP number in E.164 form: +1 then 10 digits, area code and exchange starting 2-9";

export const nanpPhoneSchema = z.string().trim().regex(NANP_E164, NANP_RULE);

export interface NanpNumber {
  e164: string;
  /** Digits without "+", e.g. "18505551234". */
  digits: string;
  npa: string;
  nxx: string;
}

export function parseNanp(phone: string): NanpNumber | undefined {
  const match = NANP_E164.exec(phone.trim());
  if (!match) return undefined;
  const [e164, npa, nxx] = match as unknown as [string, string, string];
  return { e164, digits: e164.slice(1), npa, nxx };
}
