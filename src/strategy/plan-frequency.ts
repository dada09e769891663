import type { AccountAttempt, AttemptTime } from "../compliance/index.ts";
import { nycCountyOf } from "../compliance/nyc-zips.ts";
import { HOUR_MS } from "../core/time-units.ts";
import { type DialRecord, type DialScope, dialRefusals } from "./may-dial.ts";
import type { CapBounds } from "./plan-caps.ts";
import type { PlanSetup, RecordState } from "./plan-record.ts";

/** What the frequency rules read of the planner: its setup, its scope, its caps' bounds and window. */
export interface FrequencyContext {
  setup: PlanSetup;
  scope: DialScope;
  capBounds: CapBounds;
  staleMs: number;
}

/**
 * The rules that depend on other attempts, for an attempt dialled anywhere in [t, t + stale
 * window], asked of the one judging function (the hour itself was judged for the situation):
 * Regulation F over the account's calls, then the engine's frequency caps with the phone's
 * attempts — both over dial intervals, counting the attempts before and after t (the planned
 * ones as their own windows, the history's as instants), so that no choice of dial times within
 * the windows breaks a cap. A phone with fewer attempts near t than the smallest cap cannot hit
 * any cap, so the engine is asked only when it could. A record of several debts is
 * asked for each debt, with that debt's calls: a cap of any refuses it.
 */
export function frequencyRefusal(ctx: FrequencyContext, r: RecordState, t: number): string | null {
  if (r.debts.length < 2) return refusalFor(ctx, r, t, r.row.accountId, r.account, r.dial);
  for (const debt of r.debts) {
    const calls = ctx.setup.kind === "collections" ? ctx.setup.accountAttempts.get(debt) : undefined;
    const refusal = refusalFor(ctx, r, t, debt, calls, { ...r.dial, accountId: debt });
    if (refusal !== null) return refusal;
  }
  return null;
}

/** `frequencyRefusal` for one of the record's accounts (its calls, its touches on its other numbers). */
function refusalFor(
  ctx: FrequencyContext,
  r: RecordState,
  t: number,
  accountId: string | undefined,
  account: readonly AccountAttempt[] | undefined,
  dial: DialRecord,
): string | null {
  const untilMs = t + ctx.staleMs;
  const nyc = nycCountyOf(r.row.zip) !== undefined;
  const bounds = ctx.capBounds.of(r.number, r.row.state ?? (nyc ? "NY" : undefined), nyc);
  const window = bounds.longestMs + ctx.staleMs + HOUR_MS;
  // The account's touches on its other numbers count toward a per-account cap (issue 79).
  const others = (accountId === undefined ? [] : (ctx.setup.accountTouches?.get(accountId) ?? [])).filter(
    (a) => a.phone !== r.row.phone,
  );
  let near = 0;
  for (const a of r.phoneAttempts) if (Math.abs(a.atMs - t) < window) near++;
  for (const a of others) if (Math.abs(a.atMs - t) < window) near++;
  const times: AttemptTime[] = [];
  if (near >= bounds.smallest)
    for (const a of [...r.phoneAttempts, ...others])
      times.push({
        atMs: a.atMs,
        campaignId: a.campaignId,
        untilMs: a.untilMs,
        channel: a.channel,
        phone: a.phone,
        // Every call to the number is about each of its debts (issue 100), whatever debt it named.
        accountId: a.phone === r.row.phone ? accountId : a.accountId,
        seller: a.seller,
      });
  const reasons = dialRefusals(ctx.scope, dial, t, untilMs, { account, attempts: times, aloneAllowed: true });
  return reasons.length === 0 ? null : (reasons[0]?.code ?? "refused");
}
