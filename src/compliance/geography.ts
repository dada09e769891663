/**
 * Where a jurisdiction is: libphonenumber's area-code place names mapped to a country and a
 * state/province code, the zones each US state (and territory) spans, for contacts whose
 * address is all we know, and the US territories the area-code extract does not name.
 */

export type Country = "US" | "CA";

export interface Region {
  country: Country;
  /** Two-letter USPS state/territory or Canadian province code. */
  code: string;
}

const ET = "America/New_York";
const CT = "America/Chicago";
const MT = "America/Denver";
const PT = "America/Los_Angeles";

/** Every zone some part of Alaska uses (49 CFR part 71; IANA): its state and its one area code, 907. */
export const ALASKA_ZONES: readonly string[] = [
  "America/Anchorage",
  "America/Juneau",
  "America/Sitka",
  "America/Yakutat",
  "America/Nome",
  "America/Metlakatla",
  "America/Adak",
];

/** The zones of Indiana's counties (IANA): with Eastern and Central time, its state's zones. */
export const INDIANA_ZONES: readonly string[] = [
  "America/Indiana/Indianapolis",
  "America/Indiana/Knox",
  "America/Indiana/Marengo",
  "America/Indiana/Petersburg",
  "America/Indiana/Tell_City",
  "America/Indiana/Vevay",
  "America/Indiana/Vincennes",
  "America/Indiana/Winamac",
];

/**
 * US states, DC and territories → every IANA zone some part of it uses (49 CFR part 71 zone
 * boundaries; IANA tzdata for the local exceptions). A contact's address state contributes all
 * of them: we do not know the county.
 */
export const US_REGION_ZONES: Readonly<Record<string, readonly string[]>> = {
  AL: [CT],
  AK: ALASKA_ZONES,
  AZ: ["America/Phoenix", MT], // Navajo Nation observes DST (= America/Denver)
  AR: [CT],
  CA: [PT],
  CO: [MT],
  CT: [ET],
  DE: [ET],
  DC: [ET],
  FL: [ET, CT],
  GA: [ET],
  HI: ["Pacific/Honolulu"],
  ID: ["America/Boise", MT, PT], // libphonenumber names northern Idaho's Mountain time Denver
  IL: [CT],
  IN: [
    ...INDIANA_ZONES,
    ET, // libphonenumber's name for Indiana's Eastern time
    CT,
  ],
  IA: [CT],
  KS: [CT, MT],
  KY: ["America/Kentucky/Louisville", "America/Kentucky/Monticello", ET, CT],
  LA: [CT],
  ME: [ET],
  MD: [ET],
  MA: [ET],
  MI: ["America/Detroit", "America/Menominee", ET, CT], // libphonenumber: New_York / Chicago
  MN: [CT],
  MS: [CT],
  MO: [CT],
  MT: [MT],
  NE: [CT, MT],
  NV: [PT, MT, "America/Boise"], // West Wendover, Jackpot and Owyhee keep Mountain time
  NH: [ET],
  NJ: [ET],
  NM: [MT],
  NY: [ET],
  NC: [ET],
  ND: [
    CT,
    MT,
    "America/North_Dakota/Center",
    "America/North_Dakota/New_Salem",
    "America/North_Dakota/Beulah",
  ],
  OH: [ET],
  OK: [CT],
  OR: [PT, "America/Boise", MT], // Malheur County: Mountain (libphonenumber names it Denver)
  PA: [ET],
  RI: [ET],
  SC: [ET],
  SD: [CT, MT],
  TN: [CT, ET],
  TX: [CT, MT],
  UT: [MT],
  VT: [ET],
  VA: [ET],
  WA: [PT],
  WV: [ET],
  WI: [CT],
  WY: [MT],
  PR: ["America/Puerto_Rico"],
  VI: ["America/St_Thomas"],
  GU: ["Pacific/Guam"],
  MP: ["Pacific/Saipan"],
  AS: ["Pacific/Pago_Pago"],
};

/**
 * Canadian provinces and territories → every IANA zone some part of it uses (provincial time
 * acts; IANA tzdata `northamerica`, zone.tab comments). Where libphonenumber names a zone with
 * the same rules by another name (Halifax for New Brunswick, Toronto for Iqaluit), that name
 * is listed too, marked "same rules", so the per-area-code test accepts it.
 */
export const CA_REGION_ZONES: Readonly<Record<string, readonly string[]>> = {
  AB: ["America/Edmonton"],
  // Lower Mainland/Island Pacific; East Kootenay Mountain with DST; Creston, Dawson Creek,
  // Fort St. John and Fort Nelson UTC−7 all year.
  BC: [
    "America/Vancouver",
    "America/Edmonton",
    "America/Creston",
    "America/Dawson_Creek",
    "America/Fort_Nelson",
  ],
  MB: ["America/Winnipeg"],
  NB: ["America/Moncton", "America/Halifax"], // Halifax: same rules
  // Newfoundland time; Labrador (most) Atlantic with DST (Goose_Bay; Halifax: same rules).
  NL: ["America/St_Johns", "America/Goose_Bay", "America/Halifax"],
  NS: ["America/Halifax", "America/Glace_Bay"],
  PE: ["America/Halifax"],
  // Yellowknife (now a link to Edmonton) and Inuvik: Mountain with DST.
  NT: ["America/Edmonton", "America/Inuvik"],
  // Eastern (Iqaluit), Central (Rankin Inlet, Resolute), Mountain (Cambridge Bay), and
  // Coral Harbour on EST all year (Atikokan); Toronto/Winnipeg: same rules.
  NU: [
    "America/Iqaluit",
    "America/Rankin_Inlet",
    "America/Resolute",
    "America/Cambridge_Bay",
    "America/Atikokan",
    "America/Toronto",
    "America/Winnipeg",
    "America/Edmonton",
  ],
  // Eastern; north-west (Kenora, Rainy River) Central; Atikokan EST all year.
  ON: ["America/Toronto", "America/Winnipeg", "America/Atikokan"],
  // Eastern; Magdalen Islands Atlantic with DST; Lower North Shore AST all year.
  QC: ["America/Toronto", "America/Halifax", "America/Blanc-Sablon"],
  // CST all year; Lloydminster keeps Alberta's time (Saskatchewan Time Act, s. 3).
  SK: ["America/Regina", "America/Swift_Current", "America/Edmonton"],
  // UTC−7 all year since 2020-11-01 (Yukon Time Act order, OIC 2020/125).
  YT: ["America/Whitehorse", "America/Dawson"],
};

export const CA_PROVINCES: readonly string[] = Object.keys(CA_REGION_ZONES);

/** Every zone some part of a region uses (US state/territory or Canadian province). */
export function zonesOfRegion(region: Region): readonly string[] {
  return (region.country === "US" ? US_REGION_ZONES : CA_REGION_ZONES)[region.code] ?? [];
}

const US_NAMES: Record<string, string> = {
  Alabama: "AL",
  Alaska: "AK",
  Arizona: "AZ",
  Arkansas: "AR",
  California: "CA",
  Colorado: "CO",
  Connecticut: "CT",
  Delaware: "DE",
  "Washington D.C.": "DC",
  Florida: "FL",
  Georgia: "GA",
  Hawaii: "HI",
  Idaho: "ID",
  Illinois: "IL",
  Indiana: "IN",
  Iowa: "IA",
  Kansas: "KS",
  Kentucky: "KY",
  Louisiana: "LA",
  Maine: "ME",
  Maryland: "MD",
  Massachusetts: "MA",
  Michigan: "MI",
  Minnesota: "MN",
  Mississippi: "MS",
  Missouri: "MO",
  Montana: "MT",
  Nebraska: "NE",
  Nevada: "NV",
  "New Hampshire": "NH",
  "New Jersey": "NJ",
  "New Mexico": "NM",
  "New York": "NY",
  "North Carolina": "NC",
  "North Dakota": "ND",
  Ohio: "OH",
  Oklahoma: "OK",
  Oregon: "OR",
  Pennsylvania: "PA",
  "Rhode Island": "RI",
  "South Carolina": "SC",
  "South Dakota": "SD",
  Tennessee: "TN",
  Texas: "TX",
  Utah: "UT",
  Vermont: "VT",
  Virginia: "VA",
  "Washington State": "WA",
  "West Virginia": "WV",
  Wisconsin: "WI",
  Wyoming: "WY",
};

const CA_NAMES: Record<string, string> = {
  Alberta: "AB",
  "British Columbia": "BC",
  "British Colombia": "BC",
  Manitoba: "MB",
  "New Brunswick": "NB",
  "Newfoundland and Labrador": "NL",

  Ontario: "ON",
  Quebec: "QC",
  Saskatchewan: "SK",
};

/**
 * Area codes the extract does not name (it keeps only the lines naming a whole area code):
 * the US territories, and five area codes upstream lists only at longer prefixes. Source:
 * NANPA area code assignments (787/939 Puerto Rico, 340 USVI, 671 Guam, 670 Northern Mariana
 * Islands, 684 American Samoa; 203 Connecticut, 310 California, 713 Texas, 718 New York,
 * 905 Ontario). The other unnamed codes are Caribbean countries, for which no rules exist here.
 */
const UNNAMED_AREA_CODES: Record<string, Region> = {
  "787": { country: "US", code: "PR" },
  "939": { country: "US", code: "PR" },
  "340": { country: "US", code: "VI" },
  "671": { country: "US", code: "GU" },
  "670": { country: "US", code: "MP" },
  "684": { country: "US", code: "AS" },
  "203": { country: "US", code: "CT" },
  "310": { country: "US", code: "CA" },
  "713": { country: "US", code: "TX" },
  "718": { country: "US", code: "NY" },
  "905": { country: "CA", code: "ON" },
};

/** Place names that cover several regions: every one of them is a candidate. */
const SHARED_PLACES: Record<string, readonly Region[]> = {
  "Nova Scotia/Prince Edward Island": [
    { country: "CA", code: "NS" },
    { country: "CA", code: "PE" },
  ],
  "Northwest Territories/Nunavut/Yukon": [
    { country: "CA", code: "YT" },
    { country: "CA", code: "NT" },
    { country: "CA", code: "NU" },
  ],
};

/** "Florida" → [US/FL]; "Palm Beach, FL" → [US/FL]; "Nova Scotia/Prince Edward Island" → [NS, PE]. */
export function regionsOfPlace(place: string): readonly Region[] {
  const shared = SHARED_PLACES[place];
  if (shared) return shared;
  const us = US_NAMES[place];
  if (us) return [{ country: "US", code: us }];
  const ca = CA_NAMES[place];
  if (ca) return [{ country: "CA", code: ca }];
  const suffix = /, ([A-Z]{2})$/.exec(place)?.[1];
  if (suffix && suffix in US_REGION_ZONES) return [{ country: "US", code: suffix }];
  if (suffix && CA_PROVINCES.includes(suffix)) return [{ country: "CA", code: suffix }];
  return [];
}

export function regionOfUnnamedAreaCode(npa: string): Region | undefined {
  return UNNAMED_AREA_CODES[npa];
}

/** A two-letter code as given in an address: a US state/territory or a Canadian province. */
export function regionOfCode(code: string): Region | undefined {
  const upper = code.toUpperCase();
  if (upper in US_REGION_ZONES) return { country: "US", code: upper };
  if (CA_PROVINCES.includes(upper)) return { country: "CA", code: upper };
  return undefined;
}
