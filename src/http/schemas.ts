/** Request and response shapes: validated on the way in, and the source of the OpenAPI document. */
import { z } from "@hono/zod-openapi";
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

export const NewApiKey = z
  .object({
    role: z.enum(ROLES),
    barId: z.string().max(40).nullish().openapi({ description: "for bar-admin keys" }),
    partyId: id.nullish().openapi({ description: "for provider keys" }),
    label: text(200),
  })
  .openapi("NewApiKey");

export const NewParty = z
  .object({
    kind: z.enum(PARTY_KINDS),
    name: text(300),
    barId: z.string().max(40).openapi({ description: "A centre's own bar (rba or a territorial bar); for others, the registering bar" }),
    website: z.url().max(500).nullish(),
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
    trainers: z.array(z.object({ name: text(300), partyId: id.nullish() })).max(100).default([]),
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
  check: z.enum(["format", "signature", "key", "accreditation", "status", "validity"]),
  outcome: z.enum(["passed", "failed", "not-checked"]),
  code: z.string(),
  detail: z.string(),
});

export const VerifyResponse = z
  .object({ verified: z.boolean(), checks: z.array(Check), summary: z.record(z.string(), z.unknown()).nullable() })
  .openapi("VerificationResult");

export const AnyObject = z.record(z.string(), z.unknown());
