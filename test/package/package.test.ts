import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import { adminCall } from "../support/emulator-admin.ts";

/**
 * The package as a user gets it: `npm pack` (which builds dist/), the tarball installed into an
 * empty project from the npm cache only (no network), then its CLI, a strict TypeScript consumer,
 * a plain .mjs consumer, the SDK examples and the README's library example — all against the
 * emulator. Packed and installed once for the whole file.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// TypeScript 7, the project's compiler (node_modules/.bin/tsc may be typedoc's TypeScript 5.9).
const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
const NODE = process.execPath;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      // Only the machine's basics plus `env`: nothing of this repository's settings leaks in.
      env: {
        PATH: `${path.dirname(NODE)}:${process.env.PATH ?? ""}`,
        HOME: process.env.HOME ?? "/tmp",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The README's "Use it as a library" program (the first ts block of that section). */
function readmeExample(): string {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.split(/^## /m).find((s) => s.startsWith("Use it as a library"));
  const block = section && /```ts(?: runnable)?\n([\s\S]*?)```/.exec(section);
  if (!block?.[1]) throw new Error('README.md has no ```ts block under "## Use it as a library"');
  return block[1];
}

describe("the packed package, installed from its tarball", () => {
  const work = mkdtempSync(path.join(tmpdir(), "cxo-package-"));
  const project = path.join(work, "consumer");
  let emulator: RunningEmulator;
  let env: Record<string, string>;

  beforeAll(async () => {
    // Pack (prepare builds dist/) while the emulator starts.
    const [packed, emu] = await Promise.all([
      run("npm", ["pack", "--json", "--pack-destination", work], ROOT),
      startEmulator({ port: 0, calls: 2000 }),
    ]);
    emulator = emu;
    expect(packed.code, packed.stderr).toBe(0);
    const tarball = path.join(work, JSON.parse(packed.stdout)[0].filename);

    mkdirSync(project);
    writeConsumer(project, path.basename(tarball), JSON.parse(packed.stdout)[0].integrity);
    // npm ci from a lockfile fetches every tarball by its integrity: from the cache, offline.
    const installed = await run(
      "npm",
      ["ci", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"],
      project,
    );
    expect(installed.code, installed.stderr).toBe(0);

    const admin = emulator.fixtures.clients[0]!;
    env = {
      CXONE_BASE_URL: emulator.url,
      CXONE_CLIENT_ID: admin.clientId,
      CXONE_CLIENT_SECRET: admin.clientSecret,
      CXO_DATA_DIR: path.join(project, ".cxo"),
    };

    // The TypeScript consumers: the SDK examples, the README's example and type tests, compiled
    // once with --strict --module nodenext (declarations of every dependency checked too).
    const src = path.join(project, "src");
    cpSync(path.join(ROOT, "examples", "sdk"), src, { recursive: true });
    writeFileSync(path.join(src, "readme-example.ts"), readmeExample());
    cpSync(path.join(ROOT, "test", "package", "fixtures", "types.ts"), path.join(src, "types.ts"));
  }, 300_000);

  afterAll(async () => {
    await emulator?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("ships dist/ (JS, declarations, source maps, run-time data) and examples, not the TypeScript sources", () => {
    const pkg = path.join(project, "node_modules", "cxone-outbound");
    for (const file of [
      "dist/index.js",
      "dist/index.d.ts",
      "dist/index.js.map",
      "dist/cli/bin.js",
      "dist/emulator/index.d.ts",
      "dist/service/static/index.html",
      "dist/compliance/data/NOTICE.md",
      "examples/dialer.yaml",
    ])
      expect(existsSync(path.join(pkg, file)), file).toBe(true);
    expect(existsSync(path.join(pkg, "src"))).toBe(false);
    expect(existsSync(path.join(pkg, "test"))).toBe(false);
    // Issue 80 §1: no experiments, patches, work logs or bench-only modules in the package.
    const shipped = (readdirSync(pkg, { recursive: true }) as string[]).map((f) =>
      f.split(path.sep).join("/"),
    );
    expect(
      shipped.filter((f) =>
        /^docs\/(notes|experiments)\/|\.patch$|^bench\/|(^|\/)(callerid\/simulate|pacing-bench\/(variants|ledger-calibration|twin-check))\./.test(
          f,
        ),
      ),
    ).toEqual([]);
    // No install script: the clone's `prepare` (a build from src/) is stripped at pack time.
    const manifest = JSON.parse(readFileSync(path.join(pkg, "package.json"), "utf8"));
    expect(manifest.scripts?.prepare).toBeUndefined();
    expect(manifest.exports["./internal"]).toBeDefined();
    expect(existsSync(path.join(pkg, "dist", ".built-by-prepare"))).toBe(false);
    // Every docs/ page the README links to ships with it.
    const readme = readFileSync(path.join(pkg, "README.md"), "utf8");
    const linked = [...readme.matchAll(/\]\((docs\/[^)#\s]*)/g)].map((m) => m[1] as string);
    expect(linked.length).toBeGreaterThan(5);
    for (const doc of linked) expect(existsSync(path.join(pkg, doc)), doc).toBe(true);
    // The docs import the package's entry points, never its sources.
    for (const doc of ["docs/emulator.md", "docs/emulator-cxone.md"])
      expect(readFileSync(path.join(pkg, doc), "utf8")).not.toMatch(/from "[^"]*src\//);
  });

  it("the service's declarations hold its documented members, not its internals", () => {
    const dts = readFileSync(
      path.join(project, "node_modules", "cxone-outbound", "dist", "service", "start-service.d.ts"),
      "utf8",
    );
    const body = (name: string) => {
      const found = new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`).exec(dts);
      expect(found, name).not.toBeNull();
      return found?.[1] ?? "";
    };
    const members = (name: string) =>
      [...body(name).matchAll(/^ {4}(\w+)\??[:(]/gm)].map((m) => m[1] as string).sort();
    expect(members("RunningService")).toEqual(["close", "host", "port", "url"]);
    expect(members("StartServiceOptions")).not.toContain("store");
    expect(members("StartServiceOptions")).toContain("settings");
    expect(dts).not.toMatch(/@internal/);
  });

  it("npx cxo --version and npx cxo compliance check --json work", async () => {
    const [version, check] = await Promise.all([
      run("npx", ["--offline", "--no-install", "cxo", "--version"], project),
      run(
        "npx",
        [
          "--offline",
          "--no-install",
          "cxo",
          "compliance",
          "check",
          "--phone",
          "+12125550123",
          "--at",
          "2026-03-02T03:00:00Z",
          "--json",
        ],
        project,
        { CXO_DATA_DIR: path.join(project, ".cxo-cli") },
      ),
    ]);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(
      JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version,
    );
    expect(check.code, check.stderr).toBe(0);
    const verdict = JSON.parse(check.stdout);
    expect(verdict.allowed).toBe(false);
    expect(verdict.reasons.map((r: { code: string }) => r.code)).toContain("outside_calling_hours");
  });

  it("a strict nodenext TypeScript consumer type-checks (and misuse does not)", async () => {
    const compiled = await run(
      TSC,
      [
        "--singleThreaded",
        "--strict",
        "--module",
        "nodenext",
        "--moduleResolution",
        "nodenext",
        "--target",
        "es2023",
        "--types",
        "node",
        "--outDir",
        "out",
        "--rootDir",
        "src",
        "src/tag-file.ts",
        "src/export-outcomes.ts",
        "src/guard-campaigns.ts",
        "src/readme-example.ts",
        "src/types.ts",
      ],
      project,
    );
    expect(compiled.stdout + compiled.stderr).toBe("");
    expect(compiled.code).toBe(0);
  }, 180_000); // tsc over every dependency's declarations: slow on a loaded machine

  it("a plain .mjs consumer runs the SDK and the emulator entry point", async () => {
    writeFileSync(
      path.join(project, "consumer.mjs"),
      `import { createClient, InputError } from "cxone-outbound";
import { startEmulator } from "cxone-outbound/emulator";
const emulator = await startEmulator({ port: 0, calls: 100 });
const admin = emulator.fixtures.clients[0];
const cxo = createClient({
  connection: { baseUrl: emulator.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
  dataDir: process.argv[2],
});
try {
  const codes = await cxo.dispositions.codes(emulator.fixtures.campaigns[0].id);
  const bad = await cxo.compliance.check({ phone: "nope" }).catch((e) => e);
  console.log(JSON.stringify({ codes: codes.codes.length, inputError: bad instanceof InputError }));
} finally {
  await cxo.close();
  await emulator.close();
}
`,
    );
    const result = await run(NODE, ["consumer.mjs", path.join(project, ".cxo-mjs")], project);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ codes: expect.any(Number), inputError: true });
    expect(JSON.parse(result.stdout).codes).toBeGreaterThan(0);
  });

  it("the SDK examples and the README's example run against the emulator", async () => {
    const out = path.join(project, "out");
    const f = emulator.fixtures;
    const campaign = f.campaigns[0]!;
    const code = campaign.dispositionCodes[0]!;
    const { calls } = (await adminCall(emulator.url, "GET", "/fixtures?calls=200")) as typeof f;
    const ofCampaign = calls.filter((c) => c.campaignId === campaign.id);
    const rows = ofCampaign
      .slice(0, 5)
      .map((c) => `${c.id},${code.id},${code.reasonCodes[0]?.id ?? ""},sdk-example,`);
    writeFileSync(
      path.join(project, "calls.csv"),
      `callId,dispositionCodeId,reasonCodeId,tags,notes\n${rows.join("\n")}\n`,
    );
    const readmeCall = ofCampaign[5]!.id;
    const pair = f.failoverPairs[0]!;
    await adminCall(emulator.url, "POST", `/campaigns/${pair.primaryId}/metrics`, {
      successRate: 0.02,
      callsInWindow: 200,
    });

    const [tagged, exported, readme] = await Promise.all([
      run(NODE, [path.join(out, "tag-file.js"), campaign.id, "calls.csv"], project, env),
      run(NODE, [path.join(out, "export-outcomes.js"), campaign.id, "outcomes.ndjson"], project, {
        ...env,
        CXO_DATA_DIR: path.join(project, ".cxo-export"),
      }),
      run(NODE, [path.join(out, "readme-example.js"), campaign.id, readmeCall, code.id], project, {
        ...env,
        CXO_DATA_DIR: path.join(project, ".cxo-readme"),
      }),
    ]);
    expect(tagged.code, tagged.stderr).toBe(0);
    expect(JSON.parse(tagged.stdout)).toEqual({ total: rows.length, succeeded: rows.length, invalid: 0 });
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout).complianceHash).toMatch(/^[0-9a-f]{64}$/);
    expect(readme.code, readme.stderr).toBe(0);
    expect(readme.stdout).toMatch(/^connected as /);
    expect(readme.stdout).toContain(`tagged ${readmeCall}`);

    // Two runs of the guard (from cron): the second consecutive breach fails over.
    const guard = () =>
      run(NODE, [path.join(out, "guard-campaigns.js"), pair.primaryId, pair.backupId], project, {
        ...env,
        CXO_DATA_DIR: path.join(project, ".cxo-guard"),
      });
    const first = await guard();
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ verdict: "breach", action: "none" });
    const second = await guard();
    expect(JSON.parse(second.stdout)).toMatchObject({ verdict: "breach", action: "failover" });
  });

  it.skipIf(!oldNode())("on Node older than 22.13 the CLI says what it needs, in one line", () => {
    const old = oldNode() as string;
    const result = spawnSync(
      old,
      [path.join(project, "node_modules", "cxone-outbound", "dist", "cli", "bin.js"), "--version"],
      { encoding: "utf8" },
    );
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/needs Node\.js 22\.13 or newer \(this is v\d+/);
  });

  it.skipIf(!oldNode())("on Node older than 22.13 importing the SDK says which Node it needs", () => {
    const old = oldNode() as string;
    for (const entry of ["cxone-outbound", "cxone-outbound/internal"]) {
      const result = spawnSync(
        old,
        [
          "--input-type=module",
          "-e",
          `import(${JSON.stringify(entry)}).catch((e) => console.error(e.message))`,
        ],
        { cwd: project, encoding: "utf8" },
      );
      expect(result.stderr.trim(), entry).toMatch(
        /^cxone-outbound needs Node\.js 22\.13 or newer \(this is v\d+[^)]*\); install a current Node\.js LTS\.$/,
      );
      expect(result.stderr).not.toContain("node:sqlite");
    }
  });
});

/**
 * An empty consumer project that depends on the tarball and @types/node, with a lockfile taken
 * from this repository's (the package's production dependencies, as resolved and verified here),
 * so `npm ci --offline` needs nothing but the npm cache.
 */
function writeConsumer(dir: string, tarball: string, integrity: string): void {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const lock = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));
  const entries = lock.packages as Record<string, Record<string, unknown>>;
  const typesNode = entries["node_modules/@types/node"] as { version: string };
  const dependencies = { "cxone-outbound": `file:../${tarball}`, "@types/node": typesNode.version };
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module", dependencies }),
  );
  const packages: Record<string, unknown> = {
    "": { name: "consumer", dependencies },
    "node_modules/cxone-outbound": {
      version: manifest.version,
      resolved: `file:../${tarball}`,
      integrity,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  const wanted = (key: string, entry: Record<string, unknown>) =>
    key !== "" &&
    !entry.link &&
    (!entry.dev || key === "node_modules/@types/node" || key === "node_modules/undici-types");
  for (const [key, entry] of Object.entries(entries))
    if (wanted(key, entry)) {
      const { dev: _dev, ...kept } = entry;
      packages[key] = kept;
    }
  writeFileSync(
    path.join(dir, "package-lock.json"),
    JSON.stringify({ name: "consumer", lockfileVersion: 3, requires: true, packages }),
  );
}

/** A `node` older than 22.13 on this machine (Debian's, say), if there is one. */
function oldNode(): string | undefined {
  for (const candidate of ["/usr/bin/node", "/usr/local/bin/node"]) {
    if (!existsSync(candidate)) continue;
    const version = execFileSync(candidate, ["--version"], { encoding: "utf8" }).trim();
    const [major = 0, minor = 0] = version.slice(1).split(".").map(Number);
    if (major < 22 || (major === 22 && minor < 13)) return candidate;
  }
  return undefined;
}
