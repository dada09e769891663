import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dncListFor, loadDncList } from "../../src/compliance/blocked-numbers.ts";
import { recordRevocations } from "../../src/consent/ledger.ts";
import type { Revocation } from "../../src/consent/revocation.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 78 §5: a single check looks its number up by index — no query reads the whole consent
 * ledger or the whole CXone DNC copy — and answers exactly what the bulk load (scrubs, plans)
 * answers (that one module owns each table: test/store/table-owners.test.ts). §6: the inputs that read a file refuse a
 * device before reading it (`compliance check --dnc`, `audit verify --anchor`).
 */
const dir = mkdtempSync(path.join(tmpdir(), "cxo-ledger-lookup-"));
let store: Store;
const queries: string[] = [];
const phones = Array.from({ length: 40 }, (_, i) => `+1312555${String(7000 + i)}`);

beforeAll(async () => {
  store = await openStore(path.join(dir, ".cxo"));
  const revocations: Revocation[] = phones.slice(0, 20).map((phone, i) => ({
    phone,
    receivedAt: new Date(Date.parse("2026-06-01T00:00:00Z") + i * 86_400_000).toISOString(),
    channel: "sms",
    scope:
      i % 3 === 0
        ? { kind: "campaign", campaignId: "101" }
        : i % 3 === 1
          ? { kind: "tenant" }
          : { kind: "all" },
    source: null,
  }));
  await recordRevocations(store, revocations, { actor: "test" });
  await store.db.run(
    "INSERT INTO cxone_dnc_groups (group_id, name, active, scrubbed_skills, records, synced_at) VALUES ('7', 'G', 1, '[\"101\"]', 10, ?)",
    [new Date().toISOString()],
  );
  for (const [i, phone] of phones.slice(15, 25).entries())
    await store.db.run("INSERT INTO cxone_dnc_records (group_id, phone, expires_at) VALUES ('7', ?, ?)", [
      phone,
      i % 2 === 0 ? null : "2026-09-01T00:00:00Z",
    ]);
  await store.db.run("INSERT INTO dnc_numbers (phone, reason, source, added_at) VALUES (?, NULL, 'cli', ?)", [
    phones[30] as string,
    new Date().toISOString(),
  ]);
  // Every query the store runs from here on.
  const all = store.db.all.bind(store.db);
  store.db.all = ((sql: string, params?: unknown[]) => {
    queries.push(sql);
    return all(sql, params as never);
  }) as typeof store.db.all;
});
afterAll(() => store?.close());

describe("a check's lookup (issue 78 §5)", () => {
  it("reads the ledger, the group copy and the internal list by number only", async () => {
    queries.length = 0;
    await dncListFor(store, [phones[3] as string]);
    const reads = queries.filter((q) => /consent_ledger|cxone_dnc_records|dnc_numbers/.test(q));
    expect(reads.length).toBeGreaterThan(0);
    for (const q of reads) expect(q).toMatch(/WHERE phone IN \(\?\)/);
  });

  it("answers what the bulk load answers, for any number, campaign and instant", async () => {
    const bulk = await loadDncList(store);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...phones),
        fc.constantFrom(undefined, "101", "202"),
        fc.option(fc.integer({ min: Date.parse("2026-05-01"), max: Date.parse("2026-12-01") }), {
          nil: undefined,
        }),
        async (phone, campaign, atMs) => {
          const one = await dncListFor(store, [phone]);
          expect(one.has(phone)).toBe(bulk.has(phone));
          expect(one.suppressions?.(phone, campaign, atMs)).toEqual(
            bulk.suppressions?.(phone, campaign, atMs),
          );
        },
      ),
      { numRuns: 120 },
    );
  });

  it("refuses to answer for a number it was not asked to load", async () => {
    const one = await dncListFor(store, [phones[0] as string]);
    expect(() => one.has(phones[1] as string)).toThrow(/not among the numbers loaded/);
  });
});

describe("devices are refused before they are read (issue 78 §6)", () => {
  it("compliance check --dnc /dev/zero and audit verify --anchor /dev/zero: exit 2 naming the flag", async () => {
    const env = { CXO_DATA_DIR: path.join(dir, "cli") };
    const check = await runCli(
      [
        "compliance",
        "check",
        "--phone",
        "+13125557001",
        "--at",
        "2026-12-01T15:00:00-05:00",
        "--dnc",
        "/dev/zero",
      ],
      env,
    );
    expect(check.code).toBe(2);
    expect(check.stderr).toMatch(/--dnc.*not a regular file/);
    const verify = await runCli(["audit", "verify", "--anchor", "/dev/zero"], env);
    expect(verify.code).toBe(2);
    expect(verify.stderr).toMatch(/--anchor.*not a regular file/);
  });
});
