/**
 * The standards layer: Data Integrity proofs for certificates, the W3C VC API (VCALM) issuing, verifying and status
 * operations, and status list credentials in both securing forms. Everything resolves offline (bundled contexts,
 * did:key, this registry's did:web).
 */
import { inForceAt } from "../domain/accreditation.js";
import { assertIsProvider, type Principal } from "../domain/authz.js";
import { SenimError } from "../domain/errors.js";
import { keyValidAt } from "../domain/keys.js";
import { isDateTimeStamp, vcModelProblems, VC_V2_CONTEXT_URL } from "../domain/vc-model.js";
import { BUNDLED_CONTEXTS, createDocumentLoader, type DocumentLoader } from "../credentials/contexts.js";
import { DataIntegrityIssuer, publicKeyOfMethod, verifyDataIntegrity } from "../credentials/data-integrity.js";
import { JOSE_PROBLEM_DETAIL, joseProblem } from "../credentials/jose-checks.js";
import { decodeCompactJws, isPlainObject, signVcJwt, verifyJwsSignature } from "../credentials/jwt.js";
import { senimCertificateSchema } from "../credentials/schema.js";
import { STATUS_LIST_SIZE, statusIndexForCounter } from "../credentials/status-list.js";
import { verifyDataIntegrityCredential } from "../credentials/verify-di.js";
import { CHECKS, NotACredential, verifyVcJwt, type Check, type CheckId, type Outcome, type ResolvedKey, type VerificationResult, type VerifierPorts } from "../credentials/verify.js";
import { VC_JWT_MEDIA_TYPE } from "../credentials/vocabulary.js";
import type { IssuanceService } from "../issuance/service.js";
import type { IssuanceStore, StoredCertificate } from "../issuance/model.js";
import { newId } from "../lib/ids.js";
import type { RegistryService } from "../registry/service.js";
import type { StandardsStore } from "./model.js";

export type Securing = "di" | "jwt";
export const VP_JWT_MEDIA_TYPE = "application/vp+jwt";

export interface IssueRequest {
  credential: Record<string, unknown>;
  options?: { securing?: Securing; credentialStatus?: { statusPurpose: "revocation" | "suspension" }[]; credentialId?: string };
}

export interface StatusRequest {
  credentialId: string;
  credentialStatus: { type: string; statusPurpose: "revocation" | "suspension" };
  status: boolean;
  reason?: string;
}

/** A verification that failed, as the VC API answers it: 422 with the checks (never 200 with verified:false). */
export function verificationFailed(result: { checks: Check[] }, what: "credential" | "presentation"): SenimError {
  const failed = result.checks.filter((c) => c.outcome !== "passed").map((c) => `${c.check}: ${c.code}`);
  return new SenimError("verification_failed", `The ${what} did not verify (${failed.join(", ")}).`, { extra: { verified: false, checks: result.checks } });
}

/**
 * JSON-LD processing refusals (safe mode: a term no context defines, a malformed context) are the caller's input
 * problem, not ours: 422 with the processor's reason, never a 500.
 */
async function jsonLdRefusal<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof SenimError) throw err;
    const name = (err as { name?: unknown })?.name;
    if (typeof name === "string" && name.startsWith("jsonld.")) {
      const event = (err as { details?: { event?: { code?: unknown; details?: unknown } } }).details?.event;
      const why = typeof event?.code === "string" ? `${event.code} ${JSON.stringify(event.details ?? {}).slice(0, 200)}` : String((err as Error).message).slice(0, 200);
      throw new SenimError("jsonld_invalid", `The credential is not valid JSON-LD under its contexts (${why}): every term must be defined, since undefined terms would not be signed.`);
    }
    throw err;
  }
}

export class StandardsService {
  readonly documentLoader: DocumentLoader;
  private readonly ports: VerifierPorts & { documentLoader: DocumentLoader };
  private readonly issuers = new Map<string, Promise<DataIntegrityIssuer>>();
  private readonly signedLists = new Map<string, { encodedList: string; secured: Record<string, unknown> }>();

  constructor(
    private readonly deps: { registry: RegistryService; issuance: IssuanceService; issuanceStore: IssuanceStore; store: StandardsStore },
  ) {
    this.documentLoader = createDocumentLoader({ resolveDid: (url) => deps.registry.resolveDidUrl(url) });
    this.ports = {
      resolveKey: (kid) => deps.registry.resolveKey(kid),
      accreditationsOf: (did) => deps.registry.accreditationsOf(did),
      statusBit: (entry) => deps.issuance.statusBit(entry),
      now: () => deps.registry.now(),
      documentLoader: this.documentLoader,
    };
  }

  /** One issuer per signing key: its proof-configuration cache is shared by every certificate that key signs. */
  private issuerFor(keyId: string): Promise<DataIntegrityIssuer> {
    let issuer = this.issuers.get(keyId);
    if (!issuer) {
      issuer = (async () => {
        const privateKey = await this.deps.registry.signingKeyOf(keyId);
        if (!privateKey) throw new SenimError("no_active_key", "The key that signed this certificate is not held by the service.");
        return new DataIntegrityIssuer({ verificationMethod: this.deps.registry.dataIntegrityMethod(keyId), privateKey }, this.documentLoader);
      })();
      issuer.catch(() => this.issuers.delete(keyId));
      this.issuers.set(keyId, issuer);
    }
    return issuer;
  }

  // ---- certificates in both forms -------------------------------------------------------------------------------

  /**
   * Adds the eddsa-rdfc-2022 proof to certificates that have none, signed by the key that signed their vc+jwt, with
   * `created` = the issuing instant: the same statement by the same key at the same time, in a second form.
   */
  async addCertificateProofs(certificates: StoredCertificate[]): Promise<void> {
    const rows = await Promise.all(
      certificates.map(async (c) => {
        const signed = await (await this.issuerFor(c.keyId)).sign(this.deps.issuance.credentialOf(c), c.issuedAt);
        return { certificateId: c.id, proof: JSON.stringify(signed.proof), createdAt: this.deps.registry.now() };
      }),
    );
    await this.deps.store.putCertificateProofs(rows);
  }

  /** The certificate secured with Data Integrity (its proof made now if it was issued as vc+jwt only). */
  async dataIntegrityOf(c: StoredCertificate): Promise<Record<string, unknown>> {
    let proof = await this.deps.store.getCertificateProof(c.id);
    if (!proof) {
      await this.addCertificateProofs([c]);
      proof = (await this.deps.store.getCertificateProof(c.id))!;
    }
    return { ...this.deps.issuance.credentialOf(c), proof: JSON.parse(proof) };
  }

  /**
   * A certificate (or a variant of it the caller derived, such as the wallet's copy bound to the holder's DID)
   * secured with Data Integrity by the key that signed the certificate's vc+jwt, `created` = now. Used by
   * OpenID4VCI's `ldp_vc` format: the same proof code as every other Data Integrity credential here.
   */
  async signCertificateVariant(c: StoredCertificate, credential: Record<string, unknown>): Promise<Record<string, unknown>> {
    return (await this.issuerFor(c.keyId)).sign(credential, this.deps.registry.now());
  }

  /**
   * The status list credential secured with Data Integrity, re-signed only when its bits change (like the vc+jwt
   * form): the list is read and encoded each time, the signature is reused while `encodedList` is the same.
   */
  async statusListDataIntegrity(listId: string): Promise<Record<string, unknown> | undefined> {
    const doc = await this.deps.issuance.statusListDocument(listId);
    if (!doc) return undefined;
    const encodedList = (doc.credential.credentialSubject as { encodedList: string }).encodedList;
    const cached = this.signedLists.get(listId);
    if (cached && cached.encodedList === encodedList) return cached.secured;
    const signer = await this.deps.registry.signerFor(doc.partyId, doc.credential.validFrom);
    const secured = await (await this.issuerFor(signer.keyId)).sign(doc.credential, doc.credential.validFrom);
    if (this.signedLists.size >= 1_000) this.signedLists.clear();
    this.signedLists.set(listId, { encodedList, secured });
    return secured;
  }

  // ---- VC API: issue --------------------------------------------------------------------------------------------

  async issue(principal: Principal, request: IssueRequest): Promise<Record<string, unknown>> {
    assertIsProvider(principal);
    const party = await this.deps.registry.requireParty(principal.partyId);
    const credential = structuredClone(request.credential);
    const issuerId = typeof credential.issuer === "string" ? credential.issuer : isPlainObject(credential.issuer) ? credential.issuer.id : undefined;
    if (issuerId !== party.did) {
      throw new SenimError("forbidden", `The issuer must be the calling provider's own identifier (${party.did}).`, { extra: { issuer: typeof issuerId === "string" ? issuerId.slice(0, 300) : null } });
    }
    if ("proof" in credential) throw new SenimError("invalid_request", "The credential to issue must not carry a proof.", { problems: [{ path: "credential/proof", message: "must be absent" }] });
    const now = this.deps.registry.now();
    if (credential.validFrom === undefined) credential.validFrom = now;
    const problems = vcModelProblems(credential).map((p) => ({ path: `credential/${p.path}`, message: p.message }));
    if (problems.length > 0) throw new SenimError("invalid_request", `${problems.length} problem(s) in the credential (VC Data Model 2.0).`, { problems });
    if (credential.credentialStatus !== undefined) throw new SenimError("invalid_request", "Ask for credentialStatus in options; the service allocates the entries.", { problems: [{ path: "credential/credentialStatus", message: "must be absent" }] });
    await this.assertContextsKnown(credential["@context"] as unknown[]);

    // 3.1, 9.1: only an accredited provider issues, whatever the credential says.
    const accreditations = await this.deps.registry.listAccreditations(party.id);
    if (!accreditations.some((a) => inForceAt(a, now))) throw new SenimError("not_accredited", "The provider has no accreditation in force today (3.1, 9.1); the service refuses to sign.");
    const signer = await this.deps.registry.signerFor(party.id, now);
    // A credential dated before its key existed would never verify: refuse it rather than sign it.
    const window = await this.deps.registry.resolveKey(signer.keyId);
    if (window && !keyValidAt(window, credential.validFrom as string)) {
      throw new SenimError("rule_violated", "validFrom falls outside the signing key's validity: a credential cannot be dated before its key existed.", { problems: [{ path: "credential/validFrom", message: `must be on or after ${window.validFrom}` }] });
    }

    const id = newId(16);
    const entries: { listId: string; index: number; purpose: "revocation" | "suspension" }[] = [];
    for (const { statusPurpose } of request.options?.credentialStatus ?? []) {
      if (entries.some((e) => e.purpose === statusPurpose)) continue;
      const [allocation] = await this.deps.issuanceStore.allocateStatusEntries(party.id, statusPurpose, 1, STATUS_LIST_SIZE, now);
      entries.push({ listId: allocation!.listId, index: statusIndexForCounter(allocation!.counters[0]!), purpose: statusPurpose });
    }
    if (entries.length > 0) {
      const status = entries.map((e) => {
        const listUrl = this.deps.issuance.statusListUrl(e.listId);
        return { id: `${listUrl}#${e.index}`, type: "BitstringStatusListEntry", statusPurpose: e.purpose, statusListIndex: String(e.index), statusListCredential: listUrl };
      });
      credential.credentialStatus = status.length === 1 ? status[0] : status;
    }

    let secured: Record<string, unknown>;
    if ((request.options?.securing ?? "di") === "di") {
      secured = await jsonLdRefusal(async () => (await this.issuerFor(signer.keyId)).sign(credential, now));
    } else {
      const jwt = await signVcJwt(credential, signer);
      secured = { "@context": [VC_V2_CONTEXT_URL], id: `data:${VC_JWT_MEDIA_TYPE},${jwt}`, type: "EnvelopedVerifiableCredential" };
    }
    // Only what was signed is recorded: claimed list positions of a failed attempt stay unused, never reused.
    await this.deps.store.insertStatusEntries(entries.map((e) => ({ listId: e.listId, index: e.index, subject: `credential:${id}`, setAt: null })));
    const credentialId = request.options?.credentialId ?? (typeof credential.id === "string" ? credential.id : null);
    await this.deps.store.insertApiCredential({ id, partyId: party.id, credentialId, secured: JSON.stringify(secured), issuedAt: now });
    return secured;
  }

  private async assertContextsKnown(context: unknown[]): Promise<void> {
    for (const c of context) {
      if (typeof c === "string" && !BUNDLED_CONTEXTS.has(c)) {
        throw new SenimError("unknown_context", `The context ${JSON.stringify(c.slice(0, 200))} is not one this service holds; it never fetches contexts.`, { extra: { url: c.slice(0, 300) } });
      }
    }
  }

  // ---- VC API: status -------------------------------------------------------------------------------------------

  /** Revokes (status true, revocation), or suspends / lifts a suspension (suspension), one credential the caller issued. */
  async updateStatus(principal: Principal, request: StatusRequest): Promise<{ credentialId: string; statusPurpose: string; status: boolean; statusListCredential: string }> {
    assertIsProvider(principal);
    const purpose = request.credentialStatus.statusPurpose;
    const certificateId = this.certificateIdOf(request.credentialId);
    if (certificateId) {
      // A certificate's revocation is its revocation record (who and why), as POST /api/certificates/{id}/revocation.
      const cert = await this.deps.issuance.getCertificate(certificateId);
      if (!cert || cert.partyId !== principal.partyId) throw new SenimError("not_found", "No credential with this id was issued by you.");
      if (purpose !== "revocation") throw new SenimError("rule_violated", "Certificates carry a revocation entry only; they cannot be suspended.");
      if (!request.status) throw new SenimError("rule_violated", "A revocation is final: it cannot be undone.");
      const revoked = await this.deps.issuance.revoke(principal, certificateId, request.reason ?? "Revoked through the VC API.");
      return { credentialId: request.credentialId, statusPurpose: purpose, status: true, statusListCredential: this.deps.issuance.statusListUrl(revoked.statusListId) };
    }
    const stored = await this.deps.store.findApiCredential(principal.partyId, request.credentialId);
    if (!stored) throw new SenimError("not_found", "No credential with this id was issued by you.");
    const entries = await this.deps.store.statusEntriesOf(`credential:${stored.id}`);
    const lists = await Promise.all(entries.map(async (e) => ({ e, list: await this.deps.issuanceStore.getStatusList(e.listId) })));
    const match = lists.find((x) => x.list?.purpose === purpose);
    if (!match) throw new SenimError("rule_violated", `The credential has no ${purpose} entry; ask for one in options.credentialStatus when issuing.`);
    const { e } = match;
    if (purpose === "revocation" && !request.status && e.setAt) throw new SenimError("rule_violated", "A revocation is final: it cannot be undone.");
    const changed = await this.deps.store.setStatusEntry(e.listId, e.index, request.status ? this.deps.registry.now() : null, request.reason ?? null);
    if (!changed && purpose === "revocation") throw new SenimError("already_revoked", "This credential is already revoked.");
    this.deps.issuance.statusChanged(e.listId);
    return { credentialId: request.credentialId, statusPurpose: purpose, status: request.status, statusListCredential: this.deps.issuance.statusListUrl(e.listId) };
  }

  private certificateIdOf(credentialId: string): string | undefined {
    const prefix = this.deps.issuance.certificateUrl("");
    const id = credentialId.startsWith(prefix) ? credentialId.slice(prefix.length) : undefined;
    return id && /^[0-9a-z]{1,40}$/.test(id) ? id : undefined;
  }

  // ---- VC API: verify -------------------------------------------------------------------------------------------

  /**
   * Verifies a credential in either form: a Data Integrity secured credential, or an EnvelopedVerifiableCredential
   * carrying a vc+jwt. Senim certificates get every certificate check; other credentials the generic ones.
   * @throws NotACredential for input that is not a secured credential at all.
   */
  async verifyCredential(vc: unknown): Promise<VerificationResult> {
    if (!isPlainObject(vc)) throw new NotACredential("verifiableCredential must be a JSON object.");
    const types = Array.isArray(vc.type) ? vc.type : [vc.type];
    if (types.includes("EnvelopedVerifiableCredential")) {
      const id = typeof vc.id === "string" ? vc.id : "";
      const prefix = `data:${VC_JWT_MEDIA_TYPE},`;
      if (!id.startsWith(prefix)) throw new NotACredential(`An EnvelopedVerifiableCredential must carry a ${prefix}… id.`);
      const jwt = id.slice(prefix.length);
      const decoded = decodeCompactJws(jwt);
      if (!decoded || !isPlainObject(decoded.payload)) throw new NotACredential("The enveloped vc+jwt is not a compact JWS with a JSON payload.");
      if (senimCertificateSchema.safeParse(decoded.payload).success) return verifyVcJwt(jwt, this.ports);
      return this.verifyGeneric(decoded.payload, { jwt: decoded });
    }
    if (vc.proof === undefined) throw new NotACredential("The credential carries no proof: send a Data Integrity secured credential or an EnvelopedVerifiableCredential.");
    const { proof: _, ...unsecured } = vc;
    if (senimCertificateSchema.safeParse(unsecured).success) return verifyDataIntegrityCredential(vc, this.ports);
    return this.verifyGeneric(vc, { di: true });
  }

  /** The generic checks for credentials that are not certificates (issued through POST /credentials/issue). */
  private async verifyGeneric(secured: Record<string, unknown>, form: { di: true } | { jwt: NonNullable<ReturnType<typeof decodeCompactJws>> }): Promise<VerificationResult> {
    const credential = "di" in form ? (({ proof: _, ...rest }) => rest)(secured) : secured;
    const checks = new Map<CheckId, Check>();
    const set = (check: CheckId, outcome: Outcome, code: string, detail: string) => checks.set(check, { check, outcome, code, detail });
    const problems = vcModelProblems(credential);
    if (problems.length === 0) set("format", "passed", "well-formed", "A well-formed VC 2.0 credential.");
    else set("format", "failed", "malformed", problems.slice(0, 5).map((p) => `${p.path || "(root)"}: ${p.message}`).join("; "));
    const issuerId = typeof credential.issuer === "string" ? credential.issuer : isPlainObject(credential.issuer) && typeof credential.issuer.id === "string" ? credential.issuer.id : undefined;

    let key: ResolvedKey | undefined;
    if ("di" in form) {
      const outcome = await verifyDataIntegrity(secured, { documentLoader: this.documentLoader });
      if (!outcome.ok) set("signature", "failed", outcome.reason === "bad-signature" ? "signature-invalid" : outcome.reason === "unsupported-proof" || outcome.reason === "no-proof" ? "no-supported-proof" : outcome.reason === "malformed" ? "signature-invalid" : outcome.reason, outcome.detail);
      else if (!(key = await this.ports.resolveKey(outcome.verificationMethod))) set("signature", "failed", "unknown-key", "The signing key is not known to the registry.");
      else if (key.controller !== issuerId) set("signature", "failed", "key-not-issuers", "The signing key does not belong to the credential's issuer.");
      else set("signature", "passed", "signature-valid", "The eddsa-rdfc-2022 Data Integrity proof is valid.");
    } else {
      const { header } = form.jwt;
      const kid = typeof header.kid === "string" ? header.kid : undefined;
      const problem = joseProblem(header, form.jwt.payload, "vc");
      if (problem) set("signature", "failed", problem, JOSE_PROBLEM_DETAIL[problem]);
      else if (!kid || !(key = await this.ports.resolveKey(kid))) set("signature", "failed", "unknown-key", "The signing key is not known to the registry.");
      else if (key.controller !== issuerId) set("signature", "failed", "key-not-issuers", "The signing key does not belong to the credential's issuer.");
      else {
        const outcome = await verifyJwsSignature(form.jwt, key.publicKey);
        if (outcome.ok) set("signature", "passed", "signature-valid", "The Ed25519 signature is valid.");
        else set("signature", "failed", "signature-invalid", "The signature does not match the contents.");
      }
    }

    if (checks.get("signature")!.outcome !== "passed" || checks.get("format")!.outcome !== "passed") {
      for (const c of ["key", "accreditation", "status", "validity"] as const) set(c, "not-checked", "not-checked", "Not checked: the credential is not well formed or its signature is not valid.");
    } else {
      const at = isDateTimeStamp(credential.validFrom) ? credential.validFrom : this.ports.now();
      if (keyValidAt(key!, at)) set("key", "passed", "key-valid-at-issuance", "The key was active when the credential was issued.");
      else set("key", "failed", "key-not-valid-at-issuance", "The key was not active when the credential says it was issued.");
      const history = await this.ports.accreditationsOf(issuerId!);
      if (history === undefined) set("accreditation", "failed", "issuer-not-in-registry", "The issuer is not in the registry of accredited providers.");
      else if (history.some((a) => inForceAt(a, at))) set("accreditation", "passed", "accredited", "The issuer was accredited on the date of issue.");
      else set("accreditation", "failed", "accreditation-none", "The issuer had no accreditation in force on the date of issue (3.1, 9.1).");
      await this.statusCheck(credential, set);
      const now = Date.parse(this.ports.now());
      if (Date.parse(at) > now) set("validity", "failed", "not-yet-valid", "The credential is dated in the future.");
      else if (isDateTimeStamp(credential.validUntil) && Date.parse(credential.validUntil) <= now) set("validity", "failed", "expired", "The credential's validity has ended.");
      else set("validity", "passed", "within-validity", "The credential is within its validity period.");
    }
    const list = CHECKS.map((c) => checks.get(c)!);
    return { verified: list.every((c) => c.outcome === "passed"), checks: list, summary: null, credential: secured };
  }

  /** Every status entry: a set bit fails ("revoked" / "suspended"); a list we cannot read is "could not check". */
  private async statusCheck(credential: Record<string, unknown>, set: (check: CheckId, outcome: Outcome, code: string, detail: string) => void): Promise<void> {
    const entries = credential.credentialStatus === undefined ? [] : Array.isArray(credential.credentialStatus) ? credential.credentialStatus : [credential.credentialStatus];
    if (entries.length === 0) return set("status", "passed", "no-status", "The credential has no status entry: it cannot be revoked.");
    let unchecked = false;
    for (const e of entries) {
      if (!isPlainObject(e) || e.type !== "BitstringStatusListEntry" || typeof e.statusListCredential !== "string" || typeof e.statusListIndex !== "string" || !/^\d{1,9}$/.test(e.statusListIndex)) {
        unchecked = true;
        continue;
      }
      const bit = await this.ports.statusBit({ listUrl: e.statusListCredential, index: Number(e.statusListIndex), purpose: String(e.statusPurpose) });
      if (bit === undefined) unchecked = true;
      else if (bit) {
        return e.statusPurpose === "suspension"
          ? set("status", "failed", "suspended", "The credential is suspended.")
          : set("status", "failed", "revoked", "The credential has been revoked by its issuer.");
      }
    }
    if (unchecked) set("status", "not-checked", "status-unavailable", "The status could not be checked.");
    else set("status", "passed", "not-revoked", "The credential is neither revoked nor suspended.");
  }

  // ---- VC API: presentations ------------------------------------------------------------------------------------

  /**
   * A Data Integrity presentation (proof purpose `authentication`, with the verifier's challenge and domain) or an
   * EnvelopedVerifiablePresentation carrying a vp+jwt (challenge as `nonce`, domain as `aud`). Every credential
   * inside must verify too.
   */
  async verifyPresentation(vp: unknown, options: { challenge?: string; domain?: string }): Promise<{ verified: boolean; checks: Check[]; credentials: VerificationResult[] }> {
    if (!isPlainObject(vp)) throw new NotACredential("verifiablePresentation must be a JSON object.");
    // Without a challenge any presentation ever made could be replayed: both forms need one.
    if (options.challenge === undefined) throw new SenimError("invalid_request", "options.challenge is required to verify a presentation (it prevents replay).", { problems: [{ path: "options/challenge", message: "is required" }] });
    const types = Array.isArray(vp.type) ? vp.type : [vp.type];
    let presentation: Record<string, unknown>;
    let proofCheck: Check;
    if (types.includes("EnvelopedVerifiablePresentation")) {
      const id = typeof vp.id === "string" ? vp.id : "";
      const prefix = `data:${VP_JWT_MEDIA_TYPE},`;
      if (!id.startsWith(prefix)) throw new NotACredential(`An EnvelopedVerifiablePresentation must carry a ${prefix}… id.`);
      const decoded = decodeCompactJws(id.slice(prefix.length));
      if (!decoded || !isPlainObject(decoded.payload)) throw new NotACredential("The enveloped vp+jwt is not a compact JWS with a JSON payload.");
      presentation = decoded.payload;
      proofCheck = await this.checkVpJwt(decoded, presentation, options);
    } else {
      presentation = vp;
      if (vp.proof === undefined) throw new NotACredential("The presentation carries no proof.");
      const holder = typeof vp.holder === "string" ? vp.holder : isPlainObject(vp.holder) && typeof vp.holder.id === "string" ? vp.holder.id : undefined;
      const outcome = await verifyDataIntegrity(vp, { documentLoader: this.documentLoader, presentation: { challenge: options.challenge, domain: options.domain } });
      if (!outcome.ok) proofCheck = { check: "signature", outcome: "failed", code: outcome.reason === "bad-signature" ? "signature-invalid" : outcome.reason, detail: outcome.detail };
      else if (holder !== undefined && outcome.verificationMethod.split("#")[0] !== holder) proofCheck = { check: "signature", outcome: "failed", code: "key-not-holders", detail: "The presentation is not signed by its holder." };
      else proofCheck = { check: "signature", outcome: "passed", code: "signature-valid", detail: "The holder's proof is valid for this challenge and domain." };
    }
    const problems = vcModelProblems(presentation, "presentation");
    const format: Check = problems.length === 0 ? { check: "format", outcome: "passed", code: "well-formed", detail: "A well-formed VC 2.0 presentation." } : { check: "format", outcome: "failed", code: "malformed", detail: problems.slice(0, 5).map((p) => `${p.path || "(root)"}: ${p.message}`).join("; ") };
    const vcs = presentation.verifiableCredential === undefined ? [] : Array.isArray(presentation.verifiableCredential) ? presentation.verifiableCredential : [presentation.verifiableCredential];
    if (vcs.length > 20) throw new SenimError("invalid_request", "At most 20 credentials per presentation.");
    const credentials: VerificationResult[] = [];
    for (const vc of vcs) {
      try {
        credentials.push(await this.verifyCredential(vc));
      } catch (err) {
        if (!(err instanceof NotACredential)) throw err;
        credentials.push({ verified: false, checks: [{ check: "format", outcome: "failed", code: "not-a-credential", detail: err.message }], summary: null, credential: null });
      }
    }
    const verified = format.outcome === "passed" && proofCheck.outcome === "passed" && credentials.every((c) => c.verified);
    return { verified, checks: [format, proofCheck], credentials };
  }

  private async checkVpJwt(decoded: NonNullable<ReturnType<typeof decodeCompactJws>>, vp: Record<string, unknown>, options: { challenge?: string; domain?: string }): Promise<Check> {
    const fail = (code: string, detail: string): Check => ({ check: "signature", outcome: "failed", code, detail });
    const { header } = decoded;
    const problem = joseProblem(header, vp, "vp");
    if (problem) return fail(problem, JOSE_PROBLEM_DETAIL[problem]);
    const kid = typeof header.kid === "string" ? header.kid : "";
    const holder = typeof vp.holder === "string" ? vp.holder : isPlainObject(vp.holder) && typeof vp.holder.id === "string" ? vp.holder.id : undefined;
    const vm = kid.startsWith("did:") ? await this.deps.registry.resolveDidUrl(kid) : undefined;
    const raw = vm && publicKeyOfMethod(vm);
    if (!raw) return fail("unknown-key", "The presentation's key (kid) cannot be resolved offline: use a did:key or a party's key.");
    if (holder !== undefined && kid.split("#")[0] !== holder) return fail("key-not-holders", "The presentation is not signed by its holder.");
    if (vp.nonce !== options.challenge) return fail("challenge-mismatch", "The presentation was not made for this challenge (nonce).");
    if (options.domain !== undefined && vp.aud !== options.domain && !(Array.isArray(vp.aud) && vp.aud.includes(options.domain))) return fail("domain-mismatch", "The presentation was not made for this domain (aud).");
    const key = await crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
    const outcome = await verifyJwsSignature(decoded, key);
    return outcome.ok ? { check: "signature", outcome: "passed", code: "signature-valid", detail: "The holder's signature is valid." } : fail("signature-invalid", "The signature does not match the contents.");
  }
}
