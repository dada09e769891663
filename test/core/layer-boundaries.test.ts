import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * DESIGN.md's boundary: nothing below `cli/` knows a flag name. Capabilities, the SDK, core and
 * the service name bad input by their own fields (`agentId`, `file`, `accessToken`), and the CLI
 * maps those to the flags the user typed (src/cli/flag-names.ts).
 */
const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src");

/** Where flags legitimately live: the CLI, the settings loader's flag > env > file table, the demo (a CLI narration). */
const ALLOWED = ["cli/", "core/config/tree.ts", "demo/", "emulator/"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => path.relative(src, path.join(entry.parentPath, entry.name)));
}

/** The files under src/ that `file` imports (static and dynamic), as paths from src/. */
const importsOf = (file: string) =>
  [...readFileSync(path.join(src, file), "utf8").matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map(
    (match) => path.relative(src, path.resolve(path.dirname(path.join(src, file)), match[1] as string)),
  );

/**
 * A flag in a string literal of code (comments may mention flags: they explain the CLI's use).
 * A CSS custom property (`style="--c:#555"`) is not a flag: a name followed by `:` is left out.
 */
const FLAG_LITERAL = /["'`]--[a-z][a-z-]*(?![-a-z:])/;

describe("layer boundaries", () => {
  it("no module below src/cli names a CLI flag in its code", () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(src)) {
      if (ALLOWED.some((allowed) => file.startsWith(allowed))) continue;
      readFileSync(path.join(src, file), "utf8")
        .split("\n")
        .forEach((line, index) => {
          const code = line.trimStart();
          if (code.startsWith("//") || code.startsWith("*") || code.startsWith("/*")) return;
          if (FLAG_LITERAL.test(code)) offenders.push(`${file}:${index + 1}: ${code}`);
        });
    }
    expect(offenders).toEqual([]);
  });

  it("one line and row reader: node:readline and csv-parse are used by core/input-rows.ts only (issue 68 §5)", () => {
    // Every entry point of csv-parse counts (issue 80 §4: `csv-parse/sync` slipped through, and
    // pools-file.ts named a bad line 5 "row 3"). The emulators parse what a client uploads with
    // code of their own on purpose (they share nothing with the client they check).
    const readers = sourceFiles(src).filter(
      (file) =>
        !file.startsWith("emulator/") &&
        /from "node:readline"|createInterface\(|from "csv-parse(\/[a-z]+)?"|from "csv-parse\/lib/.test(
          readFileSync(path.join(src, file), "utf8"),
        ),
    );
    expect(readers).toEqual(["core/input-rows.ts"]);
  });

  it("one campaign-id pattern: core/ids.ts's ID_PATTERN, written nowhere else (issue 68 §5)", () => {
    const copies = sourceFiles(src).filter((file) =>
      /\[A-Za-z0-9\]\[A-Za-z0-9(_\.|\._):-\]\{0,127\}/.test(readFileSync(path.join(src, file), "utf8")),
    );
    expect(copies).toEqual(["core/ids.ts"]);
    // Issue 80 §4: and no other module defines an ID_PATTERN of its own (dispositions/rules.ts
    // had one that let an id start with `-`, `.` or `:`).
    const definitions = sourceFiles(src).filter((file) =>
      /\bID_PATTERN\s*=/.test(readFileSync(path.join(src, file), "utf8")),
    );
    expect(definitions).toEqual(["core/ids.ts"]);
    // And tested through one function (isId): a second test of the pattern is a second rule.
    const testers = sourceFiles(src).filter((file) =>
      /\bID_PATTERN\.test\(/.test(readFileSync(path.join(src, file), "utf8")),
    );
    expect(testers).toEqual(["core/ids.ts"]);
  });

  it("one skill-id rule: core/ids.ts's isSkillId, written nowhere else", () => {
    // A production campaign is a skill named by a whole number: the adapter's SKILL_ID, the
    // doctor's and the scheduled callbacks' own `/^\d+$/` were three renderings of it.
    const copies = sourceFiles(src)
      .filter((file) => !file.startsWith("emulator/"))
      .filter((file) => {
        const text = readFileSync(path.join(src, file), "utf8");
        return /\bSKILL_ID\b/.test(text) || /campaign[^\n]*\/\^\\d\+\$\//.test(text);
      });
    expect(copies).toEqual(["core/ids.ts"]);
  });

  it("one seller rule: core/config/seller.ts's sellerOf, written nowhere else", () => {
    // `consent.seller`, else the unit itself: written out in twelve places before, each a chance
    // for one reader to share revocations with units another reader does not.
    const copies = sourceFiles(src).filter((file) =>
      /consent\??\.seller \?\?/.test(readFileSync(path.join(src, file), "utf8")),
    );
    expect(copies).toEqual(["core/config/seller.ts"]);
    expect(readFileSync(path.join(src, "core/config/seller.ts"), "utf8")).toContain(
      "consent?.seller ?? unit",
    );
  });

  it("one rule for the seller's other units: core/config/seller.ts's sellerPeers, compared nowhere else", () => {
    // The CLI, createTenants, cxo serve and the consent fan-out each compared sellers of their
    // own: one place now, so no reader reaches units another does not.
    const comparers = sourceFiles(src).filter((file) =>
      /sellerOf\w*\(.*\)\s*[!=]==/.test(readFileSync(path.join(src, file), "utf8")),
    );
    expect(comparers).toEqual(["core/config/seller.ts"]);
  });

  it("the clock is one: nothing outside src/core/clock/ touches globalThis.Date", () => {
    // The process clock (CXO_CLOCK) is installed at the process entries through core/clock; a
    // module that patched or kept Date of its own would read another time than the rest.
    const offenders = sourceFiles(src)
      .filter((file) => !file.startsWith("core/clock/"))
      .filter((file) =>
        /globalThis\s*\.\s*Date\b|globalThis\[\s*["']Date["']\s*\]/.test(
          readFileSync(path.join(src, file), "utf8"),
        ),
      );
    expect(offenders).toEqual([]);
  });

  it("consent and compliance depend one way: nothing in src/consent/ imports src/compliance/", () => {
    // Compliance judges calls on what consent records (the ledger, accounts, grants, the CXone DNC
    // copy: blocked-numbers.ts and the checks read them). What judges the ledger by compliance's
    // rules (the consent report's deadlines, the sweep of revoked callbacks) lives in compliance.
    const upward = sourceFiles(src)
      .filter((file) => file.startsWith("consent/"))
      .flatMap((file) =>
        importsOf(file)
          .filter((target) => target.startsWith("compliance/"))
          .map((target) => `${file} imports ${target}`),
      );
    expect(upward).toEqual([]);
    // The other way is the one in use (the scan reads imports at all).
    expect(importsOf("compliance/blocked-numbers.ts")).toContain("consent/ledger-lookups.ts");
  });

  it("compliance is a room below the campaigns: neither it nor consent imports the rooms that use it", () => {
    // The campaigns, the strategy, the autopilot, the SDK, the service and the CLI ask compliance;
    // compliance answers from consent, the outcomes, the port and core. A record both read (the
    // campaigns this data dir created) stands below them all (core/store/known-campaigns.ts).
    const ABOVE = [
      "campaigns/",
      "strategy/",
      "autopilot/",
      "sdk/",
      "service/",
      "cli/",
      "demo/",
      "client.ts",
      "index.ts",
    ];
    const upward = sourceFiles(src)
      .filter((file) => file.startsWith("compliance/") || file.startsWith("consent/"))
      .flatMap((file) =>
        importsOf(file)
          .filter((target) => ABOVE.some((room) => target.startsWith(room)))
          .map((target) => `${file} imports ${target}`),
      );
    expect(upward).toEqual([]);
    expect(importsOf("campaigns/create.ts")).toContain("compliance/caller-id-check.ts");
  });
});
