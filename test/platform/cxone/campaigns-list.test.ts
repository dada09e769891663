import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCxoneEmulator, startEmulator } from "../../../src/emulator/index.ts";
import { runCli } from "../../support/run-cli.ts";

/**
 * Issue 50 §6: on the production platform `cxo campaigns list` lists the business unit's
 * outbound skills (the campaigns there), with their state, and nothing inbound.
 */
let emulator: RunningCxoneEmulator;
let env: Record<string, string>;

beforeAll(async () => {
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 23,
    contacts: 100,
    days: 1,
  })) as RunningCxoneEmulator;
  const f = emulator.fixtures;
  const key = f.accessKeys.find((k) => !k.readOnly)!;
  env = {
    CXONE_PLATFORM: "cxone",
    CXONE_ISSUER: emulator.url,
    CXONE_CLIENT_ID: f.client.clientId,
    CXONE_CLIENT_SECRET: f.client.clientSecret,
    CXONE_ACCESS_KEY_ID: key.accessKeyId,
    CXONE_ACCESS_KEY_SECRET: key.accessKeySecret,
    CXO_DATA_DIR: path.join(mkdtempSync(path.join(tmpdir(), "cxo-campaigns-list-")), ".cxo"),
  };
});
afterAll(() => emulator.close());

describe("cxo campaigns list on the production platform", () => {
  it("lists every outbound Personal Connection skill with its state, no inbound skill", async () => {
    const f = emulator.fixtures;
    const [json, human] = await Promise.all([
      runCli(["--json", "campaigns", "list"], env, { timeoutMs: 120_000 }),
      runCli(["campaigns", "list"], env, { timeoutMs: 120_000 }),
    ]);
    expect(json.code, json.stderr).toBe(0);
    expect(human.code, human.stderr).toBe(0);
    const expected = f.skills
      .filter((s) => s.outboundStrategy === "Personal Connection")
      .map((s) => ({
        id: String(s.skillId),
        name: s.skillName,
        status: s.isActive === false ? "stopped" : s.isRunning ? "active" : "paused",
      }));
    expect(expected.length).toBeGreaterThan(1);
    const listed = (
      JSON.parse(json.stdout).campaigns as Array<{ id: string; name: string; status: string }>
    ).map(({ id, name, status }) => ({ id, name, status }));
    expect(listed).toEqual(expected);
    for (const skill of expected) expect(human.stdout).toContain(skill.name);
    const inbound = f.skills.find((s) => s.outboundStrategy !== "Personal Connection")!;
    expect(human.stdout).not.toContain(inbound.skillName);
  }, 150_000);
});
