import type { InternalClient } from "../client.ts";
import type { Logger } from "../core/logging/index.ts";
import { PeriodicTask } from "../core/periodic-task.ts";

/**
 * `cxo serve`'s watch of the skills cxo pushed to (on the leader): every few minutes each skill
 * with records of a push still to dial is read again, and a change that lets CXone dial what the
 * push did not count is acted on (`strategy.watchSkills`: the retry settings cxo set put back,
 * else the push's records taken out; journaled, audited as `strategy.skill-drift`, a signed
 * event). Every 5 minutes by default: a change is acted on within 10 minutes of being made, the
 * run in flight included. On a platform without calling lists there is nothing to watch.
 */
export const SKILL_WATCH_INTERVAL_MS = 5 * 60_000;

export class SkillDriftWatch extends PeriodicTask {
  private readonly client: InternalClient;
  private readonly logger: Logger;

  constructor(options: { client: InternalClient; logger: Logger; intervalMs?: number }) {
    super(options.intervalMs ?? SKILL_WATCH_INTERVAL_MS, { keepAlive: false });
    this.client = options.client;
    this.logger = options.logger;
  }

  protected async runOnce(signal: AbortSignal): Promise<void> {
    if (this.client.unsupported("lists.timed")) return;
    try {
      const drifts = await this.client.strategy.watchSkills({}, { signal });
      for (const drift of drifts)
        this.logger.warn(
          { skill: drift.skillId, changes: drift.text, action: drift.action },
          `strategy: skill ${drift.skillId} changed after cxo's push (${drift.text}): ${
            drift.action === "restore-retry"
              ? "retry settings put back"
              : "the push's records taken out of its lists"
          }`,
        );
    } catch (error) {
      if (signal.aborted) return;
      this.logger.warn(
        { err: error },
        "strategy: could not watch the skills cxo pushed to; trying again next run",
      );
    }
  }
}
