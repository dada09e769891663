import type {
  InteractionDispositionCode,
  InteractionDispositionEntry,
  VersionedInteraction,
} from "../types.ts";

/** Seed 001: closed interactions with optimistic locking (ETag / If-Match). */
export interface InteractionsPort {
  /** The interaction and the ETag of the version read. */
  get(interactionId: string, signal?: AbortSignal): Promise<VersionedInteraction>;
  /**
   * Replaces the interaction's dispositions, only if it is still at `ifMatch` (else
   * ConflictError; a missing ETag is a PreconditionFailedError). The caller sends the whole,
   * merged array. `idempotencyKey` makes the request safe for the HTTP core to retry.
   */
  replaceDispositions(
    interactionId: string,
    dispositions: readonly InteractionDispositionEntry[],
    ifMatch: string,
    options?: { idempotencyKey?: string; signal?: AbortSignal },
  ): Promise<VersionedInteraction>;
  /** The tenant's interaction disposition codes (1xx primary, 2xx secondary). */
  listDispositionCodes(signal?: AbortSignal): Promise<InteractionDispositionCode[]>;
}
