/**
 * Presentations, through the same pipeline as credentials: decode → securing (vp+jwt, the VC-JWT 1.1 VP of
 * OpenID4VP's `jwt_vc_json`, a Data Integrity `ldp_vp`, or an SD-JWT VC with its KB-JWT, OpenID4VP's `dc+sd-jwt`) → the holder's proof for this challenge and domain →
 * every credential inside through `verifyCredential`. The W3C VC API's POST /presentations/verify and OpenID4VP's
 * direct_post are thin adapters over `verifyPresentation`.
 */
import { vcModelProblems } from "../domain/vc-model.js";
import { allPassed, NotACredential, type Check, type CheckCode, type PresentationResult, type VerificationResult } from "./checks.js";
import { publicKeyOfMethod, verifyDataIntegrity } from "./data-integrity.js";
import { didOf, MAX_HOLDER_DID_LENGTH, resolveHolderDid, type HolderJwk } from "./holder-key.js";
import { verifyWithHolderKey } from "./holder-key.js";
import { CLOCK_SKEW_SECONDS, JOSE_PROBLEM_DETAIL, joseProblem, jwtTimeProblem } from "./jose-policy.js";
import { decodeCompactJws, isPlainObject } from "./jwt.js";
import { base64url } from "../lib/ids.js";
import { VC_JWT_MEDIA_TYPE } from "./vocabulary.js";
import { holderOf, isSdJwt, KB_JWT_TYP, readSdJwtVc, sdHashOf } from "./sd-jwt-vc.js";
import { assertEnvelopeContext, dataIntegrityFailure, verifyCredential, type CredentialInput, type VerifierPorts } from "./verify.js";

export const VP_JWT_MEDIA_TYPE = "application/vp+jwt";

export interface PresentationPorts extends VerifierPorts {
  /** Offline DID resolution (did:key, this registry's did:web parties) for holders that are parties. */
  resolveDidUrl(didUrl: string): Promise<Record<string, unknown> | undefined>;
}

export interface PresentationExpectations {
  /** The verifier's nonce: without one any presentation ever made could be replayed. */
  challenge: string;
  /** The verifier's identifier (OpenID4VP: the client_id; VC API: `options.domain`), when it names one. */
  domain?: string;
  /** At most this many credentials are looked at; more is refused as a whole. */
  maxCredentials: number;
}

type Fail = { outcome: "failed"; code: CheckCode; detail: string };
const fail = (code: CheckCode, detail: string): Fail => ({ outcome: "failed", code, detail });

interface SecuredPresentation {
  presentation: Record<string, unknown>;
  /** VC-JWT 1.1 presentations follow the 1.1 data model, which the VC 2.0 rules do not apply to. */
  dataModel: "2.0" | "1.1";
  signature: Check;
  holder: string | null;
}

/** @throws NotACredential for input that is not a presentation at all. */
export async function verifyPresentation(vp: unknown, expect: PresentationExpectations, ports: PresentationPorts): Promise<PresentationResult> {
  const secured = await securePresentation(vp, expect, ports);
  const { presentation } = secured;
  const format: Check = formatCheck(presentation, secured.dataModel);
  const vcs = presentation.verifiableCredential === undefined ? [] : Array.isArray(presentation.verifiableCredential) ? presentation.verifiableCredential : [presentation.verifiableCredential];
  if (vcs.length > expect.maxCredentials) throw new NotACredential(`At most ${expect.maxCredentials} credentials per presentation.`);
  const credentials: VerificationResult[] = [];
  for (const vc of vcs) credentials.push(await verifyOne(vc, ports));
  const checks = [format, secured.signature];
  return { verified: allPassed(checks) && credentials.every((c) => c.verified), checks, holder: secured.signature.outcome === "passed" ? secured.holder : null, credentials };
}

function formatCheck(presentation: Record<string, unknown>, dataModel: "2.0" | "1.1"): Check {
  const types = Array.isArray(presentation.type) ? presentation.type : [presentation.type];
  if (!types.includes("VerifiablePresentation")) return { check: "format", outcome: "failed", code: "malformed", detail: "The presentation's type must include VerifiablePresentation." };
  const problems = dataModel === "2.0" ? vcModelProblems(presentation, "presentation") : [];
  if (problems.length > 0) return { check: "format", outcome: "failed", code: "malformed", detail: problems.slice(0, 5).map((p) => `${p.path || "(root)"}: ${p.message}`).join("; ") };
  return { check: "format", outcome: "passed", code: "well-formed", detail: "A well-formed verifiable presentation." };
}

/** One credential inside: a compact vc+jwt, an enveloped one (string or object), or a JSON credential. */
async function verifyOne(vc: unknown, ports: VerifierPorts): Promise<VerificationResult> {
  try {
    return await verifyCredential(credentialInput(vc), ports);
  } catch (err) {
    if (!(err instanceof NotACredential)) throw err;
    return { verified: false, profile: null, checks: [{ check: "format", outcome: "failed", code: "malformed", detail: err.message }], summary: null, certificateId: null, credential: null };
  }
}

export function credentialInput(vc: unknown): CredentialInput {
  if (typeof vc === "string") {
    const text = vc.trim();
    const prefix = `data:${VC_JWT_MEDIA_TYPE},`;
    return { jwt: text.startsWith(prefix) ? text.slice(prefix.length) : text };
  }
  if (isPlainObject(vc)) return { json: vc };
  throw new NotACredential("A credential in the presentation is neither a JWT nor a JSON object.");
}

async function securePresentation(vp: unknown, expect: PresentationExpectations, ports: PresentationPorts): Promise<SecuredPresentation> {
  if (typeof vp === "string" && isSdJwt(vp)) return secureSdJwtPresentation(vp.trim(), expect, ports);
  if (typeof vp === "string") return secureVpJwt(vp.trim(), expect, ports);
  if (!isPlainObject(vp)) throw new NotACredential("A presentation is a vp+jwt or a JSON object.");
  const types = Array.isArray(vp.type) ? vp.type : [vp.type];
  if (types.includes("EnvelopedVerifiablePresentation")) {
    const id = typeof vp.id === "string" ? vp.id : "";
    const prefix = `data:${VP_JWT_MEDIA_TYPE},`;
    if (!id.startsWith(prefix)) throw new NotACredential(`An EnvelopedVerifiablePresentation must carry a ${prefix}… id.`);
    assertEnvelopeContext(vp, "EnvelopedVerifiablePresentation");
    return secureVpJwt(id.slice(prefix.length), expect, ports);
  }
  if (!types.includes("VerifiablePresentation")) throw new NotACredential("The JSON is not a VerifiablePresentation.");
  if (vp.proof === undefined) throw new NotACredential("A Data Integrity presentation carries exactly one proof object; this one has none.");
  return secureLdpVp(vp, expect, ports);
}

/** A vp+jwt or a VC-JWT 1.1 VP: the one JOSE policy, the holder's key, this challenge (`nonce`) and domain (`aud`). */
async function secureVpJwt(jwt: string, expect: PresentationExpectations, ports: PresentationPorts): Promise<SecuredPresentation> {
  const decoded = decodeCompactJws(jwt);
  if (!decoded || !isPlainObject(decoded.payload)) throw new NotACredential("The presentation is not a compact JWS with a JSON payload.");
  const { header, payload } = decoded;
  const dataModel = isPlainObject(payload.vp) ? "1.1" : "2.0";
  const presentation = isPlainObject(payload.vp) ? payload.vp : payload;
  const done = (signature: Fail | Check, holder: string | null = null): SecuredPresentation => ({ presentation, dataModel, signature: { check: "signature", ...signature }, holder });
  const problem = joseProblem(header, payload, dataModel === "1.1" ? "vp-1.1" : "vp");
  if (problem) return done(fail(problem, JOSE_PROBLEM_DETAIL[problem]));
  const kid = header.kid as string;
  const jwk = await holderKey(kid, ports);
  if (!jwk) return done(fail("unknown-key", "The presentation's key (kid) cannot be resolved offline: use a did:key or did:jwk, or a party's key."));
  const holder = didOf(kid);
  if (!(await verifyWithHolderKey(jwt, jwk))) return done(fail("signature-invalid", "The presentation's signature does not verify with the holder's key."));
  const claimedHolder = typeof presentation.holder === "string" ? presentation.holder : isPlainObject(presentation.holder) ? presentation.holder.id : undefined;
  if (claimedHolder !== undefined && claimedHolder !== holder) return done(fail("key-not-holders", "The presentation is not signed by its holder."));
  if (payload.iss !== undefined && payload.iss !== holder) return done(fail("key-not-holders", "iss must be the holder's DID."));
  if (payload.nonce !== expect.challenge) return done(fail("challenge-mismatch", "The presentation was not made for this challenge (nonce)."));
  if (expect.domain !== undefined && !(payload.aud === expect.domain || (Array.isArray(payload.aud) && payload.aud.includes(expect.domain)))) {
    return done(fail("domain-mismatch", "The presentation was not made for this verifier (aud)."));
  }
  const nowS = Date.parse(ports.now()) / 1000;
  const time = jwtTimeProblem(payload, nowS);
  if (time === "expired") return done(fail("invalid-jwt-claims", "The presentation has expired (exp)."));
  if (time === "not-yet-valid" || (typeof payload.iat === "number" && payload.iat > nowS + CLOCK_SKEW_SECONDS)) return done(fail("invalid-jwt-claims", "The presentation is dated in the future (iat, nbf)."));
  return done({ check: "signature", outcome: "passed", code: "signature-valid", detail: "The holder's signature is valid for this challenge and verifier." }, holder);
}

/**
 * OpenID4VP 1.0 B.3.6: an SD-JWT VC presented on its own, its KB-JWT (`typ` kb+jwt) signed by the key the issuer
 * bound it to (`cnf`), for this challenge (`nonce`) and verifier (`aud`), fresh, over exactly what is presented
 * (`sd_hash`). The holder is the cnf key's DID (did:key / did:jwk), as for the other forms; the credential itself
 * then goes through `verifyCredential` like any other.
 */
async function secureSdJwtPresentation(compact: string, expect: PresentationExpectations, ports: PresentationPorts): Promise<SecuredPresentation> {
  const read = readSdJwtVc(compact);
  if (!read) throw new NotACredential("The presentation is not an SD-JWT VC.");
  const presentation = { type: ["VerifiablePresentation"], verifiableCredential: [read.withoutKb] };
  const done = (signature: Fail | Check, holder: string | null = null): SecuredPresentation => ({ presentation, dataModel: "1.1", signature: { check: "signature", ...signature }, holder });
  if (!read.kbJwt) return done(fail("no-supported-proof", "The SD-JWT VC is presented without a KB-JWT: the holder's key must sign for this request."));
  const holder = await holderOf(read.payload);
  if (!holder) return done(fail("unknown-key", "The SD-JWT VC's cnf names no did:key, did:jwk or Ed25519/P-256 key."));
  const kb = decodeCompactJws(read.kbJwt);
  if (!kb || !isPlainObject(kb.payload) || kb.header.typ !== KB_JWT_TYP) return done(fail("wrong-media-type", "The KB-JWT is not a compact JWS of typ kb+jwt."));
  if (kb.header.alg !== (holder.jwk.kty === "OKP" ? "EdDSA" : "ES256")) return done(fail("algorithm-not-allowed", JOSE_PROBLEM_DETAIL["algorithm-not-allowed"]));
  if (!(await verifyWithHolderKey(read.kbJwt, holder.jwk))) return done(fail("signature-invalid", "The KB-JWT's signature does not verify with the key the SD-JWT VC is bound to (cnf)."));
  const payload = kb.payload;
  if (payload.nonce !== expect.challenge) return done(fail("challenge-mismatch", "The presentation was not made for this challenge (nonce)."));
  if (expect.domain !== undefined && payload.aud !== expect.domain) return done(fail("domain-mismatch", "The presentation was not made for this verifier (aud)."));
  if (payload.sd_hash !== (await sdHashOf(read.withoutKb))) return done(fail("signature-invalid", "The KB-JWT's sd_hash is not over the SD-JWT as presented."));
  const nowS = Date.parse(ports.now()) / 1000;
  if (typeof payload.iat !== "number" || payload.iat > nowS + CLOCK_SKEW_SECONDS || payload.iat < nowS - KB_JWT_MAX_AGE_SECONDS) return done(fail("invalid-jwt-claims", "The KB-JWT's iat is missing, in the future, or stale."));
  return done({ check: "signature", outcome: "passed", code: "signature-valid", detail: "The holder's KB-JWT is valid for this challenge and verifier." }, holder.did);
}

/** A KB-JWT older than this is refused (SD-JWT §7.3 step 5: iat within an acceptable window); the nonce is one-time anyway. */
const KB_JWT_MAX_AGE_SECONDS = 600;

/** An `ldp_vp`: one eddsa-rdfc-2022 proof, purpose `authentication`, this challenge and domain, by the holder. */
async function secureLdpVp(vp: Record<string, unknown>, expect: PresentationExpectations, ports: PresentationPorts): Promise<SecuredPresentation> {
  const done = (signature: Fail | Check, holder: string | null = null): SecuredPresentation => ({ presentation: vp, dataModel: "2.0", signature: { check: "signature", ...signature }, holder });
  const proof = vp.proof;
  if (!isPlainObject(proof)) return done(fail("no-supported-proof", "A Data Integrity presentation carries exactly one proof object."));
  const vm = typeof proof.verificationMethod === "string" ? proof.verificationMethod : "";
  const holder = didOf(vm);
  if (holder.length === 0 || holder.length > MAX_HOLDER_DID_LENGTH) return done(fail("unknown-key", "The presentation's proof names no verification method."));
  const claimedHolder = typeof vp.holder === "string" ? vp.holder : isPlainObject(vp.holder) ? vp.holder.id : undefined;
  if (vp.holder !== undefined && claimedHolder !== holder) return done(fail("key-not-holders", "The presentation is not signed by its holder."));
  if (proof.proofPurpose !== "authentication") return done(fail("signature-invalid", "The presentation's proof purpose must be authentication."));
  if (proof.challenge !== expect.challenge) return done(fail("challenge-mismatch", "The presentation was not made for this challenge."));
  if (expect.domain !== undefined && proof.domain !== expect.domain) return done(fail("domain-mismatch", "The presentation was not made for this verifier (domain)."));
  const outcome = await verifyDataIntegrity(vp, { documentLoader: ports.documentLoader, presentation: { challenge: expect.challenge, domain: expect.domain } });
  if (!outcome.ok) return done(dataIntegrityFailure(outcome));
  return done({ check: "signature", outcome: "passed", code: "signature-valid", detail: "The holder's proof is valid for this challenge and domain." }, holder);
}

/** A holder's public key: a wallet DID resolved offline (did:key, did:jwk), or a party's key from the registry. */
async function holderKey(kid: string, ports: PresentationPorts): Promise<HolderJwk | undefined> {
  const wallet = await resolveHolderDid(kid);
  if (wallet) return wallet;
  if (!kid.startsWith("did:")) return undefined;
  const vm = await ports.resolveDidUrl(kid);
  const raw = vm && publicKeyOfMethod(vm);
  return raw ? { kty: "OKP", crv: "Ed25519", x: base64url(raw) } : undefined;
}
