/**
 * Signing keys the service holds for parties. Private keys exist in clear only inside this process as
 * non-extractable CryptoKeys; at rest they are PKCS#8 encrypted with AES-256-GCM under the key-encryption key (KEK),
 * with the key's id as additional data so a ciphertext cannot be moved to another key's row.
 *
 * The KEK is also the root of the server's MAC keys (`mac`): one-time secrets (wallet PINs, survey tokens) are kept
 * as HMACs under keys derived from it, so a copy of the database alone cannot test guesses against them.
 */
import { primitives } from "../credentials/primitives.js";
import { keyedError } from "../domain/errors.js";
import { base64url, fromBase64url } from "../lib/ids.js";

/** The keyring's refusals (an operator's problem: the KEK, a damaged row), in English; kk and ru in the catalogues. */
export const KEYRING_DETAIL_TEMPLATES = {
  "keyring-envelope-unreadable": "Unreadable key envelope.",
  "keyring-key-undecryptable": "A signing key could not be decrypted: is SENIM_KEK the key it was sealed with?",
} as const;

export interface PublicJwk {
  kty: "OKP";
  crv: "Ed25519";
  x: string;
}

export interface GeneratedKey {
  publicJwk: PublicJwk;
  privateKeyEnc: string;
}

const ENVELOPE_VERSION = "v1";

/**
 * What a MAC key is for. Each purpose has its own key (HKDF info `senim/mac/v1/<purpose>`), so a value computed for
 * one purpose never verifies as another's.
 */
/** `delivery-survey-token`: the survey token a delivery message carries, derived per outbox row (src/delivery/service.ts). */
/** `advocate-code`: an advocate's sign-in code at /me, kept as this HMAC; `advocate-code-derive`: the code itself, derived per outbox row so the sender can put it in the message without the database holding it (src/advocates/service.ts). */
export type MacPurpose = "oid4vci-tx-code" | "survey-token" | "survey-spent" | "delivery-survey-token" | "advocate-code" | "advocate-code-derive";

export class Keyring {
  private readonly unwrapped = new Map<string, Promise<CryptoKey>>();
  private readonly macKeys = new Map<MacPurpose, Promise<CryptoKey>>();

  private constructor(
    private readonly kek: CryptoKey,
    /** The KEK's bytes as HKDF input keying material (non-extractable), for the derived MAC keys. */
    private readonly macRoot: CryptoKey,
  ) {}

  /** `secret` is 32 random bytes, base64url (43 characters), as `SENIM_KEK` holds them. */
  static async fromSecret(secret: string): Promise<Keyring> {
    let raw: Uint8Array<ArrayBuffer>;
    try {
      raw = fromBase64url(secret.trim());
    } catch {
      raw = new Uint8Array(0);
    }
    if (raw.length !== 32) throw new Error("SENIM_KEK must be 32 bytes, base64url-encoded (43 characters).");
    const kek = await crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
    const macRoot = await crypto.subtle.importKey("raw", raw, { name: "HKDF" }, false, ["deriveKey"]);
    raw.fill(0);
    return new Keyring(kek, macRoot);
  }

  static newSecret(): string {
    return base64url(crypto.getRandomValues(new Uint8Array(32)));
  }

  async generate(keyId: string): Promise<GeneratedKey> {
    return this.generateNamed(() => keyId);
  }

  /** For ids derived from the public key itself (did:key): the envelope is sealed to the id `idFor` returns. */
  async generateNamed(idFor: (publicJwk: PublicJwk) => string): Promise<GeneratedKey & { keyId: string }> {
    const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const jwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
    const publicJwk: PublicJwk = { kty: "OKP", crv: "Ed25519", x: jwk.x! };
    const keyId = idFor(publicJwk);
    const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = new Uint8Array(
      await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: new TextEncoder().encode(keyId) }, this.kek, pkcs8),
    );
    pkcs8.fill(0);
    return { keyId, publicJwk, privateKeyEnc: `${ENVELOPE_VERSION}.${base64url(iv)}.${base64url(sealed)}` };
  }

  /**
   * HMAC-SHA-256 of `data` under the KEK-derived key for `purpose`, base64url (43 characters). Deterministic, so a
   * stored MAC can be looked up or compared in SQL; without the KEK it cannot be recomputed from a guess.
   */
  async mac(purpose: MacPurpose, data: string): Promise<string> {
    // The installed primitive (Node: node:crypto, a few µs instead of a thread-pool round trip per survey link).
    return base64url(await primitives().hmacSha256(await this.macKey(purpose), new TextEncoder().encode(data)));
  }

  private macKey(purpose: MacPurpose): Promise<CryptoKey> {
    let key = this.macKeys.get(purpose);
    if (!key) {
      // HKDF-SHA-256 (RFC 5869): the KEK is already uniformly random, so a zero-length salt is enough; the info label
      // separates the purposes and versions the derivation.
      key = crypto.subtle.deriveKey(
        { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: new TextEncoder().encode(`senim/mac/v1/${purpose}`) },
        this.macRoot,
        { name: "HMAC", hash: "SHA-256", length: 256 },
        false,
        ["sign"],
      );
      key.catch(() => this.macKeys.delete(purpose));
      this.macKeys.set(purpose, key);
    }
    return key;
  }

  /** The signing key for `keyId`, decrypted once and kept in memory. */
  signingKey(keyId: string, privateKeyEnc: string): Promise<CryptoKey> {
    let key = this.unwrapped.get(keyId);
    if (!key) {
      key = this.unwrap(keyId, privateKeyEnc);
      key.catch(() => this.unwrapped.delete(keyId));
      this.unwrapped.set(keyId, key);
    }
    return key;
  }

  private async unwrap(keyId: string, privateKeyEnc: string): Promise<CryptoKey> {
    const [version, iv, sealed] = privateKeyEnc.split(".");
    if (version !== ENVELOPE_VERSION || !iv || !sealed) throw keyedError("internal", KEYRING_DETAIL_TEMPLATES, "keyring-envelope-unreadable");
    let pkcs8: ArrayBuffer;
    try {
      pkcs8 = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: fromBase64url(iv), additionalData: new TextEncoder().encode(keyId) },
        this.kek,
        fromBase64url(sealed),
      );
    } catch {
      // Never say more: the usual cause is a wrong SENIM_KEK, and the ciphertext must not leak into logs.
      throw keyedError("internal", KEYRING_DETAIL_TEMPLATES, "keyring-key-undecryptable");
    }
    return crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, false, ["sign"]);
  }
}

const publicKeys = new Map<string, Promise<CryptoKey>>();

/** Public keys are immutable per key id, so an imported CryptoKey can be reused for every verification. */
export function importPublicKey(keyId: string, jwk: PublicJwk): Promise<CryptoKey> {
  let key = publicKeys.get(keyId);
  if (!key) {
    key = crypto.subtle.importKey("jwk", { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, { name: "Ed25519" }, true, ["verify"]);
    key.catch(() => publicKeys.delete(keyId));
    publicKeys.set(keyId, key);
  }
  return key;
}
