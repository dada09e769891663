import type { DestinationSettings } from "../config/schema.ts";
import type { Logger } from "../logging/index.ts";
import { createDispatcher } from "./dispatcher.ts";
import type { Outbox } from "./queue.ts";

/**
 * A short-lived command (cxo tag, campaigns pause, dialer apply …) queues webhook events in the
 * outbox; without `cxo serve` running they would wait there. So before it exits the command
 * delivers what is due, within a bound, and leaves whatever is not delivered by then (receiver
 * down, retries not yet due, destinations not configured) to `cxo serve` or `cxo outbox
 * deliver`. Only a process that queued events (outboxActivity.queued) has something to wait for.
 */
export interface ExitDelivery {
  delivered: number;
  /** Still pending for configured destinations (cxo serve / cxo outbox deliver will send them). */
  pending: number;
  timedOut: boolean;
}

export async function deliverBeforeExit(
  outbox: Outbox,
  destinations: Record<string, DestinationSettings>,
  options: { timeoutMs: number; logger?: Logger },
): Promise<ExitDelivery | undefined> {
  if (Object.keys(destinations).length === 0) return undefined;
  const dispatcher = createDispatcher(outbox, {
    destinations,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  // Real time: the limit is how long a command may linger, whatever clock it reads (CXO_CLOCK).
  const started = performance.now();
  try {
    const report = await dispatcher.deliverDue({ timeoutMs: options.timeoutMs });
    return {
      delivered: report.delivered,
      pending: report.pending,
      timedOut: performance.now() - started >= options.timeoutMs,
    };
  } finally {
    await dispatcher.stop();
  }
}
