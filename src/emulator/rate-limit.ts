import { clockNowMs } from "../core/clock/now.ts";
import { GROUP_LIMITS, type Group } from "./groups.ts";

/**
 * Per-client, per-group token buckets: capacity = the documented limit × scale, refilled
 * evenly over the window. A bucket allows the documented burst, then the steady rate, which is
 * how a gateway limit of "100 per minute" behaves in practice.
 */
interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
  private readonly scale: number;
  private readonly buckets = new Map<string, Bucket>();

  constructor(scale: number) {
    this.scale = scale;
  }

  /** Takes one request's worth; answers the wait in ms when the bucket is empty (0 = allowed). */
  take(group: Group, clientId: string, now = clockNowMs()): number {
    const { limit, windowMs } = GROUP_LIMITS[group];
    const capacity = Math.max(1, limit * this.scale);
    const perMs = capacity / windowMs;
    const key = `${group}\u0000${clientId}`;
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updatedAt) * perMs);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / perMs);
  }

  clear(): void {
    this.buckets.clear();
  }
}
