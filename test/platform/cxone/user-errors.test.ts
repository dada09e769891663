import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCxoneEmulator, startEmulator } from "../../../src/emulator/index.ts";
import { accessKeyEnv } from "../../support/cxone-access-key.ts";
import { adminCall } from "../../support/emulator-admin.ts";
import { runCli } from "../../support/run-cli.ts";

/**
 * Issue 39 §3, what the user meets on the production platform: one exit-code rule for a bad
 * campaign on every command (2, nothing written), ids that cannot exist refused before anything
 * is sent, a status that shows what it has when an optional read is refused, and words in the
 * CLI's terms.
 */
let emulator: RunningCxoneEmulator;
let dir: string;
const EXAMPLE = path.resolve(import.meta.dirname, "../../../examples/dialer.yaml");
const HOUR = 3_600_000;
const window = () => [
  "--from",
  new Date(Date.now() - 48 * HOUR).toISOString(),
  "--to",
  new Date(Date.now() - HOUR).toISOString(),
];
const env = (extra: Record<string, string> = {}) => ({
  ...accessKeyEnv(emulator),
  CXO_DATA_DIR: path.join(dir, ".cxo"),
  ...extra,
});
const cxo = (args: string[], extra: Record<string, string> = {}) =>
  runCli(args, env(extra), { timeoutMs: 60_000 });
const apiRequests = async () =>
  (
    (await adminCall(emulator.url, "GET", "/requests")) as {
      requests: Array<{ method: string; path: string }>;
    }
  ).requests.filter((r) => r.path.includes("/inContactAPI/"));

/** The fixture's skills by role: a running campaign, an inbound skill, a campaign with no calls. */
let running = "";
let inbound = "";
let idle = "";

beforeAll(async () => {
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 39,
    contacts: 300,
  })) as RunningCxoneEmulator;
  dir = mkdtempSync(path.join(tmpdir(), "cxo-user-errors-"));
  const skills = emulator.fixtures.skills;
  const pc = skills.filter((s) => s.outboundStrategy === "Personal Connection");
  running = String(pc.find((s) => s.isRunning && s.isActive)!.skillId);
  inbound = String(skills.find((s) => !s.isOutbound)!.skillId);
  idle = String(pc.find((s) => !s.isActive)!.skillId);
});
afterAll(() => emulator.close());

describe("a bad campaign: exit 2 on every command, nothing written", () => {
  it("outcomes export (file and dataset), dialer validate and apply: malformed, inbound, unknown", async () => {
    const runs = await Promise.all([
      cxo(["outcomes", "export", "--campaign", "70x1", ...window(), "--out", path.join(dir, "a.ndjson")]),
      cxo(["outcomes", "export", "--campaign", inbound, ...window(), "--out", path.join(dir, "b.ndjson")]),
      cxo(["outcomes", "export", "--campaign", "799", ...window(), "--out", path.join(dir, "c.ndjson")]),
      cxo(["outcomes", "export", "--campaign", inbound, ...window(), "--out", `${path.join(dir, "d")}/`]),
      cxo(["dialer", "validate", "--config", EXAMPLE, "--campaign", "799"]),
      cxo(["dialer", "apply", "--config", EXAMPLE, "--campaign", inbound]),
    ]);
    const said: RegExp[] = [
      /"70x1" is not a CXone skill id/,
      new RegExp(`${inbound} is an inbound skill`),
      /campaign 799 does not exist/,
      new RegExp(`${inbound} is an inbound skill`),
      /campaign 799 does not exist/,
      new RegExp(`${inbound} is an inbound skill`),
    ];
    runs.forEach((run, i) => {
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/^error: --campaign: /);
      expect(run.stderr).toMatch(said[i]!);
      expect(run.stderr).not.toMatch(/failed with 400|--resume|\n\s+at /);
    });
    expect(readdirSync(dir).filter((f) => f !== ".cxo")).toEqual([]); // no .partial, no dataset
  });

  it("a wrong secret: the login's error (exit 1), and no .partial file advising --resume", async () => {
    const out = path.join(dir, "secret.ndjson");
    const run = await cxo(["outcomes", "export", "--campaign", running, ...window(), "--out", out], {
      CXONE_ACCESS_KEY_SECRET: "not-the-secret",
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("token request was rejected");
    expect(run.stderr).toContain("--access-key-id (its secret only from CXONE_ACCESS_KEY_SECRET)");
    expect(run.stderr).not.toContain("--access-key-secret");
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  it("ids that cannot exist (a call, an interaction) are refused with exit 2 and nothing sent", async () => {
    await adminCall(emulator.url, "DELETE", "/requests");
    const [tag, get] = await Promise.all([
      cxo(["tag", "--campaign", running, "--call", "not-a-number", "--disposition", "1"]),
      cxo(["interactions", "get", "xyz"]),
    ]);
    expect(tag.code, tag.stderr).toBe(2);
    expect(tag.stderr).toMatch(/--call: "not-a-number" is not a CXone contact id/);
    expect(get.code, get.stderr).toBe(2);
    expect(get.stderr).toMatch(/"xyz" is not a CXone contact id/);
    expect(await apiRequests()).toEqual([]);
  });
});

describe("campaigns status shows what it has", () => {
  it("with the summary refused (403 or 404): the other figures, what is missing, exit 0", async () => {
    for (const summaryStatus of [403, 404]) {
      await adminCall(emulator.url, "POST", "/knobs", { summaryStatus });
      const [human, json] = await Promise.all([
        cxo(["campaigns", "status", running]),
        cxo(["--json", "campaigns", "status", running]),
      ]);
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout).toMatch(/^live: agents logged in \d+/m);
      expect(human.stdout).toMatch(/^not available: today's counts \(GET \/skills\/summary\)/m);
      expect(human.stdout).toMatch(/^success rate /m);
      expect(json.code, json.stderr).toBe(0);
      const report = JSON.parse(json.stdout);
      expect(report.unavailable).toEqual([expect.stringMatching(/GET \/skills\/summary/)]);
      expect(report.live.today).toBeUndefined();
    }
    await adminCall(emulator.url, "POST", "/reset");
  });

  it("--json: successRate is null when no call is behind it, not 0", async () => {
    const run = await cxo(["--json", "campaigns", "status", idle]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).metrics).toMatchObject({ callsInWindow: 0, successRate: null });
  });
});

describe("words in the user's terms", () => {
  it("a first --since-last names --updated-since; an unreachable access-key URL names its host and setting", async () => {
    const [first, unreachable] = await Promise.all([
      cxo([
        "outcomes",
        "export",
        "--campaign",
        running,
        "--since-last",
        "--out",
        path.join(dir, "first.ndjson"),
      ]),
      cxo(["auth", "check"], {
        CXONE_ACCESS_KEY_URL: "http://cxo-unreachable.invalid/authentication/v1/token/access-key",
      }),
    ]);
    expect(first.code).toBe(2);
    expect(first.stderr).toContain("give --updated-since for the first one");
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain("token request to cxo-unreachable.invalid failed");
    expect(unreachable.stderr).toContain("CXONE_ACCESS_KEY_URL");
  });
});
