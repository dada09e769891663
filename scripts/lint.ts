// `npm run lint`: the checks, run at once rather than one after another (they share nothing,
// and tsc and the API reference check each keep one core busy for several seconds: about 12 s
// in a row, about 7 s side by side on a 2-core machine). Each check's output is printed whole,
// in this order, once it has finished; the exit code is the first failing check's, else 0.
import { spawn } from "node:child_process";
import { writeDocsBlocks } from "./docs-blocks.ts";

const node = process.execPath;
const checks: Array<{ name: string; command: string; args: string[] }> = [
  { name: "biome", command: node, args: ["node_modules/@biomejs/biome/bin/biome", "check", "."] },
  // TypeScript 7 by path: node_modules/.bin/tsc is typedoc's TypeScript 5.9. Its program
  // includes the docs' blocks (scripts/docs-blocks.ts). One checker thread: TypeScript 7's
  // default four each build their own view of the shared types, and beside the other checks on
  // two cores that cost 6.1 s of CPU and 7.5 s of wall against 4.2 s and 4.6 s (issue 68 §6).
  { name: "tsc", command: node, args: ["node_modules/typescript/bin/tsc", "-p", ".", "--singleThreaded"] },
  // The board's browser modules, checked from their JSDoc (src/service/static/tsconfig.json).
  {
    name: "tsc-static",
    command: node,
    args: ["node_modules/typescript/bin/tsc", "-p", "src/service/static", "--singleThreaded"],
  },
  { name: "api-docs", command: node, args: ["scripts/api-docs.ts", "--check"] },
  { name: "settings-layout", command: node, args: ["scripts/settings-layout.ts", "--check"] },
  // No function over 120 lines in src/ but those scripts/long-functions.json allows (may only shrink).
  { name: "long-functions", command: node, args: ["scripts/long-functions.ts", "--check"] },
  // No file over 600 lines and no class over 400 in src/dialer/pacing/ (the controller by rule).
  { name: "pacing-sizes", command: node, args: ["scripts/pacing-sizes.ts", "--check"] },
];

// The README's and docs' TypeScript blocks join tsc's program (docs-check/, in tsconfig.json).
writeDocsBlocks();

const runs = checks.map(
  (check) =>
    new Promise<{ code: number; output: string }>((resolve) => {
      const child = spawn(check.command, check.args, { stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.on("error", (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
      child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
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
