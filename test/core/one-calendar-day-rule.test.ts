import ts from "typedoc-typescript";
import { describe, expect, it } from "vitest";
import { hitsOutside, srcText } from "../../scripts/source-tree.ts";

/**
 * ONE rule for a calendar day (`YYYY-MM-DD`): src/core/calendar-day.ts. It was written in six
 * places, each in its own words (a registry's `asOf`, the config's effective dates and registrations,
 * an RND consent date, `outcomes verify --tsr`'s days; a UK registry file's rows borrowed one), which took
 * different strings (spaces around a day) and said different things about the rest. This guard
 * finds another copy under src/ (the emulator, CXone's stand-in with its own wire rules, aside):
 * a whole-text day pattern (`/^\d{4}-\d{2}-\d{2}$/`, its groups, `\d\d\d\d`, `[0-9]{4}`, in a
 * regex literal or a `new RegExp` text) or zod's day rule (`z.iso.date(…)`, the deprecated
 * `z.string().date(…)`). A pattern that only starts with a day (`/^\d{4}-\d{2}-\d{2}T/`, a cell
 * cut to its day) reads a longer text and is not this rule.
 */
/** The rule's own module, and the emulator (CXone's stand-in: its own wire rules). */
const OWNERS = ["core/calendar-day.ts", "emulator/"];

/** Where a day pattern is not a rule for a user's input, each with why. */
const ALLOWED: Record<string, string> = {
  // The RND's answer (its dataAsOf) as the database writes it: wire, refused as an unreadable answer.
  "platform/rnd/client.ts": "the Reassigned Numbers Database's dataAsOf, as it answers",
};

/** A digit: `\d` (`\\d` in a RegExp's text) or `[0-9]`. */
const D = String.raw`(?:\\{1,2}d|\[0-9\])`;
/** A whole-text day pattern: four digits, two, two (each maybe a group), then the end `$`. */
const DAY_RULE = new RegExp(
  String.raw`${D}(?:\{4\}|${D}{3})\)?-\(?${D}(?:\{2\}|${D})\)?-\(?${D}(?:\{2\}|${D})\)?\$`,
);

/** Every calendar-day rule written in `text` (regex literals, RegExp sources, zod's date), as "line: code". */
function dayRulesIn(name: string, text: string): string[] {
  const file = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (node: ts.Node) => {
    const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
    found.push(`${line}: ${node.getText(file).slice(0, 100)}`);
  };
  const visit = (node: ts.Node) => {
    const isPattern =
      ts.isRegularExpressionLiteral(node) ||
      ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
        ts.isNewExpression(node.parent) &&
        node.parent.expression.getText(file) === "RegExp");
    if (isPattern && DAY_RULE.test(node.getText(file))) at(node);
    // zod's day rule: z.iso.date(…), z.string().date(…), a chain's .trim().date(…).
    if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === "date" &&
      ts.isCallExpression(node.parent) &&
      node.parent.expression === node &&
      /^z\./.test(node.expression.getText(file))
    )
      at(node);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe("one rule for a calendar day (src/core/calendar-day.ts)", () => {
  it("no module under src/ writes its own YYYY-MM-DD rule", () => {
    const copies = hitsOutside(OWNERS, dayRulesIn, (name) => ALLOWED[name] !== undefined);
    expect(
      copies,
      "use calendarDayProblem / calendarDayMs / calendarDayText / calendarDayIssue from src/core/calendar-day.ts",
    ).toEqual([]);
  });

  it("each allowed exception still has a day pattern (else it leaves the list)", () => {
    for (const name of Object.keys(ALLOWED)) expect(dayRulesIn(name, srcText(name)), name).not.toEqual([]);
  });

  it("finds the copies it is there to find, and not the rule's neighbours", () => {
    const copies = [
      // src/compliance/registry/import-request.ts and src/outcomes/tsr-check.ts as they were.
      "const DATE = /^\\d{4}-\\d{2}-\\d{2}$/;",
      // src/compliance/effective-dates.ts and src/compliance/rnd/consent-date.ts as they were.
      "const DAY = /^(\\d{4})-(\\d{2})-(\\d{2})$/;",
      // src/core/config/schema.ts as it was: a regex, then zod's day.
      'const D = z.string().regex(/^\\d{4}-\\d{2}-\\d{2}$/, "must be a date").pipe(z.iso.date("must be a real date"));',
      // src/core/config/client-schema.ts as it was.
      'const U = z.strictObject({ until: z.iso.date("must be a date, yyyy-mm-dd") });',
      'const U = z.string().date("must be a date");',
      "const DAY = /^\\d\\d\\d\\d-\\d\\d-\\d\\d$/;",
      "const DAY = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;",
      'const R = new RegExp("^\\\\d{4}-\\\\d{2}-\\\\d{2}$");',
    ];
    const counts = [1, 1, 2, 1, 1, 1, 1, 1];
    for (const [i, code] of copies.entries())
      expect(dayRulesIn("copy.ts", code), code).toHaveLength(counts[i]!);
    const neighbours = [
      // A longer text cut to its day (a CXone list cell), a date-time's start: not the day rule.
      "const iso = /^(\\d{4}-\\d{2}-\\d{2})/.exec(cell.trim());",
      "if (/^\\d{4}-\\d{2}-\\d{2}T/.test(startTime)) {}",
      "const CLOCK = /^([01]\\d|2[0-3]):[0-5]\\d$/;",
      "// a comment: /^\\d{4}-\\d{2}-\\d{2}$/",
      'const text = "e.g. 2026-03-01";',
      "const d = record.date(2026);",
      "const day = calendarDayText(value);",
    ];
    for (const code of neighbours) expect(dayRulesIn("other.ts", code), code).toEqual([]);
  });
});
