import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir, userInfo } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/core/input-error.ts";
import { openStore } from "../../src/core/store/index.ts";
import * as sdk from "../../src/index.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * docs/development.md: each CLI command has one path through the SDK. `cxo touches import`,
 * `compliance evidence --verify|--export|prune` and `strategy learn` run the client's methods
 * (the boundary scan in test/core/layer-boundaries.test.ts keeps them there); here, what the two
 * entry points write is the same. Their work is the data dir's alone: with a connection
 * configured (a seed URL where nothing listens, so anything sent would fail the command) the CLI
 * sends nothing and its audit rows and certification name the person alone, as before.
 */
const VERSION = JSON.parse(
  readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../package.json"), "utf8"),
).version as string;
const root = mkdtempSync(path.join(tmpdir(), "cxo-one-path-"));
const AT = "2026-12-02T14:00:00Z";
const PERSON = `cli:${userInfo().username}@${hostname()}`;
const CONNECTED = {
  CXONE_PLATFORM: "seed",
  CXONE_BASE_URL: "http://127.0.0.1:9",
  CXONE_CLIENT_ID: "cid",
  CXONE_CLIENT_SECRET: "secret",
};
const envOf = (dataDir: string) => ({ CXO_DATA_DIR: dataDir, CXO_CLOCK: AT, ...CONNECTED });
const clients: sdk.CxoneClient[] = [];
const localClient = (dataDir: string) => {
  const client = sdk.createClient({ dataDir, actor: PERSON, clock: { now: () => Date.parse(AT) } });
  clients.push(client);
  return client;
};
afterAll(async () => {
  for (const client of clients) await client.close();
});

const TOUCHES = [
  "phone,at,channel,voice,purpose,message",
  `+12124300001,2026-12-02T08:00:00-05:00,sms,,,"Stop!"`,
  `+12124300002,2026-12-02T08:00:00-05:00,sms,,,"how do I stop these?"`,
  "+12124300005,2026-12-01T10:00:00-05:00,call,prerecorded,,",
  "+12124300006,2026-12-01T11:00:00-05:00,sms,,,",
].join("\n");

/** The audit rows of a data dir, without what differs by the instant they were written at. */
async function auditRows(dataDir: string) {
  const store = await openStore(dataDir);
  try {
    const rows = await store.db.all<{ actor: string; operation: string; target: string; details: string }>(
      "SELECT actor, operation, target, details_json AS details FROM audit_log ORDER BY seq",
    );
    return rows.map((row) => ({ ...row, details: JSON.parse(row.details ?? "null") }));
  } finally {
    await store.close();
  }
}

describe("one path: the CLI and the SDK write the same", () => {
  it("cxo touches import and client.touches.import: the same summary and audit rows; the CLI sends nothing", async () => {
    const file = path.join(root, "touches.csv");
    writeFileSync(file, TOUCHES);
    const cliDir = path.join(root, "cli-touches");
    const result = await runCli(["--json", "touches", "import", "--file", file], envOf(cliDir));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const viaSdk = await localClient(path.join(root, "sdk-touches")).touches.import({ file });
    expect(JSON.parse(result.stdout)).toEqual(viaSdk);
    expect(viaSdk).toMatchObject({ rows: 4, added: 2, messages: { recorded: 1, review: 1 } });
    const cliRows = await auditRows(cliDir);
    expect(cliRows.map((row) => row.actor)).toEqual(cliRows.map(() => PERSON));
    expect(cliRows.map((row) => row.operation)).toEqual([
      "touches.import",
      "consent.import",
      "consent.review-queued",
    ]);
    const withoutIds = (rows: Awaited<ReturnType<typeof auditRows>>) =>
      JSON.parse(JSON.stringify(rows).replace(/"(rev|op)_[0-9a-f]+"/g, '"$1_ID"'));
    expect(withoutIds(cliRows)).toEqual(withoutIds(await auditRows(path.join(root, "sdk-touches"))));
    // Bad input names the flag the user typed (the SDK names its field).
    const missing = await runCli(["touches", "import", "--file", ""], envOf(cliDir));
    expect([missing.code, missing.stderr]).toEqual([
      2,
      "error: --file: is required: a .csv or .ndjson file of touches\n",
    ]);
  });

  it("cxo compliance evidence --verify, --export and prune: the client's methods, the CLI's tool and person on the certification", async () => {
    const dataDir = path.join(root, "cli-evidence");
    const outcomes = path.join(root, "sales.outcomes.ndjson");
    writeFileSync(
      outcomes,
      `${JSON.stringify({
        id: "s1",
        campaignId: "C1",
        startTime: "2026-10-06T14:00:00.000Z",
        endTime: null,
        durationSeconds: 30,
        dispositionCode: "NO_ANSWER",
        reasonCodeId: null,
        agentId: null,
        contactId: null,
        phoneNumber: "+13052221000",
        direction: "outbound",
        tags: [],
        notes: null,
        dispositionUpdatedAt: null,
        callerId: null,
        extra: null,
      })}\n`,
    );
    const reports = path.join(root, "reports");
    mkdirSync(reports);
    const evidence = path.join(reports, "sales-evidence.ndjson");
    const env = envOf(dataDir);
    const made = await runCli(
      ["compliance", "evidence", "--file", outcomes, "--out", evidence, "--consent", "yes"],
      { CXO_DATA_DIR: dataDir, CXO_CLOCK: AT },
    );
    expect([made.code, made.stderr]).toEqual([0, ""]);

    const verified = await runCli(["--json", "compliance", "evidence", "--verify", evidence], env);
    expect([verified.code, verified.stderr]).toEqual([0, ""]);
    const viaSdk = await localClient(dataDir).compliance.verifyEvidence(evidence);
    expect(JSON.parse(verified.stdout)).toEqual(JSON.parse(JSON.stringify(viaSdk)));

    const dir = path.join(root, "case-1");
    const exported = await runCli(["--json", "compliance", "evidence", "--export", dir, evidence], env);
    expect([exported.code, exported.stderr]).toEqual([0, ""]);
    const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
    expect([manifest.tool, manifest.exportedBy]).toEqual([`cxo ${VERSION}`, PERSON]);
    expect(readFileSync(path.join(dir, "certification.txt"), "utf8")).toContain(`made by cxo ${VERSION},`);
    // An empty directory name is bad input naming the flag (it was exit 1, ENOENT from mkdir).
    const noDir = await runCli(["compliance", "evidence", "--export", "", evidence], env);
    expect([noDir.code, noDir.stderr]).toEqual([
      2,
      "error: --export: is required: the directory to export into (new or empty)\n",
    ]);

    const pruned = await runCli(
      ["--json", "compliance", "evidence", "prune", "--dir", reports, "--dry-run"],
      env,
    );
    expect(pruned.code).toBe(0);
    const prunedBySdk = await localClient(dataDir).compliance.pruneEvidence({ dir: reports, dryRun: true });
    expect(JSON.parse(pruned.stdout).files).toEqual(prunedBySdk.files);
    const noDirToPrune = await runCli(["compliance", "evidence", "prune", "--dir", outcomes], env);
    expect([noDirToPrune.code, noDirToPrune.stderr]).toEqual([
      2,
      `error: --dir: ${outcomes} is not a directory\n`,
    ]);
    expect((await auditRows(dataDir)).filter((row) => row.actor !== PERSON)).toEqual([]);
  });

  it("client.compliance.exportEvidence names the SDK, or the application's own `tool`; a tool with a line break is refused", async () => {
    const dataDir = path.join(root, "cli-evidence");
    const evidence = path.join(root, "reports", "sales-evidence.ndjson");
    const client = localClient(dataDir);
    await client.compliance.exportEvidence({ dir: path.join(root, "sdk-1"), files: [evidence] });
    const toolOf = (dir: string) =>
      JSON.parse(readFileSync(path.join(root, dir, "manifest.json"), "utf8")).tool;
    expect(toolOf("sdk-1")).toBe("cxo (SDK)");
    await client.compliance.exportEvidence({
      dir: path.join(root, "sdk-2"),
      files: [evidence],
      tool: "acme-dialer 2.1",
    });
    expect(toolOf("sdk-2")).toBe("acme-dialer 2.1");
    const refused = await client.compliance
      .exportEvidence({ dir: path.join(root, "sdk-3"), files: [evidence], tool: "acme\nforged line" })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as InputError).problems.map((p) => p.field)).toEqual(["tool"]);
  });

  it("cxo strategy learn and client.strategy.learn: the same model from one history file", async () => {
    const history = path.join(root, "sales.outcomes.ndjson");
    const out = path.join(root, "model.json");
    const result = await runCli(
      ["strategy", "learn", "--campaign", "C1", "--history", history, "--out", out],
      envOf(path.join(root, "cli-learn")),
    );
    expect([result.code, result.stderr]).toEqual([0, ""]);
    const { readOutcomeRecords } = await import("../../src/strategy/files.ts");
    const model = await localClient(path.join(root, "sdk-learn")).strategy.learn(
      readOutcomeRecords(history),
      {
        campaign: "C1",
        rpc: { categories: ["success", "warm", "neutral"], requireConversation: true },
        source: "history",
      },
    );
    const cliModel = JSON.parse(readFileSync(out, "utf8"));
    expect(cliModel.segments).toEqual(JSON.parse(JSON.stringify(model.segments)));
    expect(cliModel.learnedFrom.records).toBe(1);
    const bad = await runCli(
      ["strategy", "learn", "--campaign", "C1", "--history", history, "--out", `${out}2`, "--buckets", "3,1"],
      envOf(path.join(root, "cli-learn")),
    );
    expect([bad.code, bad.stderr]).toEqual([
      2,
      "error: --buckets: must be increasing whole numbers from 1\n",
    ]);
  });
  it("cxo compliance dnc add|remove|list and client.compliance.addToDnc|removeFromDnc|listDnc: the same answers and audit rows", async () => {
    const cliDir = path.join(root, "cli-dnc");
    const cxo = async (args: string[]) => {
      const result = await runCli(["--json", "compliance", "dnc", ...args], envOf(cliDir));
      expect([result.code, result.stderr]).toEqual([0, ""]);
      return JSON.parse(result.stdout);
    };
    const client = localClient(path.join(root, "sdk-dnc"));
    const phones = ["+12125550101", "+447700900123", "+12125550101"];
    const added = await client.compliance.addToDnc({ phones, reason: "asked on call" });
    expect(added).toEqual({ added: ["+12125550101", "+447700900123"], alreadyListed: [] });
    expect(await cxo(["add", ...phones, "--reason", "asked on call"])).toEqual(added);
    const again = await client.compliance.addToDnc({ phones: ["+12125550101", "+12125550103"] });
    expect(again).toEqual({ added: ["+12125550103"], alreadyListed: ["+12125550101"] });
    expect(await cxo(["add", "+12125550101", "+12125550103"])).toEqual(again);
    const removed = await client.compliance.removeFromDnc({ phones: ["+12125550101", "+12125550199"] });
    expect(removed).toEqual({ removed: ["+12125550101"], notListed: ["+12125550199"] });
    expect(await cxo(["remove", "+12125550101", "+12125550199"])).toEqual(removed);
    const listed = await client.compliance.listDnc();
    // Each number says what added it: the SDK's own call `sdk`, the CLI's `cli`.
    expect(listed.numbers.map((entry) => [entry.phone, entry.reason, entry.source])).toEqual([
      ["+12125550103", null, "sdk"],
      ["+447700900123", "asked on call", "sdk"],
    ]);
    expect((await cxo(["list"])).numbers).toEqual(
      listed.numbers.map((entry) => ({ ...entry, source: "cli", addedAt: expect.any(String) })),
    );
    const rows = (await auditRows(cliDir)).filter((row) => row.operation.startsWith("compliance.dnc."));
    expect(rows.map((row) => [row.actor, row.operation, row.target])).toEqual([
      [PERSON, "compliance.dnc.add", "+12125550101"],
      [PERSON, "compliance.dnc.add", "+447700900123"],
      [PERSON, "compliance.dnc.add", "+12125550103"],
      [PERSON, "compliance.dnc.remove", "+12125550101"],
    ]);
    expect(rows).toEqual(
      (await auditRows(path.join(root, "sdk-dnc"))).filter((row) =>
        row.operation.startsWith("compliance.dnc."),
      ),
    );
  });

  it("the internal list's bad input: the SDK names phones[i] and reason, the CLI the argument's place and --reason", async () => {
    const client = localClient(path.join(root, "sdk-dnc-bad"));
    const fieldsOf = (work: Promise<unknown>) =>
      work.then(
        () => [],
        (error: unknown) => (error as InputError).problems.map((p) => p.field),
      );
    expect(
      await fieldsOf(client.compliance.addToDnc({ phones: ["+12125550101", "notaphone", "123"] })),
    ).toEqual(["phones[1]", "phones[2]"]);
    expect(await fieldsOf(client.compliance.addToDnc({ phones: [] }))).toEqual(["phones"]);
    expect(
      await fieldsOf(client.compliance.addToDnc({ phones: ["+12125550101"], reason: "x".repeat(501) })),
    ).toEqual(["reason"]);
    expect(await fieldsOf(client.compliance.removeFromDnc({ phones: [42 as unknown as string] }))).toEqual([
      "phones[0]",
    ]);
    expect(
      await fieldsOf(client.compliance.addToDnc({ phones: ["+12125550101"], source: "crm\nsync" })),
    ).toEqual(["source"]);
    expect((await client.compliance.listDnc()).count).toBe(0);
    // An application names itself as the source; the SDK's default is `sdk`.
    await client.compliance.addToDnc({ phones: ["+12125550104"], source: "crm-sync" });
    expect((await client.compliance.listDnc()).numbers.map((entry) => entry.source)).toEqual(["crm-sync"]);
    const env = envOf(path.join(root, "cli-dnc-bad"));
    const bad = await runCli(["compliance", "dnc", "add", "+12125550101", "notaphone"], env);
    expect([bad.code, bad.stderr]).toEqual([
      2,
      "error: phone 2: must be a NANP number in E.164 form (+1 then 10 digits) or a UK one (+44 then 9 or 10 digits, no leading 0)\n",
    ]);
    const long = await runCli(["compliance", "dnc", "add", "+12125550101", "--reason", "x".repeat(501)], env);
    expect([long.code, long.stderr]).toEqual([2, "error: --reason: must be at most 500 characters\n"]);
  });

  it("client.strategy.bench names a population its file does not name by the file, as cxo strategy bench does", async () => {
    const { parse, stringify } = await import("yaml");
    const example = path.resolve(
      path.dirname(fileURLToPath(import.meta.url)),
      "../../examples/strategy-population.yaml",
    );
    const { name: _name, ...unnamed } = parse(readFileSync(example, "utf8"));
    const file = path.join(root, "unnamed-population.yaml");
    // A small world: the name is what is asked, not the figures.
    writeFileSync(file, stringify({ ...unnamed, horizonDays: 2, list: { ...unnamed.list, size: 100 } }));
    const report = await localClient(path.join(root, "sdk-bench")).strategy.bench({
      populationFile: file,
      replications: 1,
      seed: 3,
    });
    expect(report.population).toBe(file);
  });
});
