// `npm pack` / `npm publish` hooks: the published package.json must not carry the clone's
// `prepare` script (it builds dist/ from src/, which the tarball does not ship, and npm 11 warns
// about any package with install scripts). `prepack` (after the build) saves package.json and
// writes it without `prepare`; `postpack` puts the saved one back.
//
// Both replace package.json by a RENAME, never by rewriting it in place: every `cxo` run from the
// clone (and Node itself, for the module type) reads package.json as it starts, and the package
// test runs `npm pack` while other tests start `cxo` processes. An in-place write (truncate, then
// write) let one of them read an empty file: issue 54's "restarted `cxo serve` exited with
// `error: Unexpected end of JSON input`" (test/package/pack-manifest.test.ts).
import { existsSync, readFileSync, renameSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type FileKind, writeFileSafely } from "../src/core/safe-write.ts";

const MANIFEST: FileKind = {
  name: "package manifest of cxone-outbound",
  recognise: (head) => /"name":\s*"cxone-outbound"/.test(head),
};

function writeManifest(file: string, text: string, mode: number): void {
  writeFileSafely(file, text, { field: "package.json", kind: MANIFEST, mode });
}

/** Saves `root`/package.json (once) and replaces it with a copy without `scripts.prepare`. */
export function stripPrepare(root: string): void {
  const manifest = path.join(root, "package.json");
  const saved = path.join(root, "package.json.prepack");
  const text = readFileSync(manifest, "utf8");
  const mode = statSync(manifest).mode & 0o777;
  if (!existsSync(saved)) writeManifest(saved, text, mode);
  const pkg = JSON.parse(text);
  delete pkg.scripts.prepare;
  writeManifest(manifest, `${JSON.stringify(pkg, null, 2)}\n`, mode);
}

/** Puts the saved package.json back (a rename), if one was saved. */
export function restoreManifest(root: string): void {
  const saved = path.join(root, "package.json.prepack");
  if (existsSync(saved)) renameSync(saved, path.join(root, "package.json"));
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] && path.resolve(process.argv[1]) === self) {
  const root = path.resolve(path.dirname(self), "..");
  const step = process.argv[2];
  if (step === "strip") stripPrepare(root);
  else if (step === "restore") restoreManifest(root);
  else {
    process.stderr.write("usage: node scripts/pack-manifest.ts strip|restore\n");
    process.exit(2);
  }
}
