/**
 * The consoles over HTTP, as a browser without JavaScript uses them: sign in with an API key, a session cookie that
 * never holds the key, CSRF tokens on every form, and the same rules as the API for who may do what.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { accreditedProvider, eventWithParticipants, issued, startSenim, type TestSenim } from "./helpers.js";
import { consoleBrowser } from "./console-browser.js";

const browser = (origin?: string) => consoleBrowser(s.app, origin);

let s: TestSenim;
beforeEach(async () => {
  s = await startSenim();
});
afterEach(async () => s.close());


describe("console sign-in", () => {
  it("sets an HttpOnly, Secure, SameSite=Strict session cookie that is not the API key, and revoking the key ends the session", async () => {
    const provider = await accreditedProvider(s);
    const b = browser();
    expect((await b.get("/console")).location).toBe("/console/sign-in");
    const wrong = await b.post("/console/sign-in", { apiKey: "not-a-real-key-at-all-123" }, false);
    expect(wrong.status).toBe(401);
    const signIn = await b.post("/console/sign-in", { apiKey: provider.token }, false);
    expect(signIn.status).toBe(303);
    expect(signIn.setCookie).toMatch(/^senim_session=[A-Za-z0-9_-]{20,}; Max-Age=28800; Path=\/console; HttpOnly; Secure; SameSite=Strict/);
    expect(signIn.setCookie).not.toContain(provider.token);
    const home = await b.get("/console");
    expect(home.status).toBe(200);
    expect(home.text).toContain(provider.party.name);
    // The key is revoked through the API: the console session ends with it.
    const keys = await s.call("GET", "/api/api-keys", { token: s.adminToken });
    const keyId = keys.body.apiKeys.find((k: any) => k.partyId === provider.party.id).id;
    expect((await s.call("POST", `/api/api-keys/${keyId}/revocation`, { token: s.adminToken })).status).toBe(201);
    expect((await b.get("/console")).location).toBe("/console/sign-in");
  });

  it("a session opened with SENIM_ADMIN_TOKEN ends when the token is replaced (it has no key row to revoke)", async () => {
    const b = browser();
    expect((await b.post("/console/sign-in", { apiKey: s.adminToken }, false)).status).toBe(303);
    expect((await b.get("/console")).status).toBe(200);
    // The same database served with another SENIM_ADMIN_TOKEN, as after replacing the secret and restarting.
    const replaced = await startSenim({ dbFile: join(s.dir, "senim.db") });
    try {
      const res = await replaced.app.request("https://senim.test/console", { headers: { cookie: b.cookie } });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/console/sign-in");
      expect((await b.get("/console")).status).toBe(200); // still fine where the token it was opened with is configured
    } finally {
      await replaced.close();
    }
  });

  it("refuses a form post without the session's CSRF token, and signs out", async () => {
    const provider = await accreditedProvider(s);
    const b = browser();
    await b.post("/console/sign-in", { apiKey: provider.token }, false);
    await b.get("/console");
    const forged = await b.post("/console/events", { topic: "X", _csrf: "0".repeat(64) }, false);
    expect(forged.status).toBe(403);
    expect(forged.text).toContain("<html"); // a page, not JSON
    expect(forged.text).toContain('role="alert"');
    const crossSite = await s.app.request("https://senim.test/console/sign-in", { method: "POST", body: new URLSearchParams({ apiKey: provider.token }), headers: { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" } });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get("set-cookie")).toBeNull();
    const fetchMetadata = await s.app.request("https://senim.test/console/sign-in", { method: "POST", body: new URLSearchParams({ apiKey: provider.token }), headers: { origin: "null", "sec-fetch-site": "cross-site", "content-type": "application/x-www-form-urlencoded" } });
    expect(fetchMetadata.status).toBe(403);
    const out = await b.post("/console/sign-out", {});
    expect(out.location).toBe("/console/sign-in");
    expect((await b.get("/console")).location).toBe("/console/sign-in");
  });
});

describe("provider console", () => {
  it("creates an event, uploads a CSV participant list, issues and revokes, with errors shown on the page", async () => {
    const provider = await accreditedProvider(s);
    const b = browser();
    await b.post("/console/sign-in", { apiKey: provider.token }, false);
    await b.get("/console");
    const bad = await b.post("/console/events", { topic: "", programme: "criminal", form: "course", deliveryMode: "in-person", place: "Алматы", startsAt: "2026-05-20T10:00", endsAt: "2026-05-20T18:00", durationMinutes: "360" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("topic");
    const created = await b.post("/console/events", {
      topic: "Азаматтық процесс", programme: "civil", form: "course", deliveryMode: "in-person", coOrganiserBarId: "", place: "Алматы",
      startsAt: "2026-05-20T10:00", endsAt: "2026-05-20T18:00", durationMinutes: "360",
      // 12.3, 11.1: each trainer with the field of their experience.
      "trainerName-0": "Сейтқали Ә.", "trainerField-0": "Азаматтық процесс", "trainerName-1": "Омарова Г.", "trainerField-1": "Сот практикасы",
    });
    expect(created.status).toBe(303);
    const eventPath = created.location!;
    const event = await b.get(eventPath);
    expect(event.text).toContain("2026-05-20 10:00"); // entered as Kazakhstan time, shown as such
    expect(event.text).toContain("<li>Сейтқали Ә. — Азаматтық процесс</li><li>Омарова Г. — Сот практикасы</li>");
    const upload = await b.post(`${eventPath}/participants`, { csv: "ФИО;Лицензия;Коллегия;Роль\nӘлия Құрманова;123456;almaty-city;attendee\nБолат Серіков;654321;almaty-city;teacher" });
    expect(upload.status).toBe(303);
    // The console reads lists with the API's own CSV reader (src/issuance/participant-csv.ts): a bad row is named by line.
    const badUpload = await b.post(`${eventPath}/participants`, { csv: "licence;name;bar;role\n123456;Әлия;nowhere;attendee" });
    expect(badUpload.status).toBe(422);
    // Every problem in the page's language (Kazakh by default), with its line.
    expect(badUpload.text).toContain("Файлдағы қателер саны: 1");
    expect(badUpload.text).toMatch(/<code>Жол 2<\/code>: алқа: белгісіз алқа &quot;nowhere&quot;/);
    const inRussian = await b.post(`${eventPath}/participants?lang=ru`, { csv: "licence;name;bar;role\n123456;Әлия;almaty-city;boss\n123456;Болат;almaty-city;attendee" });
    expect(inRussian.text).toContain("Ошибок в файле: 2");
    expect(inRussian.text).toContain("<code>Строка 2</code>: роль: слушатель (attendee) или преподаватель (teacher) (5.1.4)");
    expect(inRussian.text).toContain("<code>Строка 3</code>: лицензия: 123456 повторяет строку 2");
    const inEnglish = await b.post(`${eventPath}/participants?lang=en`, { csv: "licence;name;bar;role\n123456;Әлия;nowhere;attendee" });
    expect(inEnglish.text).toContain("<code>Line 2</code>: bar: unknown bar &quot;nowhere&quot; (use the bar&#39;s id, e.g. almaty-city)");
    expect((await b.post(`${eventPath}/issue`, {})).status).toBe(303);
    const issuedPage = await b.get(eventPath);
    expect(issuedPage.text).toContain('data-issued="2"');
    const certId = /data-participant="123456" data-certificate="([0-9a-z]+)"/.exec(issuedPage.text)![1]!;
    const revoke = await b.post(`/console/certificates/${certId}/revoke`, { reason: "Қате", confirm: "yes", eventId: eventPath.split("/").pop()! });
    expect(revoke.status).toBe(303);
    expect((await b.get(eventPath)).text).toMatch(new RegExp(`data-certificate="${certId}" data-revoked="true"`));
    const verified = await s.call("POST", "/api/verify", { body: { url: `https://senim.test/c/${certId}` } });
    expect(verified.body.checks.find((c: any) => c.check === "status").outcome).toBe("failed");
    // A provider may not accredit (3.1.5, 4.1.4): the same rule as the API.
    const forbidden = await b.post("/console/accreditations", { partyId: provider.party.id, barId: "almaty-city", decisionNumber: "1", decisionDate: "2026-01-01", criterion: "education-licence", "evidence-education-licence": "x", validFrom: "2026-01-01" });
    expect(forbidden.status).toBe(403);
  });

  it("another provider's event answers as absent", async () => {
    const a = await accreditedProvider(s, { name: "A" });
    const other = await accreditedProvider(s, { name: "B" });
    const b = browser();
    await b.post("/console/sign-in", { apiKey: a.token }, false);
    await b.get("/console");
    const created = await b.post("/console/events", { topic: "T", programme: "civil", form: "course", deliveryMode: "online", place: "Online", startsAt: "2026-05-20T10:00", endsAt: "2026-05-20T18:00", durationMinutes: "360", "trainerName-0": "Т", "trainerField-0": "Азаматтық процесс" });
    expect(created.status).toBe(303);
    const b2 = browser();
    await b2.post("/console/sign-in", { apiKey: other.token }, false);
    expect((await b2.get(created.location!)).status).toBe(404);
  });
});

describe("bar console", () => {
  it("a bar's admin accredits (9.1) and withdraws (9.2) for its own bar only", async () => {
    const party = await s.call("POST", "/api/parties", { token: s.adminToken, body: { kind: "organisation", name: "Заң академиясы", barId: "almaty-city" } });
    const barKey = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "clerk" } })).body.token;
    const b = browser();
    await b.post("/console/sign-in", { apiKey: barKey }, false);
    const home = await b.get("/console");
    expect(home.text).toContain("Заң академиясы");
    const noCriterion = await b.post("/console/accreditations", { partyId: party.body.id, barId: "almaty-city", decisionNumber: "12-П", decisionDate: "2026-02-01", validFrom: "2026-02-01" });
    expect(noCriterion.status).toBe(400); // 9.1: at least one criterion
    const otherBar = await b.post("/console/accreditations", { partyId: party.body.id, barId: "astana-city", decisionNumber: "12-П", decisionDate: "2026-02-01", criterion: "academic-degree", "evidence-academic-degree": "PhD", validFrom: "2026-02-01" });
    expect(otherBar.status).toBe(403);
    const ok = await b.post("/console/accreditations", { partyId: party.body.id, barId: "almaty-city", decisionNumber: "12-П", decisionDate: "2026-02-01", criterion: "academic-degree", "evidence-academic-degree": "PhD", programmes: ["civil", "criminal"], validFrom: "2026-02-01" });
    expect(ok.location).toBe("/console?done=1");
    const list = await b.get("/console");
    const accId = new RegExp(`data-accreditation="([0-9a-z]+)" data-party="${party.body.id}" data-state="active"`).exec(list.text)![1]!;
    const withdrawn = await b.post(`/console/accreditations/${accId}/withdraw`, { ground: "non-compliance", decisionNumber: "20-П", decisionDate: "2026-05-01", reason: "9.1 criteria no longer met", confirm: "yes" });
    expect(withdrawn.status).toBe(303);
    expect((await b.get("/console")).text).toContain(`data-accreditation="${accId}" data-party="${party.body.id}" data-state="withdrawn"`);
    const page = await s.call("GET", `/providers/${party.body.id}?lang=en`);
    expect(page.text).toContain("withdrawn (9.2)");
    expect(page.text).toContain("№ 20-П, 2026-05-01");
  });
});

describe("bar console: registering a provider, its key, violations", () => {
  it("a bar registers a centre, gives it a key shown once that signs in, records violations, and withdraws for repeated violations (9.2)", async () => {
    const barKey = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "clerk" } })).body.token;
    const b = browser();
    await b.post("/console/sign-in", { apiKey: barKey }, false);
    await b.get("/console");
    expect((await b.post("/console/parties", { kind: "centre", name: "Жаңа орталық", barId: "almaty-city", website: "", city: "Алматы", address: "Төле би к-сі 59" })).status).toBe(303);
    const home = await b.get("/console");
    const partyId = /<option value="([0-9a-z]+)">Жаңа орталық/.exec(home.text)![1]!;
    expect((await s.call("GET", `/api/parties/${partyId}`)).body).toMatchObject({ city: "Алматы", address: "Төле би к-сі 59" }); // 8.3
    const keyPage = await b.post("/console/api-keys", { partyId, label: "office" });
    expect(keyPage.status).toBe(200);
    const token = /data-new-token="?[^>]*>([^<]+)</.exec(keyPage.text)![1]!;
    expect((await b.get("/console")).text).not.toContain(token); // shown once
    const p = browser();
    expect((await p.post("/console/sign-in", { apiKey: token }, false)).status).toBe(303);
    expect((await p.get("/console")).text).toContain("Жаңа орталық");
    expect((await p.post("/console/api-keys", { partyId, label: "x" })).status).toBe(403);

    await b.post("/console/accreditations", { partyId, barId: "almaty-city", decisionNumber: "3-П", decisionDate: "2026-01-10", criterion: "education-licence", "evidence-education-licence": "Licence", validFrom: "2026-01-10" });
    const accId = new RegExp(`data-accreditation="([0-9a-z]+)" data-party="${partyId}"`).exec((await b.get("/console")).text)![1]!;
    const early = await b.post(`/console/accreditations/${accId}/withdraw`, { ground: "repeated-violations", decisionNumber: "9-П", decisionDate: "2026-05-01", reason: "r", confirm: "yes" });
    expect(early.status).toBe(422); // 9.2: repeated violations need two recorded
    for (const day of ["2026-03-01", "2026-04-01"]) {
      expect((await b.post(`/console/accreditations/${accId}/violations`, { occurredOn: day, description: "Сертификат мерзімінен бұрын берілді" })).status).toBe(303);
    }
    expect((await b.post(`/console/accreditations/${accId}/withdraw`, { ground: "repeated-violations", decisionNumber: "9-П", decisionDate: "2026-05-01", reason: "r", confirm: "yes" })).status).toBe(303);
    expect((await b.get("/console")).text).toContain(`data-accreditation="${accId}" data-party="${partyId}" data-state="withdrawn"`);
  });
});

describe("bar console: bookkeeping (issue 6's services in issue 7's console)", () => {
  const signInBar = async (barId = "almaty-city") => {
    const key = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId, label: "registry office" } })).body.token;
    const b = browser();
    await b.post("/console/sign-in", { apiKey: key }, false);
    return { b, key };
  };

  it("2.3: members — list, add, CSV import (all or nothing), suspensions; CSRF and the bar's own members only", async () => {
    const { b } = await signInBar();
    const home = await b.get("/console");
    expect(home.text).toContain('href="/console/members"');
    expect((await b.get("/console/members")).status).toBe(200);

    const bad = await b.post("/console/members", { licence: "1001", fullName: "Ким Мария", admissionDate: "2030-01-01", email: "" });
    expect(bad.status).toBe(400);
    // Issue 16: said in the page's language (Kazakh by default), the problem's code beside it.
    expect(bad.text).toContain('data-problem-code="admission-date-future"');
    expect(bad.text).toContain("қабылданған күні: әлі келмеген күн");
    expect(bad.text).not.toContain("is in the future");
    const added = await b.post("/console/members", { licence: "10 01", fullName: "Ким  Мария", admissionDate: "2019-02-01", email: "m@example.kz" });
    expect(added.status).toBe(303);
    expect(added.location).toBe("/console/members?done=1");
    const list = await b.get("/console/members");
    expect(list.text).toContain('data-member="1001"');
    expect(list.text).toContain("Ким Мария"); // normalised as by the API

    // The same reader as POST /api/bars/{bar}/members.csv: one bad row refuses the whole file, named by its line.
    const refused = await b.post("/console/members/import", { csv: "licence;name;admission date;email\n1002;Әсел;2019-02-01;\n1003;;2019-02-01;\n" });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain("<code>Жол 3</code>: аты-жөні: міндетті, ең көбі 300 таңба");
    expect((await s.call("GET", "/api/bars/almaty-city/members", { token: (await signInBar()).key })).body.count).toBe(1);
    const imported = await b.post("/console/members/import", { csv: "licence;name;admission date;email\n1002;Әсел;2019-02-01;\n1003;Болат;2020-09-01;\n" });
    expect(imported.status).toBe(303);
    expect((await b.get("/console/members")).text).toContain('data-member="1003"');

    const suspended = await b.post("/console/members/1002/suspensions", { from: "2026-01-01", until: "2026-03-31", reason: "2.3" });
    expect(suspended.status).toBe(303);
    const withSuspension = await b.get("/console/members");
    const suspensionId = /data-suspension="([0-9a-z]+)"/.exec(withSuspension.text)![1]!;
    expect(withSuspension.text).toContain("2026-01-01 – 2026-03-31");
    const forged = await b.post(`/console/suspensions/${suspensionId}/delete`, { _csrf: "0".repeat(64) }, false);
    expect(forged.status).toBe(403);
    expect((await b.post(`/console/suspensions/${suspensionId}/delete`, {})).status).toBe(303);
    expect((await b.get("/console/members")).text).not.toContain("data-suspension=");

    // Another bar's admin sees its own (empty) list; the RBA's admin keeps no members (the API's rule).
    const other = await signInBar("astana-city");
    expect((await other.b.get("/console/members")).text).not.toContain('data-member="1001"');
    const rbaKey = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "rba-admin", label: "rba" } })).body.token;
    const rba = browser();
    await rba.post("/console/sign-in", { apiKey: rbaKey }, false);
    expect((await rba.get("/console/members")).status).toBe(403);
  });

  it("the year's policy, the compliance report (12.1) and the annual analysis (3.2) read as the API does", async () => {
    await issued(s, 2); // licences 100000 (teaches) and 100001 of almaty-city, 8 academic hours each, in 2026
    const { b, key } = await signInBar();
    await b.get("/console");
    for (const [licence, name] of [["100000", "Қатысушы 1"], ["100001", "Қатысушы 2"]] as const) {
      expect((await b.post("/console/members", { licence, fullName: name, admissionDate: "2015-03-01", email: "" })).status).toBe(303);
    }
    const empty = await b.get("/console/policy?year=2026");
    expect(empty.text).toContain('data-configured="false"');
    expect((await b.post("/console/policy", { year: "2026", requiredAcademicHours: "abc", teachingCreditPercent: "100" })).status).toBe(400);
    const set = await b.post("/console/policy", { year: "2026", requiredAcademicHours: "10", foundationsOperator: "<", foundationsYears: "1", teachingCreditPercent: "100", prorate: "1" });
    expect(set.status).toBe(303);
    expect(set.location).toBe("/console/policy?year=2026&done=1");
    expect((await b.get("/console/policy?year=2026")).text).toContain('data-configured="true"');
    const policy = (await s.call("GET", "/api/bars/almaty-city/policies/2026", { token: key })).body;
    expect(policy).toMatchObject({ requiredAcademicHours: 10, foundationsRule: { operator: "<", years: 1 }, teachingCreditPercent: 100, prorate: true });

    const report = await b.get("/console/compliance?year=2026");
    expect(report.status).toBe(200);
    const api = (await s.call("GET", "/api/bars/almaty-city/compliance/2026", { token: key })).body;
    for (const m of api.members) expect(report.text).toContain(`data-licence="${m.licence}" data-status="${m.status}"`);
    expect(api.members.map((m: any) => m.status)).toEqual(["short", "short"]); // 8 of 10 hours
    expect(report.text).toContain('action="/console/sign-out"'); // inside the console's frame, not the bare ?format=html page

    const analysis = await b.get("/console/analysis?year=2026");
    expect(analysis.status).toBe(200);
    expect(analysis.text).toContain('data-field="certificates">2<');
    expect(analysis.text).toContain("<svg");
    expect((await b.get("/console/analysis?year=1999")).status).toBe(400);
  });
});

describe("provider console: survey links for delivery (7.5)", () => {
  it("the event page makes each participant's own link, shown once; the link opens the survey", async () => {
    const { provider, event, certificates } = await issued(s, 2);
    const b = browser();
    await b.post("/console/sign-in", { apiKey: provider.token }, false);
    const page = await b.get(`/console/events/${event.id}?lang=en`);
    expect(page.text).toContain(`action="/console/events/${event.id}/survey-links"`);
    expect(page.text).not.toContain("/survey/"); // the event page itself holds no link
    // Without the form's CSRF token nothing is made.
    expect((await b.post(`/console/events/${event.id}/survey-links`, {}, false)).status).toBe(403);
    const links = await b.post(`/console/events/${event.id}/survey-links?lang=en`, {});
    expect(links.status).toBe(200);
    expect(links.text).toContain("Survey links for the participants (7.5)");
    const shown = [...links.text.matchAll(/data-field="survey">https:\/\/senim\.test(\/survey\/[A-Za-z0-9_-]{22})</g)].map((m) => m[1]!);
    expect(shown).toHaveLength(2);
    expect(links.text).toContain(`/c/${certificates[0]!.id}.pdf?survey=`);
    // The issuing response's links were replaced by these.
    expect((await s.call("GET", new URL(certificates[0]!.survey!).pathname)).status).toBe(404);
    expect((await s.call("POST", shown[0]!, { body: { quality: 5, effectiveness: 5, usefulness: 5 } })).status).toBe(201);
    // Another provider's console cannot make them.
    const other = await accreditedProvider(s, { name: "Бөтен орталық" });
    const b2 = browser();
    await b2.post("/console/sign-in", { apiKey: other.token }, false);
    await b2.get("/console");
    expect((await b2.post(`/console/events/${event.id}/survey-links`, {})).text).not.toContain("/survey/");
  });
});

describe("provider console: survey results (7.5)", () => {
  it("shows the provider's own results, with averages only from enough answers", async () => {
    const { provider, certificates } = await issued(s, 3);
    const other = await accreditedProvider(s, { name: "Басқа орталық" });
    const b = browser();
    await b.post("/console/sign-in", { apiKey: provider.token }, false);
    expect((await b.get("/console")).text).toContain('href="/console/surveys"');
    for (const [i, c] of certificates.entries()) {
      expect((await s.call("POST", new URL(c.survey!).pathname, { body: { quality: 5, effectiveness: 4, usefulness: 3 + (i % 2), comment: i === 0 ? "Пайдалы болды" : null } })).status).toBe(201);
    }
    const page = await b.get("/console/surveys?lang=en");
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/data-overall="1"><th>Overall<\/th><td>3<\/td><td>5\.00<\/td><td>4\.00<\/td><td>3\.33<\/td>/);
    expect(page.text).toContain("Пайдалы болды");
    const b2 = browser();
    await b2.post("/console/sign-in", { apiKey: other.token }, false);
    const theirs = await b2.get("/console/surveys?lang=en");
    expect(theirs.text).toMatch(/data-overall="1"><th>Overall<\/th><td>0<\/td><td>—<\/td>/);
    expect(theirs.text).not.toContain("Пайдалы болды");
  });
});

describe("provider console: certificate delivery (issue 13)", () => {
  it("the event page shows each participant's message state, says when sending is not configured, and sends again", async () => {
    const { provider, event, certificates } = await issued(s, 3);
    const b = browser();
    await b.post("/console/sign-in", { apiKey: provider.token }, false);
    for (const [lang, notConfigured] of [["en", "Sending is not configured"], ["ru", "Отправка"], ["kk", "хат жіберу бапталмаған"]] as const) {
      const page = await b.get(`/console/events/${event.id}?lang=${lang}`);
      expect(page.status).toBe(200);
      expect(page.text, lang).toContain('id="delivery"');
      expect(page.text, lang).toContain(notConfigured);
    }
    const page = await b.get(`/console/events/${event.id}?lang=en`);
    // Every issued participant has a row; the helpers' participants have addresses, so each is queued.
    for (const c of certificates) expect(page.text).toContain(`data-delivery="${c.id}" data-state="queued"`);
    expect(page.text).toContain("p0@example.kz");
    // Without the form's CSRF token nothing is sent again.
    expect((await b.post(`/console/events/${event.id}/deliveries/resend`, { certificateId: certificates[0]!.id }, false)).status).toBe(403);
    const resent = await b.post(`/console/events/${event.id}/deliveries/resend`, { certificateId: certificates[0]!.id });
    expect(resent.status).toBe(303);
    expect(resent.location).toBe(`/console/events/${event.id}?resent=1#delivery`);
    expect((await b.get(`/console/events/${event.id}?resent=1&lang=en`)).text).toContain("1 message(s) queued again.");
    // Another provider's console cannot send this event's messages again.
    const other = await accreditedProvider(s, { name: "Үшінші орталық" });
    const b2 = browser();
    await b2.post("/console/sign-in", { apiKey: other.token }, false);
    await b2.get("/console");
    const refused = await b2.post(`/console/events/${event.id}/deliveries/resend?lang=en`, { certificateId: certificates[0]!.id });
    expect(refused.status).toBe(404);
    expect(refused.text).not.toContain("queued again");
  });
});

describe("issue 16: the provider's and admin's console", () => {
  /** A browser signed in with `apiKey`, its first page read (for the CSRF token). */
  async function signedIn(apiKey: string) {
    const b = browser();
    await b.post("/console/sign-in", { apiKey }, false);
    await b.get("/console");
    return b;
  }
  const eventForm = { topic: "Дәлелдемелер", programme: "criminal", form: "course", deliveryMode: "in-person", coOrganiserBarId: "", place: "Алматы", startsAt: "2026-07-02T18:00", endsAt: "2026-07-02T10:00", durationMinutes: "360", "trainerName-0": "Сейтқали Ә.", "trainerField-0": "Қылмыстық процесс" };

  it("the provider's own events are paged (100 a page, newest first) and searched by topic in any case", async () => {
    const provider = await accreditedProvider(s);
    const principal = { role: "provider" as const, keyId: "k", partyId: provider.party.id };
    const base = { programme: "criminal" as const, form: "course" as const, deliveryMode: "online" as const, place: "Алматы", startsAt: "2026-05-01T05:00:00Z", endsAt: "2026-05-01T06:00:00Z", durationMinutes: 45, trainers: [{ name: "Т", field: "Қылмыстық процесс" }] };
    for (let i = 0; i < 104; i++) {
      await s.services.issuance.createEvent(principal, { ...base, topic: i === 3 ? "Медиация: негіздері" : `Тақырып ${String(i).padStart(3, "0")}` });
      s.clock.advance(1_000); // distinct creation times: the order is the clock's, not the ids'
    }
    const b = await signedIn(provider.token);
    const first = await b.get("/console?lang=kk");
    expect(first.text.match(/<tr data-event=/g)).toHaveLength(100);
    expect(first.text).toContain("Тақырып 103"); // the newest first
    expect(first.text).toContain('href="/console?page=2" rel="next"');
    const second = await b.get("/console?page=2");
    expect(second.text.match(/<tr data-event=/g)).toHaveLength(4);
    expect(second.text).toContain("Тақырып 000");
    // Past the end: the last page.
    expect((await b.get("/console?page=99")).text.match(/<tr data-event=/g)).toHaveLength(4);
    const found = await b.get(`/console?q=${encodeURIComponent("медиация")}`);
    expect(found.text.match(/<tr data-event=/g)).toHaveLength(1);
    expect(found.text).toContain("Медиация: негіздері");
    expect(found.text).toContain('value="медиация"');
    // The new-event form is still there, after the list.
    expect(found.text).toContain('data-form="event"');
  });

  it("an event of 5,000 participants is paged (100 rows), searched by name or licence, under 300 KB, with the upload and Issue above the table and the whole list as CSV", async () => {
    const { provider, event } = await issued(s, 5000);
    const b = await signedIn(provider.token);
    const page = await b.get(`/console/events/${event.id}`);
    expect(page.status).toBe(200);
    expect(Buffer.byteLength(page.text)).toBeLessThan(300_000);
    expect(page.text.match(/<tr data-participant=/g)).toHaveLength(100);
    expect(page.text).toContain('data-participants="5000"');
    expect(page.text).toContain('data-issued="5000"');
    expect(page.text).toContain('data-page="1" data-pages="50"');
    // The list's upload and the Issue button come before the table.
    const table = page.text.indexOf("<table");
    expect(page.text.indexOf(`action="/console/events/${event.id}/participants"`)).toBeLessThan(table);
    expect(page.text.indexOf(`action="/console/events/${event.id}/issue"`)).toBeLessThan(table);
    // Revoking is a step of its own: a link per row, not 5,000 forms.
    expect(page.text).not.toContain('name="reason"');
    const last = await b.get(`/console/events/${event.id}?page=50`);
    expect(last.text.match(/<tr data-participant=/g)).toHaveLength(100);
    expect(last.text).toContain('data-participant="104999"');
    expect(last.text).not.toContain('data-participant="100000"');
    const byName = await b.get(`/console/events/${event.id}?q=${encodeURIComponent("қатысушы 4321")}`); // any letter case
    expect(byName.text.match(/<tr data-participant=/g)).toHaveLength(1);
    expect(byName.text).toContain('data-participant="104320"');
    const byLicence = await b.get(`/console/events/${event.id}?q=10432`);
    expect(byLicence.text.match(/<tr data-participant=/g)).toHaveLength(10); // 104320–104329
    expect((await b.get(`/console/events/${event.id}?q=nobody`)).text).toContain("nobody");

    const csv = await s.app.request(`https://senim.test/console/events/${event.id}/participants.csv`, { headers: { cookie: b.cookie } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toContain("attachment");
    const lines = (await csv.text()).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines).toHaveLength(5001);
    expect(lines[1]).toMatch(/^100000,Қатысушы 1,almaty-city,teacher,360,[0-9a-z]+,/);
    // Another provider's session sees neither the page nor the file.
    const other = await signedIn((await accreditedProvider(s, { name: "Басқа орталық" })).token);
    expect((await other.get(`/console/events/${event.id}`)).status).toBe(404);
    const foreign = await s.app.request(`https://senim.test/console/events/${event.id}/participants.csv`, { headers: { cookie: other.cookie } });
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).not.toContain("100000");
    // Without a session, the sign-in page.
    expect((await s.app.request(`https://senim.test/console/events/${event.id}/participants.csv`)).status).toBe(303);
  }, 120_000);

  it("a refused event form comes back filled, the problem beside its field, in kk and ru (not a page with a back link)", async () => {
    const provider = await accreditedProvider(s);
    const b = await signedIn(provider.token);
    const said = { kk: { rule: "Аяқталуы басталуынан кейін болуы керек.", required: "міндетті өріс" }, ru: { rule: "Окончание должно быть позже начала.", required: "обязательное поле" } };
    for (const lang of ["kk", "ru"] as const) {
      const refused = await b.post(`/console/events?lang=${lang}`, eventForm);
      expect(refused.status).toBe(422);
      expect(refused.text).toContain(`<html lang="${lang}"`);
      expect(refused.text).toContain('data-form="event"');
      expect(refused.text).toContain('value="Дәлелдемелер"');
      expect(refused.text).toContain('value="2026-07-02T18:00"');
      expect(refused.text).toContain('value="2026-07-02T10:00"');
      expect(refused.text).toContain('value="Сейтқали Ә."');
      expect(refused.text).toMatch(/<option value="criminal" selected/);
      expect(refused.text).toMatch(new RegExp(`name="endsAt"[^>]*aria-invalid="true"[^>]*/?>\\s*<span class="field-problem" id="problem-event-endsAt" data-problem-field="endsAt"><span>${said[lang].rule}</span>`));
      expect(refused.text).not.toContain(">Back<");
      // A field left empty: the schema's problem beside the field, in the page's language.
      const empty = await b.post(`/console/events?lang=${lang}`, { ...eventForm, topic: "", endsAt: "2026-07-02T19:00" });
      expect(empty.status).toBe(400);
      expect(empty.text).toContain(`data-problem-field="topic"><span data-problem-code="value-required">${said[lang].required}</span>`);
      expect(empty.text).toContain('value="2026-07-02T19:00"');
    }
    expect((await s.call("GET", "/api/events", { token: provider.token })).body.events ?? []).toHaveLength(0);
  });

  it("a refused participant list comes back in the text box with its lines' problems", async () => {
    const provider = await accreditedProvider(s);
    const event = await eventWithParticipants(s, provider.token, { n: 2 });
    const b = await signedIn(provider.token);
    const csv = "licence;name;bar;role\n123456;Әлия;nowhere;attendee";
    const refused = await b.post(`/console/events/${event.id}/participants`, { csv });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain("123456;Әлия;nowhere;attendee</textarea>");
    expect(refused.text).toMatch(/<ul class="form-problems" data-problems="participants"><li data-problem-code="[a-z-]+" data-path="line 2">/);
    expect(refused.text).toContain('data-participants="2"'); // nothing was stored
  });

  it("a new API key is shown once at the top of the page with a copy button, and registering says what was registered", async () => {
    const barKey = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "clerk" } })).body.token;
    const b = await signedIn(barKey);
    const registered = await b.post("/console/parties?lang=en", { kind: "centre", name: "Жаңа орталық", barId: "almaty-city", website: "", city: "", address: "" });
    expect(registered.status).toBe(303);
    const partyId = /registered=([0-9a-z]+)/.exec(registered.location!)![1]!;
    const after = await b.get(registered.location!.replace("?", "?lang=en&"));
    expect(after.text).toMatch(new RegExp(`<p class="notice" role="status">Registered: Жаңа орталық \\([^)]+\\), id ${partyId}\\.`));
    expect(after.text).toMatch(new RegExp(`<form class="stack" method="post" action="/console/api-keys" data-form="api-key">[\\s\\S]*?<option value="${partyId}" selected`));
    const keyPage = await b.post("/console/api-keys", { role: "provider", partyId, label: "office" });
    expect(keyPage.status).toBe(200);
    const token = /data-new-token="?[^>]*>([^<]+)</.exec(keyPage.text)![1]!;
    // At the top: right under the page's heading, before every section of the console.
    const top = keyPage.text.indexOf("data-secret");
    expect(top).toBeGreaterThan(keyPage.text.indexOf("<h1>"));
    expect(top).toBeLessThan(keyPage.text.indexOf("<h2", keyPage.text.indexOf("data-secret") + 200));
    expect(top).toBeLessThan(keyPage.text.indexOf('id="register"'));
    expect(keyPage.text).toContain('<script src="/js/copy.js" defer');
    expect(keyPage.text).toMatch(/<button type="button" hidden(="")? data-copy="new-secret"/);
    expect(keyPage.text).toContain("Жаңа орталық");
    expect((await signedIn(token).then((p) => p.get("/console"))).text).toContain("Жаңа орталық");
    // A refused key form comes back filled: the label left empty.
    const refused = await b.post("/console/api-keys", { role: "provider", partyId, label: "" });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('data-problem-field="label"');
    expect(refused.text).not.toContain("data-new-token");
  });

  it("revoking needs a reason and the box ticked: without either it is refused and nothing changes", async () => {
    const { provider, event, certificates } = await issued(s, 2);
    const id = certificates[0]!.id;
    const b = await signedIn(provider.token);
    const confirm = await b.get(`/console/certificates/${id}/revoke?eventId=${event.id}`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('<input type="checkbox" name="confirm" value="yes" required');
    expect(confirm.text).toContain("Қатысушы");
    const noBox = await b.post(`/console/certificates/${id}/revoke`, { reason: "Қате енгізілген", eventId: event.id });
    expect(noBox.status).toBe(400);
    expect(noBox.text).toContain("Қате енгізілген</textarea>");
    expect(noBox.text).toContain('data-problem-field="confirm"');
    const noReason = await b.post(`/console/certificates/${id}/revoke`, { reason: "", confirm: "yes", eventId: event.id });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('data-problem-field="reason"');
    expect((await s.call("GET", `/api/certificates/${id}/status`)).body).not.toMatchObject({ revoked: true });
    expect((await b.get(`/console/events/${event.id}`)).text).toContain(`data-certificate="${id}" data-revoked="false"`);
    const done = await b.post(`/console/certificates/${id}/revoke`, { reason: "Қате енгізілген", confirm: "yes", eventId: event.id });
    expect(done.status).toBe(303);
    expect((await b.get(`/console/events/${event.id}`)).text).toContain(`data-certificate="${id}" data-revoked="true"`);
    // Another provider may not even see the step.
    const other = await signedIn((await accreditedProvider(s, { name: "Басқа" })).token);
    expect((await other.get(`/console/certificates/${certificates[1]!.id}/revoke`)).status).toBe(403);
  });

  it("withdrawing an accreditation without the box ticked is refused, the form open and filled, the accreditation in force", async () => {
    const provider = await accreditedProvider(s);
    const barKey = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "clerk" } })).body.token;
    const b = await signedIn(barKey);
    const accId = provider.accreditation.id as string;
    const refused = await b.post(`/console/accreditations/${accId}/withdraw?lang=ru`, { ground: "non-compliance", decisionNumber: "31-П", decisionDate: "2026-06-02", reason: "критерии не соблюдаются" });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(`<details open="" id="withdraw-${accId}">`);
    expect(refused.text).toContain('value="31-П"');
    expect(refused.text).toContain("критерии не соблюдаются</textarea>");
    expect(refused.text).toContain('data-problem-field="confirm"><span>Поставьте эту отметку, чтобы подтвердить.</span>');
    expect((await b.get("/console")).text).toContain(`data-accreditation="${accId}" data-party="${provider.party.id}" data-state="active"`);
  });

  it("the admin console creates a bar-admin key for a bar of the registry, and that key then calls the bar's API", async () => {
    const admin = await signedIn(s.adminToken);
    const home = await admin.get("/console?lang=en");
    expect(home.text).toContain('data-form="bar-key"');
    expect(home.text).toMatch(/data-form="bar-key">[\s\S]*?<option value="astana-city"/);
    const created = await admin.post("/console/api-keys", { role: "bar-admin", barId: "almaty-city", label: "registry office" });
    expect(created.text.slice(created.text.indexOf("<main"), created.text.indexOf("<main") + 600)).toContain("data-secret");
    expect(created.status).toBe(200);
    const token = /data-new-token="?[^>]*>([^<]+)</.exec(created.text)![1]!;
    expect((await s.call("GET", "/api/bars/almaty-city/members", { token })).status).toBe(200);
    expect((await s.call("GET", "/api/bars/astana-city/members", { token })).status).toBe(403);
    // A bar's admin is offered its own bar only, and is refused another's.
    const clerk = await signedIn(token);
    const own = await clerk.get("/console");
    expect(own.text).not.toMatch(/data-form="bar-key">[\s\S]*?<option value="astana-city"[\s\S]*?data-form="accreditation"/);
    expect((await clerk.post("/console/api-keys", { role: "bar-admin", barId: "astana-city", label: "x" })).status).toBe(403);
    // A refused bar-key form (no label) keeps the bar chosen.
    const refused = await admin.post("/console/api-keys", { role: "bar-admin", barId: "astana-city", label: "" });
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(/data-form="bar-key">[\s\S]*?<option value="astana-city" selected/);
  });
});
