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

let zoneMap: Map<string, string[]> | undefined;
let byAreaCode: Map<string, PrefixMatch[]> | undefined;
let longestPrefix = 0;
let placeMap: Map<string, string> | undefined;

/** `prefix|Zone&Zone` lines; `#` comments and blank lines skipped. */
function parsePipeFile(name: string): Array<[string, string]> {
  const text = readFileSync(new URL(name, DATA_DIR), "utf8");
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

function zones(): Map<string, string[]> {
  if (!zoneMap) {
    zoneMap = new Map();
    for (const [prefix, value] of parsePipeFile("timezones_map_data.txt")) {
      zoneMap.set(prefix, value.split("&"));
      longestPrefix = Math.max(longestPrefix, prefix.length);
    }
  }
  return zoneMap;
}

/** Longest-prefix match of E.164 digits (no "+") on the time-zone table. */
export function zonesForDigits(digits: string): PrefixMatch | undefined {
  const map = zones();
  for (let length = Math.min(longestPrefix, digits.length); length > 0; length -= 1) {
    const prefix = digits.slice(0, length);
    const found = map.get(prefix);
    if (found) return { prefix, zones: [...found] };
  }
  return undefined;
}

/** Every NANP row of the table under one area code (the area code's own row and its exchanges). */
export function prefixesOfAreaCode(npa: string): readonly PrefixMatch[] {
  if (!byAreaCode) {
    byAreaCode = new Map();
    for (const [prefix, found] of zones()) {
      if (!prefix.startsWith("1") || prefix.length < 4) continue;
      const key = prefix.slice(1, 4);
      const rows = byAreaCode.get(key) ?? [];
      rows.push({ prefix, zones: [...found] });
      byAreaCode.set(key, rows);
    }
    for (const rows of byAreaCode.values()) rows.sort((a, b) => a.prefix.localeCompare(b.prefix));
  }
  return byAreaCode.get(npa) ?? [];
}

/** Every area code the time-zone table has a row for (country code 1). */
export function areaCodesOfZoneData(): string[] {
  prefixesOfAreaCode("000");
  return [...(byAreaCode as Map<string, PrefixMatch[]>).keys()].sort();
}

/** Every area code the place-name extract names. */
export function namedAreaCodes(): string[] {
  if (!placeMap) placeMap = new Map(parsePipeFile("nanp_area_codes.txt"));
  return [...placeMap.keys()].map((prefix) => prefix.slice(1)).sort();
}

/** The place name libphonenumber gives a NANP area code ("Florida", "Washington State"), if any. */
export function placeOfAreaCode(npa: string): string | undefined {
  if (!placeMap) placeMap = new Map(parsePipeFile("nanp_area_codes.txt"));
  return placeMap.get(`1${npa}`);
}
