import { clockNowMs } from "../core/clock/now.ts";
import type { DispositionsPort } from "../platform/ports/dispositions.ts";
import type { DispositionMatrix } from "../platform/types.ts";
/**
 * Disposition matrices per campaign, fetched through the port and kept for `ttlMs`.
 * Concurrent callers share one fetch. `refreshOnce` is for the moment CXone rejects (400) a code
 * the cached matrix said was valid: the matrix may have changed, so it is fetched again — but
 * only once per cached copy, so a thousand rows failing together cause one refetch, not a storm.
 */
export interface MatrixCacheOptions {
  ttlMs?: number;
  now?: () => number;
}

interface Entry {
  matrix: Promise<DispositionMatrix>;
  fetchedAt: number;
  /** Set once this copy has been refreshed after a rejection. */
  refreshed: Promise<DispositionMatrix> | undefined;
}

export const DEFAULT_MATRIX_TTL_MS = 5 * 60_000;

export class MatrixCache {
  private readonly port: Pick<DispositionsPort, "getMatrix">;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry>();
  /** How many times a matrix was fetched (for tests and the summary). */
  fetches = 0;

  constructor(port: Pick<DispositionsPort, "getMatrix">, options: MatrixCacheOptions = {}) {
    this.port = port;
    this.ttlMs = options.ttlMs ?? DEFAULT_MATRIX_TTL_MS;
    this.now = options.now ?? clockNowMs;
  }

  get(campaignId: string, signal?: AbortSignal): Promise<DispositionMatrix> {
    const entry = this.entries.get(campaignId);
    if (entry && this.now() - entry.fetchedAt < this.ttlMs) return entry.refreshed ?? entry.matrix;
    return this.fetch(campaignId, signal).matrix;
  }

  /**
   * CXone refused a code this cache called valid: refetch, once per cached copy. Callers that
   * arrive while (or after) it happened get the same refreshed matrix.
   */
  refreshOnce(campaignId: string, signal?: AbortSignal): Promise<DispositionMatrix> {
    const entry = this.entries.get(campaignId);
    if (!entry) return this.fetch(campaignId, signal).matrix;
    if (!entry.refreshed) {
      this.fetches += 1;
      entry.refreshed = this.port.getMatrix(campaignId, signal);
      entry.refreshed.catch(() => {
        // A failed refresh must not stick: the next rejection may try again.
        if (this.entries.get(campaignId) === entry) entry.refreshed = undefined;
      });
    }
    return entry.refreshed;
  }

  private fetch(campaignId: string, signal?: AbortSignal): Entry {
    this.fetches += 1;
    const entry: Entry = {
      matrix: this.port.getMatrix(campaignId, signal),
      fetchedAt: this.now(),
      refreshed: undefined,
    };
    this.entries.set(campaignId, entry);
    entry.matrix.catch(() => {
      if (this.entries.get(campaignId) === entry) this.entries.delete(campaignId);
    });
    return entry;
  }
}
