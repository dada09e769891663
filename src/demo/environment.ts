import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../client.ts";
import { type Settings, settingsSchema } from "../core/config/index.ts";
import { openStore, type Store } from "../core/store/index.ts";
import { type RunningEmulator, startEmulator } from "../emulator/index.ts";
import { writeDemoFile } from "./demo-file.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.ts";

/**
 * Everything the demo runs on, all local: the CXone emulator (the embedded default), a store
 * in a fresh data dir, a receiver standing in for the BI/CRM/WFM systems, and a client whose
 * settings are exactly what a user would put in cxo.config.yaml — only the URL and the
 * credentials differ on a real tenant.
 */
export const DESTINATIONS = ["bi", "interactions", "campaigns", "wfm", "crm"] as const;

/** Marks a directory as the demo's own, so a rerun may wipe it and nothing else. */
const MARKER = ".cxo-demo";

/** What every step needs whatever the platform (the emulator only as a URL). */
export type DemoBase = Omit<DemoEnvironment, "emulator"> & { emulator: { url: string } };

export interface DemoEnvironment {
  fast: boolean;
  outDir: string;
  dataDir: string;
  reportsDir: string;
  emulator: RunningEmulator;
  receiver: WebhookReceiver;
  settings: Settings;
  client: InternalClient;
  store: Store;
  close(): Promise<void>;
}

function demoSecret(name: string): string {
  // A fixed, obviously-local secret per destination (base64 of 24 bytes): the demo is offline.
  return `whsec_${Buffer.from(`cxo-demo-${name}-secret-key!!!!`.slice(0, 24)).toString("base64")}`;
}

export async function prepareOutDir(outDir: string): Promise<void> {
  const dir = resolve(outDir);
  if (existsSync(dir)) {
    if (!existsSync(join(dir, MARKER)))
      throw new Error(`${dir} exists and was not made by the demo; choose another --out`);
    await rm(dir, { recursive: true, force: true });
  }
  await mkdir(join(dir, "reports"), { recursive: true });
  await writeDemoFile(join(dir, MARKER), "made by `cxo demo`; safe to delete\n");
}

/**
 * The receiver standing in for the BI/CRM/WFM systems, and the settings every demo day shares
 * around a platform's `cxone` block: exactly what a user would put in cxo.config.yaml.
 */
export async function demoReceiverAndSettings(
  cxone: Record<string, unknown>,
  dataDir: string,
  fast: boolean,
): Promise<{ receiver: WebhookReceiver; settings: Settings }> {
  const secrets = Object.fromEntries(DESTINATIONS.map((name) => [name, demoSecret(name)]));
  const receiver = await startWebhookReceiver(secrets);
  const settings = settingsSchema.parse({
    cxone,
    dataDir,
    http: fast ? { rateLimitScale: 10, backoffBaseMs: 20, backoffCapMs: 500 } : {},
    destinations: Object.fromEntries(
      DESTINATIONS.map((name) => [
        name,
        { url: `${receiver.url}/${name}`, secret: secrets[name], maxAttempts: 8 },
      ]),
    ),
    log: { level: "silent" },
    // The dashboard polls the day's campaigns often enough to watch the failover happen,
    // within the campaigns group's 100 requests/minute.
    service: { pollIntervalSeconds: fast ? 1 : 5 },
  });
  return { receiver, settings };
}

export async function startDemoEnvironment(options: {
  fast: boolean;
  outDir: string;
  emulatorPort?: number;
}): Promise<DemoEnvironment> {
  const outDir = resolve(options.outDir);
  await prepareOutDir(outDir);
  const dataDir = join(outDir, "data");
  const reportsDir = join(outDir, "reports");
  const emulator = await startEmulator({
    port: options.emulatorPort ?? 0,
    seed: 42,
    calls: options.fast ? 30_000 : 150_000,
    // Fast mode shortens CXone's asynchronous operations and loosens its rate limits tenfold
    // so the whole day fits in a test; the steps are the same.
    rateLimitScale: options.fast ? 10 : 1,
    operationDelayMs: options.fast ? 300 : 3_000,
  });
  const admin = emulator.fixtures.clients[0]!;
  const { receiver, settings } = await demoReceiverAndSettings(
    { baseUrl: emulator.url, clientId: admin.clientId, clientSecret: admin.clientSecret },
    dataDir,
    options.fast,
  );
  const client = createInternalClient(clientOptionsFromSettings(settings));
  const store = await openStore(dataDir, { actor: admin.clientId });
  return {
    fast: options.fast,
    outDir,
    dataDir,
    reportsDir,
    emulator,
    receiver,
    settings,
    client,
    store,
    async close() {
      await client.close();
      await store.close();
      await receiver.close();
      await emulator.close();
    },
  };
}
