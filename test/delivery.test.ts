/**
 * Issue 13, delivery: issuing queues one message per certificate in the same write, and the sender delivers it over
 * real SMTP (smtp-server on loopback, read back with mailparser): headers, Kazakh and Russian (English alone for
 * `en`), the certificate's link, its PDF (opened with poppler) and the participant's own survey link (7.5). A
 * refusing server marks the message failed with its reply; sending again delivers.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certificateMessageComposer } from "../src/http/certificate-mail.js";
import { loadNodeFonts } from "../src/runtime/fonts.js";
import { smtpTransport } from "../src/runtime/mail-smtp.js";
import { startLoopbackSmtp, type LoopbackSmtp } from "./delivery-helpers.js";
import { accreditedProvider, startSenim, type TestSenim } from "./helpers.js";
import { toInstant } from "../src/domain/time.js";

let s: TestSenim;
let smtp: LoopbackSmtp;
let transport: ReturnType<typeof smtpTransport>;
const tmp = mkdtempSync(join(tmpdir(), "senim-delivery-"));

beforeAll(async () => {
  s = await startSenim();
  smtp = await startLoopbackSmtp();
  transport = smtpTransport(smtp.url, "Senim <no-reply@senim.test>");
});
afterAll(async () => {
  transport?.close();
  await smtp?.close();
  await s?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const drain = () => s.services.delivery!.drain(transport, certificateMessageComposer(s.services, loadNodeFonts));

async function issueTo(list: Record<string, unknown>[]) {
  const provider = await accreditedProvider(s, { name: "Заң академиясы" });
  const end = s.clock.ms - 86_400_000;
  const ev = await s.call("POST", "/api/events", {
    token: provider.token,
    body: { topic: "Медиация негіздері", programme: "criminal", form: "course", deliveryMode: "in-person", place: "Алматы", startsAt: toInstant(end - 8 * 3_600_000), endsAt: toInstant(end), durationMinutes: 360, trainers: [{ name: "Сейтқали Ә.", field: "Қылмыстық процесс, 15 жыл адвокаттық практика" }] },
  });
  expect(ev.status).toBe(201);
  const put = await s.call("PUT", `/api/events/${ev.body.id}/participants`, { token: provider.token, body: { participants: list } });
  expect(put.status, put.text).toBe(200);
  const issuedRes = await s.call("POST", `/api/events/${ev.body.id}/certificates`, { token: provider.token });
  expect(issuedRes.status).toBe(201);
  return { provider, eventId: ev.body.id as string, certificates: issuedRes.body.certificates as { id: string; licenceNumber: string }[] };
}

const deliveries = async (token: string, eventId: string) => {
  const r = await s.call("GET", `/api/events/${eventId}/deliveries`, { token });
  expect(r.status, r.text).toBe(200);
  return r.body.deliveries as { licenceNumber: string; state: string; messageId: string | null; lastError: string | null; toAddress: string | null; certificateId: string }[];
};

describe("delivery over SMTP (issue 13)", () => {
  it("7.5: every participant with an address gets one message, kk+ru (en alone for en), link, PDF and own survey link", async () => {
    const bar = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "office" } })).body.token;
    // The third participant has no e-mail on the list: the bar's member record has one. The fourth has none anywhere.
    expect((await s.call("POST", "/api/bars/almaty-city/members", { token: bar, body: { licence: "200003", fullName: "Мүше Үш", admissionDate: "2015-03-01", email: "member3@example.kz" } })).status).toBeLessThan(300);
    const { provider, eventId, certificates } = await issueTo([
      { fullName: "Әлия Нұрланқызы", licenceNumber: "200001", barId: "almaty-city", email: "aliya@example.kz" },
      { fullName: "John Smith", licenceNumber: "200002", barId: "almaty-city", email: "john@example.kz", lang: "en" },
      { fullName: "Мүше Үш", licenceNumber: "200003", barId: "almaty-city" },
      { fullName: "Адрессіз Адам", licenceNumber: "200004", barId: "almaty-city" },
    ]);
    const before = await deliveries(provider.token, eventId);
    expect(before.map((d) => d.state)).toEqual(["queued", "queued", "queued", "no_address"]);
    expect(before[2]!.toAddress).toBe("member3@example.kz");

    const start = smtp.received.length;
    const round = await drain();
    expect(round).toMatchObject({ claimed: 3, sent: 3 });
    const mails = smtp.received.slice(start);
    expect(mails).toHaveLength(3);
    const after = await deliveries(provider.token, eventId);
    expect(after.map((d) => d.state)).toEqual(["sent", "sent", "sent", "no_address"]);
    // A second round finds nothing due: nothing is sent twice.
    expect((await drain()).claimed).toBe(0);

    const to = (addr: string) => mails.find((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((t) => t?.text.includes(addr)))!;
    const aliya = to("aliya@example.kz");
    // The Message-ID the server received is the one the outbox row recorded (fixed per row and generation).
    expect(aliya.messageId).toBe(after[0]!.messageId);
    expect(aliya.messageId).toMatch(/^<[0-9a-z]+\.0@senim\.test>$/);
    expect(aliya.from?.text).toContain("no-reply@senim.test");
    expect(aliya.headers.get("content-language")).toBe("kk, ru");
    expect(aliya.subject).toContain("Медиация негіздері");
    const text = aliya.text ?? "";
    expect(text).toContain("Құрметті Әлия Нұрланқызы!"); // Kazakh
    expect(text).toContain("Уважаемый(ая) Әлия Нұрланқызы!"); // Russian
    expect(text).not.toContain("Dear");
    expect(text).toContain("Заң академиясы"); // the organiser's registered name
    expect(text).toContain("8 академиялық сағат"); // 360 min / 45 = 8
    const cert = certificates.find((c) => c.licenceNumber === "200001")!;
    expect(text).toContain(`${s.baseUrl}/c/${cert.id}`);
    // The survey link is the participant's own: it opens this certificate's survey.
    const survey = /\/survey\/([A-Za-z0-9_-]{22})/.exec(text)?.[1];
    expect(survey).toBeDefined();
    expect(await s.services.surveys.certificateForToken(survey!)).toBe(cert.id);
    // The PDF opens in poppler and is this certificate.
    expect(aliya.attachments).toHaveLength(1);
    const pdf = aliya.attachments[0]!;
    expect(pdf.contentType).toBe("application/pdf");
    const file = join(tmp, "aliya.pdf");
    writeFileSync(file, pdf.content);
    expect(execFileSync("pdfinfo", [file]).toString()).toMatch(/Pages:\s+1/);
    const pdfText = execFileSync("pdftotext", [file, "-"]).toString();
    expect(pdfText).toContain("Әлия Нұрланқызы");
    expect(pdfText).toContain("Медиация негіздері");

    const john = to("john@example.kz");
    expect(john.headers.get("content-language")).toBe("en");
    expect(john.text).toContain("Dear John Smith,");
    expect(john.text).not.toContain("Құрметті");
    expect(to("member3@example.kz")).toBeDefined();
    // The database holds no survey token: only its HMAC, and the outbox row none.
    const rows = await s.db.selectFrom("outbox").selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(survey);
    expect(JSON.stringify(await s.db.selectFrom("survey_links").selectAll().execute())).not.toContain(survey);
  });

  it("an issuing retry or Idempotency-Key replay queues nothing twice", async () => {
    const { provider, eventId } = await issueTo([{ fullName: "Бір", licenceNumber: "300001", barId: "almaty-city", email: "one@example.kz" }]);
    const again = await s.call("POST", `/api/events/${eventId}/certificates`, { token: provider.token });
    expect(again.status).toBe(200);
    expect(await deliveries(provider.token, eventId)).toHaveLength(1);
    const rows = await s.db.selectFrom("outbox").select("id").where("event_id", "=", eventId).execute();
    expect(rows).toHaveLength(1);
    await drain();
  });

  it("a refusing SMTP server marks the message failed with its reply; sending again delivers", async () => {
    const { provider, eventId, certificates } = await issueTo([
      { fullName: "Бірінші", licenceNumber: "400001", barId: "almaty-city", email: "first@example.kz" },
      { fullName: "Екінші", licenceNumber: "400002", barId: "almaty-city", email: "second@example.kz" },
    ]);
    smtp.refuse = { code: 550, message: "5.7.1 Mailbox unavailable for policy reasons" };
    const round = await drain();
    expect(round).toMatchObject({ claimed: 2, failed: 2 });
    const failed = await deliveries(provider.token, eventId);
    expect(failed.map((d) => d.state)).toEqual(["failed", "failed"]);
    expect(failed[0]!.lastError).toContain("550");
    expect(failed[0]!.lastError).toContain("Mailbox unavailable");

    // A 4xx is transient: retried with backoff, not failed.
    smtp.refuse = { code: 451, message: "4.3.0 Try again later" };
    expect((await s.call("POST", `/api/events/${eventId}/deliveries/resend`, { token: provider.token, body: { certificateId: certificates[0]!.id } })).body).toEqual({ requeued: 1 });
    expect(await drain()).toMatchObject({ claimed: 1, retried: 1 });
    const retrying = (await deliveries(provider.token, eventId))[0]!;
    expect(retrying.state).toBe("retrying");
    expect(retrying.lastError).toContain("451");
    expect((await drain()).claimed).toBe(0); // not due until its backoff has passed

    smtp.refuse = null;
    s.clock.advance(s.services.delivery!.policy.baseDelayMs + 1);
    const start = smtp.received.length;
    expect(await drain()).toMatchObject({ claimed: 1, sent: 1 });
    // "Send again" for every failed one delivers the rest.
    expect((await s.call("POST", `/api/events/${eventId}/deliveries/resend`, { token: provider.token, body: {} })).body).toEqual({ requeued: 1 });
    expect(await drain()).toMatchObject({ claimed: 1, sent: 1 });
    expect(smtp.received.length - start).toBe(2);
    expect((await deliveries(provider.token, eventId)).map((d) => d.state)).toEqual(["sent", "sent"]);
  });

  it("another provider sees nothing of an event's deliveries", async () => {
    const { eventId } = await issueTo([{ fullName: "Үш", licenceNumber: "500001", barId: "almaty-city", email: "x@example.kz" }]);
    const other = await accreditedProvider(s);
    expect((await s.call("GET", `/api/events/${eventId}/deliveries`, { token: other.token })).status).toBe(404);
    expect((await s.call("POST", `/api/events/${eventId}/deliveries/resend`, { token: other.token, body: {} })).status).toBe(404);
    await drain();
  });
});
