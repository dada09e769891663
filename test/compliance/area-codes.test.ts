import { readFileSync } from "node:fs";
import { DateTime, IANAZone } from "luxon";
import { describe, expect, it } from "vitest";
import {
  allAreaCodeEntries,
  areaCodeEntry,
  correctedRow,
  ownZonesOfAreaCode,
  zonesOfRegions,
} from "../../src/compliance/area-codes.ts";
import { CA_REGION_ZONES, US_REGION_ZONES } from "../../src/compliance/geography.ts";
import { OVERLAY_COMPLEXES } from "../../src/compliance/overlays.ts";
import {
  areaCodesOfZoneData,
  namedAreaCodes,
  prefixesOfAreaCode,
  zonesForDigits,
} from "../../src/compliance/phone-data.ts";
import {
  AREA_CODE_OVERRIDES,
  EXCHANGE_OVERRIDES,
  PREFIX_CORRECTIONS,
  ZONE_RENAMES,
} from "../../src/compliance/zone-overrides.ts";

/**
 * The reviewed area-code table, checked as a whole: every area code's zones (its own row,
 * every exchange row, every correction) lie in the zones of the regions it serves; overlays
 * agree; every zone of a split region is reachable from its area codes; every name is a real
 * IANA zone; and every correction is listed in docs/compliance.md.
 */
const entries = allAreaCodeEntries();

/** Offsets on a winter and a summer day: zones with the same pair behave the same in 2026. */
const behaviour = (zone: string) =>
  [DateTime.fromISO("2026-01-15T12:00:00Z"), DateTime.fromISO("2026-07-15T12:00:00Z")]
    .map((t) => t.setZone(zone).offset)
    .join("/");

describe("the vendored time-zone table as searched text", () => {
  // phone-data.ts finds an area code's rows as one contiguous run of lines: that holds only
  // while upstream keeps the file sorted by prefix, so a refresh that breaks it fails here.
  const rows = readFileSync(
    new URL("../../src/compliance/data/timezones_map_data.txt", import.meta.url),
    "utf8",
  )
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => line.split("|") as [string, string]);

  it("is sorted by prefix, so one area code's rows are contiguous", () => {
    const prefixes = rows.map(([prefix]) => prefix);
    expect(prefixes).toEqual([...prefixes].sort());
  });

  it("gives every area code's rows, every area code, and longest-prefix matches as a full parse would", () => {
    const byNpa = new Map<string, string[]>();
    for (const [prefix, zones] of rows)
      if (prefix.startsWith("1") && prefix.length >= 4)
        byNpa.set(prefix.slice(1, 4), [...(byNpa.get(prefix.slice(1, 4)) ?? []), `${prefix}|${zones}`]);
    expect(areaCodesOfZoneData()).toEqual([...byNpa.keys()].sort());
    for (const [npa, expected] of byNpa)
      expect(prefixesOfAreaCode(npa).map((r) => `${r.prefix}|${r.zones.join("&")}`)).toEqual(expected);
    expect(prefixesOfAreaCode("000")).toEqual([]);
    const map = new Map(rows);
    for (const digits of ["12125550123", "18765551234", "1907581", "4420", "999", "1"]) {
      let expected: { prefix: string; zones: string[] } | undefined;
      for (let length = digits.length; length > 0 && !expected; length -= 1) {
        const zones = map.get(digits.slice(0, length));
        if (zones) expected = { prefix: digits.slice(0, length), zones: zones.split("&") };
      }
      expect(zonesForDigits(digits)).toEqual(expected);
    }
  });
});

describe("the reviewed area-code table", () => {
  it("covers every US, Canadian and territory area code the data names (400+)", () => {
    expect(entries.length).toBeGreaterThan(400);
    const missing = namedAreaCodes().filter((npa) => !areaCodeEntry(npa));
    expect(missing).toEqual([]);
    for (const npa of ["787", "939", "340", "671", "670", "684"]) expect(areaCodeEntry(npa)).toBeDefined();
  });

  it("every area code's zones, and every exchange row's, lie in the zones of the regions it serves", () => {
    const outside: string[] = [];
    for (const entry of entries) {
      const allowed = zonesOfRegions(entry.regions);
      const where = entry.regions.map((r) => r.code).join("/");
      for (const z of entry.zones)
        if (!allowed.has(z.zone)) outside.push(`${entry.npa} ${where}: ${z.zone} (${z.source})`);
      for (const row of prefixesOfAreaCode(entry.npa))
        for (const z of correctedRow(row).zones)
          if (!allowed.has(z.zone)) outside.push(`${row.prefix} ${where}: ${z.zone} (${z.source})`);
    }
    for (const row of EXCHANGE_OVERRIDES) {
      const entry = areaCodeEntry(row.npa);
      const allowed = zonesOfRegions(entry?.regions ?? []);
      for (const zone of row.zones) if (!allowed.has(zone)) outside.push(`${row.npa}-${row.nxx}: ${zone}`);
    }
    expect(outside).toEqual([]);
  });

  it("area codes of one overlay complex have the same zone behaviours in their own data", () => {
    const disagreements: string[] = [];
    for (const complex of OVERLAY_COMPLEXES) {
      const sets = complex.map((npa) =>
        [...new Set(ownZonesOfAreaCode(npa).map((z) => behaviour(z.zone)))].sort().join(","),
      );
      if (new Set(sets).size > 1)
        disagreements.push(complex.map((npa, i) => `${npa}=[${sets[i]}]`).join(" "));
    }
    expect(disagreements).toEqual([]);
  });

  it("every zone behaviour of a region is reachable from its area codes (split regions are split)", () => {
    const unreachable: string[] = [];
    const regionTables = { US: US_REGION_ZONES, CA: CA_REGION_ZONES } as const;
    for (const [country, table] of Object.entries(regionTables))
      for (const [code, zones] of Object.entries(table)) {
        const served = entries.filter((e) => e.regions.some((r) => r.country === country && r.code === code));
        expect(served.length, `${country}-${code} has area codes`).toBeGreaterThan(0);
        const reached = new Set(served.flatMap((e) => e.zones.map((z) => behaviour(z.zone))));
        for (const zone of zones)
          if (!reached.has(behaviour(zone)))
            unreachable.push(`${country}-${code}: ${zone} (${behaviour(zone)})`);
      }
    expect(unreachable).toEqual([]);
  });

  it("every zone named anywhere is a valid IANA zone", () => {
    const names = new Set<string>([
      ...Object.values(US_REGION_ZONES).flat(),
      ...Object.values(CA_REGION_ZONES).flat(),
      ...entries.flatMap((e) => e.zones.map((z) => z.zone)),
      ...PREFIX_CORRECTIONS.flatMap((r) => r.zones),
      ...ZONE_RENAMES.flatMap((r) => r.to),
    ]);
    expect([...names].filter((zone) => !IANAZone.isValidZone(zone))).toEqual([]);
  });

  it("docs/compliance.md lists every correction", () => {
    const doc = readFileSync(new URL("../../docs/compliance.md", import.meta.url), "utf8");
    const keys = [
      ...PREFIX_CORRECTIONS.map((r) => r.prefix.slice(1)),
      ...ZONE_RENAMES.map((r) => `${r.npa} ${r.from}`),
      ...AREA_CODE_OVERRIDES.map((r) => r.npa),
      ...EXCHANGE_OVERRIDES.map((r) => `${r.npa}-${r.nxx}`),
      ...OVERLAY_COMPLEXES.map((c) => c.join("/")),
    ];
    expect(keys.filter((key) => !doc.includes(`\`${key}\``))).toEqual([]);
  });
});
