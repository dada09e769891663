import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Issue 80 §3: the README's map of the source tree names every folder under src/ (it had lost
 * callerid/, consent/ and the abandonment ledger), so a reader finds each capability from it.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

describe("the README's architecture map", () => {
  it("names every folder under src/ and under src/dialer/", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const map = readme.slice(readme.indexOf("## Architecture"), readme.indexOf("## Development"));
    const folders = (dir: string) =>
      readdirSync(path.join(ROOT, dir), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name);
    const missing = [...folders("src"), ...folders("src/dialer")].filter(
      (name) => !new RegExp(`(^|\\s)${name}/`, "m").test(map),
    );
    expect(missing).toEqual([]);
  });
});
