/**
 * `application/vc+jwt` securing (W3C VC-JOSE-COSE): the JWS payload is the credential itself; the protected header
 * names the algorithm, the media type and the key as a DID URL.
 */
import { CompactSign, compactVerify, errors as joseErrors } from "jose";
import { fromBase64url } from "../lib/ids.js";
import { VC_JWT_TYP } from "./vocabulary.js";

export interface Signer {
  /** DID URL of the verification method, e.g. `did:web:example.kz:parties:abc#key-1`. */
  kid: string;
  privateKey: CryptoKey;
}

const encoder = new TextEncoder();

export async function signVcJwt(credential: Record<string, unknown>, signer: Signer): Promise<string> {
  return new CompactSign(encoder.encode(JSON.stringify(credential)))
    .setProtectedHeader({ alg: "EdDSA", typ: VC_JWT_TYP, cty: "vc", kid: signer.kid })
    .sign(signer.privateKey);
}

/** Upper bound on a compact JWS we are willing to look at; a certificate is about 3 KB. */
export const MAX_JWT_LENGTH = 32 * 1024;

export interface DecodedJws {
  header: Record<string, unknown>;
  payload: unknown;
}

/**
 * Decodes without verifying, to learn which key to verify with. Returns `undefined` for anything that is not a
 * well-formed compact JWS with JSON header and payload: the caller reports that as "not a credential".
 */
export function decodeCompactJws(token: string): DecodedJws | undefined {
  if (token.length > MAX_JWT_LENGTH) return undefined;
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((p) => p.length === 0 && p !== parts[2])) return undefined;
  try {
    const header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(fromBase64url(parts[0]!)));
    const payload = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(fromBase64url(parts[1]!)));
    fromBase64url(parts[2]!);
    if (!isPlainObject(header)) return undefined;
    return { header, payload };
  } catch {
    return undefined;
  }
}

export type SignatureOutcome = { ok: true } | { ok: false; reason: "bad-signature" | "bad-algorithm" | "malformed" };

/** Verifies an EdDSA compact JWS with `key`; never throws. Only `EdDSA` is accepted: no `none`, no HMAC confusion. */
export async function verifyCompactJws(token: string, key: CryptoKey): Promise<SignatureOutcome> {
  try {
    await compactVerify(token, key, { algorithms: ["EdDSA"] });
    return { ok: true };
  } catch (e) {
    if (e instanceof joseErrors.JOSEAlgNotAllowed || e instanceof joseErrors.JOSENotSupported) return { ok: false, reason: "bad-algorithm" };
    if (e instanceof joseErrors.JWSSignatureVerificationFailed) return { ok: false, reason: "bad-signature" };
    return { ok: false, reason: "malformed" };
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
