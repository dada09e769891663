import {
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { listParts } from "../../src/outcomes/parquet/dataset.ts";
import { adminCall } from "../support/emulator-admin.ts";
import { inTurn, runCli } from "../support/run-cli.ts";

/**
 * Issue 50 §4: `--out day.parquet` is one Parquet file (what DuckDB, pandas and Spark users
 * expect from that name), with the very columns of a dataset's parts, the disposition's name a
 * column of its own; a directory (or a path ending in /) is the partitioned dataset; --format
 * and --out that contradict each other are exit 2 naming both, nothing fetched.
 */
let emulator: RunningCxoneEmulator;
let env: Record<string, string>;
let skill = "";
let window: string[] = [];
const cxo = (args: string[]) => runCli(args, env, { timeoutMs: 120_000 });
const dir = () => mkdtempSync(path.join(tmpdir(), "cxo-parquet-file-"));

beforeAll(async () => {
  emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 11,
    contacts: 600,
    days: 2,
  })) as RunningCxoneEmulator;
  const f = emulator.fixtures;
  const key = f.accessKeys.find((k) => !k.readOnly)!;
  skill = String(f.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isActive)!.skillId);
  window = ["--from", f.completed.windowStart, "--to", f.completed.windowEnd];
  env = {
    CXONE_PLATFORM: "cxone",
    CXONE_ISSUER: emulator.url,
    CXONE_CLIENT_ID: f.client.clientId,
    CXONE_CLIENT_SECRET: f.client.clientSecret,
    CXONE_ACCESS_KEY_ID: key.accessKeyId,
    CXONE_ACCESS_KEY_SECRET: key.accessKeySecret,
    CXO_DATA_DIR: path.join(dir(), ".cxo"),
  };
});
afterAll(() => emulator.close());

const magic = (file: string) => {
  const bytes = Buffer.alloc(4);
  const fd = openSync(file, "r");
  readSync(fd, bytes, 0, 4, 0);
  return bytes.toString("latin1");
};
async function columnsOf(file: string) {
  const metadata = await parquetMetadataAsync(await asyncBufferFromFile(file));
  return parquetSchema(metadata).children.map((c) => c.element.name);
}

describe("cxo outcomes export to a .parquet name", () => {
  it("with or without --format parquet: one Parquet file, the dataset parts' columns, disposition_name its own column", async () => {
    const d = dir();
    const plain = path.join(d, "day.parquet");
    const named = path.join(d, "x.parquet");
    const dataset = path.join(d, "dataset/");
    const [one, two, parts] = await inTurn([
      () => cxo(["--json", "outcomes", "export", "--campaign", skill, ...window, "--out", plain]),
      () =>
        cxo([
          "--json",
          "outcomes",
          "export",
          "--campaign",
          skill,
          ...window,
          "--format",
          "parquet",
          "--out",
          named,
        ]),
      () => cxo(["--json", "outcomes", "export", "--campaign", skill, ...window, "--out", dataset]),
    ]);
    for (const run of [one, two, parts]) expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(one.stdout);
    expect(summary.format).toBe("parquet");
    expect(summary.totalRecords).toBeGreaterThan(0);
    for (const file of [plain, named]) {
      expect(statSync(file).isFile(), `${file} is a file`).toBe(true);
      expect(magic(file)).toBe("PAR1");
      expect(existsSync(`${file}.tmp`)).toBe(false);
    }
    expect(JSON.parse(two.stdout).totalRecords).toBe(summary.totalRecords);
    // The same schema as the dataset's parts.
    const datasetDir = JSON.parse(parts.stdout).out as string;
    const [part] = await listParts(datasetDir);
    const partColumns = await columnsOf(path.join(datasetDir, part!.path));
    expect(await columnsOf(plain)).toEqual(partColumns);
    expect(partColumns).toContain("disposition_name");
    // Every record, with its disposition's name in its own column (the skill's names).
    const rows = (await parquetReadObjects({
      file: await asyncBufferFromFile(plain),
      compressors: { ZSTD: (input: Uint8Array) => new Uint8Array(zlib.zstdDecompressSync(input)) },
    })) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(summary.totalRecords);
    const names = new Map(
      emulator.fixtures.dispositions.map((x) => [String(x.dispositionId), x.dispositionName]),
    );
    const coded = rows.filter((r) => r.disposition_code !== null);
    expect(coded.length).toBeGreaterThan(0);
    for (const row of coded) expect(row.disposition_name).toBe(names.get(String(row.disposition_code)));
    // And it verifies against the export's hash, as a dataset does.
    const verify = await cxo(["outcomes", "verify", plain, "--hash", summary.complianceHash]);
    expect(verify.code, verify.stderr).toBe(0);
  }, 150_000);

  it("--format and --out that contradict each other: exit 2 naming both, nothing fetched", async () => {
    const d = dir();
    await adminCall(emulator.url, "DELETE", "/requests");
    const cases: string[][] = [
      ["--format", "ndjson", "--out", path.join(d, "a.parquet")],
      ["--format", "csv", "--out", path.join(d, "b.parquet")],
      ["--format", "parquet", "--out", path.join(d, "c.csv")],
      ["--format", "parquet", "--out", path.join(d, "c.ndjson")],
      ["--format", "ndjson", "--out", `${d}/`],
      ["--format", "csv", "--out", path.join(d, "e.ndjson")],
    ];
    const runs = await inTurn(
      cases.map((c) => () => cxo(["outcomes", "export", "--campaign", skill, ...window, ...c])),
    );
    runs.forEach((run, i) => {
      expect(run.code, `${cases[i]!.join(" ")}: ${run.stderr}`).toBe(2);
      expect(run.stderr, cases[i]!.join(" ")).toContain("--format");
      expect(run.stderr, cases[i]!.join(" ")).toContain("--out");
      expect(run.stderr).not.toMatch(/\n\s+at /);
    });
    const log = (await adminCall(emulator.url, "GET", "/requests")) as { requests: Array<{ path: string }> };
    expect(log.requests.filter((r) => r.path.includes("/contacts/completed"))).toEqual([]);
    for (const name of ["a.parquet", "b.parquet", "c.csv", "c.ndjson", "e.ndjson"])
      expect(existsSync(path.join(d, name))).toBe(false);
  }, 150_000);

  it("a .parquet name that is a link, or a file that is not Parquet: exit 2, the target untouched, nothing fetched", async () => {
    const d = dir();
    const victim = path.join(d, "victim.txt");
    writeFileSync(victim, "keep me\n");
    symlinkSync(victim, path.join(d, "link.parquet"));
    writeFileSync(path.join(d, "notes.parquet"), "not a parquet file\n");
    await adminCall(emulator.url, "DELETE", "/requests");
    for (const name of ["link.parquet", "notes.parquet"]) {
      const run = await cxo([
        "outcomes",
        "export",
        "--campaign",
        skill,
        ...window,
        "--out",
        path.join(d, name),
      ]);
      expect(run.code, `${name}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toContain("--out");
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    expect(readFileSync(victim, "utf8")).toBe("keep me\n");
    expect(readFileSync(path.join(d, "notes.parquet"), "utf8")).toBe("not a parquet file\n");
    const log = (await adminCall(emulator.url, "GET", "/requests")) as { requests: Array<{ path: string }> };
    expect(log.requests.filter((r) => r.path.includes("/contacts/completed"))).toEqual([]);
  }, 150_000);
});
