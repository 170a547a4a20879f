/**
 * POST /api/verify is open to anyone, so it gets whatever anyone sends. Whatever it is, the answer is a clear 4xx
 * (a problem document with a stable `code`, or a verification result whose failed check says why), never a 500, and
 * nothing is fetched from the network.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { signVcJwt, verifyCompactJws } from "../src/credentials/jwt.js";
import { base64url, fromBase64url } from "../src/lib/ids.js";
import { accreditedProvider, eventWithParticipants, issued, PUBLIC_URL, startSenim, type TestSenim } from "./helpers.js";
import { CHECKS } from "../src/credentials/checks.js";

const VC_V2 = "https://www.w3.org/ns/credentials/v2";
const VERIFY_LIMIT = 256 * 1024;

const enc = (value: unknown): string => base64url(new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value)));
const dec = (part: string): any => JSON.parse(new TextDecoder().decode(fromBase64url(part)));

interface Split {
  header: Record<string, any>;
  payload: Record<string, any>;
  h: string;
  p: string;
  sig: string;
}
function split(jwt: string): Split {
  const [h, p, sig] = jwt.split(".") as [string, string, string];
  return { header: dec(h), payload: dec(p), h, p, sig };
}

let s: TestSenim;
let fetchSpy: MockInstance<typeof fetch>;

beforeEach(() => {
  // A guard, not a stand-in: anything that tries to reach the network fails the test loudly.
  fetchSpy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
    throw new Error(`network access attempted: ${String(input instanceof Request ? input.url : input)}`);
  });
});
afterEach(() => {
  expect(fetchSpy).not.toHaveBeenCalled();
  fetchSpy.mockRestore();
});

/** Sends to /api/verify and checks the answer is never a 500 and always JSON. */
async function verify(o: { body?: unknown; raw?: string; headers?: Record<string, string> }) {
  const res = await s.call("POST", "/api/verify", o);
  expect(res.status, res.text.slice(0, 500)).toBeGreaterThanOrEqual(200);
  expect(res.status, res.text.slice(0, 500)).toBeLessThan(500);
  expect(res.body, `not JSON: ${res.text.slice(0, 200)}`).toBeDefined();
  return res;
}

/** A 4xx problem document (RFC 9457) with the given stable code. */
function expectProblem(res: Awaited<ReturnType<typeof verify>>, status: number, code: string) {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: `urn:senim:problem:${code}`, status });
  expect(typeof res.body.title).toBe("string");
  expect(typeof res.body.detail).toBe("string");
}

/** A 422 verification result in which `check` failed with `code`. */
function expectFailedCheck(res: Awaited<ReturnType<typeof verify>>, check: string, code: string) {
  expect(res.status, res.text.slice(0, 500)).toBe(422);
  expect(res.body.verified).toBe(false);
  expect(res.body.checks).toHaveLength(CHECKS.length);
  expect(res.body.checks.find((c: { check: string }) => c.check === check)).toMatchObject({ outcome: "failed", code });
}

describe("POST /api/verify against hostile input", () => {
  let jwt: string;
  let certUrl: string;
  let certId: string;
  let providerA: Awaited<ReturnType<typeof accreditedProvider>>;

  beforeAll(async () => {
    s = await startSenim();
    const out = await issued(s, 2);
    providerA = out.provider;
    certId = out.certificates[0]!.id;
    certUrl = out.certificates[0]!.url;
    jwt = (await s.call("GET", `/api/certificates/${certId}`)).body.jwt;
  });
  afterAll(async () => s?.close());

  it("control: the genuine vc+jwt verifies (200), as JSON and as a raw application/vc+jwt body", async () => {
    expect((await verify({ body: { jwt } })).status).toBe(200);
    const raw = await verify({ raw: jwt, headers: { "content-type": "application/vc+jwt" } });
    expect(raw.status).toBe(200);
    expect(raw.body.checks.every((c: { outcome: string }) => c.outcome === "passed")).toBe(true);
  });

  // ---- size and shape ----------------------------------------------------------------------------------------

  it("a body over 256 KB is refused with 413 payload_too_large, whether or not it declares its length", async () => {
    const big = JSON.stringify({ jwt: "a".repeat(VERIFY_LIMIT) });
    expect(big.length).toBeGreaterThan(VERIFY_LIMIT);
    expectProblem(await verify({ raw: big, headers: { "content-type": "application/json" } }), 413, "payload_too_large");
    expectProblem(await verify({ raw: big, headers: { "content-type": "application/json", "content-length": String(big.length) } }), 413, "payload_too_large");
    expectProblem(await verify({ raw: "x".repeat(VERIFY_LIMIT + 1), headers: { "content-type": "application/vc+jwt" } }), 413, "payload_too_large");
  });

  it("a body of exactly 256 KB is read (and refused as not a credential, not as too large)", async () => {
    const pad = VERIFY_LIMIT - JSON.stringify({ jwt: "" }).length;
    const body = JSON.stringify({ jwt: "a".repeat(pad) });
    expect(body.length).toBe(VERIFY_LIMIT);
    expectProblem(await verify({ raw: body, headers: { "content-type": "application/json" } }), 400, "not_a_credential");
  });

  it("a vc+jwt longer than 32 KB is not a credential (400), even when it fits the body limit", async () => {
    const { h, p, sig } = split(jwt);
    const long = `${h}.${p}${"A".repeat(40 * 1024)}.${sig}`;
    expectProblem(await verify({ body: { jwt: long } }), 400, "not_a_credential");
  });

  it("a body that is not JSON is 400 invalid_json", async () => {
    for (const raw of ["{", "{jwt: 'x'}", "not json", "\u0000\u0001", '{"jwt":"a"}}']) {
      expectProblem(await verify({ raw, headers: { "content-type": "application/json" } }), 400, "invalid_json");
    }
  });

  it("an empty body is 400, not a crash", async () => {
    expectProblem(await verify({ raw: "", headers: { "content-type": "application/json" } }), 400, "invalid_json");
    expectProblem(await verify({ raw: "", headers: { "content-type": "application/vc+jwt" } }), 400, "not_a_credential");
  });

  it("a content type other than JSON or vc+jwt is 415 unsupported_media_type", async () => {
    for (const type of ["text/html", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "image/png"]) {
      expectProblem(await verify({ raw: JSON.stringify({ jwt }), headers: { "content-type": type } }), 415, "unsupported_media_type");
    }
  });

  it("{} and other JSON that names nothing to verify are 400 not_a_credential", async () => {
    for (const body of [{}, [], null, 42, "text", true, { jwt: 5 }, { url: null }, { credential: [] }, { credential: 7 }, { foo: "bar" }]) {
      expectProblem(await verify({ raw: JSON.stringify(body), headers: { "content-type": "application/json" } }), 400, "not_a_credential");
    }
  });

  it("malformed base64url or JSON inside a compact JWS is 400 not_a_credential", async () => {
    const { h, p, sig } = split(jwt);
    const bad = [
      "abc.def!.ghi",
      "ä.ö.ü",
      "....",
      "..",
      "a.b",
      `${h}.${p}`,
      `${h}.${p}.${sig}.extra`,
      `${h}.%%%.${sig}`,
      `${h}.${p}.${sig}!`,
      `${enc("not json")}.${p}.${sig}`,
      `${h}.${enc("not json")}.${sig}`,
      `${enc([1, 2])}.${p}.${sig}`, // header is not an object
      `${h}.${enc({ hello: "world" })}.${sig}`, // JSON, but not a credential
      `${h}.${base64url(new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]))}.${sig}`, // not UTF-8
      `${h}.${p.slice(0, -1)}.${sig}`, // truncated: no longer valid JSON
      "eyJ",
    ];
    for (const token of bad) {
      expectProblem(await verify({ body: { jwt: token } }), 400, "not_a_credential");
      expectProblem(await verify({ raw: token, headers: { "content-type": "application/vc+jwt" } }), 400, "not_a_credential");
    }
  });

  it("JSON bomb: arrays nested 100,000 deep (within the size limit) are 400 not_a_credential", async () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    expect(deep.length).toBeLessThan(VERIFY_LIMIT);
    expectProblem(await verify({ raw: deep, headers: { "content-type": "application/json" } }), 400, "not_a_credential");
    const wrapped = `{"credential":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    expectProblem(await verify({ raw: wrapped, headers: { "content-type": "application/json" } }), 400, "not_a_credential");
  });

  it("JSON bomb: objects nested 40,000 deep inside a credential-shaped body are 400 not_a_credential", async () => {
    const deep = `{"@context":["${VC_V2}"],"type":["VerifiableCredential"],"credentialSubject":${'{"a":'.repeat(40_000)}0${"}".repeat(40_000)}}`;
    expect(deep.length).toBeLessThan(VERIFY_LIMIT);
    expectProblem(await verify({ raw: deep, headers: { "content-type": "application/json" } }), 400, "not_a_credential");
  });

  it("33 levels of nesting are refused, 32 are looked at", async () => {
    const nest = (n: number) => `{"credential":{"@context":["${VC_V2}"],"type":["VerifiableCredential"],"x":${"[".repeat(n - 2)}${"]".repeat(n - 2)}}}`; // body, credential, then n - 2 arrays: n levels
    expectProblem(await verify({ raw: nest(33), headers: { "content-type": "application/json" } }), 400, "not_a_credential");
    // 32 levels: depth is fine, and a credential without proof from elsewhere is a failed check, not a 400.
    expectFailedCheck(await verify({ raw: nest(32), headers: { "content-type": "application/json" } }), "signature", "no-supported-proof");
  });

  it("JSON bomb: a 200,000-key object cannot fit in 256 KB (413); the widest that fits is 400 not_a_credential", async () => {
    const wide = (n: number) => "{" + Array.from({ length: n }, (_, i) => `"${i.toString(36)}":0`).join(",") + "}";
    const huge = wide(200_000);
    expect(huge.length).toBeGreaterThan(VERIFY_LIMIT);
    expectProblem(await verify({ raw: huge, headers: { "content-type": "application/json" } }), 413, "payload_too_large");
    const fits = wide(30_000);
    expect(fits.length).toBeLessThan(VERIFY_LIMIT);
    expectProblem(await verify({ raw: fits, headers: { "content-type": "application/json" } }), 400, "not_a_credential");
    expectProblem(await verify({ raw: `{"credential":${fits}}`, headers: { "content-type": "application/json" } }), 400, "not_a_credential");
  });

  it("a genuine certificate's JSON padded with 10,000 extra members is 422 content-differs, quickly", async () => {
    const json = (await s.call("GET", `/c/${certId}/credential.json`)).body;
    for (let i = 0; i < 10_000; i++) json[`x${i}`] = i;
    const started = performance.now();
    expectFailedCheck(await verify({ body: { credential: json } }), "signature", "content-differs");
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  // ---- algorithms and keys -----------------------------------------------------------------------------------

  it("alg none over a genuine certificate's payload is 422 with signature algorithm-not-allowed", async () => {
    const { header, p } = split(jwt);
    for (const alg of ["none", "None", "NONE", ""]) {
      const token = `${enc({ ...header, alg })}.${p}.`;
      const res = await verify({ body: { jwt: token } });
      expectFailedCheck(res, "signature", "algorithm-not-allowed");
      // Nothing downstream of an unsigned credential is vouched for.
      for (const c of ["key", "accreditation", "status", "validity"]) {
        expect(res.body.checks.find((x: { check: string }) => x.check === c).outcome).toBe("not-checked");
      }
    }
  });

  it("alg none with a payload that is not a credential is 400 not_a_credential", async () => {
    expectProblem(await verify({ body: { jwt: `${enc({ alg: "none" })}.${enc({ sub: "x" })}.` } }), 400, "not_a_credential");
  });

  it("HS256 signed with the issuer's public key bytes as the HMAC secret (key confusion) is 422, signature failed", async () => {
    const { header, p } = split(jwt);
    const did = await s.call("GET", `/parties/${providerA.party.id}/did.json`);
    const jwk = did.body.verificationMethod.find((m: { id: string }) => m.id === header.kid).publicKeyJwk;
    const secrets: Uint8Array<ArrayBuffer>[] = [fromBase64url(jwk.x), new TextEncoder().encode(JSON.stringify(jwk))];
    for (const secret of secrets) {
      for (const alg of ["HS256", "HS512"]) {
        const h = enc({ ...header, alg });
        const hash = alg === "HS256" ? "SHA-256" : "SHA-512";
        const key = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash }, false, ["sign"]);
        const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${h}.${p}`)));
        const token = `${h}.${p}.${base64url(mac)}`;
        expectFailedCheck(await verify({ body: { jwt: token } }), "signature", "algorithm-not-allowed");
        // And at the primitive: verifyCompactJws with the real Ed25519 public key refuses the algorithm.
        const publicKey = await crypto.subtle.importKey("jwk", jwk, { name: "Ed25519" }, true, ["verify"]);
        expect(await verifyCompactJws(token, publicKey)).toEqual({ ok: false, reason: "bad-algorithm" });
      }
    }
  });

  it("an HMAC signature under an EdDSA header is 422 signature-invalid", async () => {
    const { h, p, header } = split(jwt);
    const did = await s.call("GET", `/parties/${providerA.party.id}/did.json`);
    const jwk = did.body.verificationMethod.find((m: { id: string }) => m.id === header.kid).publicKeyJwk;
    const key = await crypto.subtle.importKey("raw", fromBase64url(jwk.x), { name: "HMAC", hash: "SHA-512" }, false, ["sign"]);
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${h}.${p}`))); // 64 bytes, like Ed25519
    expectFailedCheck(await verify({ body: { jwt: `${h}.${p}.${base64url(mac)}` } }), "signature", "signature-invalid");
  });

  it("other algorithms (ES256, RS256, PS256, Ed448) are 422 algorithm-not-allowed", async () => {
    const { header, p, sig } = split(jwt);
    for (const alg of ["ES256", "RS256", "PS256", "Ed448", "ES256K", "eddsa"]) {
      expectFailedCheck(await verify({ body: { jwt: `${enc({ ...header, alg })}.${p}.${sig}` } }), "signature", "algorithm-not-allowed");
    }
  });

  it("an unknown kid is 422 unknown-key", async () => {
    const { header, p, sig } = split(jwt);
    for (const kid of [`did:web:senim.test:parties:nobody#key-1`, `${header.kid}x`, "https://evil.example/keys/1", "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"]) {
      expectFailedCheck(await verify({ body: { jwt: `${enc({ ...header, kid })}.${p}.${sig}` } }), "signature", "unknown-key");
    }
  });

  it("a missing, non-string or absurdly long kid is 422 no-key-id", async () => {
    const { header, p, sig } = split(jwt);
    const { kid: _drop, ...noKid } = header;
    for (const h of [noKid, { ...header, kid: 42 }, { ...header, kid: null }, { ...header, kid: "" }, { ...header, kid: "k".repeat(513) }]) {
      expectFailedCheck(await verify({ body: { jwt: `${enc(h)}.${p}.${sig}` } }), "signature", "no-key-id");
    }
  });

  it("a typ other than vc+jwt is 422 wrong-media-type", async () => {
    const { header, p, sig } = split(jwt);
    for (const typ of ["JWT", "vp+jwt", "bad+typ", 5]) {
      expectFailedCheck(await verify({ body: { jwt: `${enc({ ...header, typ })}.${p}.${sig}` } }), "signature", "wrong-media-type");
    }
  });

  it("a genuine certificate with its hours changed is 422 signature-invalid (even when the change is self-consistent)", async () => {
    const { h, payload, sig } = split(jwt);
    const a = payload.credentialSubject.achievement;
    expect(a.durationMinutes).toBe(360);
    // Consistent per 10.6 (720 minutes = 16 academic hours), so the format check passes and only the signature fails.
    const forged = structuredClone(payload);
    Object.assign(forged.credentialSubject.achievement, { durationMinutes: 720, academicHours: 16, creditsAvailable: 16 });
    forged.credentialSubject.creditsEarned = 16;
    const res = await verify({ body: { jwt: `${h}.${enc(forged)}.${sig}` } });
    expectFailedCheck(res, "signature", "signature-invalid");
    expect(res.body.checks.find((c: { check: string }) => c.check === "format").outcome).toBe("passed");
    // The naive edit (hours only) breaks 10.6 as well.
    const naive = structuredClone(payload);
    naive.credentialSubject.achievement.academicHours = 80;
    const res2 = await verify({ body: { jwt: `${h}.${enc(naive)}.${sig}` } });
    expectFailedCheck(res2, "signature", "signature-invalid");
    expectFailedCheck(res2, "format", "malformed-certificate");
  });

  it("a genuine certificate with one signature bit flipped, or with a truncated signature, is 422 signature-invalid", async () => {
    const { h, p, sig } = split(jwt);
    const bytes = fromBase64url(sig);
    bytes[10]! ^= 0x01;
    expectFailedCheck(await verify({ body: { jwt: `${h}.${p}.${base64url(bytes)}` } }), "signature", "signature-invalid");
    expectFailedCheck(await verify({ body: { jwt: `${h}.${p}.${base64url(bytes.subarray(0, 63))}` } }), "signature", "signature-invalid");
    expectFailedCheck(await verify({ body: { jwt: `${h}.${p}.` } }), "signature", "signature-invalid");
  });

  it("party B's certificate with its kid swapped to party A's key is 422 (the key is not B's)", async () => {
    const providerB = await accreditedProvider(s, { name: "Екінші орталық" });
    const event = await eventWithParticipants(s, providerB.token, { n: 1 });
    const issuedB = await s.call("POST", `/api/events/${event.id}/certificates`, { token: providerB.token });
    expect(issuedB.status).toBe(201);
    const jwtB = (await s.call("GET", `/api/certificates/${issuedB.body.certificates[0].id}`)).body.jwt as string;
    expect((await verify({ body: { jwt: jwtB } })).status).toBe(200);

    const a = split(jwt);
    const b = split(jwtB);
    expect(a.header.kid).not.toBe(b.header.kid);
    // B's payload and signature under A's kid: A's key does not belong to B, the issuer.
    expectFailedCheck(await verify({ body: { jwt: `${enc({ ...b.header, kid: a.header.kid })}.${b.p}.${b.sig}` } }), "signature", "key-not-issuers");
    // B's certificate rewritten to name A as its issuer, under A's kid: A's key did not sign it.
    const asA = { ...b.payload, issuer: a.payload.issuer };
    expectFailedCheck(await verify({ body: { jwt: `${enc({ ...b.header, kid: a.header.kid })}.${enc(asA)}.${b.sig}` } }), "signature", "signature-invalid");
  });

  it("party A's credential genuinely signed with party B's key is 422 key-not-issuers", async () => {
    const providerB = await accreditedProvider(s, { name: "Үшінші орталық" });
    const signerB = await s.services.registry.signerFor(providerB.party.id, s.services.registry.now());
    const resigned = await signVcJwt(split(jwt).payload, signerB);
    expectFailedCheck(await verify({ body: { jwt: resigned } }), "signature", "key-not-issuers");
  });

  it("a status list credential is signed by the issuer but is not a certificate: it verifies as a generic credential, with no certificate summary", async () => {
    const cert = (await s.call("GET", `/api/certificates/${certId}`)).body;
    const listUrl = cert.credential.credentialStatus.statusListCredential as string;
    const list = await (await s.app.request(listUrl)).text();
    const res = await verify({ body: { jwt: list } });
    expect(res.status).toBe(200);
    expect(res.body.profile).toBe("generic");
    expect(res.body.summary).toBeNull();
  });

  // ---- URLs ----------------------------------------------------------------------------------------------------

  it("an external URL is 400 not_a_credential and nothing is fetched", async () => {
    for (const url of [
      "https://evil.example/c/abc",
      "http://senim.test/c/abc", // wrong scheme
      "https://senim.test.evil.example/c/abc",
      `${PUBLIC_URL}/c/abc@evil.example`,
      `${PUBLIC_URL}/c/../../etc/passwd`,
      `${PUBLIC_URL}/c/`,
      `${PUBLIC_URL}/c/${"a".repeat(41)}`,
      "file:///etc/passwd",
      "javascript:alert(1)",
      "",
    ]) {
      expectProblem(await verify({ body: { url } }), 400, "not_a_credential");
    }
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("a URL of this service naming no certificate is 400 not_a_credential", async () => {
    expectProblem(await verify({ body: { url: `${PUBLIC_URL}/c/nosuchcertificate` } }), 400, "not_a_credential");
  });

  it("the certificate's own URL, with a query or fragment, verifies (200)", async () => {
    expect((await verify({ body: { url: certUrl } })).status).toBe(200);
    expect((await verify({ body: { url: `${certUrl}?utm=qr` } })).status).toBe(200);
    expect((await verify({ body: { url: ` ${certUrl}#top ` } })).status).toBe(200);
  });

  // ---- JSON credentials ----------------------------------------------------------------------------------------

  it("a JSON credential without proof, not issued here, is 422 with signature no-supported-proof", async () => {
    const credential = {
      "@context": [VC_V2],
      id: "urn:uuid:6a9c92a9-2530-4e2b-9776-530467e9bbe0",
      type: ["VerifiableCredential"],
      issuer: "did:example:issuer",
      validFrom: "2026-01-01T00:00:00Z",
      credentialSubject: { id: "did:example:subject", hours: 40 },
    };
    const res = await verify({ body: { credential } });
    expectFailedCheck(res, "signature", "no-supported-proof");
    expect(res.body.checks.filter((c: { outcome: string }) => c.outcome === "passed")).toEqual([]);
    // Sent bare (the body is the credential itself), the same.
    expectFailedCheck(await verify({ body: credential }), "signature", "no-supported-proof");
    // Claiming one of our certificate URLs as its id does not help: it must equal what was signed.
    expectFailedCheck(await verify({ body: { credential: { ...credential, id: certUrl } } }), "signature", "content-differs");
  });

  it("a Data Integrity-signed Open Badge (ob3 vector) is 422 unknown-key (its key is on a host we never fetch from), not 500", async () => {
    const ob = JSON.parse(readFileSync(resolve(import.meta.dirname, "vectors/ob3/signed-openbadgecredential.json"), "utf8"));
    expect(ob.proof).toBeDefined();
    const res = await verify({ body: { credential: ob } });
    expect(res.status).toBe(422);
    expect(res.body.checks.find((c: { check: string }) => c.check === "signature")).toMatchObject({ outcome: "failed", code: "unknown-key" });
  });

  it("a JSON object that is not a verifiable credential is 400 not_a_credential", async () => {
    for (const credential of [{ type: ["Thing"] }, { type: "Thing", "@context": [VC_V2] }, { "@context": [VC_V2] }]) {
      expectProblem(await verify({ body: { credential } }), 400, "not_a_credential");
    }
  });

  it("the .json download of a real certificate verifies (200); the same JSON with a field changed is 422 content-differs", async () => {
    const dl = await s.call("GET", `/c/${certId}/credential.json`);
    expect(dl.status).toBe(200);
    expect(dl.headers.get("content-type")).toMatch(/^application\/vc\+json/);
    const json = dl.body;
    const ok = await verify({ body: { credential: json } });
    expect(ok.status).toBe(200);
    expect(ok.body.verified).toBe(true);
    // The download itself, as the whole body, and with content type application/vc.
    expect((await verify({ raw: dl.text, headers: { "content-type": "application/json" } })).status).toBe(200);
    expect((await verify({ raw: dl.text, headers: { "content-type": "application/vc" } })).status).toBe(200);
    // Member order does not matter.
    const reordered = Object.fromEntries(Object.entries(json).reverse());
    expect((await verify({ body: { credential: reordered } })).status).toBe(200);

    const changes: ((c: any) => void)[] = [
      (c) => (c.credentialSubject.achievement.durationMinutes = 720),
      (c) => (c.credentialSubject.identifier[0].identityHash = "Someone Else"),
      (c) => (c.validUntil = "2099-01-01T00:00:00Z"),
      (c) => delete c.credentialStatus,
      (c) => (c.credentialSubject.achievement.trainers = [...c.credentialSubject.achievement.trainers, "Extra"]),
      (c) => (c.credentialSubject.creditsEarned = String(c.credentialSubject.creditsEarned)),
    ];
    for (const change of changes) {
      const altered = structuredClone(json);
      change(altered);
      const res = await verify({ body: { credential: altered } });
      expectFailedCheck(res, "signature", "content-differs");
      for (const c of ["key", "accreditation", "status", "validity"]) {
        expect(res.body.checks.find((x: { check: string }) => x.check === c).outcome).toBe("not-checked");
      }
      // Nothing of an altered certificate is vouched for, not even a summary.
      expect(res.body.summary).toBeNull();
      expect(res.body).not.toHaveProperty("credential");
    }
  });

  it("an EnvelopedVerifiableCredential carrying the vc+jwt verifies (200)", async () => {
    const envelope = { "@context": [VC_V2], type: "EnvelopedVerifiableCredential", id: `data:application/vc+jwt,${jwt}` };
    const res = await verify({ body: envelope });
    expect(res.status).toBe(200);
    expect(res.body.verified).toBe(true);
    expect((await verify({ body: { credential: envelope } })).status).toBe(200);
    expect((await verify({ body: { verifiableCredential: { ...envelope, type: ["EnvelopedVerifiableCredential"] } } })).status).toBe(200);
  });

  it("an EnvelopedVerifiableCredential with a tampered or foreign payload fails like the vc+jwt would", async () => {
    const { h, payload, sig, header, p } = split(jwt);
    const forged = structuredClone(payload);
    forged.credentialSubject.identifier[0].identityHash = "Someone Else";
    const tampered = { "@context": [VC_V2], type: "EnvelopedVerifiableCredential", id: `data:application/vc+jwt,${h}.${enc(forged)}.${sig}` };
    expectFailedCheck(await verify({ body: tampered }), "signature", "signature-invalid");
    const none = { "@context": [VC_V2], type: "EnvelopedVerifiableCredential", id: `data:application/vc+jwt,${enc({ ...header, alg: "none" })}.${p}.` };
    expectFailedCheck(await verify({ body: none }), "signature", "algorithm-not-allowed");
  });

  it("an EnvelopedVerifiableCredential without a data:application/vc+jwt id, or with garbage in it, is 400 not_a_credential", async () => {
    for (const id of [`data:text/plain,${jwt}`, `data:application/vc+jwt;base64,${jwt}`, "https://evil.example/vc", "data:application/vc+jwt,garbage", 5]) {
      expectProblem(await verify({ body: { "@context": [VC_V2], type: "EnvelopedVerifiableCredential", id } }), 400, "not_a_credential");
    }
  });

  it("__proto__ and constructor members are plain data, not a way in", async () => {
    const raw = `{"__proto__":{"jwt":${JSON.stringify(jwt)}},"constructor":{"prototype":{"verified":true}}}`;
    expectProblem(await verify({ raw, headers: { "content-type": "application/json" } }), 400, "not_a_credential");
    const json = (await s.call("GET", `/c/${certId}/credential.json`)).text;
    const polluted = json.replace(/^\{/, '{"__proto__":{"x":1},');
    expectFailedCheck(await verify({ raw: polluted, headers: { "content-type": "application/json" } }), "signature", "content-differs");
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe("input hygiene (issue 12): NUL characters, forms and websites, before any store sees them", () => {
  let h: TestSenim;
  beforeAll(async () => {
    h = await startSenim();
  });
  afterAll(async () => {
    expect(h.loggedErrors).toEqual([]);
    await h.close();
  });

  const refusedNul = (res: { status: number; body: any; text: string }, path?: string) => {
    expect({ status: res.status, code: res.body?.code }, res.text.slice(0, 300)).toEqual({ status: 400, code: "invalid_request" });
    expect(res.body.detail).toContain("U+0000");
    if (path !== undefined) expect(res.body.errors?.[0]?.path).toBe(path);
  };

  it("a \\u0000 escape is a NUL and refused, naming the field; an escaped backslash before u0000 is plain text", async () => {
    refusedNul(await h.call("POST", "/api/verify", { raw: '{"jwt":"ab\\u0000c"}', headers: { "content-type": "application/json" } }), "jwt");
    refusedNul(await h.call("POST", "/api/verify", { raw: '{"credential":{"credentialSubject":[{"name":"\\u0000"}]}}', headers: { "content-type": "application/json" } }), "credential/credentialSubject/0/name");
    const plain = await h.call("POST", "/api/verify", { raw: '{"jwt":"ab\\\\u0000c"}', headers: { "content-type": "application/json" } });
    expect(plain.body.code).toBe("not_a_credential");
    // Not JSON at all (a raw NUL byte) is still refused, and a raw vc+jwt body with one too.
    expect((await h.call("POST", "/api/verify", { raw: '{"jwt":"a\u0000"}', headers: { "content-type": "application/json" } })).status).toBe(400);
    refusedNul(await h.call("POST", "/api/verify", { raw: "eyJ.eyJ.\u0000", headers: { "content-type": "application/vc+jwt" } }), "");
  });

  it("a NUL at the bottom of arrays nested 100,000 deep is found without overflowing the stack, quickly", async () => {
    const depth = 100_000;
    const start = performance.now();
    const res = await h.call("POST", "/api/verify", { raw: `${"[".repeat(depth)}"\\u0000"${"]".repeat(depth)}`, headers: { "content-type": "application/json" } });
    refusedNul(res);
    expect(res.body.errors[0].path.length).toBeLessThanOrEqual(201);
    expect(performance.now() - start).toBeLessThan(2_000);
  });

  it("a NUL in a key of a validated JSON body is refused too (hono's validator would have called it malformed JSON)", async () => {
    refusedNul(await h.call("POST", "/api/parties", { token: h.adminToken, raw: '{"kind":"centre","name":"X","barId":"almaty-city","\\u0000":1}', headers: { "content-type": "application/json" } }), "\\u0000");
  });

  it("12.3: a participant CSV with a NUL byte is refused whole (400), nothing stored", async () => {
    const p = await accreditedProvider(h);
    const ev = await eventWithParticipants(h, p.token, { n: 1 });
    const csv = "licence,name,bar\n555001,Әлия\u0000,almaty-city\n";
    refusedNul(await h.call("PUT", `/api/events/${ev.id}/participants.csv`, { token: p.token, raw: csv, headers: { "content-type": "text/csv" } }));
    expect((await h.call("GET", `/api/events/${ev.id}/participants`, { token: p.token })).body.count).toBe(1);
  });

  it("a form body that cannot be read is 400 wherever a form is parsed, and a form field with %00 is refused", async () => {
    for (const type of ["multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=abc"]) {
      const res = await h.fetch("/console/sign-in", { method: "POST", body: "apiKey=x", headers: { "content-type": type } });
      expect({ type, status: res.status }).toEqual({ type, status: 400 });
      expect(await res.text()).toContain("boundary");
    }
    const nul = await h.fetch("/console/sign-in?lang=en", { method: "POST", body: "apiKey=a%00b", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(nul.status).toBe(400);
    expect(await nul.text()).toContain("The field “apiKey” contains a NUL character (U+0000)");
  });

  it("8.3: a website stored before the rule (javascript:) is not linked on the provider's page; the console refuses one too", async () => {
    const { party } = await accreditedProvider(h, { name: "Ескі сайт" });
    await (h.db as any).updateTable("parties").set({ website: "javascript:alert(document.cookie)" }).where("id", "=", party.id).execute();
    const page = await h.call("GET", `/providers/${party.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Ескі сайт");
    expect(page.text).not.toContain("javascript:");

    // The bar's console registers parties through the same schema.
    let cookie = "";
    const post = async (path: string, form: Record<string, string>) => {
      const res = await h.fetch(path, { method: "POST", body: new URLSearchParams(form), headers: { cookie, "content-type": "application/x-www-form-urlencoded" } });
      const set = res.headers.get("set-cookie");
      if (set?.startsWith("senim_session=")) cookie = set.split(";")[0]!;
      return { status: res.status, text: await res.text() };
    };
    expect((await post("/console/sign-in", { apiKey: h.adminToken })).status).toBe(303);
    const home = await h.fetch("/console", { headers: { cookie } });
    const csrf = /name="_csrf" value="([0-9a-f]{64})"/.exec(await home.text())![1]!;
    const refused = await post("/console/parties", { _csrf: csrf, kind: "centre", name: "Жалған сайт", barId: "almaty-city", website: "javascript:alert(1)" });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("website");
  });
});
