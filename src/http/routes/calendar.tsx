/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * The public calendar of accredited events (7.3, 2.1(4)): `/events` (every bar's), `/registry/{bar}/events` (the
 * events a bar's decisions cover, or that it co-organises), `/events/{id}` (one event's page), and the same as
 * iCalendar feeds (RFC 5545): `/events.ics`, `/registry/{bar}/events.ics`, `/providers/{id}/events.ics`. Pages and
 * feeds take the same filter in the query string (programme, form, delivery, city, from, to, free); a filter that
 * cannot be read is the visitor's 400, in their language, never a 500.
 */
import { documentPublicGets } from "../schemas.js";
import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { parseCalendarFilter, type CalendarFilter } from "../../domain/announcement.js";
import { isSenimError } from "../../domain/errors.js";
import { academicHours } from "../../domain/time.js";
import type { CalendarEntry } from "../../issuance/model.js";
import { fillTemplate } from "../../lib/csv.js";
import { buildCalendar } from "../../lib/ical.js";
import type { AppEnv, Services } from "../context.js";
import { CAL_T, pickLang, t, type Lang } from "../i18n.js";
import { CalendarEventNotFound, CalendarEventPage, CalendarFilterRefused, CalendarPage, calendarNames, feeText, whereText, type CalendarNames } from "../pages/calendar.js";

const ID = "[0-9a-z]{1,40}";
const BAR = "[a-z-]{2,40}";

const FILTER_PARAMS = z.object({
  programme: z.string().optional().openapi({ description: "10.1: foundations, civil, criminal or topical" }),
  form: z.string().optional().openapi({ description: "5.1: course, seminar, training or master-class" }),
  delivery: z.string().optional().openapi({ description: "7.4: in-person, distance or online" }),
  city: z.string().optional().openapi({ description: "a city as announced (case and ё/е do not matter)" }),
  from: z.string().optional().openapi({ description: "YYYY-MM-DD (Kazakhstan): events still running on or after it" }),
  to: z.string().optional().openapi({ description: "YYYY-MM-DD (Kazakhstan): events starting on or before it" }),
  free: z.string().optional().openapi({ description: "1: only events that cost the advocate nothing (6.1–6.2)" }),
  lang: z.enum(["kk", "ru", "en"]).optional(),
});

const PATHS: [path: string, summary: string, mediaType: string][] = [
  ["/events", "7.3: the calendar of accredited events of every bar, with filters (HTML, kk/ru/en)", "text/html"],
  ["/events/{id}", "7.3: an announced event's public page: organiser, dates in Kazakhstan time, place or link, fee (6.1–6.2), seats, programme, form, hours", "text/html"],
  ["/registry/{bar}/events", "7.3: the events of providers the bar accredited for them, or that it co-organises (HTML)", "text/html"],
  ["/events.ics", "7.3: the calendar of every bar as an iCalendar feed (RFC 5545), with the same filters", "text/calendar"],
  ["/registry/{bar}/events.ics", "7.3: one bar's calendar as an iCalendar feed", "text/calendar"],
  ["/providers/{id}/events.ics", "7.3: one provider's announced events as an iCalendar feed", "text/calendar"],
];

export function registerCalendar(app: OpenAPIHono<AppEnv>, services: Services): void {
  const { registry, issuance } = services;

  // The lists and feeds take the filter; an event's own page does not.
  documentPublicGets(app, PATHS, { query: FILTER_PARAMS, withQuery: (path) => !path.endsWith("{id}"), badQuery: "The filter cannot be read" });

  /** The visitor's filter, or the 400 page that lists its problems. */
  async function filterOf(c: Context<AppEnv>, path: string): Promise<CalendarFilter | Response> {
    try {
      return parseCalendarFilter((name) => c.req.query(name));
    } catch (err) {
      if (!isSenimError(err) || err.code !== "invalid_request") throw err;
      return c.html(<CalendarFilterRefused lang={pickLang(c)} path={path} problems={err.problems} />, 400);
    }
  }

  async function names(lang: Lang): Promise<CalendarNames> {
    const [vocabulary, bars] = await Promise.all([registry.vocabulary(), registry.bars()]);
    return calendarNames(vocabulary, bars, lang);
  }

  app.get("/events", async (c) => {
    const filter = await filterOf(c, "/events");
    if (filter instanceof Response) return filter;
    const lang = pickLang(c);
    const { entries, cities } = await issuance.calendar(filter);
    return c.html(
      <CalendarPage lang={lang} title={t(CAL_T.title, lang)} path="/events" filter={filter} entries={entries} cities={cities} names={await names(lang)} feed="/events.ics"
        links={[{ href: "/registry", text: t(CAL_T.barCalendar, lang) }]} />,
    );
  });

  app.get(`/registry/:bar{${BAR}}/events`, async (c) => {
    const bar = await registry.bar(c.req.param("bar"));
    if (!bar) return c.notFound();
    const path = `/registry/${bar.id}/events`;
    const filter = await filterOf(c, path);
    if (filter instanceof Response) return filter;
    const lang = pickLang(c);
    const { entries, cities } = await issuance.calendar(filter, { barId: bar.id });
    return c.html(
      <CalendarPage lang={lang} title={fillTemplate(t(CAL_T.barTitle, lang), { bar: bar.names[lang] })} path={path} filter={filter} entries={entries} cities={cities} names={await names(lang)}
        feed={`${path}.ics`} links={[{ href: "/events", text: t(CAL_T.allEvents, lang) }, { href: `/registry/${bar.id}`, text: bar.names[lang] }]} />,
    );
  });

  app.get(`/events/:id{${ID}}`, async (c) => {
    const lang = pickLang(c);
    const entry = await issuance.publicEvent(c.req.param("id"));
    if (!entry) return c.html(<CalendarEventNotFound lang={lang} id={c.req.param("id")} />, 404);
    return c.html(<CalendarEventPage lang={lang} entry={entry} names={await names(lang)} now={registry.now()} />);
  });

  // ---- iCalendar feeds ------------------------------------------------------------------------------------------

  const eventUrl = (id: string) => `${registry.publicUrl}/events/${id}`;
  const host = new URL(registry.publicUrl).host;

  async function feed(c: Context<AppEnv>, path: string, name: (lang: Lang) => string, scope: { barId?: string; partyId?: string }): Promise<Response> {
    const filter = await filterOf(c, path);
    if (filter instanceof Response) return filter;
    const lang = pickLang(c);
    const [{ entries }, n] = await Promise.all([issuance.calendar(filter, scope), names(lang)]);
    const body = buildCalendar({ prodId: "-//Senim//Calendar of accredited events//KK-RU-EN", name: name(lang), events: entries.map((x) => feedEvent(x, lang, n)) });
    // Calendar apps poll; five minutes bounds how long a withdrawn event lingers in a subscriber's calendar.
    return c.body(body, 200, { "Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "public, max-age=300", "Content-Language": lang });
  }

  function feedEvent(x: CalendarEntry, lang: Lang, n: CalendarNames) {
    const { event: e, announcement: a } = x;
    const terms = fillTemplate(t(CAL_T.icsTerms, lang), { programme: n.programmes.get(e.programme) ?? e.programme, form: n.forms.get(e.form) ?? e.form, hours: academicHours(e.durationMinutes).toFixed(1) });
    const lines = [
      a.description,
      "",
      fillTemplate(t(CAL_T.icsOrganiser, lang), { name: x.organiser.name }),
      terms,
      fillTemplate(t(CAL_T.icsFee, lang), { fee: feeText(a.fee, lang) }),
      ...(a.seats !== null ? [fillTemplate(t(CAL_T.icsSeats, lang), { seats: a.seats })] : []),
      ...(a.link ? [a.link] : []),
      eventUrl(e.id),
    ];
    return {
      uid: `${e.id}@${host}`,
      stamp: a.updatedAt,
      start: e.startsAt,
      end: e.endsAt,
      summary: e.topic,
      location: whereText(x) || a.link || n.modes.get(e.deliveryMode) || e.deliveryMode,
      url: eventUrl(e.id),
      description: lines.join("\n"),
    };
  }

  app.get("/events.ics", (c) => feed(c, "/events.ics", (lang) => t(CAL_T.title, lang), {}));

  app.get(`/registry/:bar{${BAR}}/events.ics`, async (c) => {
    const bar = await registry.bar(c.req.param("bar"));
    if (!bar) return c.notFound();
    return feed(c, `/registry/${bar.id}/events.ics`, (lang) => fillTemplate(t(CAL_T.barTitle, lang), { bar: bar.names[lang] }), { barId: bar.id });
  });

  app.get(`/providers/:id{${ID}}/events.ics`, async (c) => {
    const party = await registry.getParty(c.req.param("id"));
    if (!party) return c.notFound();
    return feed(c, `/providers/${party.id}/events.ics`, (lang) => `${party.name} — ${t(CAL_T.title, lang)}`, { partyId: party.id });
  });
}
