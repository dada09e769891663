import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { accessKeyEnv } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * The live one-number check (no synced copy: `POST /dnc-groups/search`, then the groups it names):
 * a search hit whose group cannot be read — `GET /dnc-groups/{id}` answering 404 or a bare 204
 * (fault `unreadableDncGroups`) — blocks the check (exit 1 naming the route and the group), it
 * is never dropped as "no group" and the number read as allowed.
 */
/** A Tuesday afternoon legal in every US zone (15:00 in New York, 12:00 in Los Angeles). */
const AT = "2026-03-10T19:00:00Z";
let cxone: RunningCxoneEmulator;
let groupId = 0;
let phone = "";
let skill = "";

const check = () =>
  runCli(
    ["--json", "compliance", "check", "--phone", phone, "--at", AT, "--consent", "yes", "--campaign", skill],
    // A data dir of its own each time: no copy of the groups, so the check searches live.
    { ...accessKeyEnv(cxone), CXO_DATA_DIR: mkdtempSync(path.join(tmpdir(), "cxo-dnc-unreadable-")) },
    { timeoutMs: 60_000 },
  );

beforeAll(async () => {
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 46,
    contacts: 50,
    days: 1,
  })) as RunningCxoneEmulator;
  const internal = cxone.fixtures.dncGroups[0]!;
  groupId = internal.dncGroupId;
  phone = `+1${internal.phones[0]}`;
  skill = String(internal.scrubbedSkillIds[0]);
});
afterAll(async () => {
  await cxone?.close();
});

describe("a live DNC search hit whose group cannot be read", () => {
  it("readable: refused with cxone_dnc naming the group", async () => {
    const readable = await check();
    expect(readable.code, readable.stderr).toBe(0);
    const verdict = JSON.parse(readable.stdout);
    expect(verdict.allowed).toBe(false);
    expect(verdict.reasons.map((r: { code: string }) => r.code)).toContain("cxone_dnc");
  }, 60_000);

  for (const status of [404, 204] as const)
    it(`answering ${status}: the check fails naming the group, the number is never allowed`, async () => {
      await adminCall(cxone.url, "POST", "/faults", { unreadableDncGroups: { groupIds: [groupId], status } });
      try {
        const blocked = await check();
        expect(blocked.code, blocked.stdout).toBe(1);
        expect(blocked.stdout).not.toMatch(/"allowed":\s*true/);
        expect(blocked.stderr).toContain("GET /dnc-groups/{groupId}");
        expect(blocked.stderr).toContain(`DNC group ${groupId}, which a search named`);
      } finally {
        await adminCall(cxone.url, "DELETE", "/faults");
      }
    }, 60_000);
});
