import { join, resolve } from "node:path";
import { clientOptionsFromSettings, createInternalClient } from "../../client.ts";
import { openStore } from "../../core/store/index.ts";
import { type RunningCxoneEmulator, startEmulator } from "../../emulator/index.ts";
import { type DemoBase, demoReceiverAndSettings, prepareOutDir } from "../environment.ts";

/**
 * The demo's day on the emulator of NICE's production API: the client is configured exactly as
 * for a real tenant (platform cxone, issuer, app client, the API user's access key); only the
 * issuer URL points at the local emulator.
 */
export interface CxoneDemoEnvironment extends DemoBase {
  emulator: RunningCxoneEmulator;
  /** The Personal Connection skill with the call history (the day's "history campaign"). */
  skillId: string;
  contactListId: string;
}

export async function startCxoneDemoEnvironment(options: {
  fast: boolean;
  outDir: string;
}): Promise<CxoneDemoEnvironment> {
  const outDir = resolve(options.outDir);
  await prepareOutDir(outDir);
  const dataDir = join(outDir, "data");
  const emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 42,
    contacts: options.fast ? 30_000 : 150_000,
  })) as RunningCxoneEmulator;
  const f = emulator.fixtures;
  const key = f.accessKeys.find((k) => !k.readOnly) ?? f.accessKeys[0]!;
  const skill = f.skills.find(
    (s) => s.outboundStrategy === "Personal Connection" && s.isActive && s.callingListIds.length > 0,
  )!;
  const { receiver, settings } = await demoReceiverAndSettings(
    {
      platform: "cxone",
      issuer: emulator.url,
      clientId: f.client.clientId,
      clientSecret: f.client.clientSecret,
      accessKeyId: key.accessKeyId,
      accessKeySecret: key.accessKeySecret,
      // The list's custom column that holds call consent (calling lists have no consent flag).
      productionApi: { consentColumn: "consent_call" },
    },
    dataDir,
    options.fast,
  );
  const client = createInternalClient(clientOptionsFromSettings(settings));
  const store = await openStore(dataDir, { actor: f.client.clientId });
  return {
    fast: options.fast,
    outDir,
    dataDir,
    reportsDir: join(outDir, "reports"),
    emulator,
    receiver,
    settings,
    client,
    store,
    skillId: String(skill.skillId),
    contactListId: String(skill.callingListIds[0]),
    async close() {
      await client.close();
      await store.close();
      await receiver.close();
      await emulator.close();
    },
  };
}
