import { listen } from "../kernel.ts";
import { buildCxoneFixtures, type CxoneFixtures } from "./fixtures.ts";
import { type CxoneEmulatorOptions, resolveCxoneOptions } from "./options.ts";
import { buildCxoneServer } from "./server.ts";

export type { CxoneFixtures } from "./fixtures.ts";
export type { Knobs, KnobsInput } from "./knobs.ts";
export type { CxoneEmulatorOptions } from "./options.ts";

/**
 * The emulator of NICE CXone's production API, in-process: one origin serving the issuer
 * (discovery, token) and the `/inContactAPI/services/vNN.0/…` API.
 */
export interface RunningCxoneEmulator {
  platform: "cxone";
  url: string;
  port: number;
  fixtures: CxoneFixtures;
  close(): Promise<void>;
}

export async function startCxoneEmulator(options: CxoneEmulatorOptions): Promise<RunningCxoneEmulator> {
  const resolved = resolveCxoneOptions(options);
  const { app, ctx } = buildCxoneServer(resolved);
  const listening = await listen(app, resolved);
  return { platform: "cxone", ...listening, fixtures: buildCxoneFixtures(ctx, listening.url) };
}
