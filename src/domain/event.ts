import { findCoveringAccreditation, type Accreditation, type Refusal } from "./accreditation.js";
import { FORMS_REQUIRING_CENTRE_OR_BAR, RBA_ID, type Form, type ParticipantRole, type PartyKind } from "./catalog.js";
import { keyedError, type FieldProblem } from "./errors.js";
import { normaliseKazakh } from "./people.js";

/** The longest single event we accept: a course may run for weeks, not for years. */
export const MAX_EVENT_SPAN_DAYS = 366;

/**
 * The refusals of an event's rules, in English with `{name}` placeholders: the API gives these texts, the English
 * catalogue takes them as they are (`problemDetails`, src/http/i18n/en.ts) and kk.ts and ru.ts translate each key, so
 * pages and problem documents say them in the reader's language. `{form}`, `{refuses}`, `{bar}` and `{state}` are
 * texts of their own (the `form-…`, `event-refuses-…`, `bar-…` and `co-state-…` keys).
 */
export const EVENT_RULE_TEMPLATES = {
  "event-form-requires-centre": "5.1.2–5.1.3: a {form} counts only when organised by a centre or jointly with the RBA or a territorial bar; set coOrganiser.",
  "form-seminar": "seminar",
  "form-training": "training",
  "form-master-class": "master class",
  "event-ends-before-start": "endsAt must be after startsAt.",
  "event-span-too-long": "An event may span at most {days} days.",
  "event-duration-invalid": "durationMinutes must be a positive whole number of minutes.",
  "event-duration-too-long": "durationMinutes is longer than the time between startsAt and endsAt.",
  "event-programme-out-of-scope": "The provider's accreditation does not cover this programme (10.1); {refuses}.",
  "event-form-out-of-scope": "The provider's accreditation does not cover this form (5.1); {refuses}.",
  "event-provider-not-accredited": "The provider is not accredited (3.1, 9.1); {refuses}.",
  "event-not-yet-accredited": "5.1(1), 7.1: training counts only when given by an accredited provider, and the provider was not yet accredited on the event's dates ({dates}); {refuses}.",
  "event-accreditation-expired": "5.1(1), 7.1: training counts only when given by an accredited provider, and the provider's accreditation expired before the event ended ({dates}); {refuses}.",
  "event-accreditation-withdrawn": "5.1(1), 7.1: training counts only when given by an accredited provider, and the provider's accreditation was withdrawn (9.2) before the event ended ({dates}); {refuses}.",
  "event-refuses-record": "the service refuses to record this event",
  "event-refuses-sign": "the service refuses to sign its certificates",
  "event-refuses-announce": "the service refuses to announce it (7.3)",
  "bar-rba": "the RBA",
  "bar-named": "bar {barId}",
  "co-organisation-declined": "5.1(3): {bar} declined to co-organise this event, so no certificate may name it; the service refuses to sign its certificates. Record the event again without it, or with a bar that co-organised it.",
  "co-organisation-unconfirmed": "5.1(3): this event names {bar} as its co-organiser, which has not yet confirmed it; certificates name a co-organiser only once it has confirmed in its console (POST /api/events/{id}/co-organisation). Nothing was issued.",
  "co-organisation-none": "This event names no co-organising bar.",
  "co-organisation-answered": "5.1(3): the co-organisation was already {state}; the first answer stands.",
  "co-state-confirmed": "confirmed",
  "co-state-declined": "declined",
  // issuing (src/issuance/service.ts)
  "event-not-ended": "7.5: certificates are issued after the event; this event has not ended yet.",
  "event-no-participants": "The event has no participants: PUT the participant list first.",
  "event-trainer-problems": "{count} problem(s) in the event's trainers; nothing was stored.",
  "participant-list-problems": "{count} problem(s) in the participant list; nothing was stored.",
  "event-not-yours": "No event {id} of yours.",
  "event-unknown": "No event {id}.",
  "event-no-members-of-bar": "No member of bar {barId} took part in event {id}.",
  "event-not-announced": "This event is not announced.",
  "certificate-unknown": "No certificate {id}.",
  "certificate-already-revoked": "This certificate is already revoked.",
} as const;
export type EventRuleKey = keyof typeof EVENT_RULE_TEMPLATES;

/** A refusal of an event's rule, its detail one of {@link EVENT_RULE_TEMPLATES}. */
export const eventRuleError = (code: Parameters<typeof keyedError>[0], key: EventRuleKey, params?: Record<string, string | number>, options?: Parameters<typeof keyedError>[4]) =>
  keyedError(code, EVENT_RULE_TEMPLATES, key, params, options);

/**
 * 5.1.2–5.1.3: a seminar, training or master class counts when a centre organises it, or when it is organised jointly
 * with the RBA or a territorial bar. A course (5.1.1) may be run by any accredited provider.
 */
export function assertOrganiserMayRunForm(form: Form, organiserKind: PartyKind, coOrganiserBarId: string | null): void {
  if (FORMS_REQUIRING_CENTRE_OR_BAR.has(form) && organiserKind !== "centre" && coOrganiserBarId === null) {
    throw eventRuleError("form_requires_centre", "event-form-requires-centre", {}, { parts: { form: `form-${form}` } });
  }
}

/** 10.6, 12.3: the stated duration must fit between start and end (academic hours cannot exceed the clock). */
export function assertEventTimes(startsAt: string, endsAt: string, durationMinutes: number): void {
  const start = Date.parse(startsAt);
  const end = Date.parse(endsAt);
  if (end <= start) throw eventRuleError("rule_violated", "event-ends-before-start");
  if (end - start > MAX_EVENT_SPAN_DAYS * 86_400_000) throw eventRuleError("rule_violated", "event-span-too-long", { days: MAX_EVENT_SPAN_DAYS });
  if (!Number.isInteger(durationMinutes) || durationMinutes <= 0) throw eventRuleError("rule_violated", "event-duration-invalid");
  if (durationMinutes * 60_000 > end - start) throw eventRuleError("rule_violated", "event-duration-too-long");
}

/** What accreditation is checked against: the event's programme (10.1), form (5.1) and the days it is given. */
export type EventTerms = { programme: string; form: string; startsAt: string; endsAt: string };

/**
 * The one rule of {@link requireAccreditationForEvent}, without the refusal: the decision covering the event's
 * programme and form over its whole span, or why none does. The calendar (7.3) lists an event only while this holds,
 * so a withdrawal (9.2) that reaches the event's days takes it off every listing.
 */
export function eventCoverage(accreditations: readonly Accreditation[], e: EventTerms): { accreditation: Accreditation } | { refusal: Refusal } {
  return findCoveringAccreditation(accreditations, e.programme, e.form, { from: e.startsAt, to: e.endsAt });
}

/**
 * The bars whose own decisions cover the event ({@link eventCoverage} over each bar's decisions alone): the calendar of
 * a bar (7.3) lists the events of providers it accredited for that training. Sorted; empty when none covers it.
 */
export function accreditingBars(accreditations: readonly Accreditation[], e: EventTerms): string[] {
  const bars = [...new Set(accreditations.map((a) => a.barId))].sort();
  return bars.filter((bar) => "accreditation" in eventCoverage(accreditations.filter((a) => a.barId === bar), e));
}

/**
 * 5.1(1), 7.1: training counts when it is given *by* an accredited provider, so what must be covered is the days the
 * training was given (`startsAt`..`endsAt`, one decision for the whole span), not the day a certificate is signed:
 * a provider accredited in March cannot certify a course it gave in January, and a withdrawal (9.2) stops only
 * training given from its effect on, never certificates for training given while the accreditation stood.
 * Returns the decision the certificates will name, or throws `not_accredited` / `out_of_scope` with the reason.
 * `action` says what is refused: recording the event, signing its certificates, or announcing it in the calendar
 * (7.3: only a provider accredited for the event's programme and form on its dates may announce it — the same rule,
 * so an event the calendar shows is one whose certificates will be signed).
 */
export function requireAccreditationForEvent(
  accreditations: readonly Accreditation[],
  e: EventTerms,
  action: "record" | "sign" | "announce",
): Accreditation {
  const covering = eventCoverage(accreditations, e);
  if ("accreditation" in covering) return covering.accreditation;
  const reason = covering.refusal;
  const refuses = { refuses: `event-refuses-${action}` as const };
  const dates = `${e.startsAt} – ${e.endsAt}`;
  const extra = { reason, startsAt: e.startsAt, endsAt: e.endsAt };
  if (reason === "programme-out-of-scope" || reason === "form-out-of-scope") {
    throw eventRuleError("out_of_scope", reason === "form-out-of-scope" ? "event-form-out-of-scope" : "event-programme-out-of-scope", {}, { extra, parts: refuses });
  }
  if (accreditations.length === 0) throw eventRuleError("not_accredited", "event-provider-not-accredited", {}, { extra, parts: refuses });
  const why = reason === "not-yet-valid" ? "event-not-yet-accredited" : reason === "expired" ? "event-accreditation-expired" : "event-accreditation-withdrawn";
  throw eventRuleError("not_accredited", why, { dates }, { extra, parts: refuses });
}

/**
 * An event recorded more than this many days after it ended is shown as recorded late, to the provider and to its
 * bars. Participant lists (12.3) and certificates (7.5) normally follow an event within days, so a month leaves room
 * for ordinary paperwork; an event entered later than that is either records being caught up or training being
 * back-dated. Since accreditation is checked on the training's own dates both are allowed, but the bar should be
 * able to look twice (was it held as recorded?). It marks, it does not refuse: late entries have honest causes.
 */
export const LATE_RECORDING_DAYS = 30;

export interface RecordingLag {
  /** Whole days between the event's end and its recording; 0 for an event recorded before it ended. */
  recordedDaysAfterEnd: number;
  /** Recorded more than {@link LATE_RECORDING_DAYS} days after it ended. */
  recordedLate: boolean;
}

export function recordingLag(e: { endsAt: string; createdAt: string }): RecordingLag {
  const lagMs = Date.parse(e.createdAt) - Date.parse(e.endsAt);
  return { recordedDaysAfterEnd: Math.max(0, Math.floor(lagMs / 86_400_000)), recordedLate: lagMs > LATE_RECORDING_DAYS * 86_400_000 };
}

// ---- trainers (12.3, 11.1) -----------------------------------------------------------------------------------------

/**
 * A trainer of the event, as the participant list names them (12.3) with the field of their teaching, research or
 * practical experience related to advocacy (11.1). `field` is absent on events recorded before migration 0016, when
 * it was not asked for: shown as "not recorded", never invented. Every event recorded since names it.
 */
export interface Trainer {
  name: string;
  field?: string | null;
  partyId?: string | null;
}

export const TRAINER_LIMITS = { name: 300, field: 300, trainers: 100 } as const;

/**
 * The problems of an event's trainers and of a participant's minutes, by code, with the values their text names, so
 * the API and the console say them in the caller's language (src/http/i18n, section `listsProblems`); `message` is
 * the English text.
 */
export const LIST_PROBLEM_TEMPLATES = {
  "trainers-required": "trainers: name at least one trainer, each with the field of their experience (12.3, 11.1)",
  "trainers-too-many": "trainers: at most {max}",
  "trainer-name-invalid": "trainer {n}: the name is required, at most {max} characters",
  "trainer-field-required": "trainer {n}: the field of their teaching, research or practical experience related to advocacy is required (11.1)",
  "trainer-field-invalid": "trainer {n}: the field of experience may be at most {max} characters (11.1)",
  "attended-minutes-invalid": "attended minutes: whole minutes from 1 to the event's {max} (12.3: partial attendance)",
  "taught-minutes-invalid": "taught minutes: whole minutes from 1 to the event's {max} (5.1(4))",
  "attended-minutes-of-teacher": "attended minutes are an attendee's: for a teacher give the minutes they taught (5.1(4))",
  "taught-minutes-of-attendee": "taught minutes are a teacher's: for an attendee give the minutes they attended (12.3)",
  "teacher-not-on-course": "5.1(4): teaching earns credit on courses only; name the trainer among the event's trainers, and list them as an attendee if they attended",
} as const;
export type ListProblemCode = keyof typeof LIST_PROBLEM_TEMPLATES;

export function listProblem(path: string, code: ListProblemCode, params?: Record<string, number | string>): FieldProblem {
  const message = LIST_PROBLEM_TEMPLATES[code].replace(/\{(\w+)\}/g, (whole, name: string) => (params && name in params ? String(params[name]) : whole));
  return { path, message, code, ...(params ? { params } : {}) };
}

const oneLine = (v: unknown): string | undefined => (typeof v === "string" ? normaliseKazakh(v.replace(/\s+/g, " ").trim()) : undefined);

/**
 * 12.3, 11.1: an event names its trainers, at least one, each with a name and the field of their experience.
 * Returns them normalised, or the problems (paths `trainers/{i}/…`); nothing is stored unless there are none.
 */
export function parseTrainers(raw: readonly { name?: unknown; field?: unknown; partyId?: string | null }[]): { trainers: Trainer[]; problems: FieldProblem[] } {
  const L = TRAINER_LIMITS;
  const problems: FieldProblem[] = [];
  if (raw.length === 0) problems.push(listProblem("trainers", "trainers-required"));
  if (raw.length > L.trainers) problems.push(listProblem("trainers", "trainers-too-many", { max: L.trainers }));
  const trainers = raw.slice(0, L.trainers).map((t, i): Trainer => {
    const name = oneLine(t.name) ?? "";
    const field = oneLine(t.field) ?? "";
    if (name === "" || name.length > L.name) problems.push(listProblem(`trainers/${i}/name`, "trainer-name-invalid", { n: i + 1, max: L.name }));
    if (field === "") problems.push(listProblem(`trainers/${i}/field`, "trainer-field-required", { n: i + 1 }));
    else if (field.length > L.field) problems.push(listProblem(`trainers/${i}/field`, "trainer-field-invalid", { n: i + 1, max: L.field }));
    return { name, field, ...(t.partyId ? { partyId: t.partyId } : {}) };
  });
  return { trainers, problems };
}

// ---- a participant's minutes (12.3 partial attendance, 5.1(4) teaching) -------------------------------------------

/** What a participant list says of one participant's time at the event; both absent on lists before migration 0016. */
export interface ParticipantTime {
  role: ParticipantRole;
  /** An attendee's minutes present, when less than the whole event (12.3: partial attendance). */
  attendedMinutes?: number | null;
  /** 5.1(4): the minutes a teacher taught, recorded per teacher. */
  taughtMinutes?: number | null;
}

/**
 * The minutes a participant's certificate states and the bar credits: an attendee's attended minutes, a teacher's
 * taught minutes (5.1(4): the credit is for the teaching given, not for the whole event), and the event's whole
 * duration where the list recorded neither (lists recorded before migration 0016 said nothing else).
 */
export function participantMinutes(event: { durationMinutes: number }, p: ParticipantTime): number {
  return (p.role === "teacher" ? p.taughtMinutes : p.attendedMinutes) ?? event.durationMinutes;
}

/**
 * Checks one participant's time against the event and returns what to store: every participant's minutes are
 * recorded explicitly (the whole event when the list gives none). 5.1(4): teaching counts on courses only, so a
 * teacher is refused on a seminar, training or master class; the minutes are whole, from 1 to the event's duration,
 * and each role has its own (an attendee's attended, a teacher's taught).
 */
export function resolveParticipantTime(
  event: { form: Form; durationMinutes: number },
  p: ParticipantTime,
  path: string,
): { attendedMinutes: number | null; taughtMinutes: number | null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const max = event.durationMinutes;
  const valid = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= max;
  const given = (v: unknown) => v !== undefined && v !== null;
  if (p.role === "teacher") {
    if (event.form !== "course") problems.push(listProblem(`${path}/role`, "teacher-not-on-course"));
    if (given(p.attendedMinutes)) problems.push(listProblem(`${path}/attendedMinutes`, "attended-minutes-of-teacher"));
    if (given(p.taughtMinutes) && !valid(p.taughtMinutes)) problems.push(listProblem(`${path}/taughtMinutes`, "taught-minutes-invalid", { max }));
    return { attendedMinutes: null, taughtMinutes: valid(p.taughtMinutes) ? p.taughtMinutes : max, problems };
  }
  if (given(p.taughtMinutes)) problems.push(listProblem(`${path}/taughtMinutes`, "taught-minutes-of-attendee"));
  if (given(p.attendedMinutes) && !valid(p.attendedMinutes)) problems.push(listProblem(`${path}/attendedMinutes`, "attended-minutes-invalid", { max }));
  return { attendedMinutes: valid(p.attendedMinutes) ? p.attendedMinutes : max, taughtMinutes: null, problems };
}

// ---- co-organisation (5.1(3)) -------------------------------------------------------------------------------------

/**
 * 5.1(3): training organised jointly with the RBA or a territorial bar. The event names the bar; the bar's admin
 * confirms (or declines) in its console, and until it has confirmed no certificate names it. A decision is final:
 * certificates issued after a confirmation name the bar, so it cannot be taken back under them.
 */
export const CO_ORGANISATION_STATES = ["pending", "confirmed", "declined"] as const;
export type CoOrganisationState = (typeof CO_ORGANISATION_STATES)[number];

export interface CoOrganisation {
  state: CoOrganisationState;
  /** When, and by whom (`describePrincipal`), the bar answered; null while pending. */
  decidedAt: string | null;
  decidedBy: string | null;
}

/** 5.1(3): issuing certificates that name a co-organising bar waits for that bar's confirmation; a declined one never comes. */
export function assertCoOrganisationConfirmed(e: { coOrganiserBarId: string | null; coOrganisation?: CoOrganisation | null }): void {
  if (e.coOrganiserBarId === null) return;
  const state = e.coOrganisation?.state ?? "pending";
  if (state === "confirmed") return;
  const bar = { bar: e.coOrganiserBarId === RBA_ID ? "bar-rba" : "bar-named" };
  const extra = { coOrganiserBarId: e.coOrganiserBarId, coOrganisation: state };
  // `{id}` stays as it is: the text names the API's path, not this event's id.
  throw eventRuleError("rule_violated", state === "declined" ? "co-organisation-declined" : "co-organisation-unconfirmed", { barId: e.coOrganiserBarId }, { extra, parts: bar });
}

/** A bar's answer to a co-organisation: refused once it has answered (the first answer stands). */
export function assertCoOrganisationPending(e: { coOrganiserBarId: string | null; coOrganisation?: CoOrganisation | null }): void {
  if (e.coOrganiserBarId === null) throw eventRuleError("not_found", "co-organisation-none");
  const state = e.coOrganisation?.state ?? "pending";
  if (state !== "pending") throw eventRuleError("conflict", "co-organisation-answered", {}, { extra: { coOrganisation: state }, parts: { state: `co-state-${state}` } });
}
