/**
 * OpenID for Verifiable Credential Issuance 1.0, pre-authorized code flow (2.2.3: the advocate keeps the certificate
 * in a wallet). The protocol plumbing — metadata validation, credential offers, token and credential request parsing,
 * the holder's `jwt` proof (typ, aud, iat, nonce, signature through our DID resolver), nonce and credential
 * responses — is `@openid4vc/openid4vci` and `@openid4vc/oauth2`. What is ours is the state that must be atomic in the
 * database: the pre-authorized code, the PIN and its tries, single use, and one-time c_nonces.
 *
 * Formats: `jwt_vc_json` (the VC Data Model 1.1 JWT of OpenID4VCI 1.0 Appendix A.1.1: the certificate in a `vc` claim,
 * re-signed with `credentialSubject.id` = the holder's DID) and `ldp_vc` (the same
 * certificate secured with an eddsa-rdfc-2022 Data Integrity proof by the standards layer, src/standards/service.ts).
 * and `dc+sd-jwt` (the SD-JWT VC of Appendix A.3, src/credentials/sd-jwt-vc.ts: the certificate's facts as flat
 * claims, the participant's name and licence selectively disclosable, `cnf` = the holder's key).
 * A certificate's offer lists all three configurations; the wallet asks for the one it keeps. An offer of a bar's annual
 * attestation (12.1, 12.2) lists its one configuration, the same JWT form re-signed by the bar's key that signed it.
 */
import { setGlobalConfig } from "@openid4vc/utils";
import { Oauth2AuthorizationServer, preAuthorizedCodeGrantIdentifier, type CallbackContext, type Jwk, type JwtSigner } from "@openid4vc/oauth2";
import { Openid4vciIssuer, type IssuerMetadataResult } from "@openid4vc/openid4vci";
import { assertIsProvider, describeAdvocate, describePrincipal, mayTakeIntoWallet, type MemberRef, type Principal } from "../domain/authz.js";
import { keyedError } from "../domain/errors.js";
import { WALLET_DETAIL_TEMPLATES } from "./details.js";
import { toInstant } from "../domain/time.js";
import { decodeCompactJws, isPlainObject, type Signer } from "../credentials/jwt.js";
import { signVcJwt11 } from "../credentials/vc-jwt-11.js";
import { boundToHolder, certificateTypeMetadata, issueSdJwtVc, vctFor, type HolderBinding } from "../credentials/sd-jwt-vc.js";
import { ATTESTATION_TYPE } from "../credentials/attestation.js";
import type { IssuanceStore, StoredCertificate } from "../issuance/model.js";
import { LICENCE_IDENTITY_TYPE, licenceIdentityHash } from "../credentials/certificate.js";
import { base64url, newId, sha256Hex } from "../lib/ids.js";
import type { Keyring } from "../registry/keyring.js";
import type { RegistryService } from "../registry/service.js";
import type { StandardsService } from "../standards/service.js";
import { CLE_CONTEXT, OB3_CONTEXT, VC_V2_CONTEXT } from "../credentials/vocabulary.js";
import { CRYPTOSUITE } from "../credentials/data-integrity.js";
import { didJwkFor, didOf, resolveHolderDid, sameKey, verifyWithHolderKey, type HolderJwk } from "../credentials/holder-key.js";
import type { CredentialOffer, OfferedCredential, WalletAttestations, WalletStore } from "./model.js";
import { asOAuthError, OAuthError } from "./oauth-error.js";
import { DPOP_SIGNING_ALGS, verifyDpopProof } from "./dpop.js";
import type { Metrics } from "../lib/metrics.js";

export const JWT_VC_JSON_CONFIGURATION = "SenimCertificate_jwt_vc_json";
export const LDP_VC_CONFIGURATION = "SenimCertificate_ldp_vc";
export const SD_JWT_VC_CONFIGURATION = "SenimCertificate_dc_sd_jwt";
/** 12.1, 12.2: the bar's annual attestation, as the vc+jwt the bar signed, bound to the holder. */
export const ATTESTATION_CONFIGURATION = "SenimAnnualAttestation_jwt_vc_json";
/** What a certificate's offer lists: every form of the same certificate; the wallet picks one. */
const CERTIFICATE_CONFIGURATIONS = [JWT_VC_JSON_CONFIGURATION, LDP_VC_CONFIGURATION, SD_JWT_VC_CONFIGURATION];
const ATTESTATION_CONFIGURATIONS = [ATTESTATION_CONFIGURATION];
/** The format of each configuration, for a request that names a format instead of a configuration. */
const FORMAT_OF: Record<string, string> = { [JWT_VC_JSON_CONFIGURATION]: "jwt_vc_json", [LDP_VC_CONFIGURATION]: "ldp_vc", [SD_JWT_VC_CONFIGURATION]: "dc+sd-jwt", [ATTESTATION_CONFIGURATION]: "jwt_vc_json" };
const CERTIFICATE_TYPES = ["VerifiableCredential", "OpenBadgeCredential"];

/** The configurations an offer lists: those of the one credential it yields. */
function configurationsOf(offered: OfferedCredential): string[] {
  return offered.attestationId !== undefined ? ATTESTATION_CONFIGURATIONS : CERTIFICATE_CONFIGURATIONS;
}

const CREDENTIAL_DISPLAY = [
  { name: "CLE certificate", locale: "en", description: "Continuing legal education of an advocate (academic hours of 45 minutes)" },
  { name: "Біліктілікті арттыру сертификаты", locale: "kk" },
  { name: "Сертификат о повышении квалификации", locale: "ru" },
];
const ATTESTATION_DISPLAY = [
  { name: "Annual attestation of professional development", locale: "en", description: "The bar attests that the advocate met the year's requirement, as counted when the year was closed (12.1, 12.2)" },
  { name: "Біліктілікті арттыру туралы жылдық растама", locale: "kk" },
  { name: "Годовое подтверждение повышения квалификации", locale: "ru" },
];
/** Offers live long enough to be mailed and opened at leisure; the PIN limits guessing meanwhile. */
export const OFFER_TTL_MS = 14 * 86_400_000;
export const ACCESS_TOKEN_TTL_S = 300;
export const C_NONCE_TTL_S = 300;
/** A wrong PIN is allowed this many times; then the offer is dead. */
export const MAX_PIN_ATTEMPTS = 5;
export const PIN_LENGTH = 6;

export interface RequestLike {
  method: "POST" | "GET";
  url: string;
  headers: Headers;
}

export interface NewOffer {
  offerId: string;
  /** `openid-credential-offer://?credential_offer_uri=…`: what the QR code and the link carry. */
  offer: string;
  credentialOfferUri: string;
  /** The PIN, shown once: the provider hands it to the advocate apart from the offer; /me shows it on the advocate's own screen. */
  txCode: string;
  expiresAt: string;
}

/** Verifies JWTs the libraries hand us: holder proofs signed by a did:key / did:jwk, or by an inline `jwk`. */
const verifyHolderJwt: CallbackContext["verifyJwt"] = async (signer, jwt) => {
  let jwk: HolderJwk | undefined;
  if (signer.method === "did") jwk = await resolveHolderDid(signer.didUrl);
  else if (signer.method === "jwk") {
    const candidate = signer.publicJwk as Record<string, unknown>;
    if ((candidate.kty === "OKP" && candidate.crv === "Ed25519") || (candidate.kty === "EC" && candidate.crv === "P-256")) {
      jwk = { kty: candidate.kty, crv: candidate.crv, x: String(candidate.x), ...(candidate.y ? { y: String(candidate.y) } : {}) } as HolderJwk;
    }
  }
  if (!jwk) return { verified: false };
  const verified = await verifyWithHolderKey(jwt.compact, jwk);
  return verified ? { verified: true, signerJwk: jwk as Jwk } : { verified: false, signerJwk: jwk as Jwk };
};

const callbacks: Omit<CallbackContext, "decryptJwe" | "encryptJwe"> = {
  hash: async (data, alg) => new Uint8Array(await crypto.subtle.digest(alg === "sha-384" ? "SHA-384" : alg === "sha-512" ? "SHA-512" : "SHA-256", data as Uint8Array<ArrayBuffer>)),
  generateRandom: (n) => crypto.getRandomValues(new Uint8Array(n)),
  verifyJwt: verifyHolderJwt,
  // Senim signs no JWT through the libraries: credentials are vc+jwt signed by the provider's key (credentials/jwt.ts).
  signJwt: () => {
    throw new Error("signJwt is not used");
  },
  clientAuthentication: () => undefined,
};

export class Oid4vciService {
  private readonly issuer = new Openid4vciIssuer({ callbacks });
  private readonly authorizationServer = new Oauth2AuthorizationServer({ callbacks });
  private metadataCache: IssuerMetadataResult | undefined;

  constructor(
    private readonly deps: {
      /** Issue 17: wrong PINs (GET /metrics). */
      metrics?: Pick<Metrics, "failedPin">;
      store: WalletStore;
      issuanceStore: Pick<IssuanceStore, "getCertificate">;
      registry: RegistryService;
      standards: Pick<StandardsService, "signCertificateVariant">;
      keyring: Pick<Keyring, "mac">;
      /** The bar's annual attestations and the bar's own signer (its OpenID4VP verifier key), for attestation offers. */
      attestations?: WalletAttestations;
      bars?: { barSigner(barId: string): Promise<Signer> };
    },
  ) {
    // The libraries insist on https URLs; a deployment on plain http is local development (or these tests), and the
    // setting is process-wide, so it is only ever switched on, never off.
    if (this.publicUrl.startsWith("http://")) setGlobalConfig({ allowInsecureUrls: true });
  }

  private get publicUrl(): string {
    return this.deps.registry.publicUrl;
  }

  private now(): string {
    return this.deps.registry.now();
  }

  // ---- metadata ---------------------------------------------------------------------------------------------------

  authorizationServerMetadata() {
    return this.authorizationServer.createAuthorizationServerMetadata({
      issuer: this.publicUrl,
      token_endpoint: `${this.publicUrl}/oid4vci/token`,
      grant_types_supported: [preAuthorizedCodeGrantIdentifier],
      "pre-authorized_grant_anonymous_access_supported": true,
      // RFC 9449 §5.1: a wallet that sends DPoP gets a DPoP-bound token (src/wallet/dpop.ts); Bearer stays open.
      dpop_signing_alg_values_supported: [...DPOP_SIGNING_ALGS],
    });
  }

  /** The SD-JWT VC Type Metadata behind the certificate's `vct` (wallets fetch it to display the credential). */
  certificateTypeMetadata() {
    return certificateTypeMetadata(this.publicUrl);
  }

  credentialIssuerMetadata() {
    return this.metadata().credentialIssuer;
  }

  private metadata(): IssuerMetadataResult {
    if (this.metadataCache) return this.metadataCache;
    const credentialIssuer = this.issuer.createCredentialIssuerMetadata({
      credential_issuer: this.publicUrl,
      credential_endpoint: `${this.publicUrl}/oid4vci/credential`,
      nonce_endpoint: `${this.publicUrl}/oid4vci/nonce`,
      authorization_servers: [this.publicUrl],
      display: [
        { name: "Senim", locale: "en" },
        { name: "Сенім", locale: "kk" },
        { name: "Сеним", locale: "ru" },
      ],
      credential_configurations_supported: {
        [JWT_VC_JSON_CONFIGURATION]: {
          format: "jwt_vc_json",
          cryptographic_binding_methods_supported: ["did:key", "did:jwk"],
          credential_signing_alg_values_supported: ["EdDSA"],
          proof_types_supported: { jwt: { proof_signing_alg_values_supported: ["EdDSA", "ES256"] } },
          credential_definition: { type: CERTIFICATE_TYPES },
          credential_metadata: { display: CREDENTIAL_DISPLAY },
        },
        // OpenID4VCI 1.0 Appendix A.1.2 (W3C VC secured with Data Integrity): credential_definition names the
        // @context and type; the signing "algorithm" of an ldp_vc is its proof suite, here the cryptosuite.
        [LDP_VC_CONFIGURATION]: {
          format: "ldp_vc",
          cryptographic_binding_methods_supported: ["did:key", "did:jwk"],
          credential_signing_alg_values_supported: [CRYPTOSUITE],
          proof_types_supported: { jwt: { proof_signing_alg_values_supported: ["EdDSA", "ES256"] } },
          credential_definition: { "@context": [VC_V2_CONTEXT, OB3_CONTEXT, CLE_CONTEXT], type: CERTIFICATE_TYPES },
          credential_metadata: { display: CREDENTIAL_DISPLAY },
        },
        // OpenID4VCI 1.0 Appendix A.3: an SD-JWT VC names its type by `vct`; bound to a DID or a bare JWK (`cnf`).
        [SD_JWT_VC_CONFIGURATION]: {
          format: "dc+sd-jwt",
          vct: vctFor(this.publicUrl),
          cryptographic_binding_methods_supported: ["did:key", "did:jwk", "jwk"],
          credential_signing_alg_values_supported: ["EdDSA"],
          proof_types_supported: { jwt: { proof_signing_alg_values_supported: ["EdDSA", "ES256"] } },
          credential_metadata: { display: CREDENTIAL_DISPLAY },
        },
        // 12.1, 12.2: the bar's annual attestation, signed with the bar's own did:web key (EdDSA).
        [ATTESTATION_CONFIGURATION]: {
          format: "jwt_vc_json",
          cryptographic_binding_methods_supported: ["did:key", "did:jwk"],
          credential_signing_alg_values_supported: ["EdDSA"],
          proof_types_supported: { jwt: { proof_signing_alg_values_supported: ["EdDSA", "ES256"] } },
          credential_definition: { type: ["VerifiableCredential", ATTESTATION_TYPE] },
          credential_metadata: { display: ATTESTATION_DISPLAY },
        },
      },
    });
    this.metadataCache = { originalDraftVersion: "v1" as IssuerMetadataResult["originalDraftVersion"], credentialIssuer, authorizationServers: [this.authorizationServerMetadata()], knownCredentialConfigurations: this.issuer.getKnownCredentialConfigurationsSupported(credentialIssuer) };
    return this.metadataCache;
  }

  // ---- offers (provider) ------------------------------------------------------------------------------------------

  /** A credential offer for one of the provider's certificates; the PIN is returned once and never stored. */
  async createOffer(principal: Principal, certificateId: string): Promise<NewOffer> {
    assertIsProvider(principal);
    const cert = await this.deps.issuanceStore.getCertificate(certificateId);
    // Another provider's certificate answers as absent, as events do.
    if (!cert || cert.partyId !== principal.partyId) throw keyedError("not_found", WALLET_DETAIL_TEMPLATES, "wallet-certificate-not-yours", { id: JSON.stringify(certificateId) });
    if (cert.revokedAt) throw keyedError("already_revoked", WALLET_DETAIL_TEMPLATES, "wallet-certificate-revoked");
    return this.offerFor({ certificateId: cert.id }, describePrincipal(principal));
  }

  /**
   * An advocate signed in at /me offers themselves one of their own certificates (domain/authz.ts mayTakeIntoWallet);
   * the session that shows the PIN is the second channel. Another's, a revoked one or an unknown id: all `not_found`.
   */
  async createOfferForMember(member: MemberRef, certificateId: string): Promise<NewOffer> {
    const cert = await this.deps.issuanceStore.getCertificate(certificateId);
    const issuedTo = cert && (await issuedToMember(cert, member, this.deps.registry.barUrl(member.barId)));
    if (!cert || !mayTakeIntoWallet(member, { issuedTo, revoked: cert.revokedAt !== null })) {
      throw keyedError("not_found", WALLET_DETAIL_TEMPLATES, "wallet-certificate-not-takeable", { id: JSON.stringify(certificateId) });
    }
    return this.offerFor({ certificateId: cert.id }, describeAdvocate(member));
  }

  /**
   * 12.1, 12.2: an advocate signed in at /me offers themselves their bar's annual attestation, under the same rule as
   * a certificate (mayTakeIntoWallet: the member it names — their bar and licence — while it stands). An attestation
   * whose closing no longer stands (the year reopened) is withdrawn as a revoked one is. Anything else: `not_found`.
   */
  async createAttestationOfferForMember(member: MemberRef, attestationId: string): Promise<NewOffer> {
    const a = await this.deps.attestations?.standing(attestationId);
    const issuedTo = a && { barId: a.barId, licence: a.licence };
    if (!a || !mayTakeIntoWallet(member, { issuedTo, revoked: a.revokedAt !== null || !a.closingStands })) {
      throw keyedError("not_found", WALLET_DETAIL_TEMPLATES, "wallet-attestation-not-takeable", { id: JSON.stringify(attestationId) });
    }
    return this.offerFor({ attestationId: a.id }, describeAdvocate(member));
  }

  /** The offer row (pre-authorized code, the PIN's MAC) and its `openid-credential-offer://` link, for whoever may offer. */
  private async offerFor(offered: OfferedCredential, createdBy: string): Promise<NewOffer> {
    const now = this.now();
    const code = base64url(crypto.getRandomValues(new Uint8Array(32)));
    const txCode = randomPin();
    const offer: CredentialOffer = {
      id: newId(20),
      ...offered,
      preAuthorizedCode: code,
      txCodeMac: await this.txCodeMac(code, txCode),
      createdAt: now,
      createdBy,
      expiresAt: toInstant(Date.parse(now) + OFFER_TTL_MS),
      failedAttempts: 0,
      redeemedAt: null,
      accessTokenHash: null,
      accessTokenExpiresAt: null,
      accessTokenJkt: null,
      holderDid: null,
      credentialIssuedAt: null,
    };
    await this.deps.store.insertOffer(offer);
    const credentialOfferUri = this.offerUri(offer.id);
    const { credentialOffer } = await this.issuer.createCredentialOffer({
      issuerMetadata: this.metadata(),
      credentialConfigurationIds: configurationsOf(offered),
      grants: { [preAuthorizedCodeGrantIdentifier]: { "pre-authorized_code": code, tx_code: txCodeDescription() } },
      credentialOfferUri,
    });
    return { offerId: offer.id, offer: credentialOffer, credentialOfferUri, txCode, expiresAt: offer.expiresAt };
  }

  offerUri(offerId: string): string {
    return `${this.publicUrl}/oid4vci/offers/${offerId}`;
  }

  /** The offer object behind `credential_offer_uri`; absent once expired, redeemed or dead from wrong PINs. */
  async offerObject(offerId: string): Promise<Record<string, unknown> | undefined> {
    const offer = await this.liveOffer(offerId);
    if (!offer) return undefined;
    const { credentialOfferObject } = await this.issuer.createCredentialOffer({
      issuerMetadata: this.metadata(),
      credentialConfigurationIds: configurationsOf(offer),
      grants: { [preAuthorizedCodeGrantIdentifier]: { "pre-authorized_code": offer.preAuthorizedCode, tx_code: txCodeDescription() } },
    });
    return credentialOfferObject;
  }

  /**
   * The PIN as kept: an HMAC of code and PIN under a KEK-derived key, so a copy of the database cannot be searched
   * for PINs (a bare SHA-256 of a 6-digit PIN is a million guesses). The code in the input binds the MAC to its offer.
   */
  private txCodeMac(code: string, pin: string): Promise<string> {
    return this.deps.keyring.mac("oid4vci-tx-code", `${code}:${pin}`);
  }

  private async liveOffer(offerId: string): Promise<CredentialOffer | undefined> {
    if (!/^[0-9a-z]{20}$/.test(offerId)) return undefined;
    const offer = await this.deps.store.offerById(offerId);
    return offer && isLive(offer, Date.parse(this.now())) ? offer : undefined;
  }

  // ---- token endpoint (the authorization server) ------------------------------------------------------------------

  async token(request: RequestLike, form: Record<string, unknown>): Promise<Record<string, unknown>> {
    try {
      const parsed = this.authorizationServer.parseAccessTokenRequest({ request, accessTokenRequest: form });
      if (parsed.grant.grantType !== preAuthorizedCodeGrantIdentifier) {
        throw new OAuthError(400, "unsupported_grant_type", "Only the pre-authorized code grant is offered.");
      }
      const code = parsed.grant.preAuthorizedCode;
      const pin = typeof parsed.grant.txCode === "string" ? parsed.grant.txCode : undefined;
      if (code.length > 200) throw new OAuthError(400, "invalid_grant", "Unknown pre-authorized code.");
      if (pin === undefined) throw new OAuthError(400, "invalid_request", "tx_code is required: the PIN the provider gave you apart from the offer.");
      // §6.1/§6.2: authorization_details asked for in the token request are checked before the PIN is tried (a
      // malformed request spends nothing) and echoed with their credential identifiers.
      const details = form.authorization_details === undefined ? undefined : authorizationDetailsOf(form.authorization_details, await this.configurationsOfCode(code));
      const now = this.now();
      // RFC 9449 §5: a DPoP proof, when sent, is checked before the PIN is tried too; the token is then bound to its key.
      const dpopProof = request.headers.get("dpop");
      const dpop = dpopProof === null ? undefined : await verifyDpopProof(dpopProof, { method: "POST", url: `${this.publicUrl}/oid4vci/token`, now, status: 400 });
      const accessToken = `sat_${base64url(crypto.getRandomValues(new Uint8Array(32)))}`;
      // One statement checks the limit, compares the PIN and counts a wrong one (WalletStore.redeemOffer).
      const tried = await this.deps.store.redeemOffer(
        code,
        await this.txCodeMac(code, pin.slice(0, 64)),
        now,
        MAX_PIN_ATTEMPTS,
        await sha256Hex(accessToken),
        toInstant(Date.parse(now) + ACCESS_TOKEN_TTL_S * 1000),
        dpop?.jkt ?? null,
      );
      if (!tried) throw await this.explainRefusedCode(code, now);
      if (tried.outcome === "wrong-pin") {
        this.deps.metrics?.failedPin();
        const left = Math.max(0, MAX_PIN_ATTEMPTS - tried.failedAttempts);
        throw new OAuthError(400, "invalid_grant", left > 0 ? `Wrong PIN (tx_code); ${left} tries left.` : "Wrong PIN (tx_code); that was the last try: the offer is no longer valid.");
      }
      const cNonce = await this.newNonce();
      // `c_nonce` here is a leniency for wallets of drafts before 1.0 (which read it from the token response); 1.0
      // wallets ask the nonce endpoint (docs/wallet.md).
      return { access_token: accessToken, token_type: dpop ? "DPoP" : "Bearer", expires_in: ACCESS_TOKEN_TTL_S, c_nonce: cNonce, c_nonce_expires_in: C_NONCE_TTL_S, ...(details ? { authorization_details: details } : {}) };
    } catch (e) {
      throw asOAuthError(e);
    }
  }

  /** The configurations the offer behind a pre-authorized code lists; none for an unknown code (the try then fails as such). */
  private async configurationsOfCode(code: string): Promise<string[]> {
    const offer = await this.deps.store.offerByCode(code);
    return offer ? configurationsOf(offer) : [];
  }

  /** Why no live offer took the try (it only reads: nothing is counted here, the PIN was never compared). */
  private async explainRefusedCode(code: string, now: string): Promise<OAuthError> {
    const offer = await this.deps.store.offerByCode(code);
    if (!offer) return new OAuthError(400, "invalid_grant", "Unknown pre-authorized code.");
    if (offer.redeemedAt) return new OAuthError(400, "invalid_grant", "The pre-authorized code was already used: each offer is taken once.");
    if (Date.parse(offer.expiresAt) <= Date.parse(now)) return new OAuthError(400, "invalid_grant", "The credential offer has expired; ask the provider for a new one.");
    if (offer.txCodeMac === "") return new OAuthError(400, "invalid_grant", "This offer was made before PINs were kept as server-keyed MACs and is no longer valid; ask the provider for a new one.");
    return new OAuthError(400, "invalid_grant", "Too many wrong PINs: the offer is no longer valid; ask the provider for a new one.");
  }

  // ---- nonce endpoint ---------------------------------------------------------------------------------------------

  async nonce(): Promise<Record<string, unknown>> {
    return this.issuer.createNonceResponse({ cNonce: await this.newNonce(), cNonceExpiresIn: C_NONCE_TTL_S });
  }

  private async newNonce(): Promise<string> {
    const nonce = base64url(crypto.getRandomValues(new Uint8Array(24)));
    const now = this.now();
    await this.deps.store.insertNonce(nonce, toInstant(Date.parse(now) + C_NONCE_TTL_S * 1000), now);
    return nonce;
  }

  // ---- credential endpoint (the resource server) ------------------------------------------------------------------

  async credential(request: RequestLike, body: unknown): Promise<Record<string, unknown>> {
    try {
      const offer = await this.authorise(request);
      if (!isPlainObject(body)) throw new OAuthError(400, "invalid_credential_request", "The credential request must be a JSON object.");
      // OpenID4VCI 1.0's credential error response names this case; the library folds it into invalid_credential_request.
      // Only what this offer lists: a certificate's token gets no attestation, and an attestation's no certificate.
      const listed = configurationsOf(offer);
      const offered = `This offer lists only ${listed.join(" and ")}.`;
      if (typeof body.credential_configuration_id === "string" && !listed.includes(body.credential_configuration_id)) {
        throw new OAuthError(400, "unknown_credential_configuration", offered);
      }
      // §8.2: a credential_identifier is one the token response's authorization_details gave: here, the id of a
      // configuration this offer lists (authorizationDetailsOf).
      if (body.credential_identifier !== undefined && !(typeof body.credential_identifier === "string" && listed.includes(body.credential_identifier))) {
        throw new OAuthError(400, "unknown_credential_identifier", `Not a credential identifier of this token: ${offered}`);
      }
      const parsed = this.issuer.parseCredentialRequest({ issuerMetadata: this.metadata(), credentialRequest: body });
      const config = parsed.credentialConfigurationId ?? parsed.credentialIdentifier ?? listed.find((id) => FORMAT_OF[id] === parsed.format?.format);
      if (config === undefined || !listed.includes(config)) throw new OAuthError(400, "unknown_credential_configuration", offered);
      const proofs = parsed.proofs?.jwt;
      if (!proofs || proofs.length !== 1) throw new OAuthError(400, "invalid_proof", "Exactly one jwt proof of possession is required.");
      const proofJwt = proofs[0]!;

      // The c_nonce is used once: taken out of the store before the proof is checked, so a replay always fails.
      const nonce = proofNonce(proofJwt);
      const now = this.now();
      // §8.2.1.1: a proof without a nonce is an invalid proof; a nonce we did not give (or gave and took back) is
      // invalid_nonce, which tells the wallet to fetch a fresh one.
      if (!nonce) throw new OAuthError(400, "invalid_proof", "The proof carries no nonce: sign it over a c_nonce from the nonce endpoint.");
      if (!(await this.deps.store.consumeNonce(nonce, now))) {
        throw new OAuthError(400, "invalid_nonce", "The proof's nonce is unknown, used or expired: fetch a fresh c_nonce from the nonce endpoint.");
      }
      const verified = await this.issuer.verifyCredentialRequestJwtProof({ issuerMetadata: this.metadata(), jwt: proofJwt, expectedNonce: nonce, now: new Date(Date.parse(now)) });
      const signer = verified.signer as JwtSigner & { publicJwk?: Jwk };
      const holderDid = holderDidOf(signer);
      if (!holderDid) throw new OAuthError(400, "invalid_proof", "The proof must be signed by a did:key or did:jwk (kid) or carry its jwk.");

      const issued = offer.attestationId !== undefined ? await this.boundAttestation(offer.attestationId, holderDid) : await this.boundCertificate(offer.certificateId, config, holderDid, holderBindingOf(signer, holderDid));
      // Signed first, marked second: a failure to sign leaves the offer's token usable; of two racing requests one wins.
      if (!(await this.deps.store.markCredentialIssued(offer.id, holderDid, now))) {
        throw new OAuthError(400, "credential_request_denied", "The credential of this offer was already issued.");
      }
      return this.issuer.createCredentialResponse({ credentialRequest: parsed, credentials: [{ credential: issued }] }) as Record<string, unknown>;
    } catch (e) {
      throw asOAuthError(e);
    }
  }

  /** The certificate bound to the holder, in the configuration asked for; refused when revoked or bound to another. */
  private async boundCertificate(certificateId: string, config: string, holderDid: string, binding: HolderBinding): Promise<string | Record<string, unknown>> {
    const cert = await this.deps.issuanceStore.getCertificate(certificateId);
    if (!cert) throw new OAuthError(400, "credential_request_denied", "The certificate no longer exists.");
    if (cert.revokedAt) throw new OAuthError(400, "credential_request_denied", "The certificate is revoked.");
    const stored = decodeCompactJws(cert.jwt)!.payload as Record<string, unknown>;
    const subject = stored.credentialSubject as Record<string, unknown>;
    // The provider recorded the advocate's wallet DID: only that wallet may take the certificate.
    if (typeof subject.id === "string" && subject.id !== holderDid) {
      throw new OAuthError(400, "invalid_proof", "The proof is for another DID than the one this certificate was issued to.");
    }
    // Same certificate (id, status entry, validFrom), now bound to the holder, signed by the key that signed it.
    const credential = boundToHolder(stored, holderDid);
    if (config === LDP_VC_CONFIGURATION) return this.deps.standards.signCertificateVariant(cert, credential);
    const privateKey = await this.deps.registry.signingKeyOf(cert.keyId);
    if (!privateKey) throw keyedError("internal", WALLET_DETAIL_TEMPLATES, "wallet-signing-key-missing");
    // The SD-JWT VC is the stored certificate's mapping (src/credentials/sd-jwt-vc.ts), bound by `cnf`, not by a subject id.
    if (config === SD_JWT_VC_CONFIGURATION) return issueSdJwtVc(stored, binding, { kid: cert.keyId, privateKey });
    // OpenID4VCI 1.0 A.1.1: `jwt_vc_json` is the VC Data Model 1.1 JWT (the `vc` claim), which wallets such as Credo
    // read; the content is the certificate's, in 1.1 names, and reads back as exactly it (src/credentials/vc-jwt-11.ts).
    return signVcJwt11(credential, { kid: cert.keyId, privateKey }, this.now());
  }

  /**
   * 12.1, 12.2: the attestation the bar issued (same id, hours, closing, validFrom), bound to the holder and signed
   * again by the bar key that signed it — the same kid, so the holder's copy is checked in that key's window. Refused
   * when the bar revoked it or reopened the year since (the closing it states no longer stands), and when the bar's
   * key has been rotated since: a retired key's private half is not kept, and another key was not the bar's when the
   * attestation says it was issued.
   */
  private async boundAttestation(attestationId: string, holderDid: string): Promise<string> {
    const a = await this.deps.attestations?.standing(attestationId);
    if (!a || !this.deps.bars) throw new OAuthError(400, "credential_request_denied", "The attestation no longer exists.");
    if (a.revokedAt !== null) throw new OAuthError(400, "credential_request_denied", "The bar has revoked this attestation.");
    if (!a.closingStands) throw new OAuthError(400, "credential_request_denied", `The bar has reopened ${a.year} since: the closing this attestation states no longer stands (12.2).`);
    const stored = decodeCompactJws(a.jwt)!;
    const signer = await this.deps.bars.barSigner(a.barId);
    if (signer.kid !== stored.header.kid) {
      throw new OAuthError(400, "credential_request_denied", "The bar's key that signed this attestation has been replaced since; the attestation itself still verifies at its address.");
    }
    return signVcJwt11(boundToHolder(stored.payload as Record<string, unknown>, holderDid), signer, this.now());
  }

  private async authorise(request: RequestLike): Promise<CredentialOffer> {
    const header = request.headers.get("authorization") ?? "";
    const match = /^(Bearer|DPoP)\s+(\S{1,200})$/i.exec(header);
    if (!match) throw new OAuthError(401, "invalid_token", "Send the access token from the token endpoint as Authorization: Bearer <token> (or DPoP <token> for a DPoP-bound one).");
    const [, scheme, token] = match as unknown as [string, string, string];
    const offer = await this.deps.store.offerByAccessToken(await sha256Hex(token));
    const now = this.now();
    if (!offer || !offer.accessTokenExpiresAt || Date.parse(offer.accessTokenExpiresAt) <= Date.parse(now)) {
      throw new OAuthError(401, "invalid_token", "The access token is unknown or expired.");
    }
    // RFC 9449 §7: a bound token only under the DPoP scheme with a proof by its key over this request and this token;
    // a Bearer token never under the DPoP scheme (it proves nothing about a key).
    const dpop = scheme.toLowerCase() === "dpop";
    if (offer.accessTokenJkt === null) {
      if (dpop) throw new OAuthError(401, "invalid_token", "This access token is not DPoP-bound: send it as Authorization: Bearer <token>.");
      return offer;
    }
    if (!dpop) throw new OAuthError(401, "invalid_token", "This access token is DPoP-bound: send it as Authorization: DPoP <token> with a DPoP proof.");
    const proof = request.headers.get("dpop");
    if (proof === null) throw new OAuthError(401, "invalid_dpop_proof", "DPoP proof refused: this access token is DPoP-bound and the request carries no DPoP header.");
    await verifyDpopProof(proof, { method: "POST", url: `${this.publicUrl}/oid4vci/credential`, now, accessToken: token, jkt: offer.accessTokenJkt, status: 401 });
    return offer;
  }
}

function isLive(o: CredentialOffer, now: number): boolean {
  return o.redeemedAt === null && o.failedAttempts < MAX_PIN_ATTEMPTS && Date.parse(o.expiresAt) > now && o.txCodeMac !== "";
}

/**
 * OpenID4VCI 1.0 §5.1.1, §6.2: the `authorization_details` of a token request (a JSON array, or its text in the
 * form), each `openid_credential` naming a configuration the offer lists; echoed with `credential_identifiers` — the
 * configuration's own id, since an offer yields one credential in each form it lists.
 */
function authorizationDetailsOf(value: unknown, listed: string[]): Record<string, unknown>[] {
  let details: unknown = value;
  if (typeof value === "string") {
    try {
      details = value.length <= 4_000 ? JSON.parse(value) : undefined;
    } catch {
      details = undefined;
    }
  }
  if (!Array.isArray(details) || details.length === 0 || details.length > 5) throw new OAuthError(400, "invalid_authorization_details", "authorization_details must be a JSON array of 1 to 5 objects.");
  return details.map((d) => {
    if (!isPlainObject(d) || d.type !== "openid_credential") throw new OAuthError(400, "invalid_authorization_details", "Each authorization_details entry must have type openid_credential.");
    const id = d.credential_configuration_id;
    if (typeof id !== "string" || !listed.includes(id)) throw new OAuthError(400, "invalid_authorization_details", `credential_configuration_id must be one this offer lists: ${listed.join(", ") || "(none: unknown pre-authorized code)"}.`);
    return { type: "openid_credential", credential_configuration_id: id, credential_identifiers: [id] };
  });
}

function txCodeDescription() {
  return { input_mode: "numeric" as const, length: PIN_LENGTH, description: "PIN from the provider / провайдер берген PIN / PIN от провайдера" };
}

function randomPin(): string {
  // Rejection sampling keeps every PIN equally likely.
  const limit = 10 ** PIN_LENGTH;
  const ceiling = Math.floor(2 ** 32 / limit) * limit;
  for (;;) {
    const [v] = crypto.getRandomValues(new Uint32Array(1));
    if (v! < ceiling) return String(v! % limit).padStart(PIN_LENGTH, "0");
  }
}

function proofNonce(jwt: string): string | undefined {
  const decoded = decodeCompactJws(jwt);
  const nonce = decoded && isPlainObject(decoded.payload) ? decoded.payload.nonce : undefined;
  return typeof nonce === "string" && nonce.length <= 200 ? nonce : undefined;
}

function holderDidOf(signer: JwtSigner & { publicJwk?: Jwk }): string | undefined {
  if (signer.method === "did") {
    const did = didOf(signer.didUrl);
    return did.startsWith("did:key:") || did.startsWith("did:jwk:") ? did : undefined;
  }
  const jwk = signer.publicJwk as Record<string, unknown> | undefined;
  if (signer.method === "jwk" && jwk) {
    const holder = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, ...(jwk.y ? { y: jwk.y } : {}) } as HolderJwk;
    return sameKey(jwk, holder) ? didJwkFor(holder) : undefined;
  }
  return undefined;
}

/** An SD-JWT VC's `cnf`: the proof's DID URL when it named a did:key / did:jwk key, else the inline key (as its did:jwk says). */
function holderBindingOf(signer: JwtSigner & { publicJwk?: Jwk }, holderDid: string): HolderBinding {
  if (signer.method === "did") {
    // A DID without a fragment names its one key: did:jwk's is `#0`, did:key's the key's own multibase value.
    const fragment = holderDid.startsWith("did:jwk:") ? "0" : holderDid.slice("did:key:".length);
    return { kid: signer.didUrl.includes("#") ? signer.didUrl : `${holderDid}#${fragment}` };
  }
  const jwk = signer.publicJwk as Record<string, unknown>;
  return { jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, ...(jwk.y ? { y: jwk.y } : {}) } as HolderJwk };
}

/**
 * The member a certificate names, if it is `member`: its participant's bar (`memberOfBar`) and licence, read from the
 * signed credential itself, which is what the wallet will hold. The credential keeps the licence only as a salted hash
 * (src/credentials/certificate.ts), so it can confirm this member's licence but names nobody else's: `undefined`.
 */
async function issuedToMember(cert: StoredCertificate, member: MemberRef, memberBarUrl: string): Promise<MemberRef | undefined> {
  const payload = decodeCompactJws(cert.jwt)?.payload;
  const subject = isPlainObject(payload) && isPlainObject(payload.credentialSubject) ? payload.credentialSubject : undefined;
  if (!subject || subject.memberOfBar !== memberBarUrl || !Array.isArray(subject.identifier)) return undefined;
  const licence = subject.identifier.find((i): i is Record<string, unknown> => isPlainObject(i) && i.identityType === LICENCE_IDENTITY_TYPE);
  if (!licence || typeof licence.salt !== "string" || typeof licence.identityHash !== "string") return undefined;
  return (await licenceIdentityHash(member.licence, licence.salt)) === licence.identityHash ? member : undefined;
}
