import { createRequire } from "node:module";
import { parseYaml } from "../src/core/input-file.ts";
import type { BenchRow, BenchSuite } from "./types.ts";

/**
 * Issue 51 item 6: YAML inputs in linear time. CPU time of parseYaml (bounded: a linear
 * pre-scan, then the yaml library with its quadratic duplicate-key check off and duplicates
 * found in one pass) beside the library's plain `parse` on the same document, measured in the
 * same run: a 10,000-key mapping (parsed) and an 80,000-key one (refused by the pre-scan; the
 * plain parse is not run on it: it takes minutes).
 */
const require = createRequire(import.meta.url);
const yaml = require("yaml") as typeof import("yaml");

const cpuMs = (fn: () => unknown): number => {
  const start = process.cpuUsage();
  try {
    fn();
  } catch {
    // a refusal is the expected outcome for the largest document
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

const document = (keys: number) => Array.from({ length: keys }, (_, i) => `k${i}: ${i}`).join("\n");

const suite: BenchSuite = async () => {
  const ten = document(10_000);
  const eighty = document(80_000);
  return [
    {
      suite: "yaml-input",
      metric: "10,000-key document parsed",
      unit: "ms CPU",
      ours: cpuMs(() => parseYaml(ten)),
      baseline: cpuMs(() => yaml.parse(ten)),
      baselineLabel: "yaml.parse",
    },
    {
      suite: "yaml-input",
      metric: "80,000-key document refused (key bound)",
      unit: "ms CPU",
      ours: cpuMs(() => parseYaml(eighty)),
      target: "< 1000",
      met: cpuMs(() => parseYaml(eighty)) < 1000,
    },
  ] satisfies BenchRow[];
};

export default suite;
