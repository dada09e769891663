import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ComplianceEngine } from "../../src/compliance/engine.ts";
import { importRegistry, openDncRegistries, parseNanp } from "../../src/compliance/index.ts";
import { InputError } from "../../src/core/input-error.ts";
import { writeRegistryLine } from "../support/registry-lines.ts";
import { runCli } from "../support/run-cli.ts";
import { waitUntil } from "../support/wait-until.ts";

/** A fresh compliance engine of this file's own. */
const engine = new ComplianceEngine();

/** The National Do Not Call Registry copy: import (full, changes, gzip, stdin), lookups, staleness, crash safety. */
const tempDir = () => mkdtempSync(path.join(tmpdir(), "cxo-registry-"));
const number = (e164: string) => {
  const parsed = parseNanp(e164);
  if (!parsed) throw new Error(`bad test number ${e164}`);
  return parsed;
};
const listed = (dataDir: string, e164: string) => {
  const set = openDncRegistries(dataDir);
  try {
    return set.findings(number(e164)).map((f) => f.listed);
  } finally {
    set.close();
  }
};
const file = (dir: string, name: string, text: string | Buffer) => {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
};

describe("registry import", () => {
  it("full then change files (gzip, flags, CRLF, E.164, comments) round-trip; added then deleted is gone", async () => {
    const dir = tempDir();
    const full = file(dir, "full.txt", "2125550200\n2125550201\r\n+14155550300\n# a comment\n\n7185550400\n");
    await importRegistry({
      dataDir: dir,
      registry: "national",
      files: [full],
      mode: "full",
      asOf: "2026-11-01",
    });
    expect(listed(dir, "+12125550200")).toEqual([true]);
    expect(listed(dir, "+14155550300")).toEqual([true]);
    expect(listed(dir, "+12125550202")).toEqual([false]);

    const changes = file(
      dir,
      "changes.txt.gz",
      gzipSync("2125550202,A\n-2125550200\n4155550300,D\n3055550500 add\n3055550500,DELETE\n"),
    );
    const summary = await importRegistry({
      dataDir: dir,
      registry: "national",
      files: [changes],
      mode: "changes",
      asOf: "2026-11-02",
    });
    expect(summary).toMatchObject({ numbers: 3, areaCodes: 2, previousNumbers: 4, lines: 5 });
    expect(listed(dir, "+12125550200")).toEqual([false]); // deleted
    expect(listed(dir, "+12125550201")).toEqual([true]); // untouched
    expect(listed(dir, "+12125550202")).toEqual([true]); // added
    expect(listed(dir, "+14155550300")).toEqual([false]); // deleted: its area code is now empty
    expect(listed(dir, "+17185550400")).toEqual([true]); // an untouched area code (linked from the copy before)
    expect(listed(dir, "+13055550500")).toEqual([false]); // added then deleted in one file
    const set = openDncRegistries(dir);
    expect(set.registries.map((r) => [r.name, r.manifest.asOf, r.manifest.areaCodes])).toEqual([
      ["national", "2026-11-02", { "212": 2, "718": 1 }],
    ]);
    set.close();

    // A full import replaces the copy; full + changes in one command applies them in order.
    await importRegistry({
      dataDir: dir,
      registry: "national",
      files: [full, changes],
      mode: "full",
      asOf: "2026-11-03",
    });
    expect(listed(dir, "+12125550200")).toEqual([false]);
    expect(listed(dir, "+12125550202")).toEqual([true]);
  });

  it("a malformed line aborts the import, names file and line, and leaves the copy as it was", async () => {
    const dir = tempDir();
    const good = file(dir, "good.txt", "2125550200\n");
    await importRegistry({
      dataDir: dir,
      registry: "national",
      files: [good],
      mode: "full",
      asOf: "2026-11-01",
    });
    const bad = file(dir, "bad.txt", "2125550201\n212-555-0202\n");
    const error = await importRegistry({
      dataDir: dir,
      registry: "national",
      files: [bad],
      mode: "full",
      asOf: "2026-11-02",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems).toMatchObject([{ field: bad, row: 2 }]);
    expect(listed(dir, "+12125550200")).toEqual([true]);
    expect(listed(dir, "+12125550201")).toEqual([false]);
    expect(
      readdirSync(path.join(dir, "dnc-registry", "national")).filter((e) => e.startsWith("v-")),
    ).toHaveLength(1);
  });

  it("checking numbers of one area code reads that area code's set only", async () => {
    const dir = tempDir();
    const full = file(dir, "full.txt", "2125550200\n4155550300\n7185550400\n");
    await importRegistry({
      dataDir: dir,
      registry: "national",
      files: [full],
      mode: "full",
      asOf: "2026-11-01",
    });
    const set = openDncRegistries(dir);
    set.findings(number("+12125550200"));
    set.findings(number("+12125559999"));
    expect(set.registries[0]?.loadedAreaCodes()).toEqual(["212"]);
    set.close();
    // With no room in memory, lookups read one byte from disk and answer the same.
    const tight = openDncRegistries(dir, { maxResidentAreaCodes: 0 });
    expect(tight.findings(number("+14155550300"))[0]?.listed).toBe(true);
    expect(tight.findings(number("+14155550301"))[0]?.listed).toBe(false);
    expect(tight.registries[0]?.loadedAreaCodes()).toEqual([]);
    tight.close();
  });

  it("holds an area code's set in the bytes read from disk, not in a copy of them", async () => {
    const dir = tempDir();
    const npas = Array.from({ length: 8 }, (_, i) => 201 + i);
    await importRegistry({
      dataDir: dir,
      registry: "national",
      files: [file(dir, "full.txt", `${npas.map((npa) => `${npa}5550200`).join("\n")}\n`)],
      mode: "full",
      asOf: "2026-11-01",
    });
    // In a process of its own, from a collected heap: the memory array buffers take while the
    // 8 sets (1.25 MB each) are loaded. A copy of each read buffer made it twice that.
    const lookup = new URL("../../src/compliance/registry/lookup.ts", import.meta.url).href;
    const script = `
      const { openDncRegistries } = await import(${JSON.stringify(lookup)});
      const set = openDncRegistries(${JSON.stringify(dir)});
      globalThis.gc();
      const before = process.memoryUsage().arrayBuffers;
      let listed = 0;
      for (const npa of ${JSON.stringify(npas)}) if (set.registries[0].has(npa, 5550200)) listed += 1;
      process.stdout.write(JSON.stringify({ listed, grown: process.memoryUsage().arrayBuffers - before }));
    `;
    const child = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    const { listed, grown } = JSON.parse(child.stdout) as { listed: number; grown: number };
    expect(listed).toBe(8);
    expect(grown).toBeLessThan(1.5 * 8 * 1_250_000);
  });

  it("half a million synthetic numbers over ten area codes (stdin, generated here) answer 400,000 random probes as a Set does", async () => {
    const dir = tempDir();
    // Half a million, not the registry's tens of millions: the code paths (streamed stdin, ten area
    // codes' sets, lookups) are the same at any size, and the 50M-number scrub is measured in
    // `npm run bench -- dnc`. At ten million this one test took 14 s of CPU (63 s in a full run).
    const TOTAL = 500_000;
    const AREA_CODES = [201, 212, 305, 312, 415, 512, 617, 702, 818, 917];
    // A multiplicative walk over 0…10^8-1 (odd multiplier, modulus 10^8 coprime with it) hits
    // distinct keys; key → area code index (key / 10^7) and its 7 digits.
    const keyAt = (i: number) => (i * 48_271 + 12_345) % 100_000_000;
    const reference = new Set<number>();
    const chunks = function* () {
      const LINES = 100_000;
      for (let start = 0; start < TOTAL; start += LINES) {
        const buffer = Buffer.allocUnsafe(LINES * 11);
        for (let i = 0; i < LINES; i += 1) {
          const key = keyAt(start + i);
          reference.add(key);
          writeRegistryLine(buffer, i * 11, AREA_CODES[(key / 10_000_000) | 0] as number, key % 10_000_000);
        }
        yield buffer;
      }
    };
    const summary = await importRegistry({
      dataDir: dir,
      registry: "national",
      files: ["-"],
      stdin: Readable.from(chunks()),
      mode: "full",
      asOf: "2026-11-01",
    });
    expect(summary.numbers).toBe(reference.size);
    const set = openDncRegistries(dir);
    const registry = set.registries[0];
    if (!registry) throw new Error("no registry");
    let seed = 7;
    let mismatches = 0;
    let hits = 0;
    for (let probe = 0; probe < 400_000; probe += 1) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      const key = seed % 100_000_000;
      const expected = reference.has(key);
      if (expected) hits += 1;
      if (registry.has(AREA_CODES[Math.floor(key / 10_000_000)] as number, key % 10_000_000) !== expected)
        mismatches += 1;
    }
    set.close();
    expect(mismatches).toBe(0);
    expect(hits).toBeGreaterThan(1000); // a two-hundredth of the space is listed: both answers are exercised
  });
});

describe("registry in the verdict", () => {
  const at = Date.parse("2026-11-20T17:00:00Z");
  const verdict = (
    registries: Array<{ registry: string; asOf: string; listed: boolean }>,
    consent: boolean | undefined,
  ) => engine.evaluate({ number: number("+12125550200"), atMs: at, consent, onDnc: false, registries });

  it("a listed number is refused with national_dnc (a state list: state_dnc_XX) unless consent is recorded", () => {
    expect(
      verdict([{ registry: "national", asOf: "2026-11-10", listed: true }], undefined).reasons.map(
        (r) => r.code,
      ),
    ).toEqual(["national_dnc", "no_consent"]);
    expect(
      verdict([{ registry: "TX", asOf: "2026-11-10", listed: true }], false).reasons.map((r) => r.code),
    ).toContain("state_dnc_TX");
    expect(verdict([{ registry: "national", asOf: "2026-11-10", listed: true }], true).allowed).toBe(true);
  });

  it("a copy more than 31 days old refuses every call, naming its date; 31 days is still fine", () => {
    const stale = verdict([{ registry: "national", asOf: "2026-10-19", listed: false }], true);
    expect(stale.allowed).toBe(false);
    expect(stale.nextAllowedAt).toBeNull();
    expect(stale.reasons).toMatchObject([
      { code: "dnc_registry_stale", citation: "16 CFR 310.4(b)(3)(iv); 47 CFR 64.1200(c)(2)" },
    ]);
    expect(stale.reasons[0]?.message).toContain("2026-10-19");
    expect(verdict([{ registry: "national", asOf: "2026-10-20", listed: false }], true).allowed).toBe(true);
  });
});

describe("crash safety and the CLI", () => {
  const CXO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/cxo.js");

  it("kill -9 during an import leaves the previous copy in use; the next import clears the leftovers", async () => {
    const dir = tempDir();
    const first = file(dir, "first.txt", "2125550200\n");
    await importRegistry({
      dataDir: dir,
      registry: "national",
      files: [first],
      mode: "full",
      asOf: "2026-11-01",
    });
    const child = spawn(
      process.execPath,
      [CXO, "compliance", "dnc", "import", "--registry", "national", "--as-of", "2026-11-02", "-"],
      { env: { PATH: process.env.PATH ?? "", CXO_DATA_DIR: dir }, stdio: ["pipe", "ignore", "pipe"] },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_code, signal) => resolve(signal)),
    );
    // Half a copy goes in (a different number), the stream stays open, then the process dies.
    child.stdin.write("2125550201\n".repeat(1000));
    const registryRoot = path.join(dir, "dnc-registry", "national");
    await waitUntil(() => readdirSync(registryRoot).filter((e) => e.startsWith("v-")).length >= 2, {
      what: "the second copy's directory",
      timeoutMs: 15_000,
      intervalMs: 25,
    });
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    expect(readdirSync(registryRoot).filter((e) => e.startsWith("v-"))).toHaveLength(2);
    expect(listed(dir, "+12125550200")).toEqual([true]);
    expect(listed(dir, "+12125550201")).toEqual([false]);

    // The CLI end to end: import, then `compliance check` refuses the listed number.
    const second = file(dir, "second.txt", "2125550202\n");
    const imported = await runCli(
      ["--json", "compliance", "dnc", "import", "--registry", "national", "--as-of", "2026-11-20", second],
      { CXO_DATA_DIR: dir },
    );
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({
      registry: "national",
      numbers: 1,
      asOf: "2026-11-20",
    });
    const versions = readdirSync(registryRoot).filter((e) => e.startsWith("v-"));
    expect(versions).toHaveLength(2); // the new copy and the one before it; the killed one is gone
    expect(readFileSync(path.join(registryRoot, "CURRENT"), "utf8").trim()).toBe(versions.sort().at(-1));
    const checked = await runCli(
      [
        "--json",
        "compliance",
        "check",
        "--phone",
        "+12125550202",
        "--consent",
        "no",
        "--at",
        "2026-11-21T16:00:00Z",
      ],
      { CXO_DATA_DIR: dir },
    );
    const doc = JSON.parse(checked.stdout);
    expect(doc.reasons.map((r: { code: string }) => r.code)).toContain("national_dnc");
    expect(doc.registries).toEqual([{ registry: "national", asOf: "2026-11-20", listed: true }]);
    expect(existsSync(path.join(registryRoot, "CURRENT"))).toBe(true);
  }, 120_000);
});
