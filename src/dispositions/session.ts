import { openStore, type RedriveReport, type Store, type StoreTarget } from "../core/store/index.ts";
import type { DispositionsPort } from "../platform/ports/dispositions.ts";
import { MatrixCache, type MatrixCacheOptions } from "./matrix-cache.ts";
import type { TagDeps } from "./tag-call.ts";
import { tagOperation } from "./tag-operation.ts";

/**
 * What a tagging run needs, opened in the right order: the store, then the re-drive of tagging
 * operations a previous run left pending (before any new work, so a crash never leaves a call
 * half-recorded), then the matrix cache.
 */
export interface TaggingSession extends TagDeps {
  store: Store;
  redriven: RedriveReport;
  close(): Promise<void>;
}

export async function openTaggingSession(
  port: DispositionsPort,
  /** The data dir, or settings naming a PostgreSQL store (`store.url`). */
  where: string | StoreTarget,
  options: { actor?: string; matrix?: MatrixCacheOptions } = {},
): Promise<TaggingSession> {
  const store = await openStore(where, options.actor ? { actor: options.actor } : {});
  try {
    const redriven = await store.journal.redrivePending([tagOperation(port)]);
    return {
      port,
      store,
      matrices: new MatrixCache(port, options.matrix),
      redriven,
      close: () => store.close(),
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
