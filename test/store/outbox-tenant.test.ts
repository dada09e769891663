import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSettings } from "../../src/core/config/index.ts";
import { createDispatcher } from "../../src/core/outbox/index.ts";
import { openStore } from "../../src/core/store/index.ts";
import { startReceiver } from "./fixtures/receiver.ts";

/**
 * Issue 63 N13: a destination shared by several tenants (the top-level `destinations:`) received
 * every tenant's events with nothing saying whose: every event a tenant's dispatcher delivers now
 * names its tenant; and the top-level secrets take `{file:}` / `{env:}` references like a
 * tenant's.
 */
const SECRET = `whsec_${Buffer.from("outbox-tenant-test-secret-32-b!!").toString("base64")}`;

describe("outbox events name their tenant (N13)", () => {
  it("a tenant's dispatcher delivers {id, type, tenant, occurredAt, data}; without a tenant, as before", async () => {
    const receiver = await startReceiver({ secret: SECRET });
    try {
      for (const tenant of ["acme", undefined]) {
        const store = await openStore(mkdtempSync(path.join(tmpdir(), "cxo-outbox-tenant-")), {
          actor: "test",
        });
        await store.outbox.enqueue([{ type: "outcomes.exported", destination: "bi", data: { n: 1 } }]);
        const dispatcher = createDispatcher(store.outbox, {
          destinations: { bi: { url: receiver.url("/bi"), secret: SECRET, headers: {}, maxAttempts: 3 } },
          ...(tenant ? { tenant } : {}),
          pollIntervalMs: 50,
        });
        await dispatcher.start();
        expect((await dispatcher.drain({ timeoutMs: 10_000 })).delivered).toBe(1);
        await dispatcher.stop();
        await store.close();
        const body = JSON.parse(receiver.received.at(-1)!.body);
        if (tenant) expect(body).toMatchObject({ type: "outcomes.exported", tenant: "acme", data: { n: 1 } });
        else expect(Object.keys(body)).toEqual(["id", "type", "occurredAt", "data"]);
      }
    } finally {
      await receiver.close();
    }
  });

  it("top-level secrets may be {file:} or {env:} references, like a tenant's", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-top-secrets-"));
    // A secret file its owner alone can read, as every secret must be (issue 64 §3).
    writeFileSync(path.join(dir, "bi.secret"), `${SECRET}\n`, { mode: 0o600 });
    const config = path.join(dir, "cxo.config.yaml");
    writeFileSync(
      config,
      [
        "cxone: { baseUrl: 'http://127.0.0.1:1', clientId: c, clientSecret: { env: MY_CLIENT_SECRET } }",
        "destinations:",
        "  bi: { url: 'http://127.0.0.1:9/bi', secret: { file: bi.secret } }",
        "",
      ].join("\n"),
    );
    chmodSync(config, 0o644);
    const settings = loadSettings({ env: { MY_CLIENT_SECRET: "from-the-env" }, cwd: dir });
    expect(settings.destinations.bi?.secret).toBe(SECRET);
    expect(settings.cxone.clientSecret).toBe("from-the-env");
    expect(() => loadSettings({ env: {}, cwd: dir })).toThrow(
      /cxone\.clientSecret: names the environment variable MY_CLIENT_SECRET, which is not set/,
    );
  });
});
