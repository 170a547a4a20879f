/**
 * The cryptographic primitives of the hot paths, verifying a vc+jwt (src/credentials/jwt.ts) and issuing certificates
 * (jwt.ts, certificate.ts): Ed25519 verify and sign, and SHA-256. Web Crypto by default: Node and workerd both have
 * it, and workerd has nothing else (no nodejs_compat). A runtime may install faster ones once, at startup, before it
 * serves (Node: src/runtime/node-primitives.ts, node:crypto with a KeyObject per CryptoKey, which skips Web Crypto's
 * per-call algorithm normalisation, WebIDL conversions and promise job on the main thread; bench/README.md).
 * Whatever is installed must give Web Crypto's results: the same verdicts (Ed25519 signatures are deterministic, so
 * the same signatures too), and a throw or rejection where Web Crypto would (the callers report it as malformed),
 * such as for a key that is not an Ed25519 key of the right kind.
 */

export interface Primitives {
  /** Whether `signature` is an Ed25519 signature by `key` (a public verification key) over `data`. */
  ed25519Verify(key: CryptoKey, signature: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): boolean | Promise<boolean>;
  /** The Ed25519 signature by `key` (a private signing key) over `data`: 64 bytes. */
  ed25519Sign(key: CryptoKey, data: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> | Promise<Uint8Array<ArrayBuffer>>;
  /** SHA-256 of `data`: 32 bytes. */
  sha256(data: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> | Promise<Uint8Array<ArrayBuffer>>;
  /** HMAC-SHA-256 of `data` under `key` (an HMAC key for "sign"): 32 bytes. Issuing makes one per survey link. */
  hmacSha256(key: CryptoKey, data: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> | Promise<Uint8Array<ArrayBuffer>>;
}

export const webCryptoPrimitives: Primitives = {
  ed25519Verify: (key, signature, data) => crypto.subtle.verify({ name: "Ed25519" }, key, signature, data),
  ed25519Sign: async (key, data) => new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, key, data)),
  sha256: async (data) => new Uint8Array(await crypto.subtle.digest("SHA-256", data)),
  hmacSha256: async (key, data) => new Uint8Array(await crypto.subtle.sign("HMAC", key, data)),
};

let installed: Primitives = webCryptoPrimitives;

/** Installs the runtime's primitives (once, at startup); `webCryptoPrimitives` puts the defaults back. */
export function installPrimitives(primitives: Primitives): void {
  installed = primitives;
}

/** The installed primitives. */
export function primitives(): Primitives {
  return installed;
}
