/**
 * The Procedure's closed vocabularies. Their human names (kk/ru/en) are seed data in the database, editable by
 * operators; the codes below are what rules and credentials refer to, so they never change.
 */

/** 10.1: the four programmes. */
export const PROGRAMMES = ["foundations", "civil", "criminal", "topical"] as const;
export type Programme = (typeof PROGRAMMES)[number];

/**
 * 5.1: the forms that count. Teaching (5.1.4) is not an event form but a participant's role on an event,
 * see {@link PARTICIPANT_ROLES}.
 */
export const FORMS = ["course", "seminar", "training", "master-class"] as const;
export type Form = (typeof FORMS)[number];

/** 5.1.2–5.1.3: seminars, trainings and master classes count only from a centre or organised jointly with a bar. */
export const FORMS_REQUIRING_CENTRE_OR_BAR: ReadonlySet<Form> = new Set(["seminar", "training", "master-class"]);

/** 7.4: delivery modes. */
export const DELIVERY_MODES = ["in-person", "distance", "online"] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

/** 5.1.4: a participant either attends or teaches. */
export const PARTICIPANT_ROLES = ["attendee", "teacher"] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** 3.1.5, 4.1.4, 8.1: who may issue. */
export const PARTY_KINDS = ["centre", "organisation", "trainer"] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

/** 9.1: an accreditation needs at least one of these. */
export const ACCREDITATION_CRITERIA = [
  "education-licence", // 9.1.1 licence for educational activity in law
  "academic-degree", // 9.1.2 academic degree or title related to advocacy
  "teaching-5-years", // 9.1.3 at least five years teaching law
  "advocacy-5-years", // 9.1.4 at least five years of advocacy
] as const;
export type AccreditationCriterion = (typeof ACCREDITATION_CRITERIA)[number];

/** 9.2: the grounds for withdrawal. */
export const WITHDRAWAL_GROUNDS = ["non-compliance", "repeated-violations"] as const;
export type WithdrawalGround = (typeof WITHDRAWAL_GROUNDS)[number];

/** The national bar's id; every other bar id is a territorial bar. */
export const RBA_ID = "rba";

export const ROLES = ["rba-admin", "bar-admin", "provider"] as const;
export type Role = (typeof ROLES)[number];
