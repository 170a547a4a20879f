/**
 * Verifies a certificate and reports every check, like @digitalbazaar/vc: everything that varies (keys, registry,
 * status, clock) is passed in, and hostile input yields a failed result, never an exception.
 */
import { findCoveringAccreditation, type Accreditation, type Refusal } from "../domain/accreditation.js";
import { keyValidAt, type KeyWindow } from "../domain/keys.js";
import { academicHours } from "../domain/time.js";
import { decodeCompactJws, isPlainObject, verifyJwsSignature } from "./jwt.js";
import { senimCertificateSchema, verifiableCredentialSchema, type SenimCertificate } from "./schema.js";
import { VC_JWT_TYP } from "./vocabulary.js";
import { vcModelProblems } from "../domain/vc-model.js";

export const CHECKS = ["format", "signature", "key", "accreditation", "status", "validity"] as const;
export type CheckId = (typeof CHECKS)[number];
export type Outcome = "passed" | "failed" | "not-checked";

export interface Check {
  check: CheckId;
  outcome: Outcome;
  /** Stable reason code, e.g. `signature-invalid`, `accreditation-withdrawn`. */
  code: string;
  detail: string;
}

export interface ResolvedKey extends KeyWindow {
  kid: string;
  /** The DID that controls the key; must be the credential's issuer. */
  controller: string;
  publicKey: CryptoKey;
}

export interface VerifierPorts {
  resolveKey(kid: string): Promise<ResolvedKey | undefined>;
  /** The issuer's accreditation history, or `undefined` when the registry does not know the issuer. */
  accreditationsOf(issuerDid: string): Promise<Accreditation[] | undefined>;
  /** Whether the status bit is set; `undefined` when the list could not be checked. */
  statusBit(entry: { listUrl: string; index: number; purpose: string }): Promise<boolean | undefined>;
  now(): string;
}

export interface CertificateSummary {
  id: string;
  issuer: { id: string; name: string };
  coOrganiser: { id: string; name: string } | null;
  topic: string;
  programme: string;
  form: string;
  deliveryMode: string;
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
  checks: Check[];
  summary: CertificateSummary | null;
  credential: Record<string, unknown> | null;
}

/** Thrown only for input that is not a credential at all (maps to 400), never for a credential that fails. */
export class NotACredential extends Error {}

export async function verifyVcJwt(jwt: string, ports: VerifierPorts): Promise<VerificationResult> {
  const decoded = decodeCompactJws(jwt.trim());
  // The certificate schema extends the credential schema, so a payload it accepts is a credential: only a payload it
  // refuses needs the credential schema on its own (to tell "not a credential" from "a malformed certificate").
  const parsed = decoded ? senimCertificateSchema.safeParse(decoded.payload) : undefined;
  if (!decoded || (!parsed!.success && !verifiableCredentialSchema.safeParse(decoded.payload).success)) {
    throw new NotACredential("The input is not a vc+jwt credential.");
  }
  const credential = decoded.payload as Record<string, unknown>;
  const checks = new Map<CheckId, Check>();
  const set = (check: CheckId, outcome: Outcome, code: string, detail: string) => checks.set(check, { check, outcome, code, detail });

  const { cert, format } = certificateFormat(credential, parsed);
  set("format", format.outcome, format.code, format.detail);

  // Signature: header first, then the key, then the bytes.
  const { header } = decoded;
  const kid = typeof header.kid === "string" ? header.kid : undefined;
  const issuerId = issuerIdOf(credential);
  let key: ResolvedKey | undefined;
  if (header.alg !== "EdDSA") {
    set("signature", "failed", "algorithm-not-allowed", `Algorithm ${JSON.stringify(header.alg)} is not accepted; certificates are signed with EdDSA (Ed25519).`);
  } else if (header.typ !== undefined && !isVcJwtType(header.typ)) {
    set("signature", "failed", "wrong-media-type", `The JWT type must be ${VC_JWT_TYP}.`);
  } else if (!kid || kid.length > 512) {
    set("signature", "failed", "no-key-id", "The signature names no key (kid).");
  } else if (!(key = await ports.resolveKey(kid))) {
    set("signature", "failed", "unknown-key", "The signing key is not known to the registry.");
  } else if (key.controller !== issuerId) {
    set("signature", "failed", "key-not-issuers", "The signing key does not belong to the credential's issuer.");
  } else {
    const outcome = await verifyJwsSignature(decoded, key.publicKey);
    if (outcome.ok) set("signature", "passed", "signature-valid", "The Ed25519 signature is valid.");
    else set("signature", "failed", outcome.reason === "bad-algorithm" ? "algorithm-not-allowed" : "signature-invalid", "The signature does not match the contents: the certificate was altered or not signed by this key.");
  }

  return completeChecks(credential, cert, key, checks, ports);
}

/**
 * The checks after the signature, the same for every securing mechanism: with `checks` holding `format` and
 * `signature`, adds key validity, accreditation, status and validity (or "not checked" when the signature failed).
 */
export async function completeChecks(
  credential: Record<string, unknown>,
  cert: SenimCertificate | undefined,
  key: ResolvedKey | undefined,
  checks: Map<CheckId, Check>,
  ports: VerifierPorts,
): Promise<VerificationResult> {
  const set = (check: CheckId, outcome: Outcome, code: string, detail: string) => checks.set(check, { check, outcome, code, detail });
  const signed = checks.get("signature")!.outcome === "passed";
  const untrusted = "Not checked: the signature is not valid, so the contents cannot be trusted.";
  if (!signed || !cert) {
    const why = signed ? "Not checked: the certificate is not well formed." : untrusted;
    for (const c of ["key", "accreditation", "status", "validity"] as const) set(c, "not-checked", "not-checked", why);
  } else {
    const at = cert.validFrom;
    // Key valid at issuance: a retired key still verifies what it signed while it was active.
    if (keyValidAt(key!, at)) set("key", "passed", "key-valid-at-issuance", "The key was active when the certificate was issued.");
    else set("key", "failed", "key-not-valid-at-issuance", "The key was not active when the certificate says it was issued.");

    // Accreditation on validFrom for the programme and form (architecture: history matters).
    const history = await ports.accreditationsOf(cert.issuer.id);
    if (history === undefined) {
      set("accreditation", "failed", "issuer-not-in-registry", "The issuer is not in the registry of accredited providers.");
    } else {
      const a = cert.credentialSubject.achievement;
      const found = findCoveringAccreditation(history, a.programme, a.educationForm, at);
      if ("accreditation" in found) {
        const d = found.accreditation;
        set("accreditation", "passed", "accredited", `Accredited by ${d.barId} (decision ${d.decisionNumber} of ${d.decisionDate}) for this programme and form on the date of issue.`);
      } else if (history.length === 0) {
        set("accreditation", "failed", "accreditation-none", "The issuer has never been accredited (3.1, 9.1).");
      } else {
        set("accreditation", "failed", `accreditation-${found.refusal}`, ACCREDITATION_REFUSAL[found.refusal]);
      }
    }

    const status = cert.credentialStatus;
    const bit = await ports.statusBit({ listUrl: status.statusListCredential, index: Number(status.statusListIndex), purpose: status.statusPurpose });
    if (bit === undefined) set("status", "not-checked", "status-unavailable", "The revocation status could not be checked.");
    else if (bit) set("status", "failed", status.statusPurpose === "revocation" ? "revoked" : "suspended", status.statusPurpose === "revocation" ? "The certificate has been revoked by its issuer or the accrediting bar." : "The certificate is suspended.");
    else set("status", "passed", "not-revoked", "The certificate has not been revoked.");

    const now = Date.parse(ports.now());
    if (Date.parse(cert.validFrom) > now) set("validity", "failed", "not-yet-valid", "The certificate is dated in the future.");
    else if (cert.validUntil && Date.parse(cert.validUntil) <= now) set("validity", "failed", "expired", "The certificate's validity has ended.");
    else set("validity", "passed", "within-validity", "The certificate is within its validity period.");
  }

  const list = CHECKS.map((c) => checks.get(c)!);
  return {
    verified: list.every((c) => c.outcome === "passed"),
    checks: list,
    summary: cert ? summarise(cert) : null,
    credential,
  };
}

const ACCREDITATION_REFUSAL: Record<Refusal, string> = {
  "not-yet-valid": "The issuer was not yet accredited on the date of issue.",
  expired: "The issuer's accreditation had expired on the date of issue.",
  withdrawn: "The issuer's accreditation had been withdrawn before the date of issue (9.2).",
  "programme-out-of-scope": "The issuer's accreditation does not cover this programme (10.1).",
  "form-out-of-scope": "The issuer's accreditation does not cover this form of training (5.1).",
};

/** RFC 7515 §4.1.9: `typ` may omit the `application/` prefix, and media types compare case-insensitively. */
function isVcJwtType(typ: unknown): boolean {
  return typeof typ === "string" && [VC_JWT_TYP, `application/${VC_JWT_TYP}`].includes(typ.toLowerCase());
}

export function issuerIdOf(credential: Record<string, unknown>): string | undefined {
  const issuer = credential.issuer;
  if (typeof issuer === "string") return issuer;
  if (isPlainObject(issuer) && typeof issuer.id === "string") return issuer.id;
  return undefined;
}

/**
 * The format check: the Senim certificate schema (VC 2.0 + OB 3.0 + CLE, 10.6) and the VC Data Model 2.0 rules
 * generic libraries skip (src/domain/vc-model.ts). The certificate is returned only when both hold.
 */
export function certificateFormat(
  credential: Record<string, unknown>,
  /** `senimCertificateSchema.safeParse(credential)` when the caller has already run it. */
  parsed: ReturnType<typeof senimCertificateSchema.safeParse> = senimCertificateSchema.safeParse(credential),
): { cert: SenimCertificate | undefined; format: Omit<Check, "check"> } {
  if (!parsed.success) return { cert: undefined, format: { outcome: "failed", code: "malformed", detail: describeIssues(parsed.error.issues) } };
  const problems = vcModelProblems(credential);
  if (problems.length > 0) return { cert: undefined, format: { outcome: "failed", code: "malformed", detail: problems.slice(0, 5).map((p) => `${p.path || "(root)"}: ${p.message}`).join("; ") } };
  return { cert: parsed.data, format: { outcome: "passed", code: "well-formed", detail: "A well-formed VC 2.0 / Open Badges 3.0 CLE certificate." } };
}

export function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`)
    .join("; ");
}

export function summarise(cert: SenimCertificate): CertificateSummary {
  const s = cert.credentialSubject;
  const a = s.achievement;
  const name = s.identifier.find((i) => i.identityType === "name")?.identityHash ?? "";
  return {
    id: cert.id,
    issuer: { id: cert.issuer.id, name: cert.issuer.name },
    coOrganiser: a.coOrganiser ? { id: a.coOrganiser.id, name: a.coOrganiser.name } : null,
    topic: a.name,
    programme: a.programme,
    form: a.educationForm,
    deliveryMode: a.deliveryMode,
    academicHours: academicHours(a.durationMinutes),
    durationMinutes: a.durationMinutes,
    venue: a.venue,
    eventStart: a.eventStart,
    eventEnd: a.eventEnd,
    trainers: a.trainers,
    participant: { name, licenceHint: s.licenceHint ?? null, role: s.participationRole, holder: s.id ?? null, bar: s.memberOfBar ?? null },
    validFrom: cert.validFrom,
    validUntil: cert.validUntil ?? null,
  };
}
