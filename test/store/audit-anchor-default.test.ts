import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { resolveAnchoring } from "../../src/core/audit/default-anchoring.ts";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { startAuditAnchoring } from "../../src/service/audit-anchoring.ts";
import { createTestDatabase } from "../support/postgres-server.ts";
import { waitUntil } from "../support/wait-until.ts";

/**
 * Issue 77 §5: anchoring defaults on where the store can hold an anchor key. A PostgreSQL store
 * makes and keeps one (the database is not the data dir), and `cxo serve` anchors to a file of the
 * user's state directory with nothing configured; a SQLite store (a file of the data dir, which
 * holds no secret) cannot, and the service says so.
 */
const audit = settingsSchema.parse({}).audit;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let state = "";
const savedState = process.env.XDG_STATE_HOME;

function capture() {
  const lines: Array<{ level: string; message: string }> = [];
  const at = (level: string) => (_fields: unknown, message: string) => {
    lines.push({ level, message });
  };
  const logger = { info: at("info"), warn: at("warn"), error: at("error"), debug: at("debug") };
  return { lines, logger: logger as never };
}

beforeAll(async () => {
  database = await createTestDatabase(inject("pgUrl"), "cxo_anchor");
  state = mkdtempSync(path.join(tmpdir(), "cxo-state-"));
  process.env.XDG_STATE_HOME = state;
});
afterAll(async () => {
  if (savedState === undefined) delete process.env.XDG_STATE_HOME;
  else process.env.XDG_STATE_HOME = savedState;
  await database?.drop();
});

describe("audit anchoring by default", () => {
  it("PostgreSQL: a key made once and kept in the store; the service anchors to the state dir; verify holds", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-anchor-pg-"));
    const store: Store = await openStore({ dataDir, store: { url: database.url } });
    try {
      await store.audit.appendBatch([{ operation: "campaigns.pause", target: "c-1", outcome: "done" }]);
      const first = await resolveAnchoring(audit, store);
      const again = await resolveAnchoring(audit, store);
      expect(first).toMatchObject({ on: true, keySource: "store" });
      if (!first.on || !again.on) throw new Error("off");
      expect(again.settings.anchorKey).toBe(first.settings.anchorKey);
      expect(first.file).toMatch(new RegExp(`^${state}/cxo/anchors/default-[0-9a-f]{12}\\.jsonl$`));

      const { lines, logger } = capture();
      const anchoring = startAuditAnchoring({ settings: { audit } as never, store, logger });
      await waitUntil(() => lines.some((l) => l.message === "audit head anchored"), {
        what: "the first anchor",
      });
      anchoring.stop();
      const written = readFileSync(first.file as string, "utf8");
      expect(written).toContain('"kind":"cxo.audit.anchor"');
      expect(written).not.toContain(first.settings.anchorKey);
    } finally {
      await store.close();
    }
  });

  it("SQLite: off, and the service says why", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-anchor-sqlite-"));
    const store = await openStore(dataDir);
    try {
      const resolved = await resolveAnchoring(audit, store);
      expect(resolved).toMatchObject({ on: false, why: expect.stringContaining("SQLite") });
      const { lines, logger } = capture();
      const anchoring = startAuditAnchoring({ settings: { audit } as never, store, logger });
      await waitUntil(() => lines.length > 0, { what: "the service's word on anchoring" });
      anchoring.stop();
      expect(lines[0]).toMatchObject({
        level: "warn",
        message: expect.stringContaining("audit anchoring is off"),
      });
      // A key in the settings wins on SQLite too.
      const keyed = await resolveAnchoring({ ...audit, anchorKey: "a-key-kept-in-a-vault-0123" }, store);
      expect(keyed).toMatchObject({ on: true, keySource: "settings" });
    } finally {
      await store.close();
    }
  });
});
