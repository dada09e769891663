import { describe, expect, it } from "vitest";
import { filesUnder, hitsOutside, isCode, SRC, srcText } from "../../../scripts/source-tree.ts";

/**
 * One clock handed in: every module reads the time through src/core/clock (`clockNowMs()`,
 * `clockNowDate()`: the clock of the client whose call it is, else the process's), never the
 * global `Date` by itself — so a clock given to createClient reaches every rule, freshness check
 * and timestamp of its calls. Only src/core/clock may read `Date.now` or make a `new Date()` of
 * now; the console's browser scripts (src/service/static) run in the browser, on its clock.
 */
const READS_NOW = [/(?<![\w.])Date\.now\b/, /new Date\(\s*\)/];

/** Who may read the global Date's now: the clock's folder, and the browser's scripts (the browser's clock). */
const OWNERS = ["core/clock/", "service/static/"];

/** Every code line of `file` (comments left out: they may name what they avoid) reading the global Date's now. */
function nowReads(file: string, text: string): string[] {
  return text.split("\n").flatMap((line, i) => {
    const code = /^\s*(\/\/|\*|\/\*)/.test(line) ? "" : line;
    return READS_NOW.some((pattern) => pattern.test(code)) ? [`${file}:${i + 1}: ${line.trim()}`] : [];
  });
}

describe("one clock", () => {
  it("no code file under src/ but core/clock and the browser's scripts reads the global Date's now", () => {
    // Every code file: the TypeScript modules and the console's browser JavaScript.
    const files = filesUnder(SRC, isCode);
    const readers = files.flatMap((file) => nowReads(file, srcText(file)));
    expect(readers.filter((hit) => !OWNERS.some((owner) => hit.startsWith(owner)))).toEqual([]);
    // Each owner still reads it (a stale owner would let a newcomer in unseen).
    expect(OWNERS.filter((owner) => !readers.some((hit) => hit.startsWith(owner)))).toEqual([]);
  });

  it("the clock's parts live in one folder: the Clock every waiting part takes, and systemClock, only in core/clock", () => {
    // Clock and systemClock once lived in core/http while the rest of the clock sat in core/clock.
    const declarations = hitsOutside(["core/clock/"], (_name, text) =>
      [...text.matchAll(/^export (?:interface|type) Clock\b|^export const systemClock\b/gm)].map(
        (match) => match[0],
      ),
    );
    expect(declarations).toEqual([]);
    expect(srcText("core/clock/clock.ts")).toMatch(/^export interface Clock\b/m);
    expect(srcText("core/clock/clock.ts")).toMatch(/^export const systemClock\b/m);
  });
});
