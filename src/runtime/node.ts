/** `npm start`: the service on Node, on the embedded SQLite database or (DATABASE_URL) on PostgreSQL. */
import { prometheusMetrics } from "./prometheus.js";
import type { Context } from "hono";
import { MemoryRateLimiter } from "../lib/memory-rate-limiter.js";
import { KyselyRateLimiter } from "../storage/rate-limit-store.js";
import type { RateLimits } from "../http/rate-limit.js";
import { serve } from "@hono/node-server";
import type { MiddlewareHandler } from "hono";
import { serveStatic } from "@hono/node-server/serve-static";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createApp } from "../http/app.js";
import { logSafePath } from "../http/hygiene.js";
import { Keyring } from "../registry/keyring.js";
import { createServices } from "../services.js";
import { migrateToLatest } from "../storage/migrate.js";
import { loadConfig } from "./config.js";
import { loadNodeFonts } from "./fonts.js";
import { openDatabase } from "./database.js";
import { certificateMessageComposer } from "../http/certificate-mail.js";
import { startDrainLoop, startReminderLoop } from "./mail-loop.js";
import { smtpTransport } from "./mail-smtp.js";
import cluster from "node:cluster";
import { clusterWorkerIndex, runPrimary } from "./cluster.js";
import { PrimaryRateLimiter } from "./cluster-rate-limit.js";
import { installPrimitives } from "../credentials/primitives.js";
import { nodePrimitives } from "./node-primitives.js";

// node:crypto for the Ed25519 and SHA-256 of verifying and issuing (workerd keeps Web Crypto: src/credentials/primitives.ts).
installPrimitives(nodePrimitives);

const config = await loadConfig().catch((err: unknown) => {
  // A configuration mistake is the operator's to fix: say what it is, without a stack trace.
  console.error(`Senim cannot start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
const database = openDatabase(config);
const { db } = database;
/** Issue 18: 1..N in a worker of SENIM_WORKERS=N (src/runtime/cluster.ts); undefined in a single process. */
const workerIndex = clusterWorkerIndex();
// On PostgreSQL, instances starting together take turns: kysely's migrator holds an advisory lock. A cluster migrates
// once, in its primary before it forks: on SQLite that lock is a no-op, so N workers migrating at once could collide.
if (workerIndex === undefined) {
  const applied = await migrateToLatest(db);
  if (applied.length > 0) console.log(`Applied migrations: ${applied.join(", ")}`);
}
const announceListening = (where: string) => {
  console.log(`Senim is listening on ${config.publicUrl} (${where})`);
  if (config.newAdminToken) {
    // Printed once, on the start that created it; later starts only say where it is.
    console.log(`\nDevelopment admin token (rba-admin), also saved to ${config.keysDir}/admin-token:\n\n  ${config.newAdminToken}\n`);
  } else if (!process.env.SENIM_ADMIN_TOKEN) {
    console.log(`Development admin token: see ${config.keysDir}/admin-token`);
  }
};
if (config.workers > 1 && cluster.isPrimary) {
  // The primary serves nothing itself: it closes its connection and runs the workers until it is told to stop. On
  // SQLite it holds the one rate-limit counter they all share (src/runtime/cluster-rate-limit.ts).
  await database.close();
  await runPrimary({
    workers: config.workers,
    rateLimiter: config.rateLimits !== "off" && !config.databaseUrl ? new MemoryRateLimiter() : undefined,
    ready: () => announceListening(`${database.description}; ${config.workers} workers`),
    log: (line) => console.error(line),
  });
}

const services = createServices({ db, atomic: database.atomic, maxParameters: database.maxParameters, keyring: await Keyring.fromSecret(config.kek), publicUrl: config.publicUrl, adminTokenHash: config.adminTokenHash, deliveryPolicy: config.mail.policy, metrics: prometheusMetrics(), metricsTokenHash: config.metricsTokenHash });
// Issue 13: the outbox's sender runs in every instance (claims keep them apart); without SMTP_URL nothing is sent.
// Issue 18: so it runs in every worker of a cluster too, as do the reminders (their derived ids and ON CONFLICT DO
// NOTHING keep a date from being queued twice) and the audit checkpoint (ON CONFLICT (seq) DO NOTHING keeps one
// signature per head): each is already safe beside itself, and a worker that dies takes none of them with it.
services.mailConfigured = config.mail.smtpUrl !== undefined;
const smtp = config.mail.smtpUrl ? smtpTransport(config.mail.smtpUrl, config.mail.from) : undefined;
const drainLoop = smtp
  ? startDrainLoop({ delivery: services.delivery!, transport: smtp, compose: certificateMessageComposer(services, loadNodeFonts), pollMs: config.mail.pollMs, log: (l) => console.error(l) })
  : undefined;
if (!smtp && (workerIndex ?? 1) === 1) console.log("SMTP_URL is not set: certificate messages are queued and not sent."); // once a cluster, too
// Reminders are queued only where they can be sent: a date that passes meanwhile is caught up (with the hours of
// that moment) once SMTP_URL is set, rather than queueing a message whose hours would be stale when it went out.
// Issue 17: the audit log's daily checkpoint — looked at hourly, signed when the last one is a day old.
const auditCheckpoint = () => services.audit?.checkpointIfDue().catch((err: unknown) => console.error("Audit checkpoint failed:", err instanceof Error ? err.message : String(err)));
void auditCheckpoint();
setInterval(auditCheckpoint, 3_600_000).unref();
const reminderLoop = smtp && services.reminders ? startReminderLoop({ reminders: services.reminders, intervalMs: config.mail.reminderPollMs, log: (l) => console.log(l) }) : undefined;
/**
 * A body refused as too large is left unread; Node then closes the socket. Saying so (`Connection: close`) keeps a
 * client from sending its next request down that dying connection (RFC 9112 §9.6).
 */
const closeAfterRefusedBody: MiddlewareHandler = async (c, next) => {
  await next();
  if (c.res.status === 413) c.res.headers.set("Connection", "close");
};
/**
 * Issue 17: limits per client address — in memory for one process on SQLite, in the database for the instances that
 * share PostgreSQL. The address is the socket's peer, or behind a trusted proxy (SENIM_TRUST_PROXY) the last entry of
 * X-Forwarded-For: the one that proxy appended, which a client cannot forge.
 */
const clientAddress = (c: Context): string | undefined => {
  if (config.trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",").pop()?.trim();
    if (forwarded) return forwarded;
  }
  return (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
};
const rateLimits: RateLimits | undefined =
  config.rateLimits === "off"
    ? undefined
    : {
        limits: config.rateLimits,
        clientAddress,
        limiter: config.databaseUrl
          ? new KyselyRateLimiter({ db, atomic: database.atomic, maxParameters: database.maxParameters })
          : workerIndex !== undefined
            ? new PrimaryRateLimiter() // SQLite in a cluster: the primary's one counter, so N workers still pass only the limit
            : new MemoryRateLimiter(),
      };
/** Issue 18: in a cluster, which worker answered (its index 1..N, never its pid); absent in a single process. */
const namingWorker: MiddlewareHandler = async (c, next) => {
  await next();
  c.res.headers.set("X-Senim-Worker", String(workerIndex));
};
const app = createApp(services, {
  rateLimits,
  middleware: config.accessLog
    ? [
        ...(workerIndex !== undefined ? [namingWorker] : []),
        closeAfterRefusedBody,
        async (c, next) => {
          const start = performance.now();
          await next();
          // The path only (query strings and headers can carry tokens or personal data), as sent and escaped: the
          // decoded c.req.path turns %0a into a line break that forges the next entry.
          console.log(`${c.req.method} ${logSafePath(c.req.url)} ${c.res.status} ${(performance.now() - start).toFixed(1)}ms`);
        },
      ]
    : [...(workerIndex !== undefined ? [namingWorker] : []), closeAfterRefusedBody], loadFonts: loadNodeFonts, logError: (err) => console.error("Unexpected error:", err instanceof Error ? err.stack : String(err)) });
// Relative to this file, not to wherever the process was started.
app.use("/*", serveStatic({ root: relative(process.cwd(), fileURLToPath(new URL("../../public", import.meta.url))) || "." }));

const server = serve({ fetch: app.fetch, port: config.port }, () => {
  // In a cluster the primary says it once all the workers listen.
  if (workerIndex === undefined) announceListening(database.description);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close();
    void Promise.all([drainLoop?.stop(), reminderLoop?.stop()])
      .then(() => smtp?.close())
      .then(() => db.destroy())
      .then(() => process.exit(0));
  });
}
