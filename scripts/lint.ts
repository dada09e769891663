// `npm run lint`: the checks, run at once rather than one after another (they share nothing,
// and tsc and the API reference check each keep one core busy for several seconds: about 12 s
// in a row, about 7 s side by side on a 2-core machine). Each check's output is printed whole,
// in this order, once it has finished; the exit code is the first failing check's, else 0.
import { spawn } from "node:child_process";
import path from "node:path";
import { writeDocsBlocks } from "./docs-blocks.ts";
import { CACHE_DIR, digestOf, passedBefore, recordPass } from "./lint-cache.ts";

const node = process.execPath;
/**
 * tsc's incremental record of its last program (under node_modules/.cache: a clean clone has
 * none): a run that changed a few files re-checks what they reach, not the whole program (12 s
 * of CPU → 2 s for an unchanged tree). TypeScript keys it on every file's text and the options.
 */
const incremental = (name: string) => [
  "--incremental",
  "--tsBuildInfoFile",
  path.join(CACHE_DIR, `${name}.tsbuildinfo`),
];
/** `inputs`: a check that passed last with these files unchanged is not run again (lint-cache.ts). */
const checks: Array<{ name: string; command: string; args: string[]; inputs?: string[] }> = [
  { name: "biome", command: node, args: ["node_modules/@biomejs/biome/bin/biome", "check", "."] },
  // TypeScript 7 by path: node_modules/.bin/tsc is typedoc's TypeScript 5.9. Its program
  // includes the docs' blocks (scripts/docs-blocks.ts). One checker thread: TypeScript 7's
  // default four each build their own view of the shared types, and beside the other checks on
  // two cores that cost 6.1 s of CPU and 7.5 s of wall against 4.2 s and 4.6 s (issue 68 §6).
  {
    name: "tsc",
    command: node,
    args: ["node_modules/typescript/bin/tsc", "-p", ".", "--singleThreaded", ...incremental("tsc")],
  },
  // The board's browser modules, checked from their JSDoc (src/service/static/tsconfig.json).
  {
    name: "tsc-static",
    command: node,
    args: [
      "node_modules/typescript/bin/tsc",
      "-p",
      "src/service/static",
      "--singleThreaded",
      ...incremental("tsc-static"),
    ],
  },
  // TypeDoc reads src/ through tsconfig.build.json, with the versions the lockfile pins.
  {
    name: "api-docs",
    command: node,
    args: ["scripts/api-docs.ts", "--check"],
    inputs: [
      "src",
      "docs/api",
      "scripts/api-docs.ts",
      "tsconfig.json",
      "tsconfig.build.json",
      "package-lock.json",
    ],
  },
  { name: "settings-layout", command: node, args: ["scripts/settings-layout.ts", "--check"] },
  // No function over 120 lines in src/ but those scripts/long-functions.json allows (may only shrink).
  {
    name: "long-functions",
    command: node,
    args: ["scripts/long-functions.ts", "--check"],
    inputs: [
      "src",
      "scripts/long-functions.ts",
      "scripts/long-functions.json",
      "scripts/source-tree.ts",
      "package-lock.json",
    ],
  },
  // No code file over 600 lines and no class over 400 in src/ but those scripts/sizes.json allows (may only shrink).
  { name: "sizes", command: node, args: ["scripts/sizes.ts", "--check"] },
];

// The README's and docs' TypeScript blocks join tsc's program (docs-check/, in tsconfig.json).
writeDocsBlocks();

const runs = checks.map(
  (check) =>
    new Promise<{ code: number; output: string }>((resolve) => {
      const digest = check.inputs ? digestOf(check.args, check.inputs) : undefined;
      if (digest && passedBefore(check.name, digest)) {
        resolve({ code: 0, output: "(its inputs are unchanged since it last passed: not run again)\n" });
        return;
      }
      const done = (result: { code: number; output: string }) => {
        if (digest && result.code === 0) recordPass(check.name, digest);
        resolve(result);
      };
      const child = spawn(check.command, check.args, { stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.on("error", (error) => done({ code: 1, output: `${output}${error.message}\n` }));
      child.on("close", (code, signal) => done({ code: code ?? (signal ? 1 : 0), output }));
    }),
);

let exitCode = 0;
for (const [i, run] of runs.entries()) {
  const { code, output } = await run;
  const check = checks[i] as (typeof checks)[number];
  process.stdout.write(`> ${check.name}: ${code === 0 ? "ok" : `failed (exit ${code})`}\n${output}`);
  if (code !== 0 && exitCode === 0) exitCode = code;
}
process.exitCode = exitCode;
