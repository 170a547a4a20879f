/** Request and response shapes: validated on the way in, and the source of the OpenAPI document. */
import { z, type OpenAPIHono } from "@hono/zod-openapi";
import {
  ACCREDITATION_CRITERIA,
  DELIVERY_MODES,
  FORMS,
  PARTICIPANT_ROLES,
  PARTY_KINDS,
  PROGRAMMES,
  ROLES,
  WITHDRAWAL_GROUNDS,
} from "../domain/catalog.js";
import { keyedError, type FieldProblem, type SenimError } from "../domain/errors.js";
import { en } from "./i18n/en.js";
import { isWebsiteUrl, WEBSITE_MAX_LENGTH } from "../domain/website.js";
import { PARTY_ADDRESS_MAX, PARTY_CITY_MAX } from "../registry/service.js";
import { CHECK_CODES, CHECK_IDS } from "../credentials/checks.js";

// ---- validation problems in the reader's language -------------------------------------------------------------------

/**
 * The codes a validation problem is said by (the catalogues' `validationProblems`, with the values each names):
 * zod's own messages are English sentences about types, so each issue is told by its kind instead — a required field
 * left empty, a text or list too long or short, a number out of range, a value not on the list, a malformed value.
 */
export const VALIDATION_PROBLEM_CODES = [
  "value-required",
  "value-not-a-number",
  "value-not-whole",
  "value-wrong-type",
  "text-too-short",
  "text-too-long",
  "list-too-short",
  "list-too-long",
  "number-not-positive",
  "number-too-small",
  "number-too-big",
  "value-not-allowed",
  "format-invalid",
  "email-malformed",
  "url-malformed",
  "fields-unknown",
  "value-invalid",
  "not-a-date",
] as const;
export type ValidationProblemCode = (typeof VALIDATION_PROBLEM_CODES)[number];

function validationCode(i: z.core.$ZodIssue): { code: ValidationProblemCode; params?: Record<string, string | number> } {
  switch (i.code) {
    case "invalid_type":
      if (/received undefined$/.test(i.message)) return { code: "value-required" };
      if (i.expected === "int") return { code: "value-not-whole" };
      return i.expected === "number" ? { code: "value-not-a-number" } : { code: "value-wrong-type", params: { expected: String(i.expected) } };
    case "too_small": {
      const min = Number(i.minimum);
      if (i.origin === "string") return min <= 1 ? { code: "value-required" } : { code: "text-too-short", params: { min } };
      if (i.origin === "array" || i.origin === "set") return { code: "list-too-short", params: { min } };
      if (min === 0 && !i.inclusive) return { code: "number-not-positive" };
      return { code: "number-too-small", params: { min } };
    }
    case "too_big": {
      const max = Number(i.maximum);
      if (i.origin === "string") return { code: "text-too-long", params: { max } };
      if (i.origin === "array" || i.origin === "set") return { code: "list-too-long", params: { max } };
      return { code: "number-too-big", params: { max } };
    }
    case "invalid_value":
      return { code: "value-not-allowed" };
    case "invalid_format":
      return i.format === "email" ? { code: "email-malformed" } : i.format === "url" ? { code: "url-malformed" } : { code: "format-invalid" };
    case "unrecognized_keys":
      return { code: "fields-unknown", params: { keys: i.keys.join(", ") } };
    default:
      return { code: "value-invalid" };
  }
}

/** zod's issues as field problems: the path, zod's English message, and the code and values pages translate. */
export function validationProblems(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  return issues.slice(0, 50).map((i) => {
    const { code, params } = validationCode(i);
    return { path: i.path.map(String).join("/"), message: i.message, code, ...(params ? { params } : {}) };
  });
}

/** The one refusal of input that fails its schema: `invalid_request` with each issue as a field problem. */
export function validationError(issues: readonly z.core.$ZodIssue[], what: "form" | "request"): SenimError {
  return keyedError("invalid_request", en.problemDetails, `${what}-problems`, { count: issues.length }, { problems: validationProblems(issues) });
}

const text = (max: number) => z.string().trim().min(1).max(max);
const dateOrInstant = z.string().max(40).openapi({ description: "YYYY-MM-DD (start of that day in Kazakhstan, UTC+05:00) or an RFC 3339 date-time", example: "2026-03-01" });
const id = z.string().regex(/^[0-9a-z]{1,40}$/);
const did = z.string().max(500).regex(/^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/, "must be a DID");

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    code: z.string(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

export const IdParam = z.object({ id: id.openapi({ param: { name: "id", in: "path" } }) });
/** A bar's id in a path (`/api/bars/{barId}/…`). */
export const barParam = z.string().regex(/^[a-z-]{2,40}$/).openapi({ param: { name: "barId", in: "path" }, example: "almaty-city" });

export const NewApiKey = z
  .object({
    role: z.enum(ROLES),
    barId: z.string().max(40).nullish().openapi({ description: "for bar-admin keys" }),
    partyId: id.nullish().openapi({ description: "for provider keys" }),
    label: text(200),
  })
  .openapi("NewApiKey");

/** 8.3: what the registering bar (or the RBA) may correct about a party; fields left out keep their value. */
export const PartyDetailsIn = z
  .object({
    name: text(300).optional(),
    website: z.url().max(WEBSITE_MAX_LENGTH).refine(isWebsiteUrl, "must be an https: or http: URL").nullish(),
    city: z.string().trim().max(PARTY_CITY_MAX).nullish(),
    address: z.string().trim().max(PARTY_ADDRESS_MAX).nullish(),
  })
  .strict()
  .openapi("PartyDetails");

export const NewParty = z
  .object({
    kind: z.enum(PARTY_KINDS),
    name: text(300),
    barId: z.string().max(40).openapi({ description: "A centre's own bar (rba or a territorial bar); for others, the registering bar" }),
    website: z
      .url()
      .max(WEBSITE_MAX_LENGTH)
      .refine(isWebsiteUrl, "must be an https: or http: URL")
      .nullish()
      .openapi({ description: "an https: or http: URL (shown as a link on the public registry)" }),
    city: z.string().trim().max(PARTY_CITY_MAX).nullish().openapi({ description: "8.3: the city where the party trains, shown in the public registry" }),
    address: z.string().trim().max(PARTY_ADDRESS_MAX).nullish().openapi({ description: "8.3: its street address, shown in the public registry" }),
    identifier: z
      .object({
        method: z.literal("did:key"),
        publicKeyMultibase: z.string().regex(/^z6Mk[1-9A-HJ-NP-Za-km-z]{40,50}$/, "must be an Ed25519 Multikey (z6Mk…)").optional(),
        validFrom: z.string().max(40).optional(),
        validUntil: z.string().max(40).nullish(),
      })
      .nullish()
      .openapi({ description: "Omit for a did:web the service hosts. did:key with publicKeyMultibase: an external key the party holds (public key and validity window stored); without: a service-held key named as did:key." }),
  })
  .openapi("NewParty");

export const NewAccreditation = z
  .object({
    barId: z.string().max(40).openapi({ description: "The bar whose presidium decided: rba (4.1.4) or a territorial bar (3.1.5)" }),
    decisionNumber: text(100),
    decisionDate: dateOrInstant,
    criteria: z
      .array(z.object({ criterion: z.enum(ACCREDITATION_CRITERIA), evidence: text(2000) }))
      .min(1)
      .max(4)
      .openapi({ description: "9.1: at least one criterion met, each with evidence" }),
    programmes: z.array(z.enum(PROGRAMMES)).max(4).nullish().openapi({ description: "10.1 scope; omit for all" }),
    forms: z.array(z.enum(FORMS)).max(4).nullish().openapi({ description: "5.1 scope; omit for all" }),
    validFrom: dateOrInstant,
    validUntil: dateOrInstant.nullish(),
  })
  .openapi("NewAccreditation");

export const NewViolation = z.object({ occurredOn: dateOrInstant, description: text(4000) }).openapi("NewViolation");

export const NewWithdrawal = z
  .object({
    ground: z.enum(WITHDRAWAL_GROUNDS).openapi({ description: "9.2.1 non-compliance, or 9.2.2 repeated-violations (needs ≥ 2 recorded violations)" }),
    decisionNumber: text(100),
    decisionDate: dateOrInstant,
    effectiveFrom: dateOrInstant.optional().openapi({ description: "default: the decision date" }),
    reason: text(4000),
  })
  .openapi("NewWithdrawal");

export const NewEvent = z
  .object({
    topic: text(500),
    programme: z.enum(PROGRAMMES),
    form: z.enum(FORMS),
    deliveryMode: z.enum(DELIVERY_MODES),
    coOrganiserBarId: z.string().max(40).nullish().openapi({ description: "5.1.3: the RBA or a bar organising jointly" }),
    place: text(500),
    startsAt: dateOrInstant,
    endsAt: dateOrInstant,
    durationMinutes: z.number().int().positive().max(100_000).openapi({ description: "10.6: shown as academic hours of 45 minutes" }),
    // 12.3, 11.1: checked by the service (src/domain/event.ts parseTrainers), so each problem is said in the caller's language.
    trainers: z
      .array(z.object({ name: z.string().max(1000).optional(), field: z.string().max(1000).nullish(), partyId: id.nullish() }))
      .max(1000)
      .default([])
      .openapi({ description: "12.3, 11.1: at least one trainer (at most 100), each with a name (≤ 300) and the field of their teaching, research or practical experience related to advocacy (`field`, ≤ 300), both required" }),
    certificatesValidUntil: dateOrInstant.nullish(),
  })
  .openapi("NewEvent");

/** A participant list may be a whole auditorium, not a city: bounded so one request cannot exhaust memory. */
export const MAX_PARTICIPANTS = 20_000;

export const ParticipantList = z
  .object({
    participants: z
      .array(
        z.object({
          fullName: text(300),
          licenceNumber: text(40),
          barId: z.string().max(40),
          role: z.enum(PARTICIPANT_ROLES).default("attendee"),
          email: z.email().max(320).nullish(),
          walletDid: did.nullish(),
          /** Issue 13: the language of the participant's messages (Kazakh and Russian unless `en`). */
          lang: z.enum(["kk", "ru", "en"]).nullish(),
          attendedMinutes: z.number().nullish().openapi({ description: "12.3: an attendee's minutes present, 1 to the event's durationMinutes (partial attendance); default the whole event. The certificate states the hours attended." }),
          taughtMinutes: z.number().nullish().openapi({ description: "5.1(4): the minutes a teacher taught, 1 to the event's durationMinutes; default the whole event. Teaching is credited by these minutes, on courses only." }),
        }),
      )
      .min(1)
      .max(MAX_PARTICIPANTS),
  })
  .openapi("ParticipantList");

export const Revocation = z.object({ reason: text(2000) }).openapi("Revocation");

export const VerifyRequest = z
  .union([z.object({ jwt: z.string() }), z.object({ credential: z.record(z.string(), z.unknown()) }), z.object({ url: z.string() })])
  .openapi("VerifyRequest", { description: "One of: a vc+jwt, a JSON credential (the .json download or an EnvelopedVerifiableCredential), or a certificate URL of this service. A raw vc+jwt body with Content-Type application/vc+jwt is accepted too." });

const Check = z.object({
  check: z.enum(CHECK_IDS),
  outcome: z.enum(["passed", "failed", "not-checked"]),
  code: z.enum(CHECK_CODES),
  detail: z.string(),
});

export const VerifyResponse = z
  .object({
    verified: z.boolean(),
    profile: z.enum(["certificate", "attestation", "generic"]).nullable().openapi({ description: "certificate: held to every CLE certificate rule (it claims the CLE context, academic hours or a certificate id of this service); attestation: a bar's annual attestation (12.1, 12.2), held to its own checks (signed by the bar's key, the year's closing standing, not revoked); generic: any other credential" }),
    checks: z.array(Check),
    summary: z.record(z.string(), z.unknown()).nullable(),
    attestation: z.record(z.string(), z.unknown()).nullable().optional().openapi({ description: "For a bar's annual attestation: the bar, the year, the required and verified academic hours, the member" }),
  })
  .openapi("VerificationResult");

export const AnyObject = z.record(z.string(), z.unknown());

// ---- responses ----------------------------------------------------------------------------------------------------

const instant = z.string().openapi({ description: "UTC instant, RFC 3339", example: "2026-06-01T05:00:00Z" });

export const PublicKeyOut = z
  .object({
    id: z.string().openapi({ description: "DID URL; the JWS kid" }),
    type: z.literal("JsonWebKey"),
    publicKeyJwk: z.object({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), x: z.string() }),
    validFrom: instant,
    validUntil: instant.nullable(),
    state: z.enum(["active", "retired"]),
  })
  .openapi("PublicKey");

export const AccreditationOut = z
  .looseObject({
    id: z.string(),
    barId: z.string(),
    decision: z.object({ number: z.string(), date: z.string() }),
    criteria: z.array(z.object({ criterion: z.enum(ACCREDITATION_CRITERIA), evidence: z.string().optional().openapi({ description: "administrators only" }) })),
    programmes: z.array(z.enum(PROGRAMMES)).nullable().openapi({ description: "null: all" }),
    forms: z.array(z.enum(FORMS)).nullable().openapi({ description: "null: all" }),
    validFrom: instant,
    validUntil: instant.nullable(),
    state: z.enum(["active", "not-yet-valid", "expired", "withdrawn"]),
    violationCount: z.number(),
    withdrawalDue: z.boolean().openapi({ description: "9.2(2): two or more violations recorded and no withdrawal yet: the deciding bar must withdraw" }),
    withdrawal: z
      .object({ ground: z.enum(WITHDRAWAL_GROUNDS), decisionNumber: z.string(), decisionDate: z.string(), effectiveFrom: instant, reason: z.string() })
      .nullable(),
  })
  .openapi("Accreditation");

export const PartyOut = z
  .looseObject({
    id: z.string(),
    kind: z.enum(PARTY_KINDS),
    name: z.string(),
    barId: z.string(),
    did: z.string(),
    website: z.string().nullable(),
    city: z.string().nullable(),
    address: z.string().nullable(),
    createdAt: instant,
    keys: z.array(PublicKeyOut),
  })
  .openapi("Party");

export const ApiKeyInfo = z
  .object({ id: z.string(), role: z.enum(ROLES), barId: z.string().nullable(), partyId: z.string().nullable(), label: z.string(), createdAt: instant, revokedAt: instant.nullable() })
  .openapi("ApiKey");

export const ApiKeyOut = ApiKeyInfo.extend({ token: z.string().openapi({ description: "shown once; store it" }) }).openapi("ApiKeyWithToken");

export const EventOut = z
  .looseObject({
    id: z.string(),
    partyId: z.string(),
    topic: z.string(),
    programme: z.enum(PROGRAMMES),
    form: z.enum(FORMS),
    deliveryMode: z.enum(DELIVERY_MODES),
    coOrganiserBarId: z.string().nullable(),
    place: z.string(),
    startsAt: instant,
    endsAt: instant,
    durationMinutes: z.number(),
    academicHours: z.number().openapi({ description: "durationMinutes / 45, one decimal (10.6)" }),
    trainers: z.array(z.object({ name: z.string(), field: z.string().nullish().openapi({ description: "11.1; absent on events recorded before it was required (not recorded)" }), partyId: z.string().nullish() })),
    coOrganisation: z
      .object({ state: z.enum(["pending", "confirmed", "declined"]), decidedAt: instant.nullable(), decidedBy: z.string().nullable() })
      .nullish()
      .openapi({ description: "5.1(3): the co-organising bar's answer; certificates are issued only once it is confirmed" }),
    certificatesValidUntil: instant.nullable(),
    createdAt: instant.openapi({ description: "when the event was recorded" }),
    recordedDaysAfterEnd: z.number().int().openapi({ description: "whole days from endsAt to createdAt (0 if recorded before it ended)" }),
    recordedLate: z.boolean().openapi({ description: "recorded more than 30 days after it ended: shown to the provider and its bars" }),
  })
  .openapi("Event");

export const ParticipantListOut = z
  .object({
    count: z.number(),
    participants: z.array(
      z.looseObject({
        id: z.string(), licenceNumber: z.string(), fullName: z.string(), barId: z.string(), role: z.enum(PARTICIPANT_ROLES), certificateId: z.string().nullable(),
        attendedMinutes: z.number().nullish().openapi({ description: "12.3: an attendee's minutes present; null on lists recorded before they were kept (the whole event)" }),
        taughtMinutes: z.number().nullish().openapi({ description: "5.1(4): a teacher's minutes taught; null on lists recorded before they were kept (the whole event)" }),
      }),
    ),
  })
  .openapi("ParticipantListResult");

export const IssueOutcomeOut = z
  .object({
    eventId: z.string(),
    issued: z.number().openapi({ description: "certificates this request created" }),
    alreadyIssued: z.number(),
    pending: z.number().openapi({ description: "Issue 18: participants still without a certificate (0 once the event is issued)" }),
    certificates: z.array(z.object({
      id: z.string(), url: z.string(), participantId: z.string(), licenceNumber: z.string(), fullName: z.string(),
      // 7.5: only in the response that first lists the certificate; null otherwise (POST /api/events/{id}/survey-links).
      survey: z.string().nullable().openapi({ description: "7.5: the participant's own survey link, a one-time secret: deliver it to that participant only" }),
      participantPdf: z.string().nullable().openapi({ description: "The participant's PDF with the survey link printed on it" }),
    })),
  })
  .openapi("IssueOutcome");

export const CertificateOut = z
  .object({
    id: z.string(),
    url: z.string(),
    qr: z.object({ svg: z.string(), png: z.string() }),
    credential: z.record(z.string(), z.unknown()),
    jwt: z.string().openapi({ description: "application/vc+jwt" }),
    dataIntegrity: z.record(z.string(), z.unknown()).optional().openapi({ description: "With format=di: the credential secured with an eddsa-rdfc-2022 proof" }),
    issuedAt: instant,
    revoked: z.object({ at: instant, reason: z.string().nullable() }).nullable(),
  })
  .openapi("Certificate");

export const RevocationOut = z.object({ id: z.string(), revokedAt: instant.nullable(), reason: z.string().nullable(), statusList: z.string() }).openapi("RevocationResult");

export const RotationOut = z.object({ active: PublicKeyOut, keys: z.array(PublicKeyOut) }).openapi("KeyRotation");

export const ViolationOut = z
  .object({ id: z.string(), accreditationId: z.string(), occurredOn: z.string(), description: z.string(), recordedAt: instant, violationCount: z.number() })
  .openapi("Violation");

/** One way to pick a securing form, wherever a certificate or list is issued or fetched. */
export const FormatQuery = z.object({
  format: z.enum(["jwt", "di"]).optional().openapi({ description: "jwt (default): application/vc+jwt; di: also eddsa-rdfc-2022 Data Integrity" }),
});
// ---- OpenAPI response parts shared by every route module ------------------------------------------------------------

const problemContent = { "application/problem+json": { schema: Problem } } as const;
/** The problem responses (RFC 9457) every authenticated API route may answer with. */
export const PROBLEM_RESPONSES = {
  400: { description: "Malformed input", content: problemContent },
  401: { description: "No valid API key", content: problemContent },
  403: { description: "The key's role may not do this", content: problemContent },
  404: { description: "Not found", content: problemContent },
  409: { description: "Conflicts with what is recorded", content: problemContent },
  422: { description: "A rule of the Procedure refuses it", content: problemContent },
} as const;
export const jsonResponse = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });
/** The API key as a bearer token (the security scheme registered in routes/api.ts). */
export const BEARER = [{ bearer: [] }];

/**
 * Documents public GET pages and files (HTML, PDF, SVG, iCalendar…) that are plain Hono routes, not zod-openapi ones:
 * each `[path, summary, media type]` with its `{…}` path parameters, and `query` on the paths `withQuery` picks.
 */
export function documentPublicGets(
  app: OpenAPIHono<any>,
  paths: readonly (readonly [path: string, summary: string, mediaType: string])[],
  o: { query?: z.ZodObject; withQuery?: (path: string) => boolean; badQuery?: string } = {},
): void {
  for (const [path, summary, mediaType] of paths) {
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const query = o.query && (o.withQuery?.(path) ?? true) ? { query: o.query } : {};
    const params = names.length ? { params: z.object(Object.fromEntries(names.map((n) => [n, z.string()]))) } : {};
    app.openAPIRegistry.registerPath({
      method: "get",
      path,
      tags: ["public"],
      summary,
      ...(names.length || o.query ? { request: { ...params, ...query } } : {}),
      responses: {
        200: { description: summary, content: { [mediaType]: { schema: z.string() } } },
        ...(o.badQuery ? { 400: { description: o.badQuery } } : {}),
        404: { description: "Not found" },
      },
    });
  }
}
