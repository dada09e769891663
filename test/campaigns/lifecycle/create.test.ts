import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listKnownCampaigns } from "../../../src/campaigns/known-campaigns.ts";
import { openStore } from "../../../src/core/store/index.ts";
import { runCli } from "../../support/run-cli.ts";
import { runCliBatch } from "../../support/run-cli-batch.ts";
import { type CampaignHarness, campaignHarness, validSpec } from "./harness.ts";

/** `cxo campaigns create` against the emulator: bad specs send nothing; a spec is created once. */
let h: CampaignHarness;
beforeAll(async () => {
  h = await campaignHarness();
});
afterAll(() => h.close());

const posts = async () =>
  (await h.requests()).filter((r) => r.method === "POST" && r.path === "/api/v2/omnichannel/campaigns");

describe("cxo campaigns create", () => {
  it("rejects a spec breaking several rules: exit 2, every field named with its rule, nothing sent", async () => {
    const dir = h.dir();
    const spec = validSpec(h.contactListId) as { predictive: object; compliance: object };
    const file = h.writeSpec(dir, {
      ...spec,
      predictive: { ...spec.predictive, abandonmentThreshold: 0.05 },
      compliance: { ...spec.compliance, timeZone: "Mars/Olympus", window: { start: "07:00", end: "21:00" } },
    });
    const before = (await h.campaignRequests()).length;
    const result = await runCli(["campaigns", "create", "--spec", file], h.env(path.join(dir, ".cxo")));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/predictive\.abandonmentThreshold: .*3% rule/);
    expect(result.stderr).toMatch(/compliance\.window\.start: .*TCPA/);
    expect(result.stderr).toMatch(/compliance\.timeZone: .*IANA/);
    expect(result.stdout).toBe("");
    expect((await h.campaignRequests()).length).toBe(before);
  });

  it("rejects a spec with no contact list (and no --contact-list), and a bad --contact-list, sending nothing", async () => {
    const dir = h.dir();
    const file = h.writeSpec(dir, validSpec(), "spec.json");
    const before = (await h.campaignRequests()).length;
    // Two runs refused before anything is sent: one process through the CLI's entry point.
    const env = h.env(path.join(dir, ".cxo"));
    const [missing, bad] = await runCliBatch(
      [
        ["campaigns", "create", "--spec", file],
        ["campaigns", "create", "--spec", file, "--contact-list", "no spaces allowed"],
      ].map((args) => ({ args, env, cwd: dir })),
      1,
    );
    expect(missing?.code).toBe(2);
    expect(missing?.stderr).toMatch(/contactListId: is required.*--contact-list/);
    expect(bad?.code).toBe(2);
    expect(bad?.stderr).toContain("--contact-list");
    expect((await h.campaignRequests()).length).toBe(before);
  });

  it("creates a spec once: a second run reports 'already created' without a POST; another data dir gets CXone's replay", async () => {
    const dir = h.dir();
    const dataDir = path.join(dir, ".cxo");
    const file = h.writeSpec(dir, { ...validSpec(h.contactListId), name: "Created once" });
    const postsBefore = (await posts()).length;

    const first = await runCli(["--json", "campaigns", "create", "--spec", file], h.env(dataDir));
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const created = JSON.parse(first.stdout);
    expect(created).toMatchObject({
      name: "Created once",
      status: "paused",
      alreadyCreated: false,
      source: "created",
    });

    const second = await runCli(["campaigns", "create", "--spec", file], h.env(dataDir));
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`already created: campaign ${created.campaignId}`);
    expect((await posts()).length).toBe(postsBefore + 1);

    // A fresh data dir (another machine, a lost store): same spec → same key → CXone replays.
    const otherDir = path.join(h.dir(), ".cxo");
    const third = await runCli(["--json", "campaigns", "create", "--spec", file], h.env(otherDir));
    expect(third.code).toBe(0);
    expect(JSON.parse(third.stdout)).toMatchObject({
      campaignId: created.campaignId,
      alreadyCreated: true,
      source: "cxone-replay",
    });
    const allPosts = (await posts()).slice(postsBefore);
    expect(allPosts.map((p) => p.status)).toEqual([201, 201]); // the replay repeats the stored 201

    const store = await openStore(dataDir);
    try {
      const known = await listKnownCampaigns(store);
      expect(known).toEqual([
        expect.objectContaining({ id: created.campaignId, name: "Created once", specHash: created.specHash }),
      ]);
      const [record] = await store.audit.tail(1);
      expect(record).toMatchObject({ operation: "campaigns.create", outcome: "done", status: 201 });
      const events = await store.outbox.list({ destination: "campaigns" });
      expect(events).toEqual([
        expect.objectContaining({
          type: "campaign.created",
          data: expect.objectContaining({ campaignId: created.campaignId }),
        }),
      ]);
      expect((await store.audit.verify()).ok).toBe(true);
    } finally {
      await store.close();
    }
    expect(readFileSync(path.join(dataDir, "cxo.sqlite")).toString("latin1")).not.toContain(
      h.admin.clientSecret,
    );

    const status = await runCli(["--json", "campaigns", "status"], h.env(dataDir));
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).campaigns).toEqual([
      expect.objectContaining({ id: created.campaignId, status: "paused", name: "Created once" }),
    ]);
  });

  it("creates both example specs with --contact-list", async () => {
    const dataDir = path.join(h.dir(), ".cxo");
    for (const file of ["examples/campaign.yaml", "examples/campaign-backup.yaml"]) {
      const result = await runCli(
        ["--json", "campaigns", "create", "--spec", file, "--contact-list", h.contactListId],
        h.env(dataDir),
      );
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ contactListId: h.contactListId, status: "paused" });
    }
  });
});
