import { clockNowMs } from "../core/clock/now.ts";
import type { Logger } from "../core/logging/index.ts";
import type { Store } from "../core/store/index.ts";
import type { CampaignStatus } from "../platform/types.ts";
import type { CampaignBoard } from "./campaign-board.ts";
/**
 * Campaign states an instance learnt from its own actions (a pause from the board, a failover),
 * shared through the store (key-value namespace `service.campaign-states`) so every instance's
 * board shows them within a couple of seconds — followers do not poll CXone, and the leader polls
 * only every `pollIntervalSeconds`. Each instance applies what is newer than what it applied.
 */
export const SHARED_STATES = "service.campaign-states";

interface SharedState {
  status: CampaignStatus;
  at: number;
}

export function shareState(
  store: Pick<Store, "kv">,
  campaignId: string,
  status: CampaignStatus,
): Promise<void> {
  return store.kv.set(SHARED_STATES, campaignId, { status, at: clockNowMs() } satisfies SharedState);
}

export function followSharedStates(options: {
  store: Pick<Store, "kv">;
  board: CampaignBoard;
  logger: Logger;
  intervalMs?: number;
}): { stop(): void; readNow(): Promise<void> } {
  const applied = new Map<string, number>();
  const startedAt = clockNowMs();
  const readNow = async () => {
    try {
      for (const row of await options.store.kv.list(SHARED_STATES)) {
        const state = row.value as SharedState;
        // Only what changed since this instance started, and only once per change.
        if (state.at < startedAt || state.at <= (applied.get(row.key) ?? 0)) continue;
        applied.set(row.key, state.at);
        if (options.board.has(row.key))
          options.board.recordState(row.key, { status: state.status, at: state.at });
      }
    } catch (error) {
      options.logger.warn({ err: error }, "shared campaign states: reading failed; trying again");
    }
  };
  const timer = setInterval(() => void readNow(), options.intervalMs ?? 2000);
  timer.unref();
  return { stop: () => clearInterval(timer), readNow };
}
