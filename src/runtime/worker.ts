/**
 * Cloudflare Workers: the same Hono app as on Node, on D1. Static files under public/ are served by Workers' assets
 * before this code runs. Secrets: SENIM_KEK and SENIM_ADMIN_TOKEN (`wrangler secret put`); PUBLIC_URL is a var.
 * Migrations are applied by `wrangler d1 migrations apply` from the SQL that `npm run d1:migrations` generates from
 * migrations/*.ts, never at request time (D1 has no transaction to make a half-applied migration safe).
 */
// Data modules (wrangler.toml `[[rules]] type = "Data"`): the fonts' bytes, bundled beside the code.
import dejaVuSansLatinCyrillic from "../../assets/fonts/DejaVuSans-LatinCyrillic.ttf";
import dejaVuSans from "../../assets/fonts/DejaVuSans.ttf";
import dejaVuSansBoldLatinCyrillic from "../../assets/fonts/DejaVuSans-Bold-LatinCyrillic.ttf";
import { createApp } from "../http/app.js";
import { sha256Hex } from "../lib/ids.js";
import { Keyring } from "../registry/keyring.js";
import { createServices } from "../services.js";
import { SenimError } from "../domain/errors.js";
import type { IssuingContinuation, IssuingJob } from "../issuance/issuing-run.js";
import type { CertificateFonts } from "../http/pdf.js";
import { d1Atomic, D1_MAX_PARAMETERS, openD1, type D1Database } from "./d1.js";
import { assertAdminToken, assertPublicUrl } from "./settings.js";
import { certificateMessageComposer } from "../http/certificate-mail.js";
import { httpMailTransport } from "./mail-http.js";
import { parseRateLimits } from "../domain/rate-limit.js";
import type { RateLimits } from "../http/rate-limit.js";
import { KyselyRateLimiter } from "../storage/rate-limit-store.js";
import { WorkersRateLimiter, type RateLimitBinding } from "./workers-rate-limit.js";

export interface Env {
  DB: D1Database;
  PUBLIC_URL?: string;
  SENIM_KEK?: string;
  SENIM_ADMIN_TOKEN?: string;
  /** Issue 13: an HTTP mail API (JSON POST, see src/runtime/mail-http.ts and docs/deploy.md); secrets. */
  MAIL_API_URL?: string;
  MAIL_API_KEY?: string;
  MAIL_FROM?: string;
  /** Issue 17: the bearer token of GET /metrics (a secret); unset, the endpoint does not exist. */
  METRICS_TOKEN?: string;
  /** Issue 17: the Rate Limiting bindings of wrangler.toml; without them, limits are counted in D1 (SENIM_RATE_LIMITS). */
  RATE_LIMIT_PUBLIC?: RateLimitBinding;
  RATE_LIMIT_SECRETS?: RateLimitBinding;
  SENIM_RATE_LIMITS?: string;
  /**
   * Issue 18: participants one invocation issues at most (default 500: ≈ 170 D1 queries, inside the Paid plan's
   * 1,000; on the Free plan set 30, docs/deploy.md), and the Queue that carries the rest to the next invocation.
   */
  SENIM_ISSUE_CHUNK?: string;
  ISSUING_QUEUE?: QueueBinding<IssuingJob>;
}

/** The part of a Cloudflare Queue producer binding Senim uses. */
interface QueueBinding<T> {
  send(body: T): Promise<void>;
}

/** The part of a Queue consumer's batch Senim uses (max_batch_size = 1 in wrangler.toml: one job per invocation). */
interface QueueBatch<T> {
  messages: readonly { body: T; ack(): void; retry(): void }[];
}

/** Issue 18: what an invocation issues by default (see `SENIM_ISSUE_CHUNK`). */
const DEFAULT_ISSUE_CHUNK = 500;

function issuingContinuation(env: Env): IssuingContinuation {
  const chunk = env.SENIM_ISSUE_CHUNK === undefined ? DEFAULT_ISSUE_CHUNK : Number(env.SENIM_ISSUE_CHUNK);
  if (!Number.isInteger(chunk) || chunk < 1 || chunk > 5_000) throw new Error("SENIM_ISSUE_CHUNK must be a whole number from 1 to 5000 (participants per invocation).");
  const queue = env.ISSUING_QUEUE;
  return { chunk, ...(queue ? { later: (job: IssuingJob) => queue.send(job) } : {}) };
}

type App = ReturnType<typeof createApp>;
interface Built {
  app: App;
  services: ReturnType<typeof createServices>;
}

/**
 * Built once per isolate (an isolate serves one deployment, so its env never changes): keys unwrapped and caches
 * warmed by one request serve the next ones.
 */
// One view per file for the isolate's life, so the PDF code's per-font caches (keyed by these objects) keep hitting.
const CERTIFICATE_FONTS: CertificateFonts = { common: new Uint8Array(dejaVuSansLatinCyrillic), full: new Uint8Array(dejaVuSans), bold: new Uint8Array(dejaVuSansBoldLatinCyrillic) };

let built: Promise<Built> | undefined;

async function build(env: Env): Promise<Built> {
  const publicUrl = (env.PUBLIC_URL ?? "").replace(/\/+$/, "");
  assertPublicUrl(publicUrl);
  if (!env.SENIM_KEK) throw new Error("SENIM_KEK is not set: `wrangler secret put SENIM_KEK` (32 random bytes, base64url).");
  if (!env.SENIM_ADMIN_TOKEN) throw new Error("SENIM_ADMIN_TOKEN is not set: `wrangler secret put SENIM_ADMIN_TOKEN`.");
  assertAdminToken(env.SENIM_ADMIN_TOKEN);
  const services = createServices({
    db: openD1(env.DB),
    atomic: d1Atomic(env.DB),
    maxParameters: D1_MAX_PARAMETERS,
    keyring: await Keyring.fromSecret(env.SENIM_KEK),
    publicUrl,
    adminTokenHash: await sha256Hex(env.SENIM_ADMIN_TOKEN),
    // Issue 17: the isolate's JSON counters, behind the METRICS_TOKEN secret when one is set.
    ...(env.METRICS_TOKEN ? { metricsTokenHash: await sha256Hex(env.METRICS_TOKEN) } : {}),
    issuingContinuation: issuingContinuation(env),
  });
  services.mailConfigured = Boolean(env.MAIL_API_URL && env.MAIL_API_KEY);
  return { services, app: createApp(services, { rateLimits: workerRateLimits(env), loadFonts: async () => CERTIFICATE_FONTS, logError: (err) => console.error("Unexpected error:", err instanceof Error ? err.stack : String(err)) }) };
}

/**
 * Issue 17: the platform's bindings when both are declared (they count across isolates), else a count in D1 shared
 * the same way; `SENIM_RATE_LIMITS=off` turns limits off. The client is CF-Connecting-IP, which Cloudflare sets.
 */
function workerRateLimits(env: Env): RateLimits | undefined {
  const limits = parseRateLimits(env.SENIM_RATE_LIMITS);
  if (limits === "off") return undefined;
  const limiter = env.RATE_LIMIT_PUBLIC && env.RATE_LIMIT_SECRETS
    ? new WorkersRateLimiter({ public: env.RATE_LIMIT_PUBLIC, secrets: env.RATE_LIMIT_SECRETS })
    : new KyselyRateLimiter({ db: openD1(env.DB), atomic: d1Atomic(env.DB), maxParameters: D1_MAX_PARAMETERS });
  return { limiter, limits, clientAddress: (c) => c.req.header("cf-connecting-ip") };
}

function builtFor(env: Env): Promise<Built> {
  if (!built) {
    built = build(env);
    built.catch(() => (built = undefined)); // a fixed secret takes effect on the next request
  }
  return built;
}

/** Messages one cron run sends at most: well inside a scheduled invocation's time, the next run takes the rest. */
const SCHEDULED_BATCHES = 4;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    let app: App;
    try {
      app = (await builtFor(env)).app;
    } catch (err) {
      // A configuration mistake is the operator's to fix; the messages name settings, never their values.
      const message = err instanceof Error ? err.message : String(err);
      console.error(`Senim cannot start: ${message}`);
      return new Response(`Senim is not configured: ${message}\n`, { status: 503, headers: { "content-type": "text/plain; charset=utf-8" } });
    }
    return app.fetch(request);
  },

  /**
   * Issue 13: the cron trigger (wrangler.toml `[triggers]`) queues the reminders that are due, then drains the outbox
   * through the HTTP mail API. Without MAIL_API_URL and MAIL_API_KEY messages stay queued (the provider console says
   * so) and no reminders are queued: a date that passes meanwhile is caught up once mail is configured.
   */
  /**
   * Issue 18: the next chunk of an event being issued, one job per invocation (its own D1 query budget, memory and
   * CPU). The chunk schedules the one after it while participants remain. A failure is retried by the Queue (its
   * `max_retries`); issuing is idempotent, so a retried chunk never issues twice.
   */
  async queue(batch: QueueBatch<IssuingJob>, env: Env): Promise<void> {
    const { services } = await builtFor(env);
    for (const message of batch.messages) {
      try {
        await services.issuing.continue(message.body);
        message.ack();
      } catch (err) {
        // A rule that refuses now (the event's list changed, a bar declined) refuses on every retry: stop, and say so.
        const final = err instanceof SenimError;
        console.error(`Issuing continuation ${final ? "stopped" : "failed, to be retried"}:`, err instanceof Error ? err.message : String(err));
        if (final) message.ack();
        else message.retry();
      }
    }
  },

  async scheduled(_controller: unknown, env: Env): Promise<void> {
    const { services } = await builtFor(env);
    // Issue 17: the audit log's daily checkpoint (signed when the last one is a day old), mail or no mail.
    try {
      await services.audit?.checkpointIfDue();
    } catch (err) {
      console.error("Audit checkpoint failed:", err instanceof Error ? err.message : String(err));
    }
    if (!env.MAIL_API_URL || !env.MAIL_API_KEY || !services.delivery) return;
    // Before draining, so the reminders queued now go out in this run. A (bar, date) already done costs three reads.
    try {
      await services.reminders?.run();
    } catch (err) {
      // The dates stay due for the next run; the messages already queued still go out now.
      console.error("Reminder run failed:", err instanceof Error ? err.message : String(err));
    }
    const publicHost = new URL(services.registry.publicUrl).hostname;
    const transport = httpMailTransport({ url: env.MAIL_API_URL, apiKey: env.MAIL_API_KEY, from: env.MAIL_FROM || `Senim <no-reply@${publicHost}>` });
    const compose = certificateMessageComposer(services, async () => CERTIFICATE_FONTS);
    for (let i = 0; i < SCHEDULED_BATCHES; i++) {
      if ((await services.delivery.drain(transport, compose, 25)).claimed === 0) break;
    }
  },
};
