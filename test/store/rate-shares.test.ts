import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { waitUntil } from "../support/wait-until.ts";
import { STORE_BACKENDS, type TempStoreLocation, useStoreBackend } from "./fixtures/backends.ts";

/** Two processes on one store (two opens: two instance identities) sharing a tenant's limit. */
describe.each(STORE_BACKENDS)("rate shares (%s)", (backendName) => {
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

  it("counts the live holders of each group; a release or an expiry gives the share back", async () => {
    expect(await one.rateShares.renew("tenant-a", ["dispositions"], 5_000)).toEqual(
      new Map([["dispositions", 1]]),
    );
    expect(await two.rateShares.renew("tenant-a", ["dispositions", "outcomes"], 150)).toEqual(
      new Map([
        ["dispositions", 2],
        ["outcomes", 1],
      ]),
    );
    // Another tenant is another budget.
    expect(await one.rateShares.renew("tenant-b", ["dispositions"], 5_000)).toEqual(
      new Map([["dispositions", 1]]),
    );
    // `two` stops renewing (as a dead process would): its rows expire (150 ms, on the store's clock).
    await waitUntil(
      async () => {
        // Both of two's rows (dispositions and outcomes) gone, not only the one asked about.
        const shares = await one.rateShares.renew("tenant-a", ["dispositions"], 5_000);
        return shares.size === 1 && shares.get("dispositions") === 1;
      },
      { what: "two's 150 ms shares to expire" },
    );
    expect(await one.rateShares.renew("tenant-a", ["dispositions"], 5_000)).toEqual(
      new Map([["dispositions", 1]]),
    );
    await two.rateShares.renew("tenant-a", ["dispositions"], 5_000);
    await two.rateShares.release("tenant-a");
    expect(await one.rateShares.renew("tenant-a", ["dispositions"], 5_000)).toEqual(
      new Map([["dispositions", 1]]),
    );
  });

  it("a release of some groups leaves this process's other groups held", async () => {
    await two.rateShares.renew("tenant-a", ["dispositions", "outcomes"], 60_000);
    await two.rateShares.release("tenant-a", ["outcomes"]);
    expect(await one.rateShares.renew("tenant-a", ["dispositions", "outcomes"], 60_000)).toEqual(
      new Map([
        ["dispositions", 2],
        ["outcomes", 1],
      ]),
    );
  });

  it("close() gives this process's shares back at once (not when they expire)", async () => {
    await one.rateShares.renew("tenant-a", ["dispositions", "outcomes"], 60_000);
    await one.rateShares.renew("tenant-b", ["dispositions"], 60_000);
    await one.close();
    expect(await two.rateShares.renew("tenant-a", ["dispositions"], 60_000)).toEqual(
      new Map([["dispositions", 1]]),
    );
    expect(await two.rateShares.renew("tenant-b", ["dispositions"], 60_000)).toEqual(
      new Map([["dispositions", 1]]),
    );
    one = await openStore(data.target); // afterEach closes it
  });
});
