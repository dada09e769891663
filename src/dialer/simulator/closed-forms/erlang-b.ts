/**
 * Erlang B: the probability that an arrival finds all `servers` busy in an M/G/n/n loss system
 * offered `offeredLoad` Erlangs (insensitive to the holding-time distribution).
 *
 * Computed with the recursion B(k) = a·B(k−1) / (k + a·B(k−1)), which never overflows and is
 * stable for thousands of servers (the factorial form overflows past n ≈ 170).
 */
export function erlangB(servers: number, offeredLoad: number): number {
  if (!Number.isInteger(servers) || servers < 0) throw new RangeError("servers must be a whole number ≥ 0");
  if (!(offeredLoad >= 0) || !Number.isFinite(offeredLoad))
    throw new RangeError("offeredLoad must be a finite number ≥ 0");
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (offeredLoad * b) / (k + offeredLoad * b);
  return b;
}

/** The smallest number of servers whose Erlang B blocking is at most `target`. */
export function serversForBlocking(offeredLoad: number, target: number): number {
  if (!(target > 0 && target < 1)) throw new RangeError("target must be in (0, 1)");
  let b = 1;
  let k = 0;
  while (b > target) {
    k += 1;
    b = (offeredLoad * b) / (k + offeredLoad * b);
  }
  return k;
}
