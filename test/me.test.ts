/**
 * Issue 13, the advocate's sign-in and record at /me, in process with a real SMTP server on loopback (smtp-server,
 * read back with mailparser): a code asked for by licence reaches the member record's e-mail, signs in, and the
 * record shows the certificate issued by Senim, the year's status against the bar's requirement and self-recorded
 * hours apart; an outside certificate submitted from /me counts once the bar accepts it. On SQLite, PostgreSQL and
 * D1 (workerd). Codes: 5 wrong tries spend them (then the right one is refused too); an unknown licence or one without
 * an e-mail gets the same page and no mail; the database holds no plain code; posts need the CSRF token.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certificateMessageComposer } from "../src/http/certificate-mail.js";
import { loadNodeFonts } from "../src/runtime/fonts.js";
import { smtpTransport } from "../src/runtime/mail-smtp.js";
import { toInstant } from "../src/domain/time.js";
import { startLoopbackSmtp, type LoopbackSmtp } from "./delivery-helpers.js";
import { DATABASE_KINDS } from "./databases.js";
import { accreditedProvider, startSenim, type TestSenim } from "./helpers.js";

let s: TestSenim;
let smtp: LoopbackSmtp;
let transport: ReturnType<typeof smtpTransport>;
let barToken: string;

const drain = () => s.services.delivery!.drain(transport, certificateMessageComposer(s.services, loadNodeFonts));

const form = (path: string, fields: Record<string, string>, cookie?: string) =>
  s.app.request(`${s.baseUrl}${path}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) },
  });
const get = (path: string, cookie?: string) => s.app.request(`${s.baseUrl}${path}`, { headers: cookie ? { cookie } : {} });
const challengeOf = (html: string) => /name="challenge" value="([^"]+)"/.exec(html)![1]!;

/** Asks for a code (English page) and returns the challenge and the page. */
async function askCode(licence: string, lang = "en") {
  const r = await form(`/me/code?lang=${lang}`, { bar: "almaty-city", licence });
  expect(r.status).toBe(200);
  const html = await r.text();
  return { challenge: challengeOf(html), html };
}

/** Drains the outbox and returns the code from the one new message to `to`. */
async function codeSentTo(to: string): Promise<string> {
  const start = smtp.received.length;
  expect((await drain()).sent).toBe(1);
  const mail = smtp.received.slice(start)[0]!;
  expect(mail.to && "text" in mail.to ? mail.to.text : "").toContain(to);
  return /\b(\d{6})\b/.exec(mail.subject ?? "")![1]!;
}

describe.each(DATABASE_KINDS)("advocate sign-in and record at /me (issue 13) on %s", (kind) => {
  beforeAll(async () => {
    s = await startSenim({ database: kind });
    smtp = await startLoopbackSmtp();
    transport = smtpTransport(smtp.url, "Senim <no-reply@senim.test>");
    barToken = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "office" } })).body.token;
    for (const [licence, email] of [["300001", "advocate1@example.kz"], ["300002", "advocate2@example.kz"], ["300003", null], ["300004", "advocate4@example.kz"], ["300005", "advocate5@example.kz"]] as const) {
      const r = await s.call("POST", "/api/bars/almaty-city/members", { token: barToken, body: { licence, fullName: `Адвокат ${licence}`, admissionDate: "2015-03-01", ...(email ? { email } : {}) } });
      expect(r.status, r.text).toBeLessThan(300);
    }
    expect((await s.call("PUT", "/api/bars/almaty-city/policies/2026", { token: barToken, body: { requiredAcademicHours: 40 } })).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    transport?.close();
    await smtp?.close();
    await s?.close();
  });

  it("signs in with the code from the e-mail and sees the year's certificate and status (short by 32 of 40 hours)", async () => {
    const provider = await accreditedProvider(s, { name: "Заң академиясы" });
    const end = s.clock.ms - 86_400_000;
    const ev = await s.call("POST", "/api/events", {
      token: provider.token,
      body: { topic: "Медиация негіздері", programme: "criminal", form: "course", deliveryMode: "in-person", place: "Алматы", startsAt: toInstant(end - 8 * 3_600_000), endsAt: toInstant(end), durationMinutes: 360, trainers: [{ name: "Сейтқали Ә.", field: "Қылмыстық процесс, 15 жыл адвокаттық практика" }] },
    });
    expect(ev.status, ev.text).toBe(201);
    // No e-mail on the participant list: the certificate's message goes to the member record's address.
    expect((await s.call("PUT", `/api/events/${ev.body.id}/participants`, { token: provider.token, body: { participants: [{ fullName: "Адвокат 300001", licenceNumber: "300001", barId: "almaty-city" }] } })).status).toBe(200);
    const issued = await s.call("POST", `/api/events/${ev.body.id}/certificates`, { token: provider.token });
    expect(issued.status).toBe(201);
    const certificateId = issued.body.certificates[0].id as string;
    expect((await s.call("POST", "/api/bars/almaty-city/members/300001/self-recorded", { token: barToken, body: { year: 2026, minutes: 900, programme: "civil", description: "Read the new Civil Procedure Code" } })).status).toBeLessThan(300);
    await drain(); // the certificate's own message, out of the way

    const { challenge, html } = await askCode("300001");
    expect(html).toContain("a code has been sent");
    const start = smtp.received.length;
    const code = await codeSentTo("advocate1@example.kz");
    const mail = smtp.received[start]!;
    expect(mail.text).toContain(code);
    expect(mail.text).toContain(`${s.baseUrl}/me`);
    expect(mail.headers.get("content-language")).toBe("en");

    const signIn = await form("/me/sign-in?lang=en", { challenge, code });
    expect(signIn.status).toBe(303);
    const setCookie = signIn.headers.getSetCookie().find((h) => h.startsWith("senim_me=")) ?? "";
    expect(setCookie).toMatch(/^senim_me=snm_[A-Za-z0-9_-]+;/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\/me/);
    const cookie = setCookie.split(";")[0]!;

    const page = await get("/me?lang=en", cookie);
    expect(page.status).toBe(200);
    const record = await page.text();
    expect(record).toContain("Licence 300001");
    expect(record).toContain("Медиация негіздері");
    expect(record).toContain("Заң академиясы");
    expect(record).toContain(`href="/c/${certificateId}?lang=en"`);
    expect(record).toContain(`href="/c/${certificateId}.pdf?lang=en"`);
    expect(record).toContain("issued by Senim");
    expect(record).toContain('data-status="short"');
    expect(record).toContain("Short by 32 academic hours.");
    expect(record).toContain("Required: 40 academic hours");
    expect(record).toContain("Credited: 8 academic hours from 1 certificate(s)");
    expect(record).toMatch(/Read the new Civil Procedure Code[^<]*<em>\(not counted\)<\/em>/);
    // The same record in Kazakh and Russian.
    expect(await (await get("/me?lang=kk", cookie)).text()).toContain("32 академиялық сағат жетпейді.");
    expect(await (await get("/me?lang=ru", cookie)).text()).toContain("Не хватает 32 академических часов.");
    // Another year: nothing issued, no requirement set.
    const y2025 = await (await get("/me?lang=en&year=2025", cookie)).text();
    expect(y2025).toContain("No certificates for this year.");
    expect(y2025).toContain("Your bar has not set a requirement for 2025.");

    // Sign-out: refused without the CSRF token (the session stays), done with it (the session ends).
    const csrf = /name="_csrf" value="([^"]+)"/.exec(record)![1]!;
    expect((await form("/me/sign-out", {}, cookie)).status).toBe(403);
    expect((await form("/me/sign-out", { _csrf: "0".repeat(64) }, cookie)).status).toBe(403);
    expect(await (await get("/me?lang=en", cookie)).text()).toContain("Licence 300001");
    const out = await form("/me/sign-out?lang=en", { _csrf: csrf }, cookie);
    expect(out.status).toBe(303);
    const after = await (await get("/me?lang=en", cookie)).text();
    expect(after).toContain("Sign in to your record");
    expect(after).not.toContain("Licence 300001");
    // The code is used: it opens no second session.
    expect((await form("/me/sign-in", { challenge, code })).status).toBe(401);
  });

  it("the database holds only the code's HMAC, in the code row and in its outbox message", async () => {
    const { challenge } = await askCode("300004", "kk");
    const code = await codeSentTo("advocate4@example.kz");
    const row = await s.db.selectFrom("advocate_codes").selectAll().where("id", "=", challenge).executeTakeFirstOrThrow();
    expect(row).toBeDefined();
    expect(row.code_mac).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(row)).not.toContain(code);
    const outbox = await s.db.selectFrom("outbox").selectAll().where("id", "=", challenge).executeTakeFirstOrThrow();
    expect(outbox).toMatchObject({ kind: "advocate_code", certificate_id: null, status: "sent", lang: "kk" });
    expect(JSON.stringify(outbox)).not.toContain(code);
    // In Kazakh and Russian when asked in Kazakh.
    const mail = smtp.received.at(-1)!;
    expect(mail.text).toContain("кіру коды");
    expect(mail.text).toContain("код для входа");
  });

  it("5 wrong codes spend the code: the right one is refused afterwards", async () => {
    const { challenge } = await askCode("300002");
    const code = await codeSentTo("advocate2@example.kz");
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    for (let i = 0; i < 5; i++) {
      const r = await form("/me/sign-in?lang=en", { challenge, code: wrong });
      expect(r.status).toBe(401);
      expect(await r.text()).toContain("The code is wrong, expired or has been tried too often.");
    }
    const right = await form("/me/sign-in?lang=en", { challenge, code });
    expect(right.status).toBe(401);
    expect(right.headers.get("set-cookie") ?? "").not.toContain("senim_me=");
    expect(Number((await s.db.selectFrom("advocate_codes").select("failed_attempts").where("id", "=", challenge).executeTakeFirstOrThrow()).failed_attempts)).toBe(5);
  });

  it("a code expires after 10 minutes", async () => {
    const { challenge } = await askCode("300002");
    const code = await codeSentTo("advocate2@example.kz");
    s.clock.advance(10 * 60_000 + 1_000);
    try {
      expect((await form("/me/sign-in", { challenge, code })).status).toBe(401);
    } finally {
      s.clock.advance(-(10 * 60_000 + 1_000));
    }
  });

  it("a session ends when the bar removes the member from its list", async () => {
    const { challenge } = await askCode("300002");
    const code = await codeSentTo("advocate2@example.kz");
    const signIn = await form("/me/sign-in", { challenge, code });
    expect(signIn.status).toBe(303);
    const cookie = signIn.headers.getSetCookie().find((h) => h.startsWith("senim_me="))!.split(";")[0]!;
    expect(await (await get("/me?lang=en", cookie)).text()).toContain("Licence 300002");
    expect((await s.call("DELETE", "/api/bars/almaty-city/members/300002", { token: barToken })).status).toBeLessThan(300);
    const after = await (await get("/me?lang=en", cookie)).text();
    expect(after).toContain("Sign in to your record");
    expect(after).not.toContain("Licence 300002");
  });

  it("an unknown licence, or one without an e-mail, gets the same page and no mail", async () => {
    const known = await askCode("300001");
    await codeSentTo("advocate1@example.kz");
    const normalise = (html: string, challenge: string) => html.replace(challenge, "CHALLENGE");
    for (const licence of ["399999", "300003"]) {
      const other = await askCode(licence);
      expect(normalise(other.html, other.challenge)).toBe(normalise(known.html, known.challenge));
      expect(other.challenge).toMatch(/^[0-9a-z]{24}$/);
      expect(await drain()).toMatchObject({ claimed: 0 });
      expect(await s.db.selectFrom("advocate_codes").select("id").where("id", "=", other.challenge).executeTakeFirst()).toBeUndefined();
      // Its challenge opens nothing, whatever code is tried.
      expect((await form("/me/sign-in", { challenge: other.challenge, code: "123456" })).status).toBe(401);
    }
    // A malformed licence is a form error (400), the same for every licence of that form.
    const bad = await form("/me/code?lang=en", { bar: "almaty-city", licence: "not a licence!" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Choose your territorial bar and enter your licence number");
  });

  it("at most 5 codes an hour per licence: the sixth request gets the same page and no mail", async () => {
    const pages: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await askCode("300005");
      pages.push(r.html.replace(r.challenge, "CHALLENGE"));
      await codeSentTo("advocate5@example.kz");
    }
    const sixth = await askCode("300005");
    expect(sixth.html.replace(sixth.challenge, "CHALLENGE")).toBe(pages[0]);
    expect(await drain()).toMatchObject({ claimed: 0 });
    // An hour later the licence may ask again.
    s.clock.advance(3_600_000 + 1_000);
    try {
      await askCode("300005");
      await codeSentTo("advocate5@example.kz");
    } finally {
      s.clock.advance(-(3_600_000 + 1_000));
    }
  });

  it("200 concurrent code requests for one licence queue exactly 5 codes, each answered with the same page", async () => {
    expect((await s.call("POST", "/api/bars/almaty-city/members", { token: barToken, body: { licence: "300006", fullName: "Адвокат 300006", admissionDate: "2015-03-01", email: "advocate6@example.kz" } })).status).toBeLessThan(300);
    const answers = await Promise.all(Array.from({ length: 200 }, () => askCode("300006")));
    expect(new Set(answers.map((a) => a.html.replace(a.challenge, "CHALLENGE"))).size).toBe(1);
    const codes = await s.db.selectFrom("advocate_codes").select("id").where("licence", "=", "300006").execute();
    expect(codes).toHaveLength(5);
    const start = smtp.received.length;
    expect((await drain()).sent).toBe(5);
    expect(smtp.received.slice(start).every((m) => (m.to && "text" in m.to ? m.to.text : "").includes("advocate6@example.kz"))).toBe(true);
  }, 60_000);

  it("the sign-in page in kk, ru and en", async () => {
    for (const [lang, text] of [["kk", "Жеке есепке кіру"], ["ru", "Вход в личный учёт"], ["en", "Sign in to your record"]] as const) {
      const r = await get(`/me?lang=${lang}`);
      expect(r.status).toBe(200);
      const html = await r.text();
      expect(html).toContain(`<html lang="${lang}">`);
      expect(html).toContain(text);
      expect(html).toContain('value="almaty-city"');
    }
  });

  it("2.2(2), 7.5: submits an outside certificate from /me, sees it pending, then credited once the bar accepts it", async () => {
    const { challenge } = await askCode("300004");
    const code = await codeSentTo("advocate4@example.kz");
    const signIn = await form("/me/sign-in", { challenge, code });
    const cookie = signIn.headers.getSetCookie().find((h) => h.startsWith("senim_me="))!.split(";")[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await (await get("/me?lang=en", cookie)).text())![1]!;
    const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const multipart = (fields: Record<string, string>, withCsrf: boolean) => {
      const body = new FormData();
      for (const [k, v] of Object.entries(fields)) body.set(k, v);
      if (withCsrf) body.set("_csrf", csrf);
      body.set("attachment", new Blob([PNG], { type: "application/pdf" }), "scan.pdf");
      return s.app.request(`${s.baseUrl}/me/submissions?lang=en`, { method: "POST", body, headers: { cookie } });
    };
    const fields = { organiser: "Шетелдік орталық", topic: "Дәлелдемелер", programme: "criminal", form: "seminar", completedOn: "2026-04-10", academicHours: "8.5" };
    // Without the CSRF token: refused, nothing stored.
    expect((await multipart(fields, false)).status).toBe(403);
    expect(await s.services.submissions!.ofMember("almaty-city", "300004")).toHaveLength(0);
    // A bad field: a page naming it, nothing stored.
    const bad = await multipart({ ...fields, academicHours: "-1" }, true);
    expect(bad.status).toBe(400);
    // The field by its name in words (issue 16), with its problem.
    const refusal = await bad.text();
    expect(refusal).toContain("<code>Academic hours</code>: must be greater than 0");
    expect(refusal.match(/nothing was stored/gi), "said once").toHaveLength(1);
    expect(await s.services.submissions!.ofMember("almaty-city", "300004")).toHaveLength(0);

    const ok = await multipart(fields, true);
    expect(ok.status).toBe(303);
    const [sub] = await s.services.submissions!.ofMember("almaty-city", "300004");
    expect(sub).toMatchObject({ status: "pending", submittedBy: "advocate:almaty-city:300004", onBehalf: false, attachment: { mediaType: "image/png" } });
    const pending = await (await get("/me?lang=en&submitted=1", cookie)).text();
    expect(pending).toContain("Submitted: your bar will review it.");
    expect(pending).toContain(`data-submission="${sub!.id}" data-status="pending"`);
    expect(pending).toContain("Credited: 0 academic hours from 0 certificate(s)");

    const accept = await s.call("POST", `/api/bars/almaty-city/submissions/${sub!.id}/accept`, { token: barToken, body: { creditedHours: 8 } });
    expect(accept.status, accept.text).toBe(200);
    const credited = await (await get("/me?lang=en", cookie)).text();
    expect(credited).toContain(`data-submission="${sub!.id}" data-status="accepted"`);
    expect(credited).toContain("Credited: 8 academic hours from 1 certificate(s)");
    expect(credited).toContain("accepted by the bar (");
  });

  it("a post from another site is refused", async () => {
    const r = await s.app.request(`${s.baseUrl}/me/code`, { method: "POST", body: new URLSearchParams({ bar: "almaty-city", licence: "300001" }), headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "cross-site" } });
    expect(r.status).toBe(403);
    expect(await drain()).toMatchObject({ claimed: 0 });
  });
});
