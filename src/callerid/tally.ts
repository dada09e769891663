import { type HourCount, type Series, UNANSWERED_KEPT } from "./types.ts";

const HOUR_MS = 3_600_000;

/** One call as the health check sees it. */
export interface CallObservation {
  callerId: string;
  campaignId: string;
  atMs: number;
  answered: boolean;
  carrier?: string | undefined;
  /** The strategy model's answer rate at the call's local slot ÷ its mean (HourCount.shape). */
  shape?: number | undefined;
}

/**
 * Counts calls into hourly cells per series, as they stream past: memory grows with numbers ×
 * hours, never with calls, so an NDJSON history of any length is read in constant memory per
 * cell. `poolOf` names the pool a number belongs to (numbers sharing a registration or CNAM are
 * labelled together, so they are tested together).
 */
export class CallTally {
  private readonly series = new Map<
    string,
    Series & { cells: Map<number, HourCount>; memberSet: Set<string> }
  >();
  private readonly poolOf: (callerId: string) => string | undefined;
  calls = 0;

  constructor(poolOf: (callerId: string) => string | undefined = () => undefined) {
    this.poolOf = poolOf;
  }

  add(call: CallObservation): void {
    this.addCount(
      call.callerId,
      call.campaignId,
      call.carrier,
      call.atMs,
      1,
      call.answered ? 1 : 0,
      call.shape,
    );
    if (!call.answered) {
      const series = this.seriesOf(call.callerId, call.campaignId, call.carrier);
      series.unanswered.push(call.atMs);
      if (series.unanswered.length > UNANSWERED_KEPT * 2) series.unanswered.splice(0, UNANSWERED_KEPT);
    }
  }

  /** Counts already aggregated (a DuckDB GROUP BY): `atMs` is any instant of the hour; `shape` the calls' summed HourCount.shape. */
  addCount(
    callerId: string,
    campaignId: string,
    carrier: string | undefined,
    atMs: number,
    calls: number,
    answered: number,
    shape?: number,
  ): void {
    const series = this.seriesOf(callerId, campaignId, carrier);
    const hour = Math.floor(atMs / HOUR_MS);
    let cell = series.cells.get(hour);
    if (cell === undefined) {
      cell = { hour, calls: 0, answered: 0 };
      series.cells.set(hour, cell);
    }
    cell.calls += calls;
    cell.answered += answered;
    if (shape !== undefined) cell.shape = (cell.shape ?? 0) + shape;
    this.calls += calls;
    if (atMs < series.firstMs) series.firstMs = atMs;
    if (atMs > series.lastMs) series.lastMs = atMs;
  }

  private seriesOf(callerId: string, campaignId: string, carrier: string | undefined) {
    const pool = this.poolOf(callerId);
    const name = pool ?? callerId;
    const key = `${campaignId}\u0000${carrier ?? ""}\u0000${name}`;
    let series = this.series.get(key);
    if (series === undefined) {
      series = {
        name,
        members: [],
        campaignId,
        carrier,
        hours: [],
        firstMs: Number.POSITIVE_INFINITY,
        lastMs: Number.NEGATIVE_INFINITY,
        unanswered: [],
        cells: new Map(),
        memberSet: new Set(),
      };
      this.series.set(key, series);
    }
    // A set beside the list: a pool of many numbers was searched once per call (issue 78 §10).
    if (!series.memberSet.has(callerId)) {
      series.memberSet.add(callerId);
      series.members.push(callerId);
    }
    return series;
  }

  /** Every series, its hours ascending; the newest unanswered calls kept. */
  result(): Series[] {
    return [...this.series.values()].map(({ cells, memberSet: _members, ...series }) => ({
      ...series,
      members: [...series.members].sort(),
      hours: [...cells.values()].sort((a, b) => a.hour - b.hour),
      unanswered: series.unanswered.sort((a, b) => a - b).slice(-UNANSWERED_KEPT),
    }));
  }
}
