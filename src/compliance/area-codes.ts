import { type Region, regionOfUnnamedAreaCode, regionsOfPlace, zonesOfRegion } from "./geography.ts";
import { overlayPartners } from "./overlays.ts";
import { areaCodesOfZoneData, type PrefixMatch, placeOfAreaCode, prefixesOfAreaCode } from "./phone-data.ts";
import { areaCodeOverride, exchangeOverride, prefixCorrection, zoneRenamesOf } from "./zone-overrides.ts";

/**
 * THE REVIEWED AREA-CODE TABLE: for every NANP area code in service in the US, Canada and the
 * US territories, the regions it serves and every zone a number of it may be in. Built from
 * the vendored libphonenumber rows (data/) with the cited corrections (zone-overrides.ts) and
 * the overlay complexes (overlays.ts); test/compliance/area-codes.test.ts checks
 * every entry's zones against its regions' zones, so a zone outside its region cannot pass.
 */

export interface ZoneSource {
  zone: string;
  /** Why: "prefix 1850", "correction 1689", "override 850", "overlay 407", "override 850-432". */
  source: string;
}

export interface AreaCodeEntry {
  npa: string;
  regions: readonly Region[];
  /** Every zone some number of this area code may be in (what an unlisted exchange gets). */
  zones: readonly ZoneSource[];
}

export type AreaCodeKind = "us_ca" | "other_country" | "non_geographic" | "unassigned";

/**
 * Non-geographic NANP area codes (NANPA: toll-free 8YY, premium 900, personal 5XX, Canadian
 * non-geographic 600/622/633/644/655/677/688, 700, government 710): assigned, but nothing
 * places their called party.
 */
const NON_GEOGRAPHIC = new Set([
  "800",
  "833",
  "844",
  "855",
  "866",
  "877",
  "888",
  "900",
  "500",
  "521",
  "522",
  "523",
  "524",
  "525",
  "526",
  "527",
  "528",
  "529",
  "532",
  "533",
  "535",
  "538",
  "542",
  "543",
  "544",
  "545",
  "546",
  "547",
  "549",
  "550",
  "552",
  "553",
  "554",
  "556",
  "558",
  "566",
  "569",
  "577",
  "578",
  "588",
  "589",
  "600",
  "622",
  "633",
  "644",
  "655",
  "677",
  "688",
  "700",
  "710",
]);

const addUnique = (into: ZoneSource[], zone: string, source: string) => {
  if (!into.some((z) => z.zone === zone)) into.push({ zone, source });
};

/** One row of the vendored data with the corrections applied (prefix corrections, renames). */
export function correctedRow(row: PrefixMatch): { prefix: string; zones: ZoneSource[] } {
  const fixed = prefixCorrection(row.prefix);
  if (fixed) {
    const zones: ZoneSource[] = [];
    for (const zone of fixed.zones) addUnique(zones, zone, `correction ${row.prefix}`);
    return { prefix: row.prefix, zones };
  }
  const renames = zoneRenamesOf(row.prefix.slice(1, 4));
  const zones: ZoneSource[] = [];
  for (const zone of row.zones) {
    const rename = renames.find((r) => r.from === zone);
    if (rename) for (const to of rename.to) addUnique(zones, to, `correction ${row.prefix}`);
    else addUnique(zones, zone, `prefix ${row.prefix}`);
  }
  return { prefix: row.prefix, zones };
}

/** The area code's own zones: every corrected row under it, plus its cited additions. */
export function ownZonesOfAreaCode(npa: string): ZoneSource[] {
  const zones: ZoneSource[] = [];
  for (const row of prefixesOfAreaCode(npa))
    for (const z of correctedRow(row).zones) addUnique(zones, z.zone, z.source);
  for (const zone of areaCodeOverride(npa)?.addZones ?? []) addUnique(zones, zone, `override ${npa}`);
  return zones;
}

export function regionsOfAreaCode(npa: string): readonly Region[] {
  const place = placeOfAreaCode(npa);
  if (place) return regionsOfPlace(place);
  const unnamed = regionOfUnnamedAreaCode(npa);
  return unnamed ? [unnamed] : [];
}

const entries = new Map<string, AreaCodeEntry | null>();

/** The reviewed entry of a US/Canadian/territory area code; undefined for any other. */
export function areaCodeEntry(npa: string): AreaCodeEntry | undefined {
  let entry = entries.get(npa);
  if (entry === undefined) {
    const regions = regionsOfAreaCode(npa);
    const zones = ownZonesOfAreaCode(npa);
    for (const partner of overlayPartners(npa))
      for (const z of ownZonesOfAreaCode(partner)) addUnique(zones, z.zone, `overlay ${partner}`);
    entry = regions.length > 0 && zones.length > 0 ? { npa, regions, zones } : null;
    entries.set(npa, entry);
  }
  return entry ?? undefined;
}

export function areaCodeKind(npa: string): AreaCodeKind {
  if (areaCodeEntry(npa)) return "us_ca";
  if (NON_GEOGRAPHIC.has(npa)) return "non_geographic";
  if (prefixesOfAreaCode(npa).length > 0 || placeOfAreaCode(npa)) return "other_country";
  return "unassigned";
}

/** Every US/Canadian/territory area code in the table, in order. */
export function allAreaCodeEntries(): AreaCodeEntry[] {
  return areaCodesOfZoneData()
    .map((npa) => areaCodeEntry(npa))
    .filter((entry): entry is AreaCodeEntry => entry !== undefined);
}

/**
 * The zones of one exchange when something decides them (a cited exchange override, or an
 * exchange row of the data), else undefined: the area code's zones then apply.
 */
export function exchangeZones(npa: string, nxx: string): ZoneSource[] | undefined {
  const override = exchangeOverride(npa, nxx);
  if (override) return override.zones.map((zone) => ({ zone, source: `override ${npa}-${nxx}` }));
  const digits = `1${npa}${nxx}`;
  let best: PrefixMatch | undefined;
  for (const row of prefixesOfAreaCode(npa))
    if (
      row.prefix.length > 4 &&
      digits.startsWith(row.prefix) &&
      row.prefix.length > (best?.prefix.length ?? 0)
    )
      best = row;
  return best ? correctedRow(best).zones : undefined;
}

/** Every zone any region of the list uses. */
export function zonesOfRegions(regions: readonly Region[]): Set<string> {
  const zones = new Set<string>();
  for (const region of regions) for (const zone of zonesOfRegion(region)) zones.add(zone);
  return zones;
}
