import { InputError } from "../../core/input-error.ts";
import type { KeyValueStore } from "../../core/store/index.ts";
import { settingsMatch } from "./diff.ts";
import { findVersion, type HistoryRow, previousVersion, readHistory } from "./history.ts";
import { type LifecycleDeps, snapshot } from "./lifecycle.ts";
import { type RestoreResult, restoreSettings } from "./restore.ts";

/**
 * `cxo dialer rollback [--to VERSION]` and the board's "roll back to this version": the version
 * named (it must be in this data dir's history), or the one before the settings in force now,
 * restored through the settings lifecycle (snapshot, PUT with If-Match, wait, verify; journaled).
 */
export async function rollbackSettings(
  deps: LifecycleDeps,
  kv: KeyValueStore,
  request: { campaignId?: string | undefined; to?: string | undefined },
): Promise<RestoreResult & { to: string }> {
  const rows = await readHistory(kv, request.campaignId);
  let target: HistoryRow | undefined;
  if (request.to !== undefined) {
    target = findVersion(rows, request.to);
    if (!target) throw new InputError({ field: "to", rule: `version ${request.to} is not in the history` });
  } else {
    const now = await snapshot(deps, "rollback: current version");
    target = previousVersion(rows, now.versionTag, (settings) => settingsMatch(settings, now.settings));
    if (!target)
      throw new InputError({
        field: "to",
        rule: "no earlier version in the history to go back to; name one",
      });
  }
  deps.note?.(`rolling back to the settings of version ${target.versionTag}`);
  const result = await restoreSettings(deps, {
    target: target.settings,
    targetVersionTag: target.versionTag,
    trigger: "requested",
  });
  return { ...result, to: target.versionTag };
}
