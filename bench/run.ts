import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BenchRow, BenchSuite } from "./types.ts";

/**
 * `npm run bench`: runs every `bench/*.bench.ts` suite (each default-exports a BenchSuite) one
 * after the other, so they do not compete for the 2 cores, and prints one table (markdown, ready
 * for the README) plus `bench/out/results.json`. `npm run bench -- http` runs suites whose file
 * name contains "http". `npm run bench -- week …` is the week bench (bench/week/main.ts).
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
// `npm run bench -- week [--scenario FILE] [--out DIR] [--json]` (issue 91 §3): its own options and output.
if (filter === "week") {
  const { main } = await import("./week/main.ts");
  process.exit(await main(process.argv.slice(2)));
}
const files = readdirSync(here)
  .filter((name) => name.endsWith(".bench.ts") && (!filter || name.includes(filter)))
  .sort();

const rows: BenchRow[] = [];
for (const file of files) {
  process.stderr.write(`bench: ${file}\n`);
  const suite = (await import(pathToFileURL(path.join(here, file)).href)).default as BenchSuite;
  rows.push(...(await suite()));
}

const format = (value: number | undefined): string =>
  value === undefined ? "" : Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);

const lines = [
  "| suite | metric | ours | baseline | target | met |",
  "|---|---|---|---|---|---|",
  ...rows.map(
    (row) =>
      `| ${row.suite} | ${row.metric} (${row.unit}) | ${format(row.ours)} | ${
        row.baseline === undefined ? "" : `${format(row.baseline)} (${row.baselineLabel ?? "baseline"})`
      } | ${row.target ?? ""} | ${row.met === undefined ? "" : row.met ? "yes" : "NO"} |`,
  ),
];
process.stdout.write(`${lines.join("\n")}\n`);

const { mkdirSync, writeFileSync } = await import("node:fs");
mkdirSync(path.join(here, "out"), { recursive: true });
writeFileSync(
  path.join(here, "out", "results.json"),
  `${JSON.stringify({ at: new Date().toISOString(), rows }, null, 2)}\n`,
);
process.exit(0);
