/**
 * The calendar of accredited events. 7.3: events are announced on the RBA's and the bars' websites; 2.1(4): an
 * advocate gets information about training from their bar and the RBA; 6.1–6.2: training is paid for by the advocate
 * or by the bar, or costs the advocate nothing (free events, grants, other sources). What a provider's announcement
 * says, and what a visitor may filter the calendar by, both checked whole before anything is stored or read.
 *
 * Problems carry a stable code and the values their text names, so pages and the API can say them in the visitor's
 * language (src/http/i18n); `message` is the English text of {@link ANNOUNCEMENT_PROBLEM_TEMPLATES}.
 */
import { DELIVERY_MODES, FORMS, PROGRAMMES, type DeliveryMode, type Form, type Programme } from "./catalog.js";
import { keyedError, type FieldProblem, type SenimError } from "./errors.js";
import { normaliseKazakh } from "./people.js";
import { isValidDate, parseInstant, toInstant } from "./time.js";
import { isWebsiteUrl } from "./website.js";

/** 6.1–6.2: who pays. `sponsored`: the advocate pays nothing, the bar, the RBA or a grant does. */
export const FEE_KINDS = ["free", "paid", "sponsored"] as const;
export type FeeKind = (typeof FEE_KINDS)[number];
export const SPONSORS = ["bar", "rba", "grant"] as const;
export type Sponsor = (typeof SPONSORS)[number];
export type Fee = { kind: "free" } | { kind: "paid"; amountTenge: number } | { kind: "sponsored"; sponsor: Sponsor };

/** An event's announcement in the calendar (7.3). One per event; withdrawing it removes it. */
export interface Announcement {
  eventId: string;
  /** When it was first announced; kept when the announcement is changed. */
  announcedAt: string;
  updatedAt: string;
  description: string;
  city: string | null;
  /** The address or room of an in-person event. */
  venue: string | null;
  /** Where a distance or online event is joined (or an in-person event's own page): an https URL. */
  link: string | null;
  fee: Fee;
  /** `null`: the provider did not say. */
  seats: number | null;
}

/** What a provider states; the dates, programme and form are the event's own. */
export type AnnouncementTerms = Omit<Announcement, "eventId" | "announcedAt" | "updatedAt">;

export const ANNOUNCEMENT_LIMITS = { description: 2000, city: 100, venue: 500, link: 500, amountTenge: 100_000_000, seats: 100_000 } as const;

/**
 * The refusals of announcements and of the calendar's filter, in English with `{name}` values; `{what}` is a text of
 * its own (`announcement-doing-…`). kk and ru: the catalogues' problemDetails.
 */
export const ANNOUNCEMENT_DETAIL_TEMPLATES = {
  "announcement-problems": "{count} problem(s) in the announcement; nothing was stored.",
  "announcement-event-started": "7.3: an event is {what} in the calendar before it starts; this one started at {startsAt}.",
  "announcement-doing-announce": "announced or changed",
  "announcement-doing-withdraw": "withdrawn",
  "calendar-filter-problems": "{count} problem(s) in the calendar's filter.",
} as const;

export const ANNOUNCEMENT_PROBLEM_TEMPLATES = {
  "announcement-invalid": "the announcement must be an object with a description and a fee",
  "description-invalid": "description: required, at most {max} characters",
  "city-invalid": "city: at most {max} characters",
  "city-required": "city: required for an in-person event (7.4)",
  "venue-invalid": "venue: at most {max} characters",
  "venue-required": "venue: the address is required for an in-person event (7.4)",
  "link-invalid": "link: an https:// address of at most {max} characters",
  "link-required": "link: required for a distance or online event (7.4)",
  "fee-invalid": "fee: free, paid (with the amount in tenge) or sponsored (by the bar, the RBA or a grant) (6.1–6.2)",
  "fee-amount-invalid": "fee amount: a whole number of tenge from 1 to {max}",
  "fee-sponsor-invalid": "fee sponsor: the bar, the RBA or a grant",
  "seats-invalid": "seats: a whole number from 1 to {max}, or none",
  // the calendar's filters (a query string)
  "filter-programme-invalid": "programme: not one of the programmes (10.1)",
  "filter-form-invalid": "form: not one of the forms (5.1)",
  "filter-delivery-invalid": "delivery: in person, distance or online (7.4)",
  "filter-city-invalid": "city: at most {max} characters",
  "filter-from-invalid": "from: a real date YYYY-MM-DD",
  "filter-to-invalid": "to: a real date YYYY-MM-DD",
  "filter-range-invalid": "to: earlier than from",
  "filter-free-invalid": "free: 1, or leave it out",
} as const;
export type AnnouncementProblemCode = keyof typeof ANNOUNCEMENT_PROBLEM_TEMPLATES;

function problem(path: string, code: AnnouncementProblemCode, params?: Record<string, number>): FieldProblem {
  const message = ANNOUNCEMENT_PROBLEM_TEMPLATES[code].replace(/\{(\w+)\}/g, (whole, name: string) => (params && name in params ? String(params[name]) : whole));
  return { path, message, code, ...(params ? { params } : {}) };
}

/**
 * A trimmed text of at most `max` characters, on one line unless `lines` (then line breaks are kept, as `\n`);
 * `""`/absent is `null`; anything else (too long, not text) is `undefined`.
 */
function optionalText(v: unknown, max: number, lines = false): string | null | undefined {
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") return undefined;
  const flat = lines ? v.replace(/\r\n?/g, "\n").replace(/[^\S\n]+/g, " ").replace(/ ?\n ?/g, "\n").replace(/\n{3,}/g, "\n\n") : v.replace(/\s+/g, " ");
  const s = normaliseKazakh(flat.trim());
  if (s === "") return null;
  return s.length <= max ? s : undefined;
}

const isWhole = (v: unknown, min: number, max: number): v is number => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;

/** Only a web page on https: a visitor follows it from a public page (src/domain/website.ts says why the rest). */
export const isHttpsLink = (v: unknown): v is string => isWebsiteUrl(v) && v.length <= ANNOUNCEMENT_LIMITS.link && /^https:/i.test(v);

/**
 * Checks what a provider sent for an event delivered as `deliveryMode` (7.4: in person needs a city and an address;
 * distance and online need the link to join) and returns it normalised, or throws `invalid_request` with every
 * problem at once.
 */
export function parseAnnouncement(raw: unknown, deliveryMode: DeliveryMode): AnnouncementTerms {
  const L = ANNOUNCEMENT_LIMITS;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw invalid([problem("", "announcement-invalid")]);
  const o = raw as Record<string, unknown>;
  const problems: FieldProblem[] = [];

  const description = optionalText(o.description, L.description, true);
  if (!description) problems.push(problem("description", "description-invalid", { max: L.description }));
  const city = optionalText(o.city, L.city);
  if (city === undefined) problems.push(problem("city", "city-invalid", { max: L.city }));
  else if (city === null && deliveryMode === "in-person") problems.push(problem("city", "city-required"));
  const venue = optionalText(o.venue, L.venue);
  if (venue === undefined) problems.push(problem("venue", "venue-invalid", { max: L.venue }));
  else if (venue === null && deliveryMode === "in-person") problems.push(problem("venue", "venue-required"));
  let link: string | null = null;
  if (o.link !== undefined && o.link !== null && o.link !== "") {
    if (isHttpsLink(typeof o.link === "string" ? o.link.trim() : o.link)) link = (o.link as string).trim();
    else problems.push(problem("link", "link-invalid", { max: L.link }));
  } else if (deliveryMode !== "in-person") problems.push(problem("link", "link-required"));

  let fee: Fee | undefined;
  const f = o.fee;
  const kind = typeof f === "object" && f !== null && !Array.isArray(f) ? (f as Record<string, unknown>).kind : undefined;
  if (kind === "free") fee = { kind };
  else if (kind === "paid") {
    const amount = (f as Record<string, unknown>).amountTenge;
    if (isWhole(amount, 1, L.amountTenge)) fee = { kind, amountTenge: amount };
    else problems.push(problem("fee/amountTenge", "fee-amount-invalid", { max: L.amountTenge }));
  } else if (kind === "sponsored") {
    const sponsor = (f as Record<string, unknown>).sponsor;
    if ((SPONSORS as readonly unknown[]).includes(sponsor)) fee = { kind, sponsor: sponsor as Sponsor };
    else problems.push(problem("fee/sponsor", "fee-sponsor-invalid"));
  } else problems.push(problem("fee", "fee-invalid"));

  let seats: number | null = null;
  if (o.seats !== undefined && o.seats !== null) {
    if (isWhole(o.seats, 1, L.seats)) seats = o.seats;
    else problems.push(problem("seats", "seats-invalid", { max: L.seats }));
  }

  if (problems.length > 0) throw invalid(problems);
  return { description: description!, city: city ?? null, venue: venue ?? null, link, fee: fee!, seats };
}

function invalid(problems: FieldProblem[]): SenimError {
  return keyedError("invalid_request", ANNOUNCEMENT_DETAIL_TEMPLATES, "announcement-problems", { count: problems.length }, { problems });
}

/** 7.3: an event is announced, changed or withdrawn before it starts; once it has started the calendar is history. */
export function assertNotStarted(e: { startsAt: string }, now: string, doing: "announce" | "withdraw"): void {
  if (Date.parse(now) >= Date.parse(e.startsAt)) {
    const what = doing === "announce" ? "announcement-doing-announce" : "announcement-doing-withdraw";
    throw keyedError("rule_violated", ANNOUNCEMENT_DETAIL_TEMPLATES, "announcement-event-started", { startsAt: e.startsAt }, { parts: { what }, extra: { startsAt: e.startsAt } });
  }
}

/** 6.1–6.2: what "free only" means to an advocate — nothing to pay, whether the event is free or someone else pays. */
export const FREE_FOR_ADVOCATES: readonly FeeKind[] = ["free", "sponsored"];
export const costsAdvocateNothing = (fee: Fee): boolean => FREE_FOR_ADVOCATES.includes(fee.kind);

/** A city as people type it (capitals, ё/е, spaces, the Latin schwa): two spellings of one city compare equal. */
export function cityKey(city: string): string {
  return normaliseKazakh(city).toLocaleLowerCase("kk").replace(/ё/g, "е").replace(/\s+/g, " ").trim();
}

/** What a visitor may narrow the calendar to; every field optional. */
export interface CalendarFilter {
  programme?: Programme;
  form?: Form;
  deliveryMode?: DeliveryMode;
  city?: string;
  /** YYYY-MM-DD (Kazakhstan): events still running on or after that day. */
  from?: string;
  /** YYYY-MM-DD (Kazakhstan): events starting on or before that day. */
  to?: string;
  /** 6.1–6.2: only events that cost the advocate nothing. */
  freeOnly: boolean;
}

/**
 * A calendar filter from a query string's values (`programme`, `form`, `delivery`, `city`, `from`, `to`, `free`);
 * empty values mean "any". Anything else in the query is not the filter's business. Throws `invalid_request` with
 * every problem, so junk in a URL is the visitor's 400, never a 500.
 */
export function parseCalendarFilter(q: (name: string) => string | undefined): CalendarFilter {
  const problems: FieldProblem[] = [];
  const value = (name: string) => {
    const v = q(name)?.trim();
    return v === undefined || v === "" ? undefined : v;
  };
  const oneOf = <T extends string>(name: string, list: readonly T[], code: AnnouncementProblemCode): T | undefined => {
    const v = value(name);
    if (v === undefined) return undefined;
    if ((list as readonly string[]).includes(v)) return v as T;
    problems.push(problem(name, code));
    return undefined;
  };
  const programme = oneOf("programme", PROGRAMMES, "filter-programme-invalid");
  const form = oneOf("form", FORMS, "filter-form-invalid");
  const deliveryMode = oneOf("delivery", DELIVERY_MODES, "filter-delivery-invalid");
  let city = value("city");
  if (city !== undefined && city.length > ANNOUNCEMENT_LIMITS.city) {
    problems.push(problem("city", "filter-city-invalid", { max: ANNOUNCEMENT_LIMITS.city }));
    city = undefined;
  }
  const date = (name: "from" | "to") => {
    const v = value(name);
    if (v === undefined) return undefined;
    if (isValidDate(v)) return v;
    problems.push(problem(name, name === "from" ? "filter-from-invalid" : "filter-to-invalid"));
    return undefined;
  };
  const from = date("from");
  const to = date("to");
  if (from && to && to < from) problems.push(problem("to", "filter-range-invalid"));
  const free = value("free");
  if (free !== undefined && !["1", "true", "on"].includes(free)) problems.push(problem("free", "filter-free-invalid"));
  if (problems.length > 0) throw keyedError("invalid_request", ANNOUNCEMENT_DETAIL_TEMPLATES, "calendar-filter-problems", { count: problems.length }, { problems });
  return {
    ...(programme ? { programme } : {}),
    ...(form ? { form } : {}),
    ...(deliveryMode ? { deliveryMode } : {}),
    ...(city ? { city: normaliseKazakh(city) } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    freeOnly: free !== undefined,
  };
}

/** The filter as a query string (its own values only, so a page can link to itself without echoing what was sent). */
export function calendarFilterQuery(f: CalendarFilter): string {
  const p = new URLSearchParams();
  if (f.programme) p.set("programme", f.programme);
  if (f.form) p.set("form", f.form);
  if (f.deliveryMode) p.set("delivery", f.deliveryMode);
  if (f.city) p.set("city", f.city);
  if (f.from) p.set("from", f.from);
  if (f.to) p.set("to", f.to);
  if (f.freeOnly) p.set("free", "1");
  return p.toString();
}

/** The filter's dates as instants: events ending after `endsAfter` and starting before `startsBefore`. */
export function calendarSpan(f: CalendarFilter, now: string): { endsAfter: string; startsBefore?: string } {
  const from = f.from ? parseInstant(f.from)! : undefined;
  const endsAfter = from && Date.parse(from) > Date.parse(now) ? from : toInstant(Date.parse(now));
  if (!f.to) return { endsAfter };
  return { endsAfter, startsBefore: toInstant(Date.parse(parseInstant(f.to)!) + 86_400_000) };
}
