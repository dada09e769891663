import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  blockFileName,
  DOCS_CHECK_DIR,
  docsBlocks,
  withAbsoluteImports,
  writeDocsBlocks,
} from "../../scripts/docs-blocks.ts";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";

/**
 * Issue 52 §5: docs that are checked. Every TypeScript block of README.md and docs/*.md is
 * type-checked in lint's tsc program (scripts/docs-blocks.ts writes them to docs-check/, which
 * tsconfig.json includes, with the package's entry points mapped onto src/); here, that the
 * blocks are found and written where tsc reads them, and that the runnable ones run.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BLOCKS = docsBlocks();

/** The package's entry points, as a consumer imports them, mapped onto the sources. */
const ENTRY_POINTS: Record<string, string> = {
  "cxone-outbound": "src/index.ts",
  "cxone-outbound/emulator": "src/emulator/index.ts",
  "cxone-outbound/service": "src/service/index.ts",
  "cxone-outbound/internal": "src/internal.ts",
};

describe("TypeScript in README.md and docs/*.md", () => {
  it("finds the blocks (README's example, the SDK page's)", () => {
    expect(BLOCKS.map((b) => b.where)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^README\.md:/),
        expect.stringMatching(/^docs\/sdk\.md:/),
      ]),
    );
    expect(BLOCKS.some((b) => b.runnable)).toBe(true);
  });

  it("writes every block, with its context, where lint's tsc program reads it", () => {
    expect(writeDocsBlocks()).toBe(BLOCKS.length);
    expect(readdirSync(DOCS_CHECK_DIR).sort()).toEqual(BLOCKS.map(blockFileName).sort());
    for (const block of BLOCKS) {
      const written = readFileSync(path.join(DOCS_CHECK_DIR, blockFileName(block)), "utf8");
      expect(written.split("\n")[0]).toContain(block.where);
      expect(written).toContain(withAbsoluteImports(block.code));
    }
    // tsconfig.json (JSON with comments) takes the directory in and maps the entry points.
    const tsconfig = readFileSync(path.join(ROOT, "tsconfig.json"), "utf8");
    expect(tsconfig).toMatch(/"include":\s*\[[^\]]*"docs-check"/);
    for (const [name, file] of Object.entries(ENTRY_POINTS))
      expect(tsconfig).toContain(`"${name}": ["./${file}"]`);
  });
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
      const file = path.join(dir, blockFileName(block));
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
              CXO_DATA_DIR: path.join(dir, `.cxo-${blockFileName(block)}`),
            },
          },
          (error, stdout, stderr) => resolve({ status: error ? 1 : 0, output: `${stdout}\n${stderr}` }),
        );
      });
      expect(run.status, run.output).toBe(0);
    }, 90_000);
});
