/**
 * Issue 14: the participant lists reach the bars (12.3) — time, date, place, title, trainers each with the field of
 * their experience (11.1), hours and programme — with each bar's own members only, as JSON, CSV, XLSX and a console
 * page; partial attendance and its certificate; teaching credited by the minutes taught on courses (5.1(4)); and the
 * co-organising bar's confirmation before certificates name it (5.1(3)). Over HTTP on a real Senim, on SQLite,
 * PostgreSQL and D1 (DATABASE_KINDS), and migration 0016 on SQLite and PostgreSQL.
 */
import { Migrator, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrations } from "../migrations/index.js";
import { toInstant } from "../src/domain/time.js";
import { SQLITE_MAX_PARAMETERS } from "../src/runtime/sqlite.js";
import { transactionalAtomic } from "../src/storage/atomic.js";
import { KyselyIssuanceStore } from "../src/storage/issuance-store.js";
import { DATABASE_KINDS, withForeignKeysOff } from "./databases.js";
import { accreditedProvider, startSenim, type TestSenim } from "./helpers.js";

const TRAINERS = [
  { name: "Сейтқали Ә.", field: "Қылмыстық процесс, 15 жыл адвокаттық практика" },
  { name: "Омарова Г.", field: "Сот сараптамасы, ғылыми жұмыс" },
];
const ALMATY = "almaty-city";
const ASTANA = "astana-city";

const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString());

describe.each(DATABASE_KINDS)("participant lists, trainers, minutes and co-organisation (12.3, 11.1, 5.1(3), 5.1(4)) on %s", (kind) => {
  let s: TestSenim;
  let almatyToken: string;
  let astanaToken: string;
  let provider: Awaited<ReturnType<typeof accreditedProvider>>;

  beforeAll(async () => {
    s = await startSenim({ database: kind }); // the clock stands at 2026-06-01T09:00:00Z
    const barKey = async (barId: string) => (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId, label: "registry office" } })).body.token as string;
    almatyToken = await barKey(ALMATY);
    astanaToken = await barKey(ASTANA);
    provider = await accreditedProvider(s, { name: "Тізім орталығы" });
  }, 120_000);
  afterAll(async () => {
    expect(s?.loggedErrors ?? []).toEqual([]);
    await s?.close();
  });

  /** A course (or `form`) of 360 minutes that ended a day before the clock, recorded by `token`'s provider. */
  async function recordEvent(o: Record<string, unknown> = {}, token = provider.token) {
    const end = s.clock.ms - 86_400_000;
    const res = await s.call("POST", "/api/events", {
      token,
      body: {
        topic: "Қылмыстық процестегі дәлелдемелер", programme: "criminal", form: "course", deliveryMode: "in-person", place: "Алматы, Абай даңғылы 10",
        startsAt: toInstant(end - 8 * 3_600_000), endsAt: toInstant(end), durationMinutes: 360, trainers: TRAINERS, ...o,
      },
    });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string; coOrganisation: unknown };
  }

  const person = (licence: string, barId: string, o: Record<string, unknown> = {}) => ({ fullName: `Адвокат ${licence}`, licenceNumber: licence, barId, role: "attendee", ...o });

  async function putList(eventId: string, list: Record<string, unknown>[], token = provider.token) {
    const res = await s.call("PUT", `/api/events/${eventId}/participants`, { token, body: { participants: list } });
    expect(res.status, res.text).toBe(200);
    return res.body;
  }

  async function issue(eventId: string, token = provider.token) {
    const res = await s.call("POST", `/api/events/${eventId}/certificates`, { token });
    expect(res.status, res.text).toBe(201);
    return res.body.certificates as { id: string; url: string; licenceNumber: string }[];
  }

  /** One list of the bar's answer, by event id. */
  const listOf = (body: any, eventId: string) => body.lists.find((l: any) => l.event.id === eventId);

  // ---- 12.3: the lists reach each participant's bar --------------------------------------------------------------

  describe("12.3: the bar's participant lists", () => {
    let shared: { id: string };
    let astanaOnly: { id: string };

    beforeAll(async () => {
      shared = await recordEvent();
      await putList(shared.id, [person("410001", ALMATY), person("410002", ALMATY, { attendedMinutes: 200 }), person("420001", ASTANA)]);
      await issue(shared.id);
      astanaOnly = await recordEvent({ topic: "Азаматтық процесс", programme: "civil" });
      await putList(astanaOnly.id, [person("420002", ASTANA)]);
    }, 60_000);

    it("12.3: a bar sees the lists its members are on — time, date, place, title, trainers with their field (11.1), hours, programme — with its own members only", async () => {
      const res = await s.call("GET", `/api/bars/${ALMATY}/participant-lists?year=2026`, { token: almatyToken });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ barId: ALMATY, year: 2026 });
      expect(listOf(res.body, astanaOnly.id)).toBeUndefined(); // no Almaty member took part
      const list = listOf(res.body, shared.id);
      expect(list.event).toMatchObject({
        topic: "Қылмыстық процестегі дәлелдемелер", place: "Алматы, Абай даңғылы 10", programme: "criminal", form: "course", date: "2026-05-31", time: "06:00 – 14:00",
        durationMinutes: 360, academicHours: 8, trainers: TRAINERS, organiser: { id: provider.party.id, name: "Тізім орталығы" },
      });
      expect(list.participants.map((p: any) => p.licenceNumber)).toEqual(["410001", "410002"]);
      expect(list.participants[1]).toMatchObject({ role: "attendee", minutes: 200, academicHours: 4.4, partial: true, attendedMinutes: 200, revoked: false });
      expect(list.participants[0]).toMatchObject({ minutes: 360, academicHours: 8, partial: false, certificateUrl: expect.stringContaining("/c/") });
      // Another bar's member is not this bar's business: nowhere in its answer.
      expect(res.text).not.toContain("420001");
    });

    it("12.3: each bar sees its own members of the same list; the RBA reads any bar's; other bars and providers are refused (403)", async () => {
      const astana = await s.call("GET", `/api/bars/${ASTANA}/participant-lists?year=2026`, { token: astanaToken });
      expect(astana.status).toBe(200);
      expect(listOf(astana.body, shared.id).participants.map((p: any) => p.licenceNumber)).toEqual(["420001"]);
      expect(listOf(astana.body, astanaOnly.id).participants.map((p: any) => p.licenceNumber)).toEqual(["420002"]);
      expect(astana.text).not.toContain("410001");
      const rba = await s.call("GET", `/api/bars/${ALMATY}/participant-lists?year=2026`, { token: s.adminToken });
      expect(rba.status).toBe(200);
      expect(listOf(rba.body, shared.id).participants.map((p: any) => p.licenceNumber)).toEqual(["410001", "410002"]);
      expect((await s.call("GET", `/api/bars/${ALMATY}/participant-lists?year=2026`, { token: astanaToken })).status).toBe(403);
      expect((await s.call("GET", `/api/bars/${ALMATY}/participant-lists?year=2026`, { token: provider.token })).status).toBe(403);
      expect((await s.call("GET", `/api/bars/${ALMATY}/participant-lists?year=2026`)).status).toBe(401);
      // 12.2: by calendar year.
      expect((await s.call("GET", `/api/bars/${ALMATY}/participant-lists?year=2025`, { token: almatyToken })).body.count).toBe(0);
      expect((await s.call("GET", `/api/bars/${ALMATY}/participant-lists?year=20x6`, { token: almatyToken })).status).toBe(400);
    });

    it("12.3: the CSV export has the 12.3 columns in the caller's language and the bar's own members only; another bar's export is refused (403)", async () => {
      const res = await s.fetch(`/api/bars/${ALMATY}/participant-lists/${shared.id}.csv?lang=ru`, { headers: { authorization: `Bearer ${almatyToken}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/csv; charset=UTF-8");
      expect(res.headers.get("content-disposition")).toContain(`participants-${ALMATY}-${shared.id}-ru.csv`);
      const text = (await res.text()).replace(/^\ufeff/, "");
      const [head, ...rows] = text.trim().split("\r\n");
      expect(head).toBe("дата,время,место,название курса,преподаватели,часы,программа,форма,организатор,лицензия,ФИО,коллегия,роль,минут присутствия,минут преподавания,зачтено часов,сертификат,отозван");
      expect(rows).toHaveLength(2);
      expect(rows[0]).toContain("2026-05-31,06:00 – 14:00,\"Алматы, Абай даңғылы 10\",Қылмыстық процестегі дәлелдемелер,");
      expect(rows[0]).toContain("Сейтқали Ә. (Қылмыстық процесс, 15 жыл адвокаттық практика); Омарова Г. (Сот сараптамасы, ғылыми жұмыс)");
      expect(rows[1]).toMatch(/,410002,Адвокат 410002,[^,]+,слушатель,200,,4\.4,https:\/\/senim\.test\/c\//);
      expect(text).not.toContain("420001");
      // Another bar's export of the same event, and a list without any of the bar's members.
      expect((await s.call("GET", `/api/bars/${ALMATY}/participant-lists/${shared.id}.csv`, { token: astanaToken })).status).toBe(403);
      expect((await s.call("GET", `/api/bars/${ALMATY}/participant-lists/${shared.id}.xlsx`, { token: astanaToken })).status).toBe(403);
      expect((await s.call("GET", `/api/bars/${ALMATY}/participant-lists/${astanaOnly.id}.csv`, { token: almatyToken })).status).toBe(404);
    });

    it("12.3: the XLSX export is the provider's spreadsheet over the bar's own members, the trainers with their field (11.1)", async () => {
      const res = await s.fetch(`/api/bars/${ASTANA}/participant-lists/${shared.id}.xlsx?lang=en`, { headers: { authorization: `Bearer ${astanaToken}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      const ExcelJS = (await import("exceljs")).default;
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
      const cells: string[] = [];
      wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => cells.push(String(c.value)))));
      expect(cells).toContain("420001");
      expect(cells).not.toContain("410001");
      expect(cells).toContain("Сейтқали Ә. (Қылмыстық процесс, 15 жыл адвокаттық практика), Омарова Г. (Сот сараптамасы, ғылыми жұмыс)");
    });

    it("12.3: the bar console lists them with its own members and downloads each list; another bar's page shows only its own", async () => {
      const b = consoleBrowser();
      await b.signIn(almatyToken);
      const home = await b.get("/console?lang=en");
      expect(home.text).toContain('href="/console/participant-lists"');
      const page = await b.get("/console/participant-lists?year=2026&lang=en");
      expect(page.status).toBe(200);
      expect(page.text).toContain("Participant lists (12.3)");
      expect(page.text).toContain(`data-list="${shared.id}"`);
      expect(page.text).not.toContain(`data-list="${astanaOnly.id}"`);
      expect(page.text).toContain('data-member="410002" data-partial="true"');
      expect(page.text).toContain("Сейтқали Ә. — Қылмыстық процесс, 15 жыл адвокаттық практика");
      expect(page.text).not.toContain("420001");
      const csv = await b.get(`/console/participant-lists/${shared.id}.csv?year=2026&lang=kk`);
      expect(csv.status).toBe(200);
      expect(csv.text).toContain("қатысқан минут");
      expect(csv.text).not.toContain("420001");
      const other = consoleBrowser();
      await other.signIn(astanaToken);
      expect((await other.get(`/console/participant-lists/${astanaOnly.id}.csv`)).status).toBe(200);
      expect((await other.get(`/console/participant-lists?year=2026`)).text).not.toContain("410001");
    });
  });

  // ---- 11.1: trainers, each with the field of their experience ----------------------------------------------------

  it("11.1, 12.3: an event without trainers, or a trainer without the field of their experience, is refused (400) in the caller's language; nothing is stored", async () => {
    const end = s.clock.ms - 86_400_000;
    const body = { topic: "Әдеп", programme: "topical", form: "course", deliveryMode: "online", place: "Онлайн", startsAt: toInstant(end - 3_600_000 * 4), endsAt: toInstant(end), durationMinutes: 180 };
    const none = await s.call("POST", "/api/events", { token: provider.token, body, headers: { "accept-language": "kk" } });
    expect(none.status).toBe(400);
    expect(none.body.code).toBe("invalid_request");
    expect(none.body.detail).toBe("Іс-шарадағы қателер: 1; ештеңе сақталмады.");
    expect(none.body.errors).toEqual([{ path: "trainers", code: "trainers-required", message: "оқытушылар: кемінде бір оқытушыны көрсетіңіз, әрқайсысын тәжірибе саласымен (12.3, 11.1)" }]);
    const noField = await s.call("POST", "/api/events", { token: provider.token, body: { ...body, trainers: [{ name: "Сейтқали Ә." }, { name: "Омарова Г.", field: "  " }] }, headers: { "accept-language": "ru" } });
    expect(noField.status).toBe(400);
    expect(noField.body.detail).toBe("Проблем в мероприятии: 2; ничего не сохранено.");
    expect(noField.body.errors.map((e: any) => [e.path, e.code])).toEqual([["trainers/0/field", "trainer-field-required"], ["trainers/1/field", "trainer-field-required"]]);
    expect(noField.body.errors[0].message).toContain("преподаватель 1: обязательна область");
    const long = await s.call("POST", "/api/events?lang=en", { token: provider.token, body: { ...body, trainers: [{ name: "", field: "x".repeat(301) }] } });
    expect(long.status).toBe(400);
    expect(long.body.errors.map((e: any) => e.message)).toEqual(["trainer 1: the name is required, at most 300 characters", "trainer 1: the field of experience may be at most 300 characters (11.1)"]);
    // Nothing was stored.
    const { events } = await s.services.issuance.pageOwnEvents({ role: "provider", keyId: "t", partyId: provider.party.id }, "", () => ({ offset: 0, limit: 1000 }));
    expect(events.some((e) => e.topic === "Әдеп")).toBe(false);
  });

  // ---- 12.3: partial attendance -----------------------------------------------------------------------------------

  it("12.3, 10.6: a participant present part of the event gets a certificate stating the hours attended; it verifies, and the bar credits those", async () => {
    const barMember = async (licence: string) =>
      expect((await s.call("POST", `/api/bars/${ALMATY}/members`, { token: almatyToken, body: { licence, fullName: `Адвокат ${licence}`, admissionDate: "2015-03-01" } })).status).toBeLessThan(300);
    await barMember("430001");
    await barMember("430002");
    const e = await recordEvent({ topic: "Ішінара қатысу" });
    const stored = await putList(e.id, [person("430001", ALMATY, { attendedMinutes: 100 }), person("430002", ALMATY)]);
    expect(stored.participants.map((p: any) => [p.attendedMinutes, p.taughtMinutes])).toEqual([[100, null], [360, null]]);
    const [partial, whole] = await issue(e.id);
    const cert = await s.call("GET", `/api/certificates/${partial!.id}`);
    const vc = decode(cert.body.jwt);
    // The achievement is the event's (8 academic hours); the subject earned 2.2 (100 minutes / 45).
    expect(vc.credentialSubject).toMatchObject({ creditsEarned: 2.2, attendedMinutes: 100 });
    expect(vc.credentialSubject.achievement).toMatchObject({ academicHours: 8, durationMinutes: 360, creditsAvailable: 8 });
    const fullVc = decode((await s.call("GET", `/api/certificates/${whole!.id}`)).body.jwt);
    expect(fullVc.credentialSubject.creditsEarned).toBe(8);
    expect(fullVc.credentialSubject.attendedMinutes).toBeUndefined();
    const verified = await s.call("POST", "/api/verify", { body: { url: partial!.url } });
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body.verified).toBe(true);
    expect(verified.body.summary).toMatchObject({ academicHours: 2.2, durationMinutes: 100 });
    expect((await s.call("POST", "/api/verify", { body: { jwt: cert.body.jwt } })).body.verified).toBe(true);
    const page = await s.fetch(`/c/${partial!.id}?lang=en`);
    expect(await page.text()).toContain('data-field="hours">2.2');
    const report = await s.call("GET", `/api/bars/${ALMATY}/compliance/2026`, { token: almatyToken });
    expect(report.status, report.text).toBe(200);
    const row = (licence: string) => report.body.members.find((m: any) => m.licence === licence);
    expect(row("430001").verifiedHours).toBe(2.2);
    expect(row("430002").verifiedHours).toBe(8);
    // Certified minutes are as fixed as the name on the certificate.
    const change = await s.call("PUT", `/api/events/${e.id}/participants`, { token: provider.token, body: { participants: [person("430001", ALMATY, { attendedMinutes: 300 }), person("430002", ALMATY)] } });
    expect(change.status).toBe(409);
    expect(change.body.code).toBe("participants_locked");
  });

  it("12.3, 5.1(4): minutes out of range or given for the other role are refused (400) in the caller's language; the CSV import reads them under kk/ru/en headers", async () => {
    const e = await recordEvent({ topic: "Минуттар" });
    const bad = await s.call("PUT", `/api/events/${e.id}/participants`, {
      token: provider.token,
      headers: { "accept-language": "en" },
      body: { participants: [person("440001", ALMATY, { attendedMinutes: 361 }), person("440002", ALMATY, { attendedMinutes: 0 }), person("440003", ALMATY, { role: "teacher", attendedMinutes: 10 }), person("440004", ALMATY, { taughtMinutes: 45 }), person("440005", ALMATY, { attendedMinutes: 1.5 })] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toBe("5 problem(s) in the participant list; nothing was stored.");
    expect(bad.body.errors.map((x: any) => [x.path, x.code])).toEqual([
      ["participants/0/attendedMinutes", "attended-minutes-invalid"],
      ["participants/1/attendedMinutes", "attended-minutes-invalid"],
      ["participants/2/attendedMinutes", "attended-minutes-of-teacher"],
      ["participants/3/taughtMinutes", "taught-minutes-of-attendee"],
      ["participants/4/attendedMinutes", "attended-minutes-invalid"],
    ]);
    expect(bad.body.errors[0].message).toBe("attended minutes: whole minutes from 1 to the event's 360 (12.3: partial attendance)");
    expect((await s.call("GET", `/api/events/${e.id}/participants`, { token: provider.token })).body.count).toBe(0);
    // The CSV reader takes the same minutes, under Kazakh, Russian or English column names.
    for (const [header, rows] of [
      ["лицензия;аты-жөні;алқа;рөлі;қатысқан минут;оқытқан минут", ["440001;Адвокат 440001;almaty-city;тыңдаушы;120;", "440002;Адвокат 440002;almaty-city;оқытушы;;90"]],
      ["лицензия;ФИО;коллегия;роль;минут присутствия;минут преподавания", ["440001;Адвокат 440001;almaty-city;слушатель;120;", "440002;Адвокат 440002;almaty-city;преподаватель;;90"]],
      ["licence,name,bar,role,attended minutes,taught minutes", ["440001,Адвокат 440001,almaty-city,attendee,120,", "440002,Адвокат 440002,almaty-city,teacher,,90"]],
    ] as const) {
      const res = await s.call("PUT", `/api/events/${e.id}/participants.csv`, { token: provider.token, raw: [header, ...rows].join("\n"), headers: { "content-type": "text/csv" } });
      expect(res.status, res.text).toBe(200);
      expect(res.body.participants.map((p: any) => [p.role, p.attendedMinutes, p.taughtMinutes])).toEqual([["attendee", 120, null], ["teacher", null, 90]]);
    }
    const badCsv = await s.call("PUT", `/api/events/${e.id}/participants.csv?lang=ru`, { token: provider.token, raw: "licence,name,bar,role,attended minutes\n440001,А,almaty-city,attendee,9999\n440002,Б,almaty-city,attendee,два", headers: { "content-type": "text/csv" } });
    expect(badCsv.status).toBe(422);
    expect(badCsv.body.errors.map((x: any) => [x.path, x.code])).toEqual([["line 2", "attended-minutes-invalid"], ["line 3", "attended-minutes-invalid"]]);
  });

  // ---- 5.1(4): teaching credited by the minutes taught, on courses ------------------------------------------------

  it("5.1(4): a teacher on a course is credited the minutes taught at the policy's percentage, not the whole event; teaching on a seminar is refused", async () => {
    await s.call("POST", `/api/bars/${ALMATY}/members`, { token: almatyToken, body: { licence: "450001", fullName: "Оқытушы 450001", admissionDate: "2015-03-01" } });
    const e = await recordEvent({ topic: "Сабақ жүргізу" });
    await putList(e.id, [person("450001", ALMATY, { role: "teacher", taughtMinutes: 90 })]);
    const [cert] = await issue(e.id);
    const vc = decode((await s.call("GET", `/api/certificates/${cert!.id}`)).body.jwt);
    expect(vc.credentialSubject).toMatchObject({ participationRole: "teacher", taughtMinutes: 90, creditsEarned: 2 });
    const hours = async () => (await s.call("GET", `/api/bars/${ALMATY}/compliance/2026`, { token: almatyToken })).body.members.find((m: any) => m.licence === "450001");
    expect(await hours()).toMatchObject({ verifiedHours: 2, teachingHours: 2 }); // 90 min, 1:1 by default
    expect((await s.call("PUT", `/api/bars/${ALMATY}/policies/2026`, { token: almatyToken, body: { teachingCreditPercent: 150 } })).status).toBe(200);
    expect(await hours()).toMatchObject({ verifiedHours: 3, teachingHours: 3 }); // 135 min
    expect((await s.call("PUT", `/api/bars/${ALMATY}/policies/2026`, { token: almatyToken, body: { teachingCreditPercent: 100 } })).status).toBe(200);
    // A centre's seminar: teaching there earns no teaching credit, so no one is listed as its teacher.
    const seminar = await recordEvent({ topic: "Семинар", form: "seminar" });
    const refused = await s.call("PUT", `/api/events/${seminar.id}/participants?lang=kk`, { token: provider.token, body: { participants: [person("450001", ALMATY, { role: "teacher" })] } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ path: "participants/0/role", code: "teacher-not-on-course", message: expect.stringContaining("5.1(4): сабақ жүргізу тек курстарда") }]);
  });

  // ---- 5.1(3): the co-organising bar confirms -----------------------------------------------------------------------

  it("5.1(3): certificates of a co-organised event are refused (422) until the co-organising bar confirms; another bar may not answer (403); the first answer stands", async () => {
    const org = await accreditedProvider(s, { kind: "organisation", name: "Құқық академиясы" });
    const e = await recordEvent({ topic: "Бірлескен семинар", form: "seminar", coOrganiserBarId: ASTANA }, org.token);
    expect(e.coOrganisation).toEqual({ state: "pending", decidedAt: null, decidedBy: null });
    await putList(e.id, [person("460001", ASTANA)], org.token);
    const refused = await s.call("POST", `/api/events/${e.id}/certificates`, { token: org.token });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: "rule_violated", coOrganiserBarId: ASTANA, coOrganisation: "pending" });
    expect(refused.body.detail).toContain("5.1(3)");
    expect(refused.body.detail).toContain("has not yet confirmed");
    // Only the named bar answers: not another bar, not the RBA for it, not the provider.
    for (const token of [almatyToken, s.adminToken, org.token]) {
      const wrong = await s.call("POST", `/api/events/${e.id}/co-organisation`, { token, body: { decision: "confirm" } });
      expect(wrong.status).toBe(403);
      expect(wrong.body.detail).toContain("only the admin of bar astana-city");
    }
    expect((await s.call("GET", `/api/bars/${ASTANA}/co-organisation-requests`, { token: almatyToken })).status).toBe(403);
    const requests = await s.call("GET", `/api/bars/${ASTANA}/co-organisation-requests`, { token: astanaToken });
    expect(requests.body.events.map((x: any) => x.id)).toContain(e.id);
    // The bar's console lists the request with its two answers, and confirms it.
    const b = consoleBrowser();
    await b.signIn(astanaToken);
    const home = await b.get("/console?lang=en");
    expect(home.text).toMatch(new RegExp(`data-co-organised="${e.id}" data-state="pending">.*?awaiting your answer.*?value="confirm"`, "s"));
    const confirmed = await b.post(`/console/events/${e.id}/co-organisation`, { decision: "confirm" });
    expect(confirmed.status).toBe(303);
    const after = await s.call("GET", `/api/events/${e.id}`, { token: org.token });
    expect(after.body.coOrganisation).toMatchObject({ state: "confirmed", decidedAt: s.clock.now(), decidedBy: expect.stringMatching(/^bar-admin:astana-city:/) });
    expect((await s.call("POST", `/api/events/${e.id}/co-organisation`, { token: astanaToken, body: { decision: "decline" } })).status).toBe(409);
    // Now the certificates are issued and name the bar.
    const [cert] = await issue(e.id, org.token);
    const vc = decode((await s.call("GET", `/api/certificates/${cert!.id}`)).body.jwt);
    expect(vc.credentialSubject.achievement.coOrganiser.id).toContain(`/registry/${ASTANA}`);
    expect((await s.call("POST", "/api/verify", { body: { url: cert!.url } })).body.verified).toBe(true);

    // A declined co-organisation: no certificate ever.
    const declinedEvent = await recordEvent({ topic: "Бас тартылған семинар", form: "seminar", coOrganiserBarId: ASTANA }, org.token);
    await putList(declinedEvent.id, [person("460002", ASTANA)], org.token);
    const declined = await s.call("POST", `/api/events/${declinedEvent.id}/co-organisation`, { token: astanaToken, body: { decision: "decline" } });
    expect(declined.status).toBe(200);
    expect(declined.body.coOrganisation.state).toBe("declined");
    const never = await s.call("POST", `/api/events/${declinedEvent.id}/certificates`, { token: org.token });
    expect(never.status).toBe(422);
    expect(never.body.detail).toContain("declined");
    // An event naming no co-organiser has nothing to answer.
    const plain = await recordEvent({ topic: "Курс" });
    expect((await s.call("POST", `/api/events/${plain.id}/co-organisation`, { token: astanaToken, body: { decision: "confirm" } })).status).toBe(404);
  });

  /** A tiny browser for the console: keeps the session cookie and the page's CSRF token. */
  function consoleBrowser() {
    let cookie = "";
    let csrf = "";
    const request = async (method: string, path: string, form?: Record<string, string>) => {
      const body = form ? new URLSearchParams(form) : undefined;
      const res = await s.fetch(path, { method, body, redirect: "manual", headers: { cookie, ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) } });
      const set = res.headers.get("set-cookie");
      if (set?.startsWith("senim_session=")) cookie = set.split(";")[0]!;
      const text = await res.text();
      const m = /name="_csrf" value="([0-9a-f]{64})"/.exec(text);
      if (m) csrf = m[1]!;
      return { status: res.status, text };
    };
    return {
      signIn: async (apiKey: string) => expect((await request("POST", "/console/sign-in", { apiKey })).status).toBe(303),
      get: (path: string) => request("GET", path),
      post: (path: string, form: Record<string, string>) => request("POST", path, { _csrf: csrf, ...form }),
    };
  }
});

// ---- migration 0016 -----------------------------------------------------------------------------------------------

const before0016 = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < "0016"));

/**
 * Rows written before 0016 — an event whose trainers have no field and which names a co-organiser, a participant with
 * no minutes — stay readable after it: the field "not recorded", the whole event, the co-organisation pending.
 */
async function migrateWithLegacyRows(db: Kysely<any>, schema?: string) {
  const to = async (set: typeof migrations) => {
    const r = await new Migrator({ db, provider: { getMigrations: async () => set }, ...(schema ? { migrationTableSchema: schema } : {}) }).migrateToLatest();
    if (r.error) throw r.error;
  };
  await to(before0016);
  const event = {
    id: "e1", party_id: "p1", topic: "Ескі курс", programme: "criminal", form: "seminar", delivery_mode: "in-person", co_organiser_bar_id: "almaty-city", place: "Алматы",
    starts_at: "2026-03-01T05:00:00Z", ends_at: "2026-03-01T11:00:00Z", duration_minutes: 270, trainers: JSON.stringify([{ name: "Сейтқали Ә." }]), certificates_valid_until: null, created_at: "2026-03-02T05:00:00Z",
  };
  await db.insertInto("events").values(event).execute();
  await db.insertInto("events").values({ ...event, id: "e2", co_organiser_bar_id: null }).execute();
  await db.insertInto("participants").values({ id: "x1", event_id: "e1", licence_number: "100001", full_name: "Адвокат", bar_id: "almaty-city", role: "attendee", email: null, wallet_did: null, position: 0 }).execute();
  await to(migrations);
  const store = new KyselyIssuanceStore({ db, atomic: transactionalAtomic(db), maxParameters: SQLITE_MAX_PARAMETERS });
  const e1 = await store.getEvent("e1");
  expect(e1).toMatchObject({ trainers: [{ name: "Сейтқали Ә." }], coOrganisation: { state: "pending", decidedAt: null, decidedBy: null } });
  expect((await store.getEvent("e2"))!.coOrganisation).toBeUndefined();
  const [list] = await store.participantListsForBar("almaty-city", { from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z" });
  expect(list!.event.id).toBe("e1");
  expect(list!.participants).toEqual([expect.objectContaining({ licenceNumber: "100001", attendedMinutes: null, taughtMinutes: null, certificateId: null, revoked: false })]);
}

describe("migration 0016 keeps the rows recorded before it readable", () => {
  it("on SQLite", () => withForeignKeysOff("sqlite", migrateWithLegacyRows));
  it("on PostgreSQL", () => withForeignKeysOff("postgres", migrateWithLegacyRows));
});
