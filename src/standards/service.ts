/**
 * The standards layer: Data Integrity proofs for certificates, the W3C VC API (VCALM) issuing and status operations,
 * and status list credentials in both securing forms. Verifying is not here: every credential and presentation goes
 * through the one pipeline (src/credentials/verify.ts, presentation.ts; src/verification/service.ts).
 */
import { inForceAt } from "../domain/accreditation.js";
import { assertIsProvider, type Principal } from "../domain/authz.js";
import { keyedError, SenimError } from "../domain/errors.js";
import { fieldProblem } from "../domain/field-problems.js";
import { STANDARDS_DETAIL_TEMPLATES } from "./details.js";
import { VC_V2_CONTEXT_URL, vcDataModelOf } from "../domain/vc-model.js";
import { certificateIdIn, certificateSpace } from "../credentials/certificate-url.js";
import type { Check } from "../credentials/checks.js";
import { BUNDLED_CONTEXTS, type DocumentLoader } from "../credentials/contexts.js";
import { DataIntegrityIssuer } from "../credentials/data-integrity.js";
import { isPlainObject, signVcJwt } from "../credentials/jwt.js";
import { checkRelatedResources } from "../credentials/related-resources.js";
import { DATA_INTEGRITY_FORM_QUERY, STATUS_LIST_SIZE, statusIndexForCounter } from "../credentials/status-list.js";
import { credentialProblems, issuerIdOf, profileOf } from "../credentials/verify.js";
import { VC_JWT_MEDIA_TYPE } from "../credentials/vocabulary.js";
import type { IssuanceService } from "../issuance/service.js";
import type { IssuanceStore, StoredCertificate } from "../issuance/model.js";
import { audited } from "../lib/audit-chain.js";
import { newId } from "../lib/ids.js";
import type { RegistryService } from "../registry/service.js";
import type { ApiCredential, StandardsStore } from "./model.js";

export type Securing = "di" | "jwt";

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
export function verificationFailed(result: { checks: Check[] }, what: "credential" | "presentation", extra: Record<string, unknown> = { verified: false, checks: result.checks }): SenimError {
  const failed = result.checks.filter((c) => c.outcome !== "passed").map((c) => `${c.check}: ${c.code}`);
  return keyedError("verification_failed", STANDARDS_DETAIL_TEMPLATES, `standards-${what}-not-verified`, { failed: failed.join(", ") }, { extra });
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
      throw keyedError("jsonld_invalid", STANDARDS_DETAIL_TEMPLATES, "standards-jsonld-invalid", { why });
    }
    throw err;
  }
}

export class StandardsService {
  readonly documentLoader: DocumentLoader;
  private readonly issuers = new Map<string, Promise<DataIntegrityIssuer>>();
  private readonly signedLists = new Map<string, { encodedList: string; secured: Record<string, unknown> }>();

  constructor(
    private readonly deps: { registry: RegistryService; issuance: IssuanceService; issuanceStore: IssuanceStore; store: StandardsStore; documentLoader: DocumentLoader },
  ) {
    this.documentLoader = deps.documentLoader;
  }

  /** One issuer per signing key: its proof-configuration cache is shared by every certificate that key signs. */
  private issuerFor(keyId: string): Promise<DataIntegrityIssuer> {
    let issuer = this.issuers.get(keyId);
    if (!issuer) {
      issuer = (async () => {
        const privateKey = await this.deps.registry.signingKeyOf(keyId);
        if (!privateKey) throw keyedError("no_active_key", STANDARDS_DETAIL_TEMPLATES, "standards-key-not-held");
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

  /**
   * What is sent is judged before who sends it: malformed input is 400 (and input understood but refused 422) for
   * anyone, and only a well-formed credential is then held to the caller's ownership of its issuer (403).
   */
  async issue(principal: Principal, request: IssueRequest): Promise<Record<string, unknown>> {
    assertIsProvider(principal);
    const credential = structuredClone(request.credential);
    const securing = request.options?.securing ?? "di";
    if ("proof" in credential) throw keyedError("invalid_request", STANDARDS_DETAIL_TEMPLATES, "standards-proof-present", undefined, { problems: [fieldProblem("credential/proof", "proof-present")] });
    const now = this.deps.registry.now();
    // A VC 1.1 credential is signed as VC 1.1 (its issuanceDate, the 1.1 context); Senim's own certificates stay 2.0.
    const dataModel = vcDataModelOf(credential) ?? "2.0";
    // VC 2.0 §4.9: validFrom may lie in the past; the key is held to the signing time (now), not to it. VC 1.1 §4.6:
    // issuanceDate is required; when the caller leaves it out, it is now.
    const dateMember = dataModel === "1.1" ? "issuanceDate" : "validFrom";
    if (credential[dateMember] === undefined) credential[dateMember] = now;
    const problems = credentialProblems(credential).map((p) => ({ ...p, path: `credential/${p.path}` }));
    if (problems.length > 0) throw keyedError("invalid_request", STANDARDS_DETAIL_TEMPLATES, "standards-credential-problems", { count: problems.length, dataModel }, { problems });
    if (dataModel === "1.1" && securing === "jwt") {
      throw keyedError("rule_violated", STANDARDS_DETAIL_TEMPLATES, "standards-vc11-as-jwt", undefined, { problems: [fieldProblem("options/securing", "securing-must-be-di")] });
    }
    await this.assertContextsKnown(credential["@context"] as unknown[]);
    this.assertStatusNotOurs(credential.credentialStatus);
    await this.assertRelatedResources(credential);
    this.assertNotACertificate(credential, request.options?.credentialId);

    const party = await this.deps.registry.requireParty(principal.partyId);
    const issuerId = issuerIdOf(credential);
    if (issuerId !== party.did) {
      throw keyedError("forbidden", STANDARDS_DETAIL_TEMPLATES, "standards-issuer-not-caller", { did: party.did }, { extra: { issuer: typeof issuerId === "string" ? issuerId.slice(0, 300) : null } });
    }
    // The organiser is the registry's: a credential may name its issuer only as the registry does.
    if (isPlainObject(credential.issuer) && credential.issuer.name !== undefined && credential.issuer.name !== party.name) {
      throw keyedError("rule_violated", STANDARDS_DETAIL_TEMPLATES, "standards-issuer-name", { name: JSON.stringify(party.name) }, { problems: [fieldProblem("credential/issuer/name", "issuer-name-unregistered")] });
    }

    // 3.1, 9.1: only an accredited provider issues, whatever the credential says.
    const inForce = (await this.deps.registry.listAccreditations(party.id)).find((a) => inForceAt(a, now));
    if (!inForce) throw keyedError("not_accredited", STANDARDS_DETAIL_TEMPLATES, "standards-not-accredited");
    const signer = await this.deps.registry.signerFor(party.id, now);

    const id = newId(16);
    const entries: { listId: string; index: number; purpose: "revocation" | "suspension" }[] = [];
    for (const { statusPurpose } of request.options?.credentialStatus ?? []) {
      if (entries.some((e) => e.purpose === statusPurpose)) continue;
      const [allocation] = await this.deps.issuanceStore.allocateStatusEntries(party.id, statusPurpose, 1, STATUS_LIST_SIZE, now);
      entries.push({ listId: allocation!.listId, index: statusIndexForCounter(allocation!.counters[0]!), purpose: statusPurpose });
    }
    if (entries.length > 0) {
      const allocated = entries.map((e) => {
        const listUrl = this.deps.issuance.statusListUrl(e.listId);
        // A Data Integrity credential's entry names the list's Data Integrity form, the one a JSON-LD client reads.
        const statusListCredential = securing === "di" ? `${listUrl}${DATA_INTEGRITY_FORM_QUERY}` : listUrl;
        return { id: `${listUrl}#${e.index}`, type: "BitstringStatusListEntry", statusPurpose: e.purpose, statusListIndex: String(e.index), statusListCredential };
      });
      // Entries the caller gave (another service's lists) are signed as given, beside the ones allocated here.
      const given = credential.credentialStatus === undefined ? [] : Array.isArray(credential.credentialStatus) ? credential.credentialStatus : [credential.credentialStatus];
      const status = [...given, ...allocated];
      credential.credentialStatus = status.length === 1 ? status[0] : status;
    }

    let secured: Record<string, unknown>;
    if (securing === "di") {
      secured = await jsonLdRefusal(async () => (await this.issuerFor(signer.keyId)).sign(credential, now));
    } else {
      // `iat` says when it was signed (RFC 7519 §4.1.6): the instant the verifier holds the key's window to.
      const jwt = await signVcJwt({ ...credential, iat: Math.floor(Date.parse(now) / 1000) }, signer);
      secured = { "@context": [VC_V2_CONTEXT_URL], id: `data:${VC_JWT_MEDIA_TYPE},${jwt}`, type: "EnvelopedVerifiableCredential" };
    }
    // Only what was signed is recorded: claimed list positions of a failed attempt stay unused, never reused.
    const credentialId = request.options?.credentialId ?? (typeof credential.id === "string" ? credential.id : null);
    const stored = { id, partyId: party.id, credentialId, secured: JSON.stringify(secured), issuedAt: now };
    const statusEntries = entries.map((e) => ({ listId: e.listId, index: e.index, subject: `credential:${id}`, setAt: null }));
    // Issue 17: the accrediting bar's record holds it; the digest covers exactly what was returned to the caller.
    const audit = await audited({ at: now, principal, action: "credential.issued", barId: inForce.barId, subjects: [id], content: { ...stored, statusEntries } });
    await this.deps.store.insertApiCredential(stored, statusEntries, audit);
    return secured;
  }

  /**
   * A credential may carry status entries of its own, on lists kept elsewhere: they are signed as given. An entry
   * naming one of this service's lists is refused: only the service allocates those entries (`options`), so an
   * entry it did not allocate could share a bit with another credential.
   */
  private assertStatusNotOurs(status: unknown): void {
    const ours = `${this.deps.registry.publicUrl}/status/`;
    const entries = status === undefined ? [] : Array.isArray(status) ? status : [status];
    entries.forEach((e, i) => {
      const named = isPlainObject(e) ? [e.id, e.statusListCredential] : [];
      if (named.some((url) => typeof url === "string" && url.startsWith(ours))) {
        throw keyedError("rule_violated", STANDARDS_DETAIL_TEMPLATES, "standards-status-list-ours", { ours }, { problems: [fieldProblem(`credential/credentialStatus/${i}`, "status-list-ours")] });
      }
    });
  }

  /** VC 2.0 §5.3: a digest that cannot be one is malformed (400); one that differs from a resource held here, 422. */
  private async assertRelatedResources(credential: Record<string, unknown>): Promise<void> {
    if (credential.relatedResource === undefined) return;
    const report = await checkRelatedResources(credential);
    if (report.malformed.length > 0) {
      throw keyedError("invalid_request", STANDARDS_DETAIL_TEMPLATES, "standards-digest-malformed", undefined, { problems: report.malformed.map((p) => ({ path: `credential/${p.path}`, message: p.message })) });
    }
    if (report.mismatched.length > 0) {
      throw keyedError("rule_violated", STANDARDS_DETAIL_TEMPLATES, "standards-digest-mismatch", undefined, { problems: report.mismatched.map((id) => fieldProblem("credential/relatedResource", "digest-mismatch", { id: id.slice(0, 200) })) });
    }
  }

  /**
   * Certificates are issued for events only (POST /api/events/{id}/certificates), where every rule of the
   * Procedure holds: accreditation on the event's dates for its programme and form, 10.6 hours from minutes, an
   * ended event, one certificate per participant. The VC API signs other credentials, never one that claims to be
   * a certificate (the CLE context, academic hours) and never one with an id in the service's certificate space,
   * which only the service assigns.
   */
  private assertNotACertificate(credential: Record<string, unknown>, credentialId: string | undefined): void {
    const space = certificateSpace(this.deps.registry.publicUrl);
    if (certificateIdIn(this.deps.registry.publicUrl, credential.id) !== undefined || certificateIdIn(this.deps.registry.publicUrl, credentialId) !== undefined) {
      throw keyedError("rule_violated", STANDARDS_DETAIL_TEMPLATES, "standards-id-reserved", { space }, { problems: [fieldProblem("credential/id", "id-reserved", { space })] });
    }
    if (profileOf(credential, this.deps.registry.publicUrl) === "certificate") {
      throw keyedError("rule_violated", STANDARDS_DETAIL_TEMPLATES, "standards-certificate-claimed", { endpoint: "POST /api/events/{id}/certificates" }, { problems: [fieldProblem("credential", "certificate-through-events")] });
    }
  }

  private async assertContextsKnown(context: unknown[]): Promise<void> {
    for (const c of context) {
      if (typeof c === "string" && !BUNDLED_CONTEXTS.has(c)) {
        throw keyedError("unknown_context", STANDARDS_DETAIL_TEMPLATES, "standards-context-unknown", { context: JSON.stringify(c.slice(0, 200)) }, { extra: { url: c.slice(0, 300) } });
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
      if (!cert || cert.partyId !== principal.partyId) throw keyedError("not_found", STANDARDS_DETAIL_TEMPLATES, "standards-credential-not-yours");
      if (purpose !== "revocation") throw keyedError("rule_violated", STANDARDS_DETAIL_TEMPLATES, "standards-no-suspension");
      if (!request.status) throw keyedError("rule_violated", STANDARDS_DETAIL_TEMPLATES, "standards-revocation-final");
      const revoked = await this.deps.issuance.revoke(principal, certificateId, request.reason ?? "Revoked through the VC API.");
      return { credentialId: request.credentialId, statusPurpose: purpose, status: true, statusListCredential: this.deps.issuance.statusListUrl(revoked.statusListId) };
    }
    const stored = await this.deps.store.findApiCredential(principal.partyId, request.credentialId);
    if (!stored) throw keyedError("not_found", STANDARDS_DETAIL_TEMPLATES, "standards-credential-not-yours");
    const entries = await this.deps.store.statusEntriesOf(`credential:${stored.id}`);
    const lists = await Promise.all(entries.map(async (e) => ({ e, list: await this.deps.issuanceStore.getStatusList(e.listId) })));
    const match = lists.find((x) => x.list?.purpose === purpose);
    if (!match) throw keyedError("rule_violated", STANDARDS_DETAIL_TEMPLATES, "standards-no-status-entry", undefined, { parts: { purpose: `standards-purpose-${purpose}` } });
    const { e } = match;
    if (purpose === "revocation" && !request.status && e.setAt) throw keyedError("rule_violated", STANDARDS_DETAIL_TEMPLATES, "standards-revocation-final");
    const at = this.deps.registry.now();
    const setAt = request.status ? at : null;
    const reason = request.reason ?? null;
    const action = purpose === "revocation" ? "credential.revoked" : request.status ? "credential.suspended" : "credential.reinstated";
    const audit = await audited({ at, principal, action, barId: await this.barOfRecord(stored), subjects: [stored.id], content: { credentialId: stored.id, listId: e.listId, index: e.index, setAt, reason } });
    const changed = await this.deps.store.setStatusEntry(e.listId, e.index, setAt, reason, audit);
    if (!changed && purpose === "revocation") throw keyedError("already_revoked", STANDARDS_DETAIL_TEMPLATES, "standards-already-revoked");
    this.deps.issuance.statusChanged(e.listId);
    return { credentialId: request.credentialId, statusPurpose: purpose, status: request.status, statusListCredential: this.deps.issuance.statusListUrl(e.listId) };
  }

  /**
   * Issue 17: the bar whose record a VC API credential's status change is — the bar of an accreditation the issuer
   * held when it was issued (the one that let it issue), else of any it holds; null for one never accredited.
   */
  private async barOfRecord(c: ApiCredential): Promise<string | null> {
    const accreditations = await this.deps.registry.listAccreditations(c.partyId);
    return (accreditations.find((a) => inForceAt(a, c.issuedAt)) ?? accreditations[0])?.barId ?? null;
  }

  private certificateIdOf(credentialId: string): string | undefined {
    return certificateIdIn(this.deps.registry.publicUrl, credentialId) ?? undefined;
  }
}
