/**
 * Issue 13 on Workers: the same outbox, drained by the Worker's `scheduled()` handler through an HTTP mail API
 * (JSON POST) — here a loopback receiver this test starts — in workerd on D1, from the deployable bundle.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accreditedProvider, eventWithParticipants } from "./helpers.js";
import type { LoopbackMailApi } from "./delivery-helpers.js";
import { startMailingWorker, type WorkerTarget } from "./worker-target.js";

let api: LoopbackMailApi;
let s: WorkerTarget;

beforeAll(async () => {
  ({ worker: s, api } = await startMailingWorker());
}, 120_000);

afterAll(async () => {
  await s?.close();
  await api?.close();
});

describe("delivery on Workers + D1 (scheduled, HTTP mail API)", () => {
  it("scheduled() sends each queued message once as a JSON POST with its Message-ID and PDF; a 4xx marks it failed", async () => {
    const provider = await accreditedProvider(s);
    const event = await eventWithParticipants(s, provider.token, { n: 3 });
    expect((await s.call("POST", `/api/events/${event.id}/certificates`, { token: provider.token })).status).toBe(201);
    await s.scheduled();
    expect(api.received).toHaveLength(3);
    const d = await s.call("GET", `/api/events/${event.id}/deliveries`, { token: provider.token });
    expect(d.body.mailConfigured).toBe(true);
    expect(d.body.deliveries.map((x: { state: string }) => x.state)).toEqual(["sent", "sent", "sent"]);
    const first = api.received.find((r) => r.body.to[0] === "p0@example.kz")!;
    expect(first.auth).toBe("Bearer test-key");
    expect(first.body.from).toBe("Senim <no-reply@senim.test>");
    expect(first.body.headers["Message-ID"]).toBe(d.body.deliveries[0].messageId);
    expect(first.body.text).toContain("Құрметті");
    expect(first.body.text).toContain("Уважаемый");
    expect(first.body.attachments[0].content_type).toBe("application/pdf");
    expect(atob(first.body.attachments[0].content).startsWith("%PDF-")).toBe(true);
    // Nothing is due any more: the next run sends nothing twice.
    await s.scheduled();
    expect(api.received).toHaveLength(3);

    api.refuse = true;
    const other = await eventWithParticipants(s, provider.token, { n: 1 });
    expect((await s.call("POST", `/api/events/${other.id}/certificates`, { token: provider.token })).status).toBe(201);
    await s.scheduled();
    const failed = (await s.call("GET", `/api/events/${other.id}/deliveries`, { token: provider.token })).body.deliveries[0];
    expect(failed.state).toBe("failed");
    expect(failed.lastError).toContain("422");
    api.refuse = false;
    expect((await s.call("POST", `/api/events/${other.id}/deliveries/resend`, { token: provider.token, body: {} })).body).toEqual({ requeued: 1 });
    await s.scheduled();
    expect(api.received).toHaveLength(4);
  }, 60_000);
});
