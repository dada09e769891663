import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typedoc-typescript";
import { describe, expect, it } from "vitest";

/**
 * ONE rule for "an ISO 8601 date-time with a zone": src/core/instant-input.ts. A second copy (a
 * regex that checks for `Z` or a `±hh:mm` offset, or zod's own `z.iso.datetime`) would accept
 * other strings than the first and word its refusal differently: `2026-03-01T09:00Z` was once
 * refused by one input and taken by another. This guard finds such a copy anywhere under src/
 * (the emulator, which stands in for CXone and keeps its own wire rules, aside) and names it.
 */
const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src");

/** The rule's own module, and the emulator (CXone's stand-in: its own wire rules). */
const OWNERS = ["core/instant-input.ts", "emulator/"];

/** Where a zone pattern is not an input rule, each with why. */
const ALLOWED: Record<string, string> = {
  // Reads the text CXone sends back (whether it carries a zone, else CXone's UTC): wire, not input.
  "platform/cxone/scheduled-callbacks.ts": "the production API's callback time as CXone writes it",
};

/** Text that looks like an offset or zone rule: `Z|[+-]`, `[+-]\d{2}`, `[-+]\d\d`, `(?:Z|`. */
const ZONE_RULE = [/Z\|\\?\[[+-]{2}\]/i, /\[[+-]{2}\]\\{1,2}d(?:\{2\}|\\{1,2}d)/, /\(\?:Z\|/i, /\(Z\|/i];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => path.relative(src, path.join(entry.parentPath, entry.name)));
}

/** Every zone rule written in `text` (regex literals, RegExp sources, zod's iso.datetime), as "line: code". */
function zoneRulesIn(name: string, text: string): string[] {
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
    if (isPattern && ZONE_RULE.some((rule) => rule.test(node.getText(file)))) at(node);
    if (ts.isPropertyAccessExpression(node) && /\biso\.datetime$/.test(node.getText(file))) at(node);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe("one rule for a date-time with a zone (src/core/instant-input.ts)", () => {
  it("no module under src/ writes its own zone or offset rule", () => {
    const copies = sourceFiles(src)
      .filter((name) => !OWNERS.some((owner) => name.startsWith(owner)) && ALLOWED[name] === undefined)
      .flatMap((name) =>
        zoneRulesIn(name, readFileSync(path.join(src, name), "utf8")).map((hit) => `src/${name}:${hit}`),
      );
    expect(
      copies,
      "use zonedInstantProblem / zonedInstantMs / zonedInstantIssue from src/core/instant-input.ts",
    ).toEqual([]);
  });

  it("each allowed exception still has a zone pattern (else it leaves the list)", () => {
    for (const name of Object.keys(ALLOWED))
      expect(zoneRulesIn(name, readFileSync(path.join(src, name), "utf8")), name).not.toEqual([]);
  });

  it("finds the copies it is there to find, and not the rule's neighbours", () => {
    const copies = [
      "const OFFSET = /(?:Z|[+-]\\d{2}:\\d{2})$/;",
      "const ZONED = /(?:Z|[+-]\\d{2}(?::?\\d{2})?)$/i;",
      "const OFF = /[+-]\\d{2}:?\\d{2}$/;",
      "const S = z.iso.datetime({ offset: true });",
      'const R = new RegExp("(Z|[+-]\\\\d{2}:\\\\d{2})$");',
      "x.regex(/(Z|[+-]\\d{2}:\\d{2})$/, 'must have an offset');",
    ];
    for (const code of copies) expect(zoneRulesIn("copy.ts", code), code).toHaveLength(1);
    const neighbours = [
      "const DAY = /^\\d{4}-\\d{2}-\\d{2}$/;",
      "const PHONE = /^\\+1[2-9]\\d{2}[2-9]\\d{6}$/;",
      "// a comment about Z|[+-]\\d{2} offsets",
      'const text = "e.g. 2026-03-08T14:30:00-05:00";',
    ];
    for (const code of neighbours) expect(zoneRulesIn("other.ts", code), code).toEqual([]);
  });
});
