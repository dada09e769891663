import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { accessKeyEnv } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * A DNC record CXone refuses is never reported as in its group. The emulator answers a records
 * POST as the generated client's model has it (knob `dncRecordResults: resultSet`: `{resultSet:
 * {errorCount, recordResults[{error}]}}`, no `success` on an item) with every number as text
 * (`numbersAsStrings`: `errorCount: "1"`), and refuses one number (fault `refuseDncRecords`):
 * `consent revoke` says the group write is delayed, `consent honour` names the number as refused
 * and exits 1, the ledger keeps it pending, and once the emulator takes it the next honour sends it.
 */
const PHONE = "+13125550888";
let cxone: RunningCxoneEmulator;
let groupId: number;

const groupHolds = async (phone: string) =>
  (
    (await adminCall(cxone.url, "GET", `/dnc-groups/${groupId}`)) as {
      records: Array<{ phone: string; sent: number }>;
    }
  ).records.find((r) => r.phone === phone);

beforeAll(async () => {
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 43,
    contacts: 50,
    days: 1,
    knobs: { dncRecordResults: "resultSet", numbersAsStrings: true },
  })) as RunningCxoneEmulator;
  groupId = cxone.fixtures.dncGroups[0]!.dncGroupId;
});
afterAll(async () => {
  await cxone?.close();
});

describe("a DNC record CXone refuses inside resultSet", () => {
  it("is pending, not sent, and sent once CXone takes it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-dnc-refused-"));
    writeFileSync(path.join(dir, "cxo.config.yaml"), `consent:\n  cxoneDncGroup: ${groupId}\n`);
    const env = { ...accessKeyEnv(cxone), CXO_DATA_DIR: path.join(dir, ".cxo") };
    const run = (args: string[]) => runCli(["--json", ...args], env, { cwd: dir, timeoutMs: 60_000 });
    await adminCall(cxone.url, "POST", "/faults", {
      refuseDncRecords: { phones: [PHONE], error: "Phone number is not valid for this business unit" },
    });

    const revoke = await run(["consent", "revoke", "--phone", PHONE, "--channel", "sms"]);
    expect(revoke.code, revoke.stderr).toBe(0);
    const revoked = JSON.parse(revoke.stdout);
    expect(revoked.cxoneDelayed).toMatch(/CXone refused \+13125550888 \(Phone number is not valid/);
    expect(revoked.cxone?.sent ?? 0).toBe(0);
    expect(revoked.entry.cxone.status).toBe("pending");
    expect(revoked.entry.honouredAt ?? null).toBeNull();
    expect(await groupHolds(PHONE)).toBeUndefined();

    const refused = await run(["consent", "honour"]);
    expect(refused.code).toBe(1);
    const summary = JSON.parse(refused.stdout);
    // Other revocations (the agents' do-not-call dispositions cxo reads) may go out with it.
    expect(summary.refused).toEqual([
      {
        phone: PHONE,
        groupId: String(groupId),
        reason: "Phone number is not valid for this business unit",
      },
    ]);
    expect(await groupHolds(PHONE)).toBeUndefined();

    await adminCall(cxone.url, "DELETE", "/faults");
    const honoured = await run(["consent", "honour"]);
    expect(honoured.code, honoured.stderr).toBe(0);
    expect(JSON.parse(honoured.stdout).sent).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(honoured.stdout).refused).toBeUndefined();
    expect((await groupHolds(PHONE))?.sent).toBe(1);
  }, 120_000);
});
