import type { ListAttempt } from "../platform/ports/lists.ts";
import type { CxoneBaseClient as CxoneClient } from "../sdk/client-types.ts";
import type { RequestOptions } from "../sdk/runtime.ts";
import type { CampaignDay } from "./types.ts";

/** Where a run reads the dials on a list, whole: each list once a run (`attemptsOnceARun`). */
export interface ListAttemptsSource {
  attempts(listId: string, options?: RequestOptions): Promise<ListAttempt[]>;
}

/**
 * A run's reader of the lists' attempts: each list read from CXone once a run, its answer shared
 * by the steps that ask (the rest, the held records, the retries, the re-plans, the report). Each
 * asked again read every list of the day, a GET a list each time: by the afternoon a run of
 * `cxo serve` made some forty reads, and on a fast clock the campaigns budget made each wait.
 * A list pushed during the run is read when first asked; a failed read is not kept.
 */
export function attemptsOnceARun(client: {
  strategy: Pick<CxoneClient["strategy"], "attempts">;
}): ListAttemptsSource {
  const read = new Map<string, Promise<ListAttempt[]>>();
  return {
    attempts(listId, options) {
      let answer = read.get(listId);
      if (!answer) {
        // Held whole for the run's steps, however many dials the list has.
        answer = client.strategy.attempts(listId, options).toArray({ limit: Number.POSITIVE_INFINITY });
        read.set(listId, answer);
        answer.catch(() => read.delete(listId));
      }
      return answer;
    },
  };
}

/** The dials CXone made on the day's lists, by record id (a record's dial is read on the lists it was sent in). */
export async function dialsOfDay(
  source: ListAttemptsSource,
  day: CampaignDay,
  signal?: AbortSignal,
): Promise<Map<string, ListAttempt[]>> {
  const dials = new Map<string, ListAttempt[]>();
  for (const listId of day.lists)
    for (const attempt of await source.attempts(listId, { signal })) {
      const known = dials.get(attempt.recordId);
      if (known) known.push(attempt);
      else dials.set(attempt.recordId, [attempt]);
    }
  return dials;
}

/**
 * Every debt a plan row is for: its `accountIds` when its number is listed for several
 * (NDJSON: a list; CSV: its JSON text), else its `accountId`; none: [].
 */
export function debtsOfPlanRow(row: Readonly<Record<string, unknown>>): string[] {
  let many: unknown = row.accountIds;
  if (typeof many === "string" && many.startsWith("["))
    try {
      many = JSON.parse(many);
    } catch {
      many = undefined;
    }
  if (Array.isArray(many) && many.length > 0) return many.map(String);
  return typeof row.accountId === "string" && row.accountId !== "" ? [row.accountId] : [];
}
