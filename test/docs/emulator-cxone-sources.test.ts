import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * Issue 90 §3: every row of a table in docs/emulator-cxone.md that states how CXone answers names
 * its public source — a repository and a path in it, or a NICE help or developer page — or says
 * *assumed*. Tables under a heading that says "not part of CXone" (the emulator's own flags and
 * admin routes) are the emulator's, not the platform's, and are left out.
 */
const doc = readFileSync(new URL("../../docs/emulator-cxone.md", import.meta.url), "utf8");

/** The public repositories the shapes come from (docs/emulator-cxone.md, independent-clients.md). */
const REPOS = [
  "nice-devone/nice-cxone-agent-sdk",
  "walterplaza/protractor",
  "outboundani/cxone-mcp",
  "CtrlAltWilson/Commitment-Automation-backend",
  "calljacob/nice-cxone-api",
  "drazenzadravec/projects",
  "singer-io/tap-nice-incontact",
];
const REPO_AND_PATH = new RegExp(`(?:${REPOS.join("|")})[^|]*\`[^\`|]+\``);
const NICE_PAGE =
  /(?:help\.incontact\.com|help\.nicecxone\.com|help-beta\.niceincontact\.com|developer\.niceincontact\.com|support\.ringcentral\.com)/;
const ASSUMED = /\*assumed\*/i;

interface Row {
  line: number;
  heading: string;
  text: string;
}

/** Every body row of every table, with the heading it stands under. */
function tableRows(markdown: string): Row[] {
  const rows: Row[] = [];
  let heading = "";
  let inTable = false;
  markdown.split("\n").forEach((text, i) => {
    if (text.startsWith("#")) heading = text;
    if (!text.startsWith("|")) {
      inTable = false;
      return;
    }
    if (!inTable) {
      inTable = true; // the header row
      return;
    }
    if (/^\|\s*:?-/.test(text)) return; // the separator
    rows.push({ line: i + 1, heading, text });
  });
  return rows;
}

const cited = (row: Row) =>
  REPO_AND_PATH.test(row.text) || NICE_PAGE.test(row.text) || ASSUMED.test(row.text);

describe("docs/emulator-cxone.md names a source for every row", () => {
  const rows = tableRows(doc).filter((r) => !/not part of CXone/i.test(r.heading));

  it("reads the tables (the routes, the knobs, the shapes)", () => {
    expect(rows.length).toBeGreaterThan(150);
    expect(rows.some((r) => r.text.startsWith("| `scheduleInactiveDays` |"))).toBe(true);
    expect(rows.some((r) => r.text.startsWith("| 32 |"))).toBe(true);
  });

  it("each row cites a repository and a path in it, a NICE page, or says *assumed*", () => {
    const uncited = rows.filter((r) => !cited(r)).map((r) => `line ${r.line}: ${r.text.slice(0, 100)}`);
    expect(uncited).toEqual([]);
  });

  it("the check can fail: a row with neither is found", () => {
    const sample = "## Knobs\n\n| knob | default |\n|---|---|\n| `made` | `up` |\n";
    expect(tableRows(sample).filter((r) => !cited(r))).toHaveLength(1);
  });

  it("only the emulator's own tables are left out", () => {
    const ownHeadings = new Set(
      tableRows(doc)
        .filter((r) => /not part of CXone/i.test(r.heading))
        .map((r) => r.heading),
    );
    expect(ownHeadings).toEqual(
      new Set([
        "### Admin routes for this model (not part of CXone)",
        "### Flags (the emulator's own: not part of CXone)",
        "## Admin API (`/_emulator`, not part of CXone; no auth, not logged)",
      ]),
    );
  });
});
