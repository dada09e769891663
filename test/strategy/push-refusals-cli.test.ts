import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningCxoneEmulator } from "../../src/emulator/index.ts";
import { accessKeyEnv, cxoneApi } from "../support/cxone-access-key.ts";
import { startListEmulator } from "../support/cxone-list-dialer.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { cliClockEnv, pinClock } from "../support/pinned-clock.ts";
import type { CliResult } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";

/**
 * Issue 76's bad input, through the real CLI on the production emulator: a plan row edited to
 * 22:30 Eastern (push re-checks every row), a skill that is not Personal Connection, a skill whose
 * parameters cannot be read, a skill whose retries would re-dial a record within its window —
 * each exits 2 or 1 naming its cause, and nothing is written to CXone (request log). Then
 * `--fit-skill` sets the skill (journaled) and `restore-skill` puts it back. The plan's numbers are
 * Florida's (at most 3 calls in 24 h): five dials within a window would break it.
 */
const NOW = "2026-12-02T14:00:00Z"; // a Wednesday, 09:00 New York
let emulator: RunningCxoneEmulator;
let skillId = "";
let clock: ReturnType<typeof pinClock>;
const dir = mkdtempSync(path.join(tmpdir(), "cxo-push-refusals-"));
const file = (name: string) => path.join(dir, name);
let env: Record<string, string>;

const row = (recordId: string, phone: string, attemptAt: string, campaign: string) => ({
  recordId,
  phone,
  attemptAt,
  attempt: 1,
  estimate: 0.1,
  staleMinutes: 59,
  campaign,
});
const writes = async () =>
  (
    (await adminCall(emulator.url, "GET", "/requests")) as {
      requests: Array<{ method: string; path: string }>;
    }
  ).requests.filter((r) => r.method !== "GET" && /\/lists|\/skills/.test(r.path));
const cxo = async (...args: string[]): Promise<CliResult> =>
  (await runCliBatch([{ args, env: { ...env, ...cliClockEnv() }, cwd: dir }], 1))[0] as CliResult;

beforeAll(async () => {
  clock = pinClock(NOW);
  ({ emulator, skillId } = await startListEmulator(76));
  env = { ...accessKeyEnv(emulator), CXO_DATA_DIR: file(".cxo") };
  const good = (campaign: string) =>
    [
      row("g1", "+13055553101", "2026-12-02T11:00:00-05:00", campaign),
      row("g2", "+13055553102", "2026-12-02T13:00:00-05:00", campaign),
    ]
      .map((r) => JSON.stringify(r))
      .join("\n");
  writeFileSync(file("good.ndjson"), `${good(skillId)}\n`);
  writeFileSync(
    file("edited.ndjson"),
    `${good(skillId)}\n${JSON.stringify(row("e1", "+12125553103", "2026-12-02T22:30:00-05:00", skillId))}\n`,
  );
  const other = emulator.fixtures.skills.find((s) => s.outboundStrategy !== "Personal Connection");
  writeFileSync(file("other.ndjson"), `${good(String(other?.skillId ?? "999"))}\n`);
}, 60_000);

afterAll(async () => {
  clock?.restore();
  await emulator?.close();
});

describe("strategy push refuses what CXone could dial against a rule (issue 76, bad input)", () => {
  it("a row edited to 22:30 Eastern: exit 2 naming the record and the rule, nothing sent", async () => {
    await adminCall(emulator.url, "DELETE", "/requests");
    const run = await cxo("strategy", "push", "--plan", file("edited.ndjson"), "--campaign", skillId);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/record e1 \(\+12125553103\).*outside_calling_hours/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(await writes()).toEqual([]);
  });

  it("a skill that is not Personal Connection: exit 2 naming --campaign's skill, nothing sent", async () => {
    const other = emulator.fixtures.skills.find((s) => s.outboundStrategy !== "Personal Connection");
    expect(other).toBeDefined();
    await adminCall(emulator.url, "DELETE", "/requests");
    const run = await cxo(
      "strategy",
      "push",
      "--plan",
      file("other.ndjson"),
      "--campaign",
      String(other?.skillId),
    );
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/inbound skill|not a Personal Connection skill/);
    expect(await writes()).toEqual([]);
  });

  it("a skill whose parameters cannot be read: exit 1 naming the route, nothing sent", async () => {
    await adminCall(emulator.url, "DELETE", "/requests");
    await adminCall(emulator.url, "POST", "/faults", { group: "parameters", errorRate: 1, errorStatus: 503 });
    const run = await cxo("strategy", "push", "--plan", file("good.ndjson"), "--campaign", skillId);
    await adminCall(emulator.url, "DELETE", "/faults");
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/parameters/);
    expect(await writes()).toEqual([]);
  });

  it("retries every 10 minutes: exit 2 naming the setting; --fit-skill sets it, restore-skill puts it back", async () => {
    await cxoneApi(emulator, "PUT", `/skills/${skillId}/parameters/retry-settings`, {
      retrySettings: { loadNonFresh: true, minimumRetryMinutes: 10, maximumAttempts: 5 },
    });
    await adminCall(emulator.url, "DELETE", "/requests");
    const refused = await cxo("strategy", "push", "--plan", file("good.ndjson"), "--campaign", skillId);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/loadNonFresh true, maximumAttempts 5, minimumRetryMinutes 10/);
    expect(refused.stderr).toMatch(/--fit-skill/);
    expect(await writes()).toEqual([]);

    const fitted = await cxo(
      "--json",
      "strategy",
      "push",
      "--plan",
      file("good.ndjson"),
      "--campaign",
      skillId,
      "--fit-skill",
    );
    expect(fitted.code, fitted.stderr).toBe(0);
    expect(JSON.parse(fitted.stdout)).toMatchObject({
      records: 2,
      source: "created",
      skill: {
        loadNonFresh: false,
        maximumAttempts: 1,
        dialsPerRecord: 1,
        changed: { before: { loadNonFresh: true, maximumAttempts: 5, minimumRetryMinutes: 10 } },
      },
    });
    expect(JSON.parse(fitted.stdout).warnings.join("\n")).toMatch(/retry settings were set to/);
    const restored = await cxo("--json", "strategy", "restore-skill", "--campaign", skillId);
    expect(restored.code, restored.stderr).toBe(0);
    expect(JSON.parse(restored.stdout).restored).toMatchObject({ loadNonFresh: true, maximumAttempts: 5 });
    const again = await cxo("strategy", "restore-skill", "--campaign", skillId);
    expect(again.code, again.stderr).toBe(2);
    expect(again.stderr).toMatch(/nothing to restore/);
  });
});
