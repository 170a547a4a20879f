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

const config = await loadConfig().catch((err: unknown) => {
  // A configuration mistake is the operator's to fix: say what it is, without a stack trace.
  console.error(`Senim cannot start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
const database = openDatabase(config);
const { db } = database;
// On PostgreSQL, instances starting together take turns: kysely's migrator holds an advisory lock.
const applied = await migrateToLatest(db);
if (applied.length > 0) console.log(`Applied migrations: ${applied.join(", ")}`);

const services = createServices({ db, atomic: database.atomic, maxParameters: database.maxParameters, keyring: await Keyring.fromSecret(config.kek), publicUrl: config.publicUrl, adminTokenHash: config.adminTokenHash, deliveryPolicy: config.mail.policy, metrics: prometheusMetrics(), metricsTokenHash: config.metricsTokenHash });
// Issue 13: the outbox's sender runs in every instance (claims keep them apart); without SMTP_URL nothing is sent.
services.mailConfigured = config.mail.smtpUrl !== undefined;
const smtp = config.mail.smtpUrl ? smtpTransport(config.mail.smtpUrl, config.mail.from) : undefined;
const drainLoop = smtp
  ? startDrainLoop({ delivery: services.delivery!, transport: smtp, compose: certificateMessageComposer(services, loadNodeFonts), pollMs: config.mail.pollMs, log: (l) => console.error(l) })
  : undefined;
if (!smtp) console.log("SMTP_URL is not set: certificate messages are queued and not sent.");
// Reminders are queued only where they can be sent: a date that passes meanwhile is caught up (with the hours of
// that moment) once SMTP_URL is set, rather than queueing a message whose hours would be stale when it went out.
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
    : { limits: config.rateLimits, clientAddress, limiter: config.databaseUrl ? new KyselyRateLimiter({ db, atomic: database.atomic, maxParameters: database.maxParameters }) : new MemoryRateLimiter() };
const app = createApp(services, {
  rateLimits,
  middleware: config.accessLog
    ? [
        closeAfterRefusedBody,
        async (c, next) => {
          const start = performance.now();
          await next();
          // The path only (query strings and headers can carry tokens or personal data), as sent and escaped: the
          // decoded c.req.path turns %0a into a line break that forges the next entry.
          console.log(`${c.req.method} ${logSafePath(c.req.url)} ${c.res.status} ${(performance.now() - start).toFixed(1)}ms`);
        },
      ]
    : [closeAfterRefusedBody], loadFonts: loadNodeFonts, logError: (err) => console.error("Unexpected error:", err instanceof Error ? err.stack : String(err)) });
// Relative to this file, not to wherever the process was started.
app.use("/*", serveStatic({ root: relative(process.cwd(), fileURLToPath(new URL("../../public", import.meta.url))) || "." }));

const server = serve({ fetch: app.fetch, port: config.port }, () => {
  console.log(`Senim is listening on ${config.publicUrl} (${database.description})`);
  if (config.newAdminToken) {
    // Printed once, on the start that created it; later starts only say where it is.
    console.log(`\nDevelopment admin token (rba-admin), also saved to ${config.keysDir}/admin-token:\n\n  ${config.newAdminToken}\n`);
  } else if (!process.env.SENIM_ADMIN_TOKEN) {
    console.log(`Development admin token: see ${config.keysDir}/admin-token`);
  }
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
