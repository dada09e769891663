/**
 * Corrections to the prefix → zone data, reviewed like the rule table (each row cited).
 *
 * - An AREA-CODE row adds zones to every number of that area code whose exchange the data does
 *   not decide (the data's match is the area code itself): split area codes and overlays added
 *   after the data was made. Adding is the conservative direction: more candidate zones can
 *   only narrow the calling window.
 * - An EXCHANGE row (NPA-NXX) decides the zones of that exchange: its rate centre lies in one
 *   zone, so the area code's other zone no longer applies to it.
 *
 * Federal time-zone boundaries: 49 CFR part 71 (71.4 Eastern, 71.5 Central, 71.7 Mountain,
 * 71.8 Pacific); exchange rate centres: NANPA central office code assignments.
 */

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

const CT = "America/Chicago";
const ET = "America/New_York";
const MT = "America/Denver";

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

export const areaCodeOverride = (npa: string): AreaCodeOverride | undefined => byNpa.get(npa);
export const exchangeOverride = (npa: string, nxx: string): ExchangeOverride | undefined =>
  byExchange.get(`${npa}${nxx}`);
