import { IANAZone } from "luxon";
import {
  type Region,
  regionOfCode,
  regionOfPlace,
  regionOfUnnamedAreaCode,
  US_REGION_ZONES,
} from "./geography.ts";
import { placeOfAreaCode, zonesForDigits } from "./phone-data.ts";
import type { NanpNumber } from "./phone-number.ts";
import { areaCodeOverride, exchangeOverride } from "./zone-overrides.ts";

/**
 * Everything the number and the contact's record say about WHERE the called party may be:
 * candidate zones (prefix data, cited overrides, declared zone, address state) and
 * jurisdictions (the country, the area code's state, the address state). All are sets; the
 * engine requires every member to allow the call.
 */
export interface ZoneCandidate {
  zone: string;
  /** Why this zone is a candidate, e.g. "prefix 1850", "override 850-432", "declared", "address FL". */
  source: string;
}

export interface Candidates {
  zones: ZoneCandidate[];
  regions: Region[];
  /** "US", "US-FL", "CA", … */
  jurisdictions: string[];
  /** The area code's own place, when the data knows it. */
  areaCodePlace: string | undefined;
}

export interface CandidateInput {
  number: NanpNumber;
  declaredZone?: string | undefined;
  addressState?: string | undefined;
}

export function resolveCandidates(input: CandidateInput): Candidates {
  const { number } = input;
  const zones: ZoneCandidate[] = [];
  const add = (zone: string, source: string) => {
    if (!zones.some((z) => z.zone === zone)) zones.push({ zone, source });
  };

  const exchange = exchangeOverride(number.npa, number.nxx);
  if (exchange) {
    for (const zone of exchange.zones) add(zone, `override ${number.npa}-${number.nxx}`);
  } else {
    const match = zonesForDigits(number.digits);
    // The country-wide row ("1" → every NANP zone) says nothing about this number: an area code
    // the data does not know contributes no zone (the caller must then give one).
    if (match && match.prefix.length > 1) {
      for (const zone of match.zones) add(zone, `prefix ${match.prefix}`);
      const npaOverride = match.prefix.length <= 4 ? areaCodeOverride(number.npa) : undefined;
      for (const zone of npaOverride?.addZones ?? []) add(zone, `override ${number.npa}`);
    }
  }
  if (input.declaredZone && IANAZone.isValidZone(input.declaredZone)) add(input.declaredZone, "declared");

  const regions: Region[] = [];
  const addRegion = (region: Region | undefined) => {
    if (region && !regions.some((r) => r.country === region.country && r.code === region.code))
      regions.push(region);
  };
  const place = placeOfAreaCode(number.npa);
  addRegion(place ? regionOfPlace(place) : regionOfUnnamedAreaCode(number.npa));
  if (input.addressState) {
    const address = regionOfCode(input.addressState);
    addRegion(address);
    if (address?.country === "US")
      for (const zone of US_REGION_ZONES[address.code] ?? []) add(zone, `address ${address.code}`);
  }

  const jurisdictions: string[] = [];
  for (const region of regions) {
    if (!jurisdictions.includes(region.country)) jurisdictions.push(region.country);
    const local = `${region.country}-${region.code}`;
    if (!jurisdictions.includes(local)) jurisdictions.push(local);
  }
  return { zones, regions, jurisdictions, areaCodePlace: place };
}
