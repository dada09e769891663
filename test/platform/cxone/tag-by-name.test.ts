import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateTagRow } from "../../../src/dispositions/validate-row.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../../src/emulator/index.ts";
import { runCli } from "../../support/run-cli.ts";

/**
 * Issue 50 §6: `--disposition "Appointment Set"` is resolved to its id from the campaign's matrix
 * (not refused by a character rule), and the tag output says what was applied, tags included.
 */
let emulator: RunningCxoneEmulator;
let env: Record<string, string>;

beforeAll(async () => {
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 19,
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
    CXO_DATA_DIR: path.join(mkdtempSync(path.join(tmpdir(), "cxo-by-name-")), ".cxo"),
  };
});
afterAll(() => emulator.close());

describe("a disposition given by its name", () => {
  it("cxo tag --disposition NAME: tagged with the code's id; the output says the disposition and the tags applied", async () => {
    const f = emulator.fixtures;
    const call = f.activeContacts[0]!;
    const skill = f.skills.find((s) => s.skillId === call.skillId)!;
    // A name with a space (what the character rule refused).
    const code = f.dispositions.find(
      (d) => skill.dispositionIds.includes(d.dispositionId) && / /.test(d.dispositionName),
    )!;
    const tag = f.tags[0]!.tagName;
    const run = await runCli(
      [
        "tag",
        "--campaign",
        String(skill.skillId),
        "--call",
        String(call.contactId),
        "--disposition",
        code.dispositionName.toLowerCase(),
        "--tag",
        tag,
      ],
      env,
      { timeoutMs: 120_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`tagged ${call.contactId}: disposition ${code.dispositionId}`);
    expect(run.stdout).toContain(`tags ${tag} applied`);
  }, 150_000);

  it("the row rule: a name is its id; a name two codes share, or no code's name, is refused naming the codes", () => {
    const matrix = {
      campaignId: "701",
      codes: [
        { id: "41", name: "Appointment Set", reasonCodes: [] },
        { id: "42", name: "Sale", reasonCodes: [] },
        { id: "43", name: "Sale", reasonCodes: [] },
      ],
    };
    const ok = validateTagRow({ callId: "1", dispositionCodeId: " appointment set " }, matrix);
    expect(ok).toEqual({ ok: true, request: { callId: "1", dispositionCodeId: "41", tags: [] } });
    expect(validateTagRow({ callId: "1", dispositionCodeId: "42" }, matrix).ok).toBe(true);
    const shared = validateTagRow({ callId: "1", dispositionCodeId: "Sale" }, matrix);
    expect(shared.ok).toBe(false);
    if (!shared.ok) {
      expect(shared.problems).toHaveLength(1);
      expect(shared.problems[0]).toMatchObject({
        field: "dispositionCodeId",
        code: "ambiguous_disposition_name",
      });
      expect(shared.problems[0]!.rule).toContain("42, 43");
    }
    const none = validateTagRow({ callId: "1", dispositionCodeId: "Appointment Sett" }, matrix);
    expect(none.ok).toBe(false);
    if (!none.ok) {
      expect(none.problems).toHaveLength(1);
      expect(none.problems[0]!.code).toBe("unknown_disposition_code");
      expect(none.problems[0]!.rule).toContain("41 Appointment Set");
    }
  });
});
