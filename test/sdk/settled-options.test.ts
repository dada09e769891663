import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applicationsOver } from "../../src/applications.ts";
import { loadSettings } from "../../src/core/config/load.ts";
import { connectProductionApi } from "../../src/platform/cxone/connect.ts";
import { connectSeedApi } from "../../src/platform/seed-api/connect.ts";
import { buildClient } from "../../src/sdk/build-client.ts";
import { runtimeOf } from "../../src/sdk/internals.ts";
import { checkOption } from "../../src/sdk/option-checks.ts";
import { localClientOptionsFromSettings, settledOption } from "../../src/sdk/options-from-settings.ts";

/**
 * The CLI builds its client from loaded settings without checking the options again (no zod:
 * `compliance check` is run once a number). That is sound only while every option made of
 * settings is what its schema outputs: here the options of rich settings, checked by
 * `createClient`'s schemas, are unchanged, and a client built each way keeps the same values.
 */
const dir = mkdtempSync(path.join(tmpdir(), "cxo-settled-"));

const RICH = `
http: { timeoutMs: 5000, maxAttempts: 3, connections: 8 }
consent:
  cxoneDncGroup: 4711
  seller: acme
  agentDoNotCall: account
  cxoneDncMaxAgeMinutes: 30
  dispositionsMaxAgeMinutes: 10
compliance:
  registrations:
    FL: { number: "FL-123", until: "2027-01-01" }
  skills:
    "4242": { voice: ai, announcement: live, discloses: ai }
  ukCallingHours: { monFri: "09:00-20:00", sat: "10:00-16:00", sun: null }
  rnd: { url: "https://rnd.example.test", clientId: rnd-id, clientSecret: rnd-secret, batchSize: 500 }
  tsr:
    seller: Acme
    campaigns:
      "101": { robocall: true }
rules:
  effectiveDates:
    us-tcpa-hours: 2026-01-01
destinations:
  bi: { url: "http://127.0.0.1:9/bi", secret: whsec_abc }
`;

const cases: Record<string, { config?: string; env?: NodeJS.ProcessEnv }> = {
  "defaults, no connection": {},
  "rich settings, no connection": { config: RICH },
  "rich settings, the seed API": {
    config: `${RICH}cxone: { auth: { encoding: json, scopes: [outbound] } }\n`,
    env: { CXONE_BASE_URL: "http://127.0.0.1:9", CXONE_CLIENT_ID: "id", CXONE_CLIENT_SECRET: "secret" },
  },
  "rich settings, the production platform": {
    config: `${RICH}cxone:\n  productionApi: { dispositionVia: agent-session, agentId: "77" }\n`,
    env: { CXONE_PLATFORM: "cxone", CXONE_ACCESS_KEY_ID: "key", CXONE_ACCESS_KEY_SECRET: "key-secret" },
  },
};

/** What a client keeps of its options. */
function kept(client: ReturnType<typeof buildClient>) {
  const r = runtimeOf(client);
  return {
    connection: client.connection,
    dataDir: r.dataDir,
    consent: r.consent,
    cxoneDncMaxAgeMinutes: r.cxoneDncMaxAgeMinutes,
    dispositionsMaxAgeMinutes: r.dispositionsMaxAgeMinutes,
    registrations: r.registrations,
    skillVoices: r.skillVoices,
    ukCallingHours: r.ukCallingHours,
    tsr: r.tsr,
    rnd: r.rnd && { batchSize: r.rnd.batchSize, maxAgeDays: r.rnd.maxAgeDays, noData: r.rnd.noData },
    effectiveDates: r.effectiveDates,
    destinations: r.destinations,
  };
}

describe("options made of settings are settled", () => {
  for (const [name, { config, env }] of Object.entries(cases))
    it(`${name}: checked again they are unchanged, and both clients keep the same`, async () => {
      const file = path.join(dir, `${name.replace(/\W+/g, "-")}.yaml`);
      writeFileSync(file, config ?? "{}\n");
      const settings = loadSettings({
        flags: { config: file, dataDir: path.join(dir, "data") },
        env: env ?? {},
      });
      const { options, local } = localClientOptionsFromSettings(settings);
      // The options handed on as they are (the HTTP core's, the adapters').
      expect(checkOption("http", options.http, "http")).toEqual(options.http);
      const connection = options.connection;
      if (connection) {
        expect(checkOption("auth", connection.auth ?? {}, "auth")).toEqual(connection.auth);
        if (connection.platform === "cxone")
          expect(checkOption("productionApi", connection.productionApi, "productionApi")).toEqual(
            connection.productionApi,
          );
      }
      if (options.tsr) expect(checkOption("tsr", options.tsr, "tsr")).toEqual(options.tsr);
      if (options.rnd) expect(checkOption("rnd", options.rnd, "rnd")).toEqual(options.rnd);

      const parts = {
        connect: { seed: connectSeedApi, cxone: connectProductionApi },
        applications: applicationsOver,
      };
      const checked = buildClient(options, { ...parts, check: checkOption }, local);
      const settled = buildClient(options, { ...parts, check: settledOption }, local);
      try {
        expect(kept(settled)).toEqual(kept(checked));
      } finally {
        await Promise.all([checked.close(), settled.close()]);
      }
    });
});
