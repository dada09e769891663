import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rememberDeclaredKind } from "../../../src/campaigns/known-campaigns.ts";
import { addToDnc } from "../../../src/compliance/dnc.ts";
import { openStore } from "../../../src/core/store/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../../src/emulator/index.ts";
import { accessKeyEnv, cxoneApi, cxoneApiGet } from "../../support/cxone-access-key.ts";
import { adminCall } from "../../support/emulator-admin.ts";
import { runCli } from "../../support/run-cli.ts";

/**
 * `cxo campaigns resume` on the production platform judges the caller id the skill presents
 * before it starts it, as a push and a create do (47 CFR 64.1601(e)): a telemarketing (or
 * undeclared) campaign whose skill presents none, an invalid number or one of its own blocked
 * numbers is not resumed — exit 2 naming the skill and the code, no write in the emulator's
 * request log; a collections campaign is resumed with the warning; a valid number resumes it.
 * The rows are issue 103's case table's `via: resume` (rule-book-2027-cases.json).
 */
let cxone: RunningCxoneEmulator;
let skillId = "";

interface CaseRow {
  id: string;
  callerIdOverride: string;
  kind?: "sales" | "collections";
  expect: { refused: string | null; warning?: string };
}
const CASES = (
  JSON.parse(readFileSync(path.resolve("test/fixtures/compliance/rule-book-2027-cases.json"), "utf8")) as {
    rows: Array<CaseRow & { via: string }>;
  }
).rows.filter((r) => r.via === "resume");

type Logged = { method: string; path: string };
const writes = async () =>
  ((await adminCall(cxone.url, "GET", "/requests")) as { requests: Logged[] }).requests
    .filter((r) => r.method !== "GET" && !/token|access-key/.test(r.path))
    .map((r) => `${r.method} ${r.path}`);

/** A data dir of its own: the campaign's declared kind, and +13125530177 on the internal list. */
async function dataDirFor(c: CaseRow): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-resume-callerid-"));
  const store = await openStore(path.join(dir, ".cxo"));
  await addToDnc(store, ["+13125530177"], { reason: "the campaign's own blocked number" });
  if (c.kind) await rememberDeclaredKind(store, skillId, c.kind);
  await store.close();
  return dir;
}

beforeAll(async () => {
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 103,
    contacts: 10,
    days: 1,
    uploadJobPolls: 1,
  })) as RunningCxoneEmulator;
  skillId = String(cxone.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection")!.skillId);
  await adminCall(cxone.url, "POST", "/knobs", { skillCallerIdField: "callerIdOverride" });
});
afterAll(async () => {
  await cxone?.close();
});

describe("campaigns resume and the caller id the skill presents (47 CFR 64.1601(e))", () => {
  it.each(CASES.map((c) => [c.id, c] as const))("%s", async (_id, c) => {
    const dir = await dataDirFor(c);
    const env = { ...accessKeyEnv(cxone), CXO_DATA_DIR: path.join(dir, ".cxo") };
    const cli = (verb: string) =>
      runCli(["--json", "campaigns", verb, skillId], env, { cwd: dir, timeoutMs: 60_000 });
    const paused = await cli("pause");
    expect(paused.code, paused.stderr).toBe(0);
    await cxoneApi(cxone, "PUT", `/skills/${skillId}`, { skill: { callerIdOverride: c.callerIdOverride } });
    await adminCall(cxone.url, "DELETE", "/requests");
    const resumed = await cli("resume");
    const { skills } = (await cxoneApiGet(cxone, "/skills?top=100")) as {
      skills: Array<{ skillId: number; isRunning: boolean }>;
    };
    const skill = skills.find((s) => String(s.skillId) === skillId);
    if (c.expect.refused) {
      expect(resumed.code, resumed.stdout).toBe(2);
      expect(resumed.stderr).toContain(`skill ${skillId}: ${c.expect.refused}`);
      expect(resumed.stderr).toContain("64.1601(e)");
      expect(await writes()).toEqual([]);
      expect(skill?.isRunning).toBe(false);
    } else {
      expect(resumed.code, resumed.stderr).toBe(0);
      const result = JSON.parse(resumed.stdout) as { status: string; warnings?: string[] };
      expect(result.status).toBe("active");
      if (c.expect.warning)
        expect(result.warnings?.join("\n")).toMatch(new RegExp(`${c.expect.warning}.*not telemarketing`));
      else expect(result.warnings).toBeUndefined();
      expect((await writes()).filter((w) => w.endsWith(`/skills/${skillId}/start`))).toHaveLength(1);
      expect(skill?.isRunning).toBe(true);
    }
  });
});
