/**
 * The one verification pipeline. Every way a credential enters (POST /api/verify and the pages, the W3C VC API,
 * OpenID4VP and uploads at the bar's desk) comes through `verifyCredential`:
 *
 *   decode → securing (vc+jwt, Data Integrity, or the JSON copy of a certificate issued here)
 *          → profile (chosen by what the credential claims)
 *          → checks (format, signature, key, accreditation, organiser, record, status, validity, related resources)
 *          → one result with typed codes.
 *
 * Like @digitalbazaar/vc, everything that varies (keys, registry, issued certificates, status, clock, document
 * loader) is passed in as ports, built once in src/services.ts; hostile input yields a failed result, never an
 * exception (only input that is no credential at all throws `NotACredential`, a 400).
 */
import { findCoveringAccreditation, inForceAt, type Accreditation } from "../domain/accreditation.js";
import { keyValidAt, type KeyWindow } from "../domain/keys.js";
import { academicHours, instantOfNumericDate } from "../domain/time.js";
import type { FieldProblem } from "../domain/errors.js";
import { fieldProblem } from "../domain/field-problems.js";
import { inVc2Terms, isDateTimeStamp, vcDataModelOf, vcModelProblems } from "../domain/vc-model.js";
import { certificateIdIn } from "./certificate-url.js";
import { accreditationRefusalCode, allPassed, ATTESTATION_CHECKS, NotACredential, notACredential, orderedChecks, type AttestationSummary, type CertificateSummary, type Check, type CheckCode, type CheckId, type Profile, type VerificationResult } from "./checks.js";
import { attestationIdIn, attestationSchema, claimsAttestation } from "./attestation.js";
import type { DocumentLoader } from "./contexts.js";
import { verifyDataIntegrity, type DataIntegrityOutcome } from "./data-integrity.js";
import { JOSE_PROBLEM_DETAIL, joseProblem, jwtTimeProblem } from "./jose-policy.js";
import { decodeCompactJws, isPlainObject, verifyJwsSignature } from "./jwt.js";
import { checkRelatedResources } from "./related-resources.js";
import { statusListUrlOf } from "./status-list.js";
import { fromVcJwt11Claims } from "./vc-jwt-11.js";
import { boundToHolder, claimsMismatch, disclosedClaims, holderOf, isSdJwt, readSdJwtVc, SD_JWT_VC_TYP } from "./sd-jwt-vc.js";
import { creditedMinutesOf, isSenimCertificateShape, isVerifiableCredentialShape, senimCertificateSchema, verifiableCredentialSchema, type SenimCertificate } from "./schema.js";
import { CLE_CONTEXT, VC_JWT_MEDIA_TYPE } from "./vocabulary.js";

export { NotACredential, notACredential } from "./checks.js";
export type { CertificateSummary, Check, CheckCode, CheckId, VerificationResult } from "./checks.js";

export interface ResolvedKey extends KeyWindow {
  kid: string;
  /** The DID that controls the key; must be the credential's issuer. */
  controller: string;
  publicKey: CryptoKey;
}

/** What the pipeline needs from the rest of the service; built once (src/services.ts) and shared by every entry. */
export interface VerifierPorts {
  /** This service's public URL: certificate ids `{publicUrl}/c/{id}` are its own. */
  publicUrl: string;
  resolveKey(kid: string): Promise<ResolvedKey | undefined>;
  /** The issuer's accreditation history, or `undefined` when the registry does not know the issuer. */
  accreditationsOf(issuerDid: string): Promise<Accreditation[] | undefined>;
  /** The organiser's name in the registry entry of this DID, or `undefined` when the registry does not know it. */
  registeredNameOf(did: string): Promise<string | undefined>;
  /** The certificate issued here under `id`: its signed vc+jwt as recorded at issue, and that vc+jwt's credential. */
  issuedCertificate(id: string): Promise<IssuedRecord | undefined>;
  /** Whether the status bit is set; `undefined` when the list could not be checked. */
  statusBit(entry: { listUrl: string; index: number; purpose: string }): Promise<boolean | undefined>;
  documentLoader: DocumentLoader;
  now(): string;
  /** The bar whose own did:web this is (`undefined` for any other DID): only a bar signs an annual attestation. */
  barOfDid?(did: string): Promise<{ id: string; name: string; url: string } | undefined>;
  /** The annual attestation issued here under `id`, with whether its closing still stands and whether it is revoked. */
  issuedAttestation?(id: string): Promise<AttestationRecord | undefined>;
}

export interface IssuedRecord {
  jwt: string;
  credential: Record<string, unknown>;
}

export interface AttestationRecord extends IssuedRecord {
  /** The closing it attests is the year's open closing (the year was not reopened since). */
  closingStands: boolean;
  revoked: boolean;
}

/** A credential as it arrives: a compact vc+jwt, or JSON (enveloped vc+jwt, Data Integrity, or our JSON download). */
export type CredentialInput = { jwt: string } | { json: Record<string, unknown> };

/** A signature that held: the key, and when the signature says it was made (`proof.created`, the JWT's `iat`). */
interface Signing {
  key: ResolvedKey;
  signedAt: string | undefined;
}

/** What securing established: the credential, the signature check, and (when it passed) who signed and when. */
interface Secured {
  credential: Record<string, unknown>;
  /** The input as received (Data Integrity keeps its proof here). */
  secured: Record<string, unknown>;
  signature: Check;
  /** Every signature on it (a Data Integrity proof set has several), when the signature check passed; else empty. */
  signings: Signing[];
  /** The JWT claims set (the credential itself for vc+jwt), whose `exp` and `nbf` bind validity too. */
  jwtClaims: Record<string, unknown> | undefined;
  /** Nothing secures it at all: no check of its contents means anything. */
  unsecured?: true;
  /** Securing already compared it with the record and found it differs (an SD-JWT VC's claims): the record check fails. */
  recordMismatch?: string;
}

const signatureCheck = (outcome: Check["outcome"], code: CheckCode, detail: string): Check => ({ check: "signature", outcome, code, detail });

export async function verifyCredential(input: CredentialInput, ports: VerifierPorts): Promise<VerificationResult> {
  const secured = await secure(input, ports);
  return checkCredential(secured, ports);
}

// ---- securing ------------------------------------------------------------------------------------------------------

async function secure(input: CredentialInput, ports: VerifierPorts): Promise<Secured> {
  if ("jwt" in input) return isSdJwt(input.jwt) ? secureSdJwtVc(input.jwt, ports) : secureVcJwt(input.jwt, ports);
  const json = input.json;
  const types = Array.isArray(json.type) ? json.type : [json.type];
  if (types.includes("EnvelopedVerifiableCredential")) {
    const id = typeof json.id === "string" ? json.id : "";
    const prefix = `data:${VC_JWT_MEDIA_TYPE},`;
    if (!id.startsWith(prefix)) throw notACredential("credential-envelope-id", { prefix });
    assertEnvelopeContext(json, "EnvelopedVerifiableCredential");
    return secureVcJwt(id.slice(prefix.length), ports);
  }
  if (!verifiableCredentialSchema.safeParse(json).success) throw notACredential("credential-not-vc-json");
  if (json.proof !== undefined) return secureDataIntegrity(json, ports);
  return secureStoredCopy(json, ports);
}

/**
 * A compact JWT credential: a VC-JOSE-COSE `vc+jwt` (the payload is a VC 2.0 credential), or a VC-JWT 1.1 (the
 * `jwt_vc_json` of OpenID4VCI/VP: the credential in a `vc` claim, src/credentials/vc-jwt-11.ts). Either way the
 * signature is over the JWT as it came, and the checks read the credential it carries.
 */
async function secureVcJwt(jwt: string, ports: VerifierPorts): Promise<Secured> {
  const decoded = decodeCompactJws(jwt.trim());
  const claims = decoded && isPlainObject(decoded.payload) ? decoded.payload : undefined;
  const v11 = claims !== undefined && isPlainObject(claims.vc) && claims["@context"] === undefined;
  let credential: Record<string, unknown> | undefined = claims;
  if (claims && v11) {
    const read = fromVcJwt11Claims(claims);
    if (!read.ok) throw notACredential("credential-not-vc-jwt-11", { detail: read.detail });
    credential = read.credential;
  }
  if (!decoded || !claims || !credential || !(isVerifiableCredentialShape(credential) || verifiableCredentialSchema.safeParse(credential).success)) {
    throw notACredential("credential-not-vc-jwt");
  }
  // VC-JOSE-COSE secures VC 2.0 only; a VC 1.1 credential as a JWT is the `vc`-claim form.
  if (!v11 && vcDataModelOf(credential) !== "2.0") throw notACredential("credential-vc-jwt-not-2");
  // RFC 7519 §4.1.6: `iat` is when the JWT was made; a claim of another type says nothing about it.
  const signedAt = instantOfNumericDate(claims.iat);
  const done = (signature: Check, key?: ResolvedKey): Secured => ({ credential: credential!, secured: credential!, signature, signings: key ? [{ key, signedAt }] : [], jwtClaims: claims });
  const problem = joseProblem(decoded.header, claims, v11 ? "vc-1.1" : "vc");
  if (problem) return done(signatureCheck("failed", problem, JOSE_PROBLEM_DETAIL[problem]));
  const key = await ports.resolveKey(decoded.header.kid as string);
  const keyProblem = keyOwnershipProblem(key, credential);
  if (keyProblem) return done(keyProblem);
  const outcome = await verifyJwsSignature(decoded, key!.publicKey);
  if (!outcome.ok) return done(signatureCheck("failed", "signature-invalid", "The signature does not match the contents: the certificate was altered or not signed by this key."));
  return done(signatureCheck("passed", "signature-valid", "The Ed25519 signature is valid."), key);
}

/**
 * An SD-JWT VC (`dc+sd-jwt`, src/credentials/sd-jwt-vc.ts) verifies only as the certificate issued here under its
 * `jti`: the issuer JWT signed by a registry key of `iss`, every disclosure one the issuer signed, every disclosed
 * claim that certificate's. It then is that certificate, bound to the `cnf` key's DID, and the pipeline checks it as
 * such (a KB-JWT, if any, is the presentation's: src/credentials/presentation.ts).
 */
async function secureSdJwtVc(compact: string, ports: VerifierPorts): Promise<Secured> {
  const read = readSdJwtVc(compact);
  if (!read) throw notACredential("credential-not-sd-jwt-vc");
  const id = certificateIdIn(ports.publicUrl, read.payload.jti);
  const issued = id ? await ports.issuedCertificate(id) : undefined;
  if (!issued) throw notACredential("credential-sd-jwt-vc-not-issued");
  const holder = await holderOf(read.payload);
  const credential = holder ? boundToHolder(issued.credential, holder.did) : issued.credential;
  const signedAt = instantOfNumericDate(read.payload.iat);
  const done = (signature: Check, key?: ResolvedKey, recordMismatch?: string): Secured => ({ credential, secured: credential, signature, signings: key ? [{ key, signedAt }] : [], jwtClaims: read.payload, ...(recordMismatch ? { recordMismatch } : {}) });
  const { header, payload } = read;
  if (header.alg !== "EdDSA") return done(signatureCheck("failed", "algorithm-not-allowed", JOSE_PROBLEM_DETAIL["algorithm-not-allowed"]));
  if (header.typ !== SD_JWT_VC_TYP) return done(signatureCheck("failed", "wrong-media-type", `An SD-JWT VC's typ is ${SD_JWT_VC_TYP}.`));
  if (typeof header.kid !== "string" || header.kid.length === 0 || header.kid.length > 512) return done(signatureCheck("failed", "no-key-id", JOSE_PROBLEM_DETAIL["no-key-id"]));
  const key = await ports.resolveKey(header.kid);
  const keyProblem = keyOwnershipProblem(key, { issuer: payload.iss });
  if (keyProblem) return done(keyProblem);
  if (!(await verifyJwsSignature(read.issuerJwt, key!.publicKey)).ok) return done(signatureCheck("failed", "signature-invalid", "The issuer's signature does not match the SD-JWT: it was altered or not signed by this key."));
  const disclosed = await disclosedClaims(read);
  if (!disclosed.ok) return done(signatureCheck("failed", "signature-invalid", disclosed.detail));
  if (!holder) return done(signatureCheck("failed", "signature-invalid", "The SD-JWT VC's cnf names no did:key, did:jwk or Ed25519/P-256 key of a holder."));
  const passed = signatureCheck("passed", "signature-valid", "The issuer's Ed25519 signature and every disclosure are valid.");
  return done(passed, key, claimsMismatch(disclosed.claims, issued.credential, sameJson));
}

/** The one map from a Data Integrity outcome to a signature check code (credentials and presentations alike). */
export const DATA_INTEGRITY_CODES: Record<Extract<DataIntegrityOutcome, { ok: false }>["reason"], CheckCode> = {
  "no-proof": "no-supported-proof",
  "unsupported-proof": "no-supported-proof",
  "bad-signature": "signature-invalid",
  "unknown-key": "unknown-key",
  "key-not-issuers": "key-not-issuers",
  "previous-proof-missing": "previous-proof-missing",
  malformed: "signature-invalid",
};

export function dataIntegrityFailure(outcome: Extract<DataIntegrityOutcome, { ok: false }>): Check {
  const detail = outcome.reason === "bad-signature" ? "The proof does not verify: the document was altered or not signed by this key." : `The proof does not verify: ${outcome.detail.slice(0, 300)}`;
  return signatureCheck("failed", DATA_INTEGRITY_CODES[outcome.reason], detail);
}

async function secureDataIntegrity(json: Record<string, unknown>, ports: VerifierPorts): Promise<Secured> {
  if (!(isPlainObject(json.proof) || Array.isArray(json.proof))) throw notACredential("credential-proof-not-object");
  const { proof: _, ...credential } = json;
  const done = (signature: Check, signings: Signing[] = []): Secured => ({ credential, secured: json, signature, signings, jwtClaims: undefined });
  const outcome = await verifyDataIntegrity(json, { documentLoader: ports.documentLoader });
  if (!outcome.ok) return done(dataIntegrityFailure(outcome));
  // Every proof of a set or chain is by a key of the registry that the issuer controls.
  const signings: Signing[] = [];
  for (const proof of outcome.proofs) {
    const key = await ports.resolveKey(proof.verificationMethod);
    const keyProblem = keyOwnershipProblem(key, credential);
    if (keyProblem) return done(keyProblem);
    signings.push({ key: key!, signedAt: proof.created });
  }
  const what = outcome.proofs.length === 1 ? "The eddsa-rdfc-2022 Data Integrity proof is valid." : `All ${outcome.proofs.length} eddsa-rdfc-2022 Data Integrity proofs of the set are valid.`;
  return done(signatureCheck("passed", "signature-valid", what), signings);
}

/**
 * The `.json` download of a certificate issued here carries no proof of its own: it verifies as the vc+jwt
 * recorded under its id, and only if it equals, member for member, what that vc+jwt says.
 */
async function secureStoredCopy(json: Record<string, unknown>, ports: VerifierPorts): Promise<Secured> {
  const id = certificateIdIn(ports.publicUrl, json.id);
  const issued = id ? await ports.issuedCertificate(id) : undefined;
  if (!issued) {
    const signature = signatureCheck("failed", "no-supported-proof", "The credential carries no proof and is not a certificate issued here.");
    return { credential: json, secured: json, signature, signings: [], jwtClaims: undefined, unsecured: true };
  }
  const recorded = await secureVcJwt(issued.jwt, ports);
  if (!sameJson(recorded.credential, json)) {
    const signature = signatureCheck("failed", "content-differs", "The JSON differs from what the issuer signed: it was altered.");
    return { credential: json, secured: json, signature, signings: [], jwtClaims: undefined };
  }
  return recorded;
}

/**
 * VC 2.0 §4.13.2: an enveloped credential or presentation is itself a JSON-LD document whose `@context` is an array
 * starting with the VC 2.0 context — `[]`, a bare string or another first context is not an envelope.
 */
export function assertEnvelopeContext(json: Record<string, unknown>, what: string): void {
  const problems = vcModelProblems(json, "presentation").filter((p) => p.path.startsWith("@context"));
  if (problems.length > 0) throw notACredential("credential-envelope-context", { what, problems: describeProblems(problems) });
}

/** The key must be one the registry knows, controlled by the credential's issuer. */
function keyOwnershipProblem(key: ResolvedKey | undefined, credential: Record<string, unknown>): Check | undefined {
  if (!key) return signatureCheck("failed", "unknown-key", "The signing key is not known to the registry.");
  if (key.controller !== issuerIdOf(credential)) return signatureCheck("failed", "key-not-issuers", "The signing key does not belong to the credential's issuer.");
  return undefined;
}

// ---- profile -------------------------------------------------------------------------------------------------------

/** CLE terms whose presence claims "this is a certificate of professional development", in whatever JSON-LD form. */
const CLE_CLAIM = /academicHour|https:\/\/w3id\.org\/senim\/cle[#/]|^cle:/i;

/**
 * A credential is a certificate when it carries the CLE context, claims academic hours, or takes an id from this
 * service's certificate space: then it is held to every certificate rule. Never decided by whether it parses.
 */
export function profileOf(credential: Record<string, unknown>, publicUrl: string): Profile {
  // An annual attestation claims to be one by its type or context; it names hours but is no certificate.
  if (claimsAttestation(credential)) return "attestation";
  const context = Array.isArray(credential["@context"]) ? credential["@context"] : [credential["@context"]];
  if (context.includes(CLE_CONTEXT)) return "certificate";
  if (certificateIdIn(publicUrl, credential.id) !== undefined) return "certificate";
  return claimsCle(credential, 0) ? "certificate" : "generic";
}

function claimsCle(value: unknown, depth: number): boolean {
  if (depth > 12) return false;
  if (Array.isArray(value)) return value.some((v) => claimsCle(v, depth + 1));
  if (!isPlainObject(value)) return typeof value === "string" && depth > 0 && value.startsWith("https://w3id.org/senim/cle");
  return Object.entries(value).some(([k, v]) => CLE_CLAIM.test(k) || claimsCle(v, depth + 1));
}

// ---- checks --------------------------------------------------------------------------------------------------------

type Set = (check: CheckId, outcome: Check["outcome"], code: CheckCode, detail: string) => void;

async function checkCredential(s: Secured, ports: VerifierPorts): Promise<VerificationResult> {
  // The rules read a VC 1.1 credential in VC 2.0 terms (issuanceDate as validFrom, …); its data-model rules are its own.
  const credential = inVc2Terms(s.credential);
  const profile = profileOf(credential, ports.publicUrl);
  const checks = new Map<CheckId, Check>();
  const set: Set = (check, outcome, code, detail) => checks.set(check, { check, outcome, code, detail });
  checks.set("signature", s.signature);
  if (s.unsecured) return result(profile, checks, "Not checked: there is no signature to trust.", null, null, s);
  if (profile === "attestation") return checkAttestation(s, ports, checks, set);

  const dataModelProblems = credentialProblems(s.credential);
  const format = profile === "certificate" ? certificateFormat(credential, dataModelProblems) : genericFormat(dataModelProblems, vcDataModelOf(s.credential));
  set("format", format.outcome, format.code, format.detail);
  const cert = format.cert;

  let summary: CertificateSummary | null = null;
  let certificateId: string | null = null;
  if (s.signature.outcome !== "passed") {
    return result(profile, checks, "Not checked: the signature is not valid, so the contents cannot be trusted.", null, null, s);
  }
  if (format.outcome !== "passed") {
    return result(profile, checks, "Not checked: the credential claims to be a certificate but is not well formed.", null, null, s);
  }
  if (s.recordMismatch) {
    set("record", "failed", "certificate-id-mismatch", s.recordMismatch);
    return result(profile, checks, "Not checked: the credential differs from the certificate issued under its id.", null, null, s);
  }
  const issuerId = issuerIdOf(credential)!;
  const validFrom = isDateTimeStamp(credential.validFrom) ? credential.validFrom : ports.now();

  // Key valid at issuance: a retired key still verifies what it signed while it was active. A certificate is dated
  // when it is issued (validFrom, design.md), and its key is held to that date. Any other credential may be valid
  // from a date long past (VC 2.0 §4.9): what must fall inside the key's window is when it was signed, as each
  // signature states it (`proof.created`, `iat`), or validFrom when a signature does not say.
  const signedAt = s.signings.map((g) => (cert || g.signedAt === undefined ? validFrom : g.signedAt));
  if (s.signings.every((g, i) => keyValidAt(g.key, signedAt[i]!))) set("key", "passed", "key-valid-at-issuance", "The key was active when the credential was signed.");
  else set("key", "failed", "key-not-valid-at-issuance", "The key was not active when the credential says it was signed.");

  const history = await ports.accreditationsOf(issuerId);
  if (history === undefined) set("accreditation", "failed", "issuer-not-in-registry", "The issuer is not in the registry of accredited providers.");
  else if (cert) accreditationOfTraining(cert, history, set);
  else if (signedAt.every((at) => history.some((a) => inForceAt(a, at)))) set("accreditation", "passed", "accredited", "The issuer was accredited when it signed the credential.");
  else set("accreditation", "failed", "accreditation-none", "The issuer had no accreditation in force when it signed the credential (3.1, 9.1).");

  const record = await recordCheck(credential, issuerId, ports);
  set("record", record.outcome, record.code, record.detail);
  if (record.outcome === "passed" && record.certificateId) certificateId = record.certificateId;

  const registeredName = await ports.registeredNameOf(issuerId);
  organiserCheck(credential, registeredName, certificateId !== null, set);

  await statusCheck(credential, ports, set);
  validityCheck(credential, validFrom, s.jwtClaims, ports.now(), set);
  await relatedResourcesCheck(credential, set);

  if (cert) summary = summarise(cert, registeredName);
  return result(profile, checks, "Not checked.", summary, certificateId, s);
}

function result(profile: Profile, checks: Map<CheckId, Check>, why: string, summary: CertificateSummary | null, certificateId: string | null, s: Secured): VerificationResult {
  const list = orderedChecks(checks, why, profile === "attestation" ? ATTESTATION_CHECKS : undefined);
  return { verified: allPassed(list), profile, checks: list, summary, certificateId, credential: s.secured };
}

/**
 * 12.1, 12.2: a bar's annual attestation. Signed by the own did:web key of a bar (never a provider's: a provider is
 * no bar), naming a member of that same bar; the attestation issued here under its id, unchanged (so a hand-made
 * credential, even one a bar's key signed, or one with altered hours, fails); the closing it states still standing
 * (reopening the year withdraws what the closed year said); not revoked by the bar.
 */
async function checkAttestation(s: Secured, ports: VerifierPorts, checks: Map<CheckId, Check>, set: Set): Promise<VerificationResult> {
  // A wallet's `jwt_vc_json` copy is a VC-JWT 1.1: read in VC 2.0 terms, as certificates are (checkCredential).
  const credential = inVc2Terms(s.credential);
  let attestation: AttestationSummary | null = null;
  const done = (why: string) => ({ ...result("attestation", checks, why, null, null, s), attestation });
  const parsed = attestationSchema.safeParse(credential);
  const problems = credentialProblems(s.credential);
  if (!parsed.success) set("format", "failed", "malformed-attestation", `The credential claims to be a bar's annual attestation but does not parse as one: ${describeIssues(parsed.error.issues)}`);
  else if (problems.length > 0) set("format", "failed", "malformed-attestation", describeProblems(problems));
  else set("format", "passed", "well-formed", "A well-formed VC 2.0 annual attestation of a bar.");
  if (s.signature.outcome !== "passed") return done("Not checked: the signature is not valid, so the contents cannot be trusted.");
  if (!parsed.success || problems.length > 0) return done("Not checked: the credential claims to be an annual attestation but is not well formed.");
  const a = parsed.data;

  const signedAt = s.signings.map((g) => g.signedAt ?? a.validFrom);
  if (s.signings.every((g, i) => keyValidAt(g.key, signedAt[i]!))) set("key", "passed", "key-valid-at-issuance", "The key was active when the credential was signed.");
  else set("key", "failed", "key-not-valid-at-issuance", "The key was not active when the credential says it was signed.");

  const bar = await ports.barOfDid?.(a.issuer.id);
  if (!bar) set("bar", "failed", "not-signed-by-bar", "The attestation is not signed with a bar's own key: only the member's bar attests the year (12.1).");
  else if (a.credentialSubject.memberOfBar !== bar.url) set("bar", "failed", "not-signed-by-bar", `Signed by ${bar.name}, but it names a member of another bar: a bar attests only its own members.`);
  else set("bar", "passed", "signed-by-bar", `Signed with the own key of ${bar.name}.`);

  const id = attestationIdIn(ports.publicUrl, a.id);
  const record = id ? await ports.issuedAttestation?.(id) : undefined;
  if (!record) set("record", "failed", "attestation-id-mismatch", "No attestation was issued here under this id.");
  // A wallet's copy differs only by its holder binding (credentialSubject.id), as a certificate's does (recordCheck).
  else if (!sameJson(withoutHolderBinding(record.credential), withoutHolderBinding(credential))) set("record", "failed", "attestation-id-mismatch", "The credential differs from the attestation issued under this id.");
  else {
    set("record", "passed", "matches-attestation-record", "The attestation issued under this id, unchanged.");
    if (record.closingStands) set("year-closed", "passed", "year-closed", `The bar closed ${a.credentialSubject.year} on ${a.credentialSubject.closedOn}, and that closing stands.`);
    else set("year-closed", "failed", "year-not-closed", `The bar has reopened ${a.credentialSubject.year} since: the closing this attestation states no longer stands (12.2).`);
    if (record.revoked) set("status", "failed", "revoked", "The attestation has been revoked by the bar.");
    else set("status", "passed", "not-revoked", "The attestation has not been revoked.");
  }
  validityCheck(credential, a.validFrom, s.jwtClaims, ports.now(), set);

  const subject = a.credentialSubject;
  attestation = {
    id: a.id,
    bar: { id: bar?.id ?? "", did: a.issuer.id, name: bar?.name ?? a.issuer.name },
    year: subject.year,
    requiredHours: subject.requiredHours,
    verifiedHours: subject.verifiedHours,
    participant: { name: subject.identifier.find((i) => i.identityType === "name")?.identityHash ?? "", licenceHint: subject.licenceHint ?? null },
    closedOn: subject.closedOn,
    closingDigest: subject.closingDigest,
    validFrom: a.validFrom,
  };
  return done("Not checked: the attestation issued under this id does not match.");
}

type Format = { outcome: Check["outcome"]; code: CheckCode; detail: string; cert?: SenimCertificate };

/**
 * The certificate rules: the Senim certificate schema (VC 2.0 + OB 3.0 + CLE, 10.6 hours from minutes), the
 * VC 2.0 model rules generic libraries skip, and 7.5: a certificate is given after the event, never before it ends.
 */
function certificateFormat(credential: Record<string, unknown>, problems: FieldProblem[]): Format {
  // The hand-written check accepts only what the schema accepts; anything else gets zod's verdict and words.
  let cert: SenimCertificate;
  if (isSenimCertificateShape(credential)) cert = credential;
  else {
    const parsed = senimCertificateSchema.safeParse(credential);
    if (!parsed.success) return { outcome: "failed", code: "malformed-certificate", detail: `The credential claims to be a CLE certificate but does not parse as one: ${describeIssues(parsed.error.issues)}` };
    cert = parsed.data;
  }
  if (problems.length > 0) return { outcome: "failed", code: "malformed-certificate", detail: describeProblems(problems) };
  const a = cert.credentialSubject.achievement;
  if (Date.parse(a.eventEnd) < Date.parse(a.eventStart)) return { outcome: "failed", code: "malformed-certificate", detail: "The event ends before it starts." };
  if (Date.parse(cert.validFrom) < Date.parse(a.eventEnd)) return { outcome: "failed", code: "malformed-certificate", detail: "7.5: the certificate is dated before the event ended." };
  return { outcome: "passed", code: "well-formed", detail: "A well-formed VC 2.0 / Open Badges 3.0 CLE certificate.", cert };
}

function genericFormat(problems: FieldProblem[], dataModel: "2.0" | "1.1" | undefined): Format {
  if (problems.length > 0) return { outcome: "failed", code: "malformed", detail: describeProblems(problems) };
  return { outcome: "passed", code: "well-formed", detail: `A well-formed VC ${dataModel ?? "2.0"} credential.` };
}

/**
 * The VC 2.0 data-model rules a credential is held to, at issue (POST /credentials/issue) and at verification alike:
 * src/domain/vc-model.ts, and §4.8: each credential subject makes a claim — `{}` says nothing about anyone (the
 * @digitalbazaar/vc rule, "credentialSubject must make a claim").
 */
export function credentialProblems(credential: Record<string, unknown>): FieldProblem[] {
  const problems = vcModelProblems(credential);
  const subjects = credential.credentialSubject;
  (Array.isArray(subjects) ? subjects : [subjects]).forEach((subject, i) => {
    if (isPlainObject(subject) && Object.keys(subject).length === 0) problems.push(fieldProblem(`credentialSubject/${i}`, "subject-makes-no-claim"));
  });
  return problems;
}

/** 5.1(1), 7.1: the training was given by an accredited provider: one decision covers its whole span, programme and form. */
function accreditationOfTraining(cert: SenimCertificate, history: Accreditation[], set: Set): void {
  const a = cert.credentialSubject.achievement;
  if (history.length === 0) return set("accreditation", "failed", "accreditation-none", "The issuer has never been accredited (3.1, 9.1).");
  const found = findCoveringAccreditation(history, a.programme, a.educationForm, { from: a.eventStart, to: a.eventEnd });
  if ("accreditation" in found) {
    const d = found.accreditation;
    return set("accreditation", "passed", "accredited", `Accredited by ${d.barId} (decision ${d.decisionNumber} of ${d.decisionDate}) for this programme and form on the days of the training.`);
  }
  set("accreditation", "failed", accreditationRefusalCode(found.refusal), TRAINING_REFUSAL[found.refusal]);
}

const TRAINING_REFUSAL: Record<Parameters<typeof accreditationRefusalCode>[0], string> = {
  "not-yet-valid": "The issuer was not yet accredited on the days of the training (5.1, 7.1).",
  expired: "The issuer's accreditation had expired by the days of the training.",
  withdrawn: "The issuer's accreditation had been withdrawn by the days of the training (9.2).",
  "programme-out-of-scope": "The issuer's accreditation does not cover this programme (10.1).",
  "form-out-of-scope": "The issuer's accreditation does not cover this form of training (5.1).",
};

/**
 * A certificate id means one certificate: a credential whose `id` lies in this service's certificate space must be
 * the certificate issued under that id, by the same issuer, with the same signed content. The only difference a
 * copy may carry is the holder binding (`credentialSubject.id`) the wallet's copy is re-signed with.
 */
async function recordCheck(credential: Record<string, unknown>, issuerId: string, ports: VerifierPorts): Promise<{ outcome: Check["outcome"]; code: CheckCode; detail: string; certificateId?: string }> {
  const id = certificateIdIn(ports.publicUrl, credential.id);
  if (id === undefined) return { outcome: "passed", code: "outside-certificate-space", detail: "The credential does not claim the id of a certificate issued here." };
  const mismatch = (detail: string) => ({ outcome: "failed" as const, code: "certificate-id-mismatch" as const, detail });
  if (id === null) return mismatch("The id lies in this service's certificate space but names no certificate.");
  const issued = await ports.issuedCertificate(id);
  if (!issued) return mismatch("No certificate was issued under this id.");
  const recorded = issued.credential;
  if (issuerIdOf(recorded) !== issuerId) return mismatch("The certificate issued under this id has another issuer.");
  if (!sameJson(withoutHolderBinding(recorded), withoutHolderBinding(credential))) return mismatch("The credential differs from the certificate issued under this id.");
  return { outcome: "passed", code: "matches-record", detail: "The certificate issued under this id, unchanged.", certificateId: id };
}

function withoutHolderBinding(credential: Record<string, unknown>): Record<string, unknown> {
  const subject = credential.credentialSubject;
  if (!isPlainObject(subject) || subject.id === undefined) return credential;
  const { id: _, ...rest } = subject;
  return { ...credential, credentialSubject: rest };
}

/**
 * The organiser is the registry's: a signed `issuer.name` must be the name the registry gives the signing DID. A
 * certificate identical to the one issued here keeps the name the service signed into it at issue, even if the
 * party was renamed since (the record check vouches for it).
 */
function organiserCheck(credential: Record<string, unknown>, registeredName: string | undefined, matchesRecord: boolean, set: Set): void {
  const issuer = credential.issuer;
  const signedName = isPlainObject(issuer) ? issuer.name : undefined;
  if (signedName === undefined) return set("organiser", "passed", "organiser-registered", "The credential names no organiser of its own; the registry's entry is shown.");
  if (registeredName === undefined) return set("organiser", "failed", "organiser-name-mismatch", "The organiser is not in the registry.");
  if (signedName === registeredName) return set("organiser", "passed", "organiser-registered", "The organiser's name is the one in the registry.");
  if (matchesRecord) return set("organiser", "passed", "organiser-registered", "The organiser's name as registered when the certificate was issued.");
  set("organiser", "failed", "organiser-name-mismatch", `The credential names its organiser ${JSON.stringify(String(signedName).slice(0, 200))}, but the signing key is registered to ${JSON.stringify(registeredName)}.`);
}

/** Every status entry: a set bit fails ("revoked" / "suspended"); a list we cannot read is "could not check". */
async function statusCheck(credential: Record<string, unknown>, ports: VerifierPorts, set: Set): Promise<void> {
  const status = credential.credentialStatus;
  const entries = status === undefined ? [] : Array.isArray(status) ? status : [status];
  if (entries.length === 0) return set("status", "passed", "no-status", "The credential has no status entry: it cannot be revoked.");
  let unchecked = false;
  for (const e of entries) {
    if (!isPlainObject(e) || e.type !== "BitstringStatusListEntry" || typeof e.statusListCredential !== "string" || typeof e.statusListIndex !== "string" || !/^\d{1,9}$/.test(e.statusListIndex)) {
      unchecked = true;
      continue;
    }
    const bit = await ports.statusBit({ listUrl: statusListUrlOf(ports.publicUrl, e.statusListCredential), index: Number(e.statusListIndex), purpose: String(e.statusPurpose) });
    if (bit === undefined) unchecked = true;
    else if (bit) {
      return e.statusPurpose === "suspension"
        ? set("status", "failed", "suspended", "The credential is suspended.")
        : set("status", "failed", "revoked", "The credential has been revoked by its issuer or the accrediting bar.");
    }
  }
  if (unchecked) set("status", "not-checked", "status-unavailable", "The revocation status could not be checked.");
  else set("status", "passed", "not-revoked", "The credential has not been revoked.");
}

/** validFrom / validUntil of the data model, and a vc+jwt's own `exp` and `nbf` (RFC 7519), whichever is stricter. */
function validityCheck(credential: Record<string, unknown>, validFrom: string, jwtClaims: Record<string, unknown> | undefined, now: string, set: Set): void {
  const nowMs = Date.parse(now);
  const jwt = jwtClaims ? jwtTimeProblem(jwtClaims, nowMs / 1000) : undefined;
  if (Date.parse(validFrom) > nowMs || jwt === "not-yet-valid") return set("validity", "failed", "not-yet-valid", "The credential is not valid yet (validFrom or the JWT's nbf lies in the future).");
  if ((isDateTimeStamp(credential.validUntil) && Date.parse(credential.validUntil) <= nowMs) || jwt === "expired") return set("validity", "failed", "expired", "The credential's validity has ended (validUntil or the JWT's exp).");
  set("validity", "passed", "within-validity", "The credential is within its validity period.");
}

/**
 * VC 2.0 §5.3: the digests of the resources a credential names. A digest that differs from a resource Senim holds,
 * or that cannot be a digest, fails; a resource Senim does not hold is "could not check" (it never fetches).
 */
async function relatedResourcesCheck(credential: Record<string, unknown>, set: Set): Promise<void> {
  if (credential.relatedResource === undefined) return set("related-resources", "passed", "no-related-resources", "The credential names no related resources.");
  const report = await checkRelatedResources(credential);
  const list = (ids: string[]) => ids.slice(0, 5).map((id) => JSON.stringify(id.slice(0, 200))).join(", ");
  if (report.malformed.length > 0) return set("related-resources", "failed", "related-resource-mismatch", `A related resource's digest is malformed: ${describeProblems(report.malformed)}.`);
  if (report.mismatched.length > 0) return set("related-resources", "failed", "related-resource-mismatch", `The digest of ${list(report.mismatched)} differs from the resource as published: the credential names another version of it.`);
  if (report.unchecked.length > 0) return set("related-resources", "not-checked", "related-resource-unchecked", `The digests of ${list(report.unchecked)} could not be checked: the service holds no copy and never fetches.`);
  set("related-resources", "passed", "related-resources-match", `The digest of every related resource matches the resource as published (${list(report.matched)}).`);
}

// ---- helpers -------------------------------------------------------------------------------------------------------

export function issuerIdOf(credential: Record<string, unknown>): string | undefined {
  const issuer = credential.issuer;
  if (typeof issuer === "string") return issuer;
  if (isPlainObject(issuer) && typeof issuer.id === "string") return issuer.id;
  return undefined;
}

export function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`)
    .join("; ");
}

const describeProblems = (problems: readonly { path: string; message: string }[]) =>
  problems
    .slice(0, 5)
    .map((p) => `${p.path || "(root)"}: ${p.message}`)
    .join("; ");

/** What a certificate says, with the organiser's registered name (the signed one only when the registry has none). */
export function summarise(cert: SenimCertificate, registeredName?: string): CertificateSummary {
  const s = cert.credentialSubject;
  const a = s.achievement;
  const name = s.identifier.find((i) => i.identityType === "name")?.identityHash ?? "";
  return {
    id: cert.id,
    issuer: { id: cert.issuer.id, name: registeredName ?? cert.issuer.name },
    coOrganiser: a.coOrganiser ? { id: a.coOrganiser.id, name: a.coOrganiser.name } : null,
    topic: a.name,
    programme: a.programme,
    form: a.educationForm,
    deliveryMode: a.deliveryMode,
    // What this certificate credits its participant (12.3 partial attendance, 5.1(4) minutes taught): the hours the
    // pages and messages show and the ledger credits.
    academicHours: academicHours(creditedMinutesOf(cert)),
    durationMinutes: creditedMinutesOf(cert),
    venue: a.venue,
    eventStart: a.eventStart,
    eventEnd: a.eventEnd,
    trainers: a.trainers,
    participant: { name, licenceHint: s.licenceHint ?? null, role: s.participationRole, holder: s.id ?? null, bar: s.memberOfBar ?? null },
    validFrom: cert.validFrom,
    validUntil: cert.validUntil ?? null,
  };
}

/** The summary of a certificate issued here, from its record (the stored vc+jwt), never from a presented copy. */
export function summaryOfRecord(record: IssuedRecord): CertificateSummary | undefined {
  const parsed = senimCertificateSchema.safeParse(record.credential);
  return parsed.success ? summarise(parsed.data) : undefined;
}

/** Structural equality of two JSON values (member order ignored); input depth is bounded before it gets here. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
  }
  return false;
}
