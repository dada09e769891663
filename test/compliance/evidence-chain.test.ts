import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { manifestDigest } from "../../src/compliance/evidence/chain.ts";
import { verifyEvidence } from "../../src/compliance/evidence/verify.ts";
import { canonicalJson } from "../../src/core/audit/canonical-json.ts";
import { openStore, type Store } from "../../src/core/store/index.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 102 §2: an evidence file is a chain ending in a manifest. `--verify` fails (exit 1, naming
 * the record) on a record removed, added, duplicated, reordered, or altered and re-digested, on a
 * manifest that does not match, and on a file rewritten whole with a new manifest (the data dir
 * that wrote it kept the first); a file without a manifest is unverifiable (exit 1). The old
 * verify checked each record alone and passed every one of these.
 */
const engine = new ComplianceEngine();
const root = mkdtempSync(path.join(tmpdir(), "cxo-evidence-chain-"));
const dataDir = path.join(root, "data");
const env = { CXO_DATA_DIR: dataDir };
const FL = "+13052221000";
const OTHER = "+13052221001";

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

let lines: string[] = [];
let otherLine = "";
let store: Store;

async function make(name: string, attempts: unknown[]): Promise<string[]> {
  const file = path.join(root, `${name}.outcomes.ndjson`);
  writeFileSync(file, attempts.map((a) => `${JSON.stringify(a)}\n`).join(""));
  const out = path.join(root, `${name}.evidence.ndjson`);
  const made = await runCli(
    ["compliance", "evidence", "--file", file, "--out", out, "--consent", "yes"],
    env,
  );
  expect(made.stderr).toBe("");
  return readFileSync(out, "utf8").split("\n").slice(0, -1);
}

beforeAll(async () => {
  lines = await make("chain", [
    outcome("c1", FL, "2026-10-06T14:00:00.000Z"),
    outcome("c2", FL, "2026-10-06T15:00:00.000Z"),
    outcome("c3", FL, "2026-10-06T16:00:00.000Z"),
    outcome("c4", FL, "2026-10-06T17:00:00.000Z"), // the 4th in 24 h in Florida: not allowed
    outcome("c5", OTHER, "2026-10-07T01:30:00.000Z"), // 21:30 local: not allowed
    outcome("c6", OTHER, "2026-10-06T15:00:00.000Z"),
  ]);
  otherLine = (await make("other", [outcome("x1", OTHER, "2026-10-08T15:00:00.000Z")]))[0] as string;
  store = await openStore(dataDir);
}, 60_000);
afterAll(() => store.close());

const verify = async (name: string, edited: readonly string[]) => {
  const file = path.join(root, `${name}.ndjson`);
  writeFileSync(file, `${edited.join("\n")}\n`);
  return verifyEvidence(engine, store, file);
};
const differences = (v: Awaited<ReturnType<typeof verify>>) =>
  v.differences.map((d) => `${d.record} ${d.field}`);
const records = () => lines.slice(0, -1);
const manifestLine = () => lines.at(-1) as string;

/** A record's line with `change` applied and its digest computed again, as a forger would. */
function redigested(line: string, change: (r: Record<string, unknown>) => void): string {
  const { digest: _d, prev, ...rest } = JSON.parse(line) as Record<string, unknown>;
  change(rest);
  const text = canonicalJson(rest);
  return `{"digest":"sha256:${createHash("sha256").update(text).digest("hex")}","prev":"${prev}",${text.slice(1)}`;
}

describe("an evidence file's chain and manifest", () => {
  it("as written: every link holds, the manifest matches, and this data dir kept the same manifest", async () => {
    const v = await verify("as-written", lines);
    expect(v).toMatchObject({ ok: true, records: 6, unverifiable: false, chain: { kept: "same" } });
    const manifest = JSON.parse(manifestLine()).manifest;
    expect(manifest).toMatchObject({
      format: "cxo-evidence/2",
      records: 6,
      notAllowed: 2,
      first: "2026-10-06T14:00:00.000Z",
      last: "2026-10-07T01:30:00.000Z",
      source: { kind: "file", file: "chain.outcomes.ndjson" },
    });
    // The root is the SHA-256 of the records' digests, one a line, in file order.
    const digests = records().map((l) => `${JSON.parse(l).digest}\n`);
    expect(manifest.root).toBe(`sha256:${createHash("sha256").update(digests.join("")).digest("hex")}`);
    expect(JSON.parse(records()[0] as string).prev).toBe(`sha256:${"0".repeat(64)}`);
    expect(JSON.parse(records()[3] as string).prev).toBe(JSON.parse(records()[2] as string).digest);
  });

  it("a record written out again in another layout (keys reordered, spaces), its content the same, still verifies", async () => {
    const reserialised = (line: string) => {
      const record = JSON.parse(line) as Record<string, unknown>;
      const { digest, prev, ...rest } = record;
      const reversed = Object.fromEntries(Object.entries(rest).reverse());
      return JSON.stringify({ digest, prev, ...reversed }, null, 1).replaceAll("\n", "");
    };
    const edited = records().map((l, i) => (i === 1 ? reserialised(l) : l));
    expect(edited[1]).not.toBe(records()[1]);
    const v = await verify("reserialised", [...edited, manifestLine()]);
    expect(v.differences).toEqual([]);
    expect(v.ok).toBe(true);
  });

  it("a record removed: the record after it is named, and the manifest's count and root differ", async () => {
    const edited = [...records()];
    edited.splice(2, 1);
    const v = await verify("removed", [...edited, manifestLine()]);
    expect(v.ok).toBe(false);
    expect(differences(v)).toEqual(
      expect.arrayContaining(["3 prev", "6 manifest.records", "6 manifest.root"]),
    );
    expect(v.differences.find((d) => d.field === "prev")?.id).toBe(JSON.parse(records()[3] as string).id);
  });

  it("a record added (a whole, well-digested record of another file): named", async () => {
    const edited = [...records()];
    edited.splice(1, 0, otherLine);
    const v = await verify("added", [...edited, manifestLine()]);
    expect(differences(v)).toEqual(expect.arrayContaining(["2 prev", "3 prev", "8 manifest.records"]));
  });

  it("a record duplicated: the copy is named", async () => {
    const edited = [...records()];
    edited.splice(2, 0, edited[1] as string);
    const v = await verify("duplicated", [...edited, manifestLine()]);
    expect(differences(v)).toEqual(expect.arrayContaining(["3 prev", "8 manifest.records"]));
  });

  it("two records swapped: named, and the root differs", async () => {
    const edited = [...records()];
    [edited[3], edited[4]] = [edited[4] as string, edited[3] as string];
    const v = await verify("reordered", [...edited, manifestLine()]);
    expect(differences(v)).toEqual(expect.arrayContaining(["4 prev", "5 prev", "7 manifest.root"]));
    expect(differences(v)).not.toContain("7 manifest.records");
  });

  it("a record's phone changed and its digest computed again: its digest holds, the next record names it", async () => {
    const edited = [...records()];
    edited[3] = redigested(edited[3] as string, (r) => {
      r.phone = "+13052229999";
    });
    const v = await verify("redigested", [...edited, manifestLine()]);
    expect(differences(v)).not.toContain("4 digest");
    expect(differences(v)).toEqual(expect.arrayContaining(["5 prev", "7 manifest.root"]));
  });

  it("a manifest edited: its own digest and the figure changed differ", async () => {
    const manifest = JSON.parse(manifestLine());
    manifest.manifest.records = 5;
    const v = await verify("manifest-edited", [...records(), JSON.stringify(manifest)]);
    expect(differences(v)).toEqual(expect.arrayContaining(["7 manifest.digest", "7 manifest.records"]));
  });

  it("a file rewritten whole (a record dropped, every link and the manifest made again): the data dir that wrote it kept the first manifest", async () => {
    const kept = records().filter((_, i) => i !== 3);
    const relinked: string[] = [];
    let prev = `sha256:${"0".repeat(64)}`;
    for (const line of kept) {
      const record = JSON.parse(line);
      relinked.push(line.replace(/"prev":"sha256:[0-9a-f]{64}"/, `"prev":"${prev}"`));
      prev = record.digest;
    }
    const { manifest } = JSON.parse(manifestLine());
    manifest.records = 5;
    manifest.notAllowed = kept.filter((l) => JSON.parse(l).allowed === false).length;
    manifest.root = `sha256:${createHash("sha256")
      .update(kept.map((l) => `${JSON.parse(l).digest}\n`).join(""))
      .digest("hex")}`;
    manifest.lastRecord = prev;
    manifest.digest = manifestDigest(manifest);
    const v = await verify("rewritten", [...relinked, JSON.stringify({ manifest })]);
    expect(v.chain.kept).toBe("different");
    expect(differences(v)).toEqual(["6 manifest.run"]);
    expect(v.ok).toBe(false);
  });

  it("records after the manifest (appended later) are named", async () => {
    const v = await verify("appended", [...lines, otherLine]);
    expect(differences(v)).toEqual(expect.arrayContaining(["7 manifest"]));
  });

  it("no manifest: unverifiable, exit 1, whatever the records say", async () => {
    const file = path.join(root, "no-manifest.ndjson");
    writeFileSync(file, `${records().join("\n")}\n`);
    const result = await runCli(["--json", "compliance", "evidence", "--verify", file], env);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, unverifiable: true, records: 6 });
    const human = await runCli(["compliance", "evidence", "--verify", file], env);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/UNVERIFIABLE/);
  });
});
