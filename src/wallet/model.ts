/** What wallets and the ledger keep (2.2.4, 12.2), and what they need from storage. */
import type { AuditedWrite } from "../domain/audit.js";

/**
 * What an offer yields: one certificate (2.2.3), or one of the bar's annual attestations (12.1, 12.2). Exactly one
 * (migration 0019's check); the PIN, tries, single use and nonces are the same for both.
 */
export type OfferedCredential = { certificateId: string; attestationId?: undefined } | { attestationId: string; certificateId?: undefined };

export type CredentialOffer = OfferedCredential & OfferState;

export interface OfferState {
  id: string;
  preAuthorizedCode: string;
  /**
   * HMAC of code and PIN under a KEK-derived key (`Keyring.mac("oid4vci-tx-code", …)`); the PIN is never stored. Empty
   * for offers made before migration 0008 (their SHA-256 was wiped): no PIN opens them.
   */
  txCodeMac: string;
  createdAt: string;
  createdBy: string;
  expiresAt: string;
  failedAttempts: number;
  redeemedAt: string | null;
  accessTokenHash: string | null;
  accessTokenExpiresAt: string | null;
  /** RFC 9449: the JWK thumbprint of the wallet's DPoP key when the token is DPoP-bound; null for a Bearer token. */
  accessTokenJkt: string | null;
  holderDid: string | null;
  credentialIssuedAt: string | null;
}

export interface PresentationRequest {
  id: string;
  barId: string;
  year: number;
  nonce: string;
  createdAt: string;
  createdBy: string;
  expiresAt: string;
  answeredAt: string | null;
  licence: string | null;
  holderDid: string | null;
  outcome: PresentationOutcome | null;
  /** The last error response a wallet posted (OpenID4VP 1.0 §8.2): recorded for the bar; it does not close the request. */
  walletError?: WalletErrorResponse | null;
}

export interface WalletErrorResponse {
  error: string;
  description: string | null;
  at: string;
}

/** What one try at the token endpoint did to an offer (one statement: the PIN check and the count are the same write). */
export type RedeemOutcome =
  | { outcome: "redeemed"; offer: CredentialOffer }
  /** The PIN was wrong and counted: `failedAttempts` includes this one. */
  | { outcome: "wrong-pin"; failedAttempts: number };

/** How a verified certificate reached the ledger: a wallet's OpenID4VP answer, or an upload at the bar's desk. */
export type ProvenBy = "openid4vp" | "upload";

/**
 * One verified certificate credited to an advocate for a calendar year at a bar (`ledger_entries`). The compliance
 * report reads these rows (src/compliance/model.ts `LedgerStore`); self-recorded hours (2.2.2) live elsewhere.
 */
export interface LedgerEntry {
  id: string;
  barId: string;
  licence: string;
  year: number;
  certificateId: string;
  credentialId: string;
  issuer: string;
  issuerName: string;
  topic: string;
  programme: string;
  form: string;
  /** 5.1.4: a trainer's certificate counts at the bar's teaching credit. */
  role: "attendee" | "teacher";
  durationMinutes: number;
  academicHours: number;
  eventEnd: string;
  provenBy: ProvenBy;
  presentationId: string | null;
  createdAt: string;
}

export interface RefusedCredential {
  index: number;
  certificateId: string | null;
  reason: string;
  detail: string;
}

export interface PresentationOutcome {
  licence: string | null;
  holder: string | null;
  credited: LedgerEntry[];
  /** Already in the ledger for this advocate, year and bar: counted once. */
  alreadyCredited: string[];
  refused: RefusedCredential[];
}

/** Each method is one statement, atomic by itself (D1 has no interactive transactions). */
export interface WalletStore {
  insertOffer(o: CredentialOffer): Promise<void>;
  /**
   * One try of a PIN on a live offer (never redeemed, unexpired, fewer than `maxAttempts` wrong PINs), as ONE
   * `UPDATE … WHERE failed_attempts < max … RETURNING` that compares `txCodeMac` inside the statement: the right PIN
   * redeems the code, a wrong one is counted in the same write. So however many tries race, at most `maxAttempts`
   * wrong PINs are ever checked, and none after them. `undefined` when no live offer has this code.
   */
  redeemOffer(code: string, txCodeMac: string, now: string, maxAttempts: number, accessTokenHash: string, accessTokenExpiresAt: string, accessTokenJkt?: string | null): Promise<RedeemOutcome | undefined>;
  offerByCode(code: string): Promise<CredentialOffer | undefined>;
  offerById(id: string): Promise<CredentialOffer | undefined>;
  offerByAccessToken(tokenHash: string): Promise<CredentialOffer | undefined>;
  /** Marks the credential as issued to `holderDid`; `false` if it was already issued on this offer. */
  markCredentialIssued(offerId: string, holderDid: string, now: string): Promise<boolean>;
  listOffers(certificateId: string): Promise<CredentialOffer[]>;

  insertNonce(nonce: string, expiresAt: string, now: string): Promise<void>;
  /** Deletes the nonce and answers whether it existed and was live: each c_nonce is used once. */
  consumeNonce(nonce: string, now: string): Promise<boolean>;

  insertPresentationRequest(r: PresentationRequest): Promise<void>;
  getPresentationRequest(id: string): Promise<PresentationRequest | undefined>;
  /** Marks the request answered; `false` if it already was (a replayed response). */
  claimPresentationRequest(id: string, now: string): Promise<boolean>;
  recordPresentationOutcome(id: string, outcome: PresentationOutcome): Promise<void>;
  /** Records a wallet's error response on a request still open; never claims it. `false` if it is answered or absent. */
  recordWalletError(id: string, error: WalletErrorResponse): Promise<boolean>;
  /** Whether `holderDid` has presented certificates for `licence` to some bar. */
  hasPresented(licence: string, holderDid: string): Promise<boolean>;

  /** The participant a certificate was issued to, from the provider's list (12.3), with the certificate's state. */
  certificateHolder(certificateId: string): Promise<{ licence: string; barId: string; revoked: boolean } | undefined>;

  barVerifierKey(barId: string): Promise<BarVerifierKey | undefined>;
  /** Stores the key unless the bar already has one (a concurrent first request); the caller re-reads. */
  insertBarVerifierKey(key: BarVerifierKey): Promise<void>;

  /**
   * Makes `next` the bar's verifier key in place of `currentKid`, which is kept as retired: one atomic unit. False (and
   * nothing written) when `currentKid` is no longer the bar's key, i.e. another rotation came first.
   */
  /** `false` when another rotation from the same key came first; audited, that one alone is logged (issue 17). */
  rotateBarVerifierKey(currentKid: string, next: BarVerifierKey, retirement: VerifierKeyRetirement, audit?: AuditedWrite): Promise<boolean>;
  /** The bar's retired verifier keys still published at `at`, oldest first. */
  publishedRetiredVerifierKeys(barId: string, at: string): Promise<RetiredVerifierKey[]>;
  /** A bar's verifier key by its kid, current or retired (what an annual attestation it signed is verified with). */
  verifierKeyByKid(kid: string): Promise<{ barId: string; kid: string; publicJwk: BarVerifierKey["publicJwk"]; createdAt: string; retiredAt: string | null } | undefined>;

  /** Inserts the entries not yet in the ledger (one INSERT … ON CONFLICT DO NOTHING); returns those inserted. */
  credit(entries: LedgerEntry[]): Promise<LedgerEntry[]>;
  ledger(licence: string, year: number, barId?: string): Promise<LedgerEntry[]>;
}

/**
 * The bar's annual attestations as OpenID4VCI hands them to a wallet (12.1, 12.2): src/compliance/attestations.ts,
 * bound in src/services.ts.
 */
export interface WalletAttestations {
  /** The attestation as stored, with whether the closing it states still stands; `undefined` for an unknown id. */
  standing(id: string): Promise<StandingAttestation | undefined>;
}

export interface StandingAttestation {
  id: string;
  barId: string;
  licence: string;
  year: number;
  /** The vc+jwt exactly as the bar signed it. */
  jwt: string;
  revokedAt: string | null;
  /** The closing it states is still the year's open closing: reopening the year withdraws it (12.2). */
  closingStands: boolean;
}

/** Why a verifier key was replaced: on schedule (the old key stays published briefly) or compromised (it does not). */
export type VerifierKeyRetirementReason = "scheduled" | "compromised";

export interface VerifierKeyRetirement {
  retiredAt: string;
  retiredBy: string;
  reason: VerifierKeyRetirementReason;
  /** Until when the bar's DID document still lists the old key. */
  publishedUntil: string;
}

export interface RetiredVerifierKey extends VerifierKeyRetirement {
  barId: string;
  kid: string;
  publicJwk: BarVerifierKey["publicJwk"];
  createdAt: string;
}

export interface BarVerifierKey {
  barId: string;
  kid: string;
  publicJwk: { kty: "OKP"; crv: "Ed25519"; x: string };
  privateKeyEnc: string;
  createdAt: string;
}
