/**
 * The calendar of accredited events (7.3, 2.1(4), 6.1–6.2) over HTTP on a real Senim (SQLite, a controlled clock):
 * who may announce what and when, the announcement's validation in the caller's language, the public pages and
 * their filters, the JSON calendar, the iCalendar feeds (read back by ical.js) and the provider console's form.
 */
import ICAL from "ical.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accreditedProvider, startSenim, type TestSenim } from "./helpers.js";

let s: TestSenim;
beforeEach(async () => {
  s = await startSenim(); // the clock stands at 2026-06-01T09:00:00Z
});
afterEach(async () => {
  expect(s.loggedErrors).toEqual([]);
  await s.close();
});

/** An event of `token`'s provider on 2026-{day}, 10:00–16:00 in Almaty (UTC+5). */
async function event(token: string, o: Record<string, unknown> = {}, day = "07-15") {
  const res = await s.call("POST", "/api/events", {
    token,
    body: {
      topic: "Қылмыстық процестегі дәлелдемелер", programme: "criminal", form: "course", deliveryMode: "in-person", place: "Алматы",
      startsAt: `2026-${day}T10:00:00+05:00`, endsAt: `2026-${day}T16:00:00+05:00`, durationMinutes: 270, trainers: [{ name: "Сейтқали Ә.", field: "Қылмыстық процесс, 15 жыл адвокаттық практика" }], ...o,
    },
  });
  if (res.status !== 201) throw new Error(`event: ${res.status} ${res.text}`);
  return res.body as { id: string; startsAt: string; endsAt: string };
}

const inPerson = { description: "Дәлелдемелерді жинау, бағалау; сотта қорғау.\nПрактикалық сабақ.", city: "Алматы", venue: "Абай даңғылы 10, 3-қабат", fee: { kind: "free" }, seats: 40 };
const online = { description: "Онлайн семинар", link: "https://meet.example.kz/room-1", fee: { kind: "paid", amountTenge: 15000 } };

const announce = (token: string, id: string, body: unknown, headers: Record<string, string> = {}) => s.call("PUT", `/api/events/${id}/announcement`, { token, body, headers });

const page = async (path: string, lang = "en") => {
  const res = await s.fetch(path, { headers: { "accept-language": lang } });
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
};

const listedIds = (html: string) => [...html.matchAll(/data-event="([0-9a-z]+)"/g)].map((m) => m[1]);

describe("7.3: announcing an event", () => {
  it("7.3, 6.1–6.2: a provider announces its event before it starts; the announcement is stored whole and changed whole", async () => {
    const p = await accreditedProvider(s);
    const e = await event(p.token);
    const first = await announce(p.token, e.id, inPerson);
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ eventId: e.id, announcedAt: "2026-06-01T09:00:00Z", city: "Алматы", venue: "Абай даңғылы 10, 3-қабат", link: null, fee: { kind: "free" }, seats: 40, url: `https://senim.test/events/${e.id}` });
    expect(first.body.description).toBe(inPerson.description);
    s.clock.advance(3_600_000);
    const changed = await announce(p.token, e.id, { ...inPerson, fee: { kind: "sponsored", sponsor: "rba" }, seats: null });
    expect(changed.status, changed.text).toBe(200);
    // The first announcement's date stays; the change is dated.
    expect(changed.body).toMatchObject({ announcedAt: "2026-06-01T09:00:00Z", updatedAt: "2026-06-01T10:00:00Z", fee: { kind: "sponsored", sponsor: "rba" }, seats: null });
    expect((await s.call("GET", `/api/events/${e.id}/announcement`, { token: p.token })).body).toEqual(changed.body);
  });

  it("7.3: only a provider accredited for the event's programme and form on its dates can announce it (not_accredited, out_of_scope)", async () => {
    // Accredited for everything by Almaty City, and for criminal cases only by Astana City.
    const p = await accreditedProvider(s);
    const scoped = await s.call("POST", `/api/parties/${p.party.id}/accreditations`, {
      token: s.adminToken,
      body: { barId: "astana-city", decisionNumber: "3-П", decisionDate: "2026-01-10", criteria: [{ criterion: "education-licence", evidence: "KZ-EDU-3" }], programmes: ["criminal"], validFrom: "2026-01-10" },
    });
    expect(scoped.status, scoped.text).toBe(201);
    const criminal = await event(p.token);
    const civil = await event(p.token, { programme: "civil" }, "07-20");
    // Almaty City withdraws its decision from 2026-07-01: the events' days are no longer covered by it.
    const withdrawn = await s.call("POST", `/api/accreditations/${p.accreditation.id}/withdrawal`, {
      token: s.adminToken,
      body: { ground: "non-compliance", decisionNumber: "9-П", decisionDate: "2026-06-01", effectiveFrom: "2026-07-01", reason: "9.2(1)" },
    });
    expect(withdrawn.status, withdrawn.text).toBe(201);
    // Criminal cases are still covered by Astana City's decision; civil cases by none.
    expect((await announce(p.token, criminal.id, inPerson)).status).toBe(200);
    const outOfScope = await announce(p.token, civil.id, inPerson);
    expect(outOfScope.status).toBe(422);
    expect(outOfScope.body).toMatchObject({ code: "out_of_scope", reason: "programme-out-of-scope" });
    expect((await s.call("GET", `/api/events/${civil.id}/announcement`, { token: p.token })).status).toBe(404);

    // A provider whose only decision is withdrawn before the event's days: not accredited, nothing announced.
    const q = await accreditedProvider(s, { name: "Оқытушы" });
    const e = await event(q.token);
    await s.call("POST", `/api/accreditations/${q.accreditation.id}/withdrawal`, {
      token: s.adminToken, body: { ground: "non-compliance", decisionNumber: "10-П", decisionDate: "2026-06-01", reason: "9.2(1)" },
    });
    const refused = await announce(q.token, e.id, inPerson);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe("not_accredited");
    expect(refused.body.detail).toMatch(/refuses to announce it \(7\.3\)/);
  });

  it("7.3: refused once the event has started, and so is withdrawing it", async () => {
    const p = await accreditedProvider(s);
    const e = await event(p.token);
    expect((await announce(p.token, e.id, inPerson)).status).toBe(200);
    s.clock.set("2026-07-15T05:00:00Z"); // 10:00 in Almaty: it starts
    const late = await announce(p.token, e.id, { ...inPerson, seats: 10 });
    expect(late.status).toBe(422);
    expect(late.body.code).toBe("rule_violated");
    expect(late.body.detail).toMatch(/^7\.3:/);
    expect((await s.call("DELETE", `/api/events/${e.id}/announcement`, { token: p.token })).status).toBe(422);
    expect((await s.call("GET", `/api/events/${e.id}/announcement`, { token: p.token })).body.seats).toBe(40);
    // A new event recorded after it started cannot be announced at all.
    s.clock.set("2026-07-21T09:00:00Z");
    const past = await event(p.token, {}, "07-20");
    expect((await announce(p.token, past.id, inPerson)).status).toBe(422);
  });

  it("7.3: another provider's event answers 404, a bar's admin 403, no key 401; nothing is stored", async () => {
    const p = await accreditedProvider(s);
    const other = await accreditedProvider(s, { name: "Басқа орталық" });
    const e = await event(p.token);
    expect((await announce(other.token, e.id, inPerson)).status).toBe(404);
    expect((await s.call("DELETE", `/api/events/${e.id}/announcement`, { token: other.token })).status).toBe(404);
    expect((await s.call("GET", `/api/events/${e.id}/announcement`, { token: other.token })).status).toBe(404);
    const bar = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "desk" } })).body.token;
    expect((await announce(bar, e.id, inPerson)).status).toBe(403);
    expect((await s.call("PUT", `/api/events/${e.id}/announcement`, { body: inPerson })).status).toBe(401);
    expect((await s.call("GET", `/api/events/${e.id}/announcement`, { token: p.token })).status).toBe(404);
    expect((await page(`/events/${e.id}`)).status).toBe(404);
  });

  it("7.3, 7.4: bad input is a 400 listing every problem in the caller's language, and nothing is stored", async () => {
    const p = await accreditedProvider(s);
    const e = await event(p.token);
    const bad = { description: "  ", city: "", venue: null, link: "http://insecure.example.kz", fee: { kind: "paid" }, seats: 0 };
    const en = await announce(p.token, e.id, bad, { "accept-language": "en" });
    expect(en.status).toBe(400);
    expect(en.body.code).toBe("invalid_request");
    const byPath = (body: any) => Object.fromEntries(body.errors.map((x: any) => [x.path, x]));
    expect(Object.keys(byPath(en.body)).sort()).toEqual(["city", "description", "fee/amountTenge", "link", "seats", "venue"]);
    expect(byPath(en.body).city).toMatchObject({ code: "city-required", message: "city: required for an in-person event (7.4)" });
    expect(en.body.detail).toBe("6 problem(s) in the announcement; nothing was stored.");
    const kk = await announce(p.token, e.id, bad, { "accept-language": "kk" });
    expect(kk.headers.get("content-language")).toBe("kk");
    expect(byPath(kk.body).description.message).toBe("сипаттама: міндетті, ең көбі 2000 таңба");
    expect(kk.body.detail).toBe("Хабарландыруда 6 қате бар; ештеңе сақталмады.");
    const ru = await announce(p.token, e.id, bad, { "accept-language": "ru" });
    expect(byPath(ru.body)["fee/amountTenge"].message).toBe("сумма: целое число тенге от 1 до 100000000");
    // Wrong types and shapes are the same 400, never a 500.
    for (const body of [[], "text", { description: 5, fee: "free" }, { description: "x".repeat(2001), fee: { kind: "sponsored", sponsor: "mayor" }, city: "A", venue: "B" }]) {
      const r = await announce(p.token, e.id, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.errors.every((x: any) => typeof x.code === "string")).toBe(true);
    }
    expect((await s.call("PUT", `/api/events/${e.id}/announcement`, { token: p.token, raw: "{not json", headers: { "content-type": "application/json" } })).body.code).toBe("invalid_json");
    // 7.4: an online event needs its link, not a city.
    const web = await event(p.token, { deliveryMode: "online" }, "07-16");
    const noLink = await announce(p.token, web.id, { description: "Онлайн", fee: { kind: "free" } });
    expect(noLink.body.errors.map((x: any) => x.code)).toEqual(["link-required"]);
    expect((await announce(p.token, web.id, online)).status).toBe(200);
    expect((await s.call("GET", `/api/events/${e.id}/announcement`, { token: p.token })).status).toBe(404);
  });
});

describe("7.3, 2.1(4): the public calendar", () => {
  /** Two providers and four announced events (one online and paid), one unannounced and one by a Shymkent provider. */
  const almatyAdmin = async () => (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "office" } })).body.token as string;

  async function calendar(o: { confirmJoint?: boolean } = {}) {
    const almaty = await accreditedProvider(s, { name: "Алматы орталығы" });
    const shymkent = await accreditedProvider(s, { name: "Шымкент орталығы", barId: "shymkent-city" });
    const criminal = await event(almaty.token, {}, "07-15");
    const civilOnline = await event(almaty.token, { programme: "civil", form: "course", deliveryMode: "online", topic: "Азаматтық процесс" }, "07-10");
    const seminar = await event(almaty.token, { form: "seminar", topic: "Адвокаттық әдеп" }, "08-05");
    const unannounced = await event(almaty.token, {}, "07-11");
    const south = await event(shymkent.token, { topic: "Оңтүстік семинары" }, "07-12");
    const joint = await event(shymkent.token, { topic: "Бірлескен курс", coOrganiserBarId: "almaty-city" }, "09-01");
    expect((await announce(almaty.token, criminal.id, inPerson)).status).toBe(200);
    expect((await announce(almaty.token, civilOnline.id, online)).status).toBe(200);
    expect((await announce(almaty.token, seminar.id, { ...inPerson, city: "алматы ", fee: { kind: "sponsored", sponsor: "bar" } })).status).toBe(200);
    expect((await announce(shymkent.token, south.id, { ...inPerson, city: "Шымкент" })).status).toBe(200);
    expect((await announce(shymkent.token, joint.id, { ...inPerson, city: "Шымкент", fee: { kind: "paid", amountTenge: 1250000 } })).status).toBe(200);
    // 5.1(3): the co-organising bar confirms (the bar-calendar test looks at the event before it does).
    if (o.confirmJoint !== false) expect((await s.call("POST", `/api/events/${joint.id}/co-organisation`, { token: await almatyAdmin(), body: { decision: "confirm" } })).status).toBe(200);
    return { almaty, shymkent, criminal, civilOnline, seminar, unannounced, south, joint };
  }

  it("7.3: /events lists every announced event still to come, by its start, in kk/ru/en, with its organiser, dates, place, fee and seats", async () => {
    const x = await calendar();
    const kk = await page("/events", "kk");
    expect(kk.status).toBe(200);
    expect(kk.type).toContain("text/html");
    expect(kk.text).toContain("Аккредиттелген іс-шаралар күнтізбесі");
    expect(listedIds(kk.text)).toEqual([x.civilOnline.id, x.south.id, x.criminal.id, x.seminar.id, x.joint.id]);
    expect(kk.text).toContain("2026-07-15 10:00–16:00");
    expect(kk.text).toContain("15\u00a0000 теңге, адвокат төлейді");
    expect(kk.text).toContain("Адвокаттар үшін тегін: алқа төлейді");
    expect(kk.text).toContain(`href="/providers/${x.almaty.party.id}"`);
    const ru = await page("/events", "ru");
    expect(ru.text).toContain("Календарь аккредитованных мероприятий");
    expect(ru.text).toContain("1\u00a0250\u00a0000 тенге, оплачивает адвокат");
    const en = await page("/events?lang=en");
    expect(en.text).toContain("Calendar of accredited events");
    expect(en.text).toContain("Events: 5");
    // Ended events leave the calendar.
    s.clock.set("2026-07-15T12:00:00Z");
    expect(listedIds((await page("/events")).text)).toEqual([x.seminar.id, x.joint.id]);
  });

  it("7.3: the event's public page: organiser linked to its registry entry, dates in Kazakhstan time, place or link, fee, seats, programme, form, hours", async () => {
    const x = await calendar();
    const p = await page(`/events/${x.criminal.id}`, "en");
    expect(p.status).toBe(200);
    expect(p.text).toContain(`<a href="/providers/${x.almaty.party.id}" data-organiser="${x.almaty.party.id}">Алматы орталығы</a>`);
    for (const text of ["2026-07-15 10:00–16:00", "UTC+05:00", "Абай даңғылы 10, 3-қабат", "Free", "40", "Advocacy in Criminal Cases", "Course", "6.0", "Сейтқали Ә.", "Дәлелдемелерді жинау, бағалау; сотта қорғау.<br/>Практикалық сабақ."]) {
      expect(p.text, text).toContain(text);
    }
    expect(p.text).toContain(`href="/registry/almaty-city/events"`);
    expect(p.text).toContain(`href="/providers/${x.almaty.party.id}/events.ics"`);
    const web = await page(`/events/${x.civilOnline.id}`, "kk");
    expect(web.text).toContain(`<a href="https://meet.example.kz/room-1" rel="nofollow noopener noreferrer" data-link="true">`);
    expect((await page(`/events/${x.unannounced.id}`)).status).toBe(404);
    expect((await page("/events/nosuchevent")).status).toBe(404);
  });

  it("7.3: /registry/{bar}/events lists the events its decisions cover, or that it co-organises once it has confirmed (5.1(3)); the registry links its calendar", async () => {
    const x = await calendar({ confirmJoint: false });
    // Named as co-organiser but not yet confirmed: the bar's calendar does not claim the event.
    expect(listedIds((await page("/registry/almaty-city/events", "en")).text)).toEqual([x.civilOnline.id, x.criminal.id, x.seminar.id]);
    expect((await s.call("POST", `/api/events/${x.joint.id}/co-organisation`, { token: await almatyAdmin(), body: { decision: "confirm" } })).status).toBe(200);
    const almaty = await page("/registry/almaty-city/events", "en");
    expect(almaty.status).toBe(200);
    expect(almaty.text).toContain("Almaty");
    expect(listedIds(almaty.text)).toEqual([x.civilOnline.id, x.criminal.id, x.seminar.id, x.joint.id]);
    expect(listedIds((await page("/registry/shymkent-city/events")).text)).toEqual([x.south.id, x.joint.id]);
    expect(listedIds((await page("/registry/aktobe/events")).text)).toEqual([]);
    expect((await page("/registry/no-such-bar/events")).status).toBe(404);
    expect((await page("/registry/almaty-city")).text).toContain(`href="/registry/almaty-city/events"`);
    expect((await page("/registry")).text).toContain(`href="/events"`);
  });

  it("7.3, 6.1–6.2: filters: programme, form, delivery, city (any case), dates and free only (free, or paid by the bar, the RBA or a grant)", async () => {
    const x = await calendar();
    const ids = async (q: string, path = "/events") => listedIds((await page(`${path}?${q}`)).text);
    expect(await ids("programme=civil")).toEqual([x.civilOnline.id]);
    expect(await ids("form=seminar")).toEqual([x.seminar.id]);
    expect(await ids("delivery=online")).toEqual([x.civilOnline.id]);
    expect(await ids("city=%D0%90%D0%9B%D0%9C%D0%90%D0%A2%D0%AB")).toEqual([x.criminal.id, x.seminar.id]); // АЛМАТЫ
    expect(await ids("city=Шымкент", "/registry/almaty-city/events")).toEqual([x.joint.id]);
    expect(await ids("from=2026-07-12&to=2026-07-15")).toEqual([x.south.id, x.criminal.id]);
    expect(await ids("to=2026-07-10")).toEqual([x.civilOnline.id]);
    expect(await ids("free=1")).toEqual([x.south.id, x.criminal.id, x.seminar.id]);
    expect(await ids("free=1&programme=criminal&form=course&delivery=in-person&city=алматы")).toEqual([x.criminal.id]);
    // Empty fields mean "any"; the form keeps what was chosen, and the language switch keeps the filter.
    const chosen = await page("/events?programme=&form=seminar&delivery=&city=&from=&to=");
    expect(listedIds(chosen.text)).toEqual([x.seminar.id]);
    expect(chosen.text).toContain(`<option value="seminar" selected="">`);
    expect(chosen.text).toContain(`href="/events?form=seminar&amp;lang=kk"`);
    // The city choice offers the cities of the listed events, each once whatever its spelling.
    expect([...(await page("/events")).text.matchAll(/<option value="(Алматы|алматы|Шымкент)"/g)].map((m) => m[1])).toEqual(["Алматы", "Шымкент"]);
  });

  it("7.3: a filter that cannot be read is a 400 page in the visitor's language, never a 500; the JSON calendar answers a problem document", async () => {
    await calendar();
    const junk = "/events?programme=astrology&form=%3Cscript%3E&delivery=teleport&from=2026-02-30&to=tomorrow&free=maybe&city=" + "x".repeat(101);
    const kk = await page(junk, "kk");
    expect(kk.status).toBe(400);
    expect(kk.type).toContain("text/html");
    expect(kk.text).toContain("Сүзгіні оқу мүмкін болмады");
    expect(kk.text).toContain("бағдарлама: бағдарламалардың бірі емес (10.1)");
    const en = await page("/registry/almaty-city/events?from=2026-08-01&to=2026-07-01&programme=astrology");
    expect(en.status).toBe(400);
    expect([...en.text.matchAll(/data-problem-code="([a-z-]+)"/g)].map((m) => m[1])).toEqual(["filter-programme-invalid", "filter-range-invalid"]);
    expect((await page("/events.ics?free=maybe")).status).toBe(400);
    const api = await s.call("GET", "/api/events/announced?delivery=teleport&to=31.12.2026", { headers: { "accept-language": "ru" } });
    expect(api.status).toBe(400);
    expect(api.headers.get("content-type")).toContain("application/problem+json");
    expect(api.body.errors.map((x: any) => x.message)).toEqual(["формат: очно, дистанционно или онлайн (7.4)", "дата «до»: реальная дата в виде ГГГГ-ММ-ДД"]);
    expect((await s.call("GET", "/api/events/announced?bar=nowhere")).status).toBe(404);
    expect((await s.call("GET", "/api/events/announced?bar=NOT_A_BAR")).status).toBe(400);
  });

  it("7.3: the JSON calendar at /api/events/announced, with the same filters, a bar or a provider", async () => {
    const x = await calendar();
    const all = await s.call("GET", "/api/events/announced");
    expect(all.status).toBe(200);
    expect(all.body.count).toBe(5);
    const first = all.body.events[0];
    expect(first).toMatchObject({
      id: x.civilOnline.id, programme: "civil", deliveryMode: "online", academicHours: 6, accreditedBy: ["almaty-city"],
      organiser: { id: x.almaty.party.id, name: "Алматы орталығы", kind: "centre", registry: `https://senim.test/providers/${x.almaty.party.id}` },
      announcement: { link: "https://meet.example.kz/room-1", fee: { kind: "paid", amountTenge: 15000 } },
      url: `https://senim.test/events/${x.civilOnline.id}`,
    });
    expect((await s.call("GET", "/api/events/announced?bar=shymkent-city")).body.events.map((e: any) => e.id)).toEqual([x.south.id, x.joint.id]);
    expect((await s.call("GET", `/api/events/announced?provider=${x.shymkent.party.id}&free=1`)).body.events.map((e: any) => e.id)).toEqual([x.south.id]);
    const doc = await s.call("GET", "/openapi.json");
    for (const path of ["/api/events/announced", "/api/events/{id}/announcement", "/events", "/events/{id}", "/registry/{bar}/events", "/registry/{bar}/events.ics", "/providers/{id}/events.ics"]) expect(Object.keys(doc.body.paths)).toContain(path);
  });

  it("7.3, 9.2: a withdrawn announcement, and a withdrawn accreditation, take the event off every listing, page and feed", async () => {
    const x = await calendar();
    const everywhere = async (id: string) => ({
      events: listedIds((await page("/events")).text).includes(id),
      bar: listedIds((await page("/registry/almaty-city/events")).text).includes(id),
      page: (await page(`/events/${id}`)).status,
      json: (await s.call("GET", "/api/events/announced")).body.events.some((e: any) => e.id === id),
      feed: (await page("/events.ics")).text.includes(`UID:${id}@senim.test`),
      providerFeed: (await page(`/providers/${x.almaty.party.id}/events.ics`)).text.includes(`UID:${id}@senim.test`),
    });
    expect(await everywhere(x.criminal.id)).toEqual({ events: true, bar: true, page: 200, json: true, feed: true, providerFeed: true });
    expect((await s.call("DELETE", `/api/events/${x.criminal.id}/announcement`, { token: x.almaty.token })).status).toBe(204);
    expect(await everywhere(x.criminal.id)).toEqual({ events: false, bar: false, page: 404, json: false, feed: false, providerFeed: false });
    expect((await s.call("DELETE", `/api/events/${x.criminal.id}/announcement`, { token: x.almaty.token })).status).toBe(404);
    // 9.2: Almaty City withdraws its decision from 2026-08-01: the seminar of 5 August is no longer covered, July's still are.
    expect(await everywhere(x.seminar.id)).toMatchObject({ events: true, page: 200 });
    const w = await s.call("POST", `/api/accreditations/${x.almaty.accreditation.id}/withdrawal`, {
      token: s.adminToken, body: { ground: "non-compliance", decisionNumber: "11-П", decisionDate: "2026-06-01", effectiveFrom: "2026-08-01", reason: "9.2(1)" },
    });
    expect(w.status, w.text).toBe(201);
    expect(await everywhere(x.seminar.id)).toEqual({ events: false, bar: false, page: 404, json: false, feed: false, providerFeed: false });
    expect(await everywhere(x.civilOnline.id)).toMatchObject({ events: true, page: 200, feed: true });
  });

  it("7.3: iCalendar feeds per bar, per provider and for all, read back by ical.js: UTC times, escaped text, folded lines", async () => {
    const x = await calendar();
    const res = await s.fetch(`/providers/${x.almaty.party.id}/events.ics`, { headers: { "accept-language": "ru" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const text = await res.text();
    for (const line of text.split("\r\n")) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(text.split("\r\n").some((l) => l.startsWith(" "))).toBe(true); // the long description is folded
    const cal = new ICAL.Component(ICAL.parse(text));
    const events = cal.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    expect(events.map((e) => e.uid)).toEqual([x.civilOnline.id, x.criminal.id, x.seminar.id].map((id) => `${id}@senim.test`));
    const criminal = events[1]!;
    expect(criminal.summary).toBe("Қылмыстық процестегі дәлелдемелер");
    expect(criminal.startDate.toJSDate().toISOString()).toBe("2026-07-15T05:00:00.000Z");
    expect(criminal.endDate.toJSDate().toISOString()).toBe("2026-07-15T11:00:00.000Z");
    expect(criminal.location).toBe("Абай даңғылы 10, 3-қабат, Алматы");
    expect(criminal.description).toContain("Дәлелдемелерді жинау, бағалау; сотта қорғау.\nПрактикалық сабақ.");
    expect(criminal.description).toContain("Организатор: Алматы орталығы");
    expect(criminal.description).toContain("Стоимость: Бесплатно");
    expect(criminal.component.getFirstPropertyValue("url")).toBe(`https://senim.test/events/${x.criminal.id}`);
    expect(events[0]!.location).toBe("https://meet.example.kz/room-1");
    const bar = new ICAL.Component(ICAL.parse(await (await s.fetch("/registry/shymkent-city/events.ics")).text()));
    expect(bar.getAllSubcomponents("vevent").map((v) => v.getFirstPropertyValue("uid"))).toEqual([x.south.id, x.joint.id].map((id) => `${id}@senim.test`));
    const free = new ICAL.Component(ICAL.parse(await (await s.fetch("/events.ics?free=1")).text()));
    expect(free.getAllSubcomponents("vevent")).toHaveLength(3);
    expect((await s.fetch("/providers/nosuchprovider/events.ics")).status).toBe(404);
  });
});

describe("7.3: the provider console", () => {
  it("7.3: the event's page shows whether it is announced; its form announces, changes and withdraws, with problems in the page's language", async () => {
    const p = await accreditedProvider(s);
    const e = await event(p.token);
    let cookie = "";
    let csrf = "";
    const go = async (method: string, path: string, form?: Record<string, string>) => {
      const body = form ? new URLSearchParams({ _csrf: csrf, ...form }) : undefined;
      const res = await s.app.request(`https://senim.test${path}`, { method, body, headers: { cookie, "accept-language": "kk", ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) } });
      const set = res.headers.get("set-cookie");
      if (set?.startsWith("senim_session=")) cookie = set.split(";")[0]!;
      const text = await res.text();
      csrf = /name="_csrf" value="([0-9a-f]{64})"/.exec(text)?.[1] ?? csrf;
      return { status: res.status, location: res.headers.get("location"), text };
    };
    await go("POST", "/console/sign-in", { apiKey: p.token });
    const before = await go("GET", `/console/events/${e.id}`);
    expect(before.text).toContain(`data-announced="false"`);
    expect(before.text).toContain("Жарияланбаған");
    const form = { description: "Практикалық курс", city: "Алматы", venue: "Абай даңғылы 10", link: "", feeKind: "paid", feeAmount: "5000", feeSponsor: "bar", seats: "" };
    const bad = await go("POST", `/console/events/${e.id}/announcement`, { ...form, venue: "", feeAmount: "бес мың" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("мекенжай: күндізгі іс-шара үшін міндетті (7.4)");
    expect(bad.text).toContain("Хабарландыруда 2 қате бар; ештеңе сақталмады.");
    const ok = await go("POST", `/console/events/${e.id}/announcement`, form);
    expect(ok.status).toBe(303);
    const after = await go("GET", `/console/events/${e.id}`);
    expect(after.text).toContain(`data-announced="true"`);
    expect(after.text).toContain(`href="/events/${e.id}"`);
    expect(after.text).toContain(`value="5000"`);
    expect((await s.call("GET", `/api/events/${e.id}/announcement`, { token: p.token })).body).toMatchObject({ fee: { kind: "paid", amountTenge: 5000 }, seats: null, link: null });
    expect(listedIds((await page("/events")).text)).toEqual([e.id]);
    expect((await go("POST", `/console/events/${e.id}/announcement/withdraw`, {})).status).toBe(303);
    expect((await go("GET", `/console/events/${e.id}`)).text).toContain(`data-announced="false"`);
    expect(listedIds((await page("/events")).text)).toEqual([]);
    s.clock.set("2026-07-15T06:00:00Z");
    await go("POST", "/console/sign-in", { apiKey: p.token }); // the session of June has long expired
    const started = await go("GET", `/console/events/${e.id}`);
    expect(started.text).toContain("Іс-шара басталды");
    expect(started.text).not.toContain(`action="/console/events/${e.id}/announcement"`);
  });
});
