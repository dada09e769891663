import type { NanpNumber } from "../core/phone-number.ts";
import { areaCodeEntry, exchangeZones, type ZoneSource, zonesOfRegions } from "./area-codes.ts";
import { type Region, regionOfCode, zonesOfRegion } from "./geography.ts";
import { zonesForDigits } from "./phone-data.ts";
import { zoneOfZip } from "./zip-zones.ts";
import { isIanaZone } from "./zone-names.ts";

/**
 * Everything the number and the contact's record say about WHERE the called party may be:
 * candidate zones (the reviewed area-code table, exchange rows, declared zone, address
 * region) and jurisdictions (the country, the area code's regions, the address region). All
 * are sets; the engine requires every member to allow the call.
 */
export type ZoneCandidate = ZoneSource;

/** Which derivation decided the zones a call is judged in. */
export type ZoneDerivation = "zip" | "number" | "number+address" | "number+zip";

export interface Candidates {
  zones: ZoneCandidate[];
  regions: Region[];
  /** "US", "US-FL", "CA", "CA-BC", … */
  jurisdictions: string[];
  /** The area code's own regions ("FL"; "YT/NT/NU"), when the table knows it. */
  areaCodePlace: string | undefined;
  /**
   * Which derivation decided the zones (issue 92 §4): `zip` (the consumer's ZIP placed them),
   * `number` (the area code and exchange), `number+address` (and the address's state: the union),
   * `number+zip` (a ZIP outside the number's regions or the state's: joined to them, issue 100),
   * `declared` where a declared zone joined either.
   */
  zoneDerivation: ZoneDerivation;
}

export interface CandidateInput {
  number: NanpNumber;
  declaredZone?: string | undefined;
  addressState?: string | undefined;
  /** The consumer's ZIP code: where the table places it, its zone alone is the called party's. */
  zip?: string | undefined;
}

/** Zones of the number itself (no contact data), cached per exchange: they never change. */
const numberZones = new Map<number, readonly ZoneSource[]>();
/** A small number naming each distinct cached zone list (for the verdict cache's keys). */
const zoneListIds = new WeakMap<readonly ZoneSource[], number>();
/** That id by NPA-NXX, so the per-contact lookup is one Map read (a WeakMap read cost ~0.5 µs). */
const exchangeListIds = new Map<number, number>();
/**
 * The next zone-list id. A counter of its own: the ids were once `numberZones.size`, which also
 * grows when a number's zones are looked up without an id (a contact judged with its history),
 * so two different zone lists could get one id and share cached verdicts.
 */
let nextZoneListId = 0;

/** An id for the number's own zone list: numbers with the same id have the same zones. */
export function zoneListIdOf(number: NanpNumber): number {
  const exchange = exchangeOf(number);
  let id = exchangeListIds.get(exchange);
  if (id === undefined) {
    const zones = zonesOfNumber(number);
    id = zoneListIds.get(zones);
    if (id === undefined) {
      id = nextZoneListId++;
      zoneListIds.set(zones, id);
    }
    exchangeListIds.set(exchange, id);
  }
  return id;
}

/** NPA-NXX as a number: a segmentation looks this up once per contact. */
const exchangeOf = (number: NanpNumber) => Number(number.digits.slice(1, 7));

function zonesOfNumber(number: NanpNumber): readonly ZoneSource[] {
  const key = exchangeOf(number);
  let found = numberZones.get(key);
  if (!found) {
    const entry = areaCodeEntry(number.npa);
    if (!entry) {
      // Another NANP country (Jamaica…): its zone is shown, though no rules apply to it. The
      // country-wide row ("1" → every NANP zone) says nothing about this number.
      const match = zonesForDigits(number.digits);
      found =
        match && match.prefix.length > 1
          ? match.zones.map((zone) => ({ zone, source: `prefix ${match.prefix}` }))
          : [];
    } else {
      const allowed = zonesOfRegions(entry.regions);
      const decided = exchangeZones(number.npa, number.nxx) ?? entry.zones;
      // Safety net behind the per-area-code test: a zone outside the area code's regions is a
      // data error, so the number gets every zone of its regions instead (refusing is safe).
      const inRegion = decided.filter((z) => allowed.has(z.zone));
      found =
        inRegion.length === decided.length
          ? decided
          : [
              ...inRegion,
              ...[...allowed]
                .filter((zone) => !inRegion.some((z) => z.zone === zone))
                .map((zone) => ({ zone, source: `region ${entry.regions.map((r) => r.code).join("/")}` })),
            ];
    }
    numberZones.set(key, found);
  }
  return found;
}

/**
 * The ZIP's zone where it may narrow the number's (issue 92 §4), else undefined. A ZIP only
 * narrows: its zone must lie in the zones of the area code's own regions and, when
 * an address state is given, in the state's — an Oregon number in Portland is not judged at
 * Malheur County's Mountain time, but a New York number with a Beverly Hills ZIP is not judged at
 * Pacific time alone (`--state NY --zip 90210` would allow 21:30 in New York). A ZIP outside them
 * joins the number's and the state's zones instead of replacing them.
 */
function narrowingZipZone(input: CandidateInput, zipZone: string | undefined): string | undefined {
  if (zipZone === undefined) return undefined;
  const entry = areaCodeEntry(input.number.npa);
  if (!entry || !zonesOfRegions(entry.regions).has(zipZone)) return undefined;
  if (input.addressState === undefined) return zipZone;
  const address = regionOfCode(input.addressState);
  return address && zonesOfRegion(address).includes(zipZone) ? zipZone : undefined;
}

/** A UK number: one zone (Europe/London: Great Britain and Northern Ireland keep one clock) and the UK's rules. */
const ukCandidates = (): Candidates => ({
  zones: [{ zone: "Europe/London", source: "country +44" }],
  regions: [],
  jurisdictions: ["GB"],
  areaCodePlace: "GB",
  zoneDerivation: "number",
});

export function resolveCandidates(input: CandidateInput): Candidates {
  const { number } = input;
  if (number.country === "GB") return ukCandidates();
  // A ZIP the table places inside the number's regions narrows the zone to the consumer's own;
  // else the number's zones, the state's, and a ZIP's from elsewhere, together.
  const placed = zoneOfZip(input.zip);
  const zipZone = narrowingZipZone(input, placed);
  const zones: ZoneCandidate[] = zipZone
    ? [{ zone: zipZone, source: `zip ${input.zip}` }]
    : [...zonesOfNumber(number)];
  const add = (zone: string, source: string) => {
    if (!zones.some((z) => z.zone === zone)) zones.push({ zone, source });
  };
  if (input.declaredZone && isIanaZone(input.declaredZone)) add(input.declaredZone, "declared");

  const regions: Region[] = [];
  const addRegion = (region: Region | undefined) => {
    if (region && !regions.some((r) => r.country === region.country && r.code === region.code))
      regions.push(region);
  };
  const entry = areaCodeEntry(number.npa);
  for (const region of entry?.regions ?? []) addRegion(region);
  if (input.addressState) {
    const address = regionOfCode(input.addressState);
    addRegion(address);
    if (address && !zipZone) for (const zone of zonesOfRegion(address)) add(zone, `address ${address.code}`);
  }
  const zipElsewhere = placed !== undefined && zipZone === undefined;
  if (zipElsewhere)
    add(placed, `zip ${input.zip} (outside the number's zones: judged with them, never instead)`);

  const jurisdictions: string[] = [];
  for (const region of regions) {
    if (!jurisdictions.includes(region.country)) jurisdictions.push(region.country);
    const local = `${region.country}-${region.code}`;
    if (!jurisdictions.includes(local)) jurisdictions.push(local);
  }
  return {
    zones,
    regions,
    jurisdictions,
    areaCodePlace: entry ? entry.regions.map((r) => r.code).join("/") : undefined,
    zoneDerivation: zipZone
      ? "zip"
      : zipElsewhere
        ? "number+zip"
        : input.addressState
          ? "number+address"
          : "number",
  };
}
