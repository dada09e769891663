import type { Finish, Operation } from "./journal.ts";

/**
 * A journaled operation whose effect is local (a setting in the store, a decision), not a call
 * to CXone: the journal row, the audit record (with who did it), any outbox event and the
 * checkpoints commit together, and a crash before that commit re-drives them from the payload.
 * `effect` may do local work first (its result goes to `finish`); by default it does nothing.
 */
export function localOperation<P, R = null>(
  kind: string,
  finish: (payload: P, result: R) => Omit<Finish, "outcome">,
  effect: (payload: P) => Promise<R> = async () => null as R,
): Operation<P, R> {
  return {
    kind,
    effect: (payload) => effect(payload),
    finish: (settled, payload) =>
      settled.ok
        ? { outcome: "done", ...finish(payload, settled.value) }
        : { outcome: "failed", details: { error: (settled.error as Error).message } },
  };
}
