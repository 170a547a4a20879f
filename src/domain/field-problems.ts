/**
 * What can be wrong with one field of a request or a form, by a stable code with the values its text names, so the
 * API's problem documents and the consoles say it in the reader's language (src/http/i18n, section `fieldProblems`,
 * with the field's name from `fieldLabels`). The English texts are the API's `message`s as they have always read.
 * Problems a schema finds have their own codes (src/http/schemas.ts, `validationProblems`); CSV lines', an event's
 * lists' and an announcement's theirs (src/lib/csv.ts, src/domain/event.ts, src/domain/announcement.ts).
 */
import { fillText, type FieldProblem, type TextParams } from "./errors.js";

export const FIELD_PROBLEM_TEMPLATES = {
  // dates and numbers
  "date-format-invalid": "must be a date YYYY-MM-DD",
  "calendar-date-invalid": "must be a calendar date YYYY-MM-DD",
  "date-in-future": "is in the future",
  "until-before-from": "before from",
  "outside-measure-dates": "outside the measure's dates",
  "year-not-ended": "the year has not ended",
  "closed-on-outside": "outside the closing's dates",
  "decision-in-future": "after today",
  "decision-before-current": "before the approval in force ({current})",
  "year-out-of-range": "must be {min}–{max}",
  "academic-hours-invalid": "must be positive academic hours (45 min) with at most one decimal, at most {max} (10.6)",
  "hours-invalid": "positive, one decimal",
  "more-than-claimed": "more than claimed",
  "rating-out-of-range": "{min}–{max}",
  "whole-minutes-or-null": "must be whole minutes from 1 to {max}, or null",
  // texts, ids and choices
  "is-required": "is required",
  "must-not-be-empty": "must not be empty",
  "text-length": "must be 1 to {max} characters",
  "text-length-short": "1 to {max} characters",
  "text-at-most": "at most {max} characters",
  "text-too-long-at-most": "must be at most {max} characters",
  "reason-invalid": "required, at most {max} characters",
  "one-of": "must be one of {values} ({rule})",
  "not-an-id": "not an id",
  "must-be-short": "must be short",
  "content-required": "the approved text in at least one of kk, ru, en",
  "website-invalid": "must be an https: or http: URL",
  "nul-character": "contains a NUL character (U+0000)",
  // people and bars
  "bar-id-unknown": "unknown bar",
  "not-a-member": "not a member of this bar",
  "member-not-short": "not short in the closed year",
  "licence-not-alphanumeric": "must be letters and digits",
  "licence-duplicate": "duplicates participants/{first}",
  "already-certified": "already certified",
  // outside certificates (10.6)
  "attachment-required": "required unless a credential file is sent",
  "attachment-type-invalid": "not a PDF, JPEG or PNG by its contents",
  "issued-by-senim": "issued by Senim",
  // credentials at the W3C VC API
  "json-too-deep": "nests too deep",
  "subject-makes-no-claim": "must make a claim (an empty object says nothing)",
  "proof-present": "must be absent",
  "securing-must-be-di": "must be di for a VC 1.1 credential",
  "issuer-name-unregistered": "must be the registered name",
  "status-list-ours": "must not name a list of this service",
  "certificate-through-events": "certificates are issued through events",
  "id-reserved": "must not start with {space}",
  "digest-mismatch": "the digest of {id} does not match",
  // the VC data model (src/domain/vc-model.ts: VC 2.0, and VC 1.1 where it says so)
  "credential-not-an-object": "a verifiable credential must be a JSON object",
  "presentation-not-an-object": "a verifiable presentation must be a JSON object",
  "must-be-array": "must be an array",
  "context-first-v2": "must be {url}",
  "context-first-v2-or-v1": "must be {url} (or {v1} for VC 1.1)",
  "url-or-object": "must be a URL or an object",
  "context-repeated": "must not repeat a context",
  "must-be-url": "must be a URL",
  "type-names-invalid": "must be one or more type names",
  "type-missing-base": "must include {base}",
  "url-or-object-with-url-id": "must be a URL or an object with a URL id",
  "must-be-object": "must be an object",
  "required-in-vc11": "is required in a VC 1.1 credential",
  "vc2-term-in-vc11": "is a VC 2.0 term: a VC 1.1 credential uses issuanceDate and expirationDate",
  "not-date-time-stamp": "must be an XML Schema dateTimeStamp (date, time and time zone)",
  "before-field": "must not be before {field}",
  "schema-url-required": "is required: the schema's URL",
  "related-resource-repeated": "must not repeat another related resource",
  "digest-required": "needs digestSRI or digestMultibase",
  "digest-sri-invalid": "must be a Subresource Integrity value (sha256-/sha384-/sha512-…)",
  "digest-multibase-invalid": "must be a multibase value",
} as const;

export type FieldProblemCode = keyof typeof FIELD_PROBLEM_TEMPLATES;

/** A field's problem by its code: the English `message` is its template with the values put in. */
export function fieldProblem(path: string, code: FieldProblemCode, params?: TextParams): FieldProblem {
  return { path, message: fillText(FIELD_PROBLEM_TEMPLATES[code], params), code, ...(params ? { params } : {}) };
}
