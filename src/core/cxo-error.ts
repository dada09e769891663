/**
 * The base class of every error the SDK raises (stripe-node's StripeError): `instanceof CxoError`
 * tells the SDK's errors from any other, `code` names the kind (one per class, stable: switch on
 * it; messages may change), and `status` and `requestId` say what CXone answered when the error
 * is CXone's (undefined otherwise).
 */
export interface CxoErrorOptions extends ErrorOptions {
  /** The HTTP status CXone answered. */
  status?: number | undefined;
  /** CXone's request id for the failed request, to quote to NICE support. */
  requestId?: string | undefined;
}

export abstract class CxoError extends Error {
  abstract readonly code: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;

  constructor(message?: string, options: CxoErrorOptions = {}) {
    const { status, requestId, ...errorOptions } = options;
    super(message, errorOptions.cause === undefined ? undefined : errorOptions);
    this.status = status;
    this.requestId = requestId;
  }
}
