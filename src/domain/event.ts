import { findCoveringAccreditation, type Accreditation, type Refusal } from "./accreditation.js";
import { FORMS_REQUIRING_CENTRE_OR_BAR, type Form, type PartyKind } from "./catalog.js";
import { SenimError } from "./errors.js";

/** The longest single event we accept: a course may run for weeks, not for years. */
export const MAX_EVENT_SPAN_DAYS = 366;

/**
 * 5.1.2–5.1.3: a seminar, training or master class counts when a centre organises it, or when it is organised jointly
 * with the RBA or a territorial bar. A course (5.1.1) may be run by any accredited provider.
 */
export function assertOrganiserMayRunForm(form: Form, organiserKind: PartyKind, coOrganiserBarId: string | null): void {
  if (FORMS_REQUIRING_CENTRE_OR_BAR.has(form) && organiserKind !== "centre" && coOrganiserBarId === null) {
    throw new SenimError(
      "form_requires_centre",
      `5.1.2–5.1.3: a ${form} counts only when organised by a centre or jointly with the RBA or a territorial bar; set coOrganiser.`,
    );
  }
}

/** 10.6, 12.3: the stated duration must fit between start and end (academic hours cannot exceed the clock). */
export function assertEventTimes(startsAt: string, endsAt: string, durationMinutes: number): void {
  const start = Date.parse(startsAt);
  const end = Date.parse(endsAt);
  if (end <= start) throw new SenimError("rule_violated", "endsAt must be after startsAt.");
  if (end - start > MAX_EVENT_SPAN_DAYS * 86_400_000) {
    throw new SenimError("rule_violated", `An event may span at most ${MAX_EVENT_SPAN_DAYS} days.`);
  }
  if (!Number.isInteger(durationMinutes) || durationMinutes <= 0) {
    throw new SenimError("rule_violated", "durationMinutes must be a positive whole number of minutes.");
  }
  if (durationMinutes * 60_000 > end - start) {
    throw new SenimError("rule_violated", "durationMinutes is longer than the time between startsAt and endsAt.");
  }
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
  const refuses =
    action === "record" ? "the service refuses to record this event" : action === "sign" ? "the service refuses to sign its certificates" : "the service refuses to announce it (7.3)";
  const dates = `${e.startsAt} – ${e.endsAt}`;
  const extra = { reason, startsAt: e.startsAt, endsAt: e.endsAt };
  if (reason === "programme-out-of-scope" || reason === "form-out-of-scope") {
    const what = reason === "form-out-of-scope" ? "form (5.1)" : "programme (10.1)";
    return fail("out_of_scope", `The provider's accreditation does not cover this ${what}; ${refuses}.`, extra);
  }
  if (accreditations.length === 0) return fail("not_accredited", `The provider is not accredited (3.1, 9.1); ${refuses}.`, extra);
  const why =
    reason === "not-yet-valid"
      ? `the provider was not yet accredited on the event's dates (${dates})`
      : reason === "expired"
        ? `the provider's accreditation expired before the event ended (${dates})`
        : `the provider's accreditation was withdrawn (9.2) before the event ended (${dates})`;
  return fail("not_accredited", `5.1(1), 7.1: training counts only when given by an accredited provider, and ${why}; ${refuses}.`, extra);
}

function fail(code: "not_accredited" | "out_of_scope", detail: string, extra: Record<string, unknown>): never {
  throw new SenimError(code, detail, { extra });
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
