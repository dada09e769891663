import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type InternalClient as CxoneClient,
  clientOptionsFromSettings,
  createInternalClient as createClient,
} from "../../../src/client.ts";
import { productionApiSchema } from "../../../src/core/config/schema.ts";
import { createLogger } from "../../../src/core/logging/index.ts";
import { metricsRegistry } from "../../../src/core/metrics/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../../src/emulator/index.ts";
import type { ProductionApi } from "../../../src/platform/cxone/api.ts";
import { productionDispositions } from "../../../src/platform/cxone/dispositions.ts";
import { accessKeySettings } from "../../support/cxone-access-key.ts";
import { adminCall } from "../../support/emulator-admin.ts";

/**
 * The tolerant readers stop hiding drift (conformance §3): a fallback is counted in /metrics
 * and logged at warn once per endpoint, and an id that could not be read is never sent onward.
 */
const fallbackCount = async (endpoint: string, kind: string): Promise<number> => {
  const metric = (await metricsRegistry.getMetricsAsJSON()).find(
    (m) => m.name === "cxo_cxone_fallbacks_total",
  );
  const value = (metric?.values ?? []).find((v) => v.labels.endpoint === endpoint && v.labels.kind === kind);
  return Number(value?.value ?? 0);
};

describe("fallbacks against the production emulator", () => {
  let emulator: RunningCxoneEmulator;
  let client: CxoneClient;
  const lines: string[] = [];
  beforeAll(async () => {
    emulator = (await startEmulator({
      platform: "cxone",
      port: 0,
      seed: 23,
      contacts: 200,
    })) as RunningCxoneEmulator;
    const options = clientOptionsFromSettings(accessKeySettings(emulator));
    client = createClient({
      ...options,
      dataDir: mkdtempSync(path.join(tmpdir(), "cxo-drift-")),
      logger: createLogger({
        level: "warn",
        destination: { write: (line: string) => void lines.push(line) },
      }),
    });
  });
  afterAll(async () => {
    await client.close();
    await emulator.close();
  });

  it("GEN's envelope counts nothing; another one is counted every time and warned about once", async () => {
    const contact = String(emulator.fixtures.completed.sample[0]!.contactId);
    const endpoint = "GET /contacts/{contactId}";
    const before = await fallbackCount(endpoint, "envelope");
    await client.port.dispositions.getCall(contact);
    expect(await fallbackCount(endpoint, "envelope")).toBe(before);
    await adminCall(emulator.url, "POST", "/knobs", { contactEnvelope: "flat" });
    await client.port.dispositions.getCall(contact);
    await client.port.dispositions.getCall(contact);
    expect(await fallbackCount(endpoint, "envelope")).toBe(before + 2);
    const warned = lines.filter((l) => l.includes(endpoint) && l.includes('"level":40'));
    expect(warned).toHaveLength(1);
  });
});

describe("an id that could not be read is never sent onward", () => {
  it("a contact record without a skill: set-disposition is refused before anything is sent", async () => {
    const sent: string[] = [];
    const kinds: string[] = [];
    const api = {
      fallback: (_endpoint: string, kind: string) => void kinds.push(kind),
      async request(options: { method: string; path: string }) {
        sent.push(`${options.method} ${options.path}`);
        if (options.path === "/contacts/active")
          return { status: 200, body: { activeContacts: [{ contactId: 7 }] }, attempts: 1 };
        if (options.path.endsWith("/disposition")) return { status: 204, body: undefined, attempts: 1 };
        return { status: 200, body: { contactId: { contactId: 7 } }, attempts: 1 };
      },
    } as unknown as ProductionApi;
    const port = productionDispositions(api, productionApiSchema.parse({}));
    await expect(
      port.setCallDisposition("7", { dispositionCodeId: "11", tags: [] } as never),
    ).rejects.toThrow(/names no skill, so set-disposition was not sent/);
    expect(sent.some((s) => s.includes("set-disposition"))).toBe(false);
    expect(kinds).toContain("missing skillId");
  });
});
