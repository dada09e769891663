import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { clientOptionsFromSettings, createInternalClient } from "../../../src/client.ts";
import { loadSettings } from "../../../src/core/config/index.ts";
import { startHarReplay } from "../../../src/emulator/har-replay.ts";
import type { DoctorReport } from "../../../src/sdk/doctor.ts";
import { type CxoneHarness, cxoneHarness } from "../../emulator/cxone/helpers.ts";
import { accessKeyEnv } from "../../support/cxone-access-key.ts";
import { adminCall } from "../../support/emulator-admin.ts";
import { runCli } from "../../support/run-cli.ts";
import { waitUntil } from "../../support/wait-until.ts";

/**
 * Issue 40 from the command line: bad input exits 2 with nothing written (the emulator's request
 * log), a `kill -9` in the middle of a scratch probe is restored by the next run before anything
 * else, and a recording is safe to share and replays to the same verdicts.
 */
const CXO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../bin/cxo.js");
let h: CxoneHarness;
let dir: string;
let scratch: string;
let inbound: string;
let running: string;

const env = (extra: Record<string, string> = {}) => ({
  ...accessKeyEnv(h as never),
  CXO_DATA_DIR: path.join(dir, "data"),
  ...extra,
});
const cxo = (args: string[], extra: Record<string, string> = {}) =>
  runCli(["doctor", ...args], env(extra), { cwd: dir, timeoutMs: 60_000 });
const requests = async (): Promise<Array<{ method: string; path: string; status: number }>> =>
  (await adminCall(h.url, "GET", "/requests")).requests;
const apiWrites = async () =>
  (await requests()).filter(
    (r) => r.method !== "GET" && !r.path.includes("token") && !r.path.includes("access-key"),
  );

async function generalSettings(skillId: string): Promise<Record<string, unknown>> {
  const token = await h.login();
  const answer = await h.call(
    "GET",
    `/inContactAPI/services/v33.0/skills/${skillId}/parameters/general-settings`,
    { token },
  );
  const body = answer.body as Record<string, unknown>;
  return (body.generalSettings ?? body) as Record<string, unknown>;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "cxo-doctor-cli-"));
  // A week of 3,000 contacts: over 100 a day (the lag is told), fewer than a page of 10,000 (cheap runs).
  // Contacts at any hour: doctor reads the warehouse lag as the newest contact's age, which the
  // realistic history's nightly quiet hour (no NANP number is callable 11:00–12:00 UTC) would
  // inflate when these tests run then. What a quiet hour does to the reading is not tested here.
  h = await cxoneHarness({ seed: 41, contacts: 3000, days: 7, history: "any-hour" });
  const pc = h.fixtures.skills.filter((s) => s.outboundStrategy === "Personal Connection");
  scratch = String(pc.find((s) => s.isActive && s.callingListIds.length === 0 && s.isRunning)!.skillId);
  running = String(pc.find((s) => s.isRunning && s.callingListIds.length > 0)!.skillId);
  inbound = String(h.fixtures.skills.find((s) => !s.isOutbound)!.skillId);
});
beforeEach(async () => {
  await adminCall(h.url, "POST", "/reset");
  await adminCall(h.url, "DELETE", "/requests");
});
afterAll(() => h.close());

describe("bad input: exit 2 naming the field, nothing written", () => {
  const profile = (name: string, doc: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, doc);
    return file;
  };
  it.each([
    [
      "an unknown skill",
      () => ["--scratch-skill", "987654321"],
      {},
      /--scratch-skill: skill 987654321 does not exist/,
      true,
    ],
    [
      "an inbound skill",
      () => ["--scratch-skill", inbound],
      {},
      /--scratch-skill: skill \d+ is an inbound skill/,
      true,
    ],
    ["a running skill", () => ["--scratch-skill", running], {}, /is running .*--i-know/, true],
    [
      "a malformed skill id",
      () => ["--scratch-skill", "12ab"],
      {},
      /--scratch-skill: must be a skill id/,
      false,
    ],
    ["--i-know alone", () => ["--i-know"], {}, /--i-know: confirms a scratch skill's use/, false],
    [
      "--agent-probe without the agent",
      () => ["--agent-probe", "--contact", "5"],
      {},
      /--agent: --agent-probe changes a test agent's live contact/,
      false,
    ],
    [
      "a missing profile",
      () => [],
      { CXONE_TENANT_PROFILE: "/nonexistent/tenant.yaml" },
      /cxone\.tenantProfile: file \/nonexistent\/tenant\.yaml does not exist/,
      false,
    ],
    [
      "a profile with an unknown fact",
      () => [],
      { CXONE_TENANT_PROFILE: "bogus-fact.yaml" },
      /facts\.pageCapp: is not a fact cxo doctor knows/,
      false,
    ],
    [
      "a profile with an unknown key",
      () => [],
      { CXONE_TENANT_PROFILE: "bogus-key.yaml" },
      /unknown key "setings"/,
      false,
    ],
  ] as const)("%s", async (_name, args, extra, message, reads) => {
    profile("bogus-fact.yaml", "profile: 1\nfacts:\n  pageCapp: 10\n");
    profile("bogus-key.yaml", "profile: 1\nsetings: {}\n");
    const result = await cxo([...args()], { ...extra });
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.code).toBe(2);
    expect(await apiWrites()).toEqual([]);
    // Checks that need no tenant send nothing at all.
    if (!reads) expect(await requests()).toEqual([]);
  });

  it("the emulator refuses a profile fact it has no knob for", async () => {
    const file = profile(
      "emulator-bogus.yaml",
      "profile: 1\nfacts:\n  orderByKeys: [contactId]\n  pageCapp: 10\n",
    );
    const result = await runCli(
      ["emulator", "start", "--platform", "cxone", "--port", "0", "--profile", file],
      {},
      { timeoutMs: 30_000 },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--profile facts\.pageCapp: is not a fact this emulator knows/);
  });
});

describe("the write probes touch the scratch skill only, and put it back", () => {
  it("every write names the scratch skill; its general settings read back as before", async () => {
    const token = await h.login();
    await h.call("POST", `/inContactAPI/services/v33.0/skills/${scratch}/stop`, { token });
    const before = await generalSettings(scratch);
    await adminCall(h.url, "DELETE", "/requests");
    const run = await cxo(["--json", "--scratch-skill", scratch]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as DoctorReport;
    expect(report.writes.length).toBeGreaterThanOrEqual(5);
    expect(report.writes.every((w) => w.restored)).toBe(true);
    const writes = await apiWrites();
    expect(writes.length).toBe(report.writes.length);
    // The scratch skill's settings, the scratch list issue 76's probes make and delete again, and
    // the scratch DNC group's records, and the scheduled callback made and deleted again.
    for (const w of writes)
      expect(w.path).toMatch(
        new RegExp(`/skills/${scratch}/|/lists/call-lists|/dnc-groups|/scheduled-callbacks`),
      );
    expect(writes.filter((w) => /\/scheduled-callbacks/.test(w.path)).map((w) => w.method)).toEqual([
      "POST",
      "DELETE",
    ]);
    expect(
      writes.filter((w) => w.method === "DELETE" && /\/lists\/call-lists\/\d+$/.test(w.path)),
    ).toHaveLength(1);
    const fixtures = (await adminCall(h.url, "GET", "/fixtures")) as {
      callingLists: Array<{ listName: string }>;
    };
    expect(fixtures.callingLists.filter((l) => l.listName.startsWith("cxo doctor scratch"))).toEqual([]);
    expect(await generalSettings(scratch)).toEqual(before);
    expect(report.facts.filter((f) => f.probe === "scratch").every((f) => f.observed !== null)).toBe(true);
  });
});

describe("a scratch probe killed mid-write is restored by the next run, first", () => {
  it("kill -9 after a general-settings write: the next doctor puts the block back before probing", async () => {
    const token = await h.login();
    await h.call("POST", `/inContactAPI/services/v33.0/skills/${scratch}/stop`, { token });
    const before = await generalSettings(scratch);
    // The general settings' writes slowed (two seconds each, before the emulator applies them)
    // so the kill lands between the probe's write and its restore: the restore waits out two
    // seconds after the write is answered, as the read-back and the restore (a second each) did
    // when every parameter request was slowed — which made the file's longest wait (~15 s).
    await adminCall(h.url, "POST", "/faults", {
      group: "parameters",
      route: "PUT /skills/:skillId/parameters/general-settings",
      latencyMs: 2000,
    });
    await adminCall(h.url, "DELETE", "/requests");
    const child = spawn(process.execPath, [CXO, "doctor", "--scratch-skill", scratch], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env() },
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    // The third write changes a value (abandonRateThreshold); the first two send the block as
    // read (a text/plain label, the GET's types).
    const changed = await waitUntil(
      async () => (await requests()).filter((r) => r.method === "PUT" && r.status === 200).length >= 3,
      { what: "the probe's third settings PUT to succeed", timeoutMs: 45_000, intervalMs: 20 },
    );
    child.kill("SIGKILL");
    await exited;
    expect(changed).toBe(true);
    await adminCall(h.url, "DELETE", "/faults");
    // The probe's write is on the tenant, unrestored.
    const left = await generalSettings(scratch);
    expect(left).not.toEqual(before);
    await adminCall(h.url, "DELETE", "/requests");
    const next = await cxo([]);
    expect(next.stderr).toMatch(/re-drove 1 doctor operation/);
    expect(await generalSettings(scratch)).toEqual(before);
    // The restore came first: its PUT precedes every probe of the new run.
    const log = await requests();
    const firstPut = log.findIndex((r) => r.method === "PUT");
    const firstProbe = log.findIndex((r) => r.path.endsWith("/business-unit"));
    expect(firstPut).toBeGreaterThanOrEqual(0);
    expect(firstPut).toBeLessThan(firstProbe);
    // And it is in the audit trail, with what was put back.
    const audit = await runCli(["audit", "tail", "--json"], env(), { cwd: dir });
    expect(audit.stdout).toMatch(/doctor\.scratch/);
  }, 90_000);
});

describe("a recording to attach to a bug report", () => {
  it("--record writes HAR 1.2 with no credential, token, phone number or name, and --profile the profile", async () => {
    const har = path.join(dir, "run.har");
    const profileFile = path.join(dir, "tenant.yaml");
    const run = await cxo(["--json", "--record", har, "--profile", profileFile]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as DoctorReport;
    const text = readFileSync(har, "utf8");
    const doc = JSON.parse(text) as {
      log: { version: string; entries: Array<{ request: { url: string }; response: { status: number } }> };
    };
    expect(doc.log.version).toBe("1.2");
    expect(doc.log.entries.length).toBe(report.requests);
    const key = h.fixtures.accessKeys.find((k) => !k.readOnly)!;
    expect(text).not.toContain(key.accessKeySecret);
    // Issue 50 §6: the key's id is masked too; the discovery document's public URLs are not.
    expect(text).not.toContain(key.accessKeyId);
    expect(text).toMatch(/authorization_endpoint\\":\\"http/);
    // No bearer token, and no signed JWT (a recorded token keeps its tenant claims, unsigned).
    expect(text).not.toMatch(/Bearer\s+ey/);
    expect(text).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.(?!REDACTED)[\w-]{8,}/);
    expect(text).not.toMatch(/\+1\d{10}/);
    // A skill's caller id (callerIdOverride: 10 digits, as CXone writes it) is masked by its name.
    expect(text).toContain("callerIdOverride");
    expect(text).not.toMatch(/800555\d{4}/);
    for (const agent of h.fixtures.agents) expect(text).not.toContain(agent.name.split(" ")[1]);
    // The profile: what doctor found, in the documented layout.
    const profile = parse(readFileSync(profileFile, "utf8"));
    expect(profile).toMatchObject({
      profile: 1,
      tenant: { tenantId: report.tenantId },
      facts: { orderByKeys: expect.any(Array) },
    });

    // Replayed: the same verdicts, fact by fact.
    const replay = await startHarReplay(har);
    try {
      const settings = loadSettings({
        cwd: dir,
        env: {
          CXONE_PLATFORM: "cxone",
          CXONE_ISSUER: replay.url,
          CXONE_ACCESS_KEY_URL: `${replay.url}/authentication/v1/token/access-key`,
          CXONE_ACCESS_KEY_ID: "replayed",
          CXONE_ACCESS_KEY_SECRET: "replayed-secret",
          CXO_DATA_DIR: path.join(dir, "replay-data"),
        },
      });
      const client = createInternalClient(clientOptionsFromSettings(settings));
      try {
        const again = await client.doctor.run({});
        expect(replay.unmatched).toEqual([]);
        expect(again.facts.map((f) => [f.id, f.observed, f.matches])).toEqual(
          report.facts.map((f) => [f.id, f.observed, f.matches]),
        );
      } finally {
        await client.close();
      }
    } finally {
      await replay.close();
    }
  }, 60_000);
});
