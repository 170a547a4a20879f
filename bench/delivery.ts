/**
 * Issue 13: the cost of delivery. (1) Issuing 1,000 participants with their messages queued in the same write vs
 * without (ratio in one run, alternating pairs, the median of the pairs' ratios; target within 10 %). (2) Draining 1,000 messages (PDF
 * attached) against a loopback SMTP server (smtp-server) through nodemailer: messages/s.
 *
 *   npm run bench:delivery
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../src/http/app.js";
import { certificateMessageComposer } from "../src/http/certificate-mail.js";
import { sha256Hex, newToken } from "../src/lib/ids.js";
import { Keyring } from "../src/registry/keyring.js";
import { loadNodeFonts } from "../src/runtime/fonts.js";
import { smtpTransport } from "../src/runtime/mail-smtp.js";
import { openSqlite } from "../src/runtime/sqlite.js";
import { createServices } from "../src/services.js";
import { migrateToLatest } from "../src/storage/migrate.js";
import { accreditedProvider, eventWithParticipants, httpCaller, TestClock, type HttpTarget } from "../test/helpers.js";
import { startLoopbackSmtp } from "../test/delivery-helpers.js";

const N = 1000;
/**
 * Pairs of runs; the order within a pair alternates, and the figure is the median of the pairs' own ratios, so drift
 * (GC, a neighbour's load on a shared machine) falls on both sides of each ratio.
 */
const RUNS = 15;
const dir = mkdtempSync(join(tmpdir(), "senim-bench-delivery-"));

async function target(name: string, queueDelivery: boolean) {
  const db = openSqlite(join(dir, `${name}.db`));
  await migrateToLatest(db);
  const adminToken = newToken();
  const services = createServices({ db, keyring: await Keyring.fromSecret(Keyring.newSecret()), publicUrl: "https://senim.test", adminTokenHash: await sha256Hex(adminToken), queueDelivery });
  const app = createApp(services, { loadFonts: loadNodeFonts });
  const fetchPath = async (path: string, init?: RequestInit) => app.request("https://senim.test" + path, init);
  const s: HttpTarget = { baseUrl: "https://senim.test", adminToken, clock: new TestClock(null), fetch: fetchPath, call: httpCaller(fetchPath) };
  return { s, services, db, provider: await accreditedProvider(s) };
}

async function issueOnce(t: Awaited<ReturnType<typeof target>>): Promise<{ ms: number; eventId: string }> {
  const event = await eventWithParticipants(t.s, t.provider.token, { n: N });
  const start = performance.now();
  const r = await t.s.call("POST", `/api/events/${event.id}/certificates`, { token: t.provider.token });
  const ms = performance.now() - start;
  if (r.status !== 201) throw new Error(`issue: ${r.status}`);
  return { ms, eventId: event.id };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  const withMail = await target("with", true);
  const without = await target("without", false);
  await issueOnce(withMail);
  await issueOnce(without); // warm-up
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    if (i % 2 === 0) {
      a.push((await issueOnce(withMail)).ms);
      b.push((await issueOnce(without)).ms);
    } else {
      b.push((await issueOnce(without)).ms);
      a.push((await issueOnce(withMail)).ms);
    }
  }
  const ratios = a.map((x, i) => x / b[i]!);
  const ratio = median(ratios);
  const sorted = [...ratios].sort((x, y) => x - y);
  console.log(
    `issuing ${N}: with delivery queued ${median(a).toFixed(0)} ms, without ${median(b).toFixed(0)} ms (medians); ` +
      `ratio ${ratio.toFixed(3)} (median of ${RUNS} paired ratios, quartiles ${sorted[Math.floor(RUNS / 4)]!.toFixed(3)}–${sorted[Math.floor((3 * RUNS) / 4)]!.toFixed(3)}; target ≤ 1.10)`,
  );

  // Drain: only the messages of one event are left due.
  const smtp = await startLoopbackSmtp();
  const transport = smtpTransport(smtp.url, "Senim <no-reply@senim.test>");
  const compose = certificateMessageComposer(withMail.services, loadNodeFonts);
  await withMail.db.updateTable("outbox").set({ status: "sent" }).execute();
  const { eventId } = await issueOnce(withMail);
  const start = performance.now();
  let sent = 0;
  while (sent < N) {
    const r = await withMail.services.delivery!.drain(transport, compose, 50);
    if (r.claimed === 0) break;
    sent += r.sent;
  }
  const seconds = (performance.now() - start) / 1000;
  console.log(`drain ${sent} messages (event ${eventId}) to loopback SMTP: ${(sent / seconds).toFixed(1)} messages/s (${seconds.toFixed(1)} s; received ${smtp.received.length})`);
  transport.close();
  await smtp.close();
  await withMail.db.destroy();
  await without.db.destroy();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
