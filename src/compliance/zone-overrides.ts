/**
 * Corrections to the vendored prefix → zone data, reviewed like the rule table (each row
 * cited; docs/compliance.md lists them all). Four kinds:
 *
 * - A PREFIX correction replaces the zones of one row of the data (an area code's own row, or
 *   one exchange's): the row is wrong (689 Orlando mapped to Chicago).
 * - A ZONE RENAME replaces one zone by others in every row of an area code: a class of rows
 *   made wrong by one fact (Yukon left Pacific time in 2020: every 867 row saying Vancouver).
 * - An AREA-CODE row adds zones to every number of that area code whose exchange the data does
 *   not decide: split area codes and overlays added after the data was made. Adding is the
 *   conservative direction: more candidate zones can only narrow the calling window.
 * - An EXCHANGE row (NPA-NXX) decides the zones of that exchange: its rate centre lies in one
 *   zone, so the area code's other zones no longer apply to it.
 *
 * Federal time-zone boundaries: 49 CFR part 71 (71.4 Eastern, 71.5 Central, 71.7 Mountain,
 * 71.8 Pacific); exchange rate centres: NANPA central office code assignments; Canadian zones:
 * the provinces' time acts and IANA tzdata (`northamerica`).
 */

import { ALASKA_ZONES } from "./geography.ts";

const CT = "America/Chicago";
const ET = "America/New_York";
const MT = "America/Denver";

export interface PrefixCorrection {
  /** Digits with the country code, as in the data: "1689" (area code) or "1907581" (exchange). */
  prefix: string;
  zones: readonly string[];
  citation: string;
}

export interface ZoneRename {
  npa: string;
  from: string;
  to: readonly string[];
  citation: string;
}

export const PREFIX_CORRECTIONS: readonly PrefixCorrection[] = [
  {
    prefix: "1689",
    zones: [ET],
    citation: "NANPA: 689 overlays 407/321 (Orlando, in service 2019); 49 CFR 71.4: Eastern",
  },
  {
    prefix: "1474",
    zones: ["America/Regina"],
    citation: "CRTC: 474 overlays 306/639 (Saskatchewan, in service 2022); The Time Act (SK): CST all year",
  },
  {
    prefix: "1907581",
    zones: ["America/Anchorage", "America/Nome"],
    citation:
      "NANPA rate centre UNALASKA: Alaska time (only the Aleutians west of 169°30'W keep Hawaii-Aleutian time); 49 CFR part 71, Alaska zone",
  },
  {
    prefix: "1605",
    zones: [CT, MT],
    citation:
      "49 CFR 71.5/71.7: South Dakota is Central (east) and Mountain (west); North_Dakota/Center is not in SD",
  },
  {
    prefix: "1867",
    zones: [
      "America/Whitehorse",
      "America/Dawson",
      "America/Edmonton",
      "America/Inuvik",
      "America/Iqaluit",
      "America/Rankin_Inlet",
      "America/Resolute",
      "America/Cambridge_Bay",
      "America/Atikokan",
    ],
    citation:
      "867 serves Yukon, Northwest Territories and Nunavut (CRTC); every zone of the three (IANA tzdata); Fort_Nelson is British Columbia",
  },
];

export const ZONE_RENAMES: readonly ZoneRename[] = [
  {
    npa: "867",
    from: "America/Vancouver",
    to: ["America/Whitehorse"],
    citation:
      "Yukon Time Act order (OIC 2020/125): UTC−7 all year since 2020-11-01; those exchanges are Yukon's",
  },
  {
    npa: "709",
    from: "America/Puerto_Rico",
    to: ["America/Goose_Bay"],
    citation: "Labrador keeps Atlantic time WITH daylight saving (IANA America/Goose_Bay), not AST all year",
  },
  {
    npa: "879",
    from: "America/Puerto_Rico",
    to: ["America/Goose_Bay"],
    citation: "879 overlays 709 (2022); Labrador: IANA America/Goose_Bay",
  },
];

export interface AreaCodeOverride {
  npa: string;
  addZones: readonly string[];
  citation: string;
}

export interface ExchangeOverride {
  npa: string;
  nxx: string;
  zones: readonly string[];
  place: string;
  citation: string;
}

export const AREA_CODE_OVERRIDES: readonly AreaCodeOverride[] = [
  { npa: "850", addZones: [CT], citation: "49 CFR 71.5: Florida west of the Apalachicola River is Central" },
  { npa: "448", addZones: [CT], citation: "NANPA PL-523: 448 overlays 850 (2021); 49 CFR 71.5" },
  { npa: "270", addZones: [CT], citation: "49 CFR 71.5: western Kentucky is Central" },
  { npa: "364", addZones: [CT], citation: "NANPA: 364 overlays 270 (2014); 49 CFR 71.5" },
  { npa: "219", addZones: [CT], citation: "49 CFR 71.5: Lake, Porter counties (IN) are Central" },
  { npa: "812", addZones: [CT], citation: "49 CFR 71.5: south-western Indiana (Evansville) is Central" },
  { npa: "930", addZones: [CT], citation: "NANPA: 930 overlays 812 (2015); 49 CFR 71.5" },
  { npa: "208", addZones: ["America/Los_Angeles"], citation: "49 CFR 71.8: northern Idaho is Pacific" },
  { npa: "541", addZones: ["America/Boise"], citation: "49 CFR 71.7: Malheur County (OR) is Mountain" },
  { npa: "458", addZones: ["America/Boise"], citation: "NANPA: 458 overlays 541 (2010); 49 CFR 71.7" },
  { npa: "308", addZones: [MT], citation: "49 CFR 71.7: western Nebraska is Mountain" },
  { npa: "605", addZones: [CT], citation: "49 CFR 71.5: eastern South Dakota is Central" },
  { npa: "785", addZones: [MT], citation: "49 CFR 71.7: four western Kansas counties are Mountain" },
  { npa: "620", addZones: [MT], citation: "49 CFR 71.7: Hamilton, Greeley counties (KS) are Mountain" },
  {
    npa: "906",
    addZones: ["America/Menominee"],
    citation: "49 CFR 71.5: four Upper Peninsula counties (MI) are Central",
  },
  { npa: "423", addZones: [ET], citation: "49 CFR 71.4: eastern Tennessee (Chattanooga) is Eastern" },
  { npa: "931", addZones: [ET], citation: "49 CFR 71.4/71.5: the Cumberland Plateau line splits 931" },
  { npa: "915", addZones: [CT], citation: "49 CFR 71.5/71.7: 915 borders the Central zone (conservative)" },
  { npa: "432", addZones: [MT], citation: "49 CFR 71.7: Culberson County (TX) is Mountain" },
  {
    npa: "928",
    addZones: [MT],
    citation: "Navajo Nation observes DST (America/Denver) unlike the rest of Arizona",
  },
  {
    npa: "807",
    addZones: ["America/Winnipeg", "America/Atikokan"],
    citation: "Ontario west of 90°W (Kenora, Rainy River) is Central; Atikokan keeps EST all year (IANA)",
  },
  ...["418", "581", "367"].map((npa) => ({
    npa,
    addZones: ["America/Halifax", "America/Blanc-Sablon"],
    citation:
      "Quebec: Magdalen Islands keep Atlantic time with DST; the Lower North Shore AST all year (IANA America/Blanc-Sablon)",
  })),
  ...["250", "236", "672", "778", "257"].map((npa) => ({
    npa,
    addZones: ["America/Edmonton", "America/Creston", "America/Dawson_Creek", "America/Fort_Nelson"],
    citation:
      "British Columbia: East Kootenay on Mountain time; Creston, Dawson Creek and Fort Nelson UTC−7 all year (IANA)",
  })),
  ...["306", "639", "474"].map((npa) => ({
    npa,
    addZones: ["America/Edmonton"],
    citation: "The Time Act (SK) s. 3: Lloydminster keeps Alberta's (Mountain) time",
  })),
  ...["709", "879"].map((npa) => ({
    npa,
    addZones: ["America/St_Johns", "America/Goose_Bay"],
    citation: "Newfoundland time on the island, Atlantic with DST in most of Labrador (IANA)",
  })),
  {
    npa: "907",
    addZones: ALASKA_ZONES,
    citation: "907 serves all of Alaska: every Alaskan zone (49 CFR part 71; IANA)",
  },
];

export const EXCHANGE_OVERRIDES: readonly ExchangeOverride[] = [
  // Pensacola (Escambia County) is west of the Apalachicola: Central only.
  {
    npa: "850",
    nxx: "432",
    zones: [CT],
    place: "Pensacola, FL",
    citation: "NANPA rate centre PENSACOLA; 49 CFR 71.5",
  },
  {
    npa: "850",
    nxx: "433",
    zones: [CT],
    place: "Pensacola, FL",
    citation: "NANPA rate centre PENSACOLA; 49 CFR 71.5",
  },
  {
    npa: "850",
    nxx: "434",
    zones: [CT],
    place: "Pensacola, FL",
    citation: "NANPA rate centre PENSACOLA; 49 CFR 71.5",
  },
  {
    npa: "850",
    nxx: "438",
    zones: [CT],
    place: "Pensacola, FL",
    citation: "NANPA rate centre PENSACOLA; 49 CFR 71.5",
  },
  // Tallahassee (Leon County) is east of it: Eastern only.
  {
    npa: "850",
    nxx: "222",
    zones: [ET],
    place: "Tallahassee, FL",
    citation: "NANPA rate centre TALLAHASSEE; 49 CFR 71.4",
  },
  {
    npa: "850",
    nxx: "224",
    zones: [ET],
    place: "Tallahassee, FL",
    citation: "NANPA rate centre TALLAHASSEE; 49 CFR 71.4",
  },
];

const byNpa = new Map(AREA_CODE_OVERRIDES.map((row) => [row.npa, row]));
const byExchange = new Map(EXCHANGE_OVERRIDES.map((row) => [`${row.npa}${row.nxx}`, row]));
const byPrefix = new Map(PREFIX_CORRECTIONS.map((row) => [row.prefix, row]));

export const areaCodeOverride = (npa: string): AreaCodeOverride | undefined => byNpa.get(npa);
export const prefixCorrection = (prefix: string): PrefixCorrection | undefined => byPrefix.get(prefix);
export const zoneRenamesOf = (npa: string): readonly ZoneRename[] =>
  ZONE_RENAMES.filter((r) => r.npa === npa);
export const exchangeOverride = (npa: string, nxx: string): ExchangeOverride | undefined =>
  byExchange.get(`${npa}${nxx}`);
