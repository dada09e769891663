import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningCxoneEmulator, startEmulator } from "../../../src/emulator/index.ts";
import { adminCall } from "../../support/emulator-admin.ts";
import { runCli } from "../../support/run-cli.ts";

/**
 * Issue 50 §5: on a tenant whose `/tags` ignores skip/top (doctor's `ignoreSkip: true`), tagging
 * with a tag of the first page works: reading stops at the first repeated page and uses what was
 * read; only a tag not among it fails, naming the tenant fact and its fix, with nothing written;
 * with the tenant profile saying `ignoreSkip`, the list is read once.
 */
let emulator: RunningCxoneEmulator;
const cxo = (args: string[], extra: Record<string, string> = {}) =>
  runCli(args, env(extra), { timeoutMs: 120_000 });
const admin = (method: string, route: string, body?: unknown) => adminCall(emulator.url, method, route, body);
let env: (extra: Record<string, string>) => Record<string, string>;
interface Logged {
  method: string;
  path: string;
}
const log = async () => ((await admin("GET", "/requests")) as { requests: Logged[] }).requests;
const tagReads = (requests: Logged[]) =>
  requests.filter((r) => r.method === "GET" && r.path.endsWith("/tags"));
const writes = (requests: Logged[]) =>
  requests.filter((r) => r.method !== "GET" && r.path.includes("/inContactAPI/"));

beforeAll(async () => {
  emulator = (await startEmulator({ platform: "cxone", port: 0, seed: 3 })) as RunningCxoneEmulator;
  const f = emulator.fixtures;
  const key = f.accessKeys.find((k) => !k.readOnly)!;
  env = (extra) => ({
    CXONE_PLATFORM: "cxone",
    CXONE_ISSUER: emulator.url,
    CXONE_CLIENT_ID: f.client.clientId,
    CXONE_CLIENT_SECRET: f.client.clientSecret,
    CXONE_ACCESS_KEY_ID: key.accessKeyId,
    CXONE_ACCESS_KEY_SECRET: key.accessKeySecret,
    CXO_DATA_DIR: path.join(mkdtempSync(path.join(tmpdir(), "cxo-ignore-skip-")), ".cxo"),
    ...extra,
  });
});
beforeEach(async () => {
  await admin("POST", "/reset");
  // Pages of 2 tags, and every page asked for is the first one.
  await admin("POST", "/knobs", { ignoreSkip: true, adminTopCap: 2 });
  await admin("DELETE", "/requests");
});
afterAll(() => emulator.close());

/** A live call, a code of its skill, and the tags the first page holds and one it does not. */
function scene() {
  const f = emulator.fixtures;
  const call = f.activeContacts[0]!;
  const skill = f.skills.find((s) => s.skillId === call.skillId)!;
  return {
    args: [
      "tag",
      "--campaign",
      String(skill.skillId),
      "--call",
      String(call.contactId),
      "--disposition",
      String(skill.dispositionIds[0]),
    ],
    call: String(call.contactId),
    first: f.tags[0]!.tagName,
    later: f.tags[f.tags.length - 1]!.tagName,
  };
}

describe("tagging on a tenant that ignores skip on /tags", () => {
  it("a tag of the first page: tagged (the tags applied), reading stopped at the repeated page", async () => {
    const s = scene();
    expect(emulator.fixtures.tags.length).toBeGreaterThan(2);
    const run = await cxo([...s.args, "--tag", s.first]);
    expect(run.code, run.stderr).toBe(0);
    const requests = await log();
    expect(tagReads(requests)).toHaveLength(2); // the first page, then the same page again: stop
    expect(writes(requests).some((r) => r.path.endsWith(`/contacts/${s.call}/tags`))).toBe(true);
  }, 150_000);

  it("a tag not on the first page: exit 2 naming the tenant fact and its fix, nothing written", async () => {
    const s = scene();
    const run = await cxo([...s.args, "--tag", s.later]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`"${s.later}"`);
    expect(run.stderr).toContain("ignoreSkip");
    expect(run.stderr).toContain("Fix:");
    expect(run.stderr).toContain("--tag");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(writes(await log())).toEqual([]);
  }, 150_000);

  it("with the tenant profile saying ignoreSkip: /tags is read once", async () => {
    const s = scene();
    const profile = path.join(mkdtempSync(path.join(tmpdir(), "cxo-ignore-skip-profile-")), "tenant.yaml");
    writeFileSync(profile, "profile: 1\nfacts:\n  ignoreSkip: true\n  adminTopCap: 2\n");
    const run = await cxo([...s.args, "--tag", s.first], { CXONE_TENANT_PROFILE: profile });
    expect(run.code, run.stderr).toBe(0);
    expect(tagReads(await log())).toHaveLength(1);
  }, 150_000);
});
