import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInternalClient } from "../../../src/client.ts";
import { type RunningEmulator, startEmulator } from "../../../src/emulator/index.ts";
import { type RunningRndEmulator, startRndEmulator } from "../../../src/emulator/rnd/index.ts";
import type { Contact } from "../../../src/platform/types.ts";
import { adminCall } from "../../support/emulator-admin.ts";
import { runCli } from "../../support/run-cli.ts";

/**
 * Issue 79 §3 inside `cxo campaigns contacts`: with `compliance.rnd` set, every page's contacts
 * that carry the day their consent was given (the seed emulator's `consentDate` extension) are
 * asked of the Reassigned Numbers Database before the page is judged; a contact whose number was
 * permanently disconnected since is not callable (`rnd_reassigned`), one disconnected before its
 * consent is judged as before. Each number asked once: a second scrub reuses the answers.
 */
const dir = mkdtempSync(path.join(tmpdir(), "cxo-contacts-rnd-"));
let emu: RunningEmulator;
let rnd: RunningRndEmulator;
let env: Record<string, string>;
let listId: string;
let dated: Contact[];

beforeAll(async () => {
  [emu, rnd] = await Promise.all([
    startEmulator({ port: 0, calls: 10, metricsIntervalMs: 0 }) as Promise<RunningEmulator>,
    startRndEmulator({
      dataAsOf: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10),
      disconnectRate: 0,
    }),
  ]);
  const admin = emu.fixtures.clients[0]!;
  const list = [...emu.fixtures.contactLists].sort((a, b) => a.size - b.size)[0]!;
  listId = list.id;
  env = {
    CXONE_BASE_URL: emu.url,
    CXONE_CLIENT_ID: admin.clientId,
    CXONE_CLIENT_SECRET: admin.clientSecret,
    CXO_DATA_DIR: path.join(dir, ".cxo"),
    CXO_RND_URL: rnd.url,
    CXO_RND_CLIENT_ID: rnd.fixtures.clientId,
    CXO_RND_CLIENT_SECRET: rnd.fixtures.clientSecret,
  };
  const client = createInternalClient({
    connection: { baseUrl: emu.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
    dataDir: path.join(dir, "read"),
  });
  try {
    const contacts = await client.port.campaigns.listContacts(listId, { pageSize: 1000 }).toArray(100_000);
    dated = contacts.filter((c) => c.consentDate !== undefined);
  } finally {
    await client.close();
  }
}, 60_000);
afterAll(async () => {
  await emu.close();
  await rnd.close();
});

describe("cxo campaigns contacts with compliance.rnd", () => {
  it("refuses the contacts whose number was reassigned since their consent; asks each number once", async () => {
    expect(dated.length).toBeGreaterThan(10);
    const [after1, after2, before] = dated as [Contact, Contact, Contact];
    const dayAfter = (day: string) =>
      new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const dayBefore = (day: string) =>
      new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await adminCall(rnd.url, "POST", "/disconnects", {
      numbers: [
        { tn: after1.phone.slice(2), disconnectedOn: dayAfter(after1.consentDate as string) },
        { tn: after2.phone.slice(2), disconnectedOn: after2.consentDate },
        { tn: before.phone.slice(2), disconnectedOn: dayBefore(before.consentDate as string) },
      ],
    });
    const out = path.join(dir, "verdicts.ndjson");
    const scrub = await runCli(["--json", "campaigns", "contacts", listId, "--out", out], env, {
      timeoutMs: 60_000,
    });
    expect(scrub.code, scrub.stderr).toBe(0);
    const rows = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { phone: string; reasons: Array<{ code: string }> });
    const refused = rows
      .filter((r) => r.reasons.some((reason) => reason.code === "rnd_reassigned"))
      .map((r) => r.phone);
    expect(refused.sort()).toEqual([after1.phone, after2.phone].sort());
    expect(JSON.parse(scrub.stdout).byReason.rnd_reassigned).toBe(2);
    const asked = await adminCall(rnd.url, "GET", "/asked");
    expect(asked.total).toBe(new Set(dated.map((c) => `${c.phone}|${c.consentDate}`)).size);

    const again = await runCli(
      ["--json", "campaigns", "contacts", listId, "--out", path.join(dir, "again.ndjson")],
      env,
      {
        timeoutMs: 60_000,
      },
    );
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).byReason.rnd_reassigned).toBe(2);
    expect((await adminCall(rnd.url, "GET", "/asked")).total).toBe(asked.total);
  });
});
