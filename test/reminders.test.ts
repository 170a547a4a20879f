/**
 * Issue 13, reminders, in process on SQLite, PostgreSQL and D1 (workerd), with a real SMTP server on loopback
 * (smtp-server, read back with mailparser): the defaults; a bar sets its dates (wrong ones 400 in the caller's
 * language, another bar's admin and a provider 403); from the start of a date in Kazakhstan time each member who is
 * short and has an e-mail gets exactly one message, in their language, with their hours, the requirement and the /me
 * link; met and exempt members none; a member without an e-mail is logged as no address; a second run, or one the next
 * day, queues nothing; a date passed while the server was down is caught up later in the year, with the hours of
 * that moment; the next year nothing; the bar sees who was reminded (API and console). On PostgreSQL, 200 concurrent
 * runs remind each short member once.
 */
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certificateMessageComposer } from "../src/http/certificate-mail.js";
import { loadNodeFonts } from "../src/runtime/fonts.js";
import { smtpTransport } from "../src/runtime/mail-smtp.js";
import { toInstant } from "../src/domain/time.js";
import { startLoopbackSmtp, type LoopbackSmtp } from "./delivery-helpers.js";
import { DATABASE_KINDS } from "./databases.js";
import { accreditedProvider, startSenim, type TestSenim } from "./helpers.js";

const BAR = "almaty-city";

/** Members of the bar: licence, e-mail, and how /me was last used (the language of the code asked for). */
const MEMBERS = {
  kkru: { licence: "400001", email: "a1@example.kz" }, // 8 of 16 hours; never signed in: Kazakh and Russian
  en: { licence: "400002", email: "a2@example.kz", meLang: "en" }, // 0 of 16; signed in in English (after Kazakh)
  ru: { licence: "400003", email: "a3@example.kz", meLang: "ru" }, // 0 of 16; Russian
  noEmail: { licence: "400004", email: null }, // 0 of 16; no address: logged
  met: { licence: "400005", email: "a5@example.kz" }, // 16 of 16
  exempt: { licence: "400006", email: "a6@example.kz" }, // suspended all year (2.3)
} as const;

const addressOf = (m: ParsedMail) => (m.to && "text" in m.to ? m.to.text : "");

describe.each(DATABASE_KINDS)("reminders (issue 13) on %s", (kind) => {
  let s: TestSenim;
  let smtp: LoopbackSmtp;
  let transport: ReturnType<typeof smtpTransport>;
  let barToken: string;
  let otherBarToken: string;
  let provider: Awaited<ReturnType<typeof accreditedProvider>>;
  const drain = () => s.services.delivery!.drain(transport, certificateMessageComposer(s.services, loadNodeFonts), 200);
  const run = () => s.services.reminders!.run();

  /** An event of `minutes` that ended an hour before the clock, issued to the given members (their messages drained). */
  async function certify(licences: string[], minutes = 360) {
    const end = s.clock.ms - 3_600_000;
    const ev = await s.call("POST", "/api/events", {
      token: provider.token,
      body: { topic: "Адвокат әдебі", programme: "topical", form: "seminar", deliveryMode: "in-person", place: "Алматы", startsAt: toInstant(end - 6 * 3_600_000), endsAt: toInstant(end), durationMinutes: minutes, trainers: [{ name: "Сейтқали Ә.", field: "Қылмыстық процесс, 15 жыл адвокаттық практика" }] },
    });
    expect(ev.status, ev.text).toBe(201);
    const list = licences.map((licenceNumber) => ({ fullName: `Адвокат ${licenceNumber}`, licenceNumber, barId: BAR }));
    expect((await s.call("PUT", `/api/events/${ev.body.id}/participants`, { token: provider.token, body: { participants: list } })).status).toBe(200);
    expect((await s.call("POST", `/api/events/${ev.body.id}/certificates`, { token: provider.token })).status).toBe(201);
    await drain();
  }

  beforeAll(async () => {
    s = await startSenim({ database: kind, now: "2026-10-20T09:00:00Z" });
    smtp = await startLoopbackSmtp();
    transport = smtpTransport(smtp.url, "Senim <no-reply@senim.test>");
    barToken = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: BAR, label: "office" } })).body.token;
    otherBarToken = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "astana-city", label: "office" } })).body.token;
    for (const m of Object.values(MEMBERS)) {
      const r = await s.call("POST", `/api/bars/${BAR}/members`, { token: barToken, body: { licence: m.licence, fullName: `Адвокат ${m.licence}`, admissionDate: "2015-03-01", ...(m.email ? { email: m.email } : {}) } });
      expect(r.status, r.text).toBeLessThan(300);
    }
    expect((await s.call("POST", `/api/bars/${BAR}/members/${MEMBERS.exempt.licence}/suspensions`, { token: barToken, body: { from: "2025-06-01" } })).status).toBe(201);
    expect((await s.call("PUT", `/api/bars/${BAR}/policies/2026`, { token: barToken, body: { requiredAcademicHours: 16 } })).status).toBe(200);
    provider = await accreditedProvider(s, { name: "Заң академиясы", programmes: ["topical"], forms: ["seminar"] });
    await certify([MEMBERS.kkru.licence, MEMBERS.met.licence]); // 8 academic hours each
    await certify([MEMBERS.met.licence]); // 16 for the one who meets the requirement
    // The language of the latest /me sign-in code request is the member's language (the codes' messages are drained).
    for (const [licence, lang] of [[MEMBERS.en.licence, "kk"], [MEMBERS.en.licence, "en"], [MEMBERS.ru.licence, "ru"]] as const) {
      s.clock.advance(1000);
      const r = await s.app.request(`${s.baseUrl}/me/code?lang=${lang}`, { method: "POST", body: new URLSearchParams({ bar: BAR, licence }), headers: { "content-type": "application/x-www-form-urlencoded" } });
      expect(r.status).toBe(200);
    }
    expect((await drain()).sent).toBe(3);
  }, 120_000);

  afterAll(async () => {
    transport?.close();
    await smtp?.close();
    await s?.close();
  });

  it("defaults to 1 November and 1 December until the bar sets its dates", async () => {
    const r = await s.call("GET", `/api/bars/${BAR}/reminders/2026`, { token: barToken });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ barId: BAR, year: 2026, configured: false, dates: ["2026-11-01", "2026-12-01"], defaults: ["2026-11-01", "2026-12-01"], updatedAt: null });
    // The RBA's admin reads (and may set) a bar's dates too.
    expect((await s.call("GET", `/api/bars/${BAR}/reminders/2026`, { token: s.adminToken })).status).toBe(200);
    const paths = Object.keys((await s.call("GET", "/openapi.json")).body.paths);
    expect(paths).toEqual(expect.arrayContaining(["/api/bars/{barId}/reminders/{year}", "/api/bars/{barId}/reminders/{year}/log"]));
  });

  it("another bar's admin and a provider are refused (403); the RBA is no territorial bar (404)", async () => {
    for (const token of [otherBarToken, provider.token]) {
      expect((await s.call("GET", `/api/bars/${BAR}/reminders/2026`, { token })).status).toBe(403);
      expect((await s.call("PUT", `/api/bars/${BAR}/reminders/2026`, { token, body: { dates: ["2026-11-01"] } })).status).toBe(403);
      expect((await s.call("GET", `/api/bars/${BAR}/reminders/2026/log`, { token })).status).toBe(403);
    }
    const other = await s.call("PUT", `/api/bars/${BAR}/reminders/2026`, { token: otherBarToken, body: { dates: ["2026-11-01"] } });
    expect(other.body.detail).toContain("your bar is astana-city");
    expect((await s.call("GET", "/api/bars/rba/reminders/2026", { token: s.adminToken })).status).toBe(404);
    expect((await s.call("GET", `/api/bars/${BAR}/reminders/2026`)).status).toBe(401);
  });

  it("wrong dates are 400 in the caller's language, every problem named, nothing stored", async () => {
    const bad = { dates: ["2026-02-30", "2027-01-01", "2026-11-01", "2026-11-01"] };
    const ru = await s.call("PUT", `/api/bars/${BAR}/reminders/2026`, { token: barToken, body: bad, headers: { "accept-language": "ru" } });
    expect(ru.status).toBe(400);
    expect(ru.headers.get("content-language")).toBe("ru");
    expect(ru.body.title).toBe("Некорректный запрос");
    expect(ru.body.errors.map((e: { path: string; code: string }) => [e.path, e.code])).toEqual([["dates/0", "date-invalid"], ["dates/1", "date-outside-year"], ["dates/3", "date-repeated"]]);
    const kk = await s.call("PUT", `/api/bars/${BAR}/reminders/2026`, { token: barToken, body: { dates: Array.from({ length: 13 }, (_, i) => `2026-01-${String(i + 10)}`) }, headers: { "accept-language": "kk" } });
    expect(kk.status).toBe(400);
    expect(kk.body.title).toBe("Сұрау дұрыс емес");
    expect(kk.body.errors).toEqual([expect.objectContaining({ code: "too-many-dates", params: { max: 12 } })]);
    // Not a list of strings at all: the schema refuses it, as every other route's.
    expect((await s.call("PUT", `/api/bars/${BAR}/reminders/2026`, { token: barToken, body: { dates: "2026-11-01" } })).status).toBe(400);
    expect((await s.call("PUT", `/api/bars/${BAR}/reminders/2026`, { token: barToken, body: { dates: [], extra: 1 } })).status).toBe(400);
    expect((await s.call("GET", `/api/bars/${BAR}/reminders/2026`, { token: barToken })).body.configured).toBe(false);
  });

  it("the bar sets its dates (stored sorted, with who set them); the RBA's admin may too", async () => {
    const rba = await s.call("PUT", `/api/bars/${BAR}/reminders/2026`, { token: s.adminToken, body: { dates: ["2026-11-01"] } });
    expect(rba.status, rba.text).toBe(200);
    expect(rba.body.updatedBy).toMatch(/^rba-admin:/);
    const r = await s.call("PUT", `/api/bars/${BAR}/reminders/2026`, { token: barToken, body: { dates: ["2026-12-01", "2026-11-02"] } });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ configured: true, dates: ["2026-11-02", "2026-12-01"], updatedAt: "2026-10-20T09:00:03Z" });
    expect(r.body.updatedBy).toMatch(/^bar-admin:almaty-city:/);
    expect((await s.call("GET", `/api/bars/${BAR}/reminders/2026`, { token: barToken })).body.dates).toEqual(["2026-11-02", "2026-12-01"]);
  });

  it("on the date, from its start in Kazakhstan, each short member with an e-mail gets exactly one message in their language", async () => {
    s.clock.set("2026-11-01T18:59:59Z"); // 23:59:59 on 1 November in Almaty: not yet
    expect(await run()).toMatchObject({ year: 2026, queued: 0, noAddress: 0, completed: [] });
    s.clock.set("2026-11-01T19:00:00Z"); // midnight, 2 November in Almaty
    const start = smtp.received.length;
    const first = await run();
    expect(first).toMatchObject({ year: 2026, queued: 3, noAddress: 1, completed: [{ barId: BAR, date: "2026-11-02", supersededBy: null }] });
    expect((await drain()).sent).toBe(3);
    const mails = smtp.received.slice(start);
    expect(mails.map(addressOf).sort()).toEqual(["a1@example.kz", "a2@example.kz", "a3@example.kz"]);
    const to = (address: string) => mails.find((m) => addressOf(m) === address)!;

    // Never signed in at /me: Kazakh and Russian, with their 8 of 16 hours.
    const kkru = to("a1@example.kz");
    expect(kkru.headers.get("content-language")).toBe("kk, ru");
    expect(kkru.subject).toBe("Senim: 2026 жыл — 16 академиялық сағаттың 8 сағаты / Senim: 8 из 16 академических часов за 2026 год");
    expect(kkru.text).toContain("Құрметті Адвокат 400001!");
    expect(kkru.text).toContain("2026 жылға 8 академиялық сағат есептелген; алқаңыз (");
    expect(kkru.text).toContain("Сізге 8 академиялық сағат жетпейді.");
    expect(kkru.text).toContain("за 2026 год засчитано 8 академических часов");
    expect(kkru.text).toContain("Вам не хватает 8 академических часов.");
    expect(kkru.text).toContain(`${s.baseUrl}/me`);
    expect(kkru.messageId).toMatch(/^<[0-9a-f]{32}\.0@senim\.test>$/);
    expect(kkru.attachments).toHaveLength(0);

    // Signed in in Kazakh, then in English: the latest wins, English alone.
    const en = to("a2@example.kz");
    expect(en.headers.get("content-language")).toBe("en");
    expect(en.subject).toBe("Senim: 0 of 16 academic hours for 2026");
    expect(en.text).toContain("Dear Адвокат 400002,");
    expect(en.text).toContain("Your record in Senim counts 0 academic hours for 2026; your bar, ");
    expect(en.text).toContain("requires 16.");
    expect(en.text).toContain("You are short by 16 academic hours.");
    expect(en.text).toContain(`Your record:\n${s.baseUrl}/me`);
    expect(en.text).toContain("A reminder on your bar's date 2026-11-02");
    expect(en.text).not.toMatch(/[Ѐ-ӿ]{4,} [Ѐ-ӿ]{4,} [Ѐ-ӿ]{4,}/); // no Kazakh or Russian sentence, names aside

    // Signed in in Russian: Russian alone.
    const ru = to("a3@example.kz");
    expect(ru.headers.get("content-language")).toBe("ru");
    expect(ru.subject).toBe("Senim: 0 из 16 академических часов за 2026 год");
    expect(ru.text).toContain("Вам не хватает 16 академических часов.");
    expect(ru.text).not.toContain("Құрметті");

    // Met and exempt: nothing; no e-mail: logged as no address.
    expect(mails.map(addressOf)).not.toContain("a5@example.kz");
    expect(mails.map(addressOf)).not.toContain("a6@example.kz");
    const log = await s.call("GET", `/api/bars/${BAR}/reminders/2026/log`, { token: barToken });
    expect(log.status, log.text).toBe(200);
    expect(log.body.reminders.map((r: any) => [r.licence, r.date, r.state, r.verifiedHours, r.requiredHours, r.shortHours, r.lang])).toEqual([
      ["400001", "2026-11-02", "sent", 8, 16, 8, null],
      ["400002", "2026-11-02", "sent", 0, 16, 16, "en"],
      ["400003", "2026-11-02", "sent", 0, 16, 16, "ru"],
      ["400004", "2026-11-02", "no_address", 0, 16, 16, null],
    ]);
    expect(log.body.reminders[0]).toMatchObject({ fullName: "Адвокат 400001", toAddress: "a1@example.kz", queuedAt: "2026-11-01T19:00:00Z", foundationsMissing: false });
    expect(log.body.reminders[0].sentAt).not.toBeNull();
    expect(log.body.dates).toEqual([
      { date: "2026-11-02", state: "done", completedAt: "2026-11-01T19:00:00Z", supersededBy: null, reminded: 4 },
      { date: "2026-12-01", state: "scheduled", completedAt: null, supersededBy: null, reminded: 0 },
    ]);
  });

  it("a second run, and a run the next day, queue nothing new: never twice for one date", async () => {
    const start = smtp.received.length;
    expect(await run()).toMatchObject({ queued: 0, noAddress: 0, completed: [] });
    s.clock.advance(86_400_000);
    expect(await run()).toMatchObject({ queued: 0, noAddress: 0, completed: [] });
    expect((await drain()).claimed).toBe(0);
    expect(smtp.received.length).toBe(start);
    // Even without the mark of the completed run, the derived ids write nothing twice.
    await s.db.deleteFrom("reminder_runs").execute();
    expect(await run()).toMatchObject({ queued: 0, noAddress: 0, completed: [{ barId: BAR, date: "2026-11-02", supersededBy: null }] });
    expect(Number((await s.db.selectFrom("reminders").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n)).toBe(4);
    expect(Number((await s.db.selectFrom("outbox").select((eb) => eb.fn.countAll<number>().as("n")).where("kind", "=", "reminder").executeTakeFirstOrThrow()).n)).toBe(4);
  });

  it("a date passed while the server was down is caught up later in the year, with the hours of that moment", async () => {
    s.clock.set("2026-12-05T06:00:00Z"); // the server was down over 1 December
    await certify([MEMBERS.en.licence]); // meanwhile 400002 earned 8 hours
    const start = smtp.received.length;
    expect(await run()).toMatchObject({ queued: 3, noAddress: 1, completed: [{ barId: BAR, date: "2026-12-01", supersededBy: null }] });
    expect((await drain()).sent).toBe(3);
    const en = smtp.received.slice(start).find((m) => addressOf(m) === "a2@example.kz")!;
    expect(en.text).toContain("You are short by 8 academic hours.");
    expect(en.text).toContain("A reminder on your bar's date 2026-12-01");
    const log = (await s.call("GET", `/api/bars/${BAR}/reminders/2026/log`, { token: barToken })).body;
    // The November reminder keeps the hours it was sent with.
    const of = (licence: string, date: string) => log.reminders.find((r: any) => r.licence === licence && r.date === date);
    expect(of("400002", "2026-11-02").verifiedHours).toBe(0);
    expect(of("400002", "2026-12-01").verifiedHours).toBe(8);
    expect(log.dates.map((d: any) => [d.date, d.state, d.reminded])).toEqual([["2026-11-02", "done", 4], ["2026-12-01", "done", 4]]);
  });

  it("the bar sees who was reminded in its console, and wrong dates there are refused in the page's language", async () => {
    const b = consoleBrowser(s);
    expect((await b.post("/console/sign-in", { apiKey: barToken }, false)).status).toBe(303);
    const page = await b.get("/console/reminders?year=2026&lang=en");
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-reminder="400001" data-date="2026-11-02" data-state="sent"');
    expect(page.text).toContain('data-reminder="400004" data-date="2026-12-01" data-state="no_address"');
    expect(page.text).toContain("Who was reminded");
    expect(page.text).toMatch(/data-date="2026-12-01" data-state="done"><td>2026-12-01<\/td><td>done 2026-12-05 11:00: 4 reminder\(s\)/);
    expect(page.text).not.toContain("400005");
    const refused = await b.post("/console/reminders?lang=kk", { year: "2026", date: ["2026-12-20", "2027-01-05", ""] });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("2027-01-05 күні 2026 жылға жатпайды.");
    expect(refused.text).toContain('value="2027-01-05"');
    const saved = await b.post("/console/reminders", { year: "2026", date: ["2026-12-20", "", "2026-12-01", "2026-11-02"] });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe("/console/reminders?year=2026&done=1");
    expect((await s.call("GET", `/api/bars/${BAR}/reminders/2026`, { token: barToken })).body.dates).toEqual(["2026-11-02", "2026-12-01", "2026-12-20"]);
  });

  it("the next year nothing: a 2026 date the server slept through is never sent in 2027", async () => {
    s.clock.set("2027-01-03T06:00:00Z"); // down from 5 December until after New Year: 20 December was never run
    const start = smtp.received.length;
    expect(await run()).toMatchObject({ year: 2027, queued: 0, noAddress: 0, completed: [] });
    expect((await drain()).claimed).toBe(0);
    expect(smtp.received.length).toBe(start);
    const log = (await s.call("GET", `/api/bars/${BAR}/reminders/2026/log`, { token: barToken })).body;
    expect(log.dates.find((d: any) => d.date === "2026-12-20")).toMatchObject({ state: "missed", reminded: 0 });
    // 2027 has its defaults, and no requirement yet: nothing would be sent on them either.
    expect((await s.call("GET", `/api/bars/${BAR}/reminders/2027`, { token: barToken })).body).toMatchObject({ configured: false, dates: ["2027-11-01", "2027-12-01"] });
  });
});

describe("reminders under concurrency (PostgreSQL)", () => {
  let s: TestSenim;
  let smtp: LoopbackSmtp;
  let transport: ReturnType<typeof smtpTransport>;
  const SHORT = 40;

  beforeAll(async () => {
    s = await startSenim({ database: "postgres", now: "2026-11-20T09:00:00Z" });
    smtp = await startLoopbackSmtp();
    transport = smtpTransport(smtp.url, "Senim <no-reply@senim.test>");
    const bar = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: BAR, label: "office" } })).body.token;
    const csv = ["licence;name;admission date;email", ...Array.from({ length: SHORT }, (_, i) => `${500000 + i};Адвокат ${i};2015-03-01;m${i}@example.kz`)].join("\n");
    expect((await s.call("POST", `/api/bars/${BAR}/members.csv`, { token: bar, raw: csv, headers: { "content-type": "text/csv" } })).status).toBe(201);
    expect((await s.call("PUT", `/api/bars/${BAR}/policies/2026`, { token: bar, body: { requiredAcademicHours: 40 } })).status).toBe(200);
    // Two dates due at once (1 November missed): the later one reminds, the earlier is closed as superseded.
    expect((await s.call("PUT", `/api/bars/${BAR}/reminders/2026`, { token: bar, body: { dates: ["2026-11-01", "2026-11-20"] } })).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    transport?.close();
    await smtp?.close();
    await s?.close();
  });

  it("200 concurrent runs remind each short member once per date, and the sender delivers each once", async () => {
    const results = await Promise.all(Array.from({ length: 200 }, () => s.services.reminders!.run()));
    expect(results.reduce((n, r) => n + r.queued, 0)).toBe(SHORT);
    // They really raced: several read the date as not done and wrote (their writes met on the derived ids).
    const writers = results.filter((r) => r.completed.length > 0).length;
    expect(writers).toBeGreaterThan(1);
    const rows = await s.db.selectFrom("reminders").select(["licence", "reminder_date"]).execute();
    expect(rows).toHaveLength(SHORT);
    expect(new Set(rows.map((r) => r.licence)).size).toBe(SHORT);
    expect(new Set(rows.map((r) => r.reminder_date))).toEqual(new Set(["2026-11-20"]));
    expect(Number((await s.db.selectFrom("outbox").select((eb) => eb.fn.countAll<number>().as("n")).where("kind", "=", "reminder").executeTakeFirstOrThrow()).n)).toBe(SHORT);
    const runs = await s.db.selectFrom("reminder_runs").selectAll().orderBy("reminder_date").execute();
    expect(runs.map((r) => [r.reminder_date, r.superseded_by])).toEqual([["2026-11-01", "2026-11-20"], ["2026-11-20", null]]);
    const compose = certificateMessageComposer(s.services, loadNodeFonts);
    await Promise.all(Array.from({ length: 4 }, () => s.services.delivery!.drain(transport, compose, 100)));
    await smtp.waitFor(SHORT);
    expect(new Set(smtp.received.map(addressOf)).size).toBe(SHORT);
    expect(smtp.received).toHaveLength(SHORT);
  }, 120_000);
});

/** A browser without JavaScript for the console: keeps the session cookie and posts forms with the page's CSRF token. */
function consoleBrowser(s: TestSenim) {
  let cookie = "";
  let csrf = "";
  const request = async (method: string, path: string, form?: Record<string, string | string[]>) => {
    const body = form ? new URLSearchParams(Object.entries(form).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))) : undefined;
    const res = await s.app.request(s.baseUrl + path, { method, body, headers: { cookie, ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) } });
    const session = res.headers.getSetCookie().find((h) => h.startsWith("senim_session="));
    if (session) cookie = session.split(";")[0]!;
    const text = await res.text();
    const m = /name="_csrf" value="([0-9a-f]{64})"/.exec(text);
    if (m) csrf = m[1]!;
    return { status: res.status, location: res.headers.get("location"), text };
  };
  return {
    get: (path: string) => request("GET", path),
    post: (path: string, form: Record<string, string | string[]>, withCsrf = true) => request("POST", path, withCsrf ? { _csrf: csrf, ...form } : form),
  };
}
