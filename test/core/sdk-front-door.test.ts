import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.ts";
import * as sdk from "../../src/index.ts";
import { portOf } from "../../src/internal.ts";
import { adminCall } from "../support/emulator-admin.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The package's front door: one client, a short list of values, nothing heavy loaded. */
describe("SDK front door", () => {
  it("exports the client, the errors, verifyWebhook and loadSettings — no schemas, registries or demo", () => {
    expect(Object.keys(sdk).sort()).toEqual(
      [
        "AnswerTooLargeError",
        "AuthError",
        "BUSINESS_UNIT_DIALER",
        "ConfigError",
        "ConflictError",
        "ConflictRetriesExhaustedError",
        "ConnectionMissingError",
        "ConsentNotRecordedEverywhereError",
        "DncGroupMissingError",
        "ClientClosedError",
        "CxoError",
        "CxoneError",
        "CxoneDncCopyIncompleteError",
        "IncompleteListingError",
        "UnreadableAnswerError",
        "DispositionRuleError",
        "DeadlineExceededError",
        "DuckDbMissingError",
        "EveryRecordBlockedError",
        "ExportFileFormatError",
        "ExportInterruptedError",
        "ExportResumeError",
        "HarRecorder",
        "LeaseLostError",
        "ListingTooLargeError",
        "RepeatedPageTokenError",
        "StoreFullError",
        "StoreSchemaTooNewError",
        "StoreUnavailableError",
        "StreamClosedError",
        "Tenants",
        "createTenants",
        "isSdkError",
        "InputError",
        "NetworkError",
        "NotFoundError",
        "NotSupportedError",
        "PreconditionFailedError",
        "PushInProgressError",
        "ReadBackMismatchError",
        "RemovalPendingError",
        "SkillDriftError",
        "RateLimitError",
        "ScopeError",
        "ServerError",
        "ValidationError",
        "WatchdogStepError",
        "WebhookVerificationError",
        "clientOptionsFromSettings",
        // The autopilot, an application built over a client (src/autopilot/app.ts).
        "createAutopilot",
        "createClient",
        "installClock",
        "isNotSupported",
        "loadSettings",
        "parseClockSetting",
        "verifyWebhook",
      ].sort(),
    );
  });

  it("importing the main entry loads neither fastify, the emulator, the service nor the simulator's chart", () => {
    // A resolve hook records every module the import pulls in.
    const script = `
      import { registerHooks } from "node:module";
      const seen = [];
      registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); seen.push(r.url); return r; } });
      await import(${JSON.stringify(path.join(ROOT, "src/index.ts"))});
      process.stdout.write(JSON.stringify(seen));
    `;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const loaded: string[] = JSON.parse(run.stdout);
    expect(loaded.length).toBeGreaterThan(10);
    const heavy = loaded.filter((url) =>
      /node_modules\/(fastify|uplot|@fastify)\/|\/src\/(emulator|service|demo)\/|\/src\/cli\//.test(url),
    );
    expect(heavy).toEqual([]);
  });
});

describe("createClient", () => {
  let emulator: RunningEmulator;
  let client: sdk.CxoneClient;
  const dataDir = mkdtempSync(path.join(tmpdir(), "cxo-front-door-"));
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    const admin = emulator.fixtures.clients[0]!;
    // The environment names another tenant: an explicit client must not read it.
    process.env.CXONE_BASE_URL = "http://127.0.0.1:9/not-this-one";
    client = sdk.createClient({
      connection: { baseUrl: emulator.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
      dataDir,
      http: { backoffBaseMs: 5 },
    });
  });
  afterAll(async () => {
    delete process.env.CXONE_BASE_URL;
    await client?.close();
    await emulator?.close();
  });

  it("uses the options it is given, never the environment", async () => {
    expect(client.connection).toMatchObject({ platform: "seed", baseUrl: emulator.url });
    expect(client.dataDir).toBe(dataDir);
    expect(JSON.stringify(client.connection)).not.toContain(emulator.fixtures.clients[0]!.clientSecret);
    const info = await portOf(client).access.describe();
    expect(info.clientId).toBe(emulator.fixtures.clients[0]!.clientId);
  });

  it("capability groups share one convention: tag a call, check compliance, the Erlang figures", async () => {
    const call = emulator.fixtures.calls[0]!;
    const campaign = emulator.fixtures.campaigns.find((c) => c.id === call.campaignId)!;
    const code = campaign.dispositionCodes[0]!;
    const outcome = await client.dispositions.tag(call.campaignId, {
      callId: call.id,
      dispositionCodeId: code.id,
      ...(code.reasonCodes[0] ? { reasonCodeId: code.reasonCodes[0].id } : {}),
    });
    expect(outcome.ok).toBe(true);

    const verdict = await client.compliance.check({ phone: "+12125550123", at: "2026-03-02T03:00:00Z" });
    expect(verdict.allowed).toBe(false);
    expect(verdict.reasons.map((r) => r.code)).toContain("outside_calling_hours");

    const erlang = await client.dialer.erlang({
      model: "c",
      agents: 10,
      arrivalPerMin: 4,
      ahtMin: 2,
      slSeconds: 20,
    });
    expect(erlang.pWait).toBeGreaterThan(0);
  });

  it("bad input is an InputError naming the SDK's field paths, and nothing is sent", async () => {
    await adminCall(emulator.url, "POST", "/reset");
    const interaction = emulator.fixtures.interactions[0]!;
    const error = await client.interactions
      .setDisposition(interaction.id, { code: "101", description: "Resolved", agentId: "" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(sdk.InputError);
    expect((error as sdk.InputError).problems.map((p) => p.field)).toEqual(["agentId"]);
    // An etag given empty is refused by the same rule the CLI asks before it connects.
    const emptyEtag = await client.interactions
      .setDisposition(interaction.id, { code: "101", description: "Resolved", agentId: "A1", etag: " " })
      .catch((e: unknown) => e);
    expect((emptyEtag as sdk.InputError).problems).toEqual([
      { field: "etag", rule: "must not be empty when given" },
    ]);

    const phone = await client.compliance.check({ phone: "12" }).catch((e: unknown) => e);
    expect((phone as sdk.InputError).problems.map((p) => p.field)).toEqual(["phone"]);
    const log = await adminCall(emulator.url, "GET", "/requests");
    expect(log.requests.filter((r: { path: string }) => r.path.includes("interactions"))).toEqual([]);
  });
});
