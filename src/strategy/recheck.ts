import { parseNanp } from "../compliance/index.ts";
import type { SimResult } from "./simulate.ts";
import type { World } from "./world.ts";

/**
 * Every attempt a strategy made, asked again of the compliance engine one by one with the
 * contact's earlier attempts (history included) as the engine's attempt history: calling hours
 * in every candidate zone of the number, state windows, holidays and the states' frequency caps
 * (Florida, Oklahoma, Maryland: 3 in 24 hours). A strategy's violations are the attempts refused.
 */
export interface Recheck {
  checked: number;
  violations: number;
  /** Refused attempts per reason code. */
  byReason: Record<string, number>;
}

const WEEK_MS = 7 * 24 * 3_600_000;

export function recheck(world: World, result: SimResult): Recheck {
  const earlier: number[][] = Array.from({ length: world.size }, () => []);
  const { contact: hc, atMs: hm } = world.history;
  for (let i = 0; i < hc.length; i++) (earlier[hc[i] as number] as number[]).push(hm[i] as number);
  const byReason: Record<string, number> = {};
  let violations = 0;
  const { contact, atMs } = result.log;
  for (let i = 0; i < contact.length; i++) {
    const c = contact[i] as number;
    const at = atMs[i] as number;
    const before = earlier[c] as number[];
    const area = world.population.spec.areas[world.area[c] as number];
    const number = parseNanp(world.phone[c] as string);
    if (!number || !area) throw new Error(`contact ${c}: no number`);
    const verdict = world.engine.evaluate({
      number,
      atMs: at,
      declaredZone: area.zone,
      addressState: area.state,
      consent: true,
      onDnc: false,
      attempts: before.filter((t) => t > at - WEEK_MS && t < at).map((t) => ({ atMs: t })),
      searchDays: 0,
    });
    if (!verdict.allowed) {
      violations++;
      for (const reason of verdict.reasons) byReason[reason.code] = (byReason[reason.code] ?? 0) + 1;
    }
    before.push(at);
  }
  return { checked: contact.length, violations, byReason };
}
