/**
 * OpenID for Verifiable Presentations 1.0 as a web verifier, and the yearly ledger (2.2.4: the advocate proves the
 * training to their territorial bar by presenting certificates; 12.2: per calendar year).
 *
 * The bar is the verifier. Its Client Identifier uses the `decentralized_identifier` prefix with the bar's own
 * did:web (`did:web:<host>:bars:<bar>`, key sealed like party keys): a request passed by reference must be signed,
 * and `redirect_uri` forbids signing, x509 needs a CA. The request object is a JAR signed with the bar's key, fetched
 * from `request_uri`; the wallet answers with `response_mode=direct_post` to `response_uri`.
 *
 * The wallet side in the tests is `@openid4vc/openid4vp`; this side is written against the spec, not with the same
 * library, so the two can disagree and the tests see it.
 *
 * Two presentation forms are accepted, as the DCQL query asks: `jwt_vc_json` certificates in a VP JWT, and
 * `ldp_vc` certificates in a Data Integrity presentation (`ldp_vp`: an eddsa-rdfc-2022 proof with purpose
 * `authentication`, `challenge` = the request's nonce, `domain` = the bar's client_id, signed by the holder's
 * did:key). The proof is checked with the standards layer's Data Integrity code (src/credentials/data-integrity.ts).
 * And `dc+sd-jwt` certificates (SD-JWT VCs, src/credentials/sd-jwt-vc.ts), each with a KB-JWT by its `cnf` key for
 * this nonce and client_id (src/credentials/presentation.ts).
 */
import { CompactSign } from "jose";
import { z } from "zod";
import { administeredBar, assertMayRequestPresentations, describePrincipal, ledgerScope, type Principal } from "../domain/authz.js";
import { keyedError, SenimError } from "../domain/errors.js";
import { WALLET_DETAIL_TEMPLATES } from "./details.js";
import { ledgerTotals, ledgerYearOf, type LedgerTotals } from "../domain/ledger.js";
import { normaliseLicence } from "../domain/people.js";
import { toInstant } from "../domain/time.js";
import { decodeCompactJws, isPlainObject } from "../credentials/jwt.js";
import { certificateIdIn } from "../credentials/certificate-url.js";
import { JWK_METHOD_CONTEXT, jwkVerificationMethod } from "../credentials/multikey.js";
import { NotACredential, type PresentationResult, type VerificationResult } from "../credentials/checks.js";
import { CRYPTOSUITE } from "../credentials/data-integrity.js";
import { vctFor } from "../credentials/sd-jwt-vc.js";
import { VC_JWT_MEDIA_TYPE } from "../credentials/vocabulary.js";
import { audited } from "../lib/audit-chain.js";
import { base64url, newId } from "../lib/ids.js";
import { exceedsJsonDepth, MAX_CREDENTIAL_JSON_DEPTH } from "../lib/json-depth.js";
import { didWebFor } from "../registry/did.js";
import { importPublicKey, type Keyring } from "../registry/keyring.js";
import type { Signer } from "../credentials/jwt.js";
import type { ResolvedKey } from "../credentials/verify.js";
import type { RegistryService } from "../registry/service.js";
import type { VerificationService } from "../verification/service.js";
import { didOf, resolveHolderDid, verifyWithHolderKey } from "../credentials/holder-key.js";
import { OAuthError } from "./oauth-error.js";
import type { LedgerEntry, PresentationOutcome, PresentationRequest, ProvenBy, RefusedCredential, VerifierKeyRetirementReason, WalletStore } from "./model.js";

export const PRESENTATION_REQUEST_TTL_MS = 24 * 3_600_000;
/** How long a verifier key retired on schedule stays in the bar's DID document: wallets fetch and check a request within minutes. */
export const RETIRED_VERIFIER_KEY_PUBLISHED_MS = 3_600_000;
/** How far a presentation's `iat` may lie in the future (clock skew between phone and server). */
const CLOCK_SKEW_S = 300;
/** A year's certificates, generously: more than this in one presentation is refused. */
export const MAX_CREDENTIALS_PER_PRESENTATION = 100;
export const DCQL_CREDENTIAL_ID = "cle_certificates";
/** The DCQL credential query for certificates secured with Data Integrity (`ldp_vc`), presented as an `ldp_vp`. */
export const DCQL_LDP_CREDENTIAL_ID = "cle_certificates_ldp";
/** The DCQL credential query for certificates as SD-JWT VCs (`dc+sd-jwt`), each presented with a KB-JWT. */
export const DCQL_SD_JWT_CREDENTIAL_ID = "cle_certificates_sd_jwt";
const DCQL_IDS = [DCQL_CREDENTIAL_ID, DCQL_LDP_CREDENTIAL_ID, DCQL_SD_JWT_CREDENTIAL_ID];

/** A presentation: a VP JWT (string) or a Data Integrity presentation (object); the request body limit bounds both. */
const PresentationSchema = z.union([z.string().max(256 * 1024), z.record(z.string(), z.unknown())]);
const VpTokenSchema = z.record(z.string().max(64), z.union([PresentationSchema, z.array(PresentationSchema).min(1).max(20)])).refine((o) => Object.keys(o).length <= 5, "too many credential queries");

export interface NewPresentationRequest {
  id: string;
  barId: string;
  year: number;
  clientId: string;
  requestUri: string;
  /** `openid4vp://?client_id=…&request_uri=…`: what the QR code and the link carry. */
  link: string;
  /** A page with the QR code and the link, for the bar's desk screen or an e-mail. */
  page: string;
  expiresAt: string;
  qr: { svg: string };
}

export interface VerifierKeyRotation {
  barId: string;
  did: string;
  /** The key new request objects are signed with. */
  kid: string;
  retired: { kid: string; reason: VerifierKeyRetirementReason; publishedUntil: string };
}

/** A presenter's proof to read their own ledger: a JWT signed by the wallet key that presented for the licence. */
export const HOLDER_PROOF_TYP = "senim-ledger+jwt";

export class PresentationService {
  constructor(
    private readonly deps: { store: WalletStore; registry: RegistryService; verification: VerificationService; keyring: Keyring },
  ) {}

  private get publicUrl(): string {
    return this.deps.registry.publicUrl;
  }

  private now(): string {
    return this.deps.registry.now();
  }

  barDid(barId: string): string {
    return didWebFor(this.publicUrl, "bars", barId);
  }

  clientId(barId: string): string {
    return `decentralized_identifier:${this.barDid(barId)}`;
  }

  requestUri(id: string): string {
    return `${this.publicUrl}/oid4vp/requests/${id}`;
  }

  responseUri(id: string): string {
    return `${this.publicUrl}/oid4vp/responses/${id}`;
  }

  // ---- the bar's verifier key and DID document --------------------------------------------------------------------

  private async verifierKey(barId: string) {
    let key = await this.deps.store.barVerifierKey(barId);
    if (!key) {
      const kid = `${this.barDid(barId)}#key-1`;
      const generated = await this.deps.keyring.generate(kid);
      await this.deps.store.insertBarVerifierKey({ barId, kid, publicJwk: generated.publicJwk, privateKeyEnc: generated.privateKeyEnc, createdAt: this.now() });
      key = (await this.deps.store.barVerifierKey(barId))!;
    }
    return key;
  }

  /**
   * The bar's signer: the same did:web key its presentation requests are signed with (one key per bar), which also
   * signs its annual attestations (12.1, 12.2).
   */
  async barSigner(barId: string): Promise<Signer> {
    const key = await this.verifierKey(barId);
    return { kid: key.kid, privateKey: await this.deps.keyring.signingKey(key.kid, key.privateKeyEnc) };
  }

  /**
   * For verifiers: a bar's key behind a `kid`, current or retired, controlled by the bar's did:web. Its window ends
   * when it was retired: what it signed before still verifies, nothing dated after.
   */
  async barKey(kid: string): Promise<ResolvedKey | undefined> {
    const k = await this.deps.store.verifierKeyByKid(kid);
    if (!k) return undefined;
    // A bar's first key is `#key-1` wherever its public URL is the same (two databases behind one process, as in the
    // tests): the process-wide key cache is keyed by the key material too, never by the kid alone.
    const publicKey = await importPublicKey(`${k.kid} ${k.publicJwk.x}`, k.publicJwk);
    return { kid, controller: this.barDid(k.barId), publicKey, validFrom: k.createdAt, validUntil: k.retiredAt };
  }

  /** The bar whose own did:web `did` is, with its name and registry URL; `undefined` for any other DID. */
  async barOfDid(did: string): Promise<{ id: string; name: string; url: string } | undefined> {
    const prefix = this.barDid("x").slice(0, -1);
    if (!did.startsWith(prefix)) return undefined;
    const rest = did.slice(prefix.length);
    // A bar's id is plain [a-z-]: anything else (a stray `%`, which decodeURIComponent would throw on) is no bar.
    if (!/^[a-z-]{2,40}$/.test(rest)) return undefined;
    const bar = await this.deps.registry.bar(rest);
    if (!bar || this.barDid(bar.id) !== did) return undefined;
    return { id: bar.id, name: bar.names.en, url: this.deps.registry.barUrl(bar.id) };
  }

  async barDidDocument(barId: string): Promise<Record<string, unknown> | undefined> {
    if (!(await this.deps.registry.bar(barId))) return undefined;
    const key = await this.deps.store.barVerifierKey(barId);
    if (!key) return undefined; // the bar has not asked for a presentation yet
    const did = this.barDid(barId);
    // The current key first, then keys retired on schedule within the last hour: a request object fetched just
    // before a rotation is signed with one of those.
    const keys = [key, ...(await this.deps.store.publishedRetiredVerifierKeys(barId, this.now()))];
    const kids = keys.map((k) => k.kid);
    return {
      "@context": ["https://www.w3.org/ns/did/v1", JWK_METHOD_CONTEXT],
      id: did,
      verificationMethod: keys.map((k) => jwkVerificationMethod(k.kid, did, k.publicJwk)),
      assertionMethod: kids,
      authentication: kids,
    };
  }

  /**
   * Replaces the key the bar signs its presentation requests with. On schedule the old key stays in the bar's DID
   * document for RETIRED_VERIFIER_KEY_PUBLISHED_MS; after a compromise it leaves at once (caches aside: the document is
   * served with a 5-minute lifetime). Open requests are unaffected: each is signed when a wallet fetches it.
   */
  async rotateVerifierKey(principal: Principal, barId: string, reason: VerifierKeyRetirementReason): Promise<VerifierKeyRotation> {
    assertMayRequestPresentations(principal, barId);
    if (!(await this.deps.registry.bar(barId))) throw keyedError("not_found", WALLET_DETAIL_TEMPLATES, "wallet-bar-unknown", { id: JSON.stringify(barId) }); // the path names it
    const current = await this.verifierKey(barId);
    const now = this.now();
    const kid = `${this.barDid(barId)}#key-${newId(12)}`;
    const generated = await this.deps.keyring.generate(kid);
    const publishedUntil = reason === "compromised" ? now : toInstant(Date.parse(now) + RETIRED_VERIFIER_KEY_PUBLISHED_MS);
    const rotated = await this.deps.store.rotateBarVerifierKey(
      current.kid,
      { barId, kid, publicJwk: generated.publicJwk, privateKeyEnc: generated.privateKeyEnc, createdAt: now },
      { retiredAt: now, retiredBy: describePrincipal(principal), reason, publishedUntil },
      await audited({ at: now, principal, action: "verifier-key.rotated", barId, subjects: [kid, current.kid], content: { barId, kid, publicJwk: generated.publicJwk, retired: current.kid, reason, publishedUntil } }),
    );
    if (!rotated) throw keyedError("conflict", WALLET_DETAIL_TEMPLATES, "wallet-rotation-raced");
    return { barId, did: this.barDid(barId), kid, retired: { kid: current.kid, reason, publishedUntil } };
  }

  // ---- requests (the bar) -----------------------------------------------------------------------------------------

  async createRequest(principal: Principal, input: { barId?: string; year: number }): Promise<NewPresentationRequest> {
    // Defaults to the bar the key administers (the RBA's admin: the RBA); a provider is refused here.
    const barId = input.barId ?? administeredBar(principal) ?? "";
    assertMayRequestPresentations(principal, barId);
    await this.deps.registry.requireBar(barId);
    const now = this.now();
    const request: PresentationRequest = {
      id: newId(20),
      barId,
      year: input.year,
      nonce: base64url(crypto.getRandomValues(new Uint8Array(24))),
      createdAt: now,
      createdBy: describePrincipal(principal),
      expiresAt: toInstant(Date.parse(now) + PRESENTATION_REQUEST_TTL_MS),
      answeredAt: null,
      licence: null,
      holderDid: null,
      outcome: null,
    };
    await this.verifierKey(barId); // the DID document must resolve before a wallet sees the request
    await this.deps.store.insertPresentationRequest(request);
    return this.describe(request);
  }

  private describe(r: PresentationRequest): NewPresentationRequest {
    const clientId = this.clientId(r.barId);
    const link = `openid4vp://?client_id=${encodeURIComponent(clientId)}&request_uri=${encodeURIComponent(this.requestUri(r.id))}`;
    return { id: r.id, barId: r.barId, year: r.year, clientId, requestUri: this.requestUri(r.id), link, page: `${this.publicUrl}/presentations/${r.id}`, expiresAt: r.expiresAt, qr: { svg: `${this.requestUri(r.id)}/qr.svg` } };
  }

  /** The link a request's QR code carries. */
  linkFor(id: string): Promise<string> {
    return this.deps.store.getPresentationRequest(id).then((r) => (r ? this.describe(r).link : ""));
  }

  /** What the public desk page shows: no outcome, only whether the request is still open. */
  async publicView(id: string) {
    if (!/^[0-9a-z]{20}$/.test(id)) return undefined;
    const r = await this.deps.store.getPresentationRequest(id);
    if (!r) return undefined;
    const bar = await this.deps.registry.bar(r.barId);
    const state: "open" | "answered" | "expired" = r.answeredAt ? "answered" : Date.parse(r.expiresAt) <= Date.parse(this.now()) ? "expired" : "open";
    return { ...this.describe(r), bar, state };
  }

  async requestStatus(principal: Principal, id: string) {
    const r = await this.deps.store.getPresentationRequest(id);
    if (!r) throw keyedError("not_found", WALLET_DETAIL_TEMPLATES, "wallet-presentation-request-unknown");
    assertMayRequestPresentations(principal, r.barId);
    return { ...this.describe(r), answeredAt: r.answeredAt, outcome: r.outcome, walletError: r.walletError };
  }

  /** The signed request object (JAR) behind `request_uri`; `undefined` once answered or expired. */
  async requestObject(id: string): Promise<string | undefined> {
    const r = await this.liveRequest(id);
    if (!r) return undefined;
    const key = await this.verifierKey(r.barId);
    const now = Math.floor(Date.parse(this.now()) / 1000);
    const clientId = this.clientId(r.barId);
    // No `iss`: the library wallets read it as the signer's DID, while RFC 9101 would make it the client_id.
    const payload = {
      aud: "https://self-issued.me/v2",
      iat: now,
      exp: Math.floor(Date.parse(r.expiresAt) / 1000),
      client_id: clientId,
      response_type: "vp_token",
      response_mode: "direct_post",
      response_uri: this.responseUri(r.id),
      nonce: r.nonce,
      state: r.id,
      dcql_query: this.dcqlQuery(),
      client_metadata: {
        vp_formats_supported: {
          jwt_vc_json: { alg_values: ["EdDSA", "ES256"] },
          ldp_vc: { proof_type_values: ["DataIntegrityProof"], cryptosuite_values: [CRYPTOSUITE] },
          "dc+sd-jwt": { "sd-jwt_alg_values": ["EdDSA"], "kb-jwt_alg_values": ["EdDSA", "ES256"] },
        },
        client_name: `CLE certificates for calendar year ${r.year}`,
      },
    };
    const privateKey = await this.deps.keyring.signingKey(key.kid, key.privateKeyEnc);
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: "EdDSA", typ: "oauth-authz-req+jwt", kid: key.kid }).sign(privateKey);
  }

  /**
   * DCQL: every CLE certificate the wallet holds, as a W3C VC secured as a JWT or with Data Integrity, or as an SD-JWT
   * VC of the certificate's `vct`. The credential set lets the wallet answer with any of the forms or several (a
   * wallet may hold certificates taken in different formats); options are listed in order of preference, the most
   * forms first, so a wallet sends every certificate it holds.
   */
  dcqlQuery() {
    const meta = { type_values: [["VerifiableCredential", "OpenBadgeCredential"]] };
    const [jwt, ldp, sd] = [DCQL_CREDENTIAL_ID, DCQL_LDP_CREDENTIAL_ID, DCQL_SD_JWT_CREDENTIAL_ID];
    return {
      credentials: [
        { id: jwt, format: "jwt_vc_json", multiple: true, meta },
        { id: ldp, format: "ldp_vc", multiple: true, meta },
        { id: sd, format: "dc+sd-jwt", multiple: true, meta: { vct_values: [vctFor(this.publicUrl)] } },
      ],
      credential_sets: [{ options: [[jwt, ldp, sd], [jwt, ldp], [jwt, sd], [ldp, sd], [jwt], [ldp], [sd]] }],
    };
  }

  private async liveRequest(id: string): Promise<PresentationRequest | undefined> {
    if (!/^[0-9a-z]{20}$/.test(id)) return undefined;
    const r = await this.deps.store.getPresentationRequest(id);
    return r && r.answeredAt === null && Date.parse(r.expiresAt) > Date.parse(this.now()) ? r : undefined;
  }

  // ---- the wallet's answer (direct_post) --------------------------------------------------------------------------

  /**
   * Handles the Authorization Response; throws {@link OAuthError} with the spec's codes. An Authorization Error
   * Response (`error=…`) resolves to `null`: the route answers it 200, as OpenID4VP 1.0 §8.2 asks of a response URI that
   * processed it. It is recorded on the request for the bar, and does not close it: the response URI is in the public
   * QR code, so anyone who saw it could otherwise shut the bar's request (its own upload then got 409).
   */
  async directPost(id: string, form: Record<string, string>): Promise<PresentationOutcome | null> {
    const r = await this.deps.store.getPresentationRequest(id);
    if (!r) throw new OAuthError(400, "invalid_request", "No such presentation request.");
    if (form.error !== undefined) {
      // RFC 6749 §4.1.2.1: error and error_description are printable ASCII without " and \; anything else is not an error response.
      const printable = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
      const error = form.error;
      const description = form.error_description ?? null;
      if (error.length === 0 || error.length > 64 || !printable.test(error) || (description !== null && (description.length > 500 || !printable.test(description)))) {
        throw new OAuthError(400, "invalid_request", "error must be an OAuth error code (printable ASCII, at most 64 characters), error_description at most 500.");
      }
      if (form.state !== undefined && form.state !== r.id) throw new OAuthError(400, "invalid_request", "state does not match the request.");
      // Recorded only while the request is open; an error after an answer or after expiry changes nothing.
      if (Date.parse(r.expiresAt) > Date.parse(this.now())) await this.deps.store.recordWalletError(r.id, { error, description, at: this.now() });
      return null;
    }
    if (form.state !== r.id) throw new OAuthError(400, "invalid_request", "state does not match the request.");
    let vpToken: unknown;
    try {
      vpToken = JSON.parse(form.vp_token ?? "");
    } catch {
      throw new OAuthError(400, "invalid_request", "vp_token must be a JSON object of presentations keyed by the DCQL credential query id.");
    }
    const parsed = VpTokenSchema.safeParse(vpToken);
    if (!parsed.success) throw new OAuthError(400, "invalid_request", "vp_token must be a JSON object of presentations keyed by the DCQL credential query id.");
    const presentations = Object.entries(parsed.data).flatMap(([queryId, v]) => (DCQL_IDS.includes(queryId) ? (Array.isArray(v) ? v : [v]) : []));
    if (presentations.length === 0) throw new OAuthError(400, "invalid_request", `vp_token has no presentation for ${DCQL_IDS.join(" or ")}.`);
    return this.acceptPresentations(r, presentations, "openid4vp");
  }

  /**
   * Checks every presentation (signature by the holder, nonce, audience, freshness) and credits the credentials.
   * The request is claimed first: a replayed or second answer finds it taken, whatever the first one contained.
   */
  private async acceptPresentations(r: PresentationRequest, presentations: (string | Record<string, unknown>)[], provenBy: ProvenBy): Promise<PresentationOutcome> {
    const now = this.now();
    if (Date.parse(r.expiresAt) <= Date.parse(now)) throw new OAuthError(400, "invalid_request", "The presentation request has expired; ask the bar for a new QR code.");
    if (!(await this.deps.store.claimPresentationRequest(r.id, now))) {
      throw new OAuthError(400, "invalid_request", "This presentation request was already answered: its nonce is used. Ask the bar for a new one.");
    }
    let holder: string | undefined;
    const credentials: Verified[] = [];
    for (const vp of presentations) {
      const checked = await this.checkPresentation(vp, r);
      if ("error" in checked) {
        await this.deps.store.recordPresentationOutcome(r.id, { licence: null, holder: null, credited: [], alreadyCredited: [], refused: [{ index: -1, certificateId: null, reason: "presentation-invalid", detail: checked.error }] });
        throw new OAuthError(400, "invalid_request", checked.error);
      }
      if (holder !== undefined && holder !== checked.holder) throw new OAuthError(400, "invalid_request", "All presentations must come from one holder.");
      holder = checked.holder;
      credentials.push(...checked.credentials);
    }
    if (credentials.length > MAX_CREDENTIALS_PER_PRESENTATION) throw new OAuthError(400, "invalid_request", `At most ${MAX_CREDENTIALS_PER_PRESENTATION} certificates per presentation.`);
    const outcome = await this.creditCredentials(r, credentials, { holder: holder!, provenBy, licence: undefined });
    await this.deps.store.recordPresentationOutcome(r.id, outcome);
    return outcome;
  }

  /**
   * One presentation (VP JWT or `ldp_vp`) through the one pipeline: holder-signed, for this request's nonce and this
   * bar's client_id, not stale, every credential inside verified. Certificates are bound to wallet DIDs, so the
   * holder must be a did:key or did:jwk.
   */
  private async checkPresentation(vp: string | Record<string, unknown>, r: PresentationRequest): Promise<{ holder: string; credentials: Verified[] } | { error: string }> {
    if (typeof vp === "string" && vp.trim().startsWith("{")) {
      try {
        vp = JSON.parse(vp) as Record<string, unknown>;
      } catch {
        return { error: "The presentation is neither a VP JWT nor a JSON Data Integrity presentation." };
      }
    }
    if (typeof vp !== "string" && exceedsJsonDepth(vp, MAX_CREDENTIAL_DEPTH)) return { error: "The presentation is not a JSON object of acceptable depth." };
    let result: PresentationResult;
    try {
      result = await this.deps.verification.verifyPresentation(vp, { challenge: r.nonce, domain: this.clientId(r.barId), maxCredentials: MAX_CREDENTIALS_PER_PRESENTATION });
    } catch (e) {
      if (e instanceof NotACredential) return { error: e.message };
      throw e;
    }
    const failed = result.checks.find((c) => c.outcome !== "passed");
    if (failed) return { error: `${failed.detail} (${failed.code})` };
    const holder = result.holder!;
    if (!/^did:(key|jwk):/.test(holder)) return { error: "The presentation must be signed by the holder's wallet key: a did:key or did:jwk." };
    if (result.credentials.length === 0) return { error: "The presentation carries no credential." };
    return { holder, credentials: result.credentials };
  }

  /** Certificate files brought to the bar's desk (.jwt text or .json download), each through the one pipeline. */
  private async verifyFiles(inputs: unknown[]): Promise<Verified[]> {
    const out: Verified[] = [];
    for (const input of inputs) {
      try {
        out.push(await this.deps.verification.verify(verificationInput(input)));
      } catch (e) {
        if (!(e instanceof NotACredential)) throw e;
        out.push({ notACredential: e.message.slice(0, 200) });
      }
    }
    return out;
  }

  /**
   * Credits the verified certificates of this service, once per advocate, year and bar. Facts come from the verified
   * source: hours, programme, form, year and licence from the certificate's record (the vc+jwt stored at issue),
   * the organiser's name from the registry, never from the presented copy. `holder` set: every certificate's subject
   * must be that DID (holder binding). `licence` set: every certificate must be that advocate's (uploads of bare
   * certificate files, which carry no holder binding).
   */
  private async creditCredentials(r: PresentationRequest, verified: Verified[], who: { holder?: string; licence?: string; provenBy: ProvenBy }): Promise<PresentationOutcome> {
    const refused: RefusedCredential[] = [];
    const accepted: LedgerEntry[] = [];
    let licence = who.licence;
    const seen = new Set<string>();
    const now = this.now();
    for (const [index, result] of verified.entries()) {
      const refuse = (reason: string, detail: string, certificateId: string | null = null) => refused.push({ index, certificateId, reason, detail });
      if ("notACredential" in result) {
        refuse("not-a-credential", result.notACredential);
        continue;
      }
      const credential = result.credential ?? {};
      const namedId = certificateIdIn(this.publicUrl, credential.id) ?? null;
      if (!result.verified) {
        const failed = result.checks.filter((c) => c.outcome !== "passed").map((c) => `${c.check}: ${c.code}`).join(", ");
        refuse("not-verified", `The certificate does not verify (${failed || "not checked"}).`, namedId);
        continue;
      }
      const certificateId = result.certificateId;
      const record = certificateId ? await this.deps.verification.recordOf(certificateId) : undefined;
      if (result.profile !== "certificate" || !certificateId || !record) {
        refuse("not-issued-here", "Only certificates issued through this registry can be credited.", namedId);
        continue;
      }
      const subject = isPlainObject(credential.credentialSubject) ? credential.credentialSubject : {};
      if (who.holder !== undefined && subject.id !== who.holder) {
        refuse("not-the-presenters", "The certificate is bound to someone else's wallet, not to the presenter.", certificateId);
        continue;
      }
      const participant = await this.deps.store.certificateHolder(certificateId);
      if (!participant) {
        refuse("not-issued-here", "No such certificate in the registry.", certificateId);
        continue;
      }
      if (licence === undefined) licence = participant.licence;
      if (participant.licence !== licence) {
        refuse("another-advocate", "The certificate was issued to another advocate than the rest of this presentation.", certificateId);
        continue;
      }
      if (participant.barId !== r.barId) {
        refuse("other-bar", "2.2.4: certificates are proven to the advocate's own territorial bar; this one names another bar.", certificateId);
        continue;
      }
      const year = ledgerYearOf(record.eventEnd);
      if (year !== r.year) {
        refuse("other-year", `12.2: the event ended in ${year}; this request is for ${r.year}.`, certificateId);
        continue;
      }
      if (seen.has(certificateId)) continue; // the same certificate twice in one answer counts once
      seen.add(certificateId);
      accepted.push({
        id: newId(20),
        barId: r.barId,
        licence,
        year,
        certificateId,
        credentialId: record.id,
        issuer: record.issuer.id,
        issuerName: result.summary?.issuer.name ?? record.issuer.name,
        topic: record.topic,
        programme: record.programme,
        form: record.form,
        role: record.participant.role === "teacher" ? "teacher" : "attendee",
        durationMinutes: record.durationMinutes,
        academicHours: record.academicHours,
        eventEnd: record.eventEnd,
        provenBy: who.provenBy,
        presentationId: r.id,
        createdAt: now,
      });
    }
    const credited = await this.deps.store.credit(accepted);
    const creditedIds = new Set(credited.map((e) => e.certificateId));
    return {
      licence: licence ?? null,
      holder: who.holder ?? null,
      credited,
      alreadyCredited: accepted.filter((e) => !creditedIds.has(e.certificateId)).map((e) => e.certificateId),
      refused,
    };
  }

  // ---- uploads (advocates without a wallet) -----------------------------------------------------------------------

  /**
   * The bar's admin answers its own request with what the advocate brought: a VP JWT (same checks as direct_post) or
   * certificate files (.jwt text or .json download) for the named licence.
   */
  async upload(principal: Principal, id: string, input: { presentation?: string | Record<string, unknown>; licence?: string; credentials?: unknown[] }): Promise<PresentationOutcome> {
    const r = await this.deps.store.getPresentationRequest(id);
    if (!r) throw keyedError("not_found", WALLET_DETAIL_TEMPLATES, "wallet-presentation-request-unknown");
    assertMayRequestPresentations(principal, r.barId);
    try {
      if (input.presentation !== undefined) return await this.acceptPresentations(r, [input.presentation], "upload");
      if (!input.licence || !input.credentials?.length) throw keyedError("invalid_request", WALLET_DETAIL_TEMPLATES, "wallet-upload-incomplete");
      const now = this.now();
      if (Date.parse(r.expiresAt) <= Date.parse(now)) throw keyedError("conflict", WALLET_DETAIL_TEMPLATES, "wallet-presentation-request-expired");
      if (!(await this.deps.store.claimPresentationRequest(r.id, now))) throw keyedError("conflict", WALLET_DETAIL_TEMPLATES, "wallet-presentation-request-answered");
      const outcome = await this.creditCredentials(r, await this.verifyFiles(input.credentials), { licence: normaliseLicence(input.licence), provenBy: "upload" });
      await this.deps.store.recordPresentationOutcome(r.id, outcome);
      return outcome;
    } catch (e) {
      if (e instanceof OAuthError) throw new SenimError(e.message.includes("already answered") ? "conflict" : "invalid_request", e.message);
      throw e;
    }
  }

  // ---- the ledger -------------------------------------------------------------------------------------------------

  /** For a bar's or the RBA's admin: what the advocate has proven this year (to that bar). */
  async ledgerFor(principal: Principal, licence: string, year: number) {
    return this.ledgerView(normaliseLicence(licence), year, ledgerScope(principal).barId);
  }

  /**
   * For the advocate: a JWT (`typ` senim-ledger+jwt) signed by a wallet key that has presented for this licence,
   * with `aud` = this ledger's URL and a fresh `iat`. No password, no account: the wallet is the key.
   */
  async ledgerForHolder(proof: string, licence: string, year: number) {
    const normalised = normaliseLicence(licence);
    const decoded = decodeCompactJws(proof);
    const fail = () => keyedError("unauthenticated", WALLET_DETAIL_TEMPLATES, "wallet-holder-proof-required");
    if (!decoded || !isPlainObject(decoded.payload) || decoded.header.typ !== HOLDER_PROOF_TYP || typeof decoded.header.kid !== "string") throw fail();
    const jwk = await resolveHolderDid(decoded.header.kid);
    if (!jwk || !(await verifyWithHolderKey(proof, jwk))) throw fail();
    const holder = didOf(decoded.header.kid);
    const { aud, iat } = decoded.payload;
    const nowS = Date.parse(this.now()) / 1000;
    if (aud !== this.ledgerUrl(normalised) || typeof iat !== "number" || Math.abs(nowS - iat) > CLOCK_SKEW_S) throw fail();
    if (!(await this.deps.store.hasPresented(normalised, holder))) throw keyedError("forbidden", WALLET_DETAIL_TEMPLATES, "wallet-not-presented");
    return this.ledgerView(normalised, year, undefined);
  }

  ledgerUrl(licence: string): string {
    return `${this.publicUrl}/api/advocates/${encodeURIComponent(licence)}/ledger`;
  }

  private async ledgerView(licence: string, year: number, barId: string | undefined): Promise<{ licence: string; year: number; barId: string | null; entries: LedgerEntry[]; totals: LedgerTotals }> {
    const entries = await this.deps.store.ledger(licence, year, barId);
    return { licence, year, barId: barId ?? null, entries, totals: ledgerTotals(entries) };
  }
}

/** A credential as the pipeline judged it, or why it is no credential at all. */
type Verified = VerificationResult | { notACredential: string };

/** Deeper input is refused before anything walks it recursively. */
const MAX_CREDENTIAL_DEPTH = MAX_CREDENTIAL_JSON_DEPTH;

function verificationInput(input: unknown): { jwt: string } | { credential: Record<string, unknown> } {
  if (typeof input === "string") {
    const text = input.trim();
    if (text.startsWith("{")) {
      try {
        const parsed = JSON.parse(text);
        if (isPlainObject(parsed) && !exceedsJsonDepth(parsed, MAX_CREDENTIAL_DEPTH)) return { credential: parsed };
      } catch {
        // fall through: reported as not a credential
      }
      return { jwt: "" };
    }
    if (text.startsWith(`data:${VC_JWT_MEDIA_TYPE},`)) return { jwt: text.slice(VC_JWT_MEDIA_TYPE.length + 6) };
    return { jwt: text };
  }
  if (isPlainObject(input) && !exceedsJsonDepth(input, MAX_CREDENTIAL_DEPTH)) return { credential: input };
  return { jwt: "" };
}
