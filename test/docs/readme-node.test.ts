import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * Issue 20, item 14: the README said Node ≥ 20 while package.json's engines said ≥ 22.13 (and
 * npm ci warned EBADENGINE on 20). The requirement is stated once, and it is the engines range.
 */
const readme = readFileSync("README.md", "utf8");
const engines = (JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } }).engines
  .node;

describe("README: the Node.js requirement", () => {
  it("is stated exactly once, and equals package.json's engines", () => {
    const stated = [...readme.matchAll(/Node(?:\.js)?\s*(?:≥|>=)\s*(\d+(?:\.\d+)*)/g)].map((m) => m[1]);
    expect(stated).toHaveLength(1);
    expect(`>=${stated[0]}`).toBe(engines.replace(/\s/g, ""));
  });

  it("never claims an older Node works", () => {
    expect(readme).not.toMatch(/Node(?:\.js)? (?:is )?20\b|system Node is 20/);
  });
});
