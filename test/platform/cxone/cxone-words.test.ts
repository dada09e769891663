import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCxoneEmulator, startEmulator } from "../../../src/emulator/index.ts";
import { inTurn, runCli } from "../../support/run-cli.ts";

/**
 * Issue 50 §6: CXone's own words are kept beside ours on every refusal. An unknown skill is
 * refused by CXone with "Skill 999 was not found in business unit N", and the business unit is
 * what tells a user they are on the wrong one: every command that names a campaign says it.
 */
let emulator: RunningCxoneEmulator;
let env: Record<string, string>;

beforeAll(async () => {
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 17,
    contacts: 200,
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
  };
});
afterAll(() => emulator.close());

describe("an unknown skill, in CXone's words", () => {
  it("dispositions codes, tag, campaigns status|pause, outcomes export: exit 2 with CXone's sentence and the business unit", async () => {
    const f = emulator.fixtures;
    const call = String(f.activeContacts[0]!.contactId);
    const commands: string[][] = [
      ["dispositions", "codes", "--campaign", "999"],
      ["tag", "--campaign", "999", "--call", call, "--disposition", "50"],
      ["campaigns", "status", "999"],
      ["campaigns", "pause", "999"],
      [
        "outcomes",
        "export",
        "--campaign",
        "999",
        "--from",
        f.completed.windowStart,
        "--to",
        f.completed.windowEnd,
        "--out",
        path.join(mkdtempSync(path.join(tmpdir(), "cxo-words-out-")), "x.ndjson"),
      ],
    ];
    const runs = await inTurn(
      commands.map(
        (args) => () =>
          runCli(
            args,
            { ...env, CXO_DATA_DIR: path.join(mkdtempSync(path.join(tmpdir(), "cxo-words-")), ".cxo") },
            {
              timeoutMs: 120_000,
            },
          ),
      ),
    );
    const words = `Skill 999 was not found in business unit ${f.tenant.businessUnitId}`;
    runs.forEach((run, i) => {
      const what = commands[i]!.slice(0, 2).join(" ");
      expect(run.code, `${what}: ${run.stderr}`).toBe(2);
      expect(run.stderr, what).toContain("999 does not exist");
      expect(run.stderr, what).toContain(words);
      expect(run.stderr, what).not.toMatch(/\n\s+at /);
    });
  }, 150_000);
});
