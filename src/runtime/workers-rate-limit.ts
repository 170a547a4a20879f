/**
 * Issue 17: rate limits on Workers through the platform's Rate Limiting bindings (wrangler.toml `[[ratelimits]]`,
 * one per class: RATE_LIMIT_PUBLIC, RATE_LIMIT_SECRETS), counted by Cloudflare across isolates and locations. The
 * binding's own `simple = { limit, period }` is the limit; the class's configured window gives Retry-After.
 */
import { fixedWindow, type RateDecision, type RateLimit, type RateLimitClass, type RateLimiter } from "../domain/rate-limit.js";

/** The Workers Rate Limiting binding (`env.X.limit({ key })`). */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

export class WorkersRateLimiter implements RateLimiter {
  constructor(private readonly bindings: Record<RateLimitClass, RateLimitBinding>) {}

  async consume(cls: RateLimitClass, address: string, limit: RateLimit, nowMs: number): Promise<RateDecision> {
    const { success } = await this.bindings[cls].limit({ key: address });
    return success ? { allowed: true } : { allowed: false, retryAfterSeconds: fixedWindow(nowMs, limit.windowSeconds).retryAfterSeconds };
  }
}
