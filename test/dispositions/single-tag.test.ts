import { readFileSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/core/store/index.ts";
import { runCli } from "../support/run-cli.ts";
import { callOfPath, type TagHarness, tagHarness } from "./helpers.ts";

describe("cxo tag --call (one call, real CLI against the emulator)", () => {
  let h: TagHarness;
  let calls: string[];
  beforeAll(async () => {
    h = await tagHarness({ calls: 20_000 });
    calls = await h.callsOf(h.campaign.id, 3);
  });
  afterAll(() => h.close());

  const code = () => h.campaign.matrix.codes.find((c) => c.reasonCodes.length >= 1 && c.id !== "BUSY");

  it("tags a call: one PUT, journal done, audit record and BI event in the store, no secret in them", async () => {
    const dataDir = path.join(h.dir(), ".cxo");
    const chosen = code();
    const callId = calls[0] as string;
    const result = await runCli(
      [
        "--json",
        "tag",
        "--campaign",
        h.campaign.id,
        "--call",
        callId,
        "--disposition",
        chosen?.id ?? "",
        "--reason",
        chosen?.reasonCodes[0]?.id ?? "",
        "--tag",
        " vip ",
        "--tag",
        "follow-up",
        "--notes",
        "asked for a quote",
      ],
      h.env(dataDir),
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({ ok: true, callId, status: 200, attempts: 1 });
    expect(doc.attemptLatenciesMs).toHaveLength(1);
    expect(doc.latencyMs).toBeGreaterThan(0);
    expect((await h.puts()).filter((r) => callOfPath(r.path) === callId)).toHaveLength(1);

    const store = await openStore(dataDir);
    try {
      expect(await store.journal.counts()).toEqual({ pending: 0, done: 1, failed: 0 });
      const [record] = await store.audit.tail(10);
      expect(record).toMatchObject({
        operation: "dispositions.tag",
        target: callId,
        outcome: "done",
        status: 200,
        // The person at the terminal beside the API user (issue 62 §4).
        actor: `cli:${userInfo().username}@${hostname()} (api ${h.admin.clientId})`,
        after: { dispositionCodeId: chosen?.id, tags: ["vip", "follow-up"] },
      });
      const events = await store.outbox.list({ destination: "bi" });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: "outbound.call.tagged",
        data: { callId, campaignId: h.campaign.id, dispositionCodeId: chosen?.id },
      });
      expect((await store.audit.verify()).ok).toBe(true);
    } finally {
      await store.close();
    }
    const raw = readFileSync(path.join(dataDir, "cxo.sqlite")).toString("latin1");
    expect(raw).not.toContain(h.admin.clientSecret);
  });

  it("reports a locked call (409) as locked, sends it once, exits 1", async () => {
    const lockedCall = h.fixtures.lockedCalls[0];
    expect(lockedCall).toBeDefined();
    const locked = lockedCall?.id as string;
    const campaignId = lockedCall?.campaignId as string;
    const dataDir = path.join(h.dir(), ".cxo");
    const result = await runCli(
      ["--json", "tag", "--campaign", campaignId, "--call", locked, "--disposition", "BUSY"],
      h.env(dataDir),
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, status: 409, locked: true });
    expect((await h.puts()).filter((r) => callOfPath(r.path) === locked)).toEqual([
      expect.objectContaining({ status: 409 }),
    ]);
    const human = await runCli(
      ["tag", "--campaign", campaignId, "--call", locked, "--disposition", "BUSY"],
      h.env(dataDir),
    );
    expect(human.code).toBe(1);
    // A failure is an error: stderr, not stdout (issue 20, item 13).
    expect(human.stdout).toBe("");
    expect(human.stderr).toContain("locked");
  });

  it("refuses a reason code of ANOTHER disposition code: exit 2, names the field and rule, nothing sent", async () => {
    const [a, b] = h.campaign.matrix.codes.filter((c) => c.reasonCodes.length > 0);
    const callId = calls[1] as string;
    const result = await runCli(
      [
        "tag",
        "--campaign",
        h.campaign.id,
        "--call",
        callId,
        "--disposition",
        a?.id ?? "",
        "--reason",
        b?.reasonCodes[0]?.id ?? "",
      ],
      h.env(path.join(h.dir(), ".cxo")),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--reason");
    expect(result.stderr).toContain(`is not a reason code of disposition code ${a?.id}`);
    expect((await h.puts()).filter((r) => callOfPath(r.path) === callId)).toHaveLength(0);
  });

  it("an unknown call: CXone refuses the PUT (404) after it was sent, so exit 1, not 2 (issue 64 §3)", async () => {
    const env = h.env(path.join(h.dir(), ".cxo"));
    const result = await runCli(
      ["--json", "tag", "--campaign", h.campaign.id, "--call", "no-such-call", "--disposition", "BUSY"],
      env,
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, callId: "no-such-call", status: 404 });
    expect((await h.puts()).filter((r) => callOfPath(r.path) === "no-such-call")).toHaveLength(1);
  });

  it("refuses bad flags with exit 2: eleven tags, unknown campaign, --call with --file", async () => {
    const env = h.env(path.join(h.dir(), ".cxo"));
    const callId = calls[2] as string;
    const tags = Array.from({ length: 11 }, (_, i) => ["--tag", `t${i}`]).flat();
    const many = await runCli(
      ["tag", "--campaign", h.campaign.id, "--call", callId, "--disposition", "BUSY", ...tags],
      env,
    );
    expect(many.code).toBe(2);
    expect(many.stderr).toContain("--tag: has 11 tags (at most 10)");
    const unknown = await runCli(
      ["tag", "--campaign", "nope", "--call", callId, "--disposition", "BUSY"],
      env,
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("campaign nope does not exist");
    const both = await runCli(["tag", "--campaign", h.campaign.id, "--call", callId, "--file", "x.csv"], env);
    expect(both.code).toBe(2);
    expect((await h.puts()).filter((r) => callOfPath(r.path) === callId)).toHaveLength(0);
  });
});
