/**
 * Node's primitives for the hot paths (src/credentials/primitives.ts; installed by src/runtime/node.ts, while workerd
 * keeps Web Crypto): node:crypto with a KeyObject made once per CryptoKey. Ed25519 runs on the libuv thread pool, as
 * Web Crypto's does: `crypto.subtle.verify` and `sign` do the same OpenSSL work there, but first normalise the
 * algorithm, convert their arguments through WebIDL and wrap a promise job around it on the main thread, and the main
 * thread is what bounds a server's verifications per second (bench/README.md, "Where verify CPU goes"). The
 * synchronous node:crypto `verify` was measured too: the least CPU per request, but the main thread then carries the
 * whole signature, and on the 2-core bench machine it served fewer requests per second than either pooled variant.
 * SHA-256 of a few dozen bytes is cheaper done at once than handed to the pool. Results are Web Crypto's
 * (test/node-primitives.test.ts: RFC 8032 and Wycheproof), including refusing a key Web Crypto would refuse.
 */
import { createHash, createHmac, KeyObject, sign, verify } from "node:crypto";
import type { Primitives } from "../credentials/primitives.js";

/** Keys are resolved (and signers made) once and cached, so each CryptoKey meets this map once. */
const keyObjects = new WeakMap<CryptoKey, KeyObject>();

/**
 * What crypto.subtle refuses for an Ed25519 `usage` (an InvalidAccessError) is refused here too: a key of another
 * algorithm would otherwise be used as what it is (node:crypto's sign and verify take any asymmetric key).
 */
function keyObjectOf(key: CryptoKey, usage: "sign" | "verify"): KeyObject {
  if (key.algorithm.name !== "Ed25519" || key.type !== (usage === "sign" ? "private" : "public") || !key.usages.includes(usage)) {
    throw new TypeError(`not an Ed25519 key to ${usage} with`);
  }
  return cachedKeyObject(key);
}

/** The KeyObject of `key`, made once. */
function cachedKeyObject(key: CryptoKey): KeyObject {
  let object = keyObjects.get(key);
  if (object === undefined) {
    object = KeyObject.from(key);
    keyObjects.set(key, object);
  }
  return object;
}

const asBytes = (b: Buffer): Uint8Array<ArrayBuffer> => new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength);

export const nodePrimitives: Primitives = {
  ed25519Verify: (key, signature, data) =>
    new Promise((resolve, reject) => {
      verify(null, data, keyObjectOf(key, "verify"), signature, (error, ok) => (error ? reject(error) : resolve(ok)));
    }),
  ed25519Sign: (key, data) =>
    new Promise((resolve, reject) => {
      sign(null, data, keyObjectOf(key, "sign"), (error, signature) => (error ? reject(error) : resolve(asBytes(signature))));
    }),
  sha256: (data) => asBytes(createHash("sha256").update(data).digest()),
  hmacSha256: (key, data) => asBytes(createHmac("sha256", hmacKeyObjectOf(key)).update(data).digest()),
};

/** As crypto.subtle.sign("HMAC") would: only an HMAC-SHA-256 secret key that may sign. */
function hmacKeyObjectOf(key: CryptoKey): KeyObject {
  const hash = (key.algorithm as { hash?: { name?: string } }).hash?.name;
  if (key.algorithm.name !== "HMAC" || hash !== "SHA-256" || key.type !== "secret" || !key.usages.includes("sign")) throw new TypeError("not an HMAC-SHA-256 key to sign with");
  return cachedKeyObject(key);
}
