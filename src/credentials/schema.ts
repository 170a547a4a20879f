/** What a well-formed Senim certificate looks like (VC 2.0 + Open Badges 3.0 + CLE terms), checked before any rule. */
import { z } from "zod";
import { DELIVERY_MODES, FORMS, PARTICIPANT_ROLES, PROGRAMMES } from "../domain/catalog.js";
import { isRealDateTime } from "../domain/time.js";
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

/** Any VC 2.0 credential, loosely: enough to tell a credential from "not a credential at all". */
export const verifiableCredentialSchema = z.looseObject({
  "@context": z.array(z.unknown()).min(1).refine((c) => c[0] === VC_V2_CONTEXT, `the first @context must be ${VC_V2_CONTEXT}`),
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
  // 10.6: the hours a certificate states must be its minutes counted in 45-minute academic hours.
  (c) => {
    const a = c.credentialSubject.achievement;
    const hours = Math.round((a.durationMinutes / 45) * 10) / 10;
    return a.academicHours === hours && c.credentialSubject.creditsEarned === hours;
  },
  { message: "10.6: academicHours and creditsEarned must equal durationMinutes / 45", path: ["credentialSubject", "achievement", "academicHours"] },
);

export type SenimCertificate = z.infer<typeof senimCertificateSchema>;
