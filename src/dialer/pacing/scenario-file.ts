import { loadInputFile } from "../../core/input-file.ts";
import { compileScenario, type Scenario, scenarioSchema } from "./scenario.ts";

/** Reads and validates a pacing scenario file (.yaml/.yml/.json); problems name the field. */
export function loadScenarioFile(path: string, field = "scenario"): Scenario {
  return compileScenario(loadInputFile(path, scenarioSchema, field));
}
