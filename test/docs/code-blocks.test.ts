import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";

/**
 * Issue 52 §5: docs that are checked. Every TypeScript block of README.md and docs/*.md is
 * extracted and type-checked against the package's own types (its entry points mapped onto
 * src/), all in one tsc program. A block may be preceded by an HTML comment
 * `<!-- docs-check: … -->` (invisible on the rendered page) whose TypeScript declares what the
 * fragment takes from its surroundings (`declare const cxo: CxoneClient;`). Blocks whose fence
 * says `ts runnable` also run against the emulator, as the README's example does.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// TypeScript 7, the project's compiler (node_modules/.bin/tsc may be typedoc's TypeScript 5.9).
const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");

interface Block {
  /** Where it is: `docs/sdk.md:25`. */
  where: string;
  code: string;
  runnable: boolean;
}

/** The ts blocks of one Markdown file, each with its docs-check context prepended. */
function blocksOf(file: string): Block[] {
  const lines = readFileSync(path.join(ROOT, file), "utf8").split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)```(ts|typescript)(\s+runnable)?\s*$/.exec(lines[i] ?? "");
    if (!fence) continue;
    const indent = fence[1]?.length ?? 0;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j] ?? ""); j++)
      body.push((lines[j] ?? "").slice(indent));
    // The context comment: the lines just above the fence, `<!-- docs-check: … -->`.
    const above = lines.slice(Math.max(0, i - 12), i).join("\n");
    const context = /<!--\s*docs-check:([\s\S]*?)-->\s*$/.exec(above)?.[1] ?? "";
    blocks.push({
      where: `${file}:${i + 1}`,
      code: `${context.trim()}\n${body.join("\n")}\n`,
      runnable: fence[3] !== undefined,
    });
    i = j;
  }
  return blocks;
}

const MARKDOWN = [
  "README.md",
  ...readdirSync(path.join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];
const BLOCKS = MARKDOWN.flatMap(blocksOf);

/** The package's entry points, as a consumer imports them, mapped onto the sources. */
const ENTRY_POINTS: Record<string, string> = {
  "cxone-outbound": "src/index.ts",
  "cxone-outbound/emulator": "src/emulator/index.ts",
  "cxone-outbound/service": "src/service/index.ts",
  "cxone-outbound/internal": "src/internal.ts",
};

/** A block's file name in the check's directory: `docs-sdk.md-25.ts`. */
const fileOf = (block: Block) => `${block.where.replace(/[/:]/g, "-")}.ts`;

/** Repository-relative imports (`./src/…` as written from the repository's root) made absolute. */
const withAbsoluteImports = (code: string) =>
  code.replace(
    /(from\s+|import\()"\.\/(src\/[^"]+)"/g,
    (_m, head: string, rest: string) => `${head}${JSON.stringify(path.join(ROOT, rest))}`,
  );

describe("TypeScript in README.md and docs/*.md", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "cxo-docs-check-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("finds the blocks (README's example, the SDK page's)", () => {
    expect(BLOCKS.map((b) => b.where)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^README\.md:/),
        expect.stringMatching(/^docs\/sdk\.md:/),
      ]),
    );
    expect(BLOCKS.some((b) => b.runnable)).toBe(true);
  });

  it("every block compiles against the package's types (one tsc program)", () => {
    for (const block of BLOCKS) writeFileSync(path.join(dir, fileOf(block)), withAbsoluteImports(block.code));
    const paths = Object.fromEntries(
      Object.entries(ENTRY_POINTS).map(([name, file]) => [name, [path.join(ROOT, file)]]),
    );
    writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "es2023",
          lib: ["es2023"],
          module: "nodenext",
          moduleResolution: "nodenext",
          types: ["node"],
          typeRoots: [path.join(ROOT, "node_modules", "@types")],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          allowImportingTsExtensions: true,
          resolveJsonModule: true,
          paths,
        },
        // The ambient declarations src/ compiles with (a dependency without its own types).
        files: [...BLOCKS.map(fileOf), path.join(ROOT, "src", "outcomes", "tdigest.d.ts")],
      }),
    );
    // package.json "type": "module", so each block is an ES module (top-level await).
    writeFileSync(path.join(dir, "package.json"), '{ "type": "module" }');
    const run = spawnSync(process.execPath, [TSC, "-p", dir], { encoding: "utf8", cwd: dir });
    // Errors name the block (its Markdown file and line) and the line within it.
    const errors = `${run.stdout}${run.stderr}`
      .split("\n")
      .filter((line) => /error TS/.test(line) && !line.startsWith(ROOT));
    expect(errors).toEqual([]);
    expect(run.status, run.stdout).toBe(0);
  }, 120_000);
});

describe("the runnable blocks run against the emulator", () => {
  let emulator: RunningEmulator;
  const dir = mkdtempSync(path.join(ROOT, ".docs-run-"));
  beforeAll(async () => {
    emulator = (await startEmulator({ port: 0, calls: 50 })) as RunningEmulator;
  });
  afterAll(async () => {
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Resolves the package's entry points onto the sources (a consumer gets dist/ instead). */
  const HOOK = `data:text/javascript,${encodeURIComponent(`
    import { registerHooks, } from "node:module";
    import { pathToFileURL } from "node:url";
    const entries = ${JSON.stringify(
      Object.fromEntries(Object.entries(ENTRY_POINTS).map(([k, v]) => [k, path.join(ROOT, v)])),
    )};
    registerHooks({
      resolve(specifier, context, next) {
        const file = entries[specifier];
        return file ? { url: pathToFileURL(file).href, shortCircuit: true } : next(specifier, context);
      },
    });
  `)}`;

  for (const block of BLOCKS.filter((b) => b.runnable))
    it(`${block.where} runs to the end`, async () => {
      const file = path.join(dir, fileOf(block));
      writeFileSync(file, withAbsoluteImports(block.code));
      const admin = emulator.fixtures.clients[0]!;
      const campaign = emulator.fixtures.campaigns[0]!;
      // Not spawnSync: the emulator answers from this process, which must keep running.
      const run = await new Promise<{ status: number; output: string }>((resolve) => {
        execFile(
          process.execPath,
          ["--import", HOOK, file, campaign.id],
          {
            encoding: "utf8",
            cwd: dir,
            timeout: 60_000,
            env: {
              ...process.env,
              CXONE_BASE_URL: emulator.url,
              CXONE_CLIENT_ID: admin.clientId,
              CXONE_CLIENT_SECRET: admin.clientSecret,
              CXO_DATA_DIR: path.join(dir, `.cxo-${fileOf(block)}`),
            },
          },
          (error, stdout, stderr) => resolve({ status: error ? 1 : 0, output: `${stdout}\n${stderr}` }),
        );
      });
      expect(run.status, run.output).toBe(0);
    }, 90_000);
});
