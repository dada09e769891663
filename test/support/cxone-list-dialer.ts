import { type RunningCxoneEmulator, startEmulator } from "../../src/emulator/index.ts";

/**
 * A production emulator for pushing plans and dialling lists (issue 62 §3's tests): uploads
 * complete on their first poll; answers it with its first Personal Connection skill's id. The
 * list dialer applies call-request times, staleness and DNC groups only (`listDialRules:
 * timing-only`): these tests are about a plan's timing, whatever hour of the day they run at.
 */
export async function startListEmulator(
  seed: number,
): Promise<{ emulator: RunningCxoneEmulator; skillId: string }> {
  const emulator = (await startEmulator({
    platform: "cxone",
    port: 0,
    seed,
    contacts: 50,
    days: 1,
    uploadJobPolls: 1,
    knobs: { listDialRules: "timing-only" },
  })) as RunningCxoneEmulator;
  const skill = emulator.fixtures.skills.find((s) => s.outboundStrategy === "Personal Connection");
  if (!skill) throw new Error("the emulator's fixtures hold no Personal Connection skill");
  return { emulator, skillId: String(skill.skillId) };
}
