import { UnreadableAnswerError } from "../../core/http/errors.ts";
import { bool, isObject, num, type Raw, text } from "./tolerant.ts";

/**
 * CXone's batch writes answer 200 with a verdict per record (`POST /dnc-groups/{id}/records`:
 * `{errorCount, recordResults[{success, error}]}`; `removeProspects`: `{successfulRecords,
 * failedRecords}`), so a 200 may carry records CXone refused. These readers take the verdict
 * record by record, inside `resultSet` or at the top (the generated client's models wrap it,
 * calljacob `AdminListsService`; cxo's first reading did not), `errorCount` as a number or its
 * text. A refused record is never read as done: a caller keeps it pending and sends it again.
 */

/** The answer's own object: its `resultSet` when it has one (either case), else itself. */
function containerOf(body: unknown): Raw {
  if (!isObject(body)) return {};
  if (isObject(body.resultSet)) return body.resultSet;
  if (isObject(body.resultset)) return body.resultset;
  return body;
}

const itemsOf = (container: Raw, body: unknown, key: string): unknown[] | undefined => {
  const items = container[key] ?? (isObject(body) ? body[key] : undefined);
  return Array.isArray(items) ? items : undefined;
};

/** An item that says it failed: `success` false, or an error without `success: true`. */
function itemFailed(item: Raw): boolean {
  const success = bool(item.success);
  if (success === false) return true;
  return success !== true && text(item.error ?? item.errorMessage ?? item.resultCode) !== undefined;
}

const reasonOf = (item: Raw) =>
  text(item.error ?? item.errorMessage ?? item.resultCode ?? item.message) ?? "refused, no reason given";

/**
 * The records of one batch CXone refused, by key (`batch` holds the keys as sent, in order),
 * with its words. An item is matched to its record by `keyOf` (its number), else by position
 * when the answer has one item per record. When the answer counts more errors (`errorCount`)
 * than it names records, or names a failure it cannot place, every record it does not show as a
 * success is refused: an error CXone counted is never read as a record done.
 */
export function refusedInBatch(
  batch: readonly string[],
  body: unknown,
  options: { items: string; keyOf: (item: Raw) => string | undefined },
): Map<string, string> {
  const container = containerOf(body);
  const items = (itemsOf(container, body, options.items) ?? []).filter(isObject);
  const errorCount = num(container.errorCount ?? (isObject(body) ? body.errorCount : undefined)) ?? 0;
  const sent = new Set(batch);
  const refused = new Map<string, string>();
  const succeeded = new Set<string>();
  let unplaced: string | undefined;
  items.forEach((item, index) => {
    const named = options.keyOf(item);
    const key =
      named !== undefined && sent.has(named)
        ? named
        : items.length === batch.length
          ? batch[index]
          : undefined;
    if (!itemFailed(item)) {
      if (key !== undefined) succeeded.add(key);
      return;
    }
    if (key === undefined) unplaced ??= reasonOf(item);
    else refused.set(key, reasonOf(item));
  });
  if (unplaced === undefined && errorCount <= refused.size) return refused;
  const why = `CXone counted ${Math.max(errorCount, refused.size + 1)} refused record(s) it did not all name${unplaced ? ` (${unplaced})` : ""}: not read as added`;
  for (const key of batch) if (!succeeded.has(key) && !refused.has(key)) refused.set(key, why);
  return refused;
}

/** `removeProspects`' answer: the external ids taken out and those not, with CXone's words. */
export interface RemovalVerdict {
  removed: string[];
  failed: Array<{ externalId: string; reason: string }>;
}

/**
 * `DELETE …/removeProspects` → `successfulRecords[]` and `failedRecords[{externalId, resultCode}]`
 * (items may be bare ids), inside `resultSet` or not. An answer without both lists is not read
 * as "removed" (a compliance path); an id asked for that neither list names is not removed.
 */
export function removalVerdictOf(batch: readonly string[], body: unknown, endpoint: string): RemovalVerdict {
  const container = containerOf(body);
  const successful = itemsOf(container, body, "successfulRecords");
  const failedItems = itemsOf(container, body, "failedRecords");
  if (!successful || !failedItems)
    throw new UnreadableAnswerError(endpoint, "its successfulRecords/failedRecords lists", { body });
  const idOf = (item: unknown) =>
    typeof item === "string" || typeof item === "number"
      ? String(item)
      : text((item as Raw | null)?.externalId);
  const failed = new Map<string, string>();
  for (const item of failedItems) {
    const id = idOf(item);
    if (id !== undefined) failed.set(id, isObject(item) ? reasonOf(item) : "not removed");
  }
  const removed = new Set<string>();
  for (const item of successful) {
    const id = idOf(item);
    if (id !== undefined && !failed.has(id)) removed.add(id);
  }
  for (const id of batch)
    if (!removed.has(id) && !failed.has(id)) failed.set(id, "not named in CXone's answer: not removed");
  return {
    removed: [...removed],
    failed: [...failed].map(([externalId, reason]) => ({ externalId, reason })),
  };
}
