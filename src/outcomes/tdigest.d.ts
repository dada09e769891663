/** Types for the parts of `tdigest` (welch/tdigest, MIT) this capability uses. */
declare module "tdigest" {
  class TDigest {
    constructor(delta?: number, K?: number, CX?: number);
    push(x: number | number[], n?: number): void;
    percentile(p: number): number | undefined;
    percentile(p: number[]): Array<number | undefined>;
    size(): number;
    compress(): void;
  }
  const tdigest: { TDigest: typeof TDigest };
  export default tdigest;
}
