export { createProductionPort } from "./cxone/adapter.ts";
export { isNotSupported, NotSupportedError } from "./errors.ts";
export type { CxonePort } from "./port.ts";
export type { LiveDayCounts, LivePort, LiveReading, SkillLiveSnapshot } from "./ports/live.ts";
export { createSeedApiPort } from "./seed-api/adapter.ts";
export type { PlatformSupport, PortOperation } from "./support.ts";
export * from "./types.ts";
