/**
 * Node's primitives (src/runtime/node-primitives.ts, installed by src/runtime/node.ts) against Web Crypto's, the
 * defaults workerd keeps (src/credentials/primitives.ts): the same Ed25519 verdict on every RFC 8032 §7.1 and
 * Wycheproof case, the RFC's signatures, the same SHA-256, the same refusal of keys Web Crypto would not use, and the
 * same vc+jwt as jose's CompactSign, byte for byte.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { CompactSign } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { installPrimitives, webCryptoPrimitives, type Primitives } from "../src/credentials/primitives.js";
import { signVcJwt, verifyCompactJws } from "../src/credentials/jwt.js";
import { licenceIdentityHash } from "../src/credentials/certificate.js";
import { base64url } from "../src/lib/ids.js";
import { nodePrimitives } from "../src/runtime/node-primitives.js";

const readJson = (rel: string): any => JSON.parse(readFileSync(resolve(import.meta.dirname, "vectors", rel), "utf8"));
const hex = (h: string): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
};
const toHex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
const importPublicRaw = (pub: Uint8Array<ArrayBuffer>) => crypto.subtle.importKey("raw", pub, { name: "Ed25519" }, true, ["verify"]);
const PKCS8_ED25519_PREFIX = hex("302e020100300506032b657004220420");
const importPrivateSeed = (seed: Uint8Array<ArrayBuffer>) => crypto.subtle.importKey("pkcs8", new Uint8Array([...PKCS8_ED25519_PREFIX, ...seed]), { name: "Ed25519" }, false, ["sign"]);
const BOTH: [string, Primitives][] = [["Web Crypto", webCryptoPrimitives], ["node:crypto", nodePrimitives]];

/** A verdict, or "threw" when the primitive refuses the call (the caller reports that as malformed). */
async function verdict(p: Primitives, key: CryptoKey, sig: Uint8Array<ArrayBuffer>, msg: Uint8Array<ArrayBuffer>): Promise<boolean | "threw"> {
  try {
    return await p.ed25519Verify(key, sig, msg);
  } catch {
    return "threw";
  }
}

afterEach(() => installPrimitives(webCryptoPrimitives));

describe("node:crypto primitives give Web Crypto's results", () => {
  const rfc: { priv: string; pub: string; msg: string; sig: string }[] = readJson("rfc/rfc8032-ed25519.json");

  it("RFC 8032 §7.1: both sign to the RFC's signature; it verifies, a flipped bit and another message do not", async () => {
    expect(rfc).toHaveLength(4);
    for (const c of rfc) {
      const priv = await importPrivateSeed(hex(c.priv));
      const pub = await importPublicRaw(hex(c.pub));
      const bad = hex(c.sig);
      bad[0]! ^= 0x01;
      for (const [, p] of BOTH) {
        expect(toHex(await p.ed25519Sign(priv, hex(c.msg)))).toBe(c.sig);
        expect(await verdict(p, pub, hex(c.sig), hex(c.msg))).toBe(true);
        expect(await verdict(p, pub, bad, hex(c.msg))).toBe(false);
        expect(await verdict(p, pub, hex(c.sig), hex(c.msg + "00"))).toBe(false);
      }
    }
  });

  it("Wycheproof ed25519_test.json: the same verdict on all 150 cases, and each the file's", async () => {
    const file = readJson("rfc/wycheproof-ed25519_test.json") as { testGroups: { publicKey: { pk: string }; tests: { tcId: number; msg: string; sig: string; result: string }[] }[] };
    let n = 0;
    for (const g of file.testGroups) {
      const key = await importPublicRaw(hex(g.publicKey.pk));
      for (const t of g.tests) {
        const web = await verdict(webCryptoPrimitives, key, hex(t.sig), hex(t.msg));
        const node = await verdict(nodePrimitives, key, hex(t.sig), hex(t.msg));
        expect(node, `tcId ${t.tcId}`).toEqual(web);
        expect(node === true, `tcId ${t.tcId}`).toBe(t.result === "valid");
        n++;
      }
    }
    expect(n).toBe(150);
  });

  it("refuses what Web Crypto refuses: a P-256 key, a key without the usage, a key of the other kind", async () => {
    const msg = new Uint8Array([1, 2, 3]);
    const sig = new Uint8Array(64);
    const p256 = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const ed = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const noVerify = await crypto.subtle.importKey("raw", await crypto.subtle.exportKey("raw", ed.publicKey), { name: "Ed25519" }, true, []);
    for (const [, p] of BOTH) {
      for (const key of [p256.publicKey, noVerify, ed.privateKey]) expect(await verdict(p, key, sig, msg)).toBe("threw");
      for (const key of [p256.privateKey, ed.publicKey]) await expect(Promise.resolve().then(() => p.ed25519Sign(key, msg))).rejects.toThrow();
    }
  });

  it("SHA-256 is the same (and the licence hash with it)", async () => {
    for (const text of ["", "abc", "123456" + "s".repeat(16), "Қ".repeat(100)]) {
      const data = new TextEncoder().encode(text);
      expect(toHex(await nodePrimitives.sha256(data))).toBe(toHex(await webCryptoPrimitives.sha256(data)));
    }
    expect(toHex(await nodePrimitives.sha256(new TextEncoder().encode("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const web = await licenceIdentityHash("№ 0012345", "salt");
    installPrimitives(nodePrimitives);
    expect(await licenceIdentityHash("№ 0012345", "salt")).toBe(web);
  });

  it("HMAC-SHA-256 is the same, under an HKDF-derived non-extractable key (the keyring's), and RFC 4231 case 2", async () => {
    const root = await crypto.subtle.importKey("raw", new Uint8Array(32).fill(7), "HKDF", false, ["deriveKey"]);
    const derived = await crypto.subtle.deriveKey({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: new TextEncoder().encode("senim/mac/v1/test") }, root, { name: "HMAC", hash: "SHA-256", length: 256 }, false, ["sign"]);
    for (const text of ["", "survey:abc", "Әлия".repeat(100)]) {
      const data = new TextEncoder().encode(text);
      expect(Buffer.from(await nodePrimitives.hmacSha256(derived, data)).toString("hex")).toBe(Buffer.from(await webCryptoPrimitives.hmacSha256(derived, data)).toString("hex"));
    }
    // RFC 4231 §4.3: key "Jefe", data "what do ya want for nothing?".
    const jefe = await crypto.subtle.importKey("raw", new TextEncoder().encode("Jefe"), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const mac = await nodePrimitives.hmacSha256(jefe, new TextEncoder().encode("what do ya want for nothing?"));
    expect(Buffer.from(mac).toString("hex")).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    const sha512 = await crypto.subtle.importKey("raw", new Uint8Array(32), { name: "HMAC", hash: "SHA-512" }, false, ["sign"]);
    expect(() => nodePrimitives.hmacSha256(sha512, new Uint8Array(1))).toThrow();
    const verifyOnly = await crypto.subtle.importKey("raw", new Uint8Array(32), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    expect(() => nodePrimitives.hmacSha256(verifyOnly, new Uint8Array(1))).toThrow();
  });

  it("signVcJwt makes jose's CompactSign token byte for byte, on either primitive, and it verifies on either", async () => {
    const c = rfc[2]!;
    const priv = await importPrivateSeed(hex(c.priv));
    const pub = await importPublicRaw(hex(c.pub));
    const credential = { "@context": ["https://www.w3.org/ns/credentials/v2"], type: ["VerifiableCredential"], issuer: "did:web:senim.test:parties:p", credentialSubject: { name: "Қатысушы ✓ \u2028" } };
    const signer = { kid: "did:web:senim.test:parties:p#key-1", privateKey: priv };
    const jose = await new CompactSign(new TextEncoder().encode(JSON.stringify(credential))).setProtectedHeader({ alg: "EdDSA", typ: "vc+jwt", cty: "vc", kid: signer.kid }).sign(priv);
    const web = await signVcJwt(credential, signer);
    installPrimitives(nodePrimitives);
    const node = await signVcJwt(credential, signer);
    expect(web).toBe(jose);
    expect(node).toBe(jose);
    const altered = jose.replace(/\.(.)/, (_, ch: string) => `.${ch === "A" ? "B" : "A"}`);
    for (const [, p] of BOTH) {
      installPrimitives(p);
      expect(await verifyCompactJws(jose, pub)).toEqual({ ok: true });
      expect(await verifyCompactJws(altered, pub)).toEqual({ ok: false, reason: "bad-signature" });
    }
    expect(base64url(new Uint8Array(0))).toBe("");
  });
});
