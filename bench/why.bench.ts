import { isoSeconds, whyTenant } from "./support/why-tenant.ts";
import type { BenchRow } from "./types.ts";

/**
 * Issue 65: `campaigns.diagnose` (what `cxo why` runs) on a campaign whose list holds
 * `CXO_BENCH_WHY_RECORDS` records (default 1,000,000) on the production emulator, beside the time
 * to download the same list's records alone (one `GET /lists/call-lists/{id}?includeRecords=true`
 * and its JSON parse: the floor any diagnosis of that list pays). Records: New York, Chicago,
 * Denver and Los Angeles numbers across 40 area codes, a tenth without a zone, a tenth with a
 * call-request time tomorrow. Target: ≤ 15 s for 1M.
 */
const RECORDS = Number(process.env.CXO_BENCH_WHY_RECORDS ?? 1_000_000);
const CHUNK = 100_000;
const ZONES = [
  ["Eastern Standard Time", ["212", "305", "404", "617", "718", "813", "904", "919", "973", "954"]],
  ["Central Standard Time", ["312", "214", "713", "612", "504", "314", "405", "512", "615", "816"]],
  ["Mountain Standard Time", ["303", "801", "505", "406", "307", "719", "970", "385", "575", "720"]],
  ["Pacific Standard Time", ["213", "415", "206", "503", "619", "702", "818", "916", "408", "510"]],
] as const;

export default async function whyBench(): Promise<BenchRow[]> {
  const tenant = await whyTenant("cxo-bench-why-");
  try {
    const listId = await tenant.createList("why bench");
    const tomorrow = isoSeconds(Date.now() + 86_400_000);
    for (let start = 0; start < RECORDS; start += CHUNK) {
      const lines = ["Id,Phone,CallAt,Stale,Zone"];
      for (let i = start; i < Math.min(RECORDS, start + CHUNK); i++) {
        const [zone, areas] = ZONES[i % 4] as (typeof ZONES)[number];
        const area = areas[Math.floor(i / 4) % areas.length];
        const phone = `${area}${String(2000000 + (i % 7_999_999)).padStart(7, "0")}`;
        const later = i % 10 === 1;
        lines.push(`r${i},${phone},${later ? tomorrow : ""},${later ? 120 : ""},${i % 10 === 0 ? "" : zone}`);
      }
      await tenant.upload(listId, lines, Date.now() + 30 * 86_400_000);
    }

    // The floor: the list's records downloaded and parsed, nothing else.
    const listStart = performance.now();
    const download = await tenant.api("GET", `lists/call-lists/${listId}?includeRecords=true`);
    const parsed = (await download.json()) as { resultSet: { contactRecords: unknown[] } };
    const listSeconds = (performance.now() - listStart) / 1000;
    const listed = parsed.resultSet.contactRecords.length;

    const start = performance.now();
    const d = await tenant.client.campaigns.diagnose({ campaignId: String(tenant.skillId) });
    const seconds = (performance.now() - start) / 1000;
    const held = d.causes.reduce((sum, c) => sum + (c.records ?? 0), 0);
    if (d.dialableNow + held !== listed)
      throw new Error(`diagnosed ${d.dialableNow + held} of ${listed} records`);
    return [
      {
        suite: "why",
        metric: `cxo why on a ${listed.toLocaleString("en-US")}-record list`,
        unit: "s",
        ours: Math.round(seconds * 100) / 100,
        baseline: Math.round(listSeconds * 100) / 100,
        baselineLabel: "download + parse of the list's records alone",
        target: "≤ 15 s",
        met: seconds <= 15,
      },
    ];
  } finally {
    await tenant.close();
  }
}
