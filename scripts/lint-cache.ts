// What `npm run lint` remembers between runs in one clone (issue 80: the suite's time). A check
// whose every input is byte for byte what it was at its last pass would pass again: TypeDoc
// rebuilding the API reference costs 12 s of CPU and the long-function scan 3 s, and most runs
// of `npm test` change no source (a test edited, a test re-run). The record lives under
// node_modules/.cache, so a clean clone (CI: `npm ci`) has none and runs every check in full.
// Only passes are recorded; a failing check runs again every time.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

export const CACHE_DIR = path.join("node_modules", ".cache", "cxo-lint");

/** Every file under `inputs` (files or directories, relative to the clone), sorted. */
function filesOf(inputs: readonly string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    if (!existsSync(input)) continue;
    if (!statSync(input).isDirectory()) {
      files.push(input);
      continue;
    }
    for (const entry of readdirSync(input, { recursive: true, withFileTypes: true }))
      if (entry.isFile()) files.push(path.join(entry.parentPath, entry.name));
  }
  return files.sort();
}

/** One digest of the command and of every input file's path and bytes. */
export function digestOf(command: readonly string[], inputs: readonly string[]): string {
  const hash = createHash("sha256").update(JSON.stringify([process.version, command]));
  for (const file of filesOf(inputs)) hash.update(`\0${file}\0`).update(readFileSync(file));
  return hash.digest("hex");
}

const recordOf = (name: string) => path.join(CACHE_DIR, `${name}.pass`);

/** Whether the check passed last with exactly these inputs. */
export function passedBefore(name: string, digest: string): boolean {
  try {
    return readFileSync(recordOf(name), "utf8") === digest;
  } catch {
    return false;
  }
}

export function recordPass(name: string, digest: string): void {
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(recordOf(name), digest);
}
