/**
 * Issue 13, reminders on Workers + D1: the Worker's `scheduled()` handler queues the reminders that are due and sends
 * them in the same run through the HTTP mail API — here a loopback receiver this test starts — in workerd, from the
 * deployable bundle. The Worker keeps the real clock, so the bar's date is today (in Kazakhstan).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kzDate, toInstant } from "../src/domain/time.js";
import type { LoopbackMailApi } from "./delivery-helpers.js";
import { startMailingWorker, type WorkerTarget } from "./worker-target.js";

let api: LoopbackMailApi;
let s: WorkerTarget;
const BAR = "almaty-city";

beforeAll(async () => {
  ({ worker: s, api } = await startMailingWorker());
}, 120_000);

afterAll(async () => {
  await s?.close();
  await api?.close();
});

describe("reminders on Workers + D1 (scheduled, HTTP mail API)", () => {
  it("scheduled() queues today's reminders and sends them in the same run, once; the bar sees them sent", async () => {
    const today = kzDate(toInstant(Date.now()));
    const year = Number(today.slice(0, 4));
    const bar = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: BAR, label: "office" } })).body.token;
    for (const [licence, email] of [["600001", "w1@example.kz"], ["600002", "w2@example.kz"], ["600003", null]] as const) {
      const r = await s.call("POST", `/api/bars/${BAR}/members`, { token: bar, body: { licence, fullName: `Адвокат ${licence}`, admissionDate: "2015-03-01", ...(email ? { email } : {}) } });
      expect(r.status, r.text).toBeLessThan(300);
    }
    expect((await s.call("PUT", `/api/bars/${BAR}/policies/${year}`, { token: bar, body: { requiredAcademicHours: 12.5 } })).status).toBe(200);
    // 600002 signs in at /me in English: its code's message goes out in the first run, and its language is the reminder's.
    const code = await s.fetch("/me/code?lang=en", { method: "POST", body: new URLSearchParams({ bar: BAR, licence: "600002" }), headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(code.status).toBe(200);
    // No dates at all this year for now (the defaults may have passed already, depending on today's date).
    expect((await s.call("PUT", `/api/bars/${BAR}/reminders/${year}`, { token: bar, body: { dates: [] } })).body).toMatchObject({ configured: true, dates: [] });
    await s.scheduled();
    expect(api.received).toHaveLength(1); // the code only
    const start = api.received.length;

    expect((await s.call("PUT", `/api/bars/${BAR}/reminders/${year}`, { token: bar, body: { dates: [today] } })).status).toBe(200);
    await s.scheduled();
    const mails = api.received.slice(start);
    expect(mails.map((m) => m.body.to[0]).sort()).toEqual(["w1@example.kz", "w2@example.kz"]);
    const kkru = mails.find((m) => m.body.to[0] === "w1@example.kz")!.body;
    expect(kkru.headers["Content-Language"]).toBe("kk, ru");
    expect(kkru.subject).toContain(`Senim: ${year} жыл — 12.5 академиялық сағаттың 0 сағаты`);
    expect(kkru.text).toContain("Сізге 12.5 академиялық сағат жетпейді.");
    expect(kkru.text).toContain("Вам не хватает 12.5 академических часов.");
    expect(kkru.text).toContain(`${s.baseUrl}/me`);
    expect(kkru.attachments).toEqual([]);
    const en = mails.find((m) => m.body.to[0] === "w2@example.kz")!.body;
    expect(en.headers["Content-Language"]).toBe("en");
    expect(en.subject).toBe(`Senim: 0 of 12.5 academic hours for ${year}`);
    expect(en.text).toContain("You are short by 12.5 academic hours.");
    expect(en.text).toContain(`A reminder on your bar's date ${today}`);

    // Nothing new on the next runs: each member once for the date.
    await s.scheduled();
    await s.scheduled();
    expect(api.received).toHaveLength(start + 2);
    const log = await s.call("GET", `/api/bars/${BAR}/reminders/${year}/log`, { token: bar });
    expect(log.status, log.text).toBe(200);
    expect(log.body.reminders.map((r: any) => [r.licence, r.state, r.lang, r.requiredHours, r.verifiedHours])).toEqual([
      ["600001", "sent", null, 12.5, 0],
      ["600002", "sent", "en", 12.5, 0],
      ["600003", "no_address", null, 12.5, 0],
    ]);
    expect(log.body.dates.find((d: any) => d.date === today)).toMatchObject({ state: "done", reminded: 3 });
  }, 90_000);
});
