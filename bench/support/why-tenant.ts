import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../../src/client.ts";
import { loadSettings } from "../../src/core/config/index.ts";
import { type Knobs, type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";

/**
 * The production emulator the `cxo why` benches diagnose: its third Personal Connection skill
 * (running, no list), a raw API call with an access key's token, a calling list with the
 * call-request and zone columns, uploads that complete on their first poll, and a client with the
 * production groups' limits lifted (the benches time the diagnosis, not the limiter).
 */
export interface WhyTenant {
  emulator: RunningCxoneEmulator;
  skillId: number;
  client: InternalClient;
  api(method: string, route: string, body?: unknown): Promise<Response>;
  /** A list with columns Id, Phone, CallAt, Stale, Zone: its id. */
  createList(name: string): Promise<number>;
  /** Uploads CSV lines (header first) to the list, bound to the skill, and waits for the job. */
  upload(listId: number, lines: readonly string[], expiresAtMs: number): Promise<void>;
  close(): Promise<void>;
}

export const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export async function whyTenant(prefix: string, knobs: Partial<Knobs> = {}): Promise<WhyTenant> {
  const emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 65,
    contacts: 50,
    days: 1,
    uploadJobPolls: 1,
    knobs,
  })) as RunningCxoneEmulator;
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
  // Unscheduled: the benches' day runs on whatever weekday they are started on, and the default
  // weekday 09:00–20:00 Eastern schedule (which the dialer and the diagnosis both honour) would
  // make a weekend run dial nothing and cut the western zones' evenings.
  await api("PUT", `skills/${skill.skillId}/parameters/schedule-settings`, {
    scheduleSettings: { isScheduled: false },
  });
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
    dataDir: mkdtempSync(path.join(tmpdir(), prefix)),
    rateLimits: Object.fromEntries(
      ["token", "campaigns", "dialer", "analytics", "default"].map((g) => [
        g,
        { limit: 1000, per: "second", concurrency: 8 },
      ]),
    ) as never,
  });
  return {
    emulator,
    skillId: skill.skillId,
    client,
    api,
    async createList(name) {
      const query = new URLSearchParams({
        listName: name,
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
      return created.listId;
    },
    async upload(listId, lines, expiresAtMs) {
      const job = (await (
        await api("POST", `lists/call-lists/${listId}/upload`, {
          listFile: Buffer.from(lines.join("\n")).toString("base64"),
          skillId: skill.skillId,
          expirationDate: isoSeconds(expiresAtMs),
        })
      ).json()) as { jobId: number };
      await api("GET", `lists/call-lists/jobs/${job.jobId}`);
    },
    async close() {
      await client.close();
      await emulator.close();
    },
  };
}
