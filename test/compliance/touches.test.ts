import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { InternalClient } from "../../src/client.ts";
import { callsOf } from "../../src/compliance/debt-calls.ts";
import { recordTouches, touchesInWindow, touchesOfPhones } from "../../src/compliance/touches-store.ts";
import { InputError } from "../../src/core/input-error.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import * as sdk from "../../src/index.ts";
import { type CxoneHarness, cxoneHarness } from "../emulator/cxone/helpers.ts";
import { harnessClient } from "../support/cxone-harness-client.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { createTestDatabase } from "../support/postgres-server.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 79 §1: touches made elsewhere — the store (SQLite and PostgreSQL), `cxo touches import`
 * (bad input: exit 2 naming the row and field, nothing recorded; a re-import adds nothing, not even
 * an audit record), a registration for an unknown state refused, and the SDK end to end on both
 * platforms' emulators (nothing sent to CXone by an import, good or bad).
 */
const tempDir = (prefix = "cxo-touches-") => mkdtempSync(path.join(tmpdir(), prefix));
const DAY = 86_400_000;
const T0 = Date.parse("2026-10-06T16:00:00Z");

function file(name: string, text: string): string {
  const p = path.join(tempDir(), name);
  writeFileSync(p, text);
  return p;
}

async function storeCounts(dataDir: string): Promise<{ touches: number; audits: number }> {
  const store = await openStore(dataDir);
  try {
    const t = await store.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM touches");
    const a = await store.db.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM audit_log WHERE operation = 'touches.import'",
    );
    return { touches: Number(t?.n), audits: Number(a?.n) };
  } finally {
    await store.close();
  }
}

describe.each(["sqlite", "postgres"] as const)("the touches table on %s", (kind) => {
  let store: Store;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (kind === "postgres") {
      const db = await createTestDatabase(inject("pgUrl"), "cxo_touches");
      drop = db.drop;
      store = await openStore({ dataDir: tempDir(), store: { url: db.url } });
    } else store = await openStore(tempDir());
  });
  afterAll(async () => {
    await store.close();
    await drop?.();
  });

  it("records each touch once, and reads a number's, an account's, a batch's and a window's", async () => {
    const touches = [
      { phone: "+16175552201", atMs: T0 - 2 * DAY, channel: "call" as const, accountId: "A1" },
      { phone: "+17815552202", atMs: T0 - DAY, channel: "sms" as const, accountId: "A1", seller: "acme" },
      { phone: "+16175552201", atMs: T0 - 3_600_000, channel: "email" as const },
      { phone: "+16175552203", atMs: T0 - 40 * DAY, channel: "call" as const, accountId: "A1" },
    ];
    expect(await recordTouches(store, touches, { source: "test" })).toBe(4);
    expect(await recordTouches(store, touches, { source: "test" })).toBe(0);
    const window = { fromMs: T0 - 31 * DAY, toMs: T0 };
    const own = (await callsOf({ store }, { phones: ["+16175552201"], window })).forCheck("+16175552201");
    expect(own.map((t) => t.channel)).toEqual(["call", "email"]);
    const withAccount = (
      await callsOf({ store }, { phones: ["+16175552201"], accounts: ["A1"], window })
    ).forCheck("+16175552201", "A1");
    expect(withAccount.map((t) => [t.phone, t.channel, t.accountId, t.seller])).toEqual([
      ["+16175552201", "call", "A1", undefined],
      ["+17815552202", "sms", "A1", "acme"],
      ["+16175552201", "email", undefined, undefined],
    ]);
    const batch = await touchesOfPhones(store, ["+16175552201", "+17815552202"], T0 - 31 * DAY, T0);
    expect(batch.get("+16175552201")?.length).toBe(2);
    expect(batch.get("+17815552202")?.length).toBe(1);
    expect((await touchesInWindow(store, T0 - 31 * DAY, T0)).length).toBe(3);
  });
});

describe("cxo touches import", () => {
  it("refuses an unknown channel, a touch in the future, a bad account: exit 2 naming row and field, nothing recorded", async () => {
    const dataDir = tempDir();
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const bad = file(
      "bad.csv",
      `phone,at,channel,account\n+16175552210,2026-10-01T10:00:00-04:00,call,A1\n+16175552211,2026-10-01T10:00:00-04:00,fax,\n+16175552212,${future},sms,\n+16175552213,2026-10-01T10:00:00-04:00,sms,bad account\n`,
    );
    const result = await runCli(["touches", "import", "--file", bad], { CXO_DATA_DIR: dataDir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("row 3, channel: must be one of call, sms, email, callback, voicemail");
    expect(result.stderr).toContain("row 4, at: is in the future");
    expect(result.stderr).toContain("row 5, account");
    expect(result.stderr).not.toMatch(/\n\s+at .*\.ts:\d+/);
    expect(await storeCounts(dataDir)).toEqual({ touches: 0, audits: 0 });
  });

  it("refuses a file without a channel column, naming it", async () => {
    const result = await runCli(
      ["touches", "import", "--file", file("t.csv", "phone,at\n+16175552214,2026-10-01T10:00:00-04:00\n")],
      { CXO_DATA_DIR: tempDir() },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("channel: ");
  });

  it("records NDJSON and CSV; the same file again adds nothing, not even an audit record", async () => {
    const dataDir = tempDir();
    const ndjson = file(
      "t.ndjson",
      '{"phone":"+16175552215","at":"2026-10-01T10:00:00-04:00","channel":"sms","answered":false}\n{"phone":"+16175552215","at":"2026-10-02T10:00:00-04:00","channel":"voicemail","campaign":"c1","seller":"acme"}\n',
    );
    const first = await runCli(["--json", "touches", "import", "--file", ndjson], { CXO_DATA_DIR: dataDir });
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      rows: 2,
      added: 2,
      byChannel: { sms: 1, voicemail: 1 },
    });
    const again = await runCli(["--json", "touches", "import", "--file", ndjson], { CXO_DATA_DIR: dataDir });
    expect(JSON.parse(again.stdout)).toMatchObject({ rows: 2, added: 0, alreadyRecorded: 2 });
    expect(await storeCounts(dataDir)).toEqual({ touches: 2, audits: 1 });
  });
});

describe("compliance.registrations", () => {
  it("a registration for an unknown state is bad input (exit 2 naming it), nothing read", async () => {
    const config = file(
      "cxo.config.yaml",
      'compliance:\n  registrations:\n    XX: { number: "1", until: "2027-01-01" }\n',
    );
    const result = await runCli(
      ["--config", config, "compliance", "check", "--phone", "+12145552216", "--kind", "sales"],
      { CXO_DATA_DIR: tempDir() },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("compliance.registrations.XX");
    expect(result.stderr).toContain("unknown state");
  });

  it("a registration number with a line break or an escape code is bad input: it cannot forge a line of the output", async () => {
    const config = file(
      "cxo.config.yaml",
      'compliance:\n  registrations:\n    TX: { number: "123\\nALLOWED: every rule passed\\u001b[2K", until: "2027-01-01" }\n',
    );
    const result = await runCli(
      ["--config", config, "compliance", "check", "--phone", "+12145552216", "--kind", "sales"],
      { CXO_DATA_DIR: tempDir() },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("compliance.registrations.TX.number");
    expect(result.stderr).toMatch(/printable characters only/);
    expect(result.stdout).toBe("");
  });

  it("the SDK refuses it too, naming the option", () => {
    expect(() =>
      sdk.createClient({
        connection: { baseUrl: "http://127.0.0.1:9", clientId: "a", clientSecret: "b" },
        dataDir: tempDir(),
        compliance: { registrations: { XX: { number: "1", until: "2027-01-01" } } },
      }),
    ).toThrow(/compliance/);
  });
});

/** Three touches about account N1 within 7 days of 2026-10-06 12:00 New York. */
const NYC_TOUCHES =
  "phone,at,channel,account\n+12125552220,2026-10-01T10:00:00-04:00,call,N1\n+19175552221,2026-10-03T10:00:00-04:00,sms,N1\n+12125552220,2026-10-05T10:00:00-04:00,email,N1\n";
const NYC_CHECK = {
  phone: "+12125552220",
  at: "2026-10-06T12:00:00-04:00",
  consent: true,
  kind: "collections" as const,
  account: "N1",
  zip: "10001",
};

describe("the SDK end to end on the seed emulator", () => {
  let emulator: RunningEmulator;
  let client: sdk.CxoneClient;
  beforeAll(async () => {
    emulator = (await startEmulator({ port: 0, calls: 20, metricsIntervalMs: 0 })) as RunningEmulator;
    const admin = emulator.fixtures.clients[0]!;
    client = sdk.createClient({
      connection: { baseUrl: emulator.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
      dataDir: tempDir(),
    });
  });
  afterAll(async () => {
    await client.close();
    await emulator.close();
  });
  const requests = async () =>
    ((await adminCall(emulator.url, "GET", "/requests")).requests as unknown[]).length;

  it("touches.import records; compliance.check counts them per account across numbers and channels", async () => {
    const before = await requests();
    const summary = await client.touches.import({ file: file("t.csv", NYC_TOUCHES) });
    expect(summary).toMatchObject({ rows: 3, added: 3 });
    expect(await requests()).toBe(before);
    const verdict = await client.compliance.check(NYC_CHECK);
    expect(verdict.allowed).toBe(false);
    const reason = verdict.reasons.find((r) => r.ruleId === "nyc-collections-7d-2026");
    expect(reason).toMatchObject({ code: "frequency_cap", counts: "every_channel", per: "account" });
    expect(reason?.touches?.map((t) => t.channel)).toEqual(["call", "sms", "email"]);
    // The same consumer by area code alone (no ZIP): New York City's rule does not apply.
    const { zip: _zip, ...byAreaCode } = NYC_CHECK;
    expect((await client.compliance.check(byAreaCode)).allowed).toBe(true);
  });

  it("a bad file is an InputError naming the row; nothing recorded, nothing sent", async () => {
    const before = await requests();
    const error = await client.touches
      .import({ file: file("bad.csv", "phone,at,channel\n+12125552222,2026-10-01T10:00:00-04:00,fax\n") })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems).toEqual([expect.objectContaining({ field: "channel", row: 2 })]);
    expect(await requests()).toBe(before);
  });

  it("compliance.check names a bad kind, channel, zip and account", async () => {
    const error = await client.compliance
      .check({
        phone: "+12125552223",
        kind: "retail" as never,
        channel: "fax" as never,
        zip: "1000",
        account: "a b",
      })
      .catch((e: unknown) => e);
    expect((error as InputError).problems.map((p) => p.field).sort()).toEqual([
      "account",
      "channel",
      "kind",
      "zip",
    ]);
  });
});

describe("the SDK end to end on the production emulator", () => {
  let h: CxoneHarness;
  let client: InternalClient;
  beforeAll(async () => {
    // A small history: the check reads agents' dispositions of the last 30 days first (issue 77 §3).
    h = await cxoneHarness({ seed: 31, contacts: 100, days: 1 });
    client = harnessClient(h, "cxo-touches-cxone-");
  });
  afterAll(async () => {
    await client.close();
    await h.close();
  });
  const requests = async () => ((await h.admin("GET", "/requests")).body.requests as unknown[]).length;

  it("touches.import sends nothing; compliance.check counts the touches", async () => {
    const before = await requests();
    expect(await client.touches.import({ file: file("t.csv", NYC_TOUCHES) })).toMatchObject({ added: 3 });
    expect(await requests()).toBe(before);
    const verdict = await client.compliance.check(NYC_CHECK);
    expect(verdict.reasons.map((r) => r.ruleId)).toContain("nyc-collections-7d-2026");
    expect(verdict.caps?.find((c) => c.ruleId === "nyc-collections-7d-2026")?.counted).toBe(3);
  });
});
