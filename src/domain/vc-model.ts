/**
 * VC Data Model 2.0 rules that generic signing and verifying libraries do not enforce (they check proofs, not the
 * data model), and the VC Data Model 1.1 rules for credentials that still come in that form (the Digital Credentials
 * Consortium's issuer and many Open Badges 3.0 issuers sign VC 1.1). Pure: takes parsed JSON, returns every problem
 * found as a field problem (src/domain/field-problems.ts); an empty list means the document follows the rules below. Section numbers are the VC
 * 2.0 Recommendation's unless they say 1.1.
 */
import type { FieldProblem, TextParams } from "./errors.js";
import { fieldProblem, type FieldProblemCode } from "./field-problems.js";
import { isRealDateTime } from "./time.js";

export const VC_V2_CONTEXT_URL = "https://www.w3.org/ns/credentials/v2";
export const VC_V1_CONTEXT_URL = "https://www.w3.org/2018/credentials/v1";

/** The data model a credential's first context names; `undefined` for neither. */
export function vcDataModelOf(doc: unknown): "2.0" | "1.1" | undefined {
  const first = isObject(doc) && Array.isArray(doc["@context"]) ? doc["@context"][0] : undefined;
  return first === VC_V2_CONTEXT_URL ? "2.0" : first === VC_V1_CONTEXT_URL ? "1.1" : undefined;
}

/**
 * A VC 1.1 credential read in VC 2.0 terms, for the rules that follow (validity, the certificate schema, the record
 * comparison): the first context becomes VC 2.0's, `issuanceDate` and `expirationDate` become `validFrom` and
 * `validUntil` (VC 2.0 Appendix "Revision History": the same meaning under new names). Everything else is as signed.
 * A VC 2.0 credential is returned unchanged. The signature is always checked over the credential as it came.
 */
export function inVc2Terms(doc: Record<string, unknown>): Record<string, unknown> {
  if (vcDataModelOf(doc) !== "1.1") return doc;
  const { issuanceDate, expirationDate, ...rest } = doc;
  const view: Record<string, unknown> = { ...rest, "@context": [VC_V2_CONTEXT_URL, ...(doc["@context"] as unknown[]).slice(1)] };
  if (issuanceDate !== undefined) view.validFrom = issuanceDate;
  if (expirationDate !== undefined) view.validUntil = expirationDate;
  return view;
}

/** A URL (absolute IRI): a scheme, a colon and no white space. */
const URL_LIKE = /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]+$/;

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);
const asArray = (v: Json): Json[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

export function isUrl(v: Json): v is string {
  return typeof v === "string" && v.length <= 2048 && URL_LIKE.test(v);
}

/**
 * §4.9 `dateTimeStamp` (an XML Schema date-time with a mandatory time zone), held to the one date-time check of
 * src/domain/time.ts: a real moment with seconds 0–59, so `Date.parse` never answers NaN for a value that passed
 * (NaN compares as neither before nor after, and would make a `validUntil` never come).
 */
export function isDateTimeStamp(v: Json): v is string {
  return typeof v === "string" && isRealDateTime(v);
}

/** Rules for a credential (`kind` "credential") or a presentation. */
export function vcModelProblems(doc: Json, kind: "credential" | "presentation" = "credential"): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (path: string, code: FieldProblemCode, params?: TextParams) => problems.length < 50 && problems.push(fieldProblem(path, code, params));
  if (!isObject(doc)) return [fieldProblem("", kind === "credential" ? "credential-not-an-object" : "presentation-not-an-object")];

  // §4.3 Contexts: an ordered set whose first item is the VC 2.0 context URL (for a credential, VC 1.1's is also
  // read: 1.1 §4.1); the rest URLs or objects.
  const context = doc["@context"];
  const v1 = kind === "credential" && vcDataModelOf(doc) === "1.1";
  if (!Array.isArray(context) || context.length === 0) add("@context", "must-be-array");
  else {
    if (context[0] !== VC_V2_CONTEXT_URL && !v1) add("@context/0", kind === "credential" ? "context-first-v2-or-v1" : "context-first-v2", kind === "credential" ? { url: VC_V2_CONTEXT_URL, v1: VC_V1_CONTEXT_URL } : { url: VC_V2_CONTEXT_URL });
    context.forEach((c, i) => {
      if (!(isUrl(c) || isObject(c))) add(`@context/${i}`, "url-or-object");
    });
    if (new Set(context.filter((c) => typeof c === "string")).size !== context.filter((c) => typeof c === "string").length) add("@context", "context-repeated");
  }

  // §4.4 Identifiers: `id` is a single URL.
  if (doc.id !== undefined && !isUrl(doc.id)) add("id", "must-be-url");

  // §4.5 Types: one or more terms; the base type is required.
  const base = kind === "credential" ? "VerifiableCredential" : "VerifiablePresentation";
  const types = asArray(doc.type);
  if (types.length === 0 || !types.every((t) => typeof t === "string" && t.length > 0 && t.length <= 200 && !/\s/.test(t))) add("type", "type-names-invalid");
  else if (!types.includes(base)) add("type", "type-missing-base", { base });

  if (kind === "credential") {
    // §4.7 Issuer: a URL, or an object whose id is a URL.
    const issuer = doc.issuer;
    if (!(isUrl(issuer) || (isObject(issuer) && isUrl(issuer.id)))) add("issuer", "url-or-object-with-url-id");

    // §4.8 Credential subject: one or more objects.
    const subjects = asArray(doc.credentialSubject);
    if (subjects.length === 0) add("credentialSubject", "is-required");
    subjects.forEach((s, i) => {
      if (!isObject(s)) add(`credentialSubject/${i}`, "must-be-object");
      else if (s.id !== undefined && !isUrl(s.id)) add(`credentialSubject/${i}/id`, "must-be-url");
    });

    // §4.9 Validity period: dateTimeStamps, and validUntil not before validFrom. VC 1.1 (§4.6, §4.7) names them
    // issuanceDate (required) and expirationDate, and knows no validFrom or validUntil.
    // Each value is checked once (this runs on every verification); `undefined` when absent.
    const [from, until] = v1 ? (["issuanceDate", "expirationDate"] as const) : (["validFrom", "validUntil"] as const);
    if (v1) {
      if (doc.issuanceDate === undefined) add("issuanceDate", "required-in-vc11");
      for (const field of ["validFrom", "validUntil"] as const) if (doc[field] !== undefined) add(field, "vc2-term-in-vc11");
    }
    const stamps = { from: doc[from] === undefined ? undefined : isDateTimeStamp(doc[from]), until: doc[until] === undefined ? undefined : isDateTimeStamp(doc[until]) };
    if (stamps.from === false) add(from, "not-date-time-stamp");
    if (stamps.until === false) add(until, "not-date-time-stamp");
    if (stamps.from && stamps.until && Date.parse(doc[until] as string) < Date.parse(doc[from] as string)) {
      add(until, "before-field", { field: from });
    }

    // §4.10 Status, §4.11 Data schemas, §5.4 Refreshing, §5.5 Terms of use, §5.6 Evidence: objects with a type.
    for (const field of ["credentialStatus", "credentialSchema", "refreshService", "termsOfUse", "evidence"] as const) {
      asArray(doc[field]).forEach((entry, i) => {
        const path = `${field}/${i}`;
        if (!isObject(entry)) return add(path, "must-be-object");
        if (asArray(entry.type).length === 0 || !asArray(entry.type).every((t) => typeof t === "string" && t.length > 0)) add(`${path}/type`, "is-required");
        if (entry.id !== undefined && !isUrl(entry.id)) add(`${path}/id`, "must-be-url");
        if (field === "credentialSchema" && !isUrl(entry.id)) add(`${path}/id`, "schema-url-required");
      });
    }

    // §5.3 Integrity of related resources: each has a URL id and at least one digest.
    const related = asArray(doc.relatedResource);
    const seen = new Set<string>();
    related.forEach((r, i) => {
      const path = `relatedResource/${i}`;
      if (!isObject(r)) return add(path, "must-be-object");
      if (!isUrl(r.id)) add(`${path}/id`, "must-be-url");
      else if (seen.has(r.id)) add(`${path}/id`, "related-resource-repeated");
      else seen.add(r.id);
      const sri = r.digestSRI;
      const multibase = r.digestMultibase;
      if (sri === undefined && multibase === undefined) add(path, "digest-required");
      if (sri !== undefined && !(typeof sri === "string" && /^(sha256|sha384|sha512)-[A-Za-z0-9+/]+={0,2}$/.test(sri))) add(`${path}/digestSRI`, "digest-sri-invalid");
      if (multibase !== undefined && !(typeof multibase === "string" && /^[zuUmMfFbB][A-Za-z0-9+/=_-]+$/.test(multibase))) add(`${path}/digestMultibase`, "digest-multibase-invalid");
    });
  } else {
    if (doc.holder !== undefined && !(isUrl(doc.holder) || (isObject(doc.holder) && isUrl(doc.holder.id)))) add("holder", "url-or-object-with-url-id");
  }
  return problems;
}
