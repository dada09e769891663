import { cxo } from "./cxo.ts";
import { fixedRatio } from "./fixed.ts";
import { issabel } from "./issabel.ts";
import { progressive } from "./progressive.ts";
import { simulationOptimiser } from "./simulation-optimiser.ts";
import type { ControllerFactory, ControllerOptions, PacingController } from "./types.ts";
import { vicidial } from "./vicidial.ts";
import { webitel } from "./webitel.ts";

/** Every controller by name (the bench's `--controllers` and a campaign's `pacing` block use these names). */
const FACTORIES: Record<string, ControllerFactory> = {
  cxo,
  progressive,
  "vicidial-hard-limit": vicidial("hard-limit"),
  "vicidial-average": vicidial("average"),
  "vicidial-tapered": vicidial("tapered"),
  issabel,
  webitel,
  "simulation-optimiser": simulationOptimiser,
  "best-fixed": fixedRatio,
  clairvoyant: fixedRatio,
};

export function controllerNames(): string[] {
  return Object.keys(FACTORIES);
}

/** Builds a controller by name; throws a RangeError naming the known ones for an unknown name. */
export function createController(name: string, options: ControllerOptions): PacingController {
  const factory = FACTORIES[name];
  if (!factory)
    throw new RangeError(`unknown pacing controller "${name}" (known: ${controllerNames().join(", ")})`);
  return factory(options);
}

/**
 * Adds (or replaces) a controller under a name. Nothing in the project calls it: the built-in
 * controllers are the table above. It is for tests and extensions, through `dialer/pacing/index.ts`
 * (which the package's entry points do not re-export).
 */
export function registerController(name: string, factory: ControllerFactory): void {
  FACTORIES[name] = factory;
}
