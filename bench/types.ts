/**
 * One line of the benchmark table: our figure beside a plain baseline measured in the same run.
 * `better` says which direction wins, so the runner can say whether the target is met.
 */
export interface BenchRow {
  suite: string;
  metric: string;
  unit: string;
  ours: number;
  baseline?: number;
  baselineLabel?: string;
  target?: string;
  met?: boolean;
}

export type BenchSuite = () => Promise<BenchRow[]>;
