import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { makeEvidence } from "../../src/compliance/evidence/make.ts";
import type { EvidenceRecord } from "../../src/compliance/evidence/record.ts";
import { ruleBookVersion } from "../../src/compliance/evidence/rule-book.ts";
import { verifyEvidence } from "../../src/compliance/evidence/verify.ts";
import { NO_REGISTRIES } from "../../src/compliance/registry/lookup.ts";
import { RULE_TABLE, type RuleRow } from "../../src/compliance/rule-table.ts";
import { grantOf, recordGrant } from "../../src/consent/grants.ts";
import { canonicalJson } from "../../src/core/audit/canonical-json.ts";
import { openStore } from "../../src/core/store/index.ts";
import { runCli } from "../support/run-cli.ts";
import { runCliBatch } from "../support/run-cli-batch.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/**
 * Issue 92 §1: `cxo compliance evidence` over an outcomes file — one record per attempt, its
 * rows, zones, counters with the ids they counted, consent basis and verdict, not allowed first,
 * exit 1 when any was not allowed — and `--verify`, which recomputes every record from its kept
 * inputs with the rule book of its own version. The platform sources are in
 * test/platform/cxone/evidence-sources.test.ts.
 */
const outcome = (id: string, phone: string, startTime: string) => ({
  id,
  campaignId: "C1",
  startTime,
  endTime: null,
  durationSeconds: 30,
  dispositionCode: "NO_ANSWER",
  reasonCodeId: null,
  agentId: null,
  contactId: null,
  phoneNumber: phone,
  direction: "outbound",
  tags: [],
  notes: null,
  dispositionUpdatedAt: null,
  callerId: null,
  extra: null,
});

// Florida numbers (America/New_York; Florida allows 3 calls in 24 h, 08:00–20:00). 2026-10-06 is a
// Tuesday, EDT (UTC-4).
const FL = "+13052221000";
const LATE = "+13052221001";
const GRANTED = "+13052221002";
const ATTEMPTS = [
  outcome("c1", FL, "2026-10-06T14:00:00.000Z"),
  outcome("c2", FL, "2026-10-06T15:00:00.000Z"),
  outcome("c3", FL, "2026-10-06T16:00:00.000Z"),
  // The 4th call to the number in 24 h.
  outcome("c4", FL, "2026-10-06T17:00:00.000Z"),
  // 21:30 in the called party's zone.
  outcome("c5", LATE, "2026-10-07T01:30:00.000Z"),
  // Given in the file after c2, at the same instant: listed after it.
  outcome("c6", GRANTED, "2026-10-06T15:00:00.000Z"),
  // Cannot be judged: no number.
  { ...outcome("c7", FL, "2026-10-06T18:00:00.000Z"), phoneNumber: null },
];

const root = mkdtempSync(path.join(tmpdir(), "cxo-evidence-"));
const dataDir = path.join(root, "data");
const env = { CXO_DATA_DIR: dataDir };
const write = (name: string, lines: readonly unknown[]) => {
  const file = path.join(root, name);
  writeFileSync(file, lines.map((l) => `${JSON.stringify(l)}\n`).join(""));
  return file;
};
const records = (file: string): EvidenceRecord[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.startsWith('{"digest"'))
    .map((l) => JSON.parse(l) as EvidenceRecord);

let outcomes = "";
let evidence = "";
let summary: Record<string, unknown> = {};

beforeAll(async () => {
  const store = await openStore(dataDir);
  try {
    await recordGrant(
      store,
      grantOf(
        {
          phone: GRANTED,
          purpose: "telemarketing",
          written: true,
          at: "2026-09-01T12:00:00Z",
          source: "web form 12",
        },
        Date.parse("2026-10-01T00:00:00Z"),
      ),
    );
  } finally {
    await store.close();
  }
  outcomes = write("outcomes.ndjson", ATTEMPTS);
  evidence = path.join(root, "evidence.ndjson");
  const made = await runCli(
    ["--json", "compliance", "evidence", "--file", outcomes, "--out", evidence, "--consent", "yes"],
    env,
  );
  expect(made.stderr).toBe("");
  expect(made.code).toBe(1);
  summary = JSON.parse(made.stdout);
}, 60_000);

describe("cxo compliance evidence --file", () => {
  it("writes one record per attempt, the attempts not allowed first (each group in time order), and counts the one it could not judge", () => {
    const all = records(evidence);
    expect(all.map((r) => [r.id, r.allowed])).toEqual([
      ["c4", false],
      ["c5", false],
      ["c1", true],
      ["c2", true],
      ["c6", true],
      ["c3", true],
    ]);
    expect(summary).toMatchObject({
      records: 6,
      notAllowed: 2,
      allowed: 4,
      reasons: { frequency_cap: 1, outside_calling_hours: 1 },
      skipped: 1,
      skippedSample: [{ id: "c7", why: "no North American or UK number it was placed to" }],
    });
  });

  it("a 4th call in 24 h: the Florida cap's counter with the ids of the 3 calls it counted, the row's citation, date and confidence", () => {
    const r = records(evidence).find((x) => x.id === "c4") as EvidenceRecord;
    expect(r).toMatchObject({
      at: "2026-10-06T17:00:00.000Z",
      phone: FL,
      campaign: "C1",
      account: null,
      source: "file",
      zones: [{ zone: "America/New_York", source: "prefix 1305" }],
      zoneDerivation: "number",
      jurisdictions: ["US", "US-FL"],
      consent: { basis: "declared" },
      rnd: null,
      dnc: { internal: null, registries: [], cxone: null },
      ruleBook: ruleBookVersion(),
    });
    expect(r.calls.map((c) => c.id)).toEqual(["c1", "c2", "c3"]);
    expect(r.caps).toEqual([
      expect.objectContaining({
        ruleId: "fl-cap",
        max: 3,
        windowHours: 24,
        counted: 3,
        calls: ["c1", "c2", "c3"],
        allowed: false,
      }),
    ]);
    expect(r.reasons.map((x) => [x.code, x.ruleId])).toEqual([["frequency_cap", "fl-cap"]]);
    expect(r.rules).toContainEqual({
      id: "fl-cap",
      jurisdiction: "US-FL",
      citation: expect.stringContaining("Fla. Stat. 501.059(8)(a)"),
      effectiveFrom: "2021-07-01",
      confidence: "secondary",
      digest: expect.stringMatching(/^[0-9a-f]{12}$/),
    });
  });

  it("a call at 21:30 in the called zone: refused by the federal and the Florida hours, with the local time", () => {
    const r = records(evidence).find((x) => x.id === "c5") as EvidenceRecord;
    expect(r.local).toBe("2026-10-06T21:30:00-04:00");
    expect(r.reasons.map((x) => [x.code, x.ruleId, x.zone])).toEqual([
      ["outside_calling_hours", "us-tcpa-hours", "America/New_York"],
      ["outside_calling_hours", "fl-hours", "America/New_York"],
    ]);
    expect(r.rules.find((x) => x.id === "us-tcpa-hours")).toMatchObject({
      citation: "47 CFR 64.1200(c)(1); 16 CFR 310.4(c)",
      effectiveFrom: "1992-12-20",
      confidence: "verified",
    });
  });

  it("an allowed call: its consent basis is the grant in the ledger (written, AI not disclosed, its source)", () => {
    const r = records(evidence).find((x) => x.id === "c6") as EvidenceRecord;
    expect(r.allowed).toBe(true);
    expect(r.reasons).toEqual([]);
    expect(r.consent).toEqual({
      basis: "grant",
      purposes: ["telemarketing"],
      written: true,
      aiDisclosed: false,
      grantedAt: "2026-09-01T12:00:00.000Z",
      source: "web form 12",
    });
    // The same instant as c2, later in the file: c2 is not its call, nor counted toward it.
    expect(r.calls).toEqual([]);
  });

  it("each line is the record's canonical JSON with its digest and prev first: sha256 over the record without them", () => {
    for (const line of readFileSync(evidence, "utf8")
      .split("\n")
      .filter((l) => l.startsWith('{"digest"'))) {
      const { digest, prev, ...rest } = JSON.parse(line) as EvidenceRecord;
      const text = canonicalJson(rest);
      expect(line).toBe(`{"digest":"${digest}","prev":"${prev}",${text.slice(1)}`);
      expect(digest).toBe(`sha256:${createHash("sha256").update(text).digest("hex")}`);
    }
  });

  it("exits 0 when every attempt was allowed; --json counts what it wrote", async () => {
    const file = write("allowed.ndjson", [ATTEMPTS[0]]);
    const out = path.join(root, "allowed-evidence.ndjson");
    const result = await runCli(
      ["--json", "compliance", "evidence", "--file", file, "--out", out, "--consent", "yes"],
      env,
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ records: 1, allowed: 1, notAllowed: 0, skipped: 0 });
  });

  it("bad input exits 2 naming the flag, and writes nothing", async () => {
    const out = path.join(root, "never.ndjson");
    const cases = [
      { args: ["--file", outcomes, "--list", "7", "--out", out], stderr: /--list: does not go with --file/ },
      {
        args: ["--campaign", "C1", "--from", "2026-10-06T00:00:00Z", "--out", out],
        stderr: /--to: is required with --campaign/,
      },
      {
        args: ["--campaign", "C1", "--from", "yesterday", "--to", "2026-10-06T00:00:00Z", "--out", out],
        stderr: /--from: "yesterday" is not an ISO 8601/,
      },
      { args: ["--file", outcomes], stderr: /--out: is required/ },
      { args: ["--verify", evidence, "--out", out], stderr: /--out: does not go with --verify/ },
    ];
    const results = await runCliBatch(
      cases.map((c) => ({ args: ["compliance", "evidence", ...c.args], env, cwd: root })),
    );
    results.forEach((result, i) => {
      expect(result.code, cases[i]?.args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(cases[i]?.stderr as RegExp);
    });
    expect(existsSync(out)).toBe(false);
  });
});

describe("a large run's judging threads", () => {
  it("writes the very bytes the inline run writes", async () => {
    const store = await openStore(dataDir);
    try {
      const env = {
        engine,
        store,
        registries: NO_REGISTRIES,
        seller: undefined,
        registrations: {},
        rndNoData: "allow" as const,
      };
      const threaded = path.join(root, "threaded.ndjson");
      const inline = path.join(root, "inline.ndjson");
      await makeEvidence(
        { ...env, nowMs: Date.now(), threads: 2 },
        { from: { file: outcomes }, out: threaded, consent: true },
      );
      await makeEvidence(
        { ...env, nowMs: Date.now(), threads: 0 },
        { from: { file: outcomes }, out: inline, consent: true },
      );
      // The records, byte for byte; the manifests differ only by their run and instant.
      const [a, b] = [threaded, inline].map((f) => readFileSync(f, "utf8").split("\n").slice(0, -2));
      expect(a).toEqual(b);
      const manifest = (f: string) =>
        JSON.parse(readFileSync(f, "utf8").split("\n").at(-2) as string).manifest;
      expect(manifest(threaded)).toMatchObject({ records: 6, root: manifest(inline).root });
      expect(records(threaded)).toHaveLength(6);
    } finally {
      await store.close();
    }
  });
});

describe("cxo compliance evidence --verify", () => {
  it("passes on the file as written", async () => {
    const result = await runCli(["--json", "compliance", "evidence", "--verify", evidence], env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      records: 6,
      verified: 6,
      differenceCount: 0,
    });
  });

  it("exits 1 naming the record and the field when one record's verdict, or one of its inputs, was edited", async () => {
    const lines = readFileSync(evidence, "utf8").split("\n");
    // Record 1 (c4): its verdict turned to allowed. Record 2 (c5): its instant moved to 14:30 local.
    lines[0] = (lines[0] as string).replace('"allowed":false', '"allowed":true');
    lines[1] = (lines[1] as string).replace(
      '"at":"2026-10-07T01:30:00.000Z"',
      '"at":"2026-10-06T18:30:00.000Z"',
    );
    const edited = path.join(root, "edited.ndjson");
    writeFileSync(edited, lines.join("\n"));
    const result = await runCli(["--json", "compliance", "evidence", "--verify", edited], env);
    expect(result.code).toBe(1);
    const answer = JSON.parse(result.stdout) as {
      ok: boolean;
      verified: number;
      differences: Array<{ record: number; id: string; field: string }>;
    };
    expect(answer.verified).toBe(4);
    const named = answer.differences.map((d) => `${d.record} ${d.id} ${d.field}`);
    expect(named).toEqual(
      expect.arrayContaining([
        "1 c4 digest",
        "1 c4 allowed",
        "2 c5 digest",
        "2 c5 allowed",
        "2 c5 reasons",
        "2 c5 local",
      ]),
    );
    const human = await runCli(["compliance", "evidence", "--verify", edited], env);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(
      /record 1 \(id c4\): allowed: recorded true, recomputed from its inputs false/,
    );
  });
});

describe("a rule book changed after the evidence was made", () => {
  // Florida's hours widened to 21:00, from long before the attempts: a rule book that would allow c5's 20:30.
  const later: RuleRow[] = RULE_TABLE.map((row) =>
    row.id === "fl-hours" && row.kind === "calling_hours"
      ? { ...row, window: { monFri: "08:00-21:00", sat: "09:00-21:00", sun: "09:00-21:00" } }
      : row,
  );

  it("does not change an old record's verdict: it is replayed with the book kept under its version", async () => {
    const store = await openStore(path.join(root, "data-rulebook"));
    try {
      const file = write("rulebook.ndjson", [outcome("r1", LATE, "2026-10-07T00:30:00.000Z")]);
      const out = path.join(root, "rulebook-evidence.ndjson");
      const env = {
        engine,
        store,
        registries: NO_REGISTRIES,
        seller: undefined,
        registrations: {},
        rndNoData: "allow" as const,
      };
      const made = await makeEvidence({ ...env, nowMs: Date.now() }, { from: { file }, out, consent: true });
      expect(made.notAllowed).toBe(1);
      const verified = await verifyEvidence(engine, store, out, { ruleTable: later });
      expect(verified).toMatchObject({ ok: true, verified: 1, currentRuleBook: ruleBookVersion(later) });
      expect(verified.ruleBooks).toEqual([
        { version: ruleBookVersion(), records: 1, replayedWith: "kept", changedRows: [] },
      ]);
      // Made under the later book, the same attempt is allowed: the book decides, not the day it is read.
      const again = path.join(root, "rulebook-later.ndjson");
      expect(
        (
          await makeEvidence(
            { ...env, nowMs: Date.now(), ruleTable: later },
            { from: { file }, out: again, consent: true },
          )
        ).notAllowed,
      ).toBe(0);
    } finally {
      await store.close();
    }
  });

  it("where the book is not kept, reports the rule book change and the rows, and does not re-judge", async () => {
    const store = await openStore(path.join(root, "data-elsewhere"));
    try {
      const verified = await verifyEvidence(engine, store, evidence, { ruleTable: later });
      expect(verified.ok).toBe(false);
      // c5 (fl-hours applied to it) and every other Florida record are reported, none re-judged.
      expect(verified.differences.map((d) => `${d.id} ${d.field}`)).toEqual(
        expect.arrayContaining(["c5 ruleBook", "c4 ruleBook"]),
      );
      expect(verified.ruleBooks[0]).toMatchObject({
        replayedWith: "not-replayed",
        changedRows: ["fl-hours"],
      });
    } finally {
      await store.close();
    }
  });
});

describe("Parquet", () => {
  it("writes the same records, not allowed first, readable by DuckDB, and verifies", async () => {
    const out = path.join(root, "evidence.parquet");
    const made = await runCli(
      ["compliance", "evidence", "--file", outcomes, "--out", out, "--consent", "yes"],
      env,
    );
    expect(made.code).toBe(1);
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const instance = await DuckDBInstance.create(":memory:");
    const db = await instance.connect();
    try {
      const rows = (
        await db.runAndReadAll(
          `SELECT id, allowed, reason_codes, digest, record FROM read_parquet('${out.replaceAll("'", "''")}')`,
        )
      ).getRowObjectsJson() as Array<{
        id: string;
        allowed: boolean;
        reason_codes: string[];
        digest: string;
        record: string;
      }>;
      expect(rows.map((r) => [r.id, r.allowed])).toEqual(records(evidence).map((r) => [r.id, r.allowed]));
      expect(rows[0]?.reason_codes).toEqual(["frequency_cap"]);
      const ndjson = readFileSync(evidence, "utf8").split("\n")[0] as string;
      expect(rows[0]?.digest).toBe(JSON.parse(ndjson).digest);
    } finally {
      db.closeSync();
      instance.closeSync();
    }
    const verified = await runCli(["--json", "compliance", "evidence", "--verify", out], env);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, records: 6, format: "parquet" });
  });
});
