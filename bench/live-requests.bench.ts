import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { clientOptionsFromSettings, createInternalClient as createClient } from "../src/client.ts";
import { loadSettings } from "../src/core/config/index.ts";
import { type CxoneFixtures, startEmulator } from "../src/emulator/index.ts";
import type { BenchRow } from "./types.ts";

/**
 * Requests per minute `cxo serve` spends on live data on the production platform, for 1, 10
 * and 100 watched campaigns, at the default live interval (5 s: 12 readings a minute): ours is
 * the live port's tenant-wide reading (GET /skills/activity with updatedSince + GET
 * /skills/summary); the baseline, in the same run, is the per-campaign polling it replaces
 * (each campaign's GET /skills/{id} + its metrics: active contacts + completed contacts), at the
 * same interval. Counted from the emulator's request log (token requests left out); the 12
 * readings run back to back, so the figure is per minute of service time, not of bench time.
 */
const READINGS_PER_MINUTE = 12;

async function token(
  f: CxoneFixtures,
  key: { accessKeyId: string; accessKeySecret: string },
): Promise<string> {
  const answer = await fetch(`${f.issuer}/auth/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${f.client.clientId}:${f.client.clientSecret}`).toString("base64")}`,
    },
    body: new URLSearchParams({
      grant_type: "password",
      username: key.accessKeyId,
      password: key.accessKeySecret,
    }),
  });
  return ((await answer.json()) as { access_token: string }).access_token;
}

export default async function liveRequests(): Promise<BenchRow[]> {
  const emu = await startEmulator({ platform: "cxone", port: 0, seed: 7, contacts: 2000 });
  const f = emu.fixtures as CxoneFixtures;
  const key = f.accessKeys.find((k) => !k.readOnly)!;
  try {
    // 100 running outbound skills: create them (one batch) and start them.
    const bearer = await token(f, key);
    const headers = {
      authorization: `Bearer ${bearer}`,
      accept: "application/json",
      "content-type": "application/json",
    };
    const campaignId = f.campaigns[0]!.id;
    const created = await fetch(`${f.apiBase}/skills`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        skills: Array.from({ length: 100 }, (_, i) => ({
          skillName: `Bench PC ${i}`,
          mediaTypeId: 4,
          isOutbound: true,
          outboundStrategy: "Personal Connection",
          campaignId,
        })),
      }),
    });
    const ids = ((await created.json()) as { skillsResults: Array<{ skillId: number }> }).skillsResults.map(
      (r) => String(r.skillId),
    );
    for (const id of ids) await fetch(`${f.apiBase}/skills/${id}/start`, { method: "POST", headers });

    const settings = loadSettings({
      cwd: "/nonexistent",
      env: {
        CXONE_PLATFORM: "cxone",
        CXONE_ISSUER: emu.url,
        CXONE_CLIENT_ID: f.client.clientId,
        CXONE_CLIENT_SECRET: f.client.clientSecret,
        CXONE_ACCESS_KEY_ID: key.accessKeyId,
        CXONE_ACCESS_KEY_SECRET: key.accessKeySecret,
        CXO_DATA_DIR: mkdtempSync(path.join(tmpdir(), "cxo-bench-live-")),
      },
    });
    const options = clientOptionsFromSettings(settings);
    const client = createClient({ ...options, http: { ...options.http, rateLimitScale: 1000 } });
    const apiRequests = async () => {
      const log = (await (await fetch(`${emu.url}/_emulator/requests`)).json()) as {
        requests: Array<{ path: string }>;
      };
      return log.requests.filter((r) => r.path.includes("/inContactAPI/")).length;
    };
    const rows: BenchRow[] = [];
    try {
      for (const n of [1, 10, 100]) {
        const watched = ids.slice(0, n);
        let before = await apiRequests();
        for (let i = 0; i < READINGS_PER_MINUTE; i++) await client.port.live.read(watched);
        const ours = (await apiRequests()) - before;
        before = await apiRequests();
        for (let i = 0; i < READINGS_PER_MINUTE; i++)
          await Promise.all(
            watched.map((id) =>
              Promise.all([client.port.campaigns.get(id), client.port.campaigns.metrics(id, 30)]),
            ),
          );
        const baseline = (await apiRequests()) - before;
        rows.push({
          suite: "live-requests",
          metric: `live-data requests/min, ${n} watched campaign${n === 1 ? "" : "s"}, 5 s interval`,
          unit: "req/min",
          ours,
          baseline,
          baselineLabel: "per-campaign polling",
          target: "flat in the number of campaigns",
          met: ours <= READINGS_PER_MINUTE * 2,
        });
      }
    } finally {
      await client.close();
    }
    return rows;
  } finally {
    await emu.close();
  }
}
