/**
 * The W3C VC API (VCALM) endpoints and certificates in both securing forms, over HTTP with a real SQLite database and
 * real Ed25519 keys: did:key issuers (held by the service, and external), did:web parties publishing Multikey and
 * JsonWebKey methods, Bitstring Status List revocation and suspension, and malformed or tampered input per endpoint.
 */
import * as vc from "@digitalbazaar/vc";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { CompactSign } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataIntegrityIssuer, webCryptoEddsaRdfc2022, webCryptoSigner } from "../src/credentials/data-integrity.js";
import { decodeStatusList, bitAt } from "../src/credentials/status-list.js";
import { didKeyFor, ed25519Multibase } from "../src/credentials/multikey.js";
import { fromBase64url } from "../src/lib/ids.js";
import { accreditedProvider, eventWithParticipants, startSenim, type TestSenim } from "./helpers.js";

const VC2 = "https://www.w3.org/ns/credentials/v2";

/** An Ed25519 key pair the test holds itself, named as did:key. */
async function ownDidKey() {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  const did = didKeyFor(raw);
  const multibase = ed25519Multibase(raw);
  return { pair, did, multibase, vm: `${did}#${multibase}` };
}

/** A party registered with a did:key, accredited by its bar, with a provider API key. */
async function didKeyProvider(s: TestSenim, identifier: Record<string, unknown>) {
  const party = await s.call("POST", "/api/parties", { token: s.adminToken, body: { kind: "centre", name: "Did-key орталығы", barId: "almaty-city", identifier } });
  expect(party.status, party.text).toBe(201);
  const acc = await s.call("POST", `/api/parties/${party.body.id}/accreditations`, {
    token: s.adminToken,
    body: { barId: "almaty-city", decisionNumber: "9-П", decisionDate: "2026-01-01", criteria: [{ criterion: "education-licence", evidence: "KZ-EDU-9" }], validFrom: "2026-01-01" },
  });
  expect(acc.status, acc.text).toBe(201);
  const key = await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "provider", partyId: party.body.id, label: "vc-api" } });
  return { party: party.body, token: key.body.token as string };
}

const credentialFor = (issuer: string, extra: Record<string, unknown> = {}) => ({
  "@context": [VC2],
  type: ["VerifiableCredential"],
  id: "urn:uuid:7c1e4f6a-0a4b-4bde-9c57-1b0b9d3a0f11",
  issuer,
  credentialSubject: { id: "did:example:advocate", name: "Әлия Сейтқалиқызы" },
  ...extra,
});

let s: TestSenim;
beforeAll(async () => {
  s = await startSenim();
});
afterAll(async () => {
  expect(s.loggedErrors).toEqual([]);
  await s.close();
});

describe("certificates in both forms (did:web, Multikey and JsonWebKey)", () => {
  it("a did:web party's DID document publishes each key as JsonWebKey and as Multikey, both assertion methods", async () => {
    const p = await accreditedProvider(s);
    const doc = await s.call("GET", `/parties/${p.party.id}/did.json`);
    expect(doc.status).toBe(200);
    const methods = doc.body.verificationMethod as any[];
    expect(methods.map((m) => m.type).sort()).toEqual(["JsonWebKey", "Multikey"]);
    const jwk = methods.find((m) => m.type === "JsonWebKey");
    const mk = methods.find((m) => m.type === "Multikey");
    expect(mk.id).toBe(`${jwk.id}-multikey`);
    expect(mk.publicKeyMultibase).toBe(ed25519Multibase(fromBase64url(jwk.publicKeyJwk.x)));
    expect(doc.body.assertionMethod).toEqual(expect.arrayContaining([jwk.id, mk.id]));
  });

  it("format=di issues certificates with a Data Integrity proof; each verifies in both forms; a jwt-issued one can be fetched as DI", async () => {
    const p = await accreditedProvider(s);
    const ev = await eventWithParticipants(s, p.token, { n: 2 });
    const issued = await s.call("POST", `/api/events/${ev.id}/certificates?format=di`, { token: p.token });
    expect(issued.status, issued.text).toBe(201);
    const id = issued.body.certificates[0].id;
    const cert = await s.call("GET", `/api/certificates/${id}?format=di`);
    expect(cert.status).toBe(200);
    const di = cert.body.dataIntegrity;
    expect(di.proof).toMatchObject({ type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", proofPurpose: "assertionMethod", created: cert.body.issuedAt });
    expect(di.proof.verificationMethod).toMatch(/-multikey$/);
    // The same credential as the vc+jwt carries, plus the proof.
    const { proof: _, ...unsecured } = di;
    expect(unsecured).toEqual(cert.body.credential);
    const viaApi = await s.call("POST", "/api/verify", { body: { credential: di } });
    expect(viaApi.status, viaApi.text).toBe(200);
    expect(viaApi.body.checks.find((c: any) => c.check === "signature").detail).toMatch(/Data Integrity/);
    const viaVcApi = await s.call("POST", "/credentials/verify", { token: p.token, body: { verifiableCredential: di } });
    expect(viaVcApi.status, viaVcApi.text).toBe(200);
    const enveloped = { "@context": [VC2], type: "EnvelopedVerifiableCredential", id: `data:application/vc+jwt,${cert.body.jwt}` };
    expect((await s.call("POST", "/credentials/verify", { token: p.token, body: { verifiableCredential: enveloped } })).status).toBe(200);
    // The public download is the same DI form.
    const dl = await s.call("GET", `/c/${id}/credential.di.json`);
    expect(dl.body).toEqual(di);

    // Issued as vc+jwt only: the DI form is made on first fetch, by the same key, dated at issuance, and then kept.
    const ev2 = await eventWithParticipants(s, p.token, { n: 1 });
    const jwtOnly = await s.call("POST", `/api/events/${ev2.id}/certificates`, { token: p.token });
    const id2 = jwtOnly.body.certificates[0].id;
    const first = await s.call("GET", `/api/certificates/${id2}?format=di`);
    const again = await s.call("GET", `/api/certificates/${id2}?format=di`);
    expect(first.body.dataIntegrity.proof.created).toBe(first.body.issuedAt);
    expect(again.body.dataIntegrity).toEqual(first.body.dataIntegrity);
    expect((await s.call("POST", "/api/verify", { body: { credential: first.body.dataIntegrity } })).status).toBe(200);

    // Tampered DI certificate: 422 with signature-invalid.
    const tampered = structuredClone(di);
    tampered.credentialSubject.achievement.academicHours = 99;
    const bad = await s.call("POST", "/api/verify", { body: { credential: tampered } });
    expect(bad.status).toBe(422);
    expect(bad.body.checks.find((c: any) => c.check === "signature").code).toBe("signature-invalid");
  });

  it("revocation shows in both forms; the status list is served signed as vc+jwt and as Data Integrity, with a cache lifetime", async () => {
    const p = await accreditedProvider(s);
    const ev = await eventWithParticipants(s, p.token, { n: 1 });
    const issued = await s.call("POST", `/api/events/${ev.id}/certificates?format=di`, { token: p.token });
    const id = issued.body.certificates[0].id;
    const cert = await s.call("GET", `/api/certificates/${id}?format=di`);
    expect((await s.call("POST", `/api/certificates/${id}/revocation`, { token: p.token, body: { reason: "Қате берілген" } })).status).toBe(201);
    const verdict = await s.call("POST", "/api/verify", { body: { credential: cert.body.dataIntegrity } });
    expect(verdict.status).toBe(422);
    expect(verdict.body.checks.find((c: any) => c.check === "status").code).toBe("revoked");
    const listUrl: string = cert.body.credential.credentialStatus.statusListCredential;
    const path = new URL(listUrl).pathname;
    const di = await s.call("GET", `${path}?format=di`);
    expect(di.status).toBe(200);
    expect(di.headers.get("cache-control")).toMatch(/max-age=\d+/);
    expect(di.body.proof.cryptosuite).toBe("eddsa-rdfc-2022");
    const bits = await decodeStatusList(di.body.credentialSubject.encodedList);
    expect(bitAt(bits, Number(cert.body.credential.credentialStatus.statusListIndex))).toBe(true);
    expect(bits.length * 8).toBeGreaterThanOrEqual(131_072);
    const verified = await s.call("POST", "/credentials/verify", { token: p.token, body: { verifiableCredential: di.body } });
    expect(verified.status, verified.text).toBe(200);
    const jwt = await s.call("GET", path);
    expect(jwt.headers.get("content-type")).toMatch(/vc\+jwt/);
    expect(jwt.headers.get("cache-control")).toBe(di.headers.get("cache-control"));
  });
});

describe("VC API in the OpenAPI document", () => {
  it("lists the four VC API endpoints and the format parameter", async () => {
    const doc = await s.call("GET", "/openapi.json");
    expect(doc.status).toBe(200);
    for (const path of ["/credentials/issue", "/credentials/verify", "/presentations/verify", "/credentials/status"]) expect(doc.body.paths[path]?.post, path).toBeDefined();
    const params = doc.body.paths["/api/certificates/{id}"].get.parameters.map((p: any) => p.name);
    expect(params).toContain("format");
  });
});

describe("VC API with a did:key issuer", () => {
  it("a service-held did:key party issues (DI and enveloped vc+jwt), verifies, revokes and suspends", async () => {
    const p = await didKeyProvider(s, { method: "did:key" });
    expect(p.party.did).toMatch(/^did:key:z6Mk/);
    const didDoc = await s.call("GET", `/api/parties/${p.party.id}`, { token: p.token });
    expect(didDoc.status).toBe(200);

    const issued = await s.call("POST", "/credentials/issue", {
      token: p.token,
      body: { credential: credentialFor(p.party.did), options: { credentialStatus: [{ statusPurpose: "revocation" }, { statusPurpose: "suspension" }] } },
    });
    expect(issued.status, issued.text).toBe(201);
    const dvc = issued.body.verifiableCredential;
    expect(dvc.proof.verificationMethod.startsWith(`${p.party.did}#`)).toBe(true);
    expect(dvc.credentialStatus.map((e: any) => e.statusPurpose)).toEqual(["revocation", "suspension"]);
    const ok = await s.call("POST", "/credentials/verify", { token: p.token, body: { verifiableCredential: dvc } });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.verified).toBe(true);

    const jwtIssued = await s.call("POST", "/credentials/issue", { token: p.token, body: { credential: { ...credentialFor(p.party.did), id: "urn:uuid:2" }, options: { securing: "jwt" } } });
    expect(jwtIssued.status).toBe(201);
    expect(jwtIssued.body.verifiableCredential.type).toBe("EnvelopedVerifiableCredential");
    expect(jwtIssued.body.verifiableCredential.id).toMatch(/^data:application\/vc\+jwt,ey/);
    expect((await s.call("POST", "/credentials/verify", { token: p.token, body: { verifiableCredential: jwtIssued.body.verifiableCredential } })).status).toBe(200);

    // Suspend, see it, lift it, see it lifted; then revoke for good.
    const credentialId = dvc.id;
    const suspend = await s.call("POST", "/credentials/status", { token: p.token, body: { credentialId, credentialStatus: { type: "BitstringStatusListEntry", statusPurpose: "suspension" }, status: true } });
    expect(suspend.status, suspend.text).toBe(200);
    let v = await s.call("POST", "/credentials/verify", { token: p.token, body: { verifiableCredential: dvc } });
    expect(v.status).toBe(422);
    expect(v.body.code).toBe("verification_failed");
    expect(v.body.checks.find((c: any) => c.check === "status").code).toBe("suspended");
    expect((await s.call("POST", "/credentials/status", { token: p.token, body: { credentialId, credentialStatus: { type: "BitstringStatusListEntry", statusPurpose: "suspension" }, status: false } })).status).toBe(200);
    expect((await s.call("POST", "/credentials/verify", { token: p.token, body: { verifiableCredential: dvc } })).status).toBe(200);
    expect((await s.call("POST", "/credentials/status", { token: p.token, body: { credentialId, credentialStatus: { type: "BitstringStatusListEntry", statusPurpose: "revocation" }, status: true } })).status).toBe(200);
    v = await s.call("POST", "/credentials/verify", { token: p.token, body: { verifiableCredential: dvc } });
    expect(v.body.checks.find((c: any) => c.check === "status").code).toBe("revoked");
    const undo = await s.call("POST", "/credentials/status", { token: p.token, body: { credentialId, credentialStatus: { type: "BitstringStatusListEntry", statusPurpose: "revocation" }, status: false } });
    expect(undo.status).toBe(422);
  });

  it("an external did:key party: the registry holds its public key and window; what it signs itself verifies, and only inside the window", async () => {
    const own = await ownDidKey();
    const p = await didKeyProvider(s, { method: "did:key", publicKeyMultibase: own.multibase, validFrom: "2026-01-01T00:00:00Z", validUntil: "2027-01-01T00:00:00Z" });
    expect(p.party.did).toBe(own.did);
    // The service cannot sign for it.
    const refused = await s.call("POST", "/credentials/issue", { token: p.token, body: { credential: credentialFor(own.did) } });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe("no_active_key");
    const loader = s.services.standards.documentLoader;
    const signed = await new DataIntegrityIssuer({ verificationMethod: own.vm, privateKey: own.pair.privateKey }, loader).sign({ ...credentialFor(own.did), validFrom: "2026-05-01T00:00:00Z" }, "2026-05-01T00:00:00Z");
    const ok = await s.call("POST", "/credentials/verify", { token: p.token, body: { verifiableCredential: signed } });
    expect(ok.status, ok.text).toBe(200);
    // Dated outside the key's registered window: the key check fails.
    const early = await new DataIntegrityIssuer({ verificationMethod: own.vm, privateKey: own.pair.privateKey }, loader).sign({ ...credentialFor(own.did), validFrom: "2025-06-01T00:00:00Z" }, "2025-06-01T00:00:00Z");
    const v = await s.call("POST", "/credentials/verify", { token: p.token, body: { verifiableCredential: early } });
    expect(v.status).toBe(422);
    expect(v.body.checks.find((c: any) => c.check === "key").code).toBe("key-not-valid-at-issuance");
    // A status list on another host is never fetched: "could not check", kept apart from "revoked".
    const foreignStatus = { id: "https://status.elsewhere.example/1#5", type: "BitstringStatusListEntry", statusPurpose: "revocation", statusListIndex: "5", statusListCredential: "https://status.elsewhere.example/1" };
    const withStatus = await new DataIntegrityIssuer({ verificationMethod: own.vm, privateKey: own.pair.privateKey }, loader).sign({ ...credentialFor(own.did), validFrom: "2026-05-01T00:00:00Z", credentialStatus: foreignStatus }, "2026-05-01T00:00:00Z");
    const unchecked = await s.call("POST", "/credentials/verify", { token: p.token, body: { verifiableCredential: withStatus } });
    expect(unchecked.status).toBe(422);
    expect(unchecked.body.checks.find((c: any) => c.check === "status")).toMatchObject({ outcome: "not-checked", code: "status-unavailable" });
    expect(unchecked.body.checks.filter((c: any) => c.outcome === "failed")).toEqual([]);
    // An unregistered did:key signs a credential that verifies cryptographically, but is no party's.
    const stranger = await ownDidKey();
    const foreign = await new DataIntegrityIssuer({ verificationMethod: stranger.vm, privateKey: stranger.pair.privateKey }, loader).sign(credentialFor(stranger.did), "2026-05-01T00:00:00Z");
    const fv = await s.call("POST", "/credentials/verify", { token: p.token, body: { verifiableCredential: foreign } });
    expect(fv.status).toBe(422);
    expect(fv.body.checks.find((c: any) => c.check === "signature").code).toBe("unknown-key");
  });

  it("presentations: Data Integrity with challenge and domain, and vp+jwt with nonce and aud", async () => {
    const p = await didKeyProvider(s, { method: "did:key" });
    const issued = await s.call("POST", "/credentials/issue", { token: p.token, body: { credential: { ...credentialFor(p.party.did), id: "urn:uuid:vp-1" } } });
    const holder = await ownDidKey();
    const loader = s.services.standards.documentLoader;
    const presentation = vc.createPresentation({ verifiableCredential: [issued.body.verifiableCredential], holder: holder.did, version: 2.0 });
    const suite = new DataIntegrityProof({ signer: webCryptoSigner({ verificationMethod: holder.vm, privateKey: holder.pair.privateKey }), cryptosuite: webCryptoEddsaRdfc2022 });
    const vp = await vc.signPresentation({ presentation, suite, challenge: "c-123", domain: "bar.example.kz", documentLoader: loader });
    const ok = await s.call("POST", "/presentations/verify", { token: p.token, body: { verifiablePresentation: vp, options: { challenge: "c-123", domain: "bar.example.kz" } } });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.credentialResults).toHaveLength(1);
    const replay = await s.call("POST", "/presentations/verify", { token: p.token, body: { verifiablePresentation: vp, options: { challenge: "other", domain: "bar.example.kz" } } });
    expect(replay.status).toBe(422);

    const jwtVc = await s.call("POST", "/credentials/issue", { token: p.token, body: { credential: { ...credentialFor(p.party.did), id: "urn:uuid:vp-2" }, options: { securing: "jwt" } } });
    const payload = { "@context": [VC2], type: ["VerifiablePresentation"], holder: holder.did, verifiableCredential: [jwtVc.body.verifiableCredential], nonce: "n-1", aud: "bar.example.kz" };
    const vpJwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: "EdDSA", typ: "vp+jwt", kid: holder.vm }).sign(holder.pair.privateKey);
    const enveloped = { "@context": [VC2], type: "EnvelopedVerifiablePresentation", id: `data:application/vp+jwt,${vpJwt}` };
    const okJwt = await s.call("POST", "/presentations/verify", { token: p.token, body: { verifiablePresentation: enveloped, options: { challenge: "n-1", domain: "bar.example.kz" } } });
    expect(okJwt.status, okJwt.text).toBe(200);
    const noChallenge = await s.call("POST", "/presentations/verify", { token: p.token, body: { verifiablePresentation: enveloped } });
    expect(noChallenge.status).toBe(400);
    const wrongNonce = await s.call("POST", "/presentations/verify", { token: p.token, body: { verifiablePresentation: enveloped, options: { challenge: "n-2" } } });
    expect(wrongNonce.status).toBe(422);
    expect(wrongNonce.body.checks[1].code).toBe("challenge-mismatch");
  });
});

/** Each case must answer a problem document with its status and code: never 200, never 500. */
async function expectProblem(res: { status: number; body: any; headers: Headers; text: string }, status: number, code?: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/application\/problem\+json/);
  if (code) expect(res.body.code, res.text).toBe(code);
}

describe("malformed and tampered input, ten or more per VC API endpoint", () => {
  let p: { party: any; token: string };
  let other: { party: any; token: string };
  let good: any;
  let goodJwt: any;
  beforeAll(async () => {
    p = await didKeyProvider(s, { method: "did:key" });
    other = await didKeyProvider(s, { method: "did:key" });
    good = (await s.call("POST", "/credentials/issue", { token: p.token, body: { credential: { ...credentialFor(p.party.did), id: "urn:uuid:h-1" }, options: { credentialStatus: [{ statusPurpose: "revocation" }] } } })).body.verifiableCredential;
    goodJwt = (await s.call("POST", "/credentials/issue", { token: p.token, body: { credential: { ...credentialFor(p.party.did), id: "urn:uuid:h-2" }, options: { securing: "jwt" } } })).body.verifiableCredential;
    expect(good.proof).toBeDefined();
  });

  const count = () => (s.db as any).selectFrom("api_credentials").select((eb: any) => eb.fn.countAll().as("n")).executeTakeFirst().then((r: any) => Number(r.n));

  it("POST /credentials/issue", async () => {
    const before = await count();
    const issue = (body: unknown, token = p.token) => s.call("POST", "/credentials/issue", { token, body });
    const cred = (extra: Record<string, unknown> = {}) => ({ ...credentialFor(p.party.did), ...extra });
    await expectProblem(await s.call("POST", "/credentials/issue", { token: p.token, raw: "{not json", headers: { "content-type": "application/json" } }), 400, "invalid_json");
    await expectProblem(await issue({}), 400, "invalid_request");
    await expectProblem(await issue({ credential: [cred()] }), 400, "invalid_request");
    await expectProblem(await issue({ credential: cred({ "@context": ["https://www.w3.org/2018/credentials/v1"] }) }), 400, "invalid_request");
    await expectProblem(await issue({ credential: cred({ "@context": [VC2, "https://evil.example/context.jsonld"] }) }), 422, "unknown_context");
    await expectProblem(await issue({ credential: cred({ issuer: other.party.did }) }), 403, "forbidden");
    await expectProblem(await issue({ credential: cred({ proof: { type: "DataIntegrityProof" } }) }), 400, "invalid_request");
    await expectProblem(await issue({ credential: cred({ validFrom: "2026-06-01T09:00:00Z", validUntil: "2026-05-01T00:00:00Z" }) }), 400, "invalid_request");
    await expectProblem(await issue({ credential: cred({ validFrom: "2026-06-01" }) }), 400, "invalid_request");
    await expectProblem(await issue({ credential: cred(), options: { securing: "ldp_vc" } }), 400, "invalid_request");
    await expectProblem(await issue({ credential: cred(), options: { unknownOption: true } }), 400, "invalid_request");
    await expectProblem(await issue({ credential: cred({ relatedResource: [{ id: "https://example.kz/a.pdf" }] }) }), 400, "invalid_request");
    await expectProblem(await issue({ credential: cred({ credentialSchema: [{ id: "https://example.kz/schema.json" }] }) }), 400, "invalid_request");
    await expectProblem(await issue({ credential: cred({ type: ["AlumniCredential"] }) }), 400, "invalid_request");
    await expectProblem(await issue({ credential: cred({ id: "not a url" }) }), 400, "invalid_request");
    let deep: any = { leaf: 1 };
    for (let i = 0; i < 40; i++) deep = { nested: deep };
    await expectProblem(await issue({ credential: cred({ credentialSubject: deep }) }), 400, "invalid_request");
    await expectProblem(await issue({ credential: cred({ credentialSubject: { blob: "x".repeat(300 * 1024) } }) }), 413, "payload_too_large");
    await expectProblem(await s.call("POST", "/credentials/issue", { body: { credential: cred() } }), 401, "unauthenticated");
    await expectProblem(await issue({ credential: cred({ "@context": [VC2], undefinedTerm: "dropped in safe mode" }) }), 422, "jsonld_invalid");
    // Nothing half-stored from any of them.
    expect(await count()).toBe(before);
  });

  it("POST /credentials/verify", async () => {
    const verify = (body: unknown) => s.call("POST", "/credentials/verify", { token: other.token, body });
    await expectProblem(await s.call("POST", "/credentials/verify", { token: p.token, raw: "[1,", headers: { "content-type": "application/json" } }), 400, "invalid_json");
    await expectProblem(await verify({}), 400, "invalid_request");
    await expectProblem(await verify({ verifiableCredential: "eyJ..." }), 400, "invalid_request");
    const { proof: _, ...unsigned } = good;
    await expectProblem(await verify({ verifiableCredential: unsigned }), 400, "invalid_request");
    await expectProblem(await verify({ verifiableCredential: { ...goodJwt, id: "data:application/json,{}" } }), 400, "invalid_request");
    await expectProblem(await verify({ verifiableCredential: { ...goodJwt, id: "data:application/vc+jwt,not.a.jws" } }), 400, "invalid_request");
    let r = await verify({ verifiableCredential: { ...good, credentialSubject: { ...good.credentialSubject, name: "Someone else" } } });
    await expectProblem(r, 422, "verification_failed");
    expect(r.body.checks.find((c: any) => c.check === "signature").code).toBe("signature-invalid");
    r = await verify({ verifiableCredential: { ...good, proof: { ...good.proof, cryptosuite: "ecdsa-rdfc-2019" } } });
    await expectProblem(r, 422, "verification_failed");
    expect(r.body.checks.find((c: any) => c.check === "signature").code).toBe("no-supported-proof");
    await expectProblem(await verify({ verifiableCredential: { ...good, proof: { ...good.proof, proofValue: "z111" } } }), 422, "verification_failed");
    await expectProblem(await verify({ verifiableCredential: { ...good, "@context": [VC2, "https://evil.example/ctx"] } }), 422, "verification_failed");
    await expectProblem(await verify({ verifiableCredential: { ...good, proof: [good.proof, good.proof] } }), 422, "verification_failed");
    // alg "none" inside the envelope.
    const [, payload] = goodJwt.id.slice("data:application/vc+jwt,".length).split(".");
    const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "vc+jwt" })).toString("base64url")}.${payload}.`;
    r = await verify({ verifiableCredential: { ...goodJwt, id: `data:application/vc+jwt,${none}` } });
    expect([400, 422]).toContain(r.status);
    // Another party's key, relabelled as the issuer's: key-not-issuers or signature failure, never verified.
    const stranger = await ownDidKey();
    const forged = await new DataIntegrityIssuer({ verificationMethod: stranger.vm, privateKey: stranger.pair.privateKey }, s.services.standards.documentLoader).sign({ ...credentialFor(p.party.did), validFrom: "2026-06-01T09:00:00Z" }, "2026-06-01T09:00:00Z");
    r = await verify({ verifiableCredential: forged });
    await expectProblem(r, 422, "verification_failed");
    expect(r.body.checks.find((c: any) => c.check === "signature").outcome).toBe("failed");
    await expectProblem(await s.call("POST", "/credentials/verify", { body: { verifiableCredential: good } }), 401, "unauthenticated");
  });

  it("POST /presentations/verify", async () => {
    const holder = await ownDidKey();
    const loader = s.services.standards.documentLoader;
    const suite = () => new DataIntegrityProof({ signer: webCryptoSigner({ verificationMethod: holder.vm, privateKey: holder.pair.privateKey }), cryptosuite: webCryptoEddsaRdfc2022 });
    const vp = await vc.signPresentation({ presentation: vc.createPresentation({ verifiableCredential: [good], holder: holder.did, version: 2.0 }), suite: suite(), challenge: "ch", domain: "d.kz", documentLoader: loader });
    const verify = (body: unknown) => s.call("POST", "/presentations/verify", { token: other.token, body });
    await expectProblem(await s.call("POST", "/presentations/verify", { token: p.token, raw: "nope", headers: { "content-type": "application/json" } }), 400, "invalid_json");
    await expectProblem(await verify({}), 400, "invalid_request");
    const { proof: _, ...unsignedVp } = vp;
    await expectProblem(await verify({ verifiablePresentation: unsignedVp, options: { challenge: "ch" } }), 400, "invalid_request");
    await expectProblem(await verify({ verifiablePresentation: vp }), 400, "invalid_request");
    await expectProblem(await verify({ verifiablePresentation: vp, options: { challenge: "other", domain: "d.kz" } }), 422, "verification_failed");
    await expectProblem(await verify({ verifiablePresentation: vp, options: { challenge: "ch", domain: "elsewhere.kz" } }), 422, "verification_failed");
    await expectProblem(await verify({ verifiablePresentation: { ...vp, holder: "did:example:someone" }, options: { challenge: "ch", domain: "d.kz" } }), 422, "verification_failed");
    await expectProblem(await verify({ verifiablePresentation: { "@context": [VC2], type: "EnvelopedVerifiablePresentation", id: "data:application/vp+json,{}" } }), 400, "invalid_request");
    // A VP whose credential was altered after issuing: the holder signed it, but the credential fails.
    const altered = { ...good, credentialSubject: { ...good.credentialSubject, name: "Altered" } };
    const vpAltered = await vc.signPresentation({ presentation: vc.createPresentation({ verifiableCredential: [altered], holder: holder.did, version: 2.0 }), suite: suite(), challenge: "ch", documentLoader: loader });
    const r = await verify({ verifiablePresentation: vpAltered, options: { challenge: "ch" } });
    await expectProblem(r, 422, "verification_failed");
    expect(r.body.credentialResults[0].verified).toBe(false);
    // vp+jwt signed by a key that is not the holder's, and one with the wrong typ.
    const intruder = await ownDidKey();
    const payload = { "@context": [VC2], type: ["VerifiablePresentation"], holder: holder.did, verifiableCredential: [goodJwt], nonce: "n" };
    const signed = (key: CryptoKey, header: Record<string, unknown>) => new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: "EdDSA", ...header }).sign(key);
    const env = (jws: string) => ({ "@context": [VC2], type: "EnvelopedVerifiablePresentation", id: `data:application/vp+jwt,${jws}` });
    let res = await verify({ verifiablePresentation: env(await signed(intruder.pair.privateKey, { typ: "vp+jwt", kid: intruder.vm })), options: { challenge: "n" } });
    await expectProblem(res, 422, "verification_failed");
    expect(res.body.checks[1].code).toBe("key-not-holders");
    res = await verify({ verifiablePresentation: env(await signed(holder.pair.privateKey, { typ: "vc+jwt", kid: holder.vm })), options: { challenge: "n" } });
    expect(res.body.checks[1].code).toBe("wrong-media-type");
    res = await verify({ verifiablePresentation: env(await signed(holder.pair.privateKey, { typ: "vp+jwt", kid: "https://example.kz/keys/1" })), options: { challenge: "n" } });
    expect(res.body.checks[1].code).toBe("unknown-key");
    await expectProblem(await verify({ verifiablePresentation: { ...vp, verifiableCredential: Array(21).fill(good) }, options: { challenge: "ch" } }), 400, "invalid_request");
  });

  it("POST /credentials/status", async () => {
    const status = (body: unknown, token = p.token) => s.call("POST", "/credentials/status", { token, body });
    const entry = (statusPurpose: string) => ({ type: "BitstringStatusListEntry", statusPurpose });
    await expectProblem(await s.call("POST", "/credentials/status", { token: p.token, raw: "{", headers: { "content-type": "application/json" } }), 400, "invalid_json");
    await expectProblem(await status({ credentialStatus: entry("revocation"), status: true }), 400, "invalid_request");
    await expectProblem(await status({ credentialId: good.id, credentialStatus: entry("revocation"), status: "yes" }), 400, "invalid_request");
    await expectProblem(await status({ credentialId: good.id, credentialStatus: entry("expiry"), status: true }), 400, "invalid_request");
    await expectProblem(await status({ credentialId: good.id, credentialStatus: { type: "StatusList2021Entry", statusPurpose: "revocation" }, status: true }), 400, "invalid_request");
    await expectProblem(await status({ credentialId: good.id, credentialStatus: entry("revocation"), status: true, extra: 1 }), 400, "invalid_request");
    await expectProblem(await status({ credentialId: "urn:uuid:never-issued", credentialStatus: entry("revocation"), status: true }), 404, "not_found");
    await expectProblem(await status({ credentialId: good.id, credentialStatus: entry("revocation"), status: true }, other.token), 404, "not_found");
    await expectProblem(await status({ credentialId: good.id, credentialStatus: entry("suspension"), status: true }), 422, "rule_violated");
    await expectProblem(await status({ credentialId: good.id, credentialStatus: entry("revocation"), status: true }, s.adminToken), 403, "forbidden");
    expect((await status({ credentialId: good.id, credentialStatus: entry("revocation"), status: true })).status).toBe(200);
    await expectProblem(await status({ credentialId: good.id, credentialStatus: entry("revocation"), status: true }), 409, "already_revoked");
    await expectProblem(await status({ credentialId: good.id, credentialStatus: entry("revocation"), status: false }), 422, "rule_violated");
  });
});

describe("Bitstring Status List entries for VC API credentials", () => {
  it("30 concurrent issues with revocation and suspension entries: every entry distinct, lists of ≥ 131,072 entries, each purpose on its own list", async () => {
    const p = await didKeyProvider(s, { method: "did:key" });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        s.call("POST", "/credentials/issue", { token: p.token, body: { credential: { ...credentialFor(p.party.did), id: `urn:uuid:c-${i}` }, options: { credentialStatus: [{ statusPurpose: "revocation" }, { statusPurpose: "suspension" }] } } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(201));
    const entries = results.flatMap((r) => r.body.verifiableCredential.credentialStatus as any[]);
    const keys = entries.map((e) => `${e.statusListCredential}#${e.statusListIndex}`);
    expect(new Set(keys).size).toBe(60);
    for (const purpose of ["revocation", "suspension"]) {
      const lists = new Set(entries.filter((e) => e.statusPurpose === purpose).map((e) => e.statusListCredential));
      expect(lists.size).toBe(1);
      const list = await s.call("GET", `${new URL([...lists][0] as string).pathname}?format=di`);
      expect(list.body.credentialSubject.statusPurpose).toBe(purpose);
      expect((await decodeStatusList(list.body.credentialSubject.encodedList)).length * 8).toBeGreaterThanOrEqual(131_072);
    }
    const revocationLists = new Set(entries.filter((e) => e.statusPurpose === "revocation").map((e) => e.statusListCredential));
    const suspensionLists = new Set(entries.filter((e) => e.statusPurpose === "suspension").map((e) => e.statusListCredential));
    expect([...revocationLists].some((l) => suspensionLists.has(l))).toBe(false);
  });

  it("the Data Integrity list is re-signed only when a bit changes", async () => {
    const p = await didKeyProvider(s, { method: "did:key" });
    const issued = await s.call("POST", "/credentials/issue", { token: p.token, body: { credential: { ...credentialFor(p.party.did), id: "urn:uuid:cache-1" }, options: { credentialStatus: [{ statusPurpose: "suspension" }] } } });
    const entry = issued.body.verifiableCredential.credentialStatus;
    const path = `${new URL(entry.statusListCredential).pathname}?format=di`;
    const first = (await s.call("GET", path)).body;
    s.clock.advance(60_000);
    expect((await s.call("GET", path)).body).toEqual(first);
    await s.call("POST", "/credentials/status", { token: p.token, body: { credentialId: "urn:uuid:cache-1", credentialStatus: { type: "BitstringStatusListEntry", statusPurpose: "suspension" }, status: true } });
    const after = (await s.call("GET", path)).body;
    expect(after.proof.proofValue).not.toBe(first.proof.proofValue);
    expect(bitAt(await decodeStatusList(after.credentialSubject.encodedList), Number(entry.statusListIndex))).toBe(true);
    expect(bitAt(await decodeStatusList(first.credentialSubject.encodedList), Number(entry.statusListIndex))).toBe(false);
  });
});
