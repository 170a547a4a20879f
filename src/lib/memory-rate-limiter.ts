/**
 * The rate limiter of one Node process (SQLite, the embedded default): counts in memory. Bounded: a flood of
 * addresses cannot grow it past `maxKeys`, and windows that ended are dropped as new ones begin.
 */
import { decide, fixedWindow, type RateDecision, type RateLimit, type RateLimitClass, type RateLimiter } from "../domain/rate-limit.js";

export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { start: number; hits: number }>();

  constructor(private readonly maxKeys = 100_000) {}

  async consume(cls: RateLimitClass, address: string, limit: RateLimit, nowMs: number): Promise<RateDecision> {
    const key = `${cls}:${address}`;
    const { start } = fixedWindow(nowMs, limit.windowSeconds);
    let w = this.windows.get(key);
    if (!w || w.start !== start) {
      if (this.windows.size >= this.maxKeys) this.prune(nowMs, limit);
      w = { start, hits: 0 };
      this.windows.set(key, w);
    }
    w.hits += 1;
    return decide(w.hits, limit, nowMs);
  }

  /** Drops ended windows; if every key is current (a flood), the oldest half, which errs towards letting through. */
  private prune(nowMs: number, limit: RateLimit): void {
    const current = fixedWindow(nowMs, limit.windowSeconds).start;
    for (const [k, w] of this.windows) if (w.start < current) this.windows.delete(k);
    if (this.windows.size >= this.maxKeys) {
      let drop = Math.floor(this.maxKeys / 2);
      for (const k of this.windows.keys()) {
        if (drop-- <= 0) break;
        this.windows.delete(k);
      }
    }
  }
}
