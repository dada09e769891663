import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The reference docs state behaviour, not the tracker's history: "issue N" belongs in the
 * changelog fragments and in docs/notes/ (the clone's history, not shipped), not in README.md or
 * the pages of docs/ — docs/api/ included, which `npm run docs` makes from the sources' doc
 * comments. A few may stay (a quoted name); more than MAX means the habit is back.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const MAX = 20;
/** What `grep -o -i -E "issues? [0-9]+"` finds. */
const REFERENCE = /issues? [0-9]+/gi;

/** README.md and every Markdown file under docs/ but docs/notes/, relative to the root. */
function referencePages(): string[] {
  const docs = readdirSync(path.join(ROOT, "docs"), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".md"))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .filter((file) => !file.startsWith("docs/notes/"));
  return ["README.md", ...docs];
}

const countIn = (text: string) => text.match(REFERENCE)?.length ?? 0;

describe("issue numbers in the reference docs", () => {
  it("counts the way a reader would grep for them", () => {
    expect(countIn("Issue 79: x (issue 62 §3); issues 76, 77; issue #5")).toBe(3);
  });

  it(`stay at ${MAX} or fewer in README.md and docs/ outside docs/notes/`, () => {
    const pages = referencePages();
    expect(pages.some((p) => p.startsWith("docs/api/"))).toBe(true);
    const counts = pages
      .map((file) => ({ file, count: countIn(readFileSync(path.join(ROOT, file), "utf8")) }))
      .filter((c) => c.count > 0)
      .sort((a, b) => b.count - a.count || a.file.localeCompare(b.file));
    const total = counts.reduce((sum, c) => sum + c.count, 0);
    if (total > MAX) {
      const most = counts.slice(0, 10).map((c) => `  ${c.file}: ${c.count}`);
      expect.fail(
        `${total} "issue N" references (at most ${MAX}); state the behaviour instead, or move the` +
          ` history to docs/notes/. The files with the most:\n${most.join("\n")}`,
      );
    }
    expect(total).toBeLessThanOrEqual(MAX);
  });
});
