import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KNOWN_CAMPAIGNS, type KnownCampaign } from "../../../src/campaigns/known-campaigns.ts";
import { openStore } from "../../../src/core/store/index.ts";
import type { RunningCxoneEmulator } from "../../../src/emulator/index.ts";
import { type RunningRndEmulator, startRndEmulator } from "../../../src/emulator/rnd/index.ts";
import { accessKeyEnv, cxoneApi } from "../../support/cxone-access-key.ts";
import { startListEmulator } from "../../support/cxone-list-dialer.ts";
import { adminCall } from "../../support/emulator-admin.ts";
import type { CliResult } from "../../support/run-cli.ts";
import { runCliBatch } from "../../support/run-cli-batch.ts";

/**
 * Issue 79 inside `cxo campaigns contacts` on the production platform, end to end through the
 * CLI: a calling list uploaded to the production emulator with its consent flag and consent day
 * in custom columns (`cxone.productionApi.consentColumn` / `consentDateColumn`), the Reassigned
 * Numbers Database asked about every dated number (a number disconnected since its consent is not
 * callable: `rnd_reassigned`), the touches imported with `cxo touches import` counted toward the
 * caps, and the list judged as the kind asked (`--kind`) or as the `--campaign`'s own kind. An
 * Oregon number texted 3 times in 24 hours by this seller is refused under Oregon's sales cap
 * when the kind is undeclared or sales, and callable for a collections campaign (the cap is a
 * sales rule); before, `campaigns contacts` counted neither the touches nor the kind.
 */
const AT = "2026-10-06T12:00:00-07:00"; // a Tuesday, noon in Oregon
const OREGON = "+15035553301";
const REASSIGNED = "+13035553302";
const CLEAN = "+13035553303";
const dir = mkdtempSync(path.join(tmpdir(), "cxo-contacts-production-"));
const file = (name: string) => path.join(dir, name);
let emulator: RunningCxoneEmulator;
let rnd: RunningRndEmulator;
let env: Record<string, string>;
let listId = "";
let skillId = "";

const cxo = async (...args: string[]): Promise<CliResult> =>
  (
    await runCliBatch([{ args: ["--json", "--config", file("cxo.yaml"), ...args], env, cwd: dir }], 1)
  )[0] as CliResult;

async function scrub(name: string, ...extra: string[]) {
  const run = await cxo(
    "campaigns",
    "contacts",
    listId,
    "--at",
    AT,
    "--out",
    file(`${name}.ndjson`),
    ...extra,
  );
  expect(run.code, run.stderr).toBe(0);
  const rows = readFileSync(file(`${name}.ndjson`), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { phone: string; allowed: boolean; reasons: Array<{ code: string }> });
  const codesOf = (phone: string) =>
    rows.find((r) => r.phone.replace(/\D/g, "").endsWith(phone.slice(2)))?.reasons.map((r) => r.code);
  return { summary: JSON.parse(run.stdout), codesOf };
}

beforeAll(async () => {
  ({ emulator, skillId } = await startListEmulator(79));
  rnd = await startRndEmulator({
    dataAsOf: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10),
    disconnectRate: 0,
  });
  env = { ...accessKeyEnv(emulator), CXO_DATA_DIR: file(".cxo") };
  writeFileSync(
    file("cxo.yaml"),
    [
      "consent:",
      "  seller: acme",
      "cxone:",
      "  productionApi:",
      "    consentColumn: consent_call",
      "    consentDateColumn: consent_date",
      "compliance:",
      "  rnd:",
      `    url: ${rnd.url}`,
      `    clientId: ${rnd.fixtures.clientId}`,
      `    clientSecret: ${rnd.fixtures.clientSecret}`,
      "",
    ].join("\n"),
  );
  const created = (await cxoneApi(
    emulator,
    "POST",
    "/lists/call-lists?listName=Issue%2079%20list&externalIdColumn=ExternalId",
    { destinationMappings: [{ fieldName: "PhoneNumber", fieldValue: "PhoneNumber" }] },
  )) as { listId: number };
  listId = String(created.listId);
  const csv = [
    "ExternalId,PhoneNumber,consent_call,consent_date",
    `r1,${OREGON.slice(2)},Y,2024-01-10`,
    `r2,${REASSIGNED.slice(2)},Y,2024-02-01`,
    `r3,${CLEAN.slice(2)},Y,2024-02-01`,
  ].join("\n");
  const { jobId } = (await cxoneApi(emulator, "POST", `/lists/call-lists/${listId}/upload`, {
    listFile: Buffer.from(csv).toString("base64"),
    expirationDate: "2027-12-31T00:00:00Z",
  })) as { jobId: number };
  // The upload completes on its first poll (startListEmulator), as a client waits for it.
  await cxoneApi(emulator, "GET", `/lists/call-lists/jobs/${jobId}`);
  await adminCall(rnd.url, "POST", "/disconnects", {
    numbers: [{ tn: REASSIGNED.slice(2), disconnectedOn: "2025-06-01" }],
  });
  writeFileSync(
    file("touches.csv"),
    [
      "phone,at,channel,seller",
      ...["08:00", "09:00", "10:00"].map((t) => `${OREGON},2026-10-06T${t}:00-07:00,sms,acme`),
    ].join("\n"),
  );
  const imported = await cxo("touches", "import", "--file", file("touches.csv"));
  expect(imported.code, imported.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  await rnd?.close();
});

describe("cxo campaigns contacts on the production platform (issue 79)", () => {
  it("asks the RND about the list's dated numbers and counts the imported touches (kind undeclared)", async () => {
    const { summary, codesOf } = await scrub("undeclared");
    expect(summary).toMatchObject({ total: 3, kind: null });
    expect(codesOf(REASSIGNED)).toContain("rnd_reassigned");
    expect(codesOf(OREGON)).toEqual(["frequency_cap"]);
    expect(codesOf(CLEAN)).toEqual([]);
    const asked = (await adminCall(rnd.url, "GET", "/asked")) as { asked: Array<{ tn: string }> };
    expect(asked.asked.map((a) => a.tn).sort()).toEqual(
      [OREGON, REASSIGNED, CLEAN].map((p) => p.slice(2)).sort(),
    );
  });

  it("--kind collections: Oregon's sales cap does not apply; --kind sales: it does", async () => {
    const collections = await scrub("collections", "--kind", "collections");
    expect(collections.summary.kind).toBe("collections");
    expect(collections.codesOf(OREGON)).toEqual([]);
    const sales = await scrub("sales", "--kind", "sales");
    expect(sales.codesOf(OREGON)).toEqual(["frequency_cap"]);
  });

  it("--campaign: the kind of a campaign this data dir created is the default", async () => {
    const store = await openStore(file(".cxo"));
    try {
      const known: KnownCampaign = {
        id: skillId,
        name: "Collections West",
        createdAt: "2026-10-01T00:00:00Z",
        specHash: "test",
        contactListId: listId,
        failover: null,
        kind: "collections",
      };
      await store.kv.set(KNOWN_CAMPAIGNS, skillId, known);
    } finally {
      await store.close();
    }
    const { summary, codesOf } = await scrub("campaign", "--campaign", skillId);
    expect(summary.kind).toBe("collections");
    expect(codesOf(OREGON)).toEqual([]);
  });

  it("a kind it does not know: exit 2 naming --kind, nothing sent", async () => {
    await adminCall(emulator.url, "DELETE", "/requests");
    const run = await cxo("campaigns", "contacts", listId, "--kind", "debt", "--out", file("bad.ndjson"));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--kind.*sales or collections/);
    expect(((await adminCall(emulator.url, "GET", "/requests")) as { requests: unknown[] }).requests).toEqual(
      [],
    );
  });
});
