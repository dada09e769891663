// `npm run build`: dist/ from src/ — JavaScript, declarations and source maps by tsc
// (tsconfig.build.json), then the files the code reads at run time next to it (dashboard
// assets, the compliance data tables) and the hand-written ambient declarations tsc does not
// copy. dist/ is removed first, so nothing from an earlier build lingers.
//
// A build whose inputs are those of the dist/ already there is skipped (`--force` builds anyway):
// `npm ci` builds through `prepare`, and `npm pack` builds again through `prepack` — the package
// test does both, and the second tsc run was ~14 s of CPU of the suite for the same bytes.
// The inputs are every file under src/, the tsconfigs, package.json, the lockfile (the declared
// types of the dependencies) and the compiler's version, hashed into
// node_modules/.cache/cxone-outbound/build-inputs (outside dist/, which is what the package ships).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const src = path.join(root, "src");
const dist = path.join(root, "dist");
/** Marker left in dist/ by a build that npm's `prepare` ran (see src/cli/bin.ts). */
const BUILT_BY_PREPARE = ".built-by-prepare";
/** The hash of the inputs dist/ was built from. */
const stamp = path.join(root, "node_modules", ".cache", "cxone-outbound", "build-inputs");

/** Every file under `dir`, sorted (so the hash does not depend on the directory's order). */
function filesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) found.push(...filesUnder(full));
    else found.push(full);
  }
  return found;
}

function inputsHash(): string {
  const hash = createHash("sha256");
  const inputs = [
    ...filesUnder(src),
    ...["tsconfig.json", "tsconfig.build.json", "package.json", "package-lock.json"].map((name) =>
      path.join(root, name),
    ),
    path.join(root, "node_modules", "typescript", "package.json"),
  ];
  for (const file of inputs) {
    if (!existsSync(file)) continue;
    hash.update(`${path.relative(root, file)}\0`);
    hash.update(readFileSync(file));
    hash.update("\0");
  }
  return hash.digest("hex");
}

const inputs = inputsHash();
const upToDate =
  existsSync(path.join(dist, "cli", "bin.js")) && existsSync(stamp) && readFileSync(stamp, "utf8") === inputs;
if (upToDate && !process.argv.includes("--force")) {
  // Nothing was built, so there is nothing for the next `cxo` run to report; and a marker left
  // by the `prepare` build before must not be packed (`npm pack` runs this through `prepack`).
  if (process.env.npm_lifecycle_event !== "prepare")
    rmSync(path.join(dist, BUILT_BY_PREPARE), { force: true });
  process.stderr.write(
    "cxone-outbound: dist/ is already built from these sources (npm run build -- --force rebuilds it)\n",
  );
  process.exit(0);
}

// Said on stderr: `npm ci` and `npx cxo` in a clone run this through the `prepare` script.
const started = performance.now();
process.stderr.write("cxone-outbound: building dist/ from src/ (tsc; about 5 s)…\n");
rmSync(dist, { recursive: true, force: true });
rmSync(stamp, { force: true });
// TypeScript 7's compiler by its path: `tsc` on PATH may be typedoc's TypeScript 5.9 (the
// `typedoc-typescript` alias installs a `tsc` too), which takes about 4 times as long. One
// checker thread: 4.4 s of CPU against 5.9 s with its default four, and less wall on 2 cores.
const tsc = spawnSync(
  process.execPath,
  [
    path.join(root, "node_modules", "typescript", "bin", "tsc"),
    "-p",
    path.join(root, "tsconfig.build.json"),
    "--singleThreaded",
  ],
  { stdio: "inherit" },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

// Every file under src/ that is not TypeScript source (or is a .d.ts tsc does not emit).
const assets = filesUnder(src).filter((file) => !file.endsWith(".ts") || file.endsWith(".d.ts"));
for (const file of assets) cpSync(file, path.join(dist, path.relative(src, file)));
chmodSync(path.join(dist, "cli", "bin.js"), 0o755);

// Built by npm's `prepare` (npm ci, or `npx cxo` in a clone, which installs the clone first):
// the next `cxo` run says so once, since npm hides a dependency's script output.
if (process.env.npm_lifecycle_event === "prepare") writeFileSync(path.join(dist, BUILT_BY_PREPARE), "");
// Last: a build stopped before this point is not taken for a finished one.
mkdirSync(path.dirname(stamp), { recursive: true });
writeFileSync(stamp, inputs);
process.stderr.write(
  `cxone-outbound: built dist/ in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
);
