import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ClientClosedError, createClient } from "../../src/index.ts";
import { consentWatchHostOf } from "../../src/sdk/consent-watch-host.ts";

// The consent watcher's host (src/sdk/consent-watch-host.ts): what `cxo serve`'s consent watcher
// and its start-up group check are given of the client, asked of a client made by createClient.
const dataDir = () => mkdtempSync(path.join(tmpdir(), "cxo-consent-host-"));

describe("the consent watcher's host", () => {
  it("says what the platform has: the seed API no DNC groups or scheduled callbacks, CXone both", async () => {
    const seed = createClient({
      connection: { baseUrl: "http://127.0.0.1:9", clientId: "a", clientSecret: "b" },
      dataDir: dataDir(),
    });
    const cxone = createClient({
      connection: { platform: "cxone", accessKeyId: "k", accessKeySecret: "s" },
      dataDir: dataDir(),
    });
    try {
      const [onSeed, onCxone] = [consentWatchHostOf(seed), consentWatchHostOf(cxone)];
      expect([onSeed.hasDncGroups(), onSeed.hasScheduledCallbacks()]).toEqual([false, false]);
      expect([onCxone.hasDncGroups(), onCxone.hasScheduledCallbacks()]).toEqual([true, true]);
    } finally {
      await seed.close();
      await cxone.close();
    }
  });

  it("runs its calls as the client's: after close() a listing is refused, nothing sent", async () => {
    const cxone = createClient({
      connection: { platform: "cxone", accessKeyId: "k", accessKeySecret: "s" },
      dataDir: dataDir(),
    });
    const host = consentWatchHostOf(cxone);
    await cxone.close();
    await expect(host.listDncGroups()).rejects.toBeInstanceOf(ClientClosedError);
  });

  it("is built only of a client made by createClient", () => {
    expect(() => consentWatchHostOf({} as never)).toThrow(TypeError);
  });
});
