/**
 * What a verification reports, like @digitalbazaar/vc's `{ verified, results, errors }`: every check, each with a
 * stable code from one closed union, so clients, pages and the ledger switch on codes, never on prose.
 * Codes are part of the public API (POST /api/verify, the VC API, the pages): never rename one, only add.
 */
import type { Refusal } from "../domain/accreditation.js";
import { fillText, type TextParams } from "../domain/errors.js";

/**
 * The checks, in the order they are reported. `organiser` compares the signed issuer name with the registry's;
 * `record` holds a credential naming a certificate id of this service to the certificate issued under that id;
 * `related-resources` checks the digests of the resources a credential names (VC 2.0 §5.3), where Senim holds them.
 */
export const CHECKS = ["format", "signature", "key", "accreditation", "organiser", "record", "status", "validity", "related-resources"] as const;
/**
 * A bar's annual attestation (12.1, 12.2) is held to checks of its own: `bar` — signed by the own did:web key of the
 * bar it names, never a provider's or another bar's; `record` — the attestation issued under its id, unchanged;
 * `year-closed` — the closing it attests still stands (the year was not reopened since); `status` — not revoked.
 */
export const ATTESTATION_CHECKS = ["format", "signature", "key", "bar", "record", "year-closed", "status", "validity"] as const;
/** Every check id of every profile (the API's schema and the catalogues' check names). */
export const CHECK_IDS = [...CHECKS, "bar", "year-closed"] as const;
export type CheckId = (typeof CHECK_IDS)[number];
export type Outcome = "passed" | "failed" | "not-checked";

/** Every code a check can report. */
export const CHECK_CODES = [
  // format
  "well-formed",
  "malformed",
  "malformed-certificate",
  // signature (both securing mechanisms)
  "signature-valid",
  "signature-invalid",
  "algorithm-not-allowed",
  "wrong-media-type",
  "vc-jwt-1.1-claims",
  "issuer-mismatch",
  "invalid-jwt-claims",
  "no-key-id",
  "unknown-key",
  "key-not-issuers",
  "key-not-holders",
  "no-supported-proof",
  "content-differs",
  "challenge-mismatch",
  "domain-mismatch",
  "previous-proof-missing",
  // key
  "key-valid-at-issuance",
  "key-not-valid-at-issuance",
  // accreditation
  "accredited",
  "issuer-not-in-registry",
  "accreditation-none",
  "accreditation-not-yet-valid",
  "accreditation-expired",
  "accreditation-withdrawn",
  "accreditation-programme-out-of-scope",
  "accreditation-form-out-of-scope",
  // organiser
  "organiser-registered",
  "organiser-name-mismatch",
  // record
  "matches-record",
  "outside-certificate-space",
  "certificate-id-mismatch",
  // status
  "not-revoked",
  "no-status",
  "revoked",
  "suspended",
  "status-unavailable",
  // validity
  "within-validity",
  "not-yet-valid",
  "expired",
  // related resources
  "no-related-resources",
  "related-resources-match",
  "related-resource-mismatch",
  "related-resource-unchecked",
  // annual attestation (format, bar, record, year-closed)
  "malformed-attestation",
  "signed-by-bar",
  "not-signed-by-bar",
  "matches-attestation-record",
  "attestation-id-mismatch",
  "year-closed",
  "year-not-closed",
  // any check that did not run
  "not-checked",
] as const;
export type CheckCode = (typeof CHECK_CODES)[number];

export const accreditationRefusalCode = (r: Refusal): CheckCode => `accreditation-${r}`;

export interface Check {
  check: CheckId;
  outcome: Outcome;
  code: CheckCode;
  /** In English; pages show the localised explanation of `code`. */
  detail: string;
}

/**
 * Which rules a credential is held to, chosen by what it claims (context, type, id space, an academic-hours
 * claim), never by whether it happens to parse: a `certificate` passes every certificate rule or fails.
 */
export type Profile = "certificate" | "attestation" | "generic";

/** What a bar's annual attestation says, from the verified credential. */
export interface AttestationSummary {
  id: string;
  bar: { id: string; did: string; name: string };
  year: number;
  requiredHours: number;
  verifiedHours: number;
  participant: { name: string; licenceHint: string | null };
  closedOn: string;
  closingDigest: string;
  validFrom: string;
}

export interface CertificateSummary {
  id: string;
  /** The organiser as the registry knows the signing DID (never just what the credential says). */
  issuer: { id: string; name: string };
  coOrganiser: { id: string; name: string } | null;
  topic: string;
  programme: string;
  form: string;
  deliveryMode: string;
  /**
   * What the certificate credits its participant, in academic hours and minutes: the minutes attended (12.3, partial
   * attendance) or taught (5.1(4)) when it says so, else the event's whole duration.
   */
  academicHours: number;
  durationMinutes: number;
  venue: string;
  eventStart: string;
  eventEnd: string;
  trainers: string[];
  /** `bar` is the URL of the participant's bar in the issuing registry. */
  participant: { name: string; licenceHint: string | null; role: string; holder: string | null; bar: string | null };
  validFrom: string;
  validUntil: string | null;
}

export interface VerificationResult {
  verified: boolean;
  profile: Profile | null;
  checks: Check[];
  /** For certificates: what they say, with the organiser's registered name. */
  summary: CertificateSummary | null;
  /** Set when the credential is a certificate of this service, identical to the one issued under its id. */
  certificateId: string | null;
  /** For a bar's annual attestation: what it says (set once its signature and form hold). */
  attestation?: AttestationSummary | null;
  credential: Record<string, unknown> | null;
}

export interface PresentationResult {
  verified: boolean;
  /** `format` and `signature` of the presentation itself (the holder's proof for this challenge and domain). */
  checks: Check[];
  /** The DID that signed the presentation, when its proof held. */
  holder: string | null;
  credentials: VerificationResult[];
}

/**
 * Why input is not a credential at all, in English with `{name}` placeholders: the API gives these texts, the English
 * catalogue takes them as they are (`problemDetails`, src/http/i18n/en.ts) and kk.ts and ru.ts translate each key, so
 * /verify says them in the page's language.
 */
export const NOT_A_CREDENTIAL_TEMPLATES = {
  "credential-not-vc-jwt": "The input is not a vc+jwt credential.",
  "credential-not-vc-jwt-11": "The input is not a VC-JWT 1.1 credential: {detail}",
  "credential-vc-jwt-not-2": "A vc+jwt carries a VC 2.0 credential; a VC 1.1 credential as a JWT carries it in a `vc` claim (VC-JWT 1.1).",
  "credential-not-sd-jwt-vc": "The input is not an SD-JWT VC.",
  "credential-sd-jwt-vc-not-issued": "An SD-JWT VC verifies here only as a certificate issued by this service: its jti names none.",
  "credential-envelope-id": "An EnvelopedVerifiableCredential must carry a {prefix}… id.",
  "credential-envelope-context": "An {what}'s {problems}.",
  "credential-not-vc-json": "The JSON is not a verifiable credential (VC 2.0, or VC 1.1).",
  "credential-proof-not-object": "The credential's proof must be an object.",
  "credential-url-not-ours": "Only certificate URLs of this service ({space}…) can be verified by URL; upload the credential instead.",
  "credential-certificate-unknown": "No certificate with this id was issued here.",
  "credential-attestation-unknown": "No attestation with this id was issued here.",
  "credential-json-invalid": "The file is not valid JSON.",
  "credential-json-not-object": "The JSON is not a credential.",
} as const;
export type NotACredentialKey = keyof typeof NOT_A_CREDENTIAL_TEMPLATES;

/** Thrown only for input that is not a credential at all (400), never for a credential that fails a check. */
export class NotACredential extends Error {
  /** The key of its text in {@link NOT_A_CREDENTIAL_TEMPLATES}, with the values it names (absent: English only). */
  readonly key?: NotACredentialKey;
  readonly params?: TextParams;

  constructor(message: string, options: { key?: NotACredentialKey; params?: TextParams } = {}) {
    super(message);
    if (options.key) this.key = options.key;
    if (options.params) this.params = options.params;
  }
}

/** A {@link NotACredential} whose text is one of {@link NOT_A_CREDENTIAL_TEMPLATES}. */
export const notACredential = (key: NotACredentialKey, params?: TextParams): NotACredential =>
  new NotACredential(fillText(NOT_A_CREDENTIAL_TEMPLATES[key], params), { key, ...(params ? { params } : {}) });

/** A check list in the reporting order, from checks set in any order; any check not set is "not checked". */
export function orderedChecks(checks: ReadonlyMap<CheckId, Check>, why: string, ids: readonly CheckId[] = CHECKS): Check[] {
  return ids.map((id) => checks.get(id) ?? { check: id, outcome: "not-checked", code: "not-checked", detail: why });
}

export const allPassed = (checks: readonly Check[]): boolean => checks.every((c) => c.outcome === "passed");
