import { CxoError } from "../core/cxo-error.ts";

/**
 * Another run of the same push (the same plan, campaign and list name) holds the plan's lease
 * in the store and did not finish within the wait: this run sent nothing (exit 1). Running the
 * push again once the other has finished answers from the store.
 */
export class PushInProgressError extends CxoError {
  override readonly name = "PushInProgressError";
  readonly code = "push_in_progress" as const;
  /** Who holds the lease (`host:pid:…`), and until when it runs by the database's clock, when known. */
  readonly holder: string | undefined;
  readonly heldUntil: string | undefined;

  constructor(message: string, held: { holder?: string; heldUntil?: string } = {}) {
    super(message);
    this.holder = held.holder;
    this.heldUntil = held.heldUntil;
  }
}
