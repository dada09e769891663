import type { Skill } from "./model.ts";

/**
 * Caller ids in the production emulator (issue 66): each outbound skill dials from a pool of
 * numbers (its own caller-id setting first), every called number has a terminating carrier, and
 * an admin route can "label" a number from an instant on, as a carrier's analytics engine would
 * ("Spam Likely"): from then on only a fraction `factor` of the calls that would have been
 * answered are answered, on every carrier or on one carrier's subscribers. docs/emulator-cxone.md.
 */

/** Numbers each outbound skill dials from. */
export const CALLER_ID_POOL_SIZE = 6;

/** The terminating carriers of called numbers and their shares of subscribers. */
export const CARRIERS: ReadonlyArray<{ name: string; share: number }> = [
  { name: "AT&T", share: 0.35 },
  { name: "Verizon", share: 0.3 },
  { name: "T-Mobile", share: 0.25 },
  { name: "other", share: 0.1 },
];

/** The skill's pool, 10 digits as CXone writes them: its caller-id setting, then 800-557-SSSK. */
export function callerIdPool(skill: Skill): string[] {
  const pool = [skill.callerId];
  const base = String(skill.skillId % 1000).padStart(3, "0");
  for (let k = 1; k < CALLER_ID_POOL_SIZE; k++) pool.push(`800557${base}${k}`);
  return pool;
}

/** FNV-1a of the number's digits: a called number keeps its carrier whatever the seed. */
function digitHash(phone: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < phone.length; i++) {
    const c = phone.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    h = Math.imul(h ^ c, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * The terminating carrier of a called number (the emulator's stand-in for a number-portability
 * lookup): the FNV-1a hash of its digits, as a fraction of 2^32, falls in CARRIERS' shares in order.
 */
export function carrierOf(phone: string): string {
  const u = digitHash(phone.replace(/^\+?1(?=\d{10}$)/, "")) / 4_294_967_296;
  let running = 0;
  for (const carrier of CARRIERS) {
    running += carrier.share;
    if (u < running) return carrier.name;
  }
  return (CARRIERS.at(-1) as { name: string }).name;
}

export interface CallerIdLabel {
  /** 10 digits, as the contact's fromAddress carries it. */
  number: string;
  fromMs: number;
  /** The share of would-be answers that are still answered (0.5: answers halve). */
  factor: number;
  /** Only this carrier's subscribers see the label; undefined: all carriers. */
  carrier?: string;
}

/** "+18005550100" or "8005550100" → "8005550100". */
export const tenDigits = (phone: string): string => phone.replace(/^\+1(?=\d{10}$)/, "");

/**
 * Whether a call that would have been answered is not, under the labels: `u` is the call's own
 * uniform draw in [0, 1) (the same call always decides the same way).
 */
export function answerSuppressed(
  labels: readonly CallerIdLabel[],
  from: string,
  to: string,
  startMs: number,
  u: number,
): boolean {
  for (const label of labels) {
    if (label.number !== from || startMs < label.fromMs) continue;
    if (label.carrier !== undefined && carrierOf(to) !== label.carrier) continue;
    return u >= label.factor;
  }
  return false;
}
