import { HOUR_MS } from "../core/time-units.ts";
import { attemptMs, legalAt, slotAt, trueRate, type World } from "./world.ts";

/**
 * The bench's dialer, hour by hour over the horizon (issue 55 §4): every strategy gets the same
 * list, the same capacity per hour, the same attempts per record and the same luck (the k-th
 * attempt to a contact succeeds when its common random number is below the contact's true RPC
 * rate in that local hour). A strategy only chooses whom to call in each hour. A contact leaves
 * the list at its first RPC. Every attempt is logged for the compliance re-check.
 */

/** Every state's frequency cap the engine knows is 3 in 24 h (FL, OK, MD); the dialer keeps it for all. */
const MAX_IN_24H = 3;

export interface SimState {
  attempts: Uint8Array;
  lastMs: Float64Array;
  reached: Uint8Array;
  /** Attempt times of each contact (history first), for the 24-hour cap and the re-check. */
  times: number[][];
}

export interface Policy {
  name: string;
  /**
   * True: the dialer only offers the policy contacts whose hour is legal and whose 24-hour cap
   * has room (a dialer with the compliance engine in front). False: the policy's own plan is
   * dialled as it is, so the re-check is what proves it legal.
   */
  gated: boolean;
  /** Called before each horizon day (hour h = day * 24). */
  startDay?(world: World, state: SimState, day: number): void | Promise<void>;
  /** Whether contact c may be called at hour h (beyond legality and the cap). */
  eligible(world: World, state: SimState, c: number, h: number): boolean;
  /** Higher is called first; -Infinity is never called. */
  score(world: World, state: SimState, c: number, h: number): number;
  observe?(world: World, c: number, slot: number, rpc: boolean, atMs: number): void;
}

export interface SimResult {
  policy: string;
  attempts: number;
  rpcs: number;
  reached: number;
  /** Mean hours from the horizon's start to a reached contact's first RPC. */
  meanHoursToFirstRpc: number | null;
  /** Attempts per horizon hour (for the report's capacity chart). */
  perHour: Int32Array;
  /** The attempt log (contact, ms): the compliance re-check reads it. */
  log: { contact: Int32Array; atMs: Float64Array };
}

export function initialState(world: World): SimState {
  const times: number[][] = Array.from({ length: world.size }, () => []);
  const { contact, atMs } = world.history;
  for (let i = 0; i < contact.length; i++) (times[contact[i] as number] as number[]).push(atMs[i] as number);
  const lastMs = new Float64Array(world.size).fill(Number.NEGATIVE_INFINITY);
  for (let c = 0; c < world.size; c++) {
    const t = times[c] as number[];
    if (t.length > 0) lastMs[c] = t[t.length - 1] as number;
  }
  return { attempts: new Uint8Array(world.size), lastMs, reached: new Uint8Array(world.size), times };
}

function roomIn24h(times: readonly number[], atMs: number): boolean {
  let n = 0;
  for (let i = times.length - 1; i >= 0 && (times[i] as number) > atMs - 24 * HOUR_MS; i--) n++;
  return n < MAX_IN_24H;
}

export async function simulate(world: World, policy: Policy): Promise<SimResult> {
  const { spec } = world.population;
  const capacity = spec.capacityPerHour;
  const budget = spec.attemptsPerRecord;
  const state = initialState(world);
  const perHour = new Int32Array(world.horizonHours);
  const logContact: number[] = [];
  const logMs: number[] = [];
  let rpcs = 0;
  let reached = 0;
  let hoursToFirst = 0;
  const candidates: number[] = [];
  const scores = new Float64Array(world.size);
  for (let h = 0; h < world.horizonHours; h++) {
    if (h % 24 === 0) await policy.startDay?.(world, state, h / 24);
    candidates.length = 0;
    for (let c = 0; c < world.size; c++) {
      if (state.reached[c] || (state.attempts[c] as number) >= budget) continue;
      if (
        policy.gated &&
        (!legalAt(world, c, h) || !roomIn24h(state.times[c] as number[], attemptMs(world, c, h)))
      )
        continue;
      if (!policy.eligible(world, state, c, h)) continue;
      const score = policy.score(world, state, c, h);
      if (score === Number.NEGATIVE_INFINITY) continue;
      scores[c] = score;
      candidates.push(c);
    }
    // Best score first; then fewer attempts, then the longest wait, then list order.
    candidates.sort(
      (a, b) =>
        (scores[b] as number) - (scores[a] as number) ||
        (state.attempts[a] as number) - (state.attempts[b] as number) ||
        (state.lastMs[a] as number) - (state.lastMs[b] as number) ||
        a - b,
    );
    const n = Math.min(capacity, candidates.length);
    perHour[h] = n;
    for (let i = 0; i < n; i++) {
      const c = candidates[i] as number;
      const k = state.attempts[c] as number;
      const at = attemptMs(world, c, h);
      const slot = slotAt(world, c, h);
      const rpc = (world.luck[c * budget + k] as number) < trueRate(world, c, slot);
      state.attempts[c] = k + 1;
      state.lastMs[c] = at;
      (state.times[c] as number[]).push(at);
      logContact.push(c);
      logMs.push(at);
      policy.observe?.(world, c, slot, rpc, at);
      if (rpc) {
        state.reached[c] = 1;
        rpcs++;
        reached++;
        hoursToFirst += (at - world.startMs) / HOUR_MS;
      }
    }
  }
  return {
    policy: policy.name,
    attempts: logContact.length,
    rpcs,
    reached,
    meanHoursToFirstRpc: reached > 0 ? hoursToFirst / reached : null,
    perHour,
    log: { contact: Int32Array.from(logContact), atMs: Float64Array.from(logMs) },
  };
}
