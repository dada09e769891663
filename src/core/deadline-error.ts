import { CxoError } from "./cxo-error.ts";
/**
 * A caller's `deadlineMs` passed before the call finished: what the call was waiting on (a
 * rate-limit slot, a token, a retry, an answer, the store) was stopped. A write whose request
 * may already have reached CXone stays pending in the journal and is re-driven by the next run
 * of the same capability, as after an abort.
 */
export class DeadlineExceededError extends CxoError {
  override readonly name = "DeadlineExceededError";
  readonly code = "deadline_exceeded" as const;
  /** The deadline the caller gave, in milliseconds. */
  readonly deadlineMs: number;

  constructor(deadlineMs: number) {
    super(`the call did not finish within its deadline of ${deadlineMs} ms`);
    this.deadlineMs = deadlineMs;
  }
}
