import { canonicalJson } from "../core/audit/canonical-json.ts";
import { appendAuditRecords } from "../core/audit/index.ts";
import type { Store } from "../core/store/index.ts";
import { getCheckpoint, setCheckpoints } from "../core/store/kv.ts";
import type { EffectiveDates } from "./effective-dates.ts";
import { sqlOf } from "./store-sql.ts";

/**
 * A moved date changes what every call is judged by, so the change is audited: the store keeps
 * the dates it last judged with (kv `compliance.ruleDates`), and the first run that judges with
 * other dates appends one `compliance.rules.effective-dates` record (before, after, the ids
 * changed) in the same transaction as it keeps the new ones. A run with the same dates writes
 * nothing. No dates set and none kept: nothing to record.
 */
const NAMESPACE = "compliance.ruleDates";
const KEY = "current";

export async function recordEffectiveDates(
  store: Store,
  dates: EffectiveDates | undefined,
  actor: string | null | undefined,
): Promise<{ changed: string[] }> {
  const after = { ...(dates ?? {}) };
  return sqlOf(store).transaction(async (tx) => {
    const kept = await getCheckpoint<Record<string, string>>(tx, NAMESPACE, KEY);
    const before = kept ?? {};
    if (canonicalJson(before) === canonicalJson(after)) return { changed: [] };
    const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .filter((id) => before[id] !== after[id])
      .sort();
    await setCheckpoints(tx, [{ namespace: NAMESPACE, key: KEY, value: after }]);
    await appendAuditRecords(tx, [
      {
        operation: "compliance.rules.effective-dates",
        outcome: "done",
        actor: actor ?? null,
        target: "rules.effectiveDates",
        before,
        after,
        details: { changed },
      },
    ]);
    return { changed };
  });
}
