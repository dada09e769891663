import ts from "typedoc-typescript";
import { describe, expect, it } from "vitest";
import { hitsOutside, specifiersOf, srcText, syntaxTreeOf } from "../../scripts/source-tree.ts";

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
  const file = syntaxTreeOf(name, text);
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

/**
 * ONE rule for the local day of an instant in a zone: src/core/local-day.ts's localDayOf (its
 * `YYYY-MM-DD`) and localDayStart (its first instant), with previousLocalDay and nextLocalDay to
 * walk from it, and atWallMinute (a wall-clock time on that day). The local day was computed in
 * eight places (the autopilot's day, the consent panel's "today", CXone's and the doctor's day of
 * skill summaries, a revocation's deadline and its memo's key, a skill's hours, the compliance
 * engine's midnights, the outcomes analysis's day buckets), each with luxon or Intl of its own; a
 * wall-clock time on it in four (a skill's hours, the compliance engine's window openings and
 * closings twice, the autopilot's morning and evening). This guard finds another: a luxon
 * `startOf("day")`, a DateTime made from an instant and turned straight into its date
 * (`DateTime.fromMillis(ms, { zone }).toISODate()`, through `setZone` too), an Intl date formatter
 * for a zone (`new Intl.DateTimeFormat(…, { timeZone, …, day })`), or a clock time set on a
 * DateTime (`.set({ hour, minute })`). Code only: a comment is none.
 */
const LOCAL_DAY_OWNERS = ["core/local-day.ts", "emulator/"];

/** Where local-date code is not a copy of the rule, each with why. */
const LOCAL_DAY_ALLOWED: Record<string, string> = {
  // The engine's facts of an instant (date, weekday, hour, seconds) from one read of the zone's
  // offset, without a DateTime: an evidence run asks a million instants (tested against luxon).
  "compliance/local-time.ts":
    "the compliance engine's local facts of an instant, read from the zone's offset",
};

/** Whether an object literal names one of `keys` (`{ hour: 8 }`, `{ hour }`). */
const names = (node: ts.Node, file: ts.SourceFile, keys: readonly string[]): boolean =>
  ts.isObjectLiteralExpression(node) &&
  node.properties.some((p) => p.name !== undefined && keys.includes(p.name.getText(file)));

/** Every local-day computation written in `text`, as "line: code". */
function localDayCodeIn(name: string, text: string): string[] {
  const file = syntaxTreeOf(name, text);
  const found: string[] = [];
  const at = (node: ts.Node) => {
    const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
    found.push(`${line}: ${node.getText(file).slice(0, 100)}`);
  };
  /** Whether a chain of calls starts from an instant put in a zone: DateTime.from…(…) or ….setZone(…). */
  const fromInstant = (node: ts.Expression): boolean =>
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    (/^from(Millis|JSDate|Seconds)$/.test(node.expression.name.text) ||
      node.expression.name.text === "setZone" ||
      fromInstant(node.expression.expression));
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const [first] = node.arguments;
      if (method === "startOf" && first && ts.isStringLiteralLike(first) && first.text === "day") at(node);
      if (method === "toISODate" && fromInstant(node.expression.expression)) at(node);
      // A clock time set on a DateTime: luxon's set({ hour, minute }), whichever it names.
      if (method === "set" && first && names(first, file, ["hour", "minute"])) at(node);
    }
    if (
      ts.isNewExpression(node) &&
      /^(Intl\.)?DateTimeFormat$/.test(node.expression.getText(file)) &&
      node.arguments?.some((arg) => ["timeZone", "day"].every((key) => names(arg, file, [key])))
    )
      at(node);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe("one rule for the local day of an instant in a zone (src/core/local-day.ts)", () => {
  it("no module under src/ computes a local day, or a wall-clock time on one, of its own", () => {
    const copies = hitsOutside(
      LOCAL_DAY_OWNERS,
      localDayCodeIn,
      (name) => LOCAL_DAY_ALLOWED[name] !== undefined,
    );
    expect(
      copies,
      "use localDayOf / localDayStart / nextLocalDay / previousLocalDay / atWallMinute from src/core/local-day.ts",
    ).toEqual([]);
  });

  it("each allowed exception still computes one (else it leaves the list), and the owner does", () => {
    for (const name of Object.keys(LOCAL_DAY_ALLOWED))
      expect(localDayCodeIn(name, srcText(name)), name).not.toEqual([]);
    // Its Intl formatter and luxon's date for a zone only luxon knows, the three startOf("day")
    // (a day's start, the day before, the day after) and atWallMinute's set.
    expect(localDayCodeIn("core/local-day.ts", srcText("core/local-day.ts"))).toHaveLength(6);
  });

  it("the calendar-day input rule loads no clock library (the local day is core/local-day.ts's)", () => {
    expect(specifiersOf(srcText("core/calendar-day.ts"))).not.toContain("luxon");
    expect(specifiersOf(srcText("core/local-day.ts"))).toContain("luxon");
  });

  it("finds the copies it is there to find, and not their neighbours", () => {
    const copies = [
      // src/service/consent-panel.ts, src/platform/cxone/live.ts and src/compliance/rules/hours.ts as they were.
      "const dayStart = DateTime.fromMillis(nowMs).setZone(options.timeZone).startOf('day').toMillis();",
      'const start = DateTime.fromMillis(end, { zone }).startOf("day").toJSDate();',
      'day = day.plus({ days: 1 }).startOf("day");',
      // src/autopilot/local-day.ts as it was.
      "return DateTime.fromMillis(nowMs, { zone }).toISODate() as string;",
      "const d = DateTime.fromJSDate(at).setZone(zone).toISODate();",
      // src/compliance/revocation-rules.ts as it was.
      'format = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" });',
      // A wall-clock time set: src/compliance/rules/hours.ts and src/autopilot/local-day.ts as they were.
      "const closes = day.set({ hour: Math.floor(window.endS / 3600), minute: (window.endS % 3600) / 60 }).toMillis();",
      "return DateTime.fromISO(date, { zone }).set({ hour, minute, second: 0, millisecond: 0 }).toMillis();",
      "const half = local.set({ minute: 30 });",
    ];
    for (const code of copies) expect(localDayCodeIn("copy.ts", code), code).toHaveLength(1);
    const neighbours = [
      // A zone's validity, an hour's start, a day's end, a date a caller gave, a comment.
      'new Intl.DateTimeFormat("en-US", { timeZone: zone });',
      'const hour = DateTime.fromMillis(ms, { zone }).startOf("hour");',
      'const end = local.plus({ days: 1 }).endOf("day");',
      "const next = DateTime.fromISO(date, { zone }).plus({ days: 1 }).toISODate();",
      '// DateTime.fromMillis(ms, { zone }).startOf("day")',
      "const day = localDayStart(nowMs, zone);",
      // A map's or a gauge's set, a second's truncation, the rule itself asked.
      "buckets.set(key, { hour: 3, day });",
      "gauge.set({ campaign }, 1);",
      "const whole = local.set({ second: 0, millisecond: 0 });",
      "const closes = atWallMinute(day, next, window.endS / 60);",
    ];
    for (const code of neighbours) expect(localDayCodeIn("other.ts", code), code).toEqual([]);
  });
});
