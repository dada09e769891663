import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, statfsSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { StatementSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { clientOptionsFromSettings, createInternalClient } from "../../src/client.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { StoreFullError } from "../../src/index.ts";
import { accessKeyEnv, accessKeySettings } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 88 L14, two revocations that could not reach where they go, each said as what it is:
 * - the store's disk is full: the error names the data dir and the full disk, exit 1 — not
 *   "scope all: this tenant (database or disk is full) could not record …" for a revocation of
 *   scope tenant (one business unit has no fan-out to speak of);
 * - CXone answers 404 for the configured DNC group (`consent.cxoneDncGroup`): the group does not
 *   exist, exit 1 naming it — not "DELAYED", exit 0, as if a retry would fix it; the revocation is
 *   recorded (cxo refuses the number) and stays pending until the setting names a real group.
 */
let cxone: RunningCxoneEmulator;
let groupId = "";
const cwd = mkdtempSync(path.join(tmpdir(), "cxo-revoke-failures-"));

beforeAll(async () => {
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 88,
    contacts: 10,
    days: 1,
  })) as RunningCxoneEmulator;
  groupId = String(cxone.fixtures.dncGroups.find((g) => g.isActive)!.dncGroupId);
});
afterAll(async () => {
  await cxone?.close();
  rmSync(cwd, { recursive: true, force: true });
});

/** A `cxo` in `dir` (its cxo.config.yaml) on the emulator, with `dataDir` as its store. */
function cxoIn(dir: string, dataDir: string) {
  return (args: string[]) =>
    runCli(args, { ...accessKeyEnv(cxone), CXO_DATA_DIR: dataDir }, { cwd: dir, timeoutMs: 60_000 });
}

function configDir(name: string, group: string): string {
  const made = mkdtempSync(path.join(cwd, `${name}-`));
  writeFileSync(path.join(made, "cxo.config.yaml"), `consent:\n  cxoneDncGroup: "${group}"\n`);
  return made;
}

describe("a revocation on a full disk", () => {
  it("SDK: scope tenant rejects with StoreFullError naming the data dir, never 'scope all'", async () => {
    const dataDir = path.join(cwd, "sdk-full", ".cxo");
    const client = createInternalClient({
      ...clientOptionsFromSettings(accessKeySettings(cxone)),
      dataDir,
      consent: { cxoneDncGroup: groupId },
    });
    // The disk fills up between two revocations: SQLite refuses the ledger's insert as it does on
    // a full file system (node:sqlite's error: SQLITE_FULL, "database or disk is full").
    await client.consent.revoke({ phone: "+13125550601", channel: "sms" });
    const run = StatementSync.prototype.run;
    const spy = vi.spyOn(StatementSync.prototype, "run").mockImplementation(function (
      this: StatementSync,
      ...args
    ) {
      if (this.sourceSQL.includes("INSERT INTO consent_ledger"))
        throw Object.assign(new Error("database or disk is full"), {
          code: "ERR_SQLITE_ERROR",
          errcode: 13,
          errstr: "database or disk is full",
        });
      return run.apply(this, args);
    });
    try {
      const error = await client.consent
        .revoke({ phone: "+13125550602", channel: "sms" })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreFullError);
      expect(error).toMatchObject({ code: "store_full", dataDir });
      expect((error as Error).message).toContain(`the data dir ${dataDir} is full`);
      expect((error as Error).message).not.toMatch(/scope all/);
    } finally {
      spy.mockRestore();
      await client.close();
    }
  });

  it("CLI on a real full file system (a tmpfs; needs mount rights): exit 1 naming the data dir; recorded once space is freed", async (ctx) => {
    const mountPoint = mkdtempSync(path.join(tmpdir(), "cxo-full-disk-"));
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint], { stdio: "ignore" });
    } catch {
      rmSync(mountPoint, { recursive: true, force: true });
      ctx.skip(); // not root (or no mount rights): the SDK test above covers the wording
    }
    try {
      const dataDir = path.join(mountPoint, ".cxo");
      const cxo = cxoIn(configDir("cli-full", groupId), dataDir);
      const first = await cxo(["consent", "revoke", "--phone", "+13125550611"]);
      expect(first.code, first.stderr).toBe(0);
      fillUp(path.join(mountPoint, "filler"));

      const full = await cxo(["consent", "revoke", "--phone", "+13125550612"]);
      expect(full.code).toBe(1);
      expect(full.stderr).toMatch(new RegExp(`^error: the disk holding the data dir ${dataDir} is full`));
      expect(full.stderr).not.toMatch(/scope all|DELAYED|\n\s+at /);
      expect(full.stdout).toBe("");

      rmSync(path.join(mountPoint, "filler"));
      const freed = await cxo(["--json", "consent", "revoke", "--phone", "+13125550612"]);
      expect(freed.code, freed.stderr).toBe(0);
      expect(JSON.parse(freed.stdout)).toMatchObject({ added: true, entry: { cxone: { status: "done" } } });
    } finally {
      execFileSync("umount", ["-l", mountPoint], { stdio: "ignore" });
      rmSync(mountPoint, { recursive: true, force: true });
    }
  });
});

/** Writes `file` until its file system has no byte left. */
function fillUp(file: string): void {
  const fd = openSync(file, "w");
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) {
      const { bavail, bsize } = statfsSync(path.dirname(file));
      if (bavail === 0) return;
      writeSync(fd, chunk, 0, Math.min(chunk.length, bavail * bsize));
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    closeSync(fd);
  }
}

describe("a revocation to a DNC group CXone does not have", () => {
  it("exits 1 saying the group does not exist; recorded and pending; sent once the setting names a real group", async () => {
    const dataDir = path.join(cwd, "missing-group", ".cxo");
    const phone = "+13125550621";
    const wrong = cxoIn(configDir("missing-group", "999999"), dataDir);

    const revoke = await wrong(["consent", "revoke", "--phone", phone, "--channel", "sms"]);
    expect(revoke.code).toBe(1);
    expect(revoke.stderr).toMatch(/^error: CXone has no DNC group 999999 \(consent\.cxoneDncGroup\)/);
    expect(revoke.stderr).toContain(`${groupId} "`); // the groups it has, to pick from
    expect(revoke.stderr).not.toMatch(/DELAYED|\n\s+at /);

    // Recorded: cxo refuses the number; its entry waits, pending (not `sending`), for CXone.
    const check = await wrong(["--json", "compliance", "check", "--phone", phone, "--consent", "yes"]);
    expect(JSON.parse(check.stdout).allowed).toBe(false);
    const report = await wrong(["--json", "consent", "report"]);
    const entry = JSON.parse(report.stdout).entries.find((e: { phone: string }) => e.phone === phone);
    expect(entry).toMatchObject({ honouredAt: null, cxone: { status: "pending", groupId: "999999" } });

    const honour = await wrong(["consent", "honour"]);
    expect(honour.code).toBe(1);
    expect(honour.stderr).toMatch(/^error: CXone has no DNC group 999999/);

    // The setting fixed: the next honour run sends it to the real group.
    const right = cxoIn(configDir("right-group", groupId), dataDir);
    const fixed = await right(["--json", "consent", "honour"]);
    expect(fixed.code, fixed.stderr).toBe(0);
    const group = (await adminCall(cxone.url, "GET", `/dnc-groups/${groupId}`)) as {
      records: Array<{ phone: string }>;
    };
    expect(group.records.map((r) => r.phone)).toContain(phone);
  });
});
