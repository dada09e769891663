import type { DncList } from "../campaigns/compliance/dnc.ts";
import { InputError } from "../core/input-error.ts";
import type { TimedListRecord } from "../platform/ports/lists.ts";

/**
 * Issue 62: a plan is pushed as the data dir stands NOW, not as it stood when the plan was made:
 * a record whose number was put on the internal list, revoked consent (the ledger) or joined a
 * CXone DNC group scrubbing the campaign since then is not sent. Counted per code for the summary.
 */
export function withoutBlocked<P extends { records: TimedListRecord[] }>(
  plan: P,
  blocked: DncList,
  campaign: string,
): P & { blocked: Record<string, number> } {
  const counts: Record<string, number> = {};
  const records = plan.records.filter((record) => {
    const found = [
      ...(blocked.has(record.phone) ? ["internal_dnc"] : []),
      ...(blocked.suppressions?.(record.phone, campaign, Date.parse(record.callAt)) ?? []).map((s) => s.code),
    ];
    for (const code of found) counts[code] = (counts[code] ?? 0) + 1;
    return found.length === 0;
  });
  if (records.length === 0)
    throw new InputError({
      field: "plan",
      rule: `every record's number may no longer be called (${Object.entries(counts)
        .map(([code, n]) => `${code}: ${n}`)
        .join(", ")}): nothing to push`,
    });
  return { ...plan, records, blocked: counts };
}
