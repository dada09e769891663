import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { accessKeyEnv } from "../support/cxone-access-key.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * `cxo callbacks list|schedule|cancel` on the production emulator: a callback scheduled, listed
 * and cancelled; bad input — a number that is neither E.164 North American nor UK, a time without an offset
 * or in the past, a number that revoked consent for the skill — exits 2 naming the flag, and no
 * scheduled-callback request reaches CXone.
 */
let cxone: RunningCxoneEmulator;
let clock: ReturnType<typeof pinClock>;
let skillId = "";
let env: Record<string, string> = {};
let cwd = "";

const cxo = (...args: string[]) => runCli(["--json", ...args], env, { cwd, timeoutMs: 60_000 });
const callbackRequests = async () =>
  (
    (await adminCall(cxone.url, "GET", "/requests")) as { requests: Array<{ method: string; path: string }> }
  ).requests.filter((r) => /scheduled-callbacks/i.test(r.path));

beforeAll(async () => {
  clock = pinClock();
  cxone = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 59,
    contacts: 50,
    days: 1,
  })) as RunningCxoneEmulator;
  skillId = String(
    cxone.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isRunning)!.skillId,
  );
  cwd = mkdtempSync(path.join(tmpdir(), "cxo-callbacks-cli-"));
  env = { ...accessKeyEnv(cxone), CXO_DATA_DIR: path.join(cwd, ".cxo"), ...cliClockEnv() };
});
afterAll(async () => {
  await cxone?.close();
  clock?.restore();
});

describe("cxo callbacks", () => {
  it("schedules, lists and cancels a callback", async () => {
    const made = await cxo(
      "callbacks",
      "schedule",
      "--phone",
      "+13125550171",
      "--campaign",
      skillId,
      "--at",
      "2026-12-02T11:30:00-05:00",
    );
    expect(made.code, made.stderr).toBe(0);
    const { callbackId, at } = JSON.parse(made.stdout);
    expect(at).toBe("2026-12-02T16:30:00.000Z");
    const listed = JSON.parse((await cxo("callbacks", "list", "--campaign", skillId)).stdout).callbacks;
    expect(listed).toEqual([
      expect.objectContaining({
        callbackId,
        phone: "+13125550171",
        skillId,
        callbackAt: "2026-12-02T16:30:00.000Z",
      }),
    ]);
    const cancelled = await cxo("callbacks", "cancel", callbackId);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(JSON.parse(cancelled.stdout)).toEqual({ callbackId, result: "deleted" });
    expect(JSON.parse((await cxo("callbacks", "list")).stdout).callbacks).toEqual([]);
  });

  it("bad input exits 2 naming the flag, and nothing is sent", async () => {
    await cxo("consent", "revoke", "--phone", "+13125550172", "--channel", "sms");
    await adminCall(cxone.url, "DELETE", "/requests");
    const cases: Array<[string[], RegExp]> = [
      [["--phone", "3125550173", "--at", "2026-12-02T18:00:00Z"], /--phone/],
      // A UK number is taken (test/campaigns/uk-callbacks-cli.test.ts); another country is not.
      [["--phone", "+33612345678", "--at", "2026-12-02T18:00:00Z"], /--phone/],
      // +1 but not a North American number: an area code cannot start with 1.
      [["--phone", "+11235550173", "--at", "2026-12-02T18:00:00Z"], /--phone/],
      [["--phone", "+13125550173", "--at", "tomorrow"], /--at: .*offset/],
      [["--phone", "+13125550173", "--at", "2026-12-02T18:00:00"], /--at: .*offset/],
      [["--phone", "+13125550173", "--at", "2026-12-01T18:00:00Z"], /--at: is in the past/],
      [
        ["--phone", "+13125550172", "--at", "2026-12-02T18:00:00Z"],
        /--phone: refused, nothing sent: .*revoked consent/,
      ],
    ];
    for (const [args, stderr] of cases) {
      const result = await runCli(["callbacks", "schedule", "--campaign", skillId, ...args], env, {
        cwd,
        timeoutMs: 60_000,
      });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(stderr);
      expect(result.stdout).toBe("");
    }
    expect(await callbackRequests()).toEqual([]);
    // Nothing written anywhere in CXone either (reads and logins aside).
    const log = (await adminCall(cxone.url, "GET", "/requests")) as {
      requests: Array<{ method: string; path: string }>;
    };
    expect(
      log.requests.filter((r) => r.method !== "GET" && !/token|access-key|\/auth\//i.test(r.path)),
    ).toEqual([]);
  });
});
