import { Command } from "commander";
import ts from "typedoc-typescript";
import { describe, expect, it } from "vitest";
import {
  importsOf,
  importTarget,
  isSelfReference,
  specifiersOf,
  srcModules,
  srcText,
  syntaxTreeOf,
} from "../../scripts/source-tree.ts";
import { COMMANDS } from "../../src/cli/commands/index.ts";

/**
 * DESIGN.md's boundary: nothing below `cli/` knows a flag name. Capabilities, the SDK, core and
 * the service name bad input by their own fields (`agentId`, `file`, `accessToken`), and the CLI
 * maps those to the flags the user typed (src/cli/flag-names.ts).
 */

/** Where flags legitimately live: the CLI, the settings loader's flag > env > file table, the demo (a CLI narration). */
const ALLOWED = ["cli/", "core/config/tree.ts", "demo/", "emulator/"];

/** Where a flag in text is the point: the doctor's remedies and the certification (a CLI report and a document about CLI runs). */
const TEXT_ALLOWED = [
  "doctor/", // `cxo doctor`'s findings tell the user which flag runs a probe
  "platform/cxone/doctor/", // the same findings, from the production platform's probes
  "compliance/evidence/export/certification.ts", // names the commands that made and check an export
];

/**
 * The rooms of src/ from the top (docs/development.md, "The rooms of src/"): a room is a folder
 * under src/ or a module at its top, and an import runs down, never back up. Compliance judges
 * calls on what consent records and answers the campaigns, the strategy, the SDK and the
 * autopilot without importing them; a record several rooms read stands below them all
 * (core/store/known-campaigns.ts). The emulators stand beside the port, sharing nothing with it
 * (they check requests with their own schemas, so they catch the client's mistakes).
 */
const ROOM_RANKS: ReadonlyArray<readonly string[]> = [
  ["cli/", "service/", "demo/"], // the entry points
  ["index.ts", "internal.ts", "errors.ts", "client.ts", "applications.ts"], // the package's entries; the client with its applications attached
  ["autopilot/"], // an application over the SDK
  ["sdk/"],
  ["strategy/", "callerid/"], // the planners
  ["campaigns/", "dialer/", "interactions/", "doctor/"], // what acts on CXone (doctor: its read-only tenant check)
  ["compliance/"],
  ["consent/"],
  ["outcomes/", "dispositions/"],
  ["platform/", "emulator/"],
  ["core/"],
];

/** Which room of a rank may import which other of the same rank (one way only); every other same-rank import fails. */
const ROOM_SAME_RANK: Readonly<Record<string, readonly string[]>> = {
  "cli/": ["service/", "demo/"], // `cxo serve`, `cxo users`, `cxo demo`
  "demo/": ["service/"], // the demo runs the service it narrates
  "index.ts": ["client.ts", "errors.ts"],
  "internal.ts": ["client.ts"],
  "client.ts": ["applications.ts"], // createClient attaches the applications
  "callerid/": ["strategy/"], // caller-ID health places numbers and slots as the strategy does (strategy/place.ts)
  "campaigns/": ["dialer/"], // a campaign spec's pacing block, a status's pacing decision
};

/** A module's room: its top folder (`sdk/`), or the module itself at src/'s top (`client.ts`). */
const roomOf = (file: string) => (file.includes("/") ? `${file.slice(0, file.indexOf("/"))}/` : file);
const rankOf = (room: string) => ROOM_RANKS.findIndex((rank) => rank.includes(room));

/** Every import among `modules` that runs up, sideways without an allowance, or out of an unranked room. */
function roomProblems(modules: ReadonlyArray<{ file: string; text: string }>): string[] {
  return modules.flatMap(({ file, text }) =>
    importsOf(file, text).flatMap((target) => {
      const [from, to] = [roomOf(file), roomOf(target)];
      if (from === to) return [];
      const at = `${file} imports ${target}`;
      const unranked = [from, to].find((room) => rankOf(room) < 0);
      if (unranked) return [`${at}: ${unranked} has no rank in ROOM_RANKS`];
      if (rankOf(from) > rankOf(to)) return [`${at}: ${from} is below ${to}`];
      if (rankOf(from) === rankOf(to) && !ROOM_SAME_RANK[from]?.includes(to))
        return [`${at}: same rank, and ROOM_SAME_RANK does not let ${from} import ${to}`];
      return [];
    }),
  );
}

/** A module's string literals and template parts, each with its line: code only (a comment is no literal). */
function literalsOf(name: string, text: string): Array<{ line: number; text: string; node: ts.Node }> {
  const source = syntaxTreeOf(name, text);
  const found: Array<{ line: number; text: string; node: ts.Node }> = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateLiteralToken(node)
    )
      found.push({
        line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1,
        text: node.text,
        node,
      });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * A flag inside text: `--name` at the start or after a space, bracket, quote or slash (`--from/--to`).
 * A CSS custom property (`--c:#555`, `var(--c)`) is not a flag.
 */
const FLAG_IN_TEXT = /(^|[\s(["'`/])--[a-z][a-z-]*(?![-a-z:])/g;
/**
 * The CLI's commander program with every command of the table registered: every command path a
 * user can type (`compliance`, `compliance dnc`, `compliance dnc add`…), each with the flags that
 * take a value there (its own and the program's: `--campaign ID`; `--json` takes none). A flag is
 * exempt only inside a command as typed: `cxo` and one of these paths, never `cxo` and any word
 * ("cxo refuses the record unless you give --state", "cxo compliance needs --state"), and a word
 * after a flag only as the value of a flag that takes one on that command ("cxo serve --json
 * then --tenant", "cxo serve --campaign then --tenant" name --tenant).
 */
async function commandTree(): Promise<Array<{ path: string; valueFlags: string[] }>> {
  const program = new Command();
  for (const entry of COMMANDS) await entry.register(program);
  const valueFlagsOf = (command: Command) =>
    command.options.filter((o) => (o.required || o.optional) && o.long).map((o) => o.long as string);
  const global = valueFlagsOf(program);
  const paths: Array<{ path: string; valueFlags: string[] }> = [];
  const walk = (command: Command, prefix: string) => {
    for (const sub of command.commands) {
      const path = `${prefix}${sub.name()}`;
      paths.push({ path, valueFlags: [...valueFlagsOf(sub), ...global] });
      walk(sub, `${path} `);
    }
  };
  walk(program, "");
  // Longest first: the regex takes the whole path (or flag) before what follows.
  return paths.sort((a, b) => b.path.length - a.path.length);
}
const escaped = (text: string) => text.replace(/[-]/g, "\\-");
/** After a command's path: its flags (a value only after one that takes it there) and placeholders. */
const tailOf = (valueFlags: string[]) => {
  const valued = [...valueFlags]
    .sort((a, b) => b.length - a.length)
    .map(escaped)
    .join("|");
  const withValue = valued ? `(?:${valued})(?:[ =](?!--)[^\\s,;()"'\`]+)?(?![-a-z])|` : "";
  return `(?: (?:${withValue}--[a-z][a-z-]*(?![-a-z])|…|<[^>\\s]+>|[A-Z][A-Z0-9_]*))*`;
};
/**
 * A remedy naming a whole command as a user types it, in backticks or not: `cxo`, a command path,
 * then only flags (a value after those that take one) and placeholders (`…`, `<file>`, `FILE`) up
 * to the flag (`cxo compliance dnc add --phone …`, `cxo outcomes export --from … --to …`). Prose
 * after the command is not a command: "cxo compliance refuses the record unless you give --state".
 */
const AFTER_CXO_COMMAND = new RegExp(
  `\\bcxo (?:${(await commandTree()).map(({ path, valueFlags }) => `${escaped(path)}${tailOf(valueFlags)}`).join("|")})[ /]$`,
);

/** The flags `text` names outside a whole `cxo <command> …`. */
function flagsIn(text: string): string[] {
  const flags: string[] = [];
  for (const match of text.matchAll(FLAG_IN_TEXT)) {
    const before = text.slice(0, match.index + (match[1] as string).length);
    if (before.endsWith("var(") || AFTER_CXO_COMMAND.test(before)) continue;
    flags.push(match[0].slice((match[1] as string).length));
  }
  return flags;
}

/**
 * CXone's production wire names, from src/platform/cxone's readers (contact-record.ts, contacts.ts,
 * call-facts' fields). Above the port a capability reads what the platform's types model
 * (`Interaction.calledNumber`, `OutboundCall.endReason`…), never a record's `raw` by CXone's name.
 */
const WIRE_NAMES = [
  "toAddress",
  "toAddr",
  "fromAddress",
  "fromAddr",
  "contactStartDate",
  "contactStart",
  "masterContactId",
  "totalDurationSeconds",
  "primaryDispositionId",
  "secondaryDispositionId",
  "dispositionNotes",
  "endReason",
  "isOutbound",
  "skillId",
  "abandoned",
  "attestation",
  "safeHarborMessage",
];
/** Names that are also the domain's own words (a column, a fact, a link's skill): they count only when read off `raw`. */
const DOMAIN_WORDS = new Set(["skillId", "abandoned", "attestation", "safeHarborMessage"]);
/** The log redaction names every field that may carry a person's data, whichever API sent it. */
const WIRE_ALLOWED = ["platform/", "emulator/", "core/logging/personal-data.ts"];

/** The wire names `text` (a module) reads: as a literal, or off a record's `raw` (`call.raw.endReason`). */
function wireNamesIn(name: string, text: string): string[] {
  const found: string[] = [];
  for (const literal of literalsOf(name, text))
    if (WIRE_NAMES.includes(literal.text) && !DOMAIN_WORDS.has(literal.text))
      found.push(`${literal.line}: "${literal.text}"`);
  const source = syntaxTreeOf(name, text);
  const offRaw = (record: ts.Expression) => /(^|\.)raw$/.test(record.getText(source).replace(/\?/g, ""));
  const visit = (node: ts.Node) => {
    const key = ts.isPropertyAccessExpression(node)
      ? node.name.text
      : ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)
        ? node.argumentExpression.text
        : undefined;
    if (
      key !== undefined &&
      WIRE_NAMES.includes(key) &&
      offRaw((node as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression)
    )
      found.push(
        `${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: ${node.getText(source)}`,
      );
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * Reads of a record's `raw` by any name above the port (`call.raw.agentId`, `call.raw?.["x"]`,
 * `const { agentId } = call.raw`): a capability reads the fields the platform's types model
 * (`OutboundCall.agentId`, `.phoneNumber`…). `raw` is what is not modelled, handed whole to the
 * outcome exporters (`canonicalRecord(call.raw)`, which is no read by name).
 */
function rawReadsIn(name: string, text: string): string[] {
  const source = syntaxTreeOf(name, text);
  const isRaw = (node: ts.Expression) => ts.isPropertyAccessExpression(node) && node.name.text === "raw";
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) &&
        isRaw(node.expression)) ||
      (ts.isVariableDeclaration(node) &&
        ts.isObjectBindingPattern(node.name) &&
        node.initializer !== undefined &&
        isRaw(node.initializer))
    )
      found.push(node.getText(source));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * `.raw.<name>` reads above the port that are no call record's. This list only shrinks: the scan
 * fails on a read not listed, and on a listed one that is gone.
 */
const RAW_READ_ALLOWED = [
  "service/routes/board.ts: request.raw.on", // fastify's request.raw: Node's own request, not a record
  "service/routes/board.ts: reply.raw.end", // and its response
];

/**
 * What `text` (the source of `file`, a path from src/) loads at run time, each module as a path
 * from src/ with the names taken from it: a static import or re-export other than `import type` /
 * `export type` (its value names; `*` for a namespace, a default, a bare or an `export *`), and a
 * dynamic `import()` (the names it is destructured into, directly or through `Promise.all([…])`,
 * or a property read off it; `*` when the module is kept whole). A type-only import is erased,
 * and so is `import("…").Type` in a type: naming a result's type is not a second path.
 */
function runtimeImportsOf(file: string, text: string): Array<{ target: string; names: string[] }> {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const resolved = (specifier: string) => importTarget(file, specifier);
  const found: Array<{ target: string; names: string[] }> = [];
  const bound = (pattern: ts.BindingName | undefined): string[] =>
    pattern && ts.isObjectBindingPattern(pattern)
      ? pattern.elements.map((e) => ((e.propertyName ?? e.name) as ts.Identifier).text)
      : ["*"];
  const namesOfDynamic = (call: ts.CallExpression): string[] => {
    let node: ts.Node = call;
    let index: number | undefined;
    // import("…") as one of Promise.all([…])'s modules: its place in the array.
    if (ts.isArrayLiteralExpression(node.parent) && ts.isCallExpression(node.parent.parent)) {
      index = node.parent.elements.indexOf(call);
      node = node.parent.parent;
    }
    if (!ts.isAwaitExpression(node.parent)) return ["*"];
    node = node.parent;
    if (ts.isParenthesizedExpression(node.parent) && ts.isPropertyAccessExpression(node.parent.parent))
      return index === undefined ? [node.parent.parent.name.text] : ["*"];
    if (!ts.isVariableDeclaration(node.parent)) return ["*"];
    const name = node.parent.name;
    if (index === undefined) return bound(name);
    if (!ts.isArrayBindingPattern(name)) return ["*"];
    const element = name.elements[index];
    return element && ts.isBindingElement(element) ? bound(element.name) : [];
  };
  const visit = (node: ts.Node) => {
    const specifier = (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier;
    if (specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith(".")) {
      const names: string[] = [];
      if (ts.isImportDeclaration(node)) {
        const clause = node.importClause;
        if (!clause) names.push("*");
        else if (!clause.isTypeOnly) {
          if (clause.name) names.push("*");
          const bindings = clause.namedBindings;
          if (bindings && ts.isNamespaceImport(bindings)) names.push("*");
          else if (bindings)
            for (const e of bindings.elements) if (!e.isTypeOnly) names.push((e.propertyName ?? e.name).text);
        }
      } else if (ts.isExportDeclaration(node) && !node.isTypeOnly) {
        const clause = node.exportClause;
        if (!clause || !ts.isNamedExports(clause)) names.push("*");
        else for (const e of clause.elements) if (!e.isTypeOnly) names.push((e.propertyName ?? e.name).text);
      }
      if (names.length > 0) found.push({ target: resolved(specifier.text), names });
    }
    if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0]) &&
      node.arguments[0].text.startsWith(".")
    )
      found.push({ target: resolved(node.arguments[0].text), names: namesOfDynamic(node) });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * The rooms whose modules do a capability's work. What the SDK's groups (`src/sdk/*.ts`) load in
 * them at run time is the SDK's to run: a CLI command does that job through the client, never by
 * calling the module itself (docs/development.md: "each CLI command has one path through the
 * SDK"). The set is read from the SDK's own imports, not kept by hand: a method added later
 * owns its module at once.
 */
const CAPABILITY_ROOMS = [
  "autopilot/",
  "callerid/",
  "campaigns/",
  "compliance/",
  "consent/",
  "dialer/",
  "dispositions/",
  "doctor/",
  "interactions/",
  "outcomes/",
  "platform/",
  "strategy/",
];

/** The modules the SDK's groups load in the capability rooms (paths from src/). */
const sdkLoads = (): string[] => [
  ...new Set(
    srcModules()
      .filter((file) => /^sdk\/[^/]+\.ts$/.test(file))
      .flatMap((file) => runtimeImportsOf(file, srcText(file)))
      .map(({ target }) => target)
      .filter((target) => CAPABILITY_ROOMS.some((room) => target.startsWith(room))),
  ),
];

/** Owned one step further down (a module an SDK module loads): the RND's number check. */
const SDK_OWNED_BELOW = ["compliance/rnd/check-numbers.ts"];

const SDK_OWNED: readonly string[] = [...sdkLoads(), ...SDK_OWNED_BELOW];

/**
 * What the CLI may take from a capability module by name, whether the SDK owns it or not:
 * constants (the flags' ranges, choices and defaults), the error classes a command tells apart,
 * and the pure rules a command checks its flags by before a client is built (so that bad input
 * sends nothing), each the SDK's own rule function, not a copy. Anything else is the job.
 */
const CLI_MAY_USE: Record<string, readonly string[]> = {
  "campaigns/spec.ts": ["campaignSpecSchema", "resolveContactList"],
  "campaigns/watchdog/defaults.ts": ["WATCHDOG_DEFAULTS"],
  "campaigns/watchdog/live-rules.ts": ["LIVE_RULE_DEFAULTS"],
  "campaigns/webhook.ts": ["webhookOptionsSchema"],
  "dialer/simulator/pacing-bench/controllers.ts": ["BENCH_CONTROLLERS"],
  "outcomes/disposition-map.ts": ["DEFAULT_DISPOSITION_MAP"],
  "outcomes/export.ts": ["ExportInterruptedError"],
  "outcomes/export-file.ts": ["ExportResumeError"],
  "platform/errors.ts": ["NotSupportedError"],
  "platform/ports/dialer.ts": ["DIALER_METRICS"],
  "platform/support.ts": ["SEED_DNC_GROUPS_UNSUPPORTED"],
  "strategy/model-format.ts": ["SEGMENT_KEYS"],
  "campaigns/diagnose/params.ts": ["checkDiagnoseParams"],
  "compliance/check-input.ts": ["validateCheckInput"],
  "compliance/dnc.ts": ["readDncFile"],
  "compliance/effective-dates.ts": ["effectiveDatesProblems"],
  "compliance/registry/lookup.ts": ["describeRegistries"],
  "dialer/abandonment/params.ts": ["checkAbandonmentParams"],
  "dialer/config.ts": ["MAX_ABANDONMENT_RATE", "dialerConfigSchema"],
  "dialer/live-pacing/latest.ts": ["windowLabel"],
  "dialer/settings/diff.ts": ["describeChanges"], // the human text of dialer.diff's changes
  "dialer/metrics-query.ts": ["dialerAuditLogProblems", "dialerMetricsProblems"],
  "outcomes/changes-query.ts": ["changesQueryProblems"], // the export's query rules, the SDK's own
  "dialer/simulator/des/params.ts": ["SIMULATION_MODES"],
  "dialer/simulator/erlang-report.ts": ["ERLANG_MODELS"],
  "dialer/simulator/sweep.ts": ["sweepRangeRule"],
  "interactions/entry-rules.ts": ["interactionIdProblem", "setDispositionProblems"],
};

/**
 * Functions the SDK's methods own in a module it does not load itself, which the CLI loads for
 * something else (none today: the dialer's history, once here for `readHistory`, is loaded by
 * `client.dialer.diff` itself, so the whole module is the SDK's).
 */
const SDK_OWNED_FUNCTIONS: Record<string, readonly string[]> = {};

/** `file`'s run-time uses of the SDK's modules beyond what CLI_MAY_USE allows (`file` a path from src/, `text` its source). */
const sdkBypassesOf = (file: string, text: string): string[] =>
  runtimeImportsOf(file, text).flatMap(({ target, names }) => {
    if (SDK_OWNED.includes(target)) {
      const allowed = CLI_MAY_USE[target];
      if (!allowed || names.includes("*")) return [`${file} imports ${target}`];
      return names
        .filter((name) => !allowed.includes(name))
        .map((name) => `${file} uses ${target}'s ${name}`);
    }
    return names
      .filter(
        (name) =>
          SDK_OWNED_FUNCTIONS[target]?.includes(name) || (name === "*" && SDK_OWNED_FUNCTIONS[target]),
      )
      .map((name) => (name === "*" ? `${file} imports ${target}` : `${file} uses ${target}'s ${name}`));
  });

/**
 * What the CLI still runs in a capability room that no SDK method owns, by CLI file: each module
 * with the one-line reason it is the CLI's (a presentation, a job with no method yet). The list
 * only shrinks: a run-time import into a room that is neither SDK-owned (and allowed by
 * CLI_MAY_USE), a constant or rule named in CLI_MAY_USE, nor listed here fails; so does a listed
 * module the file no longer imports, or one the SDK has come to own (then CLI_MAY_USE decides).
 */
const CLI_ONLY: Record<string, readonly string[]> = {
  "cli/commands/autopilot.ts": [
    "autopilot/job.ts", // the service job's name and settings for `cxo autopilot status|pause|resume`'s own lookups
  ],
  "cli/commands/callerid.ts": [
    "callerid/health.ts", // utcMinute: the human table's time format
    "callerid/report-html.ts", // the HTML report: presentation
    "strategy/files.ts", // --out's checks and writing: the CLI's files
  ],
  "cli/commands/campaign-contacts.ts": [
    "campaigns/segment/contact-writer.ts", // --out's CSV/NDJSON writer: the CLI's file
  ],
  "cli/commands/compliance.ts": [
    "compliance/zone-clock.ts", // the process's time-zone clock, set once for a command's run
  ],
  "cli/commands/dialer-abandonment.ts": [
    "dialer/pacing/amd-estimate.ts", // missingEstimateNotice: the human output's notice text
  ],
  "cli/commands/dialer-pacing.ts": [
    "dialer/simulator/pacing-bench/report-html.ts", // --out's HTML report: presentation
  ],
  "cli/commands/dialer-settings.ts": [
    "dialer/settings/settings-file.ts", // reads --config's YAML/JSON file into the config the SDK takes
  ],
  "cli/commands/dialer-simulator-output.ts": [
    "dialer/simulator/chart/html.ts", // the sweep's HTML chart: presentation
    "dialer/simulator/chart/svg.ts", // the sweep's SVG chart: presentation
  ],
  "cli/commands/outcomes.ts": [
    "outcomes/analysis.ts", // unknownCodesParts: the human summary's text
    "outcomes/disposition-map.ts", // loadDispositionMap: reads --map's file
    "outcomes/export-target.ts", // --out's file or directory: the CLI's files
    "outcomes/progress.ts", // the progress bar on stderr: presentation
    "outcomes/query.ts", // parseExportQuery: the flags' query, checked before a client is built
  ],
  "cli/commands/strategy-bench.ts": [
    "outcomes/disposition-map.ts", // loadDispositionMap: reads --map's file
    "strategy/model-format.ts", // modelSchema: reads --model's file
    "strategy/report-html.ts", // --report's HTML: presentation
  ],
  "cli/commands/strategy-flags.ts": [
    "strategy/files.ts", // checkOutput: --out's checks before the work
    "strategy/model-format.ts", // columnOfKey: the flags' segment keys to columns
  ],
  "cli/commands/strategy-plan.ts": [
    "strategy/files.ts", // the list, model and plan files: the CLI's files
    "strategy/plan-hours.ts", // HourCounter: the report's counting by hour
    "strategy/report-html.ts", // --report's HTML: presentation
  ],
  "cli/commands/strategy-push.ts": [
    "strategy/plan-read.ts", // reads the plan file the push sends
  ],
  "cli/commands/strategy.ts": [
    "outcomes/disposition-map.ts", // loadDispositionMap: reads --map's file
    "strategy/files.ts", // writeDocument: --out's file
    "strategy/report-html.ts", // --report's HTML: presentation
  ],
  "cli/commands/tag.ts": [
    "dispositions/progress.ts", // the progress bar on stderr: presentation
    "dispositions/row-source.ts", // formatOf: --file's format from its name, checked before a client is built
  ],
  "cli/seller-tenants.ts": [
    "consent/every-tenant.ts", // tenantsOfSeller: which configured tenants share the seller's consent
  ],
};

/**
 * `file`'s run-time imports into a capability room that nothing covers: not SDK-owned, not a
 * CLI_MAY_USE name, not on `cliOnly`'s line for the file (`file` a path from src/).
 */
const uncoveredImportsOf = (
  file: string,
  text: string,
  cliOnly: Record<string, readonly string[]> = CLI_ONLY,
): string[] =>
  runtimeImportsOf(file, text).flatMap(({ target, names }) => {
    if (!CAPABILITY_ROOMS.some((room) => target.startsWith(room)) || SDK_OWNED.includes(target)) return [];
    if (cliOnly[file]?.includes(target)) return [];
    const allowed = CLI_MAY_USE[target];
    const others = names.filter(
      (name) => !allowed?.includes(name) && !SDK_OWNED_FUNCTIONS[target]?.includes(name),
    );
    return others.length === 0 ? [] : [`${file} imports ${target} (${others.join(", ")}): not on CLI_ONLY`];
  });

/** CLI_ONLY's lines that no longer hold: a module the file does not import at run time, or one the SDK owns. */
const staleCliOnly = (
  read: (file: string) => string,
  cliOnly: Record<string, readonly string[]> = CLI_ONLY,
): string[] =>
  Object.entries(cliOnly).flatMap(([file, modules]) => {
    const targets = runtimeImportsOf(file, read(file)).map(({ target }) => target);
    return modules.flatMap((module) =>
      SDK_OWNED.includes(module)
        ? [`${file}: ${module} is SDK-owned now`]
        : targets.includes(module)
          ? []
          : [`${file}: ${module} is no longer imported`],
    );
  });

/**
 * The CLI's modules that still reach the client's internals (`runtimeOf(client)`) instead of a
 * method: each a command with a second path (docs/development.md). The list only shrinks: a file
 * here that no longer calls it fails too, so its line is deleted when its command moves.
 */
const CLI_RUNTIME_OF_ALLOWED: readonly string[] = [];

/** The lines of `text` (a module's source) that call `runtimeOf(`, comments aside. */
const runtimeOfCalls = (text: string): number[] =>
  text
    .split("\n")
    .flatMap((line, index) =>
      /^\s*(\/\/|\*|\/\*)/.test(line) || !/(?<![\w.$])runtimeOf\(/.test(line) ? [] : [index + 1],
    );

describe("layer boundaries", () => {
  it("no module below src/cli names a CLI flag in its code, mid-text included", () => {
    const offenders: string[] = [];
    for (const file of srcModules()) {
      if ([...ALLOWED, ...TEXT_ALLOWED].some((allowed) => file.startsWith(allowed))) continue;
      for (const literal of literalsOf(file, srcText(file)))
        for (const flag of flagsIn(literal.text)) offenders.push(`${file}:${literal.line}: ${flag}`);
    }
    expect(offenders).toEqual([]);
  });

  it("planted offenders: the flag matcher finds a flag mid-text, and passes a whole cxo command and CSS", () => {
    expect(flagsIn("--tz")).toEqual(["--tz"]);
    expect(flagsIn("has no time zone: add Z or an offset such as +02:00, or give --tz")).toEqual(["--tz"]);
    expect(flagsIn("set --data-dir, CXO_DATA_DIR or dataDir in the config file")).toEqual(["--data-dir"]);
    expect(flagsIn("export a window again (outcomes export --from/--to)")).toEqual(["--from", "--to"]);
    expect(flagsIn("give the contact's --state if it is in the US")).toEqual(["--state"]);
    expect(flagsIn("is required (in the spec, or with --contact-list ID)")).toEqual(["--contact-list"]);
    expect(flagsIn("a link; cxo opens its store only as files; or set --data-dir")).toEqual(["--data-dir"]);
    expect(flagsIn("(`cxo tag --file rows.csv`), or with --force")).toEqual(["--force"]);
    // `cxo` and a word that is no command is a sentence about cxo, not a command (review2 gap 5).
    expect(flagsIn("cxo refuses the record unless you give --state")).toEqual(["--state"]);
    expect(flagsIn("the number has no zone: cxo needs --zone")).toEqual(["--zone"]);
    expect(flagsIn("`cxo needs --zone` here")).toEqual(["--zone"]);
    expect(flagsIn("cxo tags --campaign C")).toEqual(["--campaign"]);
    // A real command and then prose is a sentence too (review3 gap 3).
    expect(flagsIn("cxo compliance refuses the record unless you give --state")).toEqual(["--state"]);
    expect(flagsIn("cxo consent review, then give --decide")).toEqual(["--decide"]);
    expect(flagsIn("cxo compliance needs --state")).toEqual(["--state"]);
    expect(flagsIn("cxo serve stops unless --follower")).toEqual(["--follower"]);
    expect(flagsIn("run cxo strategy then add --rnd")).toEqual(["--rnd"]);
    expect(flagsIn("`cxo compliance needs --state` here")).toEqual(["--state"]);
    expect(flagsIn("cxo serve --json then --tenant")).toEqual(["--tenant"]);
    expect(flagsIn("cxo serve --campaign then --tenant")).toEqual(["--tenant"]);
    expect(flagsIn("cxo strategy plan --json unless --report")).toEqual(["--report"]);
    expect(flagsIn("(cxo --state XX)")).toEqual(["--state"]);
    // Not flags, or a flag inside a whole command the user can run.
    expect(flagsIn("resume by hand: cxo autopilot resume --campaign ")).toEqual([]);
    expect(flagsIn("`cxo dialer audit --entity campaign --campaign SKILL` lists them")).toEqual([]);
    expect(flagsIn("run it with force (cxo tag --file rows.csv --force)")).toEqual([]);
    expect(flagsIn("again (`cxo outcomes export --from … --to …`, or the SDK's)")).toEqual([]);
    expect(flagsIn("ask an admin (cxo users add … --tenants)")).toEqual([]);
    expect(flagsIn('<b style="--c:#555">')).toEqual([]);
    expect(flagsIn("border-top:3px solid var(--c)}")).toEqual([]);
    expect(flagsIn("a -- b, 2024--01, x--y, <!-- note -->")).toEqual([]);
    // Literals only: a comment may explain the CLI's flag.
    const planted = `// give --tz\nconst a = 1; /* --tz */\nconst b = \`at \${a} give --tz\`;\nconst c = 'or --state';\n`;
    expect(literalsOf("planted.ts", planted).flatMap((literal) => flagsIn(literal.text))).toEqual([
      "--tz",
      "--state",
    ]);
  });

  it("nothing above src/platform reads CXone's wire names (the platform's types model what capabilities read)", () => {
    const offenders = srcModules()
      .filter((file) => !WIRE_ALLOWED.some((allowed) => file.startsWith(allowed)))
      .flatMap((file) => wireNamesIn(file, srcText(file)).map((hit) => `${file}:${hit}`));
    expect(offenders).toEqual([]);
  });

  it("planted offenders: the wire-name matcher finds a literal and a read off raw, not the domain's words", () => {
    const planted = [
      "const a = text(raw.contactStartDate) ?? text(raw?.toAddr);",
      'const b = call.raw["endReason"]; const c = call.raw.abandoned;',
      'const d = field(fields, ["fromAddress"]);',
      "// raw.toAddress in a comment is not code",
      'const e = { skillId: "7", abandoned: 2 }; const f = ["abandoned"]; const g = link.skillId;',
    ].join("\n");
    expect(wireNamesIn("planted.ts", planted)).toEqual([
      '2: "endReason"',
      '3: "fromAddress"',
      "1: raw.contactStartDate",
      "1: raw?.toAddr",
      '2: call.raw["endReason"]',
      "2: call.raw.abandoned",
    ]);
  });

  it("nothing above src/platform reads a record's raw by name (the platform's types model what is read)", () => {
    const reads = srcModules()
      .filter((file) => !WIRE_ALLOWED.some((allowed) => file.startsWith(allowed)))
      .flatMap((file) => rawReadsIn(file, srcText(file)).map((read) => `${file}: ${read}`));
    expect(reads).toEqual(RAW_READ_ALLOWED);
  });

  it("planted offenders: the raw-read matcher finds any name read off .raw, not raw handed whole or a local named raw", () => {
    const planted = [
      "const a = call.raw.agentId; const b = call?.raw?.phoneNumber;",
      'const c = call.raw["dispositionUpdatedAt"]; const { direction, contactId } = call.raw;',
      "const d = canonicalRecord(call.raw); const e = raw.length; const f = call.rawText;",
      "// call.raw.agentId in a comment is not code",
    ].join("\n");
    expect(rawReadsIn("planted.ts", planted)).toEqual([
      "call.raw.agentId",
      "call?.raw?.phoneNumber",
      'call.raw["dispositionUpdatedAt"]',
      "{ direction, contactId } = call.raw",
    ]);
  });

  it("one line and row reader: node:readline and csv-parse are used by core/input-rows.ts only (issue 68 §5)", () => {
    // Every entry point of csv-parse counts (issue 80 §4: `csv-parse/sync` slipped through, and
    // pools-file.ts named a bad line 5 "row 3"). The emulators parse what a client uploads with
    // code of their own on purpose (they share nothing with the client they check).
    const readers = srcModules().filter(
      (file) =>
        !file.startsWith("emulator/") &&
        /from "node:readline"|createInterface\(|from "csv-parse(\/[a-z]+)?"|from "csv-parse\/lib/.test(
          srcText(file),
        ),
    );
    expect(readers).toEqual(["core/input-rows.ts"]);
  });

  it("one campaign-id pattern: core/ids.ts's ID_PATTERN, written nowhere else (issue 68 §5)", () => {
    const copies = srcModules().filter((file) =>
      /\[A-Za-z0-9\]\[A-Za-z0-9(_\.|\._):-\]\{0,127\}/.test(srcText(file)),
    );
    expect(copies).toEqual(["core/ids.ts"]);
    // Issue 80 §4: and no other module defines an ID_PATTERN of its own (dispositions/rules.ts
    // had one that let an id start with `-`, `.` or `:`).
    const definitions = srcModules().filter((file) => /\bID_PATTERN\s*=/.test(srcText(file)));
    expect(definitions).toEqual(["core/ids.ts"]);
    // And tested through one function (isId): a second test of the pattern is a second rule.
    const testers = srcModules().filter((file) => /\bID_PATTERN\.test\(/.test(srcText(file)));
    expect(testers).toEqual(["core/ids.ts"]);
  });

  it("one skill-id rule: core/ids.ts's isSkillId, written nowhere else", () => {
    // A production campaign is a skill named by a whole number: the adapter's SKILL_ID, the
    // doctor's and the scheduled callbacks' own `/^\d+$/` were three renderings of it.
    const copies = srcModules()
      .filter((file) => !file.startsWith("emulator/"))
      .filter((file) => {
        const text = srcText(file);
        return /\bSKILL_ID\b/.test(text) || /campaign[^\n]*\/\^\\d\+\$\//.test(text);
      });
    expect(copies).toEqual(["core/ids.ts"]);
  });

  it("one seller rule: core/config/seller.ts's sellerOf, written nowhere else", () => {
    // `consent.seller`, else the unit itself: written out in twelve places before, each a chance
    // for one reader to share revocations with units another reader does not.
    const copies = srcModules().filter((file) => /consent\??\.seller \?\?/.test(srcText(file)));
    expect(copies).toEqual(["core/config/seller.ts"]);
    expect(srcText("core/config/seller.ts")).toContain("consent?.seller ?? unit");
  });

  it("one rule for the seller's other units: core/config/seller.ts's sellerPeers, compared nowhere else", () => {
    // The CLI, createTenants, cxo serve and the consent fan-out each compared sellers of their
    // own: one place now, so no reader reaches units another does not.
    const comparers = srcModules().filter((file) => /sellerOf\w*\(.*\)\s*[!=]==/.test(srcText(file)));
    expect(comparers).toEqual(["core/config/seller.ts"]);
  });

  it("the clock is one: nothing outside src/core/clock/ touches globalThis.Date", () => {
    // The process clock (CXO_CLOCK) is installed at the process entries through core/clock; a
    // module that patched or kept Date of its own would read another time than the rest.
    const offenders = srcModules()
      .filter((file) => !file.startsWith("core/clock/"))
      .filter((file) => /globalThis\s*\.\s*Date\b|globalThis\[\s*["']Date["']\s*\]/.test(srcText(file)));
    expect(offenders).toEqual([]);
  });

  it("an import runs down, never back up: every edge between rooms goes to a lower rank, or is a same-rank one ROOM_SAME_RANK allows", () => {
    expect(roomProblems(srcModules().map((file) => ({ file, text: srcText(file) })))).toEqual([]);
    // The scan reads imports at all: the arrows the table is about are there.
    expect(importsOf("compliance/blocked-numbers.ts")).toContain("consent/ledger-lookups.ts");
    expect(importsOf("campaigns/create.ts")).toContain("compliance/caller-id-check.ts");
  });

  it("the room table is the tree's: every room ranked once, none stale, every same-rank allowance one way and in use", () => {
    const ranked = ROOM_RANKS.flat();
    expect(ranked.length).toBe(new Set(ranked).size);
    const rooms = new Set(srcModules().map(roomOf));
    expect([...rooms].filter((room) => !ranked.includes(room))).toEqual([]);
    expect(ranked.filter((room) => !rooms.has(room))).toEqual([]);
    const used = new Set(
      srcModules().flatMap((file) => importsOf(file).map((target) => `${roomOf(file)} ${roomOf(target)}`)),
    );
    const wrong = Object.entries(ROOM_SAME_RANK).flatMap(([from, tos]) =>
      tos.flatMap((to) => [
        ...(rankOf(from) === rankOf(to) ? [] : [`${from} → ${to}: not the same rank`]),
        ...(ROOM_SAME_RANK[to]?.includes(from) ? [`${from} ↔ ${to}: both ways`] : []),
        ...(used.has(`${from} ${to}`) ? [] : [`${from} → ${to}: allowed but not in use`]),
      ]),
    );
    expect(wrong).toEqual([]);
  });

  it("the room scan, on planted modules: an upward, a same-rank or an unranked import fails at any depth; a downward one passes", () => {
    const planted = (file: string, text: string) => roomProblems([{ file, text }]);
    expect(planted("core/x.ts", 'import { runCall } from "../sdk/call.ts";')).toEqual([
      "core/x.ts imports sdk/call.ts: core/ is below sdk/",
    ]);
    expect(
      planted("consent/deep/x.ts", 'import type { Verdict } from "../../compliance/engine.ts";'),
    ).toEqual(["consent/deep/x.ts imports compliance/engine.ts: consent/ is below compliance/"]);
    expect(planted("compliance/x.ts", 'const m = await import("../campaigns/create.ts");')).toEqual([
      "compliance/x.ts imports campaigns/create.ts: compliance/ is below campaigns/",
    ]);
    expect(planted("dialer/x.ts", 'export { a } from "../campaigns/create.ts";')).toEqual([
      "dialer/x.ts imports campaigns/create.ts: same rank, and ROOM_SAME_RANK does not let dialer/ import campaigns/",
    ]);
    expect(planted("platform/x.ts", 'import { y } from "../emulator/index.ts";')).toEqual([
      "platform/x.ts imports emulator/index.ts: same rank, and ROOM_SAME_RANK does not let platform/ import emulator/",
    ]);
    expect(planted("attic/x.ts", 'import { y } from "../core/ids.ts";')).toEqual([
      "attic/x.ts imports core/ids.ts: attic/ has no rank in ROOM_RANKS",
    ]);
    for (const [file, text] of [
      ["campaigns/x.ts", 'import { y } from "../dialer/settings/lifecycle.ts";'],
      ["sdk/x.ts", 'import { y } from "../core/ids.ts";'],
      ["cli/a/b/x.ts", 'import { y } from "../../../service/index.ts";'],
      ["core/a/x.ts", 'import { y } from "../b/y.ts";'],
    ] as const)
      expect(planted(file, text), file).toEqual([]);
  });

  it("the room scan sees an import by the package's own name as the entry it loads, and src/ imports itself relatively", () => {
    const planted = (file: string, text: string) => roomProblems([{ file, text }]);
    // Node resolves a package's imports of itself and tsconfig.json's paths type them: without
    // the mapping these would pass every guard unseen.
    expect(planted("autopilot/x.ts", 'import { portOf } from "cxone-outbound/internal";')).toEqual([
      "autopilot/x.ts imports internal.ts: autopilot/ is below internal.ts",
    ]);
    expect(planted("core/x.ts", 'const m = await import("cxone-outbound");')).toEqual([
      "core/x.ts imports index.ts: core/ is below index.ts",
    ]);
    expect(planted("platform/x.ts", 'export type { Emulator } from "cxone-outbound/emulator";')).toEqual([
      "platform/x.ts imports emulator/index.ts: same rank, and ROOM_SAME_RANK does not let platform/ import emulator/",
    ]);
    // An import written in a comment is none.
    expect(
      planted("core/x.ts", '// import { runCall } from "../sdk/call.ts";\n/* from "cxone-outbound" */'),
    ).toEqual([]);
    // The simplest rule holds too: no module of src/ names its own package in an import.
    const byName = srcModules().flatMap((file) =>
      specifiersOf(srcText(file))
        .filter(isSelfReference)
        .map((specifier) => `${file} imports "${specifier}"`),
    );
    expect(byName).toEqual([]);
  });
  it("the CLI does the SDK's jobs through the client: no module of it imports a module its methods own", () => {
    const bypasses = srcModules()
      .filter((file) => file.startsWith("cli/"))
      .flatMap((file) => sdkBypassesOf(file, srcText(file)));
    expect(bypasses).toEqual([]);
    // The SDK's own groups are where those modules are loaded (the scan reads what it should).
    expect(SDK_OWNED).toEqual(
      expect.arrayContaining([
        "compliance/touches-import.ts",
        "dialer/simulator/erlang-report.ts",
        "dialer/simulator/des/engine.ts",
        "dialer/simulator/sweep.ts",
        "strategy/evaluate.ts",
        "outcomes/tsr-check.ts",
        "outcomes/verify.ts",
        "strategy/list-source.ts",
      ]),
    );
    // Every name the CLI may use is one it uses (a stale entry fails).
    const used = new Set(
      srcModules()
        .filter((file) => file.startsWith("cli/"))
        .flatMap((file) =>
          runtimeImportsOf(file, srcText(file)).flatMap(({ target, names }) =>
            names.map((name) => `${target}'s ${name}`),
          ),
        ),
    );
    expect(
      Object.entries(CLI_MAY_USE).flatMap(([module, names]) =>
        names.map((name) => `${module}'s ${name}`).filter((entry) => !used.has(entry)),
      ),
    ).toEqual([]);
  });

  it("every run-time CLI import into a capability room is SDK-owned, a CLI_MAY_USE name, or on the shrinking CLI_ONLY list", () => {
    const read = (file: string) => srcText(file);
    const uncovered = srcModules()
      .filter((file) => file.startsWith("cli/"))
      .flatMap((file) => uncoveredImportsOf(file, read(file)));
    expect(uncovered).toEqual([]);
    expect(staleCliOnly(read)).toEqual([]);
  });

  it("the CLI_ONLY scan, on planted offenders: an unlisted import fails, a listed one passes, a stale line fails", () => {
    const planted = "cli/commands/planted.ts";
    const job = 'const { benchHtml } = await import("../../dialer/simulator/pacing-bench/report-html.ts");';
    expect(uncoveredImportsOf(planted, job, {})).toEqual([
      "cli/commands/planted.ts imports dialer/simulator/pacing-bench/report-html.ts (benchHtml): not on CLI_ONLY",
    ]);
    expect(
      uncoveredImportsOf(planted, job, { [planted]: ["dialer/simulator/pacing-bench/report-html.ts"] }),
    ).toEqual([]);
    // Listed for another file: not this one's.
    expect(
      uncoveredImportsOf(planted, job, { "cli/other.ts": ["dialer/simulator/pacing-bench/report-html.ts"] }),
    ).toHaveLength(1);
    // A type-only import, a room that is no capability's, and a CLI_MAY_USE name are covered.
    expect(
      uncoveredImportsOf(
        planted,
        [
          'import type { BenchReport } from "../../dialer/simulator/pacing-bench/report-html.ts";',
          'import { InputError } from "../../core/input-error.ts";',
          'import { MAX_ABANDONMENT_RATE } from "../../dialer/config.ts";',
        ].join("\n"),
        {},
      ),
    ).toEqual([]);
    // A name beyond CLI_MAY_USE's in a module the SDK does not own is not covered by the others.
    expect(
      uncoveredImportsOf(
        planted,
        'import { windowLabel, latestOf } from "../../dialer/live-pacing/latest.ts";',
        {},
      ),
    ).toHaveLength(SDK_OWNED.includes("dialer/live-pacing/latest.ts") ? 0 : 1);
    // The list tracks the truth: a module no longer imported, or now the SDK's, is a stale line.
    const read = (file: string) =>
      file === planted ? 'import { x } from "../../strategy/report-html.ts";\n' : "";
    expect(
      staleCliOnly(read, {
        [planted]: [
          "strategy/report-html.ts",
          "callerid/report-html.ts",
          "compliance/registry/import-request.ts",
        ],
      }),
    ).toEqual([
      "cli/commands/planted.ts: callerid/report-html.ts is no longer imported",
      "cli/commands/planted.ts: compliance/registry/import-request.ts is SDK-owned now",
    ]);
  });

  it("the CLI calls no client internals (runtimeOf) but in the shrinking allow-list", () => {
    const users = srcModules()
      .filter((file) => file.startsWith("cli/"))
      .filter((file) => runtimeOfCalls(srcText(file)).length > 0);
    expect(users).toEqual([...CLI_RUNTIME_OF_ALLOWED].sort());
    // Planted: a call counts, a comment or another name does not.
    expect(runtimeOfCalls("const s = await runtimeOf(client).store();")).toEqual([1]);
    expect(
      runtimeOfCalls("// runtimeOf(client) was here\n * runtimeOf(x)\nconst a = myRuntimeOf(c);"),
    ).toEqual([]);
    expect(
      runtimeOfCalls('const [{ runtimeOf }] = [await import("../../sdk/internals.ts")];\nrun(runtimeOf(c));'),
    ).toEqual([2]);
  });

  it("the SDK-bypass scan, on planted offenders: static and dynamic imports count, a type-only import does not", () => {
    const planted = "cli/commands/planted.ts";
    expect(
      sdkBypassesOf(planted, 'import { importTouches } from "../../compliance/touches-import.ts";'),
    ).toEqual(["cli/commands/planted.ts imports compliance/touches-import.ts"]);
    expect(
      sdkBypassesOf(
        planted,
        'const { verifyEvidence } = await import("../../compliance/evidence/verify.ts");',
      ),
    ).toEqual(["cli/commands/planted.ts imports compliance/evidence/verify.ts"]);
    expect(
      sdkBypassesOf(
        planted,
        'import {\n  learn,\n  type Model,\n} from "../../strategy/learn.ts";\nimport { x } from "./y.ts";',
      ),
    ).toEqual(["cli/commands/planted.ts imports strategy/learn.ts"]);
    expect(
      sdkBypassesOf(
        planted,
        'export { pruneEvidence } from "../../compliance/evidence/export/retention.ts";',
      ),
    ).toEqual(["cli/commands/planted.ts imports compliance/evidence/export/retention.ts"]);
    expect(
      sdkBypassesOf(
        planted,
        'import type { ExportSummary } from "../../compliance/evidence/export/export.ts";',
      ),
    ).toEqual([]);
    // Another module of the same name elsewhere is not the SDK's.
    expect(sdkBypassesOf("cli/planted.ts", 'import { learn } from "../strategy/learn.ts";')).toEqual([
      "cli/planted.ts imports strategy/learn.ts",
    ]);
    expect(sdkBypassesOf(planted, 'import { learn } from "./strategy/learn.ts";')).toEqual([]);
    // A module the CLI loads for another job: its SDK-owned functions are what count.
    const dnc =
      'const { readDncFile, listDnc } = await import("../../compliance/dnc.ts");\nawait listDnc(store);';
    expect(sdkBypassesOf(planted, dnc)).toEqual(["cli/commands/planted.ts uses compliance/dnc.ts's listDnc"]);
    expect(
      sdkBypassesOf(
        planted,
        'import { readDncFile } from "../../compliance/dnc.ts";\nawait client.compliance.listDnc();',
      ),
    ).toEqual([]);
    expect(
      sdkBypassesOf(planted, 'import { readDncFile } from "../../compliance/dnc.ts";\nconst listDncs = 1;'),
    ).toEqual([]);
  });

  it("the SDK-bypass scan, on the forms the CLI once took round the client: by name, through Promise.all, kept whole", () => {
    const planted = "cli/commands/planted.ts";
    // dialer erlang / simulate / --sweep, strategy evaluate, outcomes verify --tsr and --hash, plan --list ID.
    expect(
      sdkBypassesOf(
        planted,
        [
          'import { ERLANG_MODELS, erlangReport, type ErlangInput } from "../../dialer/simulator/erlang-report.ts";',
          'import { simulate } from "../../dialer/simulator/des/engine.ts";',
          'import { paramsFromConfig, SIMULATION_MODES } from "../../dialer/simulator/des/params.ts";',
          'import { sweepDialRatio, sweepRangeRule } from "../../dialer/simulator/sweep.ts";',
          "const [{ modelSchema }, { evaluate }] = await Promise.all([",
          '  import("../../strategy/model-format.ts"),',
          '  import("../../strategy/evaluate.ts"),',
          "]);",
          'const { checkTsrDataset } = await import("../../outcomes/tsr-check.ts");',
          'import { verifyExport } from "../../outcomes/verify.ts";',
          'import { listRowsFromContacts } from "../../strategy/list-source.ts";',
        ].join("\n"),
      ),
    ).toEqual([
      "cli/commands/planted.ts uses dialer/simulator/erlang-report.ts's erlangReport",
      "cli/commands/planted.ts imports dialer/simulator/des/engine.ts",
      "cli/commands/planted.ts uses dialer/simulator/des/params.ts's paramsFromConfig",
      "cli/commands/planted.ts uses dialer/simulator/sweep.ts's sweepDialRatio",
      "cli/commands/planted.ts imports strategy/evaluate.ts",
      "cli/commands/planted.ts imports outcomes/tsr-check.ts",
      "cli/commands/planted.ts imports outcomes/verify.ts",
      "cli/commands/planted.ts imports strategy/list-source.ts",
    ]);
    // A module kept whole, or a property read off it, counts as what it reads.
    expect(
      sdkBypassesOf(planted, 'const sim = await import("../../dialer/simulator/erlang-report.ts");'),
    ).toEqual(["cli/commands/planted.ts imports dialer/simulator/erlang-report.ts"]);
    expect(
      sdkBypassesOf(
        planted,
        'const r = (await import("../../dialer/simulator/erlang-report.ts")).erlangReport(i);',
      ),
    ).toEqual(["cli/commands/planted.ts uses dialer/simulator/erlang-report.ts's erlangReport"]);
    // Constants and rule helpers by name, a type in an import() type, and a deeper owned function.
    expect(
      sdkBypassesOf(
        planted,
        [
          'const { checkAbandonmentParams } = await import("../../dialer/abandonment/params.ts");',
          'function human(r: import("../../outcomes/tsr-check.ts").TsrCheckResult) {}',
        ].join("\n"),
      ),
    ).toEqual([]);
    // dialer diff: the history's findVersion is dialer.diff's now.
    expect(sdkBypassesOf(planted, 'import { findVersion } from "../../dialer/settings/history.ts";')).toEqual(
      ["cli/commands/planted.ts imports dialer/settings/history.ts"],
    );
    expect(sdkBypassesOf(planted, 'import { readHistory } from "../../dialer/settings/history.ts";')).toEqual(
      ["cli/commands/planted.ts imports dialer/settings/history.ts"],
    );
  });
});
