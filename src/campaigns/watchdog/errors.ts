import { CxoError } from "../../core/cxo-error.ts";

/**
 * A step of a running watchdog failed (a live reading, an evaluation that threw something not
 * an Error): what its "error" listeners are told. The failure itself is `cause`; an SDK error
 * (a NetworkError, a NotFoundError…) reaches the listeners as it is.
 */
export class WatchdogStepError extends CxoError {
  override readonly name = "WatchdogStepError";
  readonly code = "watchdog_step_failed" as const;
}
