import { CxoneError } from "../core/http/errors.ts";

/**
 * Records whose number may no longer be called are still in a plan's lists: CXone did not take
 * them out when asked. Nothing more of the plan is pushed until they are out (each push asks
 * again); the autopilot stops the campaign at once rather than trying again the same day.
 * `records` maps each list id to the external ids still in it.
 */
export class RemovalPendingError extends CxoneError {
  override name = "RemovalPendingError";
  override readonly code = "cxone_removal_pending" as const;
  readonly records: Record<string, string[]>;

  constructor(message: string, records: Record<string, string[]>) {
    super(message);
    this.records = records;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), records: this.records };
  }
}
