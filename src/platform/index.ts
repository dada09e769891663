export type { CxonePort } from "./port.ts";
export { createSeedApiPort } from "./seed-api/adapter.ts";
export * from "./types.ts";
