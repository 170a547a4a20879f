/**
 * Rate limits at the edge of the app (issue 17): each endpoint that guesses a secret or costs a verification is
 * limited per client address (src/domain/rate-limit.ts), before its body is read. Over the limit: 429 with
 * `Retry-After`, as an RFC 9457 problem — or, at the OAuth token endpoint, as an OAuth error body, which is what a
 * wallet reads there.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { RateLimit, RateLimitClass, RateLimiter } from "../domain/rate-limit.js";
import type { AppEnv } from "./context.js";
import { detailError, problemResponse } from "./problem.js";

export interface RateLimits {
  limiter: RateLimiter;
  limits: Record<RateLimitClass, RateLimit>;
  /** The client's address as the runtime knows it (the socket, a trusted proxy's header, CF-Connecting-IP). */
  clientAddress: (c: Context) => string | undefined;
  now?: () => number;
}

/** Which POST endpoints each class limits. */
const LIMITED: [path: string, cls: RateLimitClass, shape: "problem" | "oauth"][] = [
  ["/api/verify", "public", "problem"],
  ["/verify", "public", "problem"],
  ["/survey/*", "public", "problem"],
  ["/oid4vci/token", "secrets", "oauth"],
  ["/me/code", "secrets", "problem"],
  ["/me/sign-in", "secrets", "problem"],
  ["/console/sign-in", "secrets", "problem"],
];

export function registerRateLimits(app: OpenAPIHono<AppEnv>, limits: RateLimits): void {
  for (const [path, cls, shape] of LIMITED) app.use(path, limiting(limits, cls, shape));
}

function limiting(o: RateLimits, cls: RateLimitClass, shape: "problem" | "oauth"): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== "POST") return next();
    const address = o.clientAddress(c) ?? "unknown";
    const decision = await o.limiter.consume(cls, address.slice(0, 100), o.limits[cls], (o.now ?? Date.now)());
    if (decision.allowed) return next();
    const retryAfter = String(decision.retryAfterSeconds);
    const refusal = detailError("rate_limited", "rate-limited", { seconds: decision.retryAfterSeconds });
    if (shape === "oauth") {
      // RFC 6749's error body, whose description is for the wallet's developer: English, as the OAuth errors are.
      return new Response(JSON.stringify({ error: "invalid_request", error_description: refusal.message }), {
        status: 429,
        // The limit answers before the wallet routes' CORS middleware runs; a web wallet must still read its 429.
        headers: { "Content-Type": "application/json", "Cache-Control": "no-store", "Retry-After": retryAfter, "Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "Retry-After" },
      });
    }
    const res = problemResponse(c, refusal);
    res.headers.set("Retry-After", retryAfter);
    return res;
  };
}
