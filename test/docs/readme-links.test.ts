import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Issue 43: the README is the front door (at most 300 lines; the method notes live in docs/), and
 * every relative link in it and in the docs it ships with works where a user reads them: inside
 * the packed tarball. The file list is npm's own (npm-packlist, as `npm pack` makes it; else
 * `npm pack --dry-run`, scripts off; neither builds nor rewrites anything), so a link to a file
 * `files` in package.json leaves out fails here.
 */
const README_MAX_LINES = 300;

interface PackedFile {
  path: string;
}

/**
 * npm's own list maker (npm-packlist, which `npm pack` runs over the project), from the npm on
 * PATH. `npm pack --dry-run` gave the same list but compressed the whole tarball (18 MB of
 * dist/ and docs/) to report its size: ~6.5 s of CPU against ~2.5 s for the list alone.
 */
async function npmPacklist(): Promise<string[] | undefined> {
  const manifest = JSON.parse(readFileSync("package.json", "utf8")) as Record<string, unknown>;
  // Bundled dependencies come from the installed tree (Arborist's), which this does not load.
  if (manifest.bundleDependencies || manifest.bundledDependencies) return undefined;
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const npm = path.join(dir, "npm");
    if (!existsSync(npm)) continue;
    // bin/npm (or bin/npm-cli.js) inside npm's own package.
    const home = path.dirname(path.dirname(realpathSync(npm)));
    try {
      const packlist = createRequire(path.join(home, "package.json"))("npm-packlist") as (tree: {
        path: string;
        package: Record<string, unknown>;
        isProjectRoot: boolean;
        edgesOut: Map<string, unknown>;
      }) => Promise<string[]>;
      return await packlist({
        path: process.cwd(),
        package: manifest,
        isProjectRoot: true,
        edgesOut: new Map(),
      });
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * npm's file list. When dist/ is older than src/, the package test's `npm pack` (in another worker)
 * rebuilds it, and a listing made while dist/ is being rewritten can meet a file that just went
 * away: the listing is taken again (at most three times) rather than failing on that race.
 */
async function packedFiles(): Promise<string[]> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const listed = await npmPacklist();
      if (listed) return listed;
      const listing = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      });
      return (JSON.parse(listing) as [{ files: PackedFile[] }])[0].files.map((f) => f.path);
    } catch (error) {
      if (attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}
const packed = await packedFiles();
const shipped = new Set(packed);
const markdown = packed.filter((p) => p.endsWith(".md"));
/** Every directory of the tarball (a link may name one). */
const directories = new Set(
  packed.flatMap((p) =>
    p
      .split("/")
      .slice(0, -1)
      .map((_, i, parts) => parts.slice(0, i + 1).join("/")),
  ),
);

/** GitHub's heading anchors: lower case, punctuation other than `-` and `_` dropped, spaces to `-`. */
function slug(heading: string): string {
  return heading
    .replace(/`/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors a Markdown file offers: its headings (repeats numbered as GitHub does) and explicit ids. */
function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of withoutFences(text).split("\n")) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const base = slug(heading[1] ?? "");
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const id of line.matchAll(/<a (?:name|id)="([^"]+)"/g)) anchors.add(id[1] as string);
  }
  return anchors;
}

/** The text without fenced code blocks (where `#` starts no heading). */
function withoutFences(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
}

/** The text without code, fenced or inline, where `](…)` is not a link. */
function withoutCode(text: string): string {
  return withoutFences(text).replace(/`[^`\n]*`/g, "");
}

/** The targets of a file's inline links and images, relative ones only. */
function relativeLinks(text: string): string[] {
  const targets = [...withoutCode(text).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(
    (m) => m[1] as string,
  );
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

describe("the README and the docs, as packed", () => {
  it(`the README is a front door: at most ${README_MAX_LINES} lines`, () => {
    const lines = readFileSync("README.md", "utf8").trimEnd().split("\n").length;
    expect(lines).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it("ships the README and the docs pages", () => {
    expect(shipped.has("README.md")).toBe(true);
    expect(markdown.filter((p) => p.startsWith("docs/")).length).toBeGreaterThan(10);
  });

  it("every relative link (file and anchor) resolves inside the tarball", () => {
    const broken: string[] = [];
    const anchorCache = new Map<string, Set<string>>();
    const anchors = (file: string) => {
      const found = anchorCache.get(file) ?? anchorsOf(readFileSync(file, "utf8"));
      anchorCache.set(file, found);
      return found;
    };
    let checked = 0;
    for (const file of markdown) {
      for (const link of relativeLinks(readFileSync(file, "utf8"))) {
        checked++;
        const [target = "", anchor] = link.split("#");
        const resolved =
          target === "" ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), target));
        const isFile = shipped.has(resolved);
        const isDir = directories.has(resolved.replace(/\/$/, ""));
        if (!isFile && !isDir) {
          broken.push(`${file}: ${link} (no ${resolved} in the tarball)`);
          continue;
        }
        if (
          anchor &&
          isFile &&
          resolved.endsWith(".md") &&
          !anchors(resolved).has(decodeURIComponent(anchor))
        )
          broken.push(`${file}: ${link} (no heading #${anchor} in ${resolved})`);
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(broken).toEqual([]);
  });
});
