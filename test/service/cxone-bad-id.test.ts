import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settingsSchema } from "../../src/core/config/schema.ts";
import { type CxoneFixtures, type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { type RunningService, startService } from "../../src/service/index.ts";
import { adminCall } from "../support/emulator-admin.ts";

/**
 * Issue 29: on the production platform a campaign is a skill, named by a whole number. The
 * service refuses a malformed one (`abc`) with 400 and sends nothing to CXone: it answered 502
 * after sending it there.
 */
let emu: RunningCxoneEmulator;
let svc: RunningService;

const logged = async () =>
  ((await adminCall(emu.url, "GET", "/requests")) as { requests: Array<{ method: string; path: string }> })
    .requests;

beforeAll(async () => {
  emu = await startEmulator({ platform: "cxone", port: 0, seed: 3, contacts: 100 });
  const f = emu.fixtures as CxoneFixtures;
  const key = f.accessKeys.find((k) => !k.readOnly)!;
  svc = await startService({
    settings: settingsSchema.parse({
      cxone: {
        platform: "cxone",
        issuer: emu.url,
        clientId: f.client.clientId,
        clientSecret: f.client.clientSecret,
        accessKeyId: key.accessKeyId,
        accessKeySecret: key.accessKeySecret,
      },
      dataDir: mkdtempSync(path.join(tmpdir(), "cxo-bad-id-")),
      http: { rateLimitScale: 1000, backoffBaseMs: 10, backoffCapMs: 100 },
      service: { port: 0, pollIntervalSeconds: 3600, livePollIntervalSeconds: 3600 },
      // No background sync of the CXone DNC groups: this test holds the request log to the route's.
      consent: { cxoneDncSyncMinutes: 0 },
    }),
  });
}, 120_000);
afterAll(async () => {
  await svc?.close();
  await emu?.close();
});

describe("/api/campaigns/:id/health on the production platform", () => {
  it("a malformed skill id (abc, 0, 12x) is 400 naming the rule, with nothing sent to CXone; a well-formed unknown one is 404", async () => {
    await adminCall(emu.url, "DELETE", "/requests");
    for (const id of ["abc", "0", "12x"]) {
      const answer = await fetch(`${svc.url}/api/campaigns/${id}/health`);
      expect(answer.status, id).toBe(400);
      const body = (await answer.json()) as { error: string; message: string };
      expect(body.error).toBe("bad_request");
      expect(body.message).toContain(`"${id}" is not a CXone skill id`);
      const board = (await (await fetch(`${svc.url}/api/campaigns`)).json()) as {
        campaigns: Array<{ id: string }>;
      };
      expect(board.campaigns.map((c) => c.id)).not.toContain(id);
    }
    expect(await logged()).toEqual([]);
    // A well-formed id is CXone's to answer; by the time its reads are done, anything the
    // malformed ones had sent in the background would be in the log too.
    expect((await fetch(`${svc.url}/api/campaigns/987654/health`)).status).toBe(404);
    const sent = await logged();
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((r) => /\/(abc|0|12x)(\/|$)/.test(r.path))).toEqual([]);
  });
});
