import { type CxoneEmulatorOptions, type RunningCxoneEmulator, startCxoneEmulator } from "./cxone/index.ts";
import { buildFixtures, type Fixtures } from "./fixtures.ts";
import { listen } from "./kernel.ts";
import { type EmulatorOptions, resolveOptions } from "./options.ts";
import { buildServer } from "./server.ts";

export type { CxoneEmulatorOptions, CxoneFixtures, Knobs, RunningCxoneEmulator } from "./cxone/index.ts";
export type { Fixtures } from "./fixtures.ts";
/**
 * The CXone emulator, in-process: `const emu = await startEmulator({ port: 0 })`, then point a
 * client at `emu.url` with credentials from `emu.fixtures.clients`, and `await emu.close()`.
 */
export type { EmulatorOptions } from "./options.ts";
export { signPayload } from "./webhooks.ts";

export interface RunningEmulator {
  url: string;
  port: number;
  fixtures: Fixtures;
  close(): Promise<void>;
}

/**
 * `startEmulator({ platform: "cxone", … })` starts the emulator of NICE's production API
 * instead (docs/emulator-cxone.md); without `platform` (or with "seed") the seed API's.
 */
export async function startEmulator(options: CxoneEmulatorOptions): Promise<RunningCxoneEmulator>;
export async function startEmulator(options?: EmulatorOptions): Promise<RunningEmulator>;
export async function startEmulator(
  options: EmulatorOptions | CxoneEmulatorOptions = {},
): Promise<RunningEmulator | RunningCxoneEmulator> {
  if (options.platform === "cxone") return startCxoneEmulator(options as CxoneEmulatorOptions);
  return startSeedEmulator(options as EmulatorOptions);
}

async function startSeedEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const resolved = resolveOptions(options);
  const { app, ctx, stop } = buildServer(resolved);
  const { url, port, close } = await listen(app, resolved, stop);
  return { url, port, fixtures: buildFixtures(ctx), close };
}
