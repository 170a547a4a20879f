/**
 * Issue 13, reminders on the Node server (`src/runtime/node.ts`, what `npm start` runs, in its own process): with
 * SMTP_URL set, its reminder timer (SENIM_REMINDER_POLL_MS, here 200 ms) queues the reminders of a date the bar set
 * and its sender delivers them to a real SMTP server on loopback, once however many rounds pass. The server keeps the
 * real clock, so the date is today in Kazakhstan.
 */
import { describe, expect, it } from "vitest";
import { kzDate, toInstant } from "../src/domain/time.js";
import { startLoopbackSmtp } from "./delivery-helpers.js";
import { startNodeTarget } from "./node-target.js";

const BAR = "almaty-city";

describe("reminders on the Node server (SQLite)", () => {
  it("the reminder timer queues today's reminders and the sender delivers each once", async () => {
    const smtp = await startLoopbackSmtp();
    const s = await startNodeTarget({
      database: "sqlite",
      env: { SMTP_URL: smtp.url, MAIL_FROM: "Senim <no-reply@senim.test>", SENIM_MAIL_POLL_MS: "100", SENIM_REMINDER_POLL_MS: "200" },
    });
    const adminToken = s.adminToken;
    try {
      const today = kzDate(toInstant(Date.now()));
      const year = Number(today.slice(0, 4));
      const bar = (await s.call("POST", "/api/api-keys", { token: adminToken, body: { role: "bar-admin", barId: BAR, label: "office" } })).body.token;
      // No dates until the member and requirement exist (the defaults may have passed already, depending on today).
      expect((await s.call("PUT", `/api/bars/${BAR}/reminders/${year}`, { token: bar, body: { dates: [] } })).status).toBe(200);
      expect((await s.call("POST", `/api/bars/${BAR}/members`, { token: bar, body: { licence: "700001", fullName: "Адвокат 700001", admissionDate: "2015-03-01", email: "n1@example.kz" } })).status).toBeLessThan(300);
      expect((await s.call("PUT", `/api/bars/${BAR}/policies/${year}`, { token: bar, body: { requiredAcademicHours: 40 } })).status).toBe(200);
      expect((await s.call("PUT", `/api/bars/${BAR}/reminders/${year}`, { token: bar, body: { dates: [today] } })).status).toBe(200);
      await smtp.waitFor(1, 20_000);
      const mail = smtp.received[0]!;
      expect(mail.to && "text" in mail.to ? mail.to.text : "").toBe("n1@example.kz");
      expect(mail.subject).toContain(`0 из 40 академических часов за ${year} год`);
      expect(mail.text).toContain(`${s.baseUrl}/me`);
      // Many more rounds of both timers: nothing is queued or sent twice.
      await new Promise((r) => setTimeout(r, 1500));
      expect(smtp.received).toHaveLength(1);
      expect(s.output()).toContain(`Reminders for ${year}: 1 queued, 0 without an address.`);
      const log = await s.call("GET", `/api/bars/${BAR}/reminders/${year}/log`, { token: bar });
      expect(log.body.reminders.map((r: any) => [r.licence, r.date, r.state])).toEqual([["700001", today, "sent"]]);
    } finally {
      await s.close();
      await smtp.close();
    }
  }, 90_000);
});
