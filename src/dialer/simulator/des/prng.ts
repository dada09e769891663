/**
 * xoshiro128** (Blackman & Vigna), seeded through splitmix32: small, fast, 2^128 − 1 period,
 * and reproducible across platforms because it only uses 32-bit integer maths. Same seed →
 * same stream → same simulation.
 */
export class Random {
  /**
   * The state's four words in an Int32Array, not four number fields: the words use all 32 bits,
   * past the small-integer range, so a field would hold them as boxed doubles and convert on
   * every read and write. The same int32 arithmetic either way: the same stream.
   */
  private readonly s = new Int32Array(4);
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
    const s = this.s;
    s[0] = next();
    s[1] = next();
    s[2] = next();
    s[3] = next();
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s[1] as number, 5), 7), 9) >>> 0;
    this.skip(1);
    return result;
  }

  /**
   * Moves the stream on by `n` draws without computing them (common random numbers: a draw not
   * used is still taken); `skip(1)` is xoshiro128's state transition, one draw.
   */
  skip(n: number): void {
    // The transition n times with the words held in locals (loaded and stored once).
    const s = this.s;
    let s0 = s[0] as number;
    let s1 = s[1] as number;
    let s2 = s[2] as number;
    let s3 = s[3] as number;
    for (let i = 0; i < n; i++) {
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
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
