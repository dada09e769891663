import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { loadSettings } from "../../src/core/config/index.ts";
import type { CxoneFixtures } from "../../src/emulator/index.ts";

/**
 * What the live-data benches (live-requests, tenants-capacity) share: a production-API emulator's
 * running outbound skills to watch, a client of it as `cxo serve` builds one, and the API
 * requests its log counted.
 */

/** The live interval `cxo serve` defaults to on the production platform: 12 readings a minute. */
export const READINGS_PER_MINUTE = 12;

type AccessKey = { accessKeyId: string; accessKeySecret: string };

/** The emulator's first write-capable access key. */
export const writeKeyOf = (f: CxoneFixtures): AccessKey => f.accessKeys.find((k) => !k.readOnly)!;

async function token(f: CxoneFixtures, key: AccessKey): Promise<string> {
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

/** Creates `count` Personal Connection skills (one batch) and starts them; their ids. */
export async function runningSkills(f: CxoneFixtures, count: number): Promise<string[]> {
  const headers = {
    authorization: `Bearer ${await token(f, writeKeyOf(f))}`,
    accept: "application/json",
    "content-type": "application/json",
  };
  const campaignId = f.campaigns[0]!.id;
  const created = await fetch(`${f.apiBase}/skills`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      skills: Array.from({ length: count }, (_, i) => ({
        skillName: `Bench PC ${i}`,
        mediaTypeId: 4,
        isOutbound: true,
        outboundStrategy: "Personal Connection",
        campaignId,
      })),
    }),
  });
  if (!created.ok) throw new Error(`POST /skills: ${created.status}`);
  // The answer says which succeeded, not their ids (as CXone's): find them by name.
  const ids: string[] = [];
  for (let skip = 0; ids.length < count; skip += 100) {
    const page = await fetch(`${f.apiBase}/skills?searchString=Bench%20PC&top=100&skip=${skip}`, { headers });
    const skills =
      page.status === 200 ? ((await page.json()) as { skills: Array<{ skillId: number }> }).skills : [];
    if (skills.length === 0) throw new Error(`found ${ids.length} of the ${count} skills created`);
    ids.push(...skills.map((s) => String(s.skillId)));
  }
  for (const id of ids) await fetch(`${f.apiBase}/skills/${id}/start`, { method: "POST", headers });
  return ids;
}

/** A client of the emulator built from settings as `cxo serve` builds its own (`http` merged in). */
export function liveClient(
  emulatorUrl: string,
  f: CxoneFixtures,
  http: Record<string, unknown> = {},
): InternalClient {
  const key = writeKeyOf(f);
  const settings = loadSettings({
    cwd: "/nonexistent",
    env: {
      CXONE_PLATFORM: "cxone",
      CXONE_ISSUER: emulatorUrl,
      CXONE_CLIENT_ID: f.client.clientId,
      CXONE_CLIENT_SECRET: f.client.clientSecret,
      CXONE_ACCESS_KEY_ID: key.accessKeyId,
      CXONE_ACCESS_KEY_SECRET: key.accessKeySecret,
      CXO_DATA_DIR: mkdtempSync(path.join(tmpdir(), "cxo-bench-live-")),
    },
  });
  const options = clientOptionsFromSettings(settings);
  return createInternalClient({ ...options, http: { ...options.http, ...http } });
}

/** API requests (token and discovery left out) in the emulator's log. */
export async function apiRequestCount(emulatorUrl: string): Promise<number> {
  const log = (await (await fetch(`${emulatorUrl}/_emulator/requests`)).json()) as {
    requests: Array<{ path: string }>;
  };
  return log.requests.filter((r) => r.path.includes("/inContactAPI/")).length;
}
