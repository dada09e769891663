import type { Settings } from "../core/config/index.ts";
import { outboxActivity } from "../core/outbox/activity.ts";

/** What delivery needs of a command's context (context.ts's CliContext is one). */
export interface ExitDeliveryContext {
  readonly options: object;
  settings(): Promise<Settings>;
  note(text: string): void;
}

/**
 * Before a command exits, it delivers the webhook events it queued (tagged calls, campaign state
 * changes, dialer changes …) instead of leaving them to wait for a `cxo serve` that may not run:
 * at most EXIT_DELIVERY_MS, then whatever is left (receiver down, retries not due yet) stays in
 * the outbox for `cxo serve` or `cxo outbox deliver`. `--no-deliver` skips it. Long-running
 * commands (serve, demo) have their own dispatcher and opt out.
 */
export const EXIT_DELIVERY_MS = 10_000;

let current: ExitDeliveryContext | undefined;
let optedOut = false;
let budgetMs = EXIT_DELIVERY_MS;

/** The command's context (the last one made): whose settings say where events go. */
export function rememberContext(ctx: ExitDeliveryContext): void {
  current = ctx;
}

/** For commands that deliver events themselves all along (serve, demo). */
export function skipExitDelivery(): void {
  optedOut = true;
}

/**
 * A shorter linger for a command run over and over (`autopilot run --once` from cron, issue 101
 * §2: a run held its exit up to 10 s delivering events, and a run that overran delayed the
 * next). What is not delivered in time stays in the outbox for the next run or `cxo serve`.
 */
export function limitExitDelivery(ms: number): void {
  budgetMs = Math.min(budgetMs, ms);
}

export async function deliverOnExit(): Promise<void> {
  // This command's context, opt-out and budget: the next command run in the same process (an
  // embedding program, a warm test host) starts afresh — a `serve` refused for its --port had
  // opted out, and every command after it in the process delivered nothing.
  const ctx = current;
  const skipped = optedOut;
  const timeoutMs = budgetMs;
  current = undefined;
  optedOut = false;
  budgetMs = EXIT_DELIVERY_MS;
  if (!ctx || skipped || !outboxActivity.queued || (ctx.options as { deliver?: boolean }).deliver === false)
    return;
  outboxActivity.queued = false;
  let settings: Settings;
  try {
    settings = await ctx.settings();
  } catch {
    return;
  }
  if (Object.keys(settings.destinations).length === 0) return;
  const [{ openStore }, { deliverBeforeExit }] = await Promise.all([
    import("../core/store/index.ts"),
    import("../core/outbox/deliver-before-exit.ts"),
  ]);
  const store = await openStore(settings);
  try {
    const result = await deliverBeforeExit(store.outbox, settings.destinations, {
      timeoutMs,
    });
    if (result && (result.delivered > 0 || result.pending > 0))
      ctx.note(
        `webhooks: ${result.delivered} delivered${result.pending > 0 ? `, ${result.pending} left for cxo serve / cxo outbox deliver` : ""}`,
      );
  } catch (error) {
    ctx.note(
      `webhooks: not delivered now (${(error as Error).message}); cxo serve or cxo outbox deliver will`,
    );
  } finally {
    await store.close();
  }
}
