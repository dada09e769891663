import { ClientClosedError } from "../core/client-closed-error.ts";

/**
 * The one guard every capability group's method passes through (issue 52 §1): `buildClient`
 * wraps each group with it, so a method added to a group is refused after `close()` without
 * a check of its own. What each method does after close (a cached token, a cached code matrix, a
 * local computation) no longer matters: it never runs.
 *
 * A refused call answers with what fails whichever way the method's answer is used: a promise
 * that rejects with ClientClosedError, which is also an async list (`for await`, `toArray()`,
 * `pages()`) that throws it. So a method returning a promise and one returning a list are
 * refused alike, without the guard knowing which is which.
 */
export function refusedAfterClose(): Promise<never> & AsyncIterable<never> {
  const refusal = Promise.reject(new ClientClosedError());
  // Used as a list, the promise itself is never awaited: no unhandled rejection for that.
  refusal.catch(() => undefined);
  return Object.assign(refusal, {
    [Symbol.asyncIterator]: (): AsyncIterator<never> => ({
      next: () => Promise.reject(new ClientClosedError()),
    }),
    toArray: () => Promise.reject(new ClientClosedError()),
    pages: async function* (): AsyncGenerator<never> {
      yield* [];
      throw new ClientClosedError();
    },
  });
}

/**
 * `group` with each of its methods refused once `isClosed()` says so (see refusedAfterClose);
 * before that, each is the method itself, called with the group as `this`.
 */
export function guardGroup<G extends object>(group: G, isClosed: () => boolean, calls?: ClientCalls): G {
  const guarded: Record<string | symbol, unknown> = {};
  for (const key of Reflect.ownKeys(group)) {
    const value: unknown = (group as Record<string | symbol, unknown>)[key];
    guarded[key] =
      typeof value === "function"
        ? function guardedMethod(...args: unknown[]): unknown {
            if (isClosed()) return refusedAfterClose();
            const result = (value as (...a: unknown[]) => unknown).apply(group, args);
            // close() waits for it (its work hears the closing signal through runCall, call.ts).
            if (result instanceof Promise) calls?.track(result);
            return result;
          }
        : value;
  }
  return guarded as G;
}

/** What close() needs of the calls in flight: the signal it fires first, and the calls to wait for. */
export interface ClientCalls {
  readonly closing: AbortSignal;
  track(call: Promise<unknown>): void;
}
