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

/**
 * US states, DC and territories → every IANA zone some part of it uses (49 CFR part 71 zone
 * boundaries; IANA tzdata for the local exceptions). A contact's address state contributes all
 * of them: we do not know the county.
 */
export const US_REGION_ZONES: Readonly<Record<string, readonly string[]>> = {
  AL: [CT],
  AK: [
    "America/Anchorage",
    "America/Juneau",
    "America/Sitka",
    "America/Yakutat",
    "America/Nome",
    "America/Metlakatla",
    "America/Adak",
  ],
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
  ID: ["America/Boise", PT],
  IL: [CT],
  IN: ["America/Indiana/Indianapolis", CT],
  IA: [CT],
  KS: [CT, MT],
  KY: [ET, CT],
  LA: [CT],
  ME: [ET],
  MD: [ET],
  MA: [ET],
  MI: ["America/Detroit", "America/Menominee"],
  MN: [CT],
  MS: [CT],
  MO: [CT],
  MT: [MT],
  NE: [CT, MT],
  NV: [PT, MT], // West Wendover uses Mountain time
  NH: [ET],
  NJ: [ET],
  NM: [MT],
  NY: [ET],
  NC: [ET],
  ND: [CT, MT],
  OH: [ET],
  OK: [CT],
  OR: [PT, "America/Boise"],
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

export const CA_PROVINCES: readonly string[] = [
  "AB",
  "BC",
  "MB",
  "NB",
  "NL",
  "NS",
  "NT",
  "NU",
  "ON",
  "PE",
  "QC",
  "SK",
  "YT",
];

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
  "Nova Scotia/Prince Edward Island": "NS",
  "Northwest Territories/Nunavut/Yukon": "NT",
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

/** "Florida" → US/FL; "Palm Beach, FL" → US/FL; "Toronto, ON" → CA/ON. */
export function regionOfPlace(place: string): Region | undefined {
  const us = US_NAMES[place];
  if (us) return { country: "US", code: us };
  const ca = CA_NAMES[place];
  if (ca) return { country: "CA", code: ca };
  const suffix = /, ([A-Z]{2})$/.exec(place)?.[1];
  if (suffix && suffix in US_REGION_ZONES) return { country: "US", code: suffix };
  if (suffix && CA_PROVINCES.includes(suffix)) return { country: "CA", code: suffix };
  return undefined;
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
