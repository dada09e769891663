import { CxoError } from "./cxo-error.ts";

/**
 * A call made on a client after `close()` (or one in flight when `close()` was called, which
 * aborts it): the client does not silently reopen its store or its connections.
 */
export class ClientClosedError extends CxoError {
  override name = "ClientClosedError";
  readonly code = "client_closed" as const;

  constructor() {
    super("the client was closed: make a new one to go on");
  }
}

/** Whether a failure is the client's close (the error itself, or an abort it caused). */
export function closedByClient(error: unknown): boolean {
  return (
    error instanceof ClientClosedError || (error instanceof Error && error.cause instanceof ClientClosedError)
  );
}
