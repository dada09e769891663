import { readFileSync } from "node:fs";

/**
 * The vendored libphonenumber tables (data/, Apache-2.0, see data/NOTICE.md), parsed on first
 * use and kept for the life of the process: a prefix → IANA zones map searched by longest
 * prefix, and the NANP area code → place names map. The files are shipped unmodified so they
 * can be refreshed from upstream by copying them again.
 */

const DATA_DIR = new URL("./data/", import.meta.url);

export interface PrefixMatch {
  /** The matched prefix (digits, country code included), e.g. "1219226" or "1850". */
  prefix: string;
  zones: string[];
}

let zoneTable: string | undefined;
const byAreaCode = new Map<string, readonly PrefixMatch[]>();
let placeMap: Map<string, string> | undefined;
let placeText: string | undefined;

/** `prefix|Zone&Zone` lines; `#` comments and blank lines skipped. */
function parsePipeFile(name: string): Array<[string, string]> {
  return parsePipeText(readFileSync(new URL(name, DATA_DIR), "utf8"));
}

export function parsePipeText(text: string): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const bar = trimmed.indexOf("|");
    if (bar <= 0) continue;
    rows.push([trimmed.slice(0, bar), trimmed.slice(bar + 1)]);
  }
  return rows;
}

/**
 * The rows of a pipe file as text, `\nprefix|value\n…\n` (what parsePipeText's rows give,
 * joined), without splitting it into lines: the shipped files have comments only as whole
 * lines and no stray whitespace, so dropping the comment and blank lines is one regex pass.
 * Undefined when a file is not that plain (then the rows are parsed one by one).
 */
export function pipeRowsText(text: string): string | undefined {
  // Whitespace at the start or end of a line (\r included) would be trimmed: parse instead.
  if (/^[^\S\n]|[^\S\n]$/m.test(text)) return undefined;
  const rows = (text.endsWith("\n") ? text : `${text}\n`).replace(/^(?:#.*)?\n/gm, "");
  // A line without a bar, or starting with one, is skipped by the parser: parse instead.
  if (rows === "" || /^(?:[^|\n]*|\|.*)\n/m.test(rows)) return undefined;
  return `\n${rows}`;
}

function pipeFileText(name: string): string {
  const text = readFileSync(new URL(name, DATA_DIR), "utf8");
  return (
    pipeRowsText(text) ??
    `\n${parsePipeText(text)
      .map(([prefix, value]) => `${prefix}|${value}`)
      .join("\n")}\n`
  );
}

/**
 * The time-zone table as its rows, one `prefix|zones` a line, after a leading newline, in the
 * upstream order (sorted by prefix, which a test checks). Kept as text and searched, not parsed
 * into a map: one `cxo compliance check` needs one area code's rows, and building an index of
 * all 3,300 rows was a fifth of that command's CPU.
 */
function zoneTableText(): string {
  zoneTable ??= pipeFileText("timezones_map_data.txt");
  return zoneTable;
}

/** The rows whose prefix starts with `start` (contiguous, since the table is sorted by prefix). */
function rowsStartingWith(start: string): PrefixMatch[] {
  const text = zoneTableText();
  const rows: PrefixMatch[] = [];
  let at = text.indexOf(`\n${start}`);
  while (at >= 0 && text.startsWith(start, at + 1)) {
    const bar = text.indexOf("|", at + 1);
    const end = text.indexOf("\n", bar);
    rows.push({ prefix: text.slice(at + 1, bar), zones: text.slice(bar + 1, end).split("&") });
    at = end < text.length - 1 ? end : -1;
  }
  return rows;
}

/** Longest-prefix match of E.164 digits (no "+") on the time-zone table. */
export function zonesForDigits(digits: string): PrefixMatch | undefined {
  const text = zoneTableText();
  for (let length = digits.length; length > 0; length -= 1) {
    const prefix = digits.slice(0, length);
    const at = text.indexOf(`\n${prefix}|`);
    if (at >= 0) {
      const start = at + prefix.length + 2;
      return { prefix, zones: text.slice(start, text.indexOf("\n", start)).split("&") };
    }
  }
  return undefined;
}

/** Every NANP row of the table under one area code (the area code's own row and its exchanges). */
export function prefixesOfAreaCode(npa: string): readonly PrefixMatch[] {
  let rows = byAreaCode.get(npa);
  if (rows === undefined) {
    rows = /^\d{3}$/.test(npa) ? rowsStartingWith(`1${npa}`) : [];
    byAreaCode.set(npa, rows);
  }
  return rows;
}

/** Every area code the time-zone table has a row for (country code 1). */
export function areaCodesOfZoneData(): string[] {
  const codes = new Set<string>();
  for (const match of zoneTableText().matchAll(/\n1(\d{3})/g)) codes.add(match[1] as string);
  return [...codes].sort();
}

/** Every area code the place-name extract names. */
export function namedAreaCodes(): string[] {
  if (!placeMap) placeMap = new Map(parsePipeFile("nanp_area_codes.txt"));
  return [...placeMap.keys()].map((prefix) => prefix.slice(1)).sort();
}

/** The place name libphonenumber gives a NANP area code ("Florida", "Washington State"), if any. */
export function placeOfAreaCode(npa: string): string | undefined {
  // Searched as text, like the zone table (one check needs one area code's place); the file's
  // keys are all 1 + three digits.
  if (!/^\d{3}$/.test(npa)) return undefined;
  placeText ??= pipeFileText("nanp_area_codes.txt");
  const key = `\n1${npa}|`;
  const at = placeText.indexOf(key);
  return at < 0 ? undefined : placeText.slice(at + key.length, placeText.indexOf("\n", at + key.length));
}
