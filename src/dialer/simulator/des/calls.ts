import { CallTable } from "../engine-parts/call-table.ts";

/** The DES's calls: the shared columns, the agent a progressive dial is for, and the dial time. */
export class DesCalls extends CallTable {
  /** The agent a progressive dial was placed for (−1: any agent). */
  readonly owner: Int32Array<ArrayBuffer>;
  /** When the call took its channel (for the mean holding time). */
  readonly dialAt: Float64Array<ArrayBuffer>;

  /** `capacity` above the channel limit: every call in progress holds a channel. */
  constructor(capacity: number) {
    super(capacity);
    this.owner = new Int32Array(capacity);
    this.dialAt = new Float64Array(capacity);
  }
}
