/**
 * A module loaded on first use and kept: `const loadX = lazyModule(() => import("./x.ts"))`, then
 * `(await loadX()).fn()` in each call. A bare `await import()` in a method asks the module loader
 * again on every call: cheap in plain Node, but under loader hooks (tsx, a test runner) each call
 * runs them again — under vitest, one round trip to its main process per import, which was ~0.1 ms
 * of CPU a time, three of them per SDK tag. A failed load is not kept: the next call tries again.
 */
export function lazyModule<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
