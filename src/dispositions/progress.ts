import { stderrBar } from "../core/progress-bar.ts";

/**
 * The bulk run's progress bar on stderr: done/total, rate, ETA, errors. Off in --json mode and
 * when stderr is not a terminal (cli-progress itself draws nothing there).
 */
export interface Progress {
  update(done: number, errors: number): void;
  stop(): void;
}

export function progressBar(total: number, enabled: boolean): Progress {
  if (!enabled || total === 0) return { update() {}, stop() {} };
  const bar = stderrBar({
    format: "tagging |{bar}| {value}/{total} rows | {rate}/s | ETA {eta_formatted} | errors {errors}",
    etaBuffer: 200,
  });
  const started = performance.now();
  bar.start(total, 0, { rate: "0", errors: 0 });
  return {
    update(done, errors) {
      const seconds = (performance.now() - started) / 1000;
      bar.update(done, { rate: seconds > 0 ? (done / seconds).toFixed(0) : "0", errors });
    },
    stop() {
      bar.stop();
    },
  };
}
