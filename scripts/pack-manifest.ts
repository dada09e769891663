// `npm pack` / `npm publish` hooks: the published package.json must not carry the clone's
// `prepare` script (it builds dist/ from src/, which the tarball does not ship, and npm 11 warns
// about any package with install scripts). `prepack` (after the build) saves package.json and
// writes it without `prepare`; `postpack` puts the saved one back.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const manifest = path.join(root, "package.json");
const saved = path.join(root, "package.json.prepack");

const step = process.argv[2];
if (step === "strip") {
  const text = readFileSync(manifest, "utf8");
  if (!existsSync(saved)) writeFileSync(saved, text);
  const pkg = JSON.parse(text);
  delete pkg.scripts.prepare;
  writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
} else if (step === "restore") {
  if (existsSync(saved)) renameSync(saved, manifest);
} else {
  process.stderr.write("usage: node scripts/pack-manifest.ts strip|restore\n");
  process.exit(2);
}
