/**
 * GET /metrics (issue 17): what the service counts, for the operator's scraper — Prometheus text on Node, the
 * isolate's JSON on Workers (src/lib/metrics.ts). Behind its own token (METRICS_TOKEN), never an API key: a scraper
 * holds no role. Without a token configured the endpoint does not exist.
 */
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { detailError } from "../problem.js";
import { sha256Hex } from "../../lib/ids.js";
import type { Metrics } from "../../lib/metrics.js";
import type { AppEnv, Services } from "../context.js";

export function registerMetrics(app: OpenAPIHono<AppEnv>, services: Services): void {
  app.get("/metrics", async (c) => {
    const { metrics, metricsTokenHash } = services;
    if (!metrics || !metricsTokenHash) return c.notFound();
    const presented = /^Bearer\s+(\S{1,200})$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (!presented || (await sha256Hex(presented)) !== metricsTokenHash) throw detailError("unauthenticated", "metrics-token-required");
    const outbox = services.delivery ? await services.delivery.countByStatus() : {};
    const { contentType, body } = await metrics.render({ outbox });
    return c.body(body, 200, { "Content-Type": contentType, "Cache-Control": "no-store" });
  });
}

/** Counts every answered request under its route pattern; runs outermost, so refusals and errors are counted too. */
export function countingRequests(metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      metrics.request(routeOf(c), c.req.method, c.res.status, (performance.now() - started) / 1000);
    }
  };
}

/** The pattern of the handler that answered (`/c/:id{…}`), or "unmatched": never the path itself (unbounded labels). */
function routeOf(c: Context): string {
  const handler = matchedRoutes(c).findLast((r) => r.method !== "ALL");
  return handler?.path ?? "unmatched";
}
