import { readFileSync } from "node:fs";

/**
 * New York City's ZIP codes (its five counties: New York, Kings, Queens, Bronx, Richmond), from
 * the vendored `data/nyc_zips.csv` (USPS ZIP Locale Detail as subset by the nyczips package, MIT;
 * see data/NOTICE.md). New York City's debt-collection rules follow the consumer's ADDRESS: an
 * area code (212, 718, 917, 347, 646, 929…) also serves people who live elsewhere, and ZIP codes
 * of Nassau County (e.g. 11001, Floral Park NY) border Queens, so only a listed ZIP places a
 * consumer in the city.
 */

export const ZIP_RULE = "must be a US ZIP code: 5 digits, optionally -4 more (e.g. 10001 or 10001-1234)";
export const ZIP_PATTERN = /^\d{5}(-\d{4})?$/;

let zips: Map<string, string> | undefined;

function table(): Map<string, string> {
  if (!zips) {
    zips = new Map();
    const text = readFileSync(new URL("./data/nyc_zips.csv", import.meta.url), "utf8");
    for (const line of text.split(/\r?\n/).slice(1)) {
      const [zip, , county] = line.split(",");
      if (zip && county) zips.set(zip, county);
    }
  }
  return zips;
}

/** The county of New York City a ZIP code (5 digits, or ZIP+4) lies in, or undefined. */
export function nycCountyOf(zip: string | undefined): string | undefined {
  if (zip === undefined) return undefined;
  return table().get(zip.slice(0, 5));
}

/** Every listed ZIP code (tests, docs). */
export const nycZipCount = (): number => table().size;
