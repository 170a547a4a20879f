/**
 * Issue 16: the bar console at the size of a real year — 2,000 members and their compliance rows — over HTTP: lists
 * paged and searched with a count and a CSV of the whole list, the report's "only those short" filter (the API's
 * /short) and its files, closing a year only with the box ticked, and a refused form coming back filled in.
 */
import { afterEach, describe, expect, it } from "vitest";
import { accreditedProvider, eventWithParticipants, issued, startSenim, type TestSenim } from "./helpers.js";
import { consoleBrowser } from "./console-browser.js";

let s: TestSenim;
afterEach(async () => s?.close());

const browser = () => consoleBrowser(s.app);
const BAR = "almaty-city";
const MEMBERS = 2_000;
/** The console's page budget (issue 16: no console page over 300 KB with the seed:demo data). */
const PAGE_BUDGET = 300 * 1024;

/** A tiny browser: keeps the session cookie, posts forms, reads the CSRF token from the last page. */

async function signInBar() {
  const key = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: BAR, label: "registry office" } })).body.token as string;
  const b = browser();
  expect((await b.post("/console/sign-in", { apiKey: key })).status).toBe(303);
  await b.get("/console");
  return { b, key };
}

/** Licences 100000… (the first two are the participants `issued` certifies), names in Kazakh with a few to find. */
const memberName = (i: number) => (i % 50 === 7 ? `Құрманова Әлия ${i}` : `Мүше ${String(i).padStart(4, "0")}`);
const membersCsv = (n: number) => ["licence;name;admission date;email", ...Array.from({ length: n }, (_, i) => `${100000 + i};${memberName(i)};2015-03-01;`)].join("\n");

const rows = (html: string, attribute: string) => [...html.matchAll(new RegExp(`${attribute}="([^"]+)"`, "g"))].map((m) => m[1]!);

describe("bar console lists at 2,000 members (issue 16)", () => {
  it("members: 100 a page, searched by name or licence, counted, and the whole list as CSV in the page's language", async () => {
    s = await startSenim();
    const { b, key } = await signInBar();
    expect((await b.post("/console/members/import", { csv: membersCsv(MEMBERS) })).status).toBe(303);
    const api = (await s.call("GET", `/api/bars/${BAR}/members`, { token: key })).body.members as { licence: string; fullName: string }[];
    expect(api).toHaveLength(MEMBERS);

    const first = await b.get("/console/members?lang=ru");
    expect(first.status).toBe(200);
    expect(first.bytes.length).toBeLessThan(PAGE_BUDGET);
    expect(rows(first.text, "data-member")).toHaveLength(100);
    expect(first.text).toContain('data-total="2000"');
    expect(first.text).toMatch(/Всего: 2\s000 · Строки 1–100 из 2\s000/u); // grouped as Russian writes numbers
    expect(first.text).toContain('data-page="1" data-pages="20"');
    expect(first.text).toContain('href="/console/members?page=2" rel="next"');

    // Every page in turn is the API's list in its order, no member twice or missed.
    const paged: string[] = [];
    for (let page = 1; page <= 20; page++) {
      const res = await b.get(`/console/members?page=${page}`);
      expect(res.bytes.length).toBeLessThan(PAGE_BUDGET);
      paged.push(...rows(res.text, "data-member"));
    }
    expect(paged).toEqual(api.map((m) => m.licence));
    // Past the end: the last page, not an empty one.
    expect(rows((await b.get("/console/members?page=99")).text, "data-member")).toEqual(api.slice(1900).map((m) => m.licence));

    // A name in any letter case (Kazakh letters too), a licence.
    const kurmanova = api.filter((m) => m.fullName.startsWith("Құрманова"));
    expect(kurmanova).toHaveLength(40);
    const found = await b.get(`/console/members?q=${encodeURIComponent("құрманова")}&lang=kk`);
    expect(rows(found.text, "data-member")).toEqual(kurmanova.map((m) => m.licence));
    expect(found.text).toContain("«құрманова» бойынша табылғаны: 40");
    expect(found.text).toContain(`value="құрманова"`);
    expect(rows((await b.get("/console/members?q=101234")).text, "data-member")).toEqual(["101234"]);
    expect((await b.get("/console/members?q=nobody-at-all&lang=en")).text).toContain("Nobody matches “nobody-at-all”.");
    const searchedPages = await b.get("/console/members?q=%D0%9C%D2%AF%D1%88%D0%B5&page=2"); // "Мүше": 1,960 members
    expect(searchedPages.text).toContain('href="/console/members?q=%D0%9C%D2%AF%D1%88%D0%B5&amp;page=3" rel="next"');

    // The CSV: the whole list, headed in the page's language with names the import reads back.
    const csv = await b.get("/console/members.csv?lang=kk");
    expect(csv.status).toBe(200);
    expect(csv.type).toBe("text/csv; charset=UTF-8");
    const lines = csv.text.replace(/^\uFEFF/, "").trimEnd().split("\r\n");
    expect(lines[0]).toBe("лицензия нөмірі,аты-жөні,қабылданған күні,электрондық пошта");
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(api.map((m) => m.licence));
    expect((await b.get("/console/members.csv?lang=ru")).text).toContain("№ лицензии,ФИО,дата приёма,эл. почта");
    expect((await b.get(`/console/members.csv?q=${encodeURIComponent("ҚҰРМАНОВА")}`)).text.trimEnd().split("\r\n")).toHaveLength(41);
    expect((await b.post("/console/members/import", { csv: csv.text })).status).toBe(303); // read back as it is
    expect((await s.call("GET", `/api/bars/${BAR}/members`, { token: key })).body.members).toHaveLength(MEMBERS);

    // The same principal as the list: the RBA's admin keeps no members, so no CSV either.
    const rbaKey = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "rba-admin", label: "rba" } })).body.token;
    const rba = browser();
    await rba.post("/console/sign-in", { apiKey: rbaKey });
    expect((await rba.get("/console/members.csv")).status).toBe(403);
    expect((await browser().get("/console/members.csv")).location).toBe("/console/sign-in");
  });

  it("compliance: 'only those short' is exactly the API's /short, paged and searched, with the report's XLSX and PDF", async () => {
    s = await startSenim();
    await issued(s, 2); // licences 100000 and 100001 of almaty-city, 8 academic hours each, in 2026
    const { b, key } = await signInBar();
    expect((await b.post("/console/members/import", { csv: membersCsv(MEMBERS) })).status).toBe(303);
    await b.get("/console/policy?year=2026");
    expect((await b.post("/console/policy", { year: "2026", requiredAcademicHours: "8", teachingCreditPercent: "100" })).status).toBe(303);
    const short = (await s.call("GET", `/api/bars/${BAR}/compliance/2026/short`, { token: key })).body.members as { licence: string }[];
    expect(short.length).toBeGreaterThan(1_900);
    expect(short.length).toBeLessThan(MEMBERS);

    const all = await b.get("/console/compliance?year=2026&lang=ru");
    expect(all.status).toBe(200);
    expect(all.bytes.length).toBeLessThan(PAGE_BUDGET);
    expect(rows(all.text, "data-licence")).toHaveLength(100);
    expect(all.text).toContain('data-total="2000"');
    expect(all.text).toContain('role="region" aria-label="Таблица отчёта о выполнении нормы"');

    const listed: string[] = [];
    let page = 1;
    for (;;) {
      const res = await b.get(`/console/compliance?year=2026&only=short&page=${page}`);
      expect(res.status).toBe(200);
      expect(res.bytes.length).toBeLessThan(PAGE_BUDGET);
      expect(rows(res.text, "data-status").every((st) => st === "short")).toBe(true);
      listed.push(...rows(res.text, "data-licence"));
      if (!res.text.includes('rel="next"')) break;
      page++;
    }
    expect(listed).toEqual(short.map((m) => m.licence));
    expect(listed).not.toContain("100000");

    const searched = await b.get(`/console/compliance?year=2026&only=short&q=${encodeURIComponent("ҚҰРМАНОВА")}`);
    expect(rows(searched.text, "data-licence")).toEqual(short.filter((m) => memberName(Number(m.licence) - 100000).startsWith("Құрманова")).map((m) => m.licence));
    expect((await b.get("/console/compliance?year=2026&only=everyone")).status).toBe(400);

    // The files, for the console's session: the same as the API's.
    expect(all.text).toContain('href="/console/compliance/report.xlsx?year=2026&amp;lang=ru"');
    const shortPage = await b.get("/console/compliance?year=2026&only=short&lang=kk");
    expect(shortPage.text).toContain('href="/console/compliance/report.pdf?year=2026&amp;only=short&amp;lang=kk"');
    const xlsx = await b.get("/console/compliance/report.xlsx?year=2026&only=short&lang=kk");
    expect(xlsx.status).toBe(200);
    expect(xlsx.type).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(xlsx.disposition).toBe('attachment; filename="compliance-almaty-city-2026-short-kk.xlsx"');
    expect(Array.from(xlsx.bytes.slice(0, 2))).toEqual([0x50, 0x4b]);
    const fromApi = await s.app.request(`https://senim.test/api/bars/${BAR}/compliance/2026.xlsx?only=short&lang=kk`, { headers: { authorization: `Bearer ${key}` } });
    expect(fromApi.status).toBe(200);
    expect(fromApi.headers.get("content-disposition")).toBe('attachment; filename="compliance-almaty-city-2026-short-kk.xlsx"');
    expect(xlsx.bytes.length).toBeGreaterThan(0);
    const pdf = await b.get("/console/compliance/report.pdf?year=2026&lang=ru");
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe("application/pdf");
    expect(new TextDecoder().decode(pdf.bytes.slice(0, 5))).toBe("%PDF-");
  });

  it("closing a year asks for the box to be ticked: refused without it (the form filled again), nothing stored", async () => {
    s = await startSenim({ now: "2027-01-10T09:00:00Z" });
    const { b, key } = await signInBar();
    expect((await b.post("/console/members/import", { csv: membersCsv(3) })).status).toBe(303);
    const page = await b.get("/console/compliance?year=2026&lang=ru");
    expect(page.text).toContain('data-form="close"');
    expect(page.text).toMatch(/<input type="checkbox" name="confirm" value="1" required/);

    const refused = await b.post("/console/compliance/close?lang=ru", { year: "2026", closedOn: "2027-01-09" });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('data-section="closing" data-closed="false"');
    expect(refused.text).toContain('value="2027-01-09"'); // what was typed, not today's date
    expect(refused.text).toContain('data-problem-field="confirm"');
    expect(refused.text).toContain("Отметьте это поле, чтобы подтвердить, что понимаете последствия закрытия года.");
    expect(refused.text).toContain('aria-invalid="true" aria-describedby="problem-close-confirm"');
    expect((await s.call("GET", `/api/bars/${BAR}/years/2026/closing`, { token: key })).body.closed).toBe(false);
    expect((await s.call("GET", `/api/bars/${BAR}/years/2026/closing`, { token: key })).body.history).toEqual([]);

    const closed = await b.post("/console/compliance/close", { year: "2026", closedOn: "2027-01-09", confirm: "1" });
    expect(closed.status).toBe(303);
    expect((await s.call("GET", `/api/bars/${BAR}/years/2026/closing`, { token: key })).body).toMatchObject({ closed: true, history: [{ closedOn: "2027-01-09" }] });
  });

  it("participant lists (12.3): ten events a page, searched by topic, organiser or a member", async () => {
    s = await startSenim();
    const provider = await accreditedProvider(s);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await eventWithParticipants(s, provider.token, { n: 2 })).id);
    const { b } = await signInBar();
    const first = await b.get("/console/participant-lists?year=2026&lang=ru");
    expect(first.status).toBe(200);
    const shown = rows(first.text, "data-list").filter((v) => /^[0-9a-z]+$/.test(v));
    expect(shown).toHaveLength(10);
    expect(first.text).toContain('data-lists="12"');
    expect(first.text).toContain('href="/console/participant-lists?year=2026&amp;page=2" rel="next"');
    const second = rows((await b.get("/console/participant-lists?year=2026&page=2")).text, "data-list").filter((v) => /^[0-9a-z]+$/.test(v));
    expect(second).toHaveLength(2);
    expect(new Set([...shown, ...second])).toEqual(new Set(ids));
    const none = await b.get(`/console/participant-lists?year=2026&q=${encodeURIComponent("жоқ тақырып")}&lang=kk`);
    expect(none.text).toContain('data-lists="0"');
    expect(none.text).toContain("«жоқ тақырып» бойынша ешкім табылмады.");
    expect(rows((await b.get(`/console/participant-lists?year=2026&q=${encodeURIComponent("ДӘЛЕЛДЕМЕЛЕР")}`)).text, "data-list").filter((v) => /^[0-9a-z]+$/.test(v))).toHaveLength(10);
  });

  it("a refused members upload, member or policy comes back filled in, the problems beside their fields, in Kazakh", async () => {
    s = await startSenim();
    const { b, key } = await signInBar();
    const bad = "licence;name;admission date;email\n1002;Әсел;2019-02-01;\n1003;;2019-02-01;\n";
    const upload = await b.post("/console/members/import", { csv: bad });
    expect(upload.status).toBe(422);
    expect(upload.text).toContain('<html lang="kk"');
    expect(upload.text).toContain("<details class=\"console-form\" open=\"\" id=\"import-members\">");
    expect(upload.text).toContain(`>licence;name;admission date;email\n1002;Әсел;2019-02-01;\n1003;;2019-02-01;</textarea>`);
    expect(upload.text).toContain("<code>Жол 3</code>: аты-жөні: міндетті, ең көбі 300 таңба");
    expect(upload.text).toContain("Ештеңе сақталған жоқ.");
    expect(upload.text).not.toMatch(/problem\(s\)|nothing was stored/);
    expect((await s.call("GET", `/api/bars/${BAR}/members`, { token: key })).body.count).toBe(0);
    // Nothing pasted: the text area's own problem beside it.
    const empty = await b.post("/console/members/import", { csv: "" });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('data-problem-field="csv"');
    expect(empty.text).toContain('<span data-problem-code="value-required">міндетті өріс</span>');

    const member = await b.post("/console/members", { licence: "1001", fullName: "Ким Мария", admissionDate: "2030-01-01", email: "kim@example.kz" });
    expect(member.status).toBe(400);
    for (const v of ['value="1001"', 'value="Ким Мария"', 'value="2030-01-01"', 'value="kim@example.kz"']) expect(member.text).toContain(v);
    expect(member.text).toMatch(/name="admissionDate" required="" value="2030-01-01" aria-invalid="true" aria-describedby="problem-member-admissionDate"\/><span class="field-problem" id="problem-member-admissionDate" data-problem-field="admissionDate"><span data-problem-code="admission-date-future">қабылданған күні: әлі келмеген күн<\/span>/);
    expect(member.text).not.toContain("is in the future");

    const policy = await b.post("/console/policy", { year: "2026", requiredAcademicHours: "-5", foundationsOperator: "<", foundationsYears: "3", teachingCreditPercent: "50" });
    expect(policy.status).toBe(400);
    expect(policy.text).toContain('name="requiredAcademicHours" min="0" max="1000" step="0.1" value="-5" aria-invalid="true"');
    expect(policy.text).toContain('name="foundationsYears" min="0" max="60" value="3"');
    expect(policy.text).toContain('name="teachingCreditPercent" min="0" max="1000" required="" value="50"');
    expect(policy.text).toContain('<option value="&lt;" selected="">');
    expect((await s.call("GET", `/api/bars/${BAR}/policies/2026`, { token: key })).body.configured).toBe(false);
  });
});
