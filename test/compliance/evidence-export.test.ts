import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 102 §2: `cxo compliance evidence --export DIR FILE…` (each file verified, copied with a
 * manifest of SHA-256 hash values and a certification page, text and PDF, to sign) and
 * `cxo compliance evidence prune --dir DIR --dry-run` (never removes what the retention rule keeps).
 */
const root = mkdtempSync(path.join(tmpdir(), "cxo-evidence-export-"));
const dataDir = path.join(root, "data");
const env = { CXO_DATA_DIR: dataDir };
const sha256 = (file: string) => `sha256:${createHash("sha256").update(readFileSync(file)).digest("hex")}`;

const outcome = (id: string, startTime: string, extra: Record<string, unknown> = {}) => ({
  id,
  campaignId: "C1",
  startTime,
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
  ...extra,
});

const reports = path.join(root, "reports");
let sales = "";
let debt = "";

async function evidenceOf(name: string, rows: unknown[]): Promise<string> {
  const file = path.join(root, `${name}.outcomes.ndjson`);
  writeFileSync(file, rows.map((r) => `${JSON.stringify(r)}\n`).join(""));
  const out = path.join(reports, `${name}-evidence.ndjson`);
  const made = await runCli(
    ["compliance", "evidence", "--file", file, "--out", out, "--consent", "yes"],
    env,
  );
  expect(made.stderr).toBe("");
  return out;
}

beforeAll(async () => {
  mkdirSync(reports);
  sales = await evidenceOf("sales", [outcome("s1", "2026-10-06T14:00:00.000Z")]);
  debt = await evidenceOf("debt", [outcome("d1", "2026-10-06T15:00:00.000Z", { account: "D-1" })]);
}, 60_000);

describe("cxo compliance evidence --export", () => {
  it("copies each verified file with manifest.json (SHA-256 of each) and a certification page, text and PDF", async () => {
    const dir = path.join(root, "case-114");
    const result = await runCli(["--json", "compliance", "evidence", "--export", dir, sales, debt], env);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([
      "certification.pdf",
      "certification.txt",
      "debt-evidence.ndjson",
      "manifest.json",
      "sales-evidence.ndjson",
    ]);
    const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
    expect(
      manifest.files.map((f: { name: string; sha256: string; records: number }) => [
        f.name,
        f.sha256,
        f.records,
      ]),
    ).toEqual([
      ["sales-evidence.ndjson", sha256(sales), 1],
      ["debt-evidence.ndjson", sha256(debt), 1],
    ]);
    expect(sha256(path.join(dir, "sales-evidence.ndjson"))).toBe(sha256(sales));
    const text = readFileSync(path.join(dir, "certification.txt"), "utf8");
    expect(text).toMatch(/902\(13\)/);
    expect(text).toContain(sha256(sales));
    expect(text).toContain(sha256(path.join(dir, "manifest.json")));
    expect(text).toMatch(/penalty of perjury/);
    // Read as a custodian would: nothing past 80 columns (cut off on A4 or Letter), every blank
    // the signer fills in, and a page that names itself.
    expect(text.split("\n").filter((line) => line.length > 80)).toEqual([]);
    for (const blank of [
      /\(name\)/,
      /\(title\)/,
      /\(date\)/,
      /\(place\)/,
      /^Signature: +_+$/m,
      /^Printed name: +_+$/m,
    ])
      expect(text).toMatch(blank);
    // A PDF whose cross-reference table is where the trailer says.
    const pdf = readFileSync(path.join(dir, "certification.pdf"), "latin1");
    expect(pdf.startsWith("%PDF-1.4")).toBe(true);
    const xref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(pdf)?.[1]);
    expect(pdf.slice(xref, xref + 4)).toBe("xref");
    expect(pdf).toContain(
      "(Federal Rules of Evidence 902\\(11\\), 902\\(13\\) and 902\\(14\\); 28 U.S.C. 1746) Tj",
    );
    expect(pdf).toMatch(/\(Certification of electronic records, page 1 of \d\) Tj/);
    expect(pdf).toContain(`(manifest.json ${sha256(path.join(dir, "manifest.json"))}) Tj`);
  });

  it("a directory that is not empty is refused (exit 2), nothing read or written", async () => {
    const dir = path.join(root, "busy");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "notes.txt"), "mine\n");
    const result = await runCli(["compliance", "evidence", "--export", dir, sales], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--export: .*busy is not empty/);
    expect(readdirSync(dir)).toEqual(["notes.txt"]);
  });

  it("a file without a manifest does not verify: named, exit 1, nothing written", async () => {
    const torn = path.join(root, "torn-evidence.ndjson");
    writeFileSync(torn, `${readFileSync(sales, "utf8").split("\n")[0]}\n`);
    const dir = path.join(root, "never");
    const result = await runCli(["compliance", "evidence", "--export", dir, sales, torn], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/NOT EXPORTED.*\n.*torn-evidence\.ndjson \(unverifiable: no manifest\)/);
    expect(existsSync(dir)).toBe(false);
  });
});

describe("cxo compliance evidence prune", () => {
  const prune = (clock: string) =>
    runCli(["--json", "compliance", "evidence", "prune", "--dir", reports, "--dry-run"], {
      ...env,
      CXO_CLOCK: clock,
    });

  it("keeps a call not about a debt 5 years, and a debt's 3 years after its last activity", async () => {
    const early = await prune("2029-01-01T00:00:00Z");
    expect(early.code).toBe(0);
    const files = JSON.parse(early.stdout).files as Array<{
      file: string;
      action: string;
      keepUntil: string;
    }>;
    expect(files.map((f) => [path.basename(f.file), f.action, f.keepUntil])).toEqual([
      ["debt-evidence.ndjson", "kept", "2029-10-06T15:00:00.000Z"],
      ["sales-evidence.ndjson", "kept", "2031-10-06T14:00:00.000Z"],
    ]);
    const late = await prune("2030-01-01T00:00:00Z");
    expect(JSON.parse(late.stdout).files.map((f: { action: string }) => f.action)).toEqual([
      "would-remove",
      "kept",
    ]);
    // A dry run removes nothing.
    expect(existsSync(debt)).toBe(true);
  });

  it("a later call of the debt in the store keeps its file", async () => {
    const touches = path.join(root, "touches.csv");
    writeFileSync(touches, "phone,at,channel,account\n+13052221000,2028-06-01T15:00:00Z,call,D-1\n");
    expect(
      (await runCli(["touches", "import", "--file", touches], { ...env, CXO_CLOCK: "2029-01-01T00:00:00Z" }))
        .code,
    ).toBe(0);
    const result = await prune("2030-01-01T00:00:00Z");
    const debtFile = JSON.parse(result.stdout).files.find((f: { file: string }) =>
      f.file.endsWith("debt-evidence.ndjson"),
    );
    expect(debtFile).toMatchObject({ action: "kept", keepUntil: "2031-06-01T15:00:00.000Z" });
  });
});
