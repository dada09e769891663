import type { NanpNumber } from "../../core/phone-number.ts";
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
   * `declared` where a declared zone joined either.
   */
  zoneDerivation: "zip" | "number" | "number+address";
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

export function resolveCandidates(input: CandidateInput): Candidates {
  const { number } = input;
  // A ZIP the table places narrows the zone to the consumer's own (an Oregon number in Portland
  // is not judged at Malheur County's Mountain time); else the number's zones and the state's.
  const zipZone = zoneOfZip(input.zip);
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
    zoneDerivation: zipZone ? "zip" : input.addressState ? "number+address" : "number",
  };
}
