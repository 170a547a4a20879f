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
