import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../../src/client.ts";
import { loadSettings } from "../../../src/core/config/index.ts";
import { knobsOfProfile } from "../../../src/emulator/cxone/profile.ts";
import { type CxoneHarness, cxoneHarness } from "../../emulator/cxone/helpers.ts";
import { accessKeyEnv } from "../../support/cxone-access-key.ts";
import { adminCall } from "../../support/emulator-admin.ts";

/**
 * Issue 75 §3: a skill's dispositions for an API role without the Skills View permission. NICE's
 * agent SDK reads them at v12.0 on purpose (later versions need that permission); cxo pins v33.0
 * and, on a 403 there, reads v12.0 from then on. Doctor records which version the role reads
 * (`skillDispositionsVersion`), and the emulator's knob of the same name plays that role.
 */
let h: CxoneHarness;
let dir: string;
const clients: InternalClient[] = [];

function client(env: Record<string, string> = {}): InternalClient {
  const settings = loadSettings({
    cwd: dir,
    env: { ...accessKeyEnv(h as never), CXO_DATA_DIR: path.join(dir, `data-${clients.length}`), ...env },
  });
  const c = createInternalClient({ ...clientOptionsFromSettings(settings), rateLimits: LIMITS as never });
  clients.push(c);
  return c;
}

/** Generous limits: three doctor runs at the documented 100 admin reads a minute waited ~55 s. */
const LIMITS = Object.fromEntries(
  ["token", "dispositions", "interactions", "campaigns", "dialer", "analytics", "outcomes", "default"].map(
    (g) => [g, { limit: 1000, per: "second", concurrency: 8 }],
  ),
);

const knobs = (body: Record<string, unknown>) => adminCall(h.url, "POST", "/knobs", body);
const dispositionReads = async (): Promise<Array<{ path: string; status: number }>> =>
  ((await adminCall(h.url, "GET", "/requests")).requests as Array<{ path: string; status: number }>).filter(
    (r) => /\/skills\/\d+\/dispositions$/.test(r.path),
  );
const skill = () =>
  h.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.dispositionIds.length > 0)!;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "cxo-skilldisp-"));
  h = await cxoneHarness({ seed: 75, contacts: 300, days: 2 });
});
beforeEach(async () => {
  await adminCall(h.url, "POST", "/reset");
  await adminCall(h.url, "DELETE", "/requests");
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await h.close();
});

describe("the adapter reads a skill's dispositions at v12.0 when the role is refused v33.0", () => {
  it("reads v33.0 when served: one request", async () => {
    const matrix = await client().port.dispositions.getMatrix(String(skill().skillId));
    expect(matrix.codes.map((c) => Number(c.id))).toEqual(skill().dispositionIds);
    expect((await dispositionReads()).map((r) => [r.path.split("/")[3], r.status])).toEqual([["v33.0", 200]]);
  });

  it("on a 403 at v33.0 retries at v12.0, and reads v12.0 from then on", async () => {
    await knobs({ skillDispositionsVersion: "v12.0" });
    const c = client();
    const matrix = await c.port.dispositions.getMatrix(String(skill().skillId));
    expect(matrix.codes.map((code) => Number(code.id))).toEqual(skill().dispositionIds);
    await c.port.dispositions.getMatrix(String(skill().skillId));
    expect((await dispositionReads()).map((r) => [r.path.split("/")[3], r.status])).toEqual([
      ["v33.0", 403],
      ["v12.0", 200],
      ["v12.0", 200],
    ]);
  });
});

describe("cxo doctor records the version the API user's role reads them at", () => {
  it("v33.0 by default (agrees); v12.0 for a role without Skills View (differs, with the fix), into the profile both sides load", async () => {
    const byDefault = (await client().doctor.run()).facts.find((f) => f.id === "skillDispositionsVersion")!;
    expect(byDefault).toMatchObject({ observed: "v33.0", assumed: "v33.0", matches: true });

    await knobs({ skillDispositionsVersion: "v12.0" });
    const report = await client().doctor.run();
    const seen = report.facts.find((f) => f.id === "skillDispositionsVersion")!;
    expect(seen).toMatchObject({ observed: "v12.0", matches: false });
    expect(seen.fix).toContain("Skills View");
    expect(seen.evidence.map((e) => e.status)).toEqual([403, 200]);
    expect((report.profile as { facts: Record<string, unknown> }).facts.skillDispositionsVersion).toBe(
      "v12.0",
    );

    const file = path.join(dir, "tenant.yaml");
    writeFileSync(file, stringify(report.profile));
    // The emulator plays the role from the profile; the adapter loads it without refusing the key.
    expect(knobsOfProfile(file).skillDispositionsVersion).toBe("v12.0");
    const loaded = await client({ CXONE_TENANT_PROFILE: file }).doctor.run();
    expect(loaded.facts.find((f) => f.id === "skillDispositionsVersion")).toMatchObject({
      observed: "v12.0",
      assumed: "v12.0",
      matches: true,
    });
  });
});

describe("doctor's agent probe under a role without Skills View", () => {
  it("reads the skill's dispositions at v12.0 and still tells how set-disposition takes the code", async () => {
    await knobs({ skillDispositionsVersion: "v12.0" });
    const active = h.fixtures.activeContacts[0]!;
    const report = await client().doctor.run({
      agentProbe: { agentId: String(active.agentId), contactId: String(active.contactId) },
    });
    expect(report.facts.find((f) => f.id === "dispositionCode")).toMatchObject({ observed: "id" });
  });
});
