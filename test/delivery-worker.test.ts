/**
 * Issue 13 on Workers: the same outbox, drained by the Worker's `scheduled()` handler through an HTTP mail API
 * (JSON POST) — here a loopback receiver this test starts — in workerd on D1, from the deployable bundle.
 */
import { createServer, type IncomingMessage } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newToken } from "../src/lib/ids.js";
import { Keyring } from "../src/registry/keyring.js";
import type { D1Database } from "../src/runtime/d1.js";
import { applyD1Migrations, offlineWrangler } from "./databases.js";
import { accreditedProvider, eventWithParticipants, freePort, httpCaller, TestClock, type HttpTarget } from "./helpers.js";
import { isolatedConfig, workerBundle } from "./worker-target.js";

const received: { auth: string | undefined; body: any }[] = [];
let refuse = false;
const receiver = createServer((req: IncomingMessage, res) => {
  let data = "";
  req.on("data", (c) => (data += c));
  req.on("end", () => {
    if (refuse) {
      res.writeHead(422, { "content-type": "application/json" }).end(JSON.stringify({ message: "Invalid `to` field" }));
      return;
    }
    received.push({ auth: req.headers.authorization, body: JSON.parse(data) });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: String(received.length) }));
  });
});

let mf: { dispose(): Promise<void>; getWorker(): Promise<{ scheduled(o: { cron: string }): Promise<unknown> }> };
let s: HttpTarget;
const dir = mkdtempSync(join(tmpdir(), "senim-worker-mail-"));

beforeAll(async () => {
  const receiverPort = await freePort();
  await new Promise<void>((r) => receiver.listen(receiverPort, "127.0.0.1", () => r()));
  offlineWrangler();
  const { unstable_getMiniflareWorkerOptions } = await import("wrangler");
  const { Miniflare } = await import("miniflare");
  const { workerOptions } = unstable_getMiniflareWorkerOptions(isolatedConfig(dir));
  const script = workerBundle();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const adminToken = newToken();
  mf = new Miniflare({
    ...(workerOptions as object),
    modules: true,
    scriptPath: script,
    modulesRoot: dirname(script),
    bindings: { PUBLIC_URL: baseUrl, SENIM_KEK: Keyring.newSecret(), SENIM_ADMIN_TOKEN: adminToken, MAIL_API_URL: `http://127.0.0.1:${receiverPort}/emails`, MAIL_API_KEY: "test-key", MAIL_FROM: "Senim <no-reply@senim.test>" },
    d1Persist: join(dir, "d1"),
    host: "127.0.0.1",
    port,
    cf: false,
  } as never) as never;
  await (mf as unknown as { ready: Promise<unknown> }).ready;
  await applyD1Migrations((await (mf as unknown as { getD1Database(n: string): Promise<unknown> }).getD1Database("DB")) as D1Database);
  const fetchPath = (path: string, init?: RequestInit) => fetch(baseUrl + path, init);
  s = { baseUrl, adminToken, clock: new TestClock(null), fetch: fetchPath, call: httpCaller(fetchPath) };
}, 120_000);

afterAll(async () => {
  await mf?.dispose();
  receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("delivery on Workers + D1 (scheduled, HTTP mail API)", () => {
  it("scheduled() sends each queued message once as a JSON POST with its Message-ID and PDF; a 4xx marks it failed", async () => {
    const provider = await accreditedProvider(s);
    const event = await eventWithParticipants(s, provider.token, { n: 3 });
    expect((await s.call("POST", `/api/events/${event.id}/certificates`, { token: provider.token })).status).toBe(201);
    const worker = await mf.getWorker();
    await worker.scheduled({ cron: "* * * * *" });
    expect(received).toHaveLength(3);
    const d = await s.call("GET", `/api/events/${event.id}/deliveries`, { token: provider.token });
    expect(d.body.mailConfigured).toBe(true);
    expect(d.body.deliveries.map((x: { state: string }) => x.state)).toEqual(["sent", "sent", "sent"]);
    const first = received.find((r) => r.body.to[0] === "p0@example.kz")!;
    expect(first.auth).toBe("Bearer test-key");
    expect(first.body.from).toBe("Senim <no-reply@senim.test>");
    expect(first.body.headers["Message-ID"]).toBe(d.body.deliveries[0].messageId);
    expect(first.body.text).toContain("Құрметті");
    expect(first.body.text).toContain("Уважаемый");
    expect(first.body.attachments[0].content_type).toBe("application/pdf");
    expect(atob(first.body.attachments[0].content).startsWith("%PDF-")).toBe(true);
    // Nothing is due any more: the next run sends nothing twice.
    await worker.scheduled({ cron: "* * * * *" });
    expect(received).toHaveLength(3);

    refuse = true;
    const other = await eventWithParticipants(s, provider.token, { n: 1 });
    expect((await s.call("POST", `/api/events/${other.id}/certificates`, { token: provider.token })).status).toBe(201);
    await worker.scheduled({ cron: "* * * * *" });
    const failed = (await s.call("GET", `/api/events/${other.id}/deliveries`, { token: provider.token })).body.deliveries[0];
    expect(failed.state).toBe("failed");
    expect(failed.lastError).toContain("422");
    refuse = false;
    expect((await s.call("POST", `/api/events/${other.id}/deliveries/resend`, { token: provider.token, body: {} })).body).toEqual({ requeued: 1 });
    await worker.scheduled({ cron: "* * * * *" });
    expect(received).toHaveLength(4);
  }, 60_000);
});
