/**
 * Ed25519 public keys as W3C Controlled Identifiers `Multikey` (multibase base58btc of 0xed01 ‖ key) and as
 * `did:key` identifiers, resolved offline: a did:key document is computed from the identifier itself.
 */
import { base58btc, fromBase58btc } from "../lib/base58.js";
import { base64url, fromBase64url } from "../lib/ids.js";
import { MULTIKEY_CONTEXT } from "./contexts.js";

const ED25519_PUB_PREFIX = [0xed, 0x01];
const ED25519_PRIV_PREFIX = [0x80, 0x26];

/**
 * How a did:web document publishes a key as a JWK. `JsonWebKey2020` (with its jws-2020 context), not VC 2.0's
 * `JsonWebKey`: the wallets people install (Credo's did:web resolver among them) resolve only the 2020 type, and a
 * method they cannot read means they check neither a credential's signature nor a bar's signed request. Our own
 * verifiers read either (data-integrity.ts), and the method keeps its id, so every `kid` ever signed stays resolvable.
 */
export const JWK_METHOD_TYPE = "JsonWebKey2020";
export const JWK_METHOD_CONTEXT = "https://w3id.org/security/suites/jws-2020/v1";

export function jwkVerificationMethod(id: string, controller: string, publicKeyJwk: Record<string, unknown>) {
  return { id, type: JWK_METHOD_TYPE, controller, publicKeyJwk };
}

/** `z6Mk…` for a 32-byte Ed25519 public key. */
export function ed25519Multibase(publicKey: Uint8Array): string {
  return "z" + base58btc(new Uint8Array([...ED25519_PUB_PREFIX, ...publicKey]));
}

/** The 32 raw key bytes of an Ed25519 `publicKeyMultibase`, or `undefined` for anything else. Never throws. */
export function ed25519FromMultibase(multibase: unknown): Uint8Array<ArrayBuffer> | undefined {
  if (typeof multibase !== "string" || !multibase.startsWith("z") || multibase.length > 100) return undefined;
  try {
    const bytes = fromBase58btc(multibase.slice(1));
    if (bytes.length !== 34 || bytes[0] !== ED25519_PUB_PREFIX[0] || bytes[1] !== ED25519_PUB_PREFIX[1]) return undefined;
    return bytes.slice(2);
  } catch {
    return undefined;
  }
}

/** The 32-byte seed of an Ed25519 `secretKeyMultibase` (0x8026 ‖ seed), as the test vectors publish them. */
export function ed25519SeedFromMultibase(multibase: string): Uint8Array<ArrayBuffer> {
  const bytes = fromBase58btc(multibase.replace(/^z/, ""));
  if (bytes.length < 34 || bytes[0] !== ED25519_PRIV_PREFIX[0] || bytes[1] !== ED25519_PRIV_PREFIX[1]) throw new TypeError("not an Ed25519 secret key multibase");
  return bytes.slice(2, 34);
}

export function jwkFromEd25519(publicKey: Uint8Array): { kty: "OKP"; crv: "Ed25519"; x: string } {
  return { kty: "OKP", crv: "Ed25519", x: base64url(publicKey) };
}

export function ed25519FromJwk(jwk: unknown): Uint8Array<ArrayBuffer> | undefined {
  if (typeof jwk !== "object" || jwk === null) return undefined;
  const { kty, crv, x } = jwk as Record<string, unknown>;
  if (kty !== "OKP" || crv !== "Ed25519" || typeof x !== "string" || x.length !== 43) return undefined;
  try {
    const raw = fromBase64url(x);
    return raw.length === 32 ? raw : undefined;
  } catch {
    return undefined;
  }
}

export function didKeyFor(publicKey: Uint8Array): string {
  return `did:key:${ed25519Multibase(publicKey)}`;
}

/** The Ed25519 key inside a `did:key` identifier or DID URL, or `undefined`. */
export function parseDidKey(didUrl: string): { did: string; multibase: string; publicKey: Uint8Array<ArrayBuffer>; fragment: string | null } | undefined {
  const m = /^did:key:(z[1-9A-HJ-NP-Za-km-z]{40,60})(?:#(.*))?$/.exec(didUrl);
  if (!m) return undefined;
  const publicKey = ed25519FromMultibase(m[1]);
  if (!publicKey) return undefined;
  return { did: `did:key:${m[1]}`, multibase: m[1]!, publicKey, fragment: m[2] ?? null };
}

/**
 * did:key method v0.7 for Ed25519: one verification method `did:key:z…#z…` used for every relationship. A DID URL
 * resolves to its verification method (what Data Integrity dereferences), a DID to the whole document.
 */
export function resolveDidKey(didUrl: string): Record<string, unknown> | undefined {
  const parsed = parseDidKey(didUrl);
  if (!parsed) return undefined;
  const vmId = `${parsed.did}#${parsed.multibase}`;
  const vm = { "@context": MULTIKEY_CONTEXT, id: vmId, type: "Multikey", controller: parsed.did, publicKeyMultibase: parsed.multibase };
  if (parsed.fragment !== null) return parsed.fragment === parsed.multibase ? vm : undefined;
  const { "@context": _, ...method } = vm;
  return {
    "@context": ["https://www.w3.org/ns/did/v1", MULTIKEY_CONTEXT],
    id: parsed.did,
    verificationMethod: [method],
    authentication: [vmId],
    assertionMethod: [vmId],
    capabilityInvocation: [vmId],
    capabilityDelegation: [vmId],
  };
}
