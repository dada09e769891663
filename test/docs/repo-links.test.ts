import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Issue 50 §6: every relative link in README.md and docs/ resolves to a file inside the
 * repository: Markdown links, and paths written as code that climb (`../…`), which a reader
 * follows the same way. (readme-links.test.ts checks the links inside the packed tarball.)
 */
const ROOT = path.resolve(import.meta.dirname, "../..");

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".md"))
    .map((e) => path.join(e.parentPath, e.name));
}

const withoutFences = (text: string) => text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");

/** Relative Markdown link targets (no scheme, no pure anchor), outside code. */
function linkTargets(text: string): string[] {
  const prose = withoutFences(text).replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)]
    .map((m) => (m[1] as string).split("#")[0] as string)
    .filter((t) => t !== "" && !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

/** Paths written as inline code that climb out of the file's directory (`../x/y.md`). */
function climbingCodePaths(text: string): string[] {
  return [...withoutFences(text).matchAll(/`(\.\.\/[^`\s]+)`/g)].map((m) => m[1] as string);
}

describe("relative links in README.md and docs/", () => {
  const files = [path.join(ROOT, "README.md"), ...markdownFiles(path.join(ROOT, "docs"))];

  it("resolve to a file or directory inside the repository", () => {
    const broken: string[] = [];
    let checked = 0;
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const target of [...linkTargets(text), ...climbingCodePaths(text)]) {
        checked++;
        const resolved = path.resolve(path.dirname(file), decodeURIComponent(target));
        const where = `${path.relative(ROOT, file)}: ${target}`;
        if (!resolved.startsWith(`${ROOT}${path.sep}`)) broken.push(`${where} (outside the repository)`);
        else if (!existsSync(resolved)) broken.push(`${where} (no ${path.relative(ROOT, resolved)})`);
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(broken).toEqual([]);
  });

  it("no table row of docs/ is garbled (every row has its header's cell count)", () => {
    const garbled: string[] = [];
    for (const file of files) {
      const lines = withoutFences(readFileSync(file, "utf8")).split("\n");
      let cells = 0;
      for (const line of lines) {
        if (!line.startsWith("|")) {
          cells = 0;
          continue;
        }
        // GitHub splits a row on every unescaped |, inside inline code too (write \| there).
        const count = line.replace(/\\\|/g, "x").split("|").length - 2;
        if (cells === 0) cells = count;
        else if (count !== cells)
          garbled.push(
            `${path.relative(ROOT, file)}: ${line.slice(0, 80)} (${count} cells, header ${cells})`,
          );
      }
    }
    expect(garbled).toEqual([]);
  });
});
