import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The source tree as the one-rule guards read it (test/core/one-*-rule.test.ts): each module under
 * src/ by its path inside src/, and its text.
 */
export const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src");

/** Every TypeScript module under src/, as a path inside src/ (`core/instant-input.ts`). */
export function srcModules(): string[] {
  return readdirSync(SRC, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => path.relative(SRC, path.join(entry.parentPath, entry.name)));
}

/** A module's text, by its path inside src/. */
export function srcText(name: string): string {
  return readFileSync(path.join(SRC, name), "utf8");
}

/**
 * What `found` finds in every module under src/ but the rule's `owners` (path prefixes) and the
 * `skip`ped ones, each hit as `src/<module>:<hit>`: a guard's copies of its rule.
 */
export function hitsOutside(
  owners: readonly string[],
  found: (name: string, text: string) => string[],
  skip: (name: string) => boolean = () => false,
): string[] {
  return srcModules()
    .filter((name) => !owners.some((owner) => name.startsWith(owner)) && !skip(name))
    .flatMap((name) => found(name, srcText(name)).map((hit) => `src/${name}:${hit}`));
}
