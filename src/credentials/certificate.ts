/**
 * One certificate as a VC 2.0 credential shaped as an Open Badges 3.0 `OpenBadgeCredential` (7.5: it names the
 * organiser, the topic and the academic hours), with the CLE terms Open Badges lacks.
 */
import type { DeliveryMode, Form, PartyKind, ParticipantRole, Programme } from "../domain/catalog.js";
import { maskLicence, normaliseLicence } from "../domain/people.js";
import { ACADEMIC_HOUR_MINUTES, academicHours } from "../domain/time.js";
import { primitives } from "./primitives.js";
import { CLE_CONTEXT, OB3_ACHIEVEMENT_SCHEMA, OB3_CONTEXT, VC_V2_CONTEXT } from "./vocabulary.js";

const encoder = new TextEncoder();
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

export interface CertificateFacts {
  certificateUrl: string;
  issuedAt: string;
  validUntil: string | null;
  issuer: { did: string; name: string; kind: PartyKind };
  coOrganiser: { id: string; name: string } | null;
  event: {
    id: string;
    topic: string;
    programme: Programme;
    form: Form;
    deliveryMode: DeliveryMode;
    place: string;
    startsAt: string;
    endsAt: string;
    durationMinutes: number;
    trainers: string[];
  };
  participant: {
    fullName: string;
    licenceNumber: string;
    barId: string;
    role: ParticipantRole;
    walletDid: string | null;
    /**
     * The minutes this certificate credits (`participantMinutes` in src/domain/event.ts): an attendee's minutes
     * present (12.3: partial attendance), a teacher's minutes taught (5.1(4)); the event's whole duration when absent.
     */
    minutes?: number;
  };
  /** Random per certificate, so the salted licence hash cannot be matched across certificates by a third party. */
  licenceSalt: string;
  status: { entryId: string; listUrl: string; index: number };
  barUrl: (barId: string) => string;
}

export const HOURS_NOTE =
  "Hours are academic hours: one academic hour is 45 minutes (Procedure for advocates' qualification improvement, 10.6).";

const ACHIEVEMENT_TYPE: Record<Form, string> = {
  course: "Course",
  seminar: "ext:Seminar",
  training: "ext:Training",
  "master-class": "ext:MasterClass",
};

/** The `identityType` of the licence's salted hash among the subject's identifiers. */
export const LICENCE_IDENTITY_TYPE = "ext:advocateLicence";

/**
 * The licence number is never written in clear: the credential is public to whoever holds its QR code. It carries an
 * OB 3.0 salted SHA-256 identity hash (the bar, which knows the licence, can check it) and the last digits as a hint.
 */
export async function licenceIdentityHash(licenceNumber: string, salt: string): Promise<string> {
  // The installed primitive (src/credentials/primitives.ts): on Node, at once rather than a thread-pool round trip
  // per certificate of an event.
  const digest = await primitives().sha256(encoder.encode(normaliseLicence(licenceNumber) + salt));
  let hex = "";
  for (const b of digest) hex += HEX[b];
  return "sha256$" + hex;
}

/**
 * The certificate's own minutes beside the event's: `achievement` describes the event (its duration and hours, the
 * same on every participant's certificate), `creditsEarned` the academic hours this participant earned. When those
 * are less than the whole event the subject says so in minutes — `attendedMinutes` (12.3: an attendee present part
 * of the time) or `taughtMinutes` (5.1(4): what a teacher taught) — so the bar credits exactly that; a participant
 * of the whole event carries neither, as before.
 */
export const PARTICIPANT_MINUTES_TERMS = { attendee: "attendedMinutes", teacher: "taughtMinutes" } as const satisfies Record<ParticipantRole, string>;

export async function buildCertificateCredential(f: CertificateFacts): Promise<Record<string, unknown>> {
  const hours = academicHours(f.event.durationMinutes);
  const minutes = f.participant.minutes ?? f.event.durationMinutes;
  const partial = minutes !== f.event.durationMinutes ? { [PARTICIPANT_MINUTES_TERMS[f.participant.role]]: minutes } : {};
  const credential: Record<string, unknown> = {
    "@context": [VC_V2_CONTEXT, OB3_CONTEXT, CLE_CONTEXT],
    id: f.certificateUrl,
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: f.event.topic,
    issuer: { id: f.issuer.did, type: ["Profile"], name: f.issuer.name },
    validFrom: f.issuedAt,
    ...(f.validUntil ? { validUntil: f.validUntil } : {}),
    credentialSubject: {
      ...(f.participant.walletDid ? { id: f.participant.walletDid } : {}),
      type: ["AchievementSubject"],
      identifier: [
        { type: "IdentityObject", identityType: "name", hashed: false, identityHash: f.participant.fullName },
        {
          type: "IdentityObject",
          identityType: LICENCE_IDENTITY_TYPE,
          hashed: true,
          identityHash: await licenceIdentityHash(f.participant.licenceNumber, f.licenceSalt),
          salt: f.licenceSalt,
        },
      ],
      licenceHint: maskLicence(normaliseLicence(f.participant.licenceNumber)),
      memberOfBar: f.barUrl(f.participant.barId),
      participationRole: f.participant.role, // 5.1.4: teaching earns credit too
      role: f.participant.role === "teacher" ? "Teacher" : "Participant",
      creditsEarned: academicHours(minutes),
      ...partial,
      achievement: {
        id: `${f.certificateUrl.replace(/\/c\/[^/]+$/, "")}/events/${f.event.id}`,
        type: ["Achievement"],
        achievementType: ACHIEVEMENT_TYPE[f.event.form],
        name: f.event.topic,
        description: `${f.event.topic} — ${hours} academic hours (45 minutes each).`,
        criteria: { narrative: `Completed the event "${f.event.topic}" (${hours} academic hours). ${HOURS_NOTE}` },
        creditsAvailable: hours,
        academicHours: hours,
        academicHourMinutes: ACADEMIC_HOUR_MINUTES,
        durationMinutes: f.event.durationMinutes,
        hoursNote: HOURS_NOTE,
        programme: f.event.programme,
        educationForm: f.event.form,
        deliveryMode: f.event.deliveryMode,
        venue: f.event.place,
        eventStart: f.event.startsAt,
        eventEnd: f.event.endsAt,
        trainers: f.event.trainers,
        ...(f.coOrganiser ? { coOrganiser: { id: f.barUrl(f.coOrganiser.id), name: f.coOrganiser.name } } : {}),
        creator: { id: f.issuer.did, type: ["Profile"], name: f.issuer.name },
      },
    },
    credentialStatus: {
      id: f.status.entryId,
      type: "BitstringStatusListEntry",
      statusPurpose: "revocation",
      statusListIndex: String(f.status.index),
      statusListCredential: f.status.listUrl,
    },
    credentialSchema: [{ id: OB3_ACHIEVEMENT_SCHEMA, type: "1EdTechJsonSchemaValidator2019" }],
  };
  return credential;
}
