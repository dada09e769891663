import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDncList } from "../../src/compliance/blocked-numbers.ts";
import { recordRevocations } from "../../src/consent/ledger.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 100, High: a revocation recorded by a process whose clock is ahead (a forgotten
 * CXO_CLOCK, serve and cron given different settings, hosts whose clocks differ) was skipped by
 * every check, plan and push made on an earlier clock. A revocation in the ledger refuses the
 * number for every judgement made now, whatever its stamp, and the verdict says the stamp is
 * ahead; only a past attempt replayed as of its instant (the evidence) leaves it out.
 */
const cwd = mkdtempSync(path.join(tmpdir(), "cxo-stamped-ahead-"));
const dataDir = path.join(cwd, "data");
const PHONE = "+12124005555";
const AHEAD = "2026-12-03T14:00:00Z";
const BEHIND = "2026-12-02T14:00:00Z";

const cxo = (args: string[], clock: string) =>
  runCli(["--json", ...args], { CXO_DATA_DIR: dataDir, CXO_CLOCK: clock }, { cwd });

describe("a revocation stamped ahead of the reader's clock", () => {
  it("refuses the number in a check made on an earlier clock, and says the stamp is ahead", async () => {
    const revoke = await cxo(["consent", "revoke", "--phone", PHONE, "--channel", "sms"], AHEAD);
    expect(revoke.code, revoke.stderr).toBe(0);

    const check = await cxo(["compliance", "check", "--phone", PHONE, "--consent", "yes"], BEHIND);
    expect(check.code, check.stderr).toBe(0);
    const verdict = JSON.parse(check.stdout);
    expect(verdict.allowed).toBe(false);
    const reason = verdict.reasons.find((r: { code: string }) => r.code === "consent_revoked");
    expect(reason?.message).toMatch(/ahead of this host's clock/);
  });
});

describe("the lookup's two ways of judging", () => {
  let store: Store;
  const receivedAt = "2026-12-03T14:00:00.000Z";
  beforeAll(async () => {
    store = await openStore(path.join(cwd, "lookup"));
    await recordRevocations(
      store,
      [{ phone: PHONE, receivedAt, channel: "sms", scope: { kind: "tenant" }, source: null }],
      { actor: "test" },
    );
  });
  afterAll(() => store?.close());

  it("a call judged now (a push's call instant before the stamp) is refused", async () => {
    const list = await loadDncList(store);
    const before = Date.parse(receivedAt) - 3_600_000;
    expect(list.suppressions?.(PHONE, "101", before).map((s) => s.code)).toEqual(["consent_revoked"]);
  });

  it("a past attempt replayed as of its instant does not see a revocation received after it", async () => {
    const list = await loadDncList(store);
    const before = Date.parse(receivedAt) - 3_600_000;
    const after = Date.parse(receivedAt) + 1;
    expect(list.suppressions?.(PHONE, "101", before, undefined, { replay: true })).toEqual([]);
    expect(list.suppressions?.(PHONE, "101", after, undefined, { replay: true }).map((s) => s.code)).toEqual([
      "consent_revoked",
    ]);
  });
});
