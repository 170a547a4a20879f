/**
 * The wallet's DID, resolved to its public key without the network: `did:jwk` carries the JWK itself, `did:key` the
 * multicodec-prefixed public key (Ed25519 `z6Mk…`, P-256 `zDn…`). These are what wallets bind credentials to; a
 * did:web holder would need a fetch and is not accepted. The one holder-key primitive: OpenID4VCI proofs, OpenID4VP
 * and VC API presentations and the advocate's ledger proof all verify through `verifyWithHolderKey`.
 */
import { compactVerify, importJWK } from "jose";
import { fromBase64url } from "../lib/ids.js";

export interface HolderJwk {
  kty: "OKP" | "EC";
  crv: "Ed25519" | "P-256";
  x: string;
  y?: string;
}

/** Longest holder DID we look at (a P-256 did:jwk is about 180 characters). */
export const MAX_HOLDER_DID_LENGTH = 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true });
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

function base58btc(text: string): Uint8Array<ArrayBuffer> {
  let n = 0n;
  for (const ch of text) {
    const v = B58.indexOf(ch);
    if (v < 0) throw new TypeError("not base58btc");
    n = n * 58n + BigInt(v);
  }
  const bytes: number[] = [];
  while (n > 0n) {
    bytes.unshift(Number(n & 255n));
    n >>= 8n;
  }
  for (const ch of text) {
    if (ch !== "1") break;
    bytes.unshift(0);
  }
  return Uint8Array.from(bytes);
}

function b64u(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The DID part of a DID URL (`did:key:z…#z…` → `did:key:z…`). */
export function didOf(didUrl: string): string {
  const hash = didUrl.indexOf("#");
  return hash < 0 ? didUrl : didUrl.slice(0, hash);
}

/** The holder's public JWK, or `undefined` for a DID we cannot resolve offline. Never throws. */
export async function resolveHolderDid(didUrl: string): Promise<HolderJwk | undefined> {
  if (didUrl.length > MAX_HOLDER_DID_LENGTH) return undefined;
  const did = didOf(didUrl);
  try {
    if (did.startsWith("did:jwk:")) {
      const jwk = JSON.parse(utf8.decode(fromBase64url(did.slice(8)))) as Record<string, unknown>;
      if (jwk.d !== undefined) return undefined; // a private key has no business in a DID
      if (jwk.kty === "OKP" && jwk.crv === "Ed25519" && typeof jwk.x === "string") return { kty: "OKP", crv: "Ed25519", x: jwk.x };
      if (jwk.kty === "EC" && jwk.crv === "P-256" && typeof jwk.x === "string" && typeof jwk.y === "string") return { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y };
      return undefined;
    }
    if (did.startsWith("did:key:z")) {
      const bytes = base58btc(did.slice(9));
      if (bytes[0] === 0xed && bytes[1] === 0x01 && bytes.length === 34) return { kty: "OKP", crv: "Ed25519", x: b64u(bytes.subarray(2)) };
      if (bytes[0] === 0x80 && bytes[1] === 0x24 && bytes.length === 35) {
        // Compressed P-256 point: Web Crypto imports it raw and exports the full JWK.
        const key = await crypto.subtle.importKey("raw", bytes.slice(2), { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"]);
        const jwk = await crypto.subtle.exportKey("jwk", key);
        return { kty: "EC", crv: "P-256", x: jwk.x!, y: jwk.y! };
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** `did:jwk` for a public JWK given inline (a proof with a `jwk` header instead of a `kid`). */
export function didJwkFor(jwk: HolderJwk): string {
  const members = jwk.kty === "OKP" ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  return `did:jwk:${b64u(new TextEncoder().encode(JSON.stringify(members)))}`;
}

/** Whether two JWKs name the same public key. */
export function sameKey(a: { kty?: unknown; crv?: unknown; x?: unknown; y?: unknown }, b: HolderJwk): boolean {
  return a.kty === b.kty && a.crv === b.crv && a.x === b.x && (b.y === undefined || a.y === b.y);
}

/**
 * Verifies a compact JWS with a holder's key, on jose: EdDSA for Ed25519 keys, ES256 for P-256, nothing else (the
 * algorithm is bound to the key, so a header cannot pick a weaker one). The verified header and payload, or
 * `undefined`. Never throws.
 */
export async function verifyWithHolderKey(compact: string, jwk: HolderJwk): Promise<{ header: Record<string, unknown>; payload: Uint8Array } | undefined> {
  const algorithm = jwk.kty === "OKP" ? "EdDSA" : "ES256";
  try {
    const key = await importJWK({ ...jwk, alg: algorithm }, algorithm);
    const { protectedHeader, payload } = await compactVerify(compact, key, { algorithms: [algorithm] });
    return { header: protectedHeader as Record<string, unknown>, payload };
  } catch {
    return undefined;
  }
}
