import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/core/store/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { accessKeyEnv } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCli } from "../support/run-cli.ts";
import { waitUntil } from "../support/wait-until.ts";

/**
 * Issue 62 §1 on the production platform: a revocation is honoured in cxo at once AND added to
 * the tenant's designated CXone DNC group (`consent.cxoneDncGroup`), so CXone's own dialer stops
 * too; `kill -9` during an import of 20,000 revocations (mid-way through sending them to the
 * group), then the same import again: every revocation once in the ledger and every number
 * carried by exactly one request to the group.
 */
const CXO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/cxo.js");
let cxone: RunningCxoneEmulator;
let groupId: number;
let skill: string;

const workspace = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-consent-cxone-"));
  // CXone's request limits are not what this test is about: the campaigns group (DNC writes and
  // searches) is raised so that 20,000 revocations take seconds, not minutes.
  writeFileSync(
    path.join(dir, "cxo.config.yaml"),
    `consent:\n  cxoneDncGroup: ${groupId}\nhttp:\n  rateLimitScale: 100\n`,
  );
  return { dir, env: { ...accessKeyEnv(cxone), CXO_DATA_DIR: path.join(dir, ".cxo") } };
};

const groupRecords = async () =>
  (
    (await adminCall(cxone.url, "GET", `/dnc-groups/${groupId}`)) as {
      records: Array<{ phone: string; sent: number }>;
    }
  ).records;

beforeAll(async () => {
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 41,
    contacts: 50,
    days: 1,
  })) as RunningCxoneEmulator;
  const internal = cxone.fixtures.dncGroups[0];
  if (!internal) throw new Error("no DNC group");
  groupId = internal.dncGroupId;
  skill = String(internal.scrubbedSkillIds[0]);
});

afterAll(async () => {
  await cxone?.close();
});

describe("consent on the production platform", () => {
  it("revoke: refused by cxo at once and added to the CXone DNC group once", async () => {
    const { dir, env } = workspace();
    const revoke = await runCli(
      ["--json", "consent", "revoke", "--phone", "+13125550777", "--channel", "sms"],
      env,
      {
        cwd: dir,
        timeoutMs: 60_000,
      },
    );
    expect(revoke.code, revoke.stderr).toBe(0);
    const doc = JSON.parse(revoke.stdout);
    expect(doc.cxone).toMatchObject({ sent: 1, alreadyInGroup: 0 });
    expect(doc.entry.cxone).toMatchObject({ status: "done", groupId: String(groupId) });
    expect(doc.entry.honouredAt).toBe(doc.entry.cxone.at);
    expect((await groupRecords()).find((r) => r.phone === "+13125550777")?.sent).toBe(1);
    const check = await runCli(
      ["--json", "compliance", "check", "--phone", "+13125550777", "--consent", "yes", "--campaign", skill],
      env,
      { cwd: dir, timeoutMs: 60_000 },
    );
    expect(check.code, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout).reasons.map((r: { code: string }) => r.code)).toContain(
      "consent_revoked",
    );
    // The check read the agents' "Do Not Call" dispositions of the emulator's world (issue 77 §3):
    // those are sent now; the number revoked above is not sent again.
    const first = await runCli(["--json", "consent", "honour"], env, { cwd: dir, timeoutMs: 60_000 });
    expect(first.code, first.stderr).toBe(0);
    // Again: nothing new, nothing sent.
    const again = await runCli(["--json", "consent", "honour"], env, { cwd: dir, timeoutMs: 60_000 });
    expect(JSON.parse(again.stdout)).toMatchObject({ sent: 0 });
    expect((await groupRecords()).find((r) => r.phone === "+13125550777")?.sent).toBe(1);
  });

  it("kill -9 during an import of 20,000, then again: each revocation once in the ledger, each number sent once", async () => {
    const { dir, env } = workspace();
    // 20,000 (was 100,000; issue 80: the suite's CPU): what is proven is a kill between group
    // writes, with batches sent and batches pending, whatever the file's size. The import sends
    // 500 numbers a request (src/consent/honour.ts), so 40 requests; the kill comes after the
    // 10th, and the 30 left are the margin for the requests sent while the kill is on its way
    // (a few at load 15), asserted below: the kill landed mid-way, or the test fails.
    const rows = 20_000;
    const requests = rows / 500;
    const killAfter = 10;
    const lines = ["phone,at,channel,source"];
    for (let i = 0; i < rows; i++)
      lines.push(
        `+1${410 + (i % 3)}${String(5_000_000 + i).padStart(7, "0")},2026-11-2${i % 5}T10:00:00Z,sms,bulk`,
      );
    writeFileSync(path.join(dir, "revocations.csv"), `${lines.join("\n")}\n`);
    const posts = async () =>
      (
        (await adminCall(cxone.url, "GET", "/requests")) as {
          requests: Array<{ method: string; path: string }>;
        }
      ).requests.filter((r) => r.method === "POST" && r.path.endsWith(`/dnc-groups/${groupId}/records`))
        .length;
    const before = await posts();
    const child = spawn(process.execPath, [CXO, "--json", "consent", "import", "--file", "revocations.csv"], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_code, signal) => resolve(signal)),
    );
    // Killed in the middle of sending to the group: some batches sent, the rest pending.
    await waitUntil(async () => (await posts()) - before >= killAfter, {
      what: `${killAfter} batches sent`,
      timeoutMs: 240_000,
      intervalMs: 25,
    });
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    const sentBeforeKill = (await posts()) - before;
    expect(sentBeforeKill).toBeGreaterThanOrEqual(killAfter);
    expect(sentBeforeKill).toBeLessThan(requests);

    const rerun = await runCli(["--json", "consent", "import", "--file", "revocations.csv"], env, {
      cwd: dir,
      timeoutMs: 240_000,
      spawn: true,
    });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ rows, added: 0, known: rows });

    const store = await openStore(path.join(dir, ".cxo"));
    try {
      const counts = await store.db.get<{ n: number; phones: number; done: number }>(
        "SELECT count(*) AS n, count(DISTINCT phone) AS phones, sum(CASE WHEN cxone_status = 'done' THEN 1 ELSE 0 END) AS done FROM consent_ledger",
      );
      expect(Number(counts?.n)).toBe(rows);
      expect(Number(counts?.phones)).toBe(rows);
      expect(Number(counts?.done)).toBe(rows);
    } finally {
      await store.close();
    }
    const records = (await groupRecords()).filter((r) => /^\+141[012]5/.test(r.phone));
    expect(records).toHaveLength(rows);
    expect(records.filter((r) => r.sent !== 1)).toEqual([]);
  }, 600_000);
});
