/**
 * IETF Token Status List (draft-ietf-oauth-status-list): the status form SD-JWT VCs point at (`status.status_list`,
 * SD-JWT VC §3.2.2.2), so a wallet or verifier that keeps SD-JWT VCs can check a certificate's revocation without
 * reading W3C Bitstring Status Lists.
 *
 * It is not a second list: the same list of this service, the same indexes and the same set bits as the Bitstring
 * form, only packed the way that draft packs them — DEFLATE in the ZLIB format (not GZIP), and index 0 in the LEAST
 * significant bit of the first byte (the Bitstring form puts it in the most significant) — and served from the same
 * URL when a client asks for `application/statuslist+jwt`.
 */
import { CompactSign } from "jose";
import { base64url, fromBase64url } from "../lib/ids.js";
import { numericDate } from "../domain/time.js";
import type { Signer } from "./jwt.js";

/** The media type a client asks for (§8.1: Accept) and the JOSE `typ` of the token (§5.1). */
export const STATUS_LIST_JWT_MEDIA_TYPE = "application/statuslist+jwt";
export const STATUS_LIST_JWT_TYP = "statuslist+jwt";

/**
 * §7: status values. A revocation list sets VALID→INVALID; a suspension list sets VALID→SUSPENDED, which needs two
 * bits per entry (a one-bit list can only say INVALID, and a suspension is not a revocation).
 */
const INVALID = 0x01;
const SUSPENDED = 0x02;

export type ListPurpose = "revocation" | "suspension";

/** Bits per status (§4.1) for a list of this purpose. */
export const bitsFor = (purpose: ListPurpose): 1 | 2 => (purpose === "suspension" ? 2 : 1);

/** §4.1: the byte array of `size` statuses of `bits` each, index 0 in the least significant bits of byte 0. */
export function statusBytes(setIndexes: Iterable<number>, size: number, purpose: ListPurpose): Uint8Array<ArrayBuffer> {
  const bits = bitsFor(purpose);
  const value = purpose === "suspension" ? SUSPENDED : INVALID;
  const bytes = new Uint8Array((size * bits) / 8);
  for (const i of setIndexes) {
    if (!Number.isInteger(i) || i < 0 || i >= size) throw new RangeError(`status index ${i} outside the list`);
    const bit = i * bits;
    bytes[bit >> 3]! |= value << (bit & 7);
  }
  return bytes;
}

/** The status at `index` of a decoded byte array (for tests and for reading a list back). */
export function statusAt(bytes: Uint8Array, index: number, bits: 1 | 2): number {
  const bit = index * bits;
  const byte = bytes[bit >> 3];
  if (byte === undefined) throw new RangeError(`status index ${index} outside the list`);
  return (byte >> (bit & 7)) & ((1 << bits) - 1);
}

/** §4.2: `lst`, the byte array compressed with DEFLATE in the ZLIB format, base64url without padding. */
export async function encodeLst(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate"));
  return base64url(new Uint8Array(await new Response(stream).arrayBuffer()));
}

export async function decodeLst(lst: string): Promise<Uint8Array> {
  const stream = new Blob([fromBase64url(lst)]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export interface StatusListTokenInput {
  /** The list's URL: the token's `sub`, and the `uri` of every referenced token's `status_list`. */
  uri: string;
  /** The issuer of the certificates on the list (their SD-JWT VCs' `iss`). */
  issuer: string;
  purpose: ListPurpose;
  size: number;
  setIndexes: Iterable<number>;
  /** When it is signed (ISO 8601), and how long a verifier may cache it. */
  now: string;
  ttlSeconds: number;
}

/**
 * §5.1: the Status List Token, a JWT signed by the key of the list's party: `sub` = the list URL, `iat`, `exp` one
 * cache lifetime ahead, `ttl`, and `status_list` with `bits` and `lst`.
 */
export async function signStatusListToken(input: StatusListTokenInput, signer: Signer): Promise<string> {
  const iat = numericDate(input.now);
  const payload = {
    iss: input.issuer,
    sub: input.uri,
    iat,
    exp: iat + input.ttlSeconds,
    ttl: input.ttlSeconds,
    status_list: { bits: bitsFor(input.purpose), lst: await encodeLst(statusBytes(input.setIndexes, input.size, input.purpose)) },
  };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: "EdDSA", typ: STATUS_LIST_JWT_TYP, kid: signer.kid })
    .sign(signer.privateKey);
}
