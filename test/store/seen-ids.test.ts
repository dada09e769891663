import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { STORE_BACKENDS, type TempStoreLocation, useStoreBackend } from "./fixtures/backends.ts";

/**
 * The webhook receiver's stored de-duplication on both backends: an id is new exactly once,
 * whichever instance (store) sees it, also when two see it at the same moment.
 */
describe.each(STORE_BACKENDS)("webhook ids seen (%s)", (backendName) => {
  const backend = useStoreBackend(backendName);
  let data: TempStoreLocation;
  let one: Store;
  let two: Store;

  beforeEach(async () => {
    data = await backend.fresh();
    one = await openStore(data.target);
    two = await openStore(data.target);
  });
  afterEach(async () => {
    await one.close();
    await two.close();
    data.remove();
  });

  it("an id is new once across instances and restarts; scopes are separate; prune forgets old ids", async () => {
    expect(await one.seenIds.claim("cxone", ["a", "b"], 1_000)).toEqual([true, true]);
    expect(await two.seenIds.claim("cxone", ["b", "c"], 2_000)).toEqual([false, true]);
    expect(await two.seenIds.claim("other", ["a"], 2_000)).toEqual([true]);
    await one.close();
    one = await openStore(data.target);
    expect(await one.seenIds.claim("cxone", ["a", "c", "d"], 3_000)).toEqual([false, false, true]);
    expect(await one.seenIds.prune(1_500)).toBe(2); // "a" and "b" (seen at 1,000)
    expect(await two.seenIds.claim("cxone", ["a"], 4_000)).toEqual([true]);
  });

  // Concurrent claims from two instances: PostgreSQL only (two SQLite connections in one thread
  // would wait on each other's write lock synchronously; separate processes are fine).
  it.runIf(backendName === "postgres")(
    "two instances claiming the same ids at once: each id wins once",
    async () => {
      const ids = Array.from({ length: 50 }, (_, i) => `evt-${i}`);
      const [a, b] = await Promise.all([
        Promise.all(ids.map((id) => one.seenIds.claim("cxone", [id]))),
        Promise.all(ids.map((id) => two.seenIds.claim("cxone", [id]))),
      ]);
      ids.forEach((_, i) => {
        expect([a[i]![0], b[i]![0]].filter(Boolean)).toHaveLength(1);
      });
    },
  );
});
