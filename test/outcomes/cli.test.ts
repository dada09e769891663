import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyWebhook } from "../../src/core/outbox/index.ts";
import { type CliResult, runCli } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";
import { waitUntil } from "../support/wait-until.ts";
import { type OutcomesHarness, outcomesHarness } from "./helpers.ts";

const CXO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/cxo.js");
const DAY = 86_400_000;

/** `cxo outcomes export|verify` as a user runs it, against the emulator over HTTP. */
describe("cxo outcomes (CLI)", () => {
  let h: OutcomesHarness;
  afterAll(() => h.close());

  const recent = () => ({
    from: new Date(Date.now() - 3 * DAY).toISOString(),
    to: new Date(Date.now() - 60_000).toISOString(),
  });

  // Each bad input is a run of the CLI's entry point that sends nothing; all of them go through
  // one batch process (one Node start, not nine: ~0.6 s of CPU each), right after the request
  // log is cleared, so the log then shows what they sent together: nothing.
  const badInputs: Array<[string, Record<string, string>, string, RegExp]> = [
    [
      "start beyond the 90-day retention",
      { from: new Date(Date.now() - 91 * DAY).toISOString() },
      "--from",
      /90-day retention/,
    ],
    ["end in the future", { to: new Date(Date.now() + DAY).toISOString() }, "--to", /in the future/],
    [
      "start after end",
      { from: new Date(Date.now() - DAY).toISOString(), to: new Date(Date.now() - 2 * DAY).toISOString() },
      "--from",
      /must be before the end/,
    ],
    ["page size 0", { pageSize: "0" }, "--page-size", /at least 1/],
    ["page size 5001", { pageSize: "5001" }, "--page-size", /at most 5000/],
    ["a naive datetime", { from: "2026-01-01T00:00:00" }, "--from", /has no time zone: .*, or give --tz$/m],
    ["a bad time zone", { tz: "Mars/Olympus" }, "--tz", /IANA time zone/],
    ["an empty code list", { codes: " , " }, "--codes", /at least one/],
    ["an unknown format", { format: "xml" }, "--format", /xml/],
  ];
  const badRuns = new Map<string, { dir: string; result: CliResult }>();
  let requestsAfterBadInputs = -1;
  beforeAll(async () => {
    h = await outcomesHarness();
    await h.admin("DELETE", "/requests");
    const jobs = badInputs.map(([name, change]) => {
      const dir = h.dir();
      const values = { ...recent(), pageSize: "5000", ...change } as Record<string, string>;
      const args = ["outcomes", "export", "--campaign", h.campaignId, "--from", values.from as string];
      args.push(
        "--to",
        values.to as string,
        "--page-size",
        values.pageSize as string,
        "--out",
        path.join(dir, "x.ndjson"),
      );
      if (values.tz) args.push("--tz", values.tz);
      if (values.codes) args.push("--codes", values.codes);
      if (values.format) args.push("--format", values.format);
      return { name, dir, job: { args, env: h.env(path.join(dir, ".cxo")), cwd: dir } };
    });
    const results = await runCliBatch(
      jobs.map((j) => j.job),
      1,
    );
    for (const [i, j] of jobs.entries()) badRuns.set(j.name, { dir: j.dir, result: results[i] as CliResult });
    requestsAfterBadInputs = await h.allRequests();
  });

  it.for(badInputs)("%s: exit 2, names the field, sends nothing", async ([name, , field, rule]) => {
    const run = badRuns.get(name);
    if (!run) throw new Error(`no run for ${name}`);
    const { dir, result } = run;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(field);
    expect(result.stderr).toMatch(rule);
    expect(result.stdout).toBe("");
    expect(requestsAfterBadInputs).toBe(0); // not even a token request
    expect(existsSync(path.join(dir, "x.ndjson"))).toBe(false);
  });

  it("a bad --map file: exit 2 naming the map field, nothing sent", async () => {
    const dir = h.dir();
    const map = path.join(dir, "map.yaml");
    writeFileSync(
      map,
      "categories:\n  success: [CONVERTED]\n  warm: [CONVERTED]\nconversionCategories: [won]\n",
    );
    await h.admin("DELETE", "/requests");
    const { from, to } = recent();
    const result = await runCli(
      ["outcomes", "export", "--campaign", h.campaignId, "--from", from, "--to", to, "--map", map],
      h.env(path.join(dir, ".cxo")),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("categories.warm.0");
    expect(result.stderr).toContain("conversionCategories.0");
    expect(await h.allRequests()).toBe(0);
  });

  it("a naive datetime with --tz is read in that zone", async () => {
    const dir = h.dir();
    const day = new Date(Date.now() - 2 * DAY).toISOString().slice(0, 10);
    const run = await runCli(
      [
        "--json",
        "--config",
        h.configFile(dir),
        "outcomes",
        "export",
        "--campaign",
        h.campaignId,
        "--from",
        `${day}T00:00:00`,
        "--to",
        `${day}T12:00:00`,
        "--tz",
        "America/New_York",
        "--out",
        path.join(dir, "tz.ndjson"),
      ],
      h.env(path.join(dir, ".cxo")),
    );
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    const expected = DateTime.fromISO(`${day}T00:00:00`, { zone: "America/New_York" }).toUTC().toISO();
    expect(summary.from).toBe(expected);
    expect(summary.zone).toBe("America/New_York");
  });

  it("--json summary + report + CRM webhook: signed, no Authorization header, no credential anywhere; verify exit 0/1", async () => {
    const dir = h.dir();
    const secret = `whsec_${randomBytes(32).toString("base64")}`;
    const received: Array<{ headers: IncomingHttpHeaders; body: Buffer }> = [];
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      // The first call's day, not the last three days: calls fall on weekdays only, so "the last
      // three days" held 971 calls of this campaign on a Monday evening (UTC) and would hold
      // almost none just before 01:00 UTC on a Tuesday. The first call opens a whole calling day.
      const from = h.from;
      const to = new Date(Date.parse(h.from) + DAY).toISOString();
      const out = path.join(dir, "out.ndjson");
      const report = path.join(dir, "report.html");
      const env = h.env(path.join(dir, ".cxo"), {
        CXO_DEST_CRM_URL: `http://127.0.0.1:${port}/crm`,
        CXO_DEST_CRM_SECRET: secret,
      });
      const result = await runCli(
        [
          "--json",
          "--config",
          h.configFile(dir),
          "outcomes",
          "export",
          "--campaign",
          h.campaignId,
          "--from",
          from,
          "--to",
          to,
          "--out",
          out,
          "--report",
          report,
        ],
        env,
      );
      expect(result.code, result.stderr).toBe(0);
      const summary = JSON.parse(result.stdout); // exactly one JSON document
      for (const field of [
        "totalRecords",
        "pages",
        "conversionRate",
        "categories",
        "complianceHash",
        "recordsPerSec",
      ])
        expect(summary).toHaveProperty(field);
      expect(summary.totalRecords).toBeGreaterThan(1000);
      expect(summary.crm).toMatchObject({ destination: "crm", queued: true, delivered: true });

      expect(received).toHaveLength(1);
      const [delivery] = received;
      if (!delivery) throw new Error("no delivery");
      expect(() => verifyWebhook(secret, delivery.headers, delivery.body)).not.toThrow();
      expect(delivery.headers.authorization).toBeUndefined();
      const everything = `${JSON.stringify(delivery.headers)}\n${delivery.body.toString("utf8")}`;
      const admin = h.fixtures.clients[0];
      expect(everything).not.toContain(admin?.clientSecret);
      expect(everything).not.toContain(secret);
      expect(everything).not.toMatch(/bearer|access_token/i);
      const event = JSON.parse(delivery.body.toString("utf8"));
      expect(event).toMatchObject({
        type: "outcomes.export.completed",
        data: {
          summary: { totalRecords: summary.totalRecords, complianceHash: summary.complianceHash },
          audit: { complianceHash: summary.complianceHash, query: { campaignId: h.campaignId } },
        },
      });

      const html = readFileSync(report, "utf8");
      expect(html).toContain("uPlot");
      // Issue 42: the report names the campaign and, with no --tz, uses the campaign's zone.
      const campaign = h.fixtures.campaigns.find((c) => c.id === h.campaignId);
      expect(html).toContain(`<title>Call outcomes — ${campaign?.name}</title>`);
      expect(summary.zone).toBe(campaign?.timeZone);
      expect(html).toContain(summary.complianceHash);
      expect(html).not.toMatch(
        /<script[^>]+src=|<link[^>]+href=|<img[^>]+src=|url\(\s*['"]?https?:|@import/i,
      );

      const ok = await runCli(["--json", "outcomes", "verify", out, "--hash", summary.complianceHash], env);
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, records: summary.totalRecords });
      const bad = await runCli(["outcomes", "verify", out, "--hash", "0".repeat(64)], env);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toContain("MISMATCH");
      const malformed = await runCli(["outcomes", "verify", out, "--hash", "abc"], env);
      expect(malformed.code).toBe(2);
      expect(malformed.stderr).toContain("--hash");
    } finally {
      server.close();
    }
  });

  it("kill -9 mid-export, then --resume: the same bytes and hash as an uninterrupted run", async () => {
    const dir = h.dir();
    const { from } = { from: new Date(Date.now() - 12 * DAY).toISOString() };
    const to = new Date(Date.now() - 60_000).toISOString();
    const base = [
      "--json",
      "--config",
      h.configFile(dir),
      "outcomes",
      "export",
      "--campaign",
      h.campaignId,
      "--from",
      from,
      "--to",
      to,
      "--page-size",
      "2000",
    ];
    const whole = path.join(dir, "whole.ndjson");
    const reference = await runCli([...base, "--out", whole], h.env(path.join(dir, "ref")));
    expect(reference.code, reference.stderr).toBe(0);
    const expected = JSON.parse(reference.stdout);

    await h.admin("POST", "/faults", { group: "outcomes", latencyMs: 60 });
    const out = path.join(dir, "killed.ndjson");
    const env = h.env(path.join(dir, ".cxo"));
    try {
      const child = spawn(process.execPath, [CXO, ...base, "--out", out], {
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
        stdio: "ignore",
      });
      // Several pages in (a checkpoint is committed within ~200 ms of the first page), not all.
      const partial = `${out}.partial`;
      await waitUntil(() => existsSync(partial) && statSync(partial).size > 3_000_000, {
        what: "3 MB of the export in its .partial file",
        timeoutMs: 15_000,
        intervalMs: 20,
      });
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
    } finally {
      await h.admin("DELETE", "/faults");
    }
    expect(existsSync(out)).toBe(false);
    expect(statSync(`${out}.partial`).size).toBeLessThan(statSync(whole).size);
    const resumed = await runCli([...base, "--out", out, "--resume"], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = JSON.parse(resumed.stdout);
    expect(summary).toMatchObject({
      resumed: true,
      complianceHash: expected.complianceHash,
      totalRecords: expected.totalRecords,
    });
    expect(summary.resumedFromRecords).toBeGreaterThan(0);
    expect(readFileSync(out).equals(readFileSync(whole))).toBe(true);
  });
});
