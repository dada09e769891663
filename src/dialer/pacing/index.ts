/**
 * Predictive pacing: controllers that choose how many calls to place each tick, keeping
 * abandonment inside a legal window's budget. Pure: the same objects run in the day
 * simulator and live.
 */
export { progressive } from "./progressive.ts";
export { controllerNames, createController, registerController } from "./registry.ts";
export * from "./types.ts";
