/**
 * A curated set of NANP area codes for generating US phone numbers: every US time zone
 * (including Arizona without DST, Alaska, Hawaii and the territories) and many states, plus
 * some area codes that span two zones, so compliance code meets the awkward cases. It is test
 * data for the emulator, not a lookup table (the real one lives in the vendored libphonenumber
 * data).
 */
export interface AreaCode {
  npa: string;
  state: string;
  /** The zone most of the area code is in. */
  timeZone: string;
  /** Other zones part of the area code is in (split area codes). */
  otherZones?: string[];
}

const ET = "America/New_York";
const CT = "America/Chicago";
const MT = "America/Denver";
const PT = "America/Los_Angeles";

export const AREA_CODES: readonly AreaCode[] = [
  { npa: "212", state: "NY", timeZone: ET },
  { npa: "518", state: "NY", timeZone: ET },
  { npa: "617", state: "MA", timeZone: ET },
  { npa: "207", state: "ME", timeZone: ET },
  { npa: "802", state: "VT", timeZone: ET },
  { npa: "603", state: "NH", timeZone: ET },
  { npa: "401", state: "RI", timeZone: ET },
  { npa: "860", state: "CT", timeZone: ET },
  { npa: "201", state: "NJ", timeZone: ET },
  { npa: "215", state: "PA", timeZone: ET },
  { npa: "412", state: "PA", timeZone: ET },
  { npa: "302", state: "DE", timeZone: ET },
  { npa: "410", state: "MD", timeZone: ET },
  { npa: "202", state: "DC", timeZone: ET },
  { npa: "703", state: "VA", timeZone: ET },
  { npa: "304", state: "WV", timeZone: ET },
  { npa: "704", state: "NC", timeZone: ET },
  { npa: "803", state: "SC", timeZone: ET },
  { npa: "404", state: "GA", timeZone: ET },
  { npa: "305", state: "FL", timeZone: ET },
  { npa: "407", state: "FL", timeZone: ET },
  { npa: "850", state: "FL", timeZone: CT, otherZones: [ET] },
  { npa: "216", state: "OH", timeZone: ET },
  { npa: "313", state: "MI", timeZone: ET },
  { npa: "906", state: "MI", timeZone: ET, otherZones: [CT] },
  { npa: "317", state: "IN", timeZone: "America/Indiana/Indianapolis" },
  { npa: "219", state: "IN", timeZone: CT, otherZones: [ET] },
  { npa: "502", state: "KY", timeZone: ET },
  { npa: "270", state: "KY", timeZone: CT, otherZones: [ET] },
  { npa: "615", state: "TN", timeZone: CT },
  { npa: "423", state: "TN", timeZone: ET, otherZones: [CT] },
  { npa: "205", state: "AL", timeZone: CT },
  { npa: "601", state: "MS", timeZone: CT },
  { npa: "504", state: "LA", timeZone: CT },
  { npa: "501", state: "AR", timeZone: CT },
  { npa: "312", state: "IL", timeZone: CT },
  { npa: "414", state: "WI", timeZone: CT },
  { npa: "612", state: "MN", timeZone: CT },
  { npa: "515", state: "IA", timeZone: CT },
  { npa: "314", state: "MO", timeZone: CT },
  { npa: "405", state: "OK", timeZone: CT },
  { npa: "214", state: "TX", timeZone: CT },
  { npa: "713", state: "TX", timeZone: CT },
  { npa: "915", state: "TX", timeZone: MT },
  { npa: "316", state: "KS", timeZone: CT, otherZones: [MT] },
  { npa: "402", state: "NE", timeZone: CT },
  { npa: "308", state: "NE", timeZone: CT, otherZones: [MT] },
  { npa: "605", state: "SD", timeZone: CT, otherZones: [MT] },
  { npa: "701", state: "ND", timeZone: CT, otherZones: [MT] },
  { npa: "303", state: "CO", timeZone: MT },
  { npa: "801", state: "UT", timeZone: MT },
  { npa: "505", state: "NM", timeZone: MT },
  { npa: "307", state: "WY", timeZone: MT },
  { npa: "406", state: "MT", timeZone: MT },
  { npa: "208", state: "ID", timeZone: MT, otherZones: [PT] },
  { npa: "602", state: "AZ", timeZone: "America/Phoenix" },
  { npa: "520", state: "AZ", timeZone: "America/Phoenix" },
  { npa: "702", state: "NV", timeZone: PT },
  { npa: "541", state: "OR", timeZone: PT, otherZones: [MT] },
  { npa: "503", state: "OR", timeZone: PT },
  { npa: "206", state: "WA", timeZone: PT },
  { npa: "213", state: "CA", timeZone: PT },
  { npa: "415", state: "CA", timeZone: PT },
  { npa: "619", state: "CA", timeZone: PT },
  { npa: "907", state: "AK", timeZone: "America/Anchorage" },
  { npa: "808", state: "HI", timeZone: "Pacific/Honolulu" },
  { npa: "787", state: "PR", timeZone: "America/Puerto_Rico" },
  { npa: "340", state: "VI", timeZone: "America/St_Thomas" },
  { npa: "671", state: "GU", timeZone: "Pacific/Guam" },
  { npa: "670", state: "MP", timeZone: "Pacific/Saipan" },
  { npa: "684", state: "AS", timeZone: "Pacific/Pago_Pago" },
];

/** Weights so the big population centres dominate but every zone still turns up. */
export function areaCodeWeight(code: AreaCode): number {
  if (["VI", "GU", "MP", "AS"].includes(code.state)) return 1;
  if (["AK", "HI", "PR"].includes(code.state)) return 2;
  return 6;
}
