/** The only place that reads the environment. */
import { parseRateLimits, type RateLimit, type RateLimitClass } from "../domain/rate-limit.js";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Keyring } from "../registry/keyring.js";
import { newToken, sha256Hex } from "../lib/ids.js";
import { assertAdminToken, assertPublicUrl } from "./settings.js";

export interface NodeConfig {
  port: number;
  publicUrl: string;
  dataDir: string;
  /** `postgres://…` to run on PostgreSQL (many instances); unset for the SQLite file under `dataDir`. */
  databaseUrl?: string;
  keysDir: string;
  kek: string;
  adminTokenHash: string;
  /** Set only when the dev admin token was created by this start, to print it once. */
  newAdminToken?: string;
  production: boolean;
  /** One line per request (method, path, status, time): never headers, query strings or bodies. */
  accessLog: boolean;
  mail: MailConfig;
  /** Issue 17: SHA-256 of METRICS_TOKEN; unset, GET /metrics does not exist. */
  metricsTokenHash?: string;
  /** Issue 17: SENIM_RATE_LIMITS (defaults in src/domain/rate-limit.ts), and whether to read the client from X-Forwarded-For. */
  rateLimits: Record<RateLimitClass, RateLimit> | "off";
  trustProxy: boolean;
  /** Issue 18: SENIM_WORKERS, how many Node processes serve the one port (src/runtime/cluster.ts); 1: this process alone. */
  workers: number;
}

/** Issue 13: where certificate messages go. Without `smtpUrl` they stay queued (the console says so). */
export interface MailConfig {
  /** SMTP_URL: `smtp://user:pass@host:587` or `smtps://…:465`; unset: no sending. */
  smtpUrl?: string;
  /** MAIL_FROM: the From header; by default `Senim <no-reply@PUBLIC_URL's host>`. */
  from: string;
  /** SENIM_MAIL_POLL_MS: how often an idle sender looks for due messages. */
  pollMs: number;
  /** SENIM_MAIL_LEASE_MS, SENIM_MAIL_RETRY_MS, SENIM_MAIL_MAX_ATTEMPTS: see DeliveryPolicy (src/domain/outbox.ts). */
  policy: { leaseMs?: number; baseDelayMs?: number; maxAttempts?: number };
  /** SENIM_REMINDER_POLL_MS: how often the due reminders are queued (ReminderService.run); 10 minutes by default. */
  reminderPollMs: number;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number.`);
  return n;
}

export function mailConfigFrom(env: NodeJS.ProcessEnv, publicUrl: string): MailConfig {
  const smtpUrl = env.SMTP_URL?.trim() || undefined;
  if (smtpUrl) {
    let ok = false;
    try {
      ok = ["smtp:", "smtps:"].includes(new URL(smtpUrl).protocol);
    } catch {
      ok = false;
    }
    // Never echo the value: it may carry a password.
    if (!ok) throw new Error("SMTP_URL must be an smtp:// or smtps:// URL.");
  }
  const from = env.MAIL_FROM?.trim() || `Senim <no-reply@${new URL(publicUrl).hostname}>`;
  if (/[\r\n]/.test(from)) throw new Error("MAIL_FROM must be one line.");
  const policy = { leaseMs: positiveInt(env, "SENIM_MAIL_LEASE_MS"), baseDelayMs: positiveInt(env, "SENIM_MAIL_RETRY_MS"), maxAttempts: positiveInt(env, "SENIM_MAIL_MAX_ATTEMPTS") };
  return {
    smtpUrl,
    from,
    pollMs: positiveInt(env, "SENIM_MAIL_POLL_MS") ?? 2_000,
    reminderPollMs: positiveInt(env, "SENIM_REMINDER_POLL_MS") ?? 600_000,
    policy: Object.fromEntries(Object.entries(policy).filter(([, v]) => v !== undefined)),
  };
}

export async function loadConfig(env: NodeJS.ProcessEnv = process.env): Promise<NodeConfig> {
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error("PORT must be a TCP port number.");
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, "");
  assertPublicUrl(publicUrl); // fail at start, not at the first certificate: this URL is signed into every one
  const dataDir = dataDirFrom(env);
  const databaseUrl = databaseUrlFrom(env);
  const keysDir = resolve(env.SENIM_KEYS_DIR ?? "./keys");
  const production = env.NODE_ENV === "production";

  let kek = env.SENIM_KEK;
  if (!kek) {
    if (production) throw new Error("SENIM_KEK is required when NODE_ENV=production (32 random bytes, base64url).");
    kek = devSecret(join(keysDir, "kek"), Keyring.newSecret);
  }

  let adminToken = env.SENIM_ADMIN_TOKEN;
  let newAdminToken: string | undefined;
  if (!adminToken && !production) {
    const file = join(keysDir, "admin-token");
    const existed = existsSync(file);
    adminToken = devSecret(file, newToken);
    if (!existed) newAdminToken = adminToken;
  }
  if (!adminToken) throw new Error("SENIM_ADMIN_TOKEN is required when NODE_ENV=production.");
  assertAdminToken(adminToken);
  const accessLog = !["off", "0", "false"].includes((env.SENIM_ACCESS_LOG ?? "on").toLowerCase());
  const mail = mailConfigFrom(env, publicUrl);
  const metricsToken = env.METRICS_TOKEN;
  if (metricsToken !== undefined && metricsToken.length < 32) throw new Error("METRICS_TOKEN must be at least 32 characters (e.g. 32 random bytes, base64url).");
  const metricsTokenHash = metricsToken ? await sha256Hex(metricsToken) : undefined;
  const rateLimits = parseRateLimits(env.SENIM_RATE_LIMITS);
  const trustProxy = ["on", "1", "true"].includes((env.SENIM_TRUST_PROXY ?? "off").toLowerCase());
  const workers = workersFrom(env);
  return { port, publicUrl, dataDir, databaseUrl, keysDir, kek, adminTokenHash: await sha256Hex(adminToken), newAdminToken, production, accessLog, mail, metricsTokenHash, rateLimits, trustProxy, workers };
}

/** More processes than this would only contend for the cores and the SQLite lock; a typo like 400 should stop the start. */
export const MAX_WORKERS = 64;

/** SENIM_WORKERS: a whole number from 1 to MAX_WORKERS; unset or empty, 1 (no cluster). */
export function workersFrom(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.SENIM_WORKERS?.trim();
  if (!text) return 1;
  if (!/^\d{1,3}$/.test(text) || Number(text) < 1 || Number(text) > MAX_WORKERS) {
    throw new Error(`SENIM_WORKERS must be a whole number from 1 to ${MAX_WORKERS} (Node processes serving the port), not ${JSON.stringify(text.slice(0, 20))}.`);
  }
  return Number(text);
}

/** Where the SQLite file lives; all that `npm run migrate` needs, so migrating never creates secrets. */
export function dataDirFrom(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.DATA_DIR ?? "./data");
}

/** DATABASE_URL, checked: only PostgreSQL URLs (SQLite needs none, D1 is a Workers binding). */
export function databaseUrlFrom(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const text = env.DATABASE_URL?.trim();
  if (!text) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  // Never echo the value: it may carry a password.
  if (!url || (url.protocol !== "postgres:" && url.protocol !== "postgresql:")) throw new Error("DATABASE_URL must be a postgres:// (or postgresql://) URL.");
  return text;
}

/** A development secret kept in keys/ (git-ignored, mode 0600), created on first use. */
function devSecret(file: string, create: () => string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(join(file, ".."), { recursive: true });
  const value = create();
  writeFileSync(file, value + "\n", { mode: 0o600 });
  return value;
}
