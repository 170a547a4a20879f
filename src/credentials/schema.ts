/** What a well-formed Senim certificate looks like (VC 2.0 + Open Badges 3.0 + CLE terms), checked before any rule. */
import { z } from "zod";
import { DELIVERY_MODES, FORMS, PARTICIPANT_ROLES, PROGRAMMES } from "../domain/catalog.js";
import { isRealDateTime } from "../domain/time.js";
import { VC_V1_CONTEXT_URL } from "../domain/vc-model.js";
import { CLE_CONTEXT, OB3_CONTEXT, VC_V2_CONTEXT } from "./vocabulary.js";

/** VC 2.0 `dateTimeStamp`: an RFC 3339 date-time with a time zone. */
export const dateTimeStamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, "must be an RFC 3339 date-time with a time zone")
  .refine(isRealDateTime, "is not a real date and time");

const url = z.string().max(2048).regex(/^[a-z][a-z0-9+.-]*:\S+$/i, "must be a URL");

export const statusEntrySchema = z.looseObject({
  id: url.optional(),
  type: z.literal("BitstringStatusListEntry"),
  statusPurpose: z.enum(["revocation", "suspension"]),
  statusListIndex: z.string().regex(/^\d{1,9}$/),
  statusListCredential: url,
});

/** Any VC 2.0 (or VC 1.1) credential, loosely: enough to tell a credential from "not a credential at all". */
export const verifiableCredentialSchema = z.looseObject({
  "@context": z.array(z.unknown()).min(1).refine((c) => c[0] === VC_V2_CONTEXT || c[0] === VC_V1_CONTEXT_URL, `the first @context must be ${VC_V2_CONTEXT} (or ${VC_V1_CONTEXT_URL})`),
  type: z.array(z.string()).refine((t) => t.includes("VerifiableCredential"), "type must include VerifiableCredential"),
});

const profile = z.looseObject({ id: url, name: z.string().min(1).max(500) });

export const senimCertificateSchema = verifiableCredentialSchema.extend({
  "@context": z
    .array(z.unknown())
    .refine((c) => c[0] === VC_V2_CONTEXT && c.includes(OB3_CONTEXT) && c.includes(CLE_CONTEXT), "unexpected @context"),
  id: url,
  type: z.array(z.string()).refine((t) => t.includes("VerifiableCredential") && t.includes("OpenBadgeCredential")),
  issuer: profile,
  validFrom: dateTimeStamp,
  validUntil: dateTimeStamp.optional(),
  credentialSubject: z.looseObject({
    id: url.optional(),
    identifier: z.array(z.looseObject({ identityType: z.string(), identityHash: z.string().max(500) })).max(10),
    licenceHint: z.string().max(40).optional(),
    memberOfBar: url.optional(),
    participationRole: z.enum(PARTICIPANT_ROLES),
    creditsEarned: z.number().nonnegative(),
    // 12.3, 5.1(4): present only when the participant earned less than the whole event (src/credentials/certificate.ts).
    attendedMinutes: z.number().int().positive().optional(),
    taughtMinutes: z.number().int().positive().optional(),
    achievement: z.looseObject({
      name: z.string().min(1).max(500),
      academicHours: z.number().positive(),
      durationMinutes: z.number().int().positive(),
      programme: z.enum(PROGRAMMES),
      educationForm: z.enum(FORMS),
      deliveryMode: z.enum(DELIVERY_MODES),
      venue: z.string().max(500),
      eventStart: dateTimeStamp,
      eventEnd: dateTimeStamp,
      trainers: z.array(z.string().max(300)).max(100),
      coOrganiser: profile.optional(),
    }),
  }),
  credentialStatus: statusEntrySchema,
}).refine(
  // 10.6: the hours a certificate states must be its minutes counted in 45-minute academic hours: the event's
  // (academicHours of durationMinutes) and the participant's (creditsEarned of the minutes attended or taught, at most
  // the event's, each only for its role; the whole event when neither is given).
  (c) => {
    const a = c.credentialSubject.achievement;
    const s = c.credentialSubject;
    const hours = (minutes: number) => Math.round((minutes / 45) * 10) / 10;
    if (s.attendedMinutes !== undefined && (s.participationRole !== "attendee" || s.taughtMinutes !== undefined)) return false;
    if (s.taughtMinutes !== undefined && s.participationRole !== "teacher") return false;
    const own = creditedMinutesOf(c);
    return own <= a.durationMinutes && a.academicHours === hours(a.durationMinutes) && s.creditsEarned === hours(own);
  },
  { message: "10.6: academicHours must equal durationMinutes / 45, and creditsEarned the participant's minutes (attendedMinutes or taughtMinutes, at most durationMinutes; else durationMinutes) / 45", path: ["credentialSubject", "achievement", "academicHours"] },
);

/** The minutes a certificate credits its participant: attended (12.3) or taught (5.1(4)), else the whole event. */
export function creditedMinutesOf(c: { credentialSubject: { attendedMinutes?: number; taughtMinutes?: number; achievement: { durationMinutes: number } } }): number {
  const s = c.credentialSubject;
  return s.attendedMinutes ?? s.taughtMinutes ?? s.achievement.durationMinutes;
}

export type SenimCertificate = z.infer<typeof senimCertificateSchema>;
