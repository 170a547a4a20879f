/**
 * Published test vectors, run through the primitives the service itself uses: jose's CompactSign over a WebCrypto
 * Ed25519 key (as src/registry/keyring.ts imports them), `crypto.subtle.verify("Ed25519", …)`, and
 * src/credentials/jwt.ts. The vector files live in test/vectors (sources and licences in test/vectors/README.md).
 */
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { CompactSign } from "jose";
import { describe, expect, it } from "vitest";
import { joseProblem, jwtTimeProblem } from "../src/credentials/jose-policy.js";
import { decodeCompactJws, verifyCompactJws } from "../src/credentials/jwt.js";
import { base64url, fromBase64url } from "../src/lib/ids.js";

const VECTORS = resolve(import.meta.dirname, "vectors");
const readJson = (rel: string): any => JSON.parse(readFileSync(resolve(VECTORS, rel), "utf8"));
const readText = (rel: string): string => readFileSync(resolve(VECTORS, rel), "utf8").trim();

const hex = (h: string): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
};
const toHex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");

/** PKCS#8 (RFC 8410) wrapping of a 32-byte Ed25519 seed: the form the keyring stores and imports. */
const PKCS8_ED25519_PREFIX = hex("302e020100300506032b657004220420");
function pkcs8FromSeed(seed: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(PKCS8_ED25519_PREFIX.length + seed.length);
  out.set(PKCS8_ED25519_PREFIX);
  out.set(seed, PKCS8_ED25519_PREFIX.length);
  return out;
}

const importPrivate = (seed: Uint8Array) => crypto.subtle.importKey("pkcs8", pkcs8FromSeed(seed), { name: "Ed25519" }, false, ["sign"]);
const importPublicRaw = (pub: Uint8Array<ArrayBuffer>) => crypto.subtle.importKey("raw", pub, { name: "Ed25519" }, true, ["verify"]);
const importPublicJwk = (x: string) => crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x }, { name: "Ed25519" }, true, ["verify"]);

describe("RFC 8037 A.4: Ed25519 JWS", () => {
  const d = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
  const x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
  const payload = "Example of Ed25519 signing";
  const expected =
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

  it("A.4: jose CompactSign with a WebCrypto Ed25519 key (PKCS#8, as the keyring imports) gives the RFC's JWS byte for byte", async () => {
    const key = await importPrivate(fromBase64url(d));
    const jws = await new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader({ alg: "EdDSA" }).sign(key);
    expect(jws).toBe(expected);
  });

  it("A.4: the same key imported as a JWK signs identically", async () => {
    const key = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", d, x }, { name: "Ed25519" }, false, ["sign"]);
    const jws = await new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader({ alg: "EdDSA" }).sign(key);
    expect(jws).toBe(expected);
  });

  it("A.5: verifyCompactJws accepts the RFC's JWS with the public key x", async () => {
    expect(await verifyCompactJws(expected, await importPublicJwk(x))).toEqual({ ok: true });
  });

  it("verifyCompactJws refuses the RFC's JWS with one payload character changed", async () => {
    const [h, p, s] = expected.split(".");
    const tampered = `${h}.${base64url(new TextEncoder().encode(payload.replace("Example", "Exbmple")))}.${s}`;
    expect(p).not.toBe(tampered.split(".")[1]);
    expect(await verifyCompactJws(tampered, await importPublicJwk(x))).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("verifyCompactJws refuses the RFC's JWS under another Ed25519 key", async () => {
    const other = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
    expect(await verifyCompactJws(expected, other.publicKey)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("verifyCompactJws refuses headers it does not understand (crit, b64), other algorithms and truncated signatures", async () => {
    const key = await importPrivate(fromBase64url(d));
    const pub = await importPublicJwk(x);
    // By hand: jose itself refuses to produce a JWS with an extension it does not know.
    const sign = async (header: Record<string, unknown>) => {
      const input = `${base64url(new TextEncoder().encode(JSON.stringify(header)))}.${base64url(new TextEncoder().encode(payload))}`;
      return `${input}.${base64url(new Uint8Array(await crypto.subtle.sign("Ed25519", key, new TextEncoder().encode(input))))}`;
    };
    // Signed correctly, but with a critical extension we do not implement (RFC 7515 §4.1.11): refuse.
    expect(await verifyCompactJws(await sign({ alg: "EdDSA", crit: ["exp"], exp: 1 }), pub)).toEqual({ ok: false, reason: "malformed" });
    expect(await verifyCompactJws(await sign({ alg: "EdDSA", b64: true, crit: ["b64"] }), pub)).toEqual({ ok: false, reason: "malformed" });
    const [h, p, sig] = expected.split(".") as [string, string, string];
    expect(await verifyCompactJws(`${h}.${p}.${sig.slice(0, 40)}`, pub)).toEqual({ ok: false, reason: "bad-signature" });
    const none = `${base64url(new TextEncoder().encode('{"alg":"none"}'))}.${p}.`;
    expect(await verifyCompactJws(none, pub)).toEqual({ ok: false, reason: "bad-algorithm" });
    expect(await verifyCompactJws(`${h}.${p}`, pub)).toEqual({ ok: false, reason: "malformed" });
  });

  it("decodeCompactJws reads the RFC's header; its payload is not JSON, so it is not a credential", () => {
    // The payload is plain text, not JSON: decodeCompactJws only accepts JSON payloads.
    expect(decodeCompactJws(expected)).toBeUndefined();
  });
});

describe("RFC 8032 §7.1: Ed25519 test vectors through WebCrypto", () => {
  const cases: { priv: string; pub: string; msg: string; sig: string }[] = readJson("rfc/rfc8032-ed25519.json");

  it("has the four RFC 8032 §7.1 cases", () => {
    expect(cases).toHaveLength(4);
  });

  it.each(cases.map((c, i) => [i + 1, c] as const))("§7.1 TEST %i: signing is deterministic and gives the RFC signature", async (_n, c) => {
    const key = await importPrivate(hex(c.priv));
    const sig = new Uint8Array(await crypto.subtle.sign("Ed25519", key, hex(c.msg)));
    expect(toHex(sig)).toBe(c.sig);
  });

  it.each(cases.map((c, i) => [i + 1, c] as const))("§7.1 TEST %i: the signature verifies, and a flipped bit does not", async (_n, c) => {
    const pub = await importPublicRaw(hex(c.pub));
    expect(await crypto.subtle.verify("Ed25519", pub, hex(c.sig), hex(c.msg))).toBe(true);
    const bad = hex(c.sig);
    bad[0]! ^= 0x01;
    expect(await crypto.subtle.verify("Ed25519", pub, bad, hex(c.msg))).toBe(false);
    const otherMsg = hex(c.msg + "00");
    expect(await crypto.subtle.verify("Ed25519", pub, hex(c.sig), otherMsg)).toBe(false);
  });
});

describe("Wycheproof ed25519_test.json through crypto.subtle.verify", () => {
  interface WycheproofTest {
    tcId: number;
    comment: string;
    flags: string[];
    msg: string;
    sig: string;
    result: "valid" | "invalid" | "acceptable";
  }
  interface WycheproofGroup {
    type: string;
    publicKey: { pk: string };
    publicKeyJwk: { x: string };
    tests: WycheproofTest[];
  }
  const file = readJson("rfc/wycheproof-ed25519_test.json") as { algorithm: string; numberOfTests: number; testGroups: WycheproofGroup[] };
  const tests = file.testGroups.flatMap((g) => g.tests.map((t) => ({ ...t, pk: g.publicKey.pk, jwkX: g.publicKeyJwk.x })));

  it("holds every case the file announces (150), valid and invalid", () => {
    expect(file.algorithm).toBe("EDDSA");
    expect(tests).toHaveLength(file.numberOfTests);
    expect(tests.length).toBe(150);
    expect(tests.filter((t) => t.result === "valid").length).toBeGreaterThan(0);
    expect(tests.filter((t) => t.result === "invalid").length).toBeGreaterThan(0);
    // No "acceptable" cases in this file: every verdict below is strict.
    expect(tests.filter((t) => t.result === "acceptable")).toEqual([]);
  });

  it("every group's raw key and JWK name the same public key", () => {
    for (const g of file.testGroups) expect(toHex(fromBase64url(g.publicKeyJwk.x))).toBe(g.publicKey.pk);
  });

  it.each(tests.map((t) => [t.tcId, t.result, t.comment || t.flags.join(","), t] as const))(
    "tcId %i is %s (%s)",
    async (_id, result, _comment, t) => {
      let verified: boolean;
      try {
        const pub = await importPublicRaw(hex(t.pk));
        verified = await crypto.subtle.verify("Ed25519", pub, hex(t.sig), hex(t.msg));
      } catch {
        // A signature or key WebCrypto refuses to even look at is a refusal too.
        verified = false;
      }
      expect(verified).toBe(result === "valid");
    },
  );
});

describe("W3C VC-JOSE-COSE test suite inputs (vc-jose-cose/)", () => {
  const dir = resolve(VECTORS, "vc-jose-cose");
  const vm = readJson("vc-jose-cose/vm-ed25519.json") as { id: string; publicKeyJwk: { kid: string; x: string; crv: string; alg: string } };
  const jose = readdirSync(dir)
    .filter((f) => (f.endsWith(".txt") && f.includes("-jose-")) || f === "credential-issuer-match-signed.txt")
    .map((f) => ({ file: f, token: readText(`vc-jose-cose/${f}`) }));
  const headerOf = (token: string): Record<string, unknown> => JSON.parse(new TextDecoder().decode(fromBase64url(token.split(".")[0]!)));
  const ed25519 = jose.filter((v) => headerOf(v.token).alg === "EdDSA");
  const others = jose.filter((v) => headerOf(v.token).alg !== "EdDSA");

  it("the Ed25519 verification method is an Ed25519 JWK", () => {
    expect(vm.publicKeyJwk).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA" });
  });

  it("finds the EdDSA-signed JOSE vectors by their headers, all naming vm-ed25519.json's kid", () => {
    expect(ed25519.map((v) => v.file).sort()).toEqual([
      "credential-issuer-match-signed.txt",
      "credential-jose-bad-media-type.txt",
      "credential-jose-bad-signature.txt",
      "credential-jose-vc-vp-claims.txt",
      "presentation-jose-bad-credential.txt",
      "presentation-jose-bad-media-type.txt",
    ]);
    for (const v of ed25519) expect(headerOf(v.token).kid).toBe(vm.publicKeyJwk.kid);
  });

  it("credential-jose-bad-signature.txt fails verifyCompactJws with the vm-ed25519.json key (its kid matches)", async () => {
    const token = readText("vc-jose-cose/credential-jose-bad-signature.txt");
    expect(headerOf(token)).toMatchObject({ alg: "EdDSA", typ: "vc+jwt", kid: vm.publicKeyJwk.kid });
    const key = await importPublicJwk(vm.publicKeyJwk.x);
    expect(await verifyCompactJws(token, key)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("every other EdDSA JOSE vector verifies with the vm-ed25519.json key (media-type problems are not signature problems)", async () => {
    const key = await importPublicJwk(vm.publicKeyJwk.x);
    const good = ed25519.filter((v) => v.file !== "credential-jose-bad-signature.txt");
    expect(good.length).toBe(5);
    for (const v of good) expect({ file: v.file, outcome: await verifyCompactJws(v.token, key) }).toEqual({ file: v.file, outcome: { ok: true } });
  });

  it("ES256/ES384/ES512 vectors are refused as bad-algorithm by verifyCompactJws, which accepts EdDSA only", async () => {
    const key = await importPublicJwk(vm.publicKeyJwk.x);
    expect(others.length).toBeGreaterThan(0);
    for (const v of others) {
      expect(String(headerOf(v.token).alg)).toMatch(/^ES(256|384|512)$/);
      expect({ file: v.file, outcome: await verifyCompactJws(v.token, key) }).toEqual({ file: v.file, outcome: { ok: false, reason: "bad-algorithm" } });
    }
  });

  it("decodeCompactJws decodes every JOSE vector: header object and the credential or presentation payload", () => {
    for (const v of jose) {
      const decoded = decodeCompactJws(v.token);
      expect(decoded, v.file).toBeDefined();
      expect(decoded!.header).toEqual(headerOf(v.token));
      const payload = decoded!.payload as Record<string, unknown>;
      expect((payload["@context"] as unknown[])[0]).toBe("https://www.w3.org/ns/credentials/v2");
      const type = payload.type as string[];
      expect(type.includes("VerifiableCredential") || type.includes("VerifiablePresentation"), v.file).toBe(true);
    }
  });

  it("decodeCompactJws refuses COSE and SD-JWT inputs, which are not compact JWS", () => {
    const notJws = readdirSync(dir).filter((f) => f.endsWith(".txt") && (f.includes("-cose-") || f.includes("-sdjwt-")));
    expect(notJws.length).toBeGreaterThan(0);
    for (const f of notJws) {
      const token = readText(`vc-jose-cose/${f}`);
      if (f.includes("-sdjwt-")) expect(token).toContain("~"); // disclosures make the last segment non-base64url
      expect({ f, decoded: decodeCompactJws(token) }).toEqual({ f, decoded: undefined });
    }
  });
});

describe("W3C VC-JOSE-COSE inputs: the outcome each file's name announces (src/credentials/jose-policy.ts)", () => {
  const vm = readJson("vc-jose-cose/vm-ed25519.json") as { publicKeyJwk: { x: string } };
  const dir = resolve(VECTORS, "vc-jose-cose");
  /** What Senim concludes about a JOSE input: the first problem, or "valid". */
  async function outcome(file: string): Promise<string> {
    const token = readText(`vc-jose-cose/${file}`);
    const decoded = decodeCompactJws(token)!;
    const kind = file.startsWith("presentation-") ? "vp" : "vc";
    const problem = joseProblem(decoded.header, decoded.payload, kind);
    if (problem) return problem;
    const signature = await verifyCompactJws(token, await importPublicJwk(vm.publicKeyJwk.x));
    if (!signature.ok) return signature.reason;
    if (kind === "vp") {
      // Every credential in a presentation must itself be an enveloped vc+jwt.
      const vcs = (decoded.payload as { verifiableCredential?: { id?: unknown; type?: unknown }[] }).verifiableCredential ?? [];
      const prefix = "data:application/vc+jwt,";
      if (!vcs.every((v) => v.type === "EnvelopedVerifiableCredential" && typeof v.id === "string" && v.id.startsWith(prefix) && decodeCompactJws(v.id.slice(prefix.length)))) return "credential-invalid";
    }
    return "valid";
  }
  const expected: Record<string, string> = {
    "credential-issuer-match-signed.txt": "valid",
    "credential-jose-bad-signature.txt": "bad-signature",
    "credential-jose-bad-media-type.txt": "wrong-media-type",
    "presentation-jose-bad-media-type.txt": "wrong-media-type",
    "credential-jose-vc-vp-claims.txt": "vc-jwt-1.1-claims",
    "presentation-jose-bad-credential.txt": "credential-invalid",
    // Valid in the suite, but signed with ECDSA: Senim accepts EdDSA only, by policy.
    "credential-jose-minimal.txt": "algorithm-not-allowed",
    "credential-jose-unknown-extensions.txt": "algorithm-not-allowed",
    "presentation-jose-multiple.txt": "algorithm-not-allowed",
  };

  it("covers every JOSE input in the folder", () => {
    const files = readdirSync(dir).filter((f) => f.endsWith(".txt") && (f.includes("-jose-") || f === "credential-issuer-match-signed.txt"));
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [file, want] of Object.entries(expected)) {
    it(`${file} → ${want}`, async () => {
      expect(await outcome(file)).toBe(want);
    });
  }

  it("an iss that names another party than the issuer is refused", () => {
    const payload = { "@context": ["https://www.w3.org/ns/credentials/v2"], type: ["VerifiableCredential"], issuer: "did:key:z6MkA", iss: "did:key:z6MkB" };
    expect(joseProblem({ alg: "EdDSA", typ: "vc+jwt", kid: "did:key:z6MkA#z6MkA" }, payload, "vc")).toBe("issuer-mismatch");
    expect(joseProblem({ alg: "EdDSA", typ: "application/VC+JWT", cty: "vc", kid: "did:key:z6MkA#z6MkA" }, { ...payload, iss: "did:key:z6MkA" }, "vc")).toBeUndefined();
  });

  it("exp and nbf bind a vc+jwt (RFC 7519): a limit that is not a number is refused, a past exp or a future nbf fails validity", () => {
    const payload = { "@context": ["https://www.w3.org/ns/credentials/v2"], type: ["VerifiableCredential"], issuer: "did:key:z6MkA" };
    const header = { alg: "EdDSA", typ: "vc+jwt", kid: "did:key:z6MkA#z6MkA" };
    expect(joseProblem(header, { ...payload, exp: "2030-01-01" }, "vc")).toBe("invalid-jwt-claims");
    expect(joseProblem(header, { ...payload, nbf: null }, "vc")).toBe("invalid-jwt-claims");
    expect(joseProblem(header, { ...payload, exp: 1_900_000_000, nbf: 1_800_000_000 }, "vc")).toBeUndefined();
    expect(jwtTimeProblem({ exp: 1_000 }, 1_000)).toBe("expired");
    expect(jwtTimeProblem({ exp: 1_000 }, 999)).toBeUndefined();
    expect(jwtTimeProblem({ nbf: 2_000 }, 1_000)).toBe("not-yet-valid");
    expect(jwtTimeProblem({ nbf: 1_200 }, 1_000)).toBeUndefined(); // within the clock skew
  });
});
