/**
 * xoshiro128** (Blackman & Vigna), seeded through splitmix32: small, fast, 2^128 − 1 period,
 * and reproducible across platforms because it only uses 32-bit integer maths. Same seed →
 * same stream → same simulation.
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal = Number.NaN;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    this.advance();
    return result;
  }

  /** Moves the stream on by `n` draws without computing them (common random numbers: a draw not used is still taken). */
  skip(n: number): void {
    for (let i = 0; i < n; i++) this.advance();
  }

  /** xoshiro128's state transition (one draw). */
  private advance(): void {
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
  }

  /** Uniform on the open interval (0, 1): never 0, so log(u) is always finite. */
  uniform(): number {
    return (this.nextUint32() + 0.5) / 4294967296;
  }

  exponential(mean: number): number {
    return -mean * Math.log(this.uniform());
  }

  /** Standard normal by Box–Muller, keeping the second variate for the next call. */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const value = this.spareNormal;
      this.spareNormal = Number.NaN;
      return value;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const angle = 2 * Math.PI * this.uniform();
    this.spareNormal = r * Math.sin(angle);
    return r * Math.cos(angle);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
