import { type RevocationConfirmationRow, RULE_TABLE } from "./rule-table.ts";
import type { Touch } from "./touch-caps.ts";
import type { Channel } from "./touches.ts";

/**
 * The one text a sender may send after a revocation by text — confirming it, within
 * `withinMinutes` (5) of the request (47 CFR 64.1200(a)(10), (a)(12)). A touch marked as that
 * confirmation (`purpose: revocation-confirmation`) is allowed when it is a text, the number's
 * newest revocation by text lies at most 5 minutes before the whole of its send window, and no
 * other confirmation was sent since that revocation; any other text or call after the revocation
 * stays refused by it (`consent_revoked`). Pure: the revocations by text (the ledger's SMS
 * revocations of the number) and the touches are the caller's.
 */
export interface ConfirmationFacts {
  channel?: Channel | undefined;
  atMs: number;
  /** The end of the send window (a planned touch's), else the instant `atMs`. */
  untilMs?: number | undefined;
  /** When the number revoked consent by text (epoch ms). */
  textStopsMs?: readonly number[] | undefined;
  /** The touches already made to the number (those marked as confirmations are read). */
  touches?: readonly Touch[] | undefined;
}

export type ConfirmationJudgement = { allowed: true; revokedMs: number } | { allowed: false; why: string };

const iso = (ms: number) => new Date(ms).toISOString();

export function judgeConfirmation(
  row: RevocationConfirmationRow,
  facts: ConfirmationFacts,
): ConfirmationJudgement {
  const channel = facts.channel ?? "call";
  if (channel !== "sms")
    return {
      allowed: false,
      why: `a revocation is confirmed by one text message, and this is a ${channel}: after a revocation no call is allowed`,
    };
  let revokedMs: number | undefined;
  for (const stop of facts.textStopsMs ?? [])
    if (stop <= facts.atMs && (revokedMs === undefined || stop > revokedMs)) revokedMs = stop;
  if (revokedMs === undefined)
    return {
      allowed: false,
      why: "the number has no revocation by text before it: there is nothing to confirm",
    };
  const endMs = facts.untilMs ?? facts.atMs;
  const limitMs = row.withinMinutes * 60_000;
  if (endMs - revokedMs > limitMs)
    return {
      allowed: false,
      why: `sent ${seconds(endMs - revokedMs)} after the revocation by text at ${iso(revokedMs)}: the one confirmation goes within ${row.withinMinutes} minutes`,
    };
  const earlier = (facts.touches ?? []).find(
    (t) =>
      t.purpose === "revocation-confirmation" &&
      (t.channel ?? "call") === "sms" &&
      t.atMs >= revokedMs &&
      t.atMs < facts.atMs,
  );
  if (earlier)
    return {
      allowed: false,
      why: `a confirmation was already sent at ${iso(earlier.atMs)} for the revocation at ${iso(revokedMs)}: only one is allowed`,
    };
  return { allowed: true, revokedMs };
}

/** "4 min 59 s" */
function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** The confirmation row in force in `country` on the day of `receivedAt` (ISO), if any. */
export function confirmationRowOn(
  country: string,
  receivedAt: string,
): RevocationConfirmationRow | undefined {
  const date = receivedAt.slice(0, 10);
  return RULE_TABLE.find(
    (r): r is RevocationConfirmationRow =>
      r.kind === "revocation_confirmation" &&
      r.jurisdiction === country &&
      r.effectiveFrom <= date &&
      (r.effectiveTo === undefined || date < r.effectiveTo),
  );
}
