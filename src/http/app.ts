/**
 * The Hono application, built by a factory from its services so every runtime (Node, Workers) serves the same app.
 * Nothing here knows which database or runtime it is on.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv, Services } from "./context.js";
import type { CertificateFonts } from "./pdf.js";
import { inputHygiene, inputRefusal } from "./hygiene.js";
import { detailError, httpStatusOf, problemResponse, toSenimError } from "./problem.js";
import { validationError } from "./schemas.js";
import { pickLang } from "./i18n.js";
import { PageNotFound, ServerErrorPage } from "./pages/not-found.js";
import { registerApi } from "./routes/api.js";
import { registerPublic } from "./routes/public.js";
import { registerWallet } from "./routes/wallet.js";
import { registerBookkeeping } from "./routes/bookkeeping.js";
import { registerWeb } from "./routes/web.js";
import { registerConsole } from "./routes/console.js";
import { registerStandards } from "./routes/standards.js";
import { registerRateLimits, type RateLimits } from "./rate-limit.js";
import { countingRequests, registerMetrics } from "./routes/metrics.js";
import { registerDelivery } from "./routes/delivery.js";
import { registerMe } from "./routes/me.js";
import { registerReminders } from "./routes/reminders.js";
import { registerParticipantLists } from "./routes/participant-lists.js";
import { registerYearClosing } from "./routes/year-closing.js";
import { registerAttestations } from "./routes/attestations.js";
import { registerPartyLogo } from "./routes/party-logo.js";
import { registerAudit } from "./routes/audit.js";

export interface AppOptions {
  /** Runtime-specific middleware run before everything else (access logs, …). */
  middleware?: MiddlewareHandler<AppEnv>[];
  /** Called for unexpected errors (500s) only; never with request bodies or secrets. */
  logError?: (err: unknown) => void;
  /** Issue 17: per-address limits on the endpoints that guess secrets or cost a verification (none when absent). */
  rateLimits?: RateLimits;
  /** The TTFs for printable certificates (GET /c/{id}.pdf) and reports; Node: loadNodeFonts from src/runtime/fonts.ts. */
  loadFonts?: () => Promise<CertificateFonts>;
}

export function createApp(services: Services, options: AppOptions = {}): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        // Issue 16: each problem by its kind, so the detail and the problems follow Accept-Language (src/http/schemas.ts).
        return problemResponse(c, validationError(result.error.issues, "request"));
      }
    },
  });

  if (services.metrics) app.use("*", countingRequests(services.metrics));
  for (const m of options.middleware ?? []) app.use("*", m);
  // After the runtime's own (the access log sees every refusal), before any route reads the request.
  app.use("*", inputHygiene);
  app.use("*", secureHeaders({ contentSecurityPolicy: { defaultSrc: ["'self'"], imgSrc: ["'self'", "data:"], styleSrc: ["'self'"], frameAncestors: ["'none'"] } }));

  // What anyone may read or verify, any web verifier or wallet may fetch from its own origin. Authorization is not an
  // allowed header, so calls with an API key stay same-origin.
  const preflight = cors({ origin: "*", allowMethods: ["GET", "HEAD", "POST", "OPTIONS"], allowHeaders: ["Content-Type", "Accept-Language"], maxAge: 86_400 });
  // hono's cors answers preflights. On the request itself it would set its one header (origin "*") BEFORE the handler,
  // on a Response it creates early; Hono then rebuilds the handler's response around it (a web Response with a
  // ReadableStream body, which the Node adapter has to read back): about 35 µs of CPU per POST /api/verify
  // (bench/README.md). Setting the same header after the handler gives the same headers, error responses included.
  const publicCors: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (c.req.method === "OPTIONS") return preflight(c, next);
    await next();
    c.res.headers.set("Access-Control-Allow-Origin", "*");
  };
  for (const path of ["/api/verify", "/api/registry", "/api/vocabulary", "/api/events/announced", "/status/*", "/parties/*", "/.well-known/jwt-vc-issuer/*", "/contexts/*", "/c/*", "/openapi.json"]) app.use(path, publicCors);
  // After CORS, so that a browser verifier can read its 429 too.
  if (options.rateLimits) registerRateLimits(app, options.rateLimits);

  registerPartyLogo(app, services); // before the API's /api/* middleware: it sets its own body limit
  registerApi(app, services);
  registerDelivery(app, services);
  registerMe(app, services, { loadFonts: options.loadFonts });
  registerPublic(app, services);
  registerWallet(app, services);
  registerBookkeeping(app, services, { loadFonts: options.loadFonts });
  registerReminders(app, services);
  registerParticipantLists(app, services);
  registerYearClosing(app, services);
  registerAttestations(app, services, { loadFonts: options.loadFonts });
  registerAudit(app, services);
  registerWeb(app, services, { loadFonts: options.loadFonts });
  registerConsole(app, services, { loadFonts: options.loadFonts });
  registerStandards(app, services);
  registerMetrics(app, services);

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Senim API",
      version: "0.1.0",
      description: "Signed certificates of advocates' professional development for the bar associations of Kazakhstan. Errors are RFC 9457 problem documents with a stable `code`.",
    },
  });

  // A person following a broken link gets a page in their language with the way on; a program gets the problem.
  const wantsPage = (c: Context) => c.req.method === "GET" && (c.req.header("Accept") ?? "").includes("text/html");
  app.notFound((c) => (wantsPage(c) ? c.html(PageNotFound({ lang: pickLang(c), path: c.req.path }), 404) : problemResponse(c, detailError("not_found", "resource-unknown"))));
  app.onError((err, c) => {
    // An input refusal stands, whatever a route or hono's validator (which replaces what json() throws) made of it.
    const e = inputRefusal(c) ?? toSenimError(err);
    if (httpStatusOf(e) < 500) return problemResponse(c, e);
    options.logError?.(err);
    return wantsPage(c) ? c.html(ServerErrorPage({ lang: pickLang(c), path: c.req.path }), 500) : problemResponse(c, e);
  });
  return app;
}
