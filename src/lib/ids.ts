/** Identifiers and tokens from the Web Crypto RNG (available in Node and Workers alike). */

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case: no i, l, o, u

/** A random id of `length` base32 characters (5 bits each); 20 characters carry 100 bits. */
export function newId(length = 20): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = "";
  for (const b of bytes) out += ALPHABET[b & 31];
  return out;
}

/** A bearer token: a recognisable prefix (so secret scanners can find leaked ones) and 256 random bits. */
export function newToken(): string {
  return `snm_${base64url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

export function base64url(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const B64URL_VALUE = new Int16Array(128).fill(-1);
for (let i = 0; i < B64URL.length; i++) B64URL_VALUE[B64URL.charCodeAt(i)] = i;

/**
 * Strict base64url (RFC 4648 §5, no padding) to bytes; throws on any other character or an impossible length.
 * A table-driven decoder: tokens are decoded on every verification, and this is several times faster than
 * replace + atob + a copy loop, on every runtime.
 */
export function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const n = text.length;
  if (n % 4 === 1) throw new TypeError("not base64url");
  const out = new Uint8Array(Math.floor((n * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i);
    const v = code < 128 ? B64URL_VALUE[code]! : -1;
    if (v < 0) throw new TypeError("not base64url");
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
