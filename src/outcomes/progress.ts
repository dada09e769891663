import { fileSize } from "../core/counted.ts";
import { stderrBar } from "../core/progress-bar.ts";
import type { ExportProgress } from "./export.ts";

/**
 * The export's progress line on stderr (records, pages, rate). The total is unknown until the
 * listing ends, so it is a counter, not a bar. Only on a terminal, never with --json.
 */
export interface ProgressDisplay {
  update(progress: ExportProgress): void;
  stop(): void;
}

export function exportProgress(enabled: boolean): ProgressDisplay {
  if (!enabled) return { update() {}, stop() {} };
  const bar = stderrBar({
    format: "exporting | {value} records | {pages} pages | {rate} records/s | {size}",
    noTTYOutput: false,
  });
  bar.start(0, 0, { pages: 0, rate: "0", size: "0 B" });
  return {
    update(p) {
      bar.setTotal(p.records);
      bar.update(p.records, {
        pages: p.pages,
        rate: p.recordsPerSec.toFixed(0),
        size: fileSize(p.bytes),
      });
    },
    stop() {
      bar.stop();
    },
  };
}
