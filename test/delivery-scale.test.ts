/**
 * Issue 13, done-when: issuing 1,000 participants queues exactly 1,000 messages (SQLite, PostgreSQL), and a
 * `kill -9` of the Node server while it sends loses none: after a restart drains the rest, the SMTP server has every
 * message; one it received twice is one whose crash fell between the server's acceptance and the outbox update, and
 * both copies carry the same Message-ID.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { newToken } from "../src/lib/ids.js";
import { startLoopbackSmtp } from "./delivery-helpers.js";
import { accreditedProvider, eventWithParticipants, freePort, httpCaller, startSenim, TestClock, type HttpTarget } from "./helpers.js";
import { nodeServerEnv, spawnNodeServer, stopProcess } from "./node-target.js";

describe.each(["sqlite", "postgres"] as const)("issuing 1,000 participants on %s", (database) => {
  it("queues exactly 1,000 messages, once, whatever is retried", async () => {
    const s = await startSenim({ database });
    try {
      const provider = await accreditedProvider(s);
      const event = await eventWithParticipants(s, provider.token, { n: 1000 });
      const first = await s.call("POST", `/api/events/${event.id}/certificates`, { token: provider.token, headers: { "Idempotency-Key": "k-1" } });
      expect(first.status).toBe(201);
      // A replay of the same key, and a plain retry: no new certificate, so no new message.
      expect((await s.call("POST", `/api/events/${event.id}/certificates`, { token: provider.token, headers: { "Idempotency-Key": "k-1" } })).status).toBe(201);
      expect((await s.call("POST", `/api/events/${event.id}/certificates`, { token: provider.token })).status).toBe(200);
      const d = await s.call("GET", `/api/events/${event.id}/deliveries`, { token: provider.token });
      expect(d.body.deliveries).toHaveLength(1000);
      expect(d.body.deliveries.every((x: { state: string }) => x.state === "queued")).toBe(true);
      expect(d.body.mailConfigured).toBe(false);
      expect(new Set(d.body.deliveries.map((x: { certificateId: string }) => x.certificateId)).size).toBe(1000);
    } finally {
      await s.close();
    }
  }, 60_000);
});

describe("kill -9 while sending (Node + SQLite, real SMTP on loopback)", () => {
  const dir = mkdtempSync(join(tmpdir(), "senim-kill9-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("loses no message; a duplicate only with the same Message-ID", async () => {
    const smtp = await startLoopbackSmtp();
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const adminToken = newToken();
    const env = nodeServerEnv({
      dir,
      port,
      adminToken,
      extra: {
        SMTP_URL: smtp.url,
        MAIL_FROM: "Senim <no-reply@senim.test>",
        // A crashed sender's claims lapse quickly, so the restart picks them up within the test.
        SENIM_MAIL_LEASE_MS: "1500",
        SENIM_MAIL_POLL_MS: "100",
      },
    });
    const fetchPath = (path: string, init?: RequestInit) => fetch(baseUrl + path, init);
    const s: HttpTarget = { baseUrl, adminToken, clock: new TestClock(null), fetch: fetchPath, call: httpCaller(fetchPath) };
    const N = 120;
    let server = await spawnNodeServer(env, dir);
    try {
      const provider = await accreditedProvider(s);
      const event = await eventWithParticipants(s, provider.token, { n: N });
      expect((await s.call("POST", `/api/events/${event.id}/certificates`, { token: provider.token })).status).toBe(201);
      await smtp.waitFor(25);
      server.child.kill("SIGKILL"); // mid-batch: some messages accepted and recorded, some accepted only, some not sent
      await new Promise<void>((r) => (server.child.exitCode !== null || server.child.signalCode !== null ? r() : server.child.once("exit", () => r())));
      const atCrash = smtp.received.length;
      expect(atCrash).toBeLessThan(N);

      server = await spawnNodeServer(env, dir);
      const deadline = Date.now() + 25_000;
      let states: string[] = [];
      while (Date.now() < deadline) {
        const d = await s.call("GET", `/api/events/${event.id}/deliveries`, { token: provider.token });
        states = d.body.deliveries.map((x: { state: string }) => x.state);
        if (states.every((x) => x === "sent")) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(states.filter((x) => x === "sent")).toHaveLength(N);

      // Every participant's address received its message; every copy of one message has the same Message-ID.
      const byAddress = new Map<string, Set<string>>();
      for (const m of smtp.received) {
        const to = (Array.isArray(m.to) ? m.to[0] : m.to)!.value[0]!.address!;
        (byAddress.get(to) ?? byAddress.set(to, new Set()).get(to)!).add(m.messageId!);
      }
      expect(byAddress.size).toBe(N);
      for (const ids of byAddress.values()) expect(ids.size).toBe(1);
      const duplicates = smtp.received.length - N;
      console.log(`kill -9: ${atCrash} received before the crash, ${smtp.received.length} in all, ${duplicates} duplicate(s) (same Message-ID)`);
      expect(duplicates).toBeGreaterThanOrEqual(0);
      expect(duplicates).toBeLessThanOrEqual(8); // at most the messages in flight at the crash (SEND_CONCURRENCY)
    } finally {
      await stopProcess(server.child);
      await smtp.close();
    }
  }, 60_000);
});
