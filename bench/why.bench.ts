import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { clientOptionsFromSettings, createInternalClient } from "../src/client.ts";
import { loadSettings } from "../src/core/config/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../src/emulator/index.ts";
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
  const emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 65,
    contacts: 50,
    days: 1,
    uploadJobPolls: 1,
  })) as RunningCxoneEmulator;
  try {
    const key = emulator.fixtures.accessKeys.find((k) => !k.readOnly);
    const skill = emulator.fixtures.skills.filter((s) => s.outboundStrategy === "Personal Connection")[2];
    if (!key || !skill) throw new Error("the emulator's fixtures hold no writable key or third PC skill");
    const login = await fetch(`${emulator.url}/authentication/v1/token/access-key`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret }),
    });
    const { access_token: token } = (await login.json()) as { access_token: string };
    const api = async (method: string, route: string, body?: unknown) => {
      const answer = await fetch(`${emulator.url}/inContactAPI/services/v33.0/${route}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          accept: "application/json",
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!answer.ok) throw new Error(`${method} ${route}: ${answer.status} ${await answer.text()}`);
      return answer;
    };
    const query = new URLSearchParams({
      listName: "why bench",
      externalIdColumn: "Id",
      callRequestTimeColumn: "CallAt",
      callRequestStaleColumn: "Stale",
      timeZoneColumn: "Zone",
    });
    const created = (await (
      await api("POST", `lists/call-lists?${query}`, {
        destinationMappings: [{ fieldName: "PhoneNumber", fieldValue: "Phone" }],
      })
    ).json()) as { listId: number };
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    for (let start = 0; start < RECORDS; start += CHUNK) {
      const lines = ["Id,Phone,CallAt,Stale,Zone"];
      for (let i = start; i < Math.min(RECORDS, start + CHUNK); i++) {
        const [zone, areas] = ZONES[i % 4] as (typeof ZONES)[number];
        const area = areas[Math.floor(i / 4) % areas.length];
        const phone = `${area}${String(2000000 + (i % 7_999_999)).padStart(7, "0")}`;
        lines.push(
          `r${i},${phone},${i % 10 === 1 ? tomorrow : ""},${i % 10 === 1 ? 120 : ""},${i % 10 === 0 ? "" : zone}`,
        );
      }
      const job = (await (
        await api("POST", `lists/call-lists/${created.listId}/upload`, {
          listFile: Buffer.from(lines.join("\n")).toString("base64"),
          skillId: skill.skillId,
          expirationDate: expires,
        })
      ).json()) as { jobId: number };
      await api("GET", `lists/call-lists/jobs/${job.jobId}`);
    }

    // The floor: the list's records downloaded and parsed, nothing else.
    const listStart = performance.now();
    const download = await api("GET", `lists/call-lists/${created.listId}?includeRecords=true`);
    const parsed = (await download.json()) as { resultSet: { contactRecords: unknown[] } };
    const listSeconds = (performance.now() - listStart) / 1000;
    const listed = parsed.resultSet.contactRecords.length;

    const settings = loadSettings({
      cwd: "/nonexistent",
      env: {
        CXONE_PLATFORM: "cxone",
        CXONE_ISSUER: emulator.url,
        CXONE_ACCESS_KEY_URL: `${emulator.url}/authentication/v1/token/access-key`,
        CXONE_ACCESS_KEY_ID: key.accessKeyId,
        CXONE_ACCESS_KEY_SECRET: key.accessKeySecret,
      },
    });
    const client = createInternalClient({
      ...clientOptionsFromSettings(settings),
      dataDir: mkdtempSync(path.join(tmpdir(), "cxo-bench-why-")),
    });
    try {
      const start = performance.now();
      const d = await client.campaigns.diagnose({ campaignId: String(skill.skillId) });
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
      await client.close();
    }
  } finally {
    await emulator.close();
  }
}
