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
  (c) => hoursAgree(c),
  { message: "10.6: academicHours must equal durationMinutes / 45, and creditsEarned the participant's minutes (attendedMinutes or taughtMinutes, at most durationMinutes; else durationMinutes) / 45", path: ["credentialSubject", "achievement", "academicHours"] },
);

/**
 * 10.6: the hours a certificate states must be its minutes counted in 45-minute academic hours: the event's
 * (academicHours of durationMinutes) and the participant's (creditsEarned of the minutes attended or taught, at most
 * the event's, each only for its role; the whole event when neither is given).
 */
function hoursAgree(c: { credentialSubject: { participationRole: string; creditsEarned: number; attendedMinutes?: number; taughtMinutes?: number; achievement: { academicHours: number; durationMinutes: number } } }): boolean {
  const a = c.credentialSubject.achievement;
  const s = c.credentialSubject;
  const hours = (minutes: number) => Math.round((minutes / 45) * 10) / 10;
  if (s.attendedMinutes !== undefined && (s.participationRole !== "attendee" || s.taughtMinutes !== undefined)) return false;
  if (s.taughtMinutes !== undefined && s.participationRole !== "teacher") return false;
  const own = creditedMinutesOf(c);
  return own <= a.durationMinutes && a.academicHours === hours(a.durationMinutes) && s.creditsEarned === hours(own);
}

// ---- the same rules, hand-written, for the hot path -----------------------------------------------------------------
// zod's parse is about a quarter of a vc+jwt verification's own work (bench/README.md). These predicates say `true`
// only for input the schemas above accept (never more: a test mutates certificates field by field and holds every
// `true` to zod's verdict), and then the input is what the schema would return (no schema here transforms or
// defaults anything). On `false` the caller asks zod, whose verdict and messages stay the contract.

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\S+$/i;
const DATE_TIME_STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const STATUS_INDEX = /^\d{1,9}$/;
const isUrl = (v: unknown): boolean => typeof v === "string" && v.length <= 2048 && URL_LIKE.test(v);
const isStamp = (v: unknown): boolean => typeof v === "string" && DATE_TIME_STAMP.test(v) && isRealDateTime(v);
const isText = (v: unknown, min: number, max: number): boolean => typeof v === "string" && v.length >= min && v.length <= max;
const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isPositiveInt = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) > 0;
const isOneOf = (v: unknown, values: readonly string[]): boolean => typeof v === "string" && values.includes(v);
const isProfile = (v: unknown): boolean => isObject(v) && isUrl(v.id) && isText(v.name, 1, 500);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

/** `true` only where {@link verifiableCredentialSchema} accepts `doc`. */
export function isVerifiableCredentialShape(doc: unknown): boolean {
  if (!isObject(doc)) return false;
  const context = doc["@context"];
  return Array.isArray(context) && (context[0] === VC_V2_CONTEXT || context[0] === VC_V1_CONTEXT_URL) && isStringArray(doc.type) && doc.type.includes("VerifiableCredential");
}

/** `true` only where {@link senimCertificateSchema} accepts `c`, which then is a {@link SenimCertificate} as it stands. */
export function isSenimCertificateShape(c: unknown): c is SenimCertificate {
  if (!isObject(c)) return false;
  const context = c["@context"];
  if (!Array.isArray(context) || context[0] !== VC_V2_CONTEXT || !context.includes(OB3_CONTEXT) || !context.includes(CLE_CONTEXT)) return false;
  if (!isUrl(c.id) || !isStringArray(c.type) || !c.type.includes("VerifiableCredential") || !c.type.includes("OpenBadgeCredential")) return false;
  if (!isProfile(c.issuer) || !isStamp(c.validFrom) || (c.validUntil !== undefined && !isStamp(c.validUntil))) return false;
  const s = c.credentialSubject;
  if (!isObject(s)) return false;
  if (s.id !== undefined && !isUrl(s.id)) return false;
  const ids = s.identifier;
  if (!Array.isArray(ids) || ids.length > 10 || !ids.every((i) => isObject(i) && typeof i.identityType === "string" && isText(i.identityHash, 0, 500))) return false;
  if ((s.licenceHint !== undefined && !isText(s.licenceHint, 0, 40)) || (s.memberOfBar !== undefined && !isUrl(s.memberOfBar))) return false;
  if (!isOneOf(s.participationRole, PARTICIPANT_ROLES) || !isNumber(s.creditsEarned) || s.creditsEarned < 0) return false;
  if ((s.attendedMinutes !== undefined && !isPositiveInt(s.attendedMinutes)) || (s.taughtMinutes !== undefined && !isPositiveInt(s.taughtMinutes))) return false;
  const a = s.achievement;
  if (!isObject(a) || !isText(a.name, 1, 500) || !isNumber(a.academicHours) || a.academicHours <= 0 || !isPositiveInt(a.durationMinutes)) return false;
  if (!isOneOf(a.programme, PROGRAMMES) || !isOneOf(a.educationForm, FORMS) || !isOneOf(a.deliveryMode, DELIVERY_MODES) || !isText(a.venue, 0, 500)) return false;
  if (!isStamp(a.eventStart) || !isStamp(a.eventEnd) || (a.coOrganiser !== undefined && !isProfile(a.coOrganiser))) return false;
  if (!Array.isArray(a.trainers) || a.trainers.length > 100 || !a.trainers.every((t) => isText(t, 0, 300))) return false;
  const st = c.credentialStatus;
  if (!isObject(st) || (st.id !== undefined && !isUrl(st.id)) || st.type !== "BitstringStatusListEntry" || !isOneOf(st.statusPurpose, ["revocation", "suspension"])) return false;
  if (typeof st.statusListIndex !== "string" || !STATUS_INDEX.test(st.statusListIndex) || !isUrl(st.statusListCredential)) return false;
  return hoursAgree(c as unknown as SenimCertificate);
}

/** The minutes a certificate credits its participant: attended (12.3) or taught (5.1(4)), else the whole event. */
export function creditedMinutesOf(c: { credentialSubject: { attendedMinutes?: number; taughtMinutes?: number; achievement: { durationMinutes: number } } }): number {
  const s = c.credentialSubject;
  return s.attendedMinutes ?? s.taughtMinutes ?? s.achievement.durationMinutes;
}

export type SenimCertificate = z.infer<typeof senimCertificateSchema>;
