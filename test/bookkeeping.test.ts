import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seedDemo } from "../src/runtime/seed-demo.js";
import { accreditedProvider, eventWithParticipants, issued, startSenim, type TestSenim } from "./helpers.js";

let s: TestSenim;
let bar: string; // bar-admin token for almaty-city
beforeEach(async () => {
  s = await startSenim();
  bar = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "registry office" } })).body.token;
});
afterEach(async () => s.close());

const count = async (table: "members" | "participants" | "ledger_entries" | "self_recorded_hours" | "survey_responses" | "survey_spent") =>
  Number((await s.db.selectFrom(table).select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n);

const csv = (text: string, token: string, path: string, method = "POST") => s.call(method, path, { token, raw: text, headers: { "content-type": "text/csv" } });

/** The helpers' participants: licences 100000… of almaty-city; the first one teaches. */
async function membersFor(n: number, admissionDate = "2015-03-01") {
  for (let i = 0; i < n; i++) {
    const r = await s.call("POST", "/api/bars/almaty-city/members", { token: bar, body: { licence: String(100000 + i), fullName: `Қатысушы ${i + 1}`, admissionDate } });
    expect(r.status).toBe(201);
  }
}

describe("members (2.3) — bar-admin of the bar only", () => {
  it("adds, reads, lists and removes a member; other roles and bars are refused", async () => {
    const add = await s.call("POST", "/api/bars/almaty-city/members", { token: bar, body: { licence: "00 12-34", fullName: "Ерлан  Жұмабаев", admissionDate: "2020-05-04", email: "e@example.kz" } });
    expect(add.status).toBe(201);
    expect(add.body).toMatchObject({ licence: "001234", fullName: "Ерлан Жұмабаев", admissionDate: "2020-05-04" });
    expect((await s.call("GET", "/api/bars/almaty-city/members/001234", { token: bar })).body).toMatchObject({ licence: "001234", suspensions: [] });
    expect((await s.call("GET", "/api/bars/almaty-city/members", { token: bar })).body.count).toBe(1);

    const other = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "astana-city", label: "x" } })).body.token;
    const provider = await accreditedProvider(s);
    expect((await s.call("GET", "/api/bars/almaty-city/members", { token: other })).status).toBe(403);
    expect((await s.call("GET", "/api/bars/almaty-city/members", { token: provider.token })).status).toBe(403);
    expect((await s.call("GET", "/api/bars/almaty-city/members")).status).toBe(401);
    expect((await s.call("POST", "/api/bars/almaty-city/members", { token: other, body: { licence: "1", fullName: "X", admissionDate: "2020-01-01" } })).status).toBe(403);

    const bad = await s.call("POST", "/api/bars/almaty-city/members", { token: bar, body: { licence: "1", fullName: "X", admissionDate: "2030-01-01" } });
    expect(bad.status).toBe(400);
    expect((await s.call("DELETE", "/api/bars/almaty-city/members/001234", { token: bar })).status).toBe(204);
    expect((await s.call("GET", "/api/bars/almaty-city/members/001234", { token: bar })).status).toBe(404);
  });

  it("imports members from CSV with a BOM, ';', CRLF and quoted fields; a file with a bad row stores nothing", async () => {
    const bad = "licence;name;admission date;email\r\n1001;\"Ким, Мария\";2019-02-01;\r\n1002;;2019-02-01;\r\n1003;Әсел;2019-02-30;x\r\n1001;Дубль;2019-02-01;\r\n";
    const refused = await csv(bad, bar, "/api/bars/almaty-city/members.csv");
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe("invalid_csv");
    expect(refused.body.errors.map((e: any) => e.path)).toEqual(["line 3", "line 4", "line 4", "line 5"]);
    expect(refused.body.errors[0].message).toContain("name");
    expect(await count("members")).toBe(0); // nothing stored

    const good = "\ufeffLicence;Full name;Admission date;Email\r\n1001;\"Ким, Мария\";2019-02-01;m@example.kz\r\n1002;\"Сейт \"\"Ақын\"\"\";2025-09-01;\r\n";
    const ok = await csv(good, bar, "/api/bars/almaty-city/members.csv");
    expect(ok.status).toBe(201);
    expect(ok.body.imported).toBe(2);
    const list = (await s.call("GET", "/api/bars/almaty-city/members", { token: bar })).body.members;
    expect(list.map((m: any) => m.fullName).sort()).toEqual(["Ким, Мария", 'Сейт "Ақын"']);
    // Re-importing updates, it does not duplicate.
    expect((await csv(good.replace("Ким, Мария", "Ким Мария"), bar, "/api/bars/almaty-city/members.csv")).status).toBe(201);
    expect(await count("members")).toBe(2);

    expect((await csv("licence,name\n1,A\n", bar, "/api/bars/almaty-city/members.csv")).body.errors[0]).toMatchObject({ path: "line 1", message: 'missing column "admission date"' });
    expect((await s.call("POST", "/api/bars/almaty-city/members.csv", { token: bar, raw: good, headers: { "content-type": "application/json" } })).status).toBe(415);
    const empty = await s.call("POST", "/api/bars/almaty-city/members.csv", { token: bar, raw: undefined, headers: { "content-type": "text/csv" } });
    expect(empty.status).toBe(422); // an empty body: no header line
    const notUtf8 = await s.app.request("https://senim.test/api/bars/almaty-city/members.csv", { method: "POST", headers: { authorization: `Bearer ${bar}`, "content-type": "text/csv" }, body: new Uint8Array([0x6c, 0x69, 0xe9, 0x0a, 0xff]) });
    expect(notUtf8.status).toBe(422);
    expect(((await notUtf8.json()) as any).detail).toContain("UTF-8");
    const huge = "licence,name,admission date\n" + "1,A,2020-01-01\n".repeat(700_000);
    expect((await csv(huge, bar, "/api/bars/almaty-city/members.csv")).status).toBe(413);
  });
});

describe("policy per bar and year", () => {
  it("has no quota until the bar sets one; the 10.2 rule shows the source wording; defaults 1:1 and proration on", async () => {
    const p = await s.call("GET", "/api/bars/almaty-city/policies/2026", { token: bar });
    expect(p.body).toMatchObject({ configured: false, requiredAcademicHours: null, foundationsRule: { operator: "<", years: 1 }, teachingCreditPercent: 100, prorate: true });
    expect(p.body.foundationsSourceWording.kk).toContain("Кемінде бір жыл");
    const set = await s.call("PUT", "/api/bars/almaty-city/policies/2026", { token: bar, body: { requiredAcademicHours: 40 } });
    expect(set.body).toMatchObject({ configured: true, requiredAcademicHours: 40, requiredMinutes: 1800, teachingCreditPercent: 100 });
    expect((await s.call("GET", "/api/bars/almaty-city/policies/2027", { token: bar })).body.configured).toBe(false);
    expect((await s.call("PUT", "/api/bars/almaty-city/policies/2026", { token: s.adminToken, body: { requiredAcademicHours: 1 } })).status).toBe(403);
    expect((await s.call("GET", "/api/bars/almaty-city/policies/2026", { token: s.adminToken })).status).toBe(200); // the RBA reads
  });

  it("10.2: the bar sets the shortest Foundations event that completes the course; none by default; bad values 400, nothing stored", async () => {
    expect((await s.call("GET", "/api/bars/almaty-city/policies/2028", { token: bar })).body.foundationsMinimumMinutes).toBeNull();
    const set = await s.call("PUT", "/api/bars/almaty-city/policies/2028", { token: bar, body: { foundationsMinimumMinutes: 720 } });
    expect(set.status, set.text).toBe(200);
    expect(set.body.foundationsMinimumMinutes).toBe(720);
    for (const bad of [0, -5, 1.5, 100_001, "720"]) {
      expect((await s.call("PUT", "/api/bars/almaty-city/policies/2028", { token: bar, body: { foundationsMinimumMinutes: bad } })).status).toBe(400);
    }
    expect((await s.call("GET", "/api/bars/almaty-city/policies/2028", { token: bar })).body.foundationsMinimumMinutes).toBe(720);
    expect((await s.call("PUT", "/api/bars/almaty-city/policies/2028", { token: bar, body: { foundationsMinimumMinutes: null } })).body.foundationsMinimumMinutes).toBeNull();
  });
});

describe("compliance report (12.1, 12.2)", () => {
  it("12.2: the report for a bar with no policy shows totals and the status no-policy", async () => {
    await issued(s, 3);
    await membersFor(3);
    const r = await s.call("GET", "/api/bars/almaty-city/compliance/2026", { token: bar });
    expect(r.status).toBe(200);
    expect(r.body.policy.configured).toBe(false);
    expect(r.body.totals).toMatchObject({ members: 3, "no-policy": 3, met: 0, short: 0 });
    expect(r.body.members.every((m: any) => m.requiredHours === null && m.verifiedHours === 8)).toBe(true);
  });

  it("2.2.4: a certificate counts once whether issued here or presented; 2.2.2 self-recorded hours stay apart", async () => {
    const { certificates, provider } = await issued(s, 2);
    await membersFor(2);
    await s.call("PUT", "/api/bars/almaty-city/policies/2026", { token: bar, body: { requiredAcademicHours: 10 } });
    const jwt = (await s.call("GET", `/api/certificates/${certificates[1]!.id}`)).body.jwt;

    // 2.2.4 through the one way to present: the bar's presentation request, answered here by an upload at its desk
    // (the wallet's OpenID4VP answer goes through the same service; test/wallet-vp.test.ts).
    const upload = async (body: Record<string, unknown>) => {
      const req = await s.call("POST", "/api/presentation-requests", { token: bar, body: { year: 2026 } });
      expect(req.status).toBe(201);
      return s.call("POST", `/api/presentation-requests/${req.body.id}/uploads`, { token: bar, body });
    };
    const wrong = await upload({ licence: "100000", credentials: [jwt] });
    expect(wrong.body.refused).toMatchObject([{ reason: "another-advocate" }]); // issued to another licence
    const first = await upload({ licence: "100001", credentials: [jwt] });
    expect(first.status).toBe(201);
    expect(first.body.credited).toMatchObject([{ provenBy: "upload", year: 2026, academicHours: 8, role: "attendee" }]);
    expect((await upload({ licence: "100001", credentials: [jwt] })).body).toMatchObject({ credited: [], alreadyCredited: [certificates[1]!.id] });
    const tampered = jwt.slice(0, -4) + (jwt.endsWith("AAAA") ? "BBBB" : "AAAA");
    expect((await upload({ licence: "100001", credentials: [tampered] })).body.refused).toMatchObject([{ reason: "not-verified" }]);
    expect(await count("ledger_entries")).toBe(1);
    // The other bar's desk cannot credit almaty-city's member (2.2.4: the advocate's own territorial bar).
    const astana = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "astana-city", label: "x" } })).body.token;
    const elsewhere = await s.call("POST", "/api/presentation-requests", { token: astana, body: { year: 2026 } });
    const refusedThere = await s.call("POST", `/api/presentation-requests/${elsewhere.body.id}/uploads`, { token: astana, body: { licence: "100001", credentials: [jwt] } });
    expect(refusedThere.body.refused).toMatchObject([{ reason: "other-bar" }]);
    // One way to present: the former bookkeeping-only route is gone from the app and from the OpenAPI document.
    expect((await s.call("POST", "/api/bars/almaty-city/presentations", { token: bar, body: { jwt, licence: "100001" } })).status).toBe(404);
    const paths = Object.keys((await s.call("GET", "/openapi.json")).body.paths);
    expect(paths).toContain("/api/presentation-requests/{id}/uploads");
    expect(paths.filter((p) => p.startsWith("/api/bars/") && p.includes("presentations"))).toEqual([]);

    const self = await s.call("POST", "/api/bars/almaty-city/members/100001/self-recorded", { token: bar, body: { year: 2026, minutes: 900, programme: "civil", description: "Read the new Civil Procedure Code" } });
    expect(self.status).toBe(201);
    // 2.2.2 is structural: self-recorded hours have their own table and never enter the ledger of certificates.
    expect(await count("self_recorded_hours")).toBe(1);
    expect(await count("ledger_entries")).toBe(1);

    const r = (await s.call("GET", "/api/bars/almaty-city/compliance/2026", { token: bar })).body;
    const m = r.members.find((x: any) => x.licence === "100001");
    expect(m).toMatchObject({ certificates: 1, verifiedHours: 8, selfRecordedHours: 20, requiredHours: 10, status: "short" });
    // 5.1.4: the first participant taught; 1:1 credit.
    expect(r.members.find((x: any) => x.licence === "100000")).toMatchObject({ teachingHours: 8, verifiedHours: 8 });

    // Revoking the certificate removes it from both sources.
    const revoked = await s.call("POST", `/api/certificates/${certificates[1]!.id}/revocation`, { token: provider.token, body: { reason: "issued in error" } });
    expect(revoked.status).toBe(201);
    const after = (await s.call("GET", "/api/bars/almaty-city/compliance/2026", { token: bar })).body;
    expect(after.members.find((x: any) => x.licence === "100001")).toMatchObject({ certificates: 0, verifiedHours: 0 });
  });

  it("2.3 and 10.2 over HTTP: prorated quota, a first-year advocate without Foundations, CSV and HTML, the short list", async () => {
    await issued(s, 3); // 8 academic hours each, criminal programme
    await membersFor(2);
    await s.call("POST", "/api/bars/almaty-city/members", { token: bar, body: { licence: "100002", fullName: "Жаңа Адвокат", admissionDate: "2026-01-10" } });
    await s.call("PUT", "/api/bars/almaty-city/policies/2026", { token: bar, body: { requiredAcademicHours: 14 } });
    // Suspended from 1 July 2025 to 30 June 2026: 181 days of 2026 lapse.
    const sus = await s.call("POST", "/api/bars/almaty-city/members/100001/suspensions", { token: bar, body: { from: "2025-07-01", until: "2026-06-30", reason: "2.3" } });
    expect(sus.status).toBe(201);
    expect((await s.call("POST", "/api/bars/almaty-city/members/100001/suspensions", { token: bar, body: { from: "2026-07-01", until: "2026-06-30" } })).status).toBe(422);

    const r = (await s.call("GET", "/api/bars/almaty-city/compliance/2026", { token: bar })).body;
    const byLicence = Object.fromEntries(r.members.map((m: any) => [m.licence, m]));
    expect(byLicence["100000"]).toMatchObject({ status: "short", requiredHours: 14 });
    expect(byLicence["100001"]).toMatchObject({ status: "met", activeDays: 184, suspendedDays: 181, requiredHours: 7.1 });
    expect(byLicence["100002"]).toMatchObject({ foundationsRequired: true, foundationsDone: false, status: "short" });
    expect(r.final).toBe(false);

    const short = await s.call("GET", "/api/bars/almaty-city/compliance/2026/short?format=csv", { token: bar });
    expect(short.headers.get("content-type")).toContain("text/csv");
    const lines = short.text.replace(/^\ufeff/, "").trim().split("\r\n");
    expect(lines[0]).toContain("verified_hours");
    expect(lines.slice(1).map((l) => l.split(",")[0]).sort()).toEqual(["100000", "100002"]);

    const html = await s.call("GET", "/api/bars/almaty-city/compliance/2026?format=html&lang=ru", { token: bar });
    expect(html.headers.get("content-type")).toContain("text/html");
    expect(html.text).toContain("Выполнение обязанности");
    expect(html.text).toContain('data-licence="100002" data-status="short"');
    expect(html.text).not.toContain("<script");

    const other = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "astana-city", label: "x" } })).body.token;
    expect((await s.call("GET", "/api/bars/almaty-city/compliance/2026", { token: other })).status).toBe(403);
    expect((await s.call("GET", "/api/bars/almaty-city/compliance/2026", { token: s.adminToken })).status).toBe(200);
    expect((await s.call("GET", "/api/bars/almaty-city/compliance/1999", { token: bar })).status).toBe(400);
    expect((await s.call("GET", "/api/bars/almaty-city/compliance/2026?format=pdf", { token: bar })).status).toBe(400);
    expect((await s.call("GET", "/api/bars/atlantis/compliance/2026", { token: s.adminToken })).status).toBe(404);
    expect((await s.call("GET", "/api/bars/almaty-city/compliance/2026", { token: bar, headers: { accept: "text/csv" } })).headers.get("content-type")).toContain("text/csv");
  });
});

describe("participant lists from CSV (12.3)", () => {
  const header = "date,time,place,course,trainers,hours,programme,licence,name,bar,role,email";
  it("12.3: a CSV with a bad row stores nothing; every bad line is named; a valid file replaces the list", async () => {
    const provider = await accreditedProvider(s);
    const ev = await eventWithParticipants(s, provider.token, { n: 1 });
    expect(await count("participants")).toBe(1);
    const day = ev.startsAt.slice(0, 10);
    const time = new Date(Date.parse(ev.startsAt) + 5 * 3_600_000).toISOString().slice(11, 16);
    const row = (licence: string, extra: Partial<Record<"bar" | "hours" | "role" | "place", string>> = {}) =>
      [day, time, extra.place ?? "Алматы", `"${ev.topic}"`, "Сейтқали Ә.", extra.hours ?? "8", "criminal", licence, "Ерлан Жұмабаев", extra.bar ?? "almaty-city", extra.role ?? "attendee", ""].join(",");
    const bad = [header, row("200001"), row("200002", { bar: "atlantis" }), row("200003", { hours: "9" }), row("200001"), row("200004", { role: "boss", place: "Астана" })].join("\n");
    const refused = await csv(bad, provider.token, `/api/events/${ev.id}/participants.csv`, "PUT");
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe("invalid_csv");
    expect(refused.body.badLines).toBe(4);
    expect([...new Set(refused.body.errors.map((e: any) => e.path))]).toEqual(["line 3", "line 4", "line 5", "line 6"]);
    expect(await count("participants")).toBe(1); // the list as it was: nothing from the file

    const good = [header, row("200001"), row("200002", { role: "преподаватель" })].join("\r\n");
    const ok = await csv(good, provider.token, `/api/events/${ev.id}/participants.csv`, "PUT");
    expect(ok.status).toBe(200);
    expect(ok.body.count).toBe(2);
    expect(ok.body.participants[1]).toMatchObject({ licenceNumber: "200002", role: "teacher" });
    // Only the event's provider may upload.
    const other = await accreditedProvider(s);
    expect((await csv(good, other.token, `/api/events/${ev.id}/participants.csv`, "PUT")).status).toBe(404);
    // The participant columns alone are enough.
    const minimal = "licence;name;bar\n300001;Мария Ким;almaty-city\n";
    expect((await csv(minimal, provider.token, `/api/events/${ev.id}/participants.csv`, "PUT")).body.count).toBe(1);
  });
});

/** A certificate as the issuing response lists it, with the participant's survey link (7.5). */
type Issued = { id: string; survey?: string | null };
/** The path of the participant's survey, from the issuing response that first listed the certificate. */
const survey = (c: Issued): string => new URL(c.survey!).pathname;

describe("surveys (7.5)", () => {
  it("7.5: each participant gets a one-time survey link of their own; the certificate id opens none; a second answer is refused", async () => {
    const { certificates } = await issued(s, 1);
    const id = certificates[0]!.id;
    const link = survey(certificates[0]!);
    expect(link).toMatch(/^\/survey\/[A-Za-z0-9_-]{22}$/);
    // Public places carry no survey link: the API's certificate and the page.
    const api = await s.call("GET", `/api/certificates/${id}`);
    expect(api.body.survey).toBeUndefined();
    expect((await s.call("GET", `/c/${id}?lang=en`)).text).not.toContain("/survey");
    expect((await s.call("POST", `/c/${id}/survey`, { body: { quality: 5, effectiveness: 4, usefulness: 5 } })).status).toBe(404);
    const form = await s.call("GET", `${link}?lang=kk`);
    expect(form.text).toContain("Сапасы");
    expect(form.text).toContain(`action="${link}?lang=kk"`);

    const answer = await s.call("POST", link, { body: { quality: 5, effectiveness: 4, usefulness: 5, comment: "Пайдалы болды" } });
    expect(answer.status).toBe(201);
    const twice = await s.call("POST", link, { body: { quality: 1, effectiveness: 1, usefulness: 1 } });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe("survey_already_answered");
    // Via the HTML form as well.
    const again = await s.call("POST", `${link}?lang=en`, { raw: "quality=1&effectiveness=1&usefulness=1", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(again.status).toBe(409);
    expect(again.text).toContain("already been answered");
    expect(await count("survey_responses")).toBe(1);
    expect((await s.call("GET", `${link}?lang=en`)).text).toContain("already been answered");
    const { certificates: viaForm } = await issued(s, 1);
    const thanks = await s.call("POST", `${survey(viaForm[0]!)}?lang=ru`, { raw: "quality=4&effectiveness=3&usefulness=5&comment=", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(thanks.status).toBe(201);
    expect(thanks.text).toContain("Спасибо");
    // An unknown token: a page that says so, and a problem for JSON.
    const unknown = await s.call("GET", "/survey/AAAAAAAAAAAAAAAAAAAAAA?lang=en");
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain("not valid");
    expect((await s.call("POST", "/survey/AAAAAAAAAAAAAAAAAAAAAA", { body: { quality: 5, effectiveness: 4, usefulness: 5 } })).body.code).toBe("not_found");

    const { certificates: more } = await issued(s, 1);
    expect((await s.call("POST", survey(more[0]!), { body: { quality: 6, effectiveness: 1, usefulness: 1 } })).status).toBe(400);
    expect(await count("survey_spent")).toBe(2); // the two answers above; a refused answer spends nothing
  });

  it("7.5: fresh links replace the old ones, skip answered certificates, and are the provider's alone", async () => {
    const { provider, event, certificates } = await issued(s, 2);
    const [a, b] = [certificates[0]!, certificates[1]!];
    expect((await s.call("POST", survey(a), { body: { quality: 5, effectiveness: 5, usefulness: 5 } })).status).toBe(201);
    const res = await s.call("POST", `/api/events/${event.id}/survey-links`, { token: provider.token });
    expect(res.status).toBe(201);
    const byId = new Map(res.body.links.map((l: { certificateId: string }) => [l.certificateId, l]));
    expect(byId.get(a.id)).toMatchObject({ state: "answered", survey: null, pdf: null });
    const fresh = byId.get(b.id) as { state: string; survey: string; pdf: string };
    expect(fresh.state).toBe("open");
    expect(fresh.pdf).toBe(`https://senim.test/c/${b.id}.pdf?survey=${fresh.survey.split("/survey/")[1]}`);
    expect((await s.call("GET", survey(b))).status).toBe(404); // the earlier link is dead
    expect((await s.call("POST", new URL(fresh.survey).pathname, { body: { quality: 4, effectiveness: 4, usefulness: 4 } })).status).toBe(201);
    // Only the HMACs are stored.
    const stored = JSON.stringify(await s.db.selectFrom("survey_links").selectAll().execute());
    expect(stored).not.toContain(fresh.survey.split("/survey/")[1]!);
    const stranger = await accreditedProvider(s);
    expect((await s.call("POST", `/api/events/${event.id}/survey-links`, { token: stranger.token })).status).toBe(404);
    expect((await s.call("POST", `/api/events/${event.id}/survey-links`, { token: bar })).status).toBe(403);
    expect((await s.call("POST", `/api/events/${event.id}/survey-links`)).status).toBe(401);
  });

  it("7.5: a survey response cannot be joined to its participant, not even in the database", async () => {
    const { certificates } = await issued(s, 4);
    for (const [i, c] of certificates.entries()) {
      expect((await s.call("POST", survey(c), { body: { quality: 1 + i, effectiveness: 3, usefulness: 4 } })).status).toBe(201);
    }
    const responses = await s.db.selectFrom("survey_responses").selectAll().execute();
    const spent = await s.db.selectFrom("survey_spent").selectAll().execute();
    const links = await s.db.selectFrom("survey_links").selectAll().execute();
    // The response carries the event, provider and accrediting bar (for the results) and the ratings: no certificate,
    // participant, licence, token or time (the spent markers keep the order of answering, so a time could pair them).
    expect(Object.keys(responses[0]!).sort()).toEqual(["bar_id", "comment", "effectiveness", "event_id", "id", "party_id", "quality", "usefulness"]);
    const identifying = new Set([...certificates.map((c) => c.id), ...spent.map((x) => x.token_hash), ...links.map((x) => x.token_mac), ...certificates.map((c) => survey(c).split("/survey/")[1]), "100000", "100001", "100002", "100003"]);
    for (const r of responses) for (const v of Object.values(r)) expect(identifying.has(String(v))).toBe(false);
    // Neither the ids nor the table's own order follow the order of answering (quality 1, 2, 3, 4 in turn).
    const stored = (await sql<{ quality: number }>`select quality from survey_responses`.execute(s.db)).rows.map((r) => Number(r.quality));
    const ids = responses.map((r) => Number(r.id));
    expect(ids.every((x) => Number.isInteger(x) && x > 0)).toBe(true);
    const sortedById = [...responses].sort((a, b) => Number(a.id) - Number(b.id)).map((r) => Number(r.quality));
    expect(stored).toEqual(sortedById); // SQLite keeps the table in (random) id order, not in order of insertion
  });

  it("7.5: the provider and its accrediting bar see per-event and per-provider results; others do not", async () => {
    const { provider, certificates } = await issued(s, 3);
    for (const c of certificates) await s.call("POST", survey(c), { body: { quality: 4, effectiveness: 5, usefulness: 3, comment: "ok" } });
    const own = await s.call("GET", `/api/parties/${provider.party.id}/surveys`, { token: provider.token });
    expect(own.status).toBe(200);
    expect(own.body.overall).toMatchObject({ responses: 3, quality: 4, effectiveness: 5, usefulness: 3 });
    expect(own.body.byEvent[0]).toMatchObject({ responses: 3, quality: 4, comments: ["ok", "ok", "ok"] });
    const byBar = await s.call("GET", "/api/bars/almaty-city/surveys", { token: bar });
    expect(byBar.body.byProvider[0]).toMatchObject({ partyId: provider.party.id, responses: 3 });
    const stranger = await accreditedProvider(s);
    expect((await s.call("GET", `/api/parties/${provider.party.id}/surveys`, { token: stranger.token })).status).toBe(403);
    const other = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "astana-city", label: "x" } })).body.token;
    expect((await s.call("GET", "/api/bars/astana-city/surveys", { token: other })).body.overall.responses).toBe(0);
  });
});

describe("annual analysis (3.2)", () => {
  it("3.2: a bar's and the RBA's year as JSON, CSV and HTML with server-rendered SVG charts", async () => {
    const { certificates } = await issued(s, 3);
    await membersFor(3);
    await s.call("PUT", "/api/bars/almaty-city/policies/2026", { token: bar, body: { requiredAcademicHours: 8 } });
    await s.call("POST", survey(certificates[0]!), { body: { quality: 5, effectiveness: 5, usefulness: 4 } });
    // 7.5: one answer is counted but not averaged, so it cannot be read back.
    expect((await s.call("GET", "/api/bars/almaty-city/analysis/2026", { token: bar })).body.surveys).toEqual({ responses: 1, quality: null, effectiveness: null, usefulness: null });
    for (const c of certificates.slice(1)) await s.call("POST", survey(c), { body: { quality: 5, effectiveness: 4, usefulness: 4 } });
    const a = (await s.call("GET", "/api/bars/almaty-city/analysis/2026", { token: bar })).body;
    expect(a).toMatchObject({ events: 1, certificates: 3, academicHours: 24, activeProviders: 1, advocatesTrained: 3, members: { total: 3, met: 3 } });
    expect(a.byProgramme.find((b: any) => b.code === "criminal")).toMatchObject({ certificates: 3, academicHours: 24 });
    expect(a.byDeliveryMode.find((b: any) => b.code === "in-person").certificates).toBe(3);
    expect(a.surveys).toEqual({ responses: 3, quality: 5, effectiveness: 4.33, usefulness: 4 });

    const rba = (await s.call("GET", "/api/bars/rba/analysis/2026", { token: s.adminToken })).body;
    expect(rba).toMatchObject({ certificates: 3, members: { total: 3, met: 3 } });
    expect(rba.byBar.find((b: any) => b.barId === "almaty-city")).toMatchObject({ certificates: 3 });
    expect((await s.call("GET", "/api/bars/rba/analysis/2026", { token: bar })).status).toBe(403);

    const csvOut = await s.call("GET", "/api/bars/almaty-city/analysis/2026?format=csv", { token: bar });
    expect(csvOut.text).toContain("programme,criminal,3,24,");
    const html = await s.call("GET", "/api/bars/almaty-city/analysis/2026?format=html&lang=kk", { token: bar });
    expect(html.text).toContain("<svg");
    expect(html.text).toContain("Қылмыстық істер бойынша");
    expect(html.text).not.toMatch(/<script|style="/);
  });
});

describe("demo data (npm run seed:demo)", () => {
  it("seeds members, suspensions, providers, events, signed certificates and surveys that the reports read", async () => {
    const s2 = await startSenim({ now: "2026-03-01T09:00:00Z" });
    try {
      const { year, certificates } = await seedDemo(s2.services, { members: 40, providers: 4, events: 4, certificates: 60, suspensions: 5, surveys: 12 });
      expect({ year, certificates }).toEqual({ year: 2025, certificates: 60 });
      const r = await s2.services.compliance.buildReport("almaty-city", 2025);
      expect(r.final).toBe(true);
      expect(r.totals.members).toBeGreaterThan(30); // members admitted after 2025 are not in it
      expect(r.policy.requiredAcademicHours).toBe(40);
      const a = await s2.services.analysis.build("almaty-city", 2025);
      expect(a).toMatchObject({ events: 4, certificates: 60, activeProviders: 4, surveys: { responses: 12 } });
      const verified = await s2.call("POST", "/api/verify", { body: { jwt: (await s2.db.selectFrom("certificate_documents").select("jwt").executeTakeFirstOrThrow()).jwt } });
      expect(verified.body.verified).toBe(true);
    } finally {
      await s2.close();
    }
  });
});
