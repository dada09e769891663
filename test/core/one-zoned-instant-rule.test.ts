import ts from "typedoc-typescript";
import { describe, expect, it } from "vitest";
import { hitsOutside, srcText } from "../../scripts/source-tree.ts";

/**
 * ONE rule for "an ISO 8601 date-time with a zone": src/core/instant-input.ts. A second copy (a
 * regex that checks for `Z` or a `±hh:mm` offset, or zod's own `z.iso.datetime` or the deprecated
 * `z.string().datetime`, which zod 4 still ships) would accept
 * other strings than the first and word its refusal differently: `2026-03-01T09:00Z` was once
 * refused by one input and taken by another. This guard finds such a copy anywhere under src/
 * (the emulator, which stands in for CXone and keeps its own wire rules, aside) and names it.
 *
 * A copy need not be a pattern: `Date.parse(x)`, `new Date(x)` or luxon's `DateTime.fromISO(x)`
 * (fromRFC2822, fromHTTP, fromSQL, fromFormat; tested by `.isValid` / `.invalidReason`) on a
 * caller's value, then a
 * refusal in the function's own words (an InputError, a problem's `rule`/`message`, a returned
 * problem text, a zod refinement's message about a date, an instant, ISO …) is a second rule too
 * (Date.parse reads 2026-02-30 as 2 March and a time without a zone in the machine's zone; luxon
 * takes `2026-W09-7T09Z` and `2026-060T09:00Z`). The
 * platform's port once read `updatedSince` so. So is Date.parse / new Date of a field of a
 * caller's query or options (`query.from` where `query: CallQuery`), refused or not: the port's
 * `from`, `to` and a plan's `until` were once read so. The guard finds both.
 */
/** The rule's own module, and the emulator (CXone's stand-in: its own wire rules). */
const OWNERS = ["core/instant-input.ts", "emulator/"];

/** Where a zone pattern is not an input rule, each with why. */
const ALLOWED: Record<string, string> = {
  // Reads the text CXone sends back (whether it carries a zone, else CXone's UTC): wire, not input.
  "platform/cxone/scheduled-callbacks.ts": "the production API's callback time as CXone writes it",
};

/**
 * Where a function reads a date with Date.parse / new Date and refuses something in date words,
 * but the date is not a user's instant, as `file#function`, each with why.
 */
const ALLOWED_READERS: Record<string, string> = {
  // A record's start as CXone wrote it (an outcomes file, a campaign's completed contacts, a
  // list's dials): a record without one is skipped and counted, no input of the user's refused.
  "compliance/evidence/sources.ts#placed": "a CXone record's start time, read to judge the record",
  // A clock object's now() answers a number (ms since the epoch), checked to be one: no text read.
  "sdk/build-client.ts#clockOf": "the client option clock's now(): a number, not a date-time text",
  // LedgerInput.at is a number (ms since the epoch), written out as text.
  "dialer/abandonment/ledger.ts#abandonmentLedger": "LedgerInput.at: a number, not a date-time text",
};

/** Text that looks like an offset or zone rule: `Z|[+-]`, `[+-]\d{2}`, `[-+]\d\d`, `(?:Z|`. */
const ZONE_RULE = [/Z\|\\?\[[+-]{2}\]/i, /\[[+-]{2}\]\\{1,2}d(?:\{2\}|\\{1,2}d)/, /\(\?:Z\|/i, /\(Z\|/i];

/**
 * Every zone rule written in `text` (regex literals, RegExp sources, zod's datetime: `z.iso.datetime`
 * or `z.string().datetime`), as "line: code". zod's `iso.date` is a calendar day, not a zone rule:
 * test/core/one-calendar-day-rule.test.ts finds it.
 */
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
    // zod's date-time rule in any spelling: z.iso.datetime(…), the deprecated z.string().datetime(…)
    // (zod 4 still ships it), a chain's .trim().datetime(…): a called property named datetime.
    if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === "datetime" &&
      ts.isCallExpression(node.parent) &&
      node.parent.expression === node
    )
      at(node);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** A refusal's words about a date-time. */
const DATE_WORDS = /\bISO\b|\bdate-?times?\b|\bdates?\b|\binstants?\b|\btime ?zones?\b|\boffsets?\b/i;

/** The words written in `node`'s texts (string literals, a template's literal parts), not its code. */
function wordsIn(node: ts.Node): string {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node))
    return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(" ");
  const words: string[] = [];
  ts.forEachChild(node, (child) => {
    words.push(wordsIn(child));
  });
  return words.join(" ");
}

type FunctionLike = ts.SignatureDeclaration & { body?: ts.Node | undefined };

/**
 * Luxon's readers of a text (`DateTime.fromISO(x)` …, also `luxon.DateTime.fromISO`): luxon, the
 * project's zone library, takes what the one rule refuses (`2026-W09-7T09Z`, `2026-060T09:00Z`, a
 * time without a zone in the machine's zone). `fromMillis` / `fromJSDate` read no text.
 */
const LUXON_READING = /(^|\.)DateTime\.from(ISO|RFC2822|HTTP|SQL|Format)$/;

/**
 * The value read by `Date.parse(x)`, `new Date(x)` or luxon's `DateTime.fromISO(x)` (LUXON_READING), or undefined when the node is neither, or
 * reads no one's text: a number worked out in place (`ms + 1`, `Date.now()`, `7`) or a day the
 * code makes an instant itself (`${day}T00:00:00Z`).
 */
function dateReadingOf(node: ts.Node, file: ts.SourceFile): ts.Expression | undefined {
  let arg: ts.Expression | undefined;
  if (
    ts.isCallExpression(node) &&
    (node.expression.getText(file) === "Date.parse" || LUXON_READING.test(node.expression.getText(file)))
  )
    arg = node.arguments[0];
  else if (
    ts.isNewExpression(node) &&
    node.expression.getText(file) === "Date" &&
    node.arguments?.length === 1
  )
    arg = node.arguments[0];
  if (arg === undefined || ts.isNumericLiteral(arg)) return undefined;
  if (ts.isBinaryExpression(arg) && arg.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionToken)
    return undefined;
  if (
    ts.isCallExpression(arg) &&
    /^(Date\.(UTC|now)|clockNowMs|Math\.\w+)$/.test(arg.expression.getText(file))
  )
    return undefined;
  if (ts.isTemplateExpression(arg) && /T[\d:.]+Z`$/.test(arg.getText(file))) return undefined;
  return arg;
}

/** An expression that is a text that speaks of dates. */
function speaksOfDates(node: ts.Node | undefined): boolean {
  if (node === undefined) return false;
  if (ts.isParenthesizedExpression(node)) return speaksOfDates(node.expression);
  return (
    (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) &&
    DATE_WORDS.test(wordsIn(node))
  );
}

/** `bad ? "a text about dates" : …` (either branch): a problem text chosen by a test. */
function choosesDateWords(node: ts.Node | undefined): boolean {
  if (node === undefined) return false;
  if (ts.isParenthesizedExpression(node)) return choosesDateWords(node.expression);
  return ts.isConditionalExpression(node) && (speaksOfDates(node.whenTrue) || speaksOfDates(node.whenFalse));
}

/** `if (…) return "a text about dates"`: a problem text returned on a test. */
const returnsDateWordsOnTest = (node: ts.Node): boolean =>
  ts.isReturnStatement(node) &&
  speaksOfDates(node.expression) &&
  (ts.isIfStatement(node.parent) || (ts.isBlock(node.parent) && ts.isIfStatement(node.parent.parent)));

/**
 * A refusal in `scope` worded about dates: `new InputError(…)` with such words in its texts; a
 * `rule`, `message`, `problem` or `reason` (a property, a const) of such words (a problem, a zod
 * issue); a problem text returned on a test (`if (…) return "…"`, `return bad ? "…" : undefined`,
 * an arrow's `bad ? "…" : undefined`); a zod refinement's message (`.refine(fn, "…")`).
 */
function dateRefusalIn(scope: ts.Node, file: ts.SourceFile): ts.Node | undefined {
  const named = (name: ts.Node) => /^(rule|message|problem|reason)s?$/i.test(name.getText(file));
  let found: ts.Node | undefined;
  const visit = (node: ts.Node) => {
    if (found) return;
    const said =
      (ts.isNewExpression(node) &&
        node.expression.getText(file) === "InputError" &&
        (node.arguments ?? []).some((arg) => DATE_WORDS.test(wordsIn(arg)))) ||
      ((ts.isPropertyAssignment(node) || ts.isVariableDeclaration(node)) &&
        named(node.name) &&
        (speaksOfDates(node.initializer) || choosesDateWords(node.initializer))) ||
      returnsDateWordsOnTest(node) ||
      (ts.isReturnStatement(node) && choosesDateWords(node.expression)) ||
      (ts.isArrowFunction(node) && choosesDateWords(node.body)) ||
      (ts.isCallExpression(node) &&
        /\.(refine|superRefine|check)$/.test(node.expression.getText(file)) &&
        node.arguments.some((arg) => speaksOfDates(arg)));
    if (said) found = node;
    else ts.forEachChild(node, visit);
  };
  visit(scope);
  return found;
}

/**
 * The scope of a date reading: its function (or, for a callback handed to a call such as zod's
 * `refine(fn, message)`, that call), else its top-level statement; and the function's name.
 */
function scopeOf(node: ts.Node): { scope: ts.Node; name: string } {
  let at: ts.Node = node;
  while (!ts.isSourceFile(at.parent)) {
    at = at.parent;
    if (ts.isFunctionLike(at) && (at as FunctionLike).body !== undefined) {
      const fn = at as FunctionLike;
      const holder = fn.parent;
      const name =
        fn.name?.getText() ??
        (ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder)
          ? holder.name.getText()
          : "(anonymous)");
      return { scope: ts.isCallExpression(holder) ? holder : fn, name };
    }
  }
  return { scope: at, name: "(top level)" };
}

/** The name a reading is kept under (`const ms = Date.parse(x)`), if any. */
function keptAs(reading: ts.Node): string | undefined {
  let at = reading.parent;
  while (
    ts.isParenthesizedExpression(at) ||
    ts.isBinaryExpression(at) ||
    ts.isConditionalExpression(at) ||
    ts.isAsExpression(at)
  )
    at = at.parent;
  return ts.isVariableDeclaration(at) && ts.isIdentifier(at.name) ? at.name.text : undefined;
}

/**
 * Whether `scope` tests that a reading gave a date: `isNaN`, `Number.isNaN`, `isFinite` or
 * `Number.isFinite` of the reading itself or of the name it is kept under (`d.getTime()` too);
 * luxon's `.isValid` / `.invalidReason` / `.invalidExplanation` of either (`!dt.isValid`).
 */
function testsValidity(scope: ts.Node, reading: ts.Node, file: ts.SourceFile): boolean {
  const name = keptAs(reading);
  const keeper = name === undefined ? undefined : new RegExp(`\\b${name}\\b`);
  const ofReading = (arg: ts.Node) => {
    const text = arg.getText(file);
    return text.includes(reading.getText(file)) || (keeper?.test(text) ?? false);
  };
  let found = false;
  const visit = (node: ts.Node) => {
    if (found) return;
    if (
      (ts.isCallExpression(node) &&
        /^(Number\.)?(isNaN|isFinite)$/.test(node.expression.getText(file)) &&
        node.arguments.some(ofReading)) ||
      (ts.isPropertyAccessExpression(node) &&
        /^(isValid|invalidReason|invalidExplanation)$/.test(node.name.text) &&
        ofReading(node.expression))
    )
      found = true;
    else ts.forEachChild(node, visit);
  };
  visit(scope);
  return found;
}

/**
 * Every hand-written instant rule in `text`: a function that reads someone's text with Date.parse
 * or new Date, tests that it gave a date (isNaN / isFinite), and refuses in date words; as
 * "line: code #function" (the line of the first such reading).
 */
function instantReadersIn(name: string, text: string): string[] {
  const file = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
  const found = new Map<ts.Node, string>();
  const visit = (node: ts.Node) => {
    if (dateReadingOf(node, file) !== undefined) {
      const { scope, name: fn } = scopeOf(node);
      if (!found.has(scope) && testsValidity(scope, node, file) && dateRefusalIn(scope, file) !== undefined) {
        const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
        found.set(scope, `${line}: ${node.getText(file).slice(0, 100)} #${fn}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return [...found.values()];
}

/** A parameter's declared type that is a caller's input: a query, options, params, an input or request. */
const INPUT_TYPE = /\b\w*(Query|Options|Params|Input|Request)\b/;
/** A field this code names for a number, not a text (`atMs`, `now`). */
const NUMBER_FIELD = /(Ms|^ms|^now)$/;

/** The declared type (as written) of the parameter `name` of the function around `from`, if any. */
function parameterType(name: string, from: ts.Node, file: ts.SourceFile): string | undefined {
  for (let at: ts.Node | undefined = from; at !== undefined; at = at.parent)
    if (ts.isFunctionLike(at))
      for (const parameter of at.parameters)
        if (ts.isIdentifier(parameter.name) && parameter.name.text === name)
          return parameter.type?.getText(file);
  return undefined;
}

/**
 * Every instant of a caller's query or options read with Date.parse / new Date (`query.from`,
 * `options.until` where `query: CallQuery`, `options: PlanOptions`), checked or not: Date.parse
 * reads what the one rule refuses (2026-02-30, a time without a zone) and refuses what it takes
 * (`+02`). As "line: code #function".
 */
function inputReadingsIn(name: string, text: string): string[] {
  const file = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    const arg = dateReadingOf(node, file);
    if (arg !== undefined && ts.isPropertyAccessExpression(arg) && !NUMBER_FIELD.test(arg.name.text)) {
      let root: ts.Expression = arg;
      while (ts.isPropertyAccessExpression(root) || ts.isNonNullExpression(root)) root = root.expression;
      const type = ts.isIdentifier(root) ? parameterType(root.text, node, file) : undefined;
      if (type !== undefined && INPUT_TYPE.test(type)) {
        const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
        found.push(`${line}: ${node.getText(file).slice(0, 100)} #${scopeOf(node).name}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Both kinds of second rule in a module's text. */
const secondRulesIn = (name: string, text: string) => [
  ...new Set([...instantReadersIn(name, text), ...inputReadingsIn(name, text)]),
];

const fnOf = (hit: string) => hit.slice(hit.lastIndexOf(" #") + 2);

describe("one rule for a date-time with a zone (src/core/instant-input.ts)", () => {
  it("no module under src/ writes its own zone or offset rule", () => {
    const copies = hitsOutside(OWNERS, zoneRulesIn, (name) => ALLOWED[name] !== undefined);
    expect(
      copies,
      "use zonedInstantProblem / zonedInstantMs / zonedInstantIssue from src/core/instant-input.ts",
    ).toEqual([]);
  });

  it("each allowed exception still has a zone pattern (else it leaves the list)", () => {
    for (const name of Object.keys(ALLOWED)) expect(zoneRulesIn(name, srcText(name)), name).not.toEqual([]);
  });

  it("finds the copies it is there to find, and not the rule's neighbours", () => {
    const copies = [
      "const OFFSET = /(?:Z|[+-]\\d{2}:\\d{2})$/;",
      "const ZONED = /(?:Z|[+-]\\d{2}(?::?\\d{2})?)$/i;",
      "const OFF = /[+-]\\d{2}:?\\d{2}$/;",
      "const S = z.iso.datetime({ offset: true });",
      // zod 4 still ships the deprecated string method, the form most contributors write.
      "const At = z.string().datetime({ offset: true });",
      "const At = z.object({ at: z.string().trim().datetime() });",
      'const R = new RegExp("(Z|[+-]\\\\d{2}:\\\\d{2})$");',
      "x.regex(/(Z|[+-]\\d{2}:\\d{2})$/, 'must have an offset');",
    ];
    for (const code of copies) expect(zoneRulesIn("copy.ts", code), code).toHaveLength(1);
    const neighbours = [
      "const DAY = /^\\d{4}-\\d{2}-\\d{2}$/;",
      "const PHONE = /^\\+1[2-9]\\d{2}[2-9]\\d{6}$/;",
      "// a comment about Z|[+-]\\d{2} offsets",
      'const text = "e.g. 2026-03-08T14:30:00-05:00";',
      // A record's field of that name, read: no rule.
      "const at = row.datetime ?? row.start;",
      // A calendar day is another rule (src/core/calendar-day.ts), not a date-time with a zone.
      'const D = z.iso.date("must be a date");',
    ];
    for (const code of neighbours) expect(zoneRulesIn("other.ts", code), code).toEqual([]);
  });

  it("no module under src/ reads a caller's instant by a rule of its own (Date.parse / new Date of a query's field, or then its own refusal)", () => {
    const readers = hitsOutside(OWNERS, (name, text) =>
      secondRulesIn(name, text).filter((hit) => ALLOWED_READERS[`${name}#${fnOf(hit)}`] === undefined),
    );
    expect(
      readers,
      "read a user's instant with zonedInstantMs / zonedInstantProblem (or parseAt) from src/core/instant-input.ts; a date that is not a user's (CXone's answer, a store record) goes in ALLOWED_READERS with why",
    ).toEqual([]);
  });

  it("each allowed reader still is one (else it leaves the list)", () => {
    for (const entry of Object.keys(ALLOWED_READERS)) {
      const [name, fn] = entry.split("#") as [string, string];
      const hits = secondRulesIn(name, srcText(name));
      expect(hits.map(fnOf), entry).toContain(fn);
    }
  });

  it("finds the hand-written instant rules it is there to find, and not the dates read beside them", () => {
    const readers = {
      // src/platform/cxone/changed-calls.ts as it was: the port's own rule for updatedSince.
      "the port's updatedSince (changed-calls.ts, before)": `
export async function* changedCallPages(
  api: ProductionApi,
  query: ChangedCallsQuery,
  signal?: AbortSignal,
  defaultPageSize = MAX_RECORDS_PER_RESPONSE,
): AsyncGenerator<ChangedCallsPage, ChangedCallsEnd> {
  const sinceMs = Date.parse(query.updatedSince);
  if (Number.isNaN(sinceMs))
    throw new InputError({
      field: "updatedSince",
      rule: \`"\${query.updatedSince}" is not an ISO 8601 date-time\`,
    });
}`,
      "new Date + getTime, InputError": `function fromOf(value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new InputError({ field: "from", rule: "must be a date" });
  return d;
}`,
      "a rule kept in a const, a problem pushed": `const check = (given: { at?: string }, problems: InputProblem[]) => {
  const rule = "must be an instant such as 2026-03-01T09:00:00Z";
  const ms = typeof given.at === "string" ? Date.parse(given.at) : Number.NaN;
  if (!Number.isFinite(ms)) problems.push({ field: "at", rule });
};`,
      "a problem text chosen": `const untilProblem = (v: string) => (isNaN(Date.parse(v)) ? "is not an ISO 8601 date-time" : undefined);`,
      "a problem text returned": `function problemOf(v: string): string | undefined {
  if (Number.isNaN(Date.parse(v))) return \`"\${v}" is not a date-time\`;
  return undefined;
}`,
      "a zod refinement": `const At = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "must be an ISO date-time");`,
      "a zod issue": `const At = z.string().superRefine((s, ctx) => {
  if (Number.isNaN(new Date(s).getTime())) ctx.addIssue({ code: "custom", message: "not a valid instant" });
});`,
      // Luxon, the project's zone library, reads 2026-W09-7T09Z and 2026-060T09:00Z too.
      "luxon's fromISO, then !isValid": `function untilOf(value: string): number {
  const dt = DateTime.fromISO(value, { setZone: true });
  if (!dt.isValid) throw new InputError({ field: "until", rule: "must be an ISO 8601 date-time" });
  return dt.toMillis();
}`,
      "luxon's invalidReason, a problem text returned": `function atProblem(v: string): string | undefined {
  const t = luxon.DateTime.fromRFC2822(v);
  if (t.invalidReason !== null) return \`"\${v}" is not a date-time\`;
  return undefined;
}`,
      "luxon in a zod refinement": `const At = z.string().refine((s) => DateTime.fromISO(s).isValid, "must be an ISO date-time");`,
      "luxon's fromFormat / fromSQL / fromHTTP": `function whenOf(v: string, how: string) {
  const dt = how === "sql" ? DateTime.fromSQL(v) : how === "http" ? DateTime.fromHTTP(v) : DateTime.fromFormat(v, "yyyy-MM-dd HH:mm");
  if (!dt.isValid) throw new InputError({ field: "when", rule: "is not a date" });
  return dt;
}`,
    };
    for (const [what, code] of Object.entries(readers))
      expect(instantReadersIn("reader.ts", code), what).toHaveLength(1);
    const neighbours = {
      "the one rule": `function atOf(v: string) {
  const ms = zonedInstantMs(v);
  if (ms === undefined) throw new InputError({ field: "at", rule: zonedInstantProblem(v) ?? ZONED_INSTANT_RULE });
  return ms;
}`,
      "CXone's answer, refused as unreadable": `function startOf(row: Raw) {
  const ms = Date.parse(text(row.contactStartDate) ?? "");
  if (Number.isNaN(ms)) throw new UnreadableAnswerError(ENDPOINT, "a contact's start date");
  return ms;
}`,
      "a number shown as a date in a refusal": `function tooOld(atMs: number, oldestMs: number) {
  if (atMs < oldestMs) throw new InputError({ field: "from", rule: \`is before \${new Date(oldestMs).toISOString()}\` });
}`,
      "a date read, not tested, beside a refusal": `function window(query: Q) {
  const to = Date.parse(query.to);
  if (query.campaignId === "") throw new InputError({ field: "campaignId", rule: "must be given with a date" });
  return to;
}`,
      "a day made an instant by the code": `function dayOf(day: string) {
  const ms = Date.parse(\`\${day}T00:00:00Z\`);
  if (Number.isNaN(ms)) throw new InputError({ field: "asOf", rule: "must be a date, yyyy-mm-dd" });
}`,
      "words in code, not in text": `const key = (r: Raw) => { const ms = Date.parse(r.lastUpdateTime); return Number.isNaN(ms) ? \`\${r.lastUpdateTime}\` : ""; };`,
      // src/campaigns/diagnose/diagnose.ts: a time cxo wrote itself, shown; refused by nobody.
      "luxon's fromISO shown, no refusal": `const clock = (isoText: string) => {
  const t = DateTime.fromISO(isoText, { setZone: true });
  return t.isValid ? t.toFormat("yyyy-MM-dd HH:mm ZZ") : isoText;
};`,
      "luxon's fromMillis: a number": `function dayOf(ms: number, zone: string) {
  const t = DateTime.fromMillis(ms, { zone });
  if (!t.isValid) throw new InputError({ field: "tz", rule: "is not a time zone" });
}`,
    };
    for (const [what, code] of Object.entries(neighbours))
      expect(instantReadersIn("other.ts", code), what).toEqual([]);
  });

  it("finds a query's or options' instant read with Date.parse / new Date, and not a number or a record's time", () => {
    const readings = {
      // src/platform/cxone/outcomes.ts as it was: the listing's bounds read without the rule.
      "the port's from and to (outcomes.ts, before)": `function completedCallPages(
  api: ProductionApi,
  defaultPageSize: number,
  query: CallQuery,
  signal?: AbortSignal,
): AsyncGenerator<CallPage> {
  const fromMs = Date.parse(query.from);
  const toMs = Date.parse(query.to);
}`,
      // src/platform/cxone/dialer.ts as it was: unchecked, an Invalid Date sent on.
      "the port's metrics window (dialer.ts, before)": `function dialerMetrics(api: ProductionApi, query: MetricsQuery, signal?: AbortSignal) {
  const to = query.to ? new Date(query.to) : clockNowDate();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 24 * 3_600_000);
}`,
      // src/strategy/plan.ts as it was: 'tomorrow' NaN and the whole days planned.
      "a plan's until (plan.ts, before)": `function horizonHours(startMs: number, options: Pick<PlanOptions, "days" | "until">): number {
  const untilMs = options.until === undefined ? Number.NaN : Date.parse(options.until);
}`,
      "luxon reading an options' field": `function untilOf(options: PlanOptions) {
  return DateTime.fromISO(options.until, { setZone: true }).toMillis();
}`,
    };
    const counts = [2, 2, 1, 1];
    for (const [i, [what, code]] of Object.entries(readings).entries())
      expect(inputReadingsIn("reading.ts", code), what).toHaveLength(counts[i]!);
    const neighbours = {
      "the one rule":
        "function f(query: CallQuery) { return queryInstants({ from: query.from, to: query.to }); }",
      "a number named so":
        "function f(request: SegmentRequest) { return new Date(request.atMs).toISOString(); }",
      "a record's time": "function f(record: OutboundCall) { return Date.parse(record.startTime); }",
      "a clock": "function f(how: { now: number }, options: Options) { return new Date(options.nowMs); }",
      "luxon reading a number":
        "function f(options: PlanOptions) { return DateTime.fromMillis(options.fromMs); }",
    };
    for (const [what, code] of Object.entries(neighbours))
      expect(inputReadingsIn("other.ts", code), what).toEqual([]);
  });
});
