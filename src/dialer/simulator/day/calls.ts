import { CallTable } from "../engine-parts/call-table.ts";

// Who answered a call (the `party` column): the truth, which the dialer only partly sees.
/** A machine screened and hung up, or no answer. */
export const NO_PERSON = 0;
export const PERSON = 1;
/** A machine the detector passed on as live: an agent hears it and marks it. */
export const MACHINE_AS_LIVE = 2;
/** A person the detector took for a machine: hung up on (an abandon the dialer never sees). */
export const PERSON_AS_MACHINE = 3;

/** The day simulator's calls: the shared columns, who answered, and when and after how long a ring. */
export class DayCalls extends CallTable {
  readonly party: Uint8Array<ArrayBuffer>;
  readonly answeredAt: Float64Array<ArrayBuffer>;
  readonly ringSeconds: Float64Array<ArrayBuffer>;

  /** `capacity` above the lines the limits allow all the agents (the controller is capped at those). */
  constructor(capacity: number) {
    super(capacity);
    this.party = new Uint8Array(capacity);
    this.answeredAt = new Float64Array(capacity);
    this.ringSeconds = new Float64Array(capacity);
  }
}
