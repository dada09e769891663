import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Scenario } from "../../src/dialer/pacing/scenario.ts";
import { loadScenarioFile } from "../../src/dialer/pacing/scenario-file.ts";
import { robustnessVariants } from "./pacing-variants.ts";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * The pacing bench's scenarios: the example (examples/pacing-scenario.yaml) and its family — the
 * example's robustness variants, then examples/pacing/*.yaml by name. One list for the bench and
 * the scripts that run its scenarios on other seeds (bench/pacing-seeds/).
 */
export function pacingScenarios(): { example: Scenario; family: { name: string; scenario: Scenario }[] } {
  const example = loadScenarioFile(path.join(root, "examples", "pacing-scenario.yaml"));
  const familyDir = path.join(root, "examples", "pacing");
  return {
    example,
    family: [
      ...robustnessVariants(example).map((v) => ({ name: `variant: ${v.name}`, scenario: v.scenario })),
      ...readdirSync(familyDir)
        .filter((f) => f.endsWith(".yaml"))
        .sort()
        .map((f) => ({
          name: f.replace(/\.yaml$/, ""),
          scenario: loadScenarioFile(path.join(familyDir, f)),
        })),
    ],
  };
}
