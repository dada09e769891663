import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCxoneEmulator, startEmulator } from "../../../src/emulator/index.ts";
import { accessKeyEnv, cxoneApiGet } from "../../support/cxone-access-key.ts";
import { adminCall } from "../../support/emulator-admin.ts";
import { runCli } from "../../support/run-cli.ts";

/**
 * Issue 103 §3, `cxo campaigns create` (status active) on the production platform: the spec's
 * `callerId` is the new skill's `callerIdOverride`; before the skill is started the number it
 * presents is judged. A sales campaign presenting a number nobody can have is not started
 * (exit 2 naming the skill and `callerid_invalid`; no start in the request log); a collections
 * one is started with a warning; a valid number starts it.
 */
let cxone: RunningCxoneEmulator;
let listIds: string[] = [];

type Logged = { method: string; path: string };
const starts = async () =>
  ((await adminCall(cxone.url, "GET", "/requests")) as { requests: Logged[] }).requests.filter(
    (r) => r.method === "POST" && /\/skills\/\d+\/start$/.test(r.path),
  );

function create(name: string, listId: string, kind: string, callerId: string) {
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-create-callerid-"));
  const spec = path.join(dir, "campaign.yaml");
  writeFileSync(
    spec,
    [
      `name: ${name}`,
      `contactListId: "${listId}"`,
      "status: active",
      `kind: ${kind}`,
      `callerId: "${callerId}"`,
      "predictive: { answerRatio: 0.5, maxCallsInFlight: 10, callRate: 2, abandonmentThreshold: 0.03 }",
      'compliance: { timeZone: America/New_York, window: { start: "09:00", end: "20:00" }, allowedDays: [Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday] }',
    ].join("\n"),
  );
  const env = { ...accessKeyEnv(cxone), CXO_DATA_DIR: path.join(dir, ".cxo") };
  return runCli(["--json", "campaigns", "create", "--spec", spec], env, { cwd: dir, timeoutMs: 60_000 });
}

async function skillNamed(name: string) {
  const { skills } = (await cxoneApiGet(cxone, "/skills?top=100")) as {
    skills: Array<{ skillId: number; skillName: string; isRunning: boolean; callerIdOverride?: string }>;
  };
  return skills.find((s) => s.skillName === name);
}

beforeAll(async () => {
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 103,
    contacts: 30,
    days: 1,
    uploadJobPolls: 1,
  })) as RunningCxoneEmulator;
  listIds = [...cxone.fixtures.callingLists].sort((a, b) => a.size - b.size).map((l) => String(l.listId));
});
afterAll(async () => {
  await cxone?.close();
});

describe("campaigns create and the caller id the skill presents (47 CFR 64.1601(e))", () => {
  it("does not start a sales campaign presenting a fictional number: exit 2 naming the skill and the rule", async () => {
    await adminCall(cxone.url, "DELETE", "/requests");
    const run = await create("CID sales", listIds[0]!, "sales", "+13125550150");
    expect(run.code).toBe(2);
    const skill = await skillNamed("CID sales");
    expect(skill).toMatchObject({ isRunning: false, callerIdOverride: "3125550150" });
    expect(run.stderr).toContain(`skill ${skill!.skillId}: callerid_invalid`);
    expect(await starts()).toEqual([]);
  });

  it("starts a collections campaign presenting the same number, with a warning", async () => {
    const run = await create("CID collections", listIds[1]!, "collections", "+13125550150");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/callerid_invalid.*not telemarketing/);
    expect(await skillNamed("CID collections")).toMatchObject({ isRunning: true });
  });

  it("starts a sales campaign presenting a valid number", async () => {
    await adminCall(cxone.url, "DELETE", "/requests");
    const run = await create("CID valid", listIds[2]!, "sales", "+13125530999");
    expect(run.code).toBe(0);
    expect(await skillNamed("CID valid")).toMatchObject({ isRunning: true, callerIdOverride: "3125530999" });
    expect((await starts()).length).toBe(1);
  });
});
