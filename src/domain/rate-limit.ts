/**
 * Rate limits per client address (issue 17): how many requests one address may make in a window, by class of
 * endpoint. `secrets` guards what guesses a secret — the OpenID4VCI token endpoint (PINs), the /me sign-in codes, the
 * console's API-key sign-in — where each try is also counted against its own limit (five PINs an offer, five codes a
 * member); `public` guards what anyone may call without a key and costs a verification or a write — POST /api/verify,
 * the /verify page, survey answers. A fixed window: simple to share through a database row, and the worst burst at a
 * window's edge is twice the limit, which these limits allow for.
 */
export const RATE_LIMIT_CLASSES = ["public", "secrets"] as const;
export type RateLimitClass = (typeof RATE_LIMIT_CLASSES)[number];

export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

export const DEFAULT_RATE_LIMITS: Record<RateLimitClass, RateLimit> = {
  public: { limit: 120, windowSeconds: 60 },
  secrets: { limit: 20, windowSeconds: 60 },
};

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Counts one request of `address` in class `cls` and says whether it is within `limit`. */
export interface RateLimiter {
  consume(cls: RateLimitClass, address: string, limit: RateLimit, nowMs: number): Promise<RateDecision>;
}

/** The window `nowMs` falls in (its start, in ms since the epoch) and the whole seconds until the next one. */
export function fixedWindow(nowMs: number, windowSeconds: number): { start: number; retryAfterSeconds: number } {
  const size = windowSeconds * 1000;
  const start = Math.floor(nowMs / size) * size;
  return { start, retryAfterSeconds: Math.max(1, Math.ceil((start + size - nowMs) / 1000)) };
}

/** The decision for the `hits`-th request of a window. */
export function decide(hits: number, limit: RateLimit, nowMs: number): RateDecision {
  return hits <= limit.limit ? { allowed: true } : { allowed: false, retryAfterSeconds: fixedWindow(nowMs, limit.windowSeconds).retryAfterSeconds };
}

/**
 * `SENIM_RATE_LIMITS`: `off`, or `class=limit/seconds` pairs separated by commas (`public=120/60,secrets=20/60`);
 * a class not named keeps its default. Throws with the reason on anything else, so a typo stops the start.
 */
export function parseRateLimits(text: string | undefined): Record<RateLimitClass, RateLimit> | "off" {
  if (text === undefined || text.trim() === "") return DEFAULT_RATE_LIMITS;
  if (text.trim().toLowerCase() === "off") return "off";
  const out = { ...DEFAULT_RATE_LIMITS };
  for (const part of text.split(",")) {
    const m = /^\s*([a-z]+)\s*=\s*(\d{1,7})\s*\/\s*(\d{1,6})\s*$/.exec(part);
    if (!m || !(RATE_LIMIT_CLASSES as readonly string[]).includes(m[1]!) || Number(m[2]) < 1 || Number(m[3]) < 1) {
      throw new Error(`SENIM_RATE_LIMITS: ${JSON.stringify(part.trim())} is not class=limit/seconds with class one of ${RATE_LIMIT_CLASSES.join(", ")} (or the whole value "off").`);
    }
    out[m[1] as RateLimitClass] = { limit: Number(m[2]), windowSeconds: Number(m[3]) };
  }
  return out;
}
