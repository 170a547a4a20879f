/**
 * `application/vc+jwt` securing (W3C VC-JOSE-COSE): the JWS payload is the credential itself; the protected header
 * names the algorithm, the media type and the key as a DID URL.
 */
import { base64url, fromBase64url } from "../lib/ids.js";
import { primitives } from "./primitives.js";
import { VC_JWT_TYP } from "./vocabulary.js";

export interface Signer {
  /** DID URL of the verification method, e.g. `did:web:example.kz:parties:abc#key-1`. */
  kid: string;
  privateKey: CryptoKey;
}

const encoder = new TextEncoder();
/** Stateless when `decode` is called without `{ stream: true }`, so one instance serves every call. */
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The compact JWS jose's `CompactSign` makes of the same header and payload, byte for byte (test/node-primitives.test.ts),
 * signed on the installed Ed25519 primitive (src/credentials/primitives.ts): issuing signs a whole event at once.
 */
export async function signVcJwt(credential: Record<string, unknown>, signer: Signer): Promise<string> {
  const header = base64url(encoder.encode(JSON.stringify({ alg: "EdDSA", typ: VC_JWT_TYP, cty: "vc", kid: signer.kid })));
  const signingInput = `${header}.${base64url(encoder.encode(JSON.stringify(credential)))}`;
  const signature = await primitives().ed25519Sign(signer.privateKey, encoder.encode(signingInput));
  return `${signingInput}.${base64url(signature)}`;
}

/** Upper bound on a compact JWS we are willing to look at; a certificate is about 3.7 KB. */
export const MAX_JWT_LENGTH = 32 * 1024;

/** A compact JWS taken apart: the header read, the payload still encoded. */
export interface JwsParts {
  header: Record<string, unknown>;
  /** `base64url(header) . base64url(payload)`, the bytes the signature covers. */
  signingInput: string;
  payloadSegment: string;
  signature: Uint8Array<ArrayBuffer>;
}

export interface DecodedJws extends JwsParts {
  payload: unknown;
}

/** Splits a compact JWS and reads its header; `undefined` for anything that is not one. Never throws. */
export function splitCompactJws(token: string): JwsParts | undefined {
  if (token.length > MAX_JWT_LENGTH) return undefined;
  const first = token.indexOf(".");
  const second = token.indexOf(".", first + 1);
  if (first <= 0 || second < 0 || token.indexOf(".", second + 1) !== -1) return undefined;
  try {
    const header = JSON.parse(utf8.decode(fromBase64url(token.slice(0, first))));
    if (!isPlainObject(header)) return undefined;
    return { header, signingInput: token.slice(0, second), payloadSegment: token.slice(first + 1, second), signature: fromBase64url(token.slice(second + 1)) };
  } catch {
    return undefined;
  }
}

/**
 * Decodes without verifying, to learn which key to verify with. Returns `undefined` for anything that is not a
 * well-formed compact JWS with a JSON header and payload: the caller reports that as "not a credential".
 */
export function decodeCompactJws(token: string): DecodedJws | undefined {
  const parts = splitCompactJws(token);
  if (!parts || parts.payloadSegment.length === 0) return undefined;
  try {
    return { ...parts, payload: JSON.parse(utf8.decode(fromBase64url(parts.payloadSegment))) };
  } catch {
    return undefined;
  }
}

export type SignatureOutcome = { ok: true } | { ok: false; reason: "bad-signature" | "bad-algorithm" | "malformed" };

/**
 * Verifies an EdDSA JWS with `key`; never throws. Only `EdDSA` is accepted (no `none`, no HMAC confusion) and no
 * `crit` extension is understood (RFC 7515 §4.1.11). Done directly on the Ed25519 primitive (Web Crypto, or the
 * runtime's own: src/credentials/primitives.ts) rather than through jose: jose would decode and parse the whole token a
 * second time, and verification is the hot path of the public endpoint.
 */
export async function verifyJwsSignature(jws: JwsParts, key: CryptoKey): Promise<SignatureOutcome> {
  if (jws.header.alg !== "EdDSA") return { ok: false, reason: "bad-algorithm" };
  if (jws.header.crit !== undefined || jws.header.b64 !== undefined) return { ok: false, reason: "malformed" };
  if (jws.signature.length !== 64) return { ok: false, reason: "bad-signature" };
  try {
    const ok = await primitives().ed25519Verify(key, jws.signature, encoder.encode(jws.signingInput));
    return ok ? { ok: true } : { ok: false, reason: "bad-signature" };
  } catch {
    return { ok: false, reason: "malformed" };
  }
}

/** {@link verifyJwsSignature} for a compact JWS string, whatever its payload. */
export async function verifyCompactJws(token: string, key: CryptoKey): Promise<SignatureOutcome> {
  const parts = splitCompactJws(token);
  return parts ? verifyJwsSignature(parts, key) : { ok: false, reason: "malformed" };
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
