import { autopilotJobOf } from "../autopilot/job.ts";
import { clientOptionsFromSettings, createInternalClient, type InternalClient } from "../client.ts";
import { realDelayMs } from "../core/clock/schedule-clock.ts";
import type { Settings } from "../core/config/schema.ts";
import type { Logger } from "../core/logging/index.ts";
import { PeriodicTask } from "../core/periodic-task.ts";
import { type Announce, loggerAnnounce } from "./announce.ts";

/**
 * `cxo serve`'s autopilot (issue 91 §2, on the leader): every `autopilot.intervalMinutes` of the
 * clock, the step `cxo autopilot run --once` takes (docs/autopilot.md). Its own client, whose
 * writes are audited as `autopilot` beside the API user; the first run at once on taking the lead,
 * so a restart mid-day picks the day up where the store says it is.
 */
/** The least real time a step of `cxo serve`'s autopilot is given (twice the first run's 60 s goal, docs/autopilot.md). */
export const STEP_DEADLINE_FLOOR_MS = 120_000;

/**
 * The deadline of one step of `cxo serve`'s autopilot, in real milliseconds: its interval on the
 * clock (5 minutes on a wall clock; at `@x600` half a second of real time), never under
 * `STEP_DEADLINE_FLOOR_MS`, so a fast clock does not cut a step CXone answers in time. A step
 * past it is abandoned like a stopped one (the run's signal ends every SDK call it has in flight,
 * nothing half written, the lease released) and the next step takes the day up: a hung CXone call
 * never holds the leader's autopilot longer than that.
 */
export function stepDeadlineMs(intervalMinutes: number): number {
  return Math.max(Math.ceil(realDelayMs(intervalMinutes * 60_000)), STEP_DEADLINE_FLOOR_MS);
}

/** What the task asks of its client (a test gives its own). */
export type AutopilotTaskClient = Pick<InternalClient, "autopilot" | "close">;

export class AutopilotTask extends PeriodicTask {
  private readonly settings: Settings;
  private readonly logger: Logger;
  private client: AutopilotTaskClient | undefined;

  private readonly announce: Announce;

  constructor(options: {
    settings: Settings;
    logger: Logger;
    firstDelayMs?: number;
    announce?: Announce;
    client?: AutopilotTaskClient;
  }) {
    super(options.settings.autopilot.intervalMinutes * 60_000, {
      keepAlive: false,
      // At once on taking the lead (issue 101 §1): a new leader picks the day up where the store
      // says it is; a minute's wait, restarted by every change of leader, was a run never made.
      firstDelayMs: options.firstDelayMs ?? 0,
    });
    this.settings = options.settings;
    this.logger = options.logger;
    this.announce = options.announce ?? loggerAnnounce(options.logger);
    this.client = options.client;
  }

  protected async runOnce(signal: AbortSignal): Promise<void> {
    this.client ??= createInternalClient({
      ...clientOptionsFromSettings(this.settings),
      logger: this.logger,
      actor: "autopilot",
    });
    try {
      const started = performance.now();
      // A default deadline (issue 101 §2): a hung CXone call cannot hold the leader's autopilot.
      const deadlineMs = stepDeadlineMs(this.settings.autopilot.intervalMinutes);
      const run = await this.client.autopilot.run(autopilotJobOf(this.settings), { signal, deadlineMs });
      // The run's instant (the clock's) and how long it took (real time) on each line, so an
      // operator (and the week bench) reads the run-time distribution from the JSON lines; every
      // run that reaches CXone has an honour step, so each run has at least one line.
      const runMs = String(Math.round(performance.now() - started));
      for (const campaign of run.campaigns)
        for (const step of campaign.steps.filter((s) => !s.ok || s.step !== "watch"))
          this.announce({
            ok: step.ok,
            fields: { campaign: campaign.campaign, step: step.step, at: step.at, runMs },
            text: `autopilot: campaign ${campaign.campaign} ${step.step}: ${step.text}`,
          });
    } catch (error) {
      if (signal.aborted) return;
      if (
        (error as { code?: unknown })?.code === "deadline_exceeded" &&
        (error as { scope?: unknown }).scope === "call"
      ) {
        this.logger.warn(
          { err: error },
          `autopilot: the step passed its deadline (${Math.round(stepDeadlineMs(this.settings.autopilot.intervalMinutes) / 1000)} s of real time) and was abandoned; the next step takes the day up`,
        );
        return;
      }
      this.logger.warn({ err: error }, "autopilot: the run failed; trying again at the next");
    }
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.client?.close();
    this.client = undefined;
  }
}
