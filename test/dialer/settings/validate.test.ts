import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../support/run-cli.ts";
import { runCliBatch } from "../../support/run-cli-batch.ts";
import { startScriptedServer, TEST_CLIENT_ID, TEST_CLIENT_SECRET } from "../../support/scripted-server.ts";
import { type DialerHarness, dialerHarness, goodConfig } from "./helpers.ts";

/** `cxo dialer validate` (and apply's bad-input path): local checks, server merge, exit codes. */
describe("cxo dialer validate", () => {
  let h: DialerHarness;
  beforeAll(async () => {
    h = await dialerHarness();
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await h.admin("DELETE", "/requests");
  });

  it("a clean config: local checks pass, CXone says PASS, exit 0, warnings shown", async () => {
    const dir = h.dir();
    const file = h.writeConfig(dir, goodConfig());
    const result = await runCli(
      ["--json", "dialer", "validate", "--config", file],
      h.env(path.join(dir, ".cxo")),
    );
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({ ok: true, violations: [], server: { status: "PASS" }, serverSkipped: null });
    expect(doc.figures.predictedAbandonment.ci95.high).toBeLessThanOrEqual(0.03);
    expect((await h.apiRequests()).map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /api/v1/dialer/policies/validate",
    ]);
  });

  it("an abandonment target above the legal 3% is bad input: exit 2 on stderr naming the rule, nothing sent", async () => {
    const dir = h.dir();
    const file = h.writeConfig(
      dir,
      {
        concurrency: { maxAgents: 40, maxSimultaneousCalls: 300 },
        algorithm: { abandonmentTarget: 0.05, dialRatio: 4 },
        carrier: { trunks: 20 },
      },
      "bad.json",
    );
    for (const verb of ["validate", "apply"]) {
      const result = await runCli(
        ["--json", "dialer", verb, "--config", file],
        h.env(path.join(dir, ".cxo")),
      );
      expect(result.code, verb).toBe(2);
      expect(result.stdout, verb).toBe("");
      expect(result.stderr, verb).toMatch(/algorithm\.abandonmentTarget: must be at most 0\.03 \(TCPA 3%/);
    }
    expect(await h.apiRequests()).toEqual([]);
  });

  it("local violations are ALL listed (field, rule, value, source) and nothing is sent; exit 1", async () => {
    const dir = h.dir();
    const config = {
      concurrency: { maxAgents: 40, maxSimultaneousCalls: 300 },
      algorithm: { abandonmentTarget: 0.03, dialRatio: 4 },
      carrier: { trunks: 20 },
    };
    const file = h.writeConfig(dir, config, "bad.json");
    const result = await runCli(
      ["--json", "dialer", "validate", "--config", file],
      h.env(path.join(dir, ".cxo")),
    );
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.server).toBeNull();
    const rules = doc.violations.map((v: { field: string; rule: string; source: string }) => [
      v.field,
      v.rule,
      v.source,
    ]);
    expect(rules).toContainEqual(["carrier.trunks", "TRUNK_BLOCKING", "local"]);
    expect(doc.violations.find((v: { rule: string }) => v.rule === "TRUNK_BLOCKING").value).toBeGreaterThan(
      0.5,
    );
    expect(doc.warnings.map((w: { rule: string }) => w.rule)).toContain("CONCURRENCY_ABOVE_TRUNKS");
    expect(await h.apiRequests()).toEqual([]);

    // apply stops on the same violations, also without a request.
    const apply = await runCli(
      ["--json", "dialer", "apply", "--config", file],
      h.env(path.join(dir, ".cxo")),
    );
    expect(apply.code).toBe(1);
    expect(JSON.parse(apply.stdout).outcome).toBe("invalid");
    expect(await h.apiRequests()).toEqual([]);
  });

  it("the simulator's upper bound above 3% is a violation (dial ratio too high for the staff)", async () => {
    const dir = h.dir();
    const file = h.writeConfig(dir, goodConfig({ dialRatio: 3, maxAgents: 40 }));
    const result = await runCli(
      ["--json", "dialer", "validate", "--config", file],
      h.env(path.join(dir, ".cxo")),
    );
    const doc = JSON.parse(result.stdout);
    expect(result.code).toBe(1);
    expect(doc.violations.map((v: { rule: string }) => v.rule)).toContain("PREDICTED_ABANDONMENT_OVER_LIMIT");
    expect(doc.figures.predictedAbandonment.ci95.high).toBeGreaterThan(0.03);
    expect(await h.apiRequests()).toEqual([]);
  });

  it("server violations and warnings are merged with the local findings (source server), exit 1", async () => {
    const server = await startScriptedServer();
    try {
      server.setApi((request) => {
        if (request.path !== "/api/v1/dialer/policies/validate") return { status: 404, body: {} };
        return {
          status: 200,
          body: {
            compliance_status: "FAIL",
            violations: [
              { code: "DNC_LIST_MISSING", field: "algorithm.dial_ratio", message: "tenant policy" },
            ],
            warnings: [{ code: "TRUNK_CAPACITY", message: "near the carrier limit" }],
            checksPerformed: ["tcpa_abandonment", "dnc_compliance"],
          },
        };
      });
      const dir = h.dir();
      // maxSimultaneousCalls above the trunks: a local warning, no local violation.
      const config = { ...goodConfig(), carrier: { trunks: 100 } };
      const file = h.writeConfig(dir, config);
      const result = await runCli(["--json", "dialer", "validate", "--config", file], {
        CXONE_BASE_URL: server.url,
        CXONE_CLIENT_ID: TEST_CLIENT_ID,
        CXONE_CLIENT_SECRET: TEST_CLIENT_SECRET,
        CXO_DATA_DIR: path.join(dir, ".cxo"),
      });
      expect(result.code).toBe(1);
      const doc = JSON.parse(result.stdout);
      expect(doc.violations).toEqual([
        {
          field: "algorithm.dialRatio",
          rule: "DNC_LIST_MISSING",
          message: "tenant policy",
          value: null,
          source: "server",
        },
      ]);
      expect(doc.warnings.map((w: { rule: string; source: string }) => [w.rule, w.source])).toEqual([
        ["CONCURRENCY_ABOVE_TRUNKS", "local"],
        ["TRUNK_CAPACITY", "server"],
      ]);
      // The wire body is the seed's snake_case shape.
      const sent = JSON.parse(server.apiRequests[0]?.body ?? "{}");
      expect(sent.campaign_config.algorithm).toMatchObject({
        dial_ratio: 1.3,
        abandonment_rate_target: 0.02,
      });
      expect(sent.carrier_capacity).toEqual({ max_trunks: 100 });
    } finally {
      await server.close();
    }
  });

  it.each([
    ["an unknown field", { ...goodConfig(), extra: 1 }, '"extra"'],
    ["a missing section", { concurrency: goodConfig().concurrency, carrier: { trunks: 10 } }, "algorithm"],
    ["a string for a number", { ...goodConfig(), carrier: { trunks: "many" } }, "carrier.trunks"],
    [
      "a dial ratio below 1",
      { ...goodConfig(), algorithm: { ...goodConfig().algorithm, dialRatio: 0.5 } },
      "algorithm.dialRatio",
    ],
  ])("a malformed file (%s) exits 2, names the field, sends nothing", async (_label, config, field) => {
    const dir = h.dir();
    const file = h.writeConfig(dir, config);
    // apply reads the file the same way; one case is enough to prove it.
    for (const command of field === "carrier.trunks" ? ["validate", "apply"] : ["validate"]) {
      const result = await runCli(["dialer", command, "--config", file], h.env(path.join(dir, ".cxo")));
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(field);
      expect(result.stdout).toBe("");
    }
    expect(await h.apiRequests()).toEqual([]);
  });

  it("an unreadable or non-YAML file, a missing --config and bad flags exit 2 with nothing sent", async () => {
    const dir = h.dir();
    const env = h.env(path.join(dir, ".cxo"));
    const cases = [
      [["dialer", "validate", "--config", path.join(dir, "nope.yaml")], "--config"],
      [["dialer", "validate"], "--config"],
      [
        ["dialer", "apply", "--config", h.writeConfig(dir, goodConfig()), "--deadline-s", "0"],
        "--deadline-s",
      ],
      [
        [
          "dialer",
          "apply",
          "--config",
          h.writeConfig(dir, goodConfig()),
          "--poll-min-ms",
          "900",
          "--poll-max-ms",
          "100",
        ],
        "--poll-max-ms",
      ],
      [["dialer", "metrics", "--campaign", "c1", "--metrics", "efficiency,bogus"], "--metrics"],
      [["dialer", "metrics", "--campaign", "c1", "--from", "2026-01-01T00:00:00"], "--from"],
      [["dialer", "diff", "v-none", "current"], "<from>"],
      [["dialer", "rollback", "--to", "v-none"], "--to"],
    ] as const;
    // Independent fast-failing runs: through the CLI's entry point in one batch process (eight
    // process starts at once timed out on a loaded machine).
    const results = await runCliBatch(
      cases.map(([args]) => ({ args: [...args], env, cwd: dir })),
      1,
    );
    cases.forEach(([args, field], i) => {
      expect(results[i]?.code, args.join(" ")).toBe(2);
      expect(results[i]?.stderr, args.join(" ")).toContain(field);
    });
    expect(await h.apiRequests()).toEqual([]);
  });
});
