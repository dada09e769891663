import { openStore, type RedriveReport, type Store, type StoreTarget } from "../core/store/index.ts";
import type { DispositionsPort } from "../platform/ports/dispositions.ts";
import { MatrixCache, type MatrixCacheOptions } from "./matrix-cache.ts";
import type { TagDeps } from "./tag-call.ts";
import { TAG_OPERATION_KIND, type TagPayload, tagOperation } from "./tag-operation.ts";

/**
 * What a tagging run needs, opened in the right order: the store, then the re-drive of tagging
 * operations a previous run left pending (before any new work, so a crash never leaves a call
 * half-recorded), then the matrix cache.
 */
export interface TaggingSession extends TagDeps {
  store: Store;
  redriven: RedriveReport;
  /**
   * Bulk rows (`namespace + "\n" + key`) whose operation, left pending by an earlier run, this
   * session re-drove: a rerun reports them as re-driven, not as "already done".
   */
  redrivenRows: ReadonlySet<string>;
  close(): Promise<void>;
}

/** What re-driving the tagging rows an earlier run left pending did (see TaggingSession). */
export interface TaggingRedrive {
  redriven: RedriveReport;
  redrivenRows: ReadonlySet<string>;
}

/** Re-drives the tagging operations left pending in `store` (before any new tagging work). */
export async function redriveTagging(store: Store, port: DispositionsPort): Promise<TaggingRedrive> {
  const before = (await store.journal.pending()).filter((entry) => entry.kind === TAG_OPERATION_KIND);
  const redriven = await store.journal.redrivePending([tagOperation(port)]);
  // Rows still pending were not re-driven here (held by a live process, or failed again).
  const still = new Set((await store.journal.pending()).map((entry) => entry.id));
  const redrivenRows = new Set<string>();
  for (const entry of before) {
    const bulk = (entry.payload as TagPayload).bulk;
    if (bulk && !still.has(entry.id)) redrivenRows.add(`${bulk.namespace}\n${bulk.key}`);
  }
  return { redriven, redrivenRows };
}

export async function openTaggingSession(
  port: DispositionsPort,
  /** The data dir, or settings naming a PostgreSQL store (`store.url`). */
  where: string | StoreTarget,
  options: { actor?: string; matrix?: MatrixCacheOptions } = {},
): Promise<TaggingSession> {
  const store = await openStore(where, options.actor ? { actor: options.actor } : {});
  try {
    const { redriven, redrivenRows } = await redriveTagging(store, port);
    return {
      port,
      store,
      matrices: new MatrixCache(port, options.matrix),
      redriven,
      redrivenRows,
      close: () => store.close(),
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
