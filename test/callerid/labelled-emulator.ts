import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";
import { adminCall } from "../support/emulator-admin.ts";

/**
 * The production emulator with 21 days of completed contacts, and one number of an active
 * Personal Connection skill's caller-id pool labelled × 0.2 from 8 days ago (the admin route):
 * the world the CLI and service tests of issue 66 check.
 */
export async function labelledEmulator(
  poolIndex: number,
): Promise<{ emulator: RunningCxoneEmulator; skillId: string; labelled: string }> {
  const emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed: 6,
    contacts: 24_000,
    days: 21,
  })) as RunningCxoneEmulator;
  const skillId = String(
    emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection" && s.isActive)!.skillId,
  );
  const { pools } = (await adminCall(emulator.url, "GET", "/callerid")) as {
    pools: Array<{ skillId: number; numbers: string[] }>;
  };
  const labelled = pools.find((p) => String(p.skillId) === skillId)!.numbers[poolIndex]!;
  await adminCall(emulator.url, "POST", "/callerid/labels", {
    callerId: labelled,
    from: new Date(Date.now() - 8 * 86_400_000).toISOString(),
    factor: 0.2,
  });
  return { emulator, skillId, labelled };
}
