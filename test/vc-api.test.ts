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
    expect(methods.map((m) => m.type).sort()).toEqual(["JsonWebKey2020", "Multikey"]);
    const jwk = methods.find((m) => m.type === "JsonWebKey2020");
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
    // A VC 1.1 credential is accepted (issue 15), but held to VC 1.1: validFrom is a 2.0 term there.
    await expectProblem(await issue({ credential: cred({ "@context": ["https://www.w3.org/2018/credentials/v1"], validFrom: "2026-06-01T09:00:00Z" }) }), 400, "invalid_request");
    await expectProblem(await issue({ credential: cred({ "@context": ["https://www.w3.org/2018/credentials/v2"] }) }), 400, "invalid_request");
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
    // A proof set verifies only if every proof does: a forged second proof fails the whole credential.
    r = await verify({ verifiableCredential: { ...good, proof: [good.proof, { ...good.proof, created: "2026-01-02T00:00:00Z" }] } });
    await expectProblem(r, 422, "verification_failed");
    expect(r.body.checks.find((c: any) => c.check === "signature").code).toBe("signature-invalid");
    // Enveloped credentials are JSON-LD documents too: @context an array starting with the VC 2.0 context.
    for (const context of [[], VC2, ["https://www.w3.org/2018/credentials/v1"], [VC2, 42]]) {
      await expectProblem(await verify({ verifiableCredential: { ...goodJwt, "@context": context } }), 400, "invalid_request");
    }
    const { "@context": _c, ...noContext } = goodJwt;
    await expectProblem(await verify({ verifiableCredential: noContext }), 400, "invalid_request");
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

describe("issue 15: what other stacks send and expect", () => {
  let p: { party: any; token: string };
  let other: { party: any; token: string };
  beforeAll(async () => {
    p = await didKeyProvider(s, { method: "did:key" });
    other = await didKeyProvider(s, { method: "did:key" });
  });
  const issue = (credential: unknown, options?: unknown, token = p.token) => s.call("POST", "/credentials/issue", { token, body: { credential, ...(options ? { options } : {}) } });
  const verify = (verifiableCredential: unknown) => s.call("POST", "/credentials/verify", { token: other.token, body: { verifiableCredential } });
  const check = (res: { body: any }, id: string) => res.body.checks.find((c: any) => c.check === id);
  const count = () => (s.db as any).selectFrom("api_credentials").select((eb: any) => eb.fn.countAll().as("n")).executeTakeFirst().then((r: any) => Number(r.n));

  it("malformed input is 400 whoever sends it; a well-formed credential of another issuer is 403; an empty credentialSubject is refused", async () => {
    const before = await count();
    const { issuer: _, ...noIssuer } = credentialFor(p.party.did);
    await expectProblem(await issue(noIssuer), 400, "invalid_request");
    await expectProblem(await issue(credentialFor(42 as never)), 400, "invalid_request");
    await expectProblem(await issue(credentialFor("not a url")), 400, "invalid_request");
    // Malformed and someone else's: malformed first.
    await expectProblem(await issue({ ...credentialFor(other.party.did), credentialSubject: {} }), 400, "invalid_request");
    await expectProblem(await issue({ ...credentialFor(other.party.did), "@context": [VC2, "https://evil.example/ctx"] }), 422, "unknown_context");
    await expectProblem(await issue(credentialFor(other.party.did)), 403, "forbidden");
    // VC 2.0 §4.8: each subject makes a claim.
    let r = await issue({ ...credentialFor(p.party.did), credentialSubject: {} });
    await expectProblem(r, 400, "invalid_request");
    expect(r.body.errors ?? r.body.problems).toBeDefined();
    r = await issue({ ...credentialFor(p.party.did), credentialSubject: [{ id: "did:example:a", name: "A" }, {}] });
    await expectProblem(r, 400, "invalid_request");
    expect(JSON.stringify(r.body)).toContain("credentialSubject/1");
    expect(await count()).toBe(before);
  });

  it("the verifier holds a signed credential with an empty credentialSubject to the same rule", async () => {
    const own = await ownDidKey();
    const q = await didKeyProvider(s, { method: "did:key", publicKeyMultibase: own.multibase, validFrom: "2026-01-01T00:00:00Z" });
    const empty = await new DataIntegrityIssuer({ verificationMethod: own.vm, privateKey: own.pair.privateKey }, s.services.standards.documentLoader).sign({ ...credentialFor(q.party.did), credentialSubject: {} }, "2026-05-01T00:00:00Z");
    const res = await verify(empty);
    await expectProblem(res, 422, "verification_failed");
    expect(check(res, "format")).toMatchObject({ outcome: "failed", code: "malformed" });
  });

  it("validFrom long before the key existed: signed at now, it verifies in both forms (the key is held to proof.created and iat)", async () => {
    const past = { ...credentialFor(p.party.did), id: "urn:uuid:past-1", validFrom: "2010-01-01T19:23:24Z" };
    const di = await issue(past);
    expect(di.status, di.text).toBe(201);
    expect(di.body.verifiableCredential.validFrom).toBe("2010-01-01T19:23:24Z");
    expect(di.body.verifiableCredential.proof.created).toBe(s.clock.now());
    const ok = await verify(di.body.verifiableCredential);
    expect(ok.status, ok.text).toBe(200);
    const jwt = await issue({ ...past, id: "urn:uuid:past-2" }, { securing: "jwt" });
    expect(jwt.status, jwt.text).toBe(201);
    const payload = JSON.parse(Buffer.from(jwt.body.verifiableCredential.id.split(",")[1].split(".")[1], "base64url").toString());
    expect(payload.iat).toBe(Math.floor(s.clock.ms / 1000));
    expect((await verify(jwt.body.verifiableCredential)).status).toBe(200);
  });

  it("the W3C examples context is bundled: a credential naming it issues and verifies", async () => {
    const credential = {
      "@context": [VC2, "https://www.w3.org/ns/credentials/examples/v2"],
      id: "urn:uuid:examples-1",
      type: ["VerifiableCredential", "ExampleAlumniCredential"],
      issuer: p.party.did,
      validFrom: "2023-07-01T19:23:24Z",
      credentialSubject: { id: "did:example:ebfeb1f712ebc6f1c276e12ec21", alumniOf: { id: "did:example:c276e12ec21ebfeb1f712ebc6f1", name: "Example University" } },
    };
    const res = await issue(credential);
    expect(res.status, res.text).toBe(201);
    expect((await verify(res.body.verifiableCredential)).status).toBe(200);
  });

  it("a credentialStatus on another service's list is signed as given (beside allocated entries); one naming this service's lists is refused", async () => {
    const foreign = { id: "https://status.elsewhere.example/3#94567", type: "BitstringStatusListEntry", statusPurpose: "revocation", statusListIndex: "94567", statusListCredential: "https://status.elsewhere.example/3" };
    const res = await issue({ ...credentialFor(p.party.did), id: "urn:uuid:status-1", credentialStatus: foreign });
    expect(res.status, res.text).toBe(201);
    expect(res.body.verifiableCredential.credentialStatus).toEqual(foreign);
    const v = await verify(res.body.verifiableCredential);
    expect(v.status).toBe(422); // the list is never fetched: its bit could not be checked
    expect(check(v, "status")).toMatchObject({ outcome: "not-checked", code: "status-unavailable" });
    expect(v.body.checks.filter((c: any) => c.outcome === "failed")).toEqual([]);
    const both = await issue({ ...credentialFor(p.party.did), id: "urn:uuid:status-2", credentialStatus: [foreign] }, { credentialStatus: [{ statusPurpose: "suspension" }] });
    expect(both.status, both.text).toBe(201);
    expect(both.body.verifiableCredential.credentialStatus.map((e: any) => e.statusListCredential)).toEqual([foreign.statusListCredential, expect.stringMatching(/\/status\/[0-9a-z]+\?format=di$/)]);
    const ours = { ...foreign, id: `${s.baseUrl}/status/abc#1`, statusListCredential: `${s.baseUrl}/status/abc` };
    const before = await count();
    await expectProblem(await issue({ ...credentialFor(p.party.did), credentialStatus: ours }), 422, "rule_violated");
    await expectProblem(await issue({ ...credentialFor(p.party.did), credentialStatus: [foreign, { ...ours, statusListCredential: `${s.baseUrl}/status/abc?format=di` }] }), 422, "rule_violated");
    expect(await count()).toBe(before);
  });

  it("relatedResource: digests of resources Senim holds are checked at issue and verification; others are 'could not check'", async () => {
    const sri = async (url: string, alg: "SHA-256" | "SHA-384") => `${alg.replace("-", "").toLowerCase()}-${Buffer.from(await crypto.subtle.digest(alg, new TextEncoder().encode((await import("../src/credentials/contexts.js")).PUBLISHED_TEXT.get(url)!))).toString("base64")}`;
    const EX = "https://www.w3.org/ns/credentials/examples/v2";
    const OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
    const multihash = async (url: string) => "u" + Buffer.concat([Buffer.from([0x12, 0x20]), Buffer.from(await crypto.subtle.digest("SHA-256", new TextEncoder().encode((await import("../src/credentials/contexts.js")).PUBLISHED_TEXT.get(url)!)))]).toString("base64url");
    const related = (relatedResource: unknown, id: string) => ({ ...credentialFor(p.party.did), id, relatedResource });
    const good = await issue(related([{ id: EX, digestSRI: await sri(EX, "SHA-384") }, { id: OB3, digestMultibase: await multihash(OB3) }], "urn:uuid:rr-1"));
    expect(good.status, good.text).toBe(201);
    const ok = await verify(good.body.verifiableCredential);
    expect(ok.status, ok.text).toBe(200);
    expect(check(ok, "related-resources")).toMatchObject({ outcome: "passed", code: "related-resources-match" });
    // Another resource's digest under this id: refused at issue, and a failed check when someone else signed it.
    await expectProblem(await issue(related([{ id: EX, digestSRI: await sri(OB3, "SHA-384") }], "urn:uuid:rr-2")), 422, "rule_violated");
    // The W3C VC 2.0 suite's inputs: malformed digests (a hex SHA-256 in base64's place; no multihash) are 400…
    await expectProblem(await issue(related([{ id: "https://w3c.github.io/vc-data-model/related-resource.json", digestSRI: "sha256-ca3d163bab055381827226140568f3bef634ac187cebd76878e0b63e9e442356" }], "urn:uuid:rr-3")), 400, "invalid_request");
    await expectProblem(await issue(related([{ id: "https://w3c.github.io/vc-data-model/related-resource.json", digestMultibase: "uZTQ0MjM1NiAgcmVwb3J0cc5jZWxhdGVkLXJlc291cmNlLmpzb24K" }], "urn:uuid:rr-4")), 400, "invalid_request");
    // (The suite's own "ok" SRI input is the same digest with a stray leading character: 45 characters, not base64.)
    await expectProblem(await issue(related([{ id: "https://example.org/r.json", digestSRI: "sha256-MIwhzJyufmsjiGS1qP0waCmFb0gKa5ZGBI0ZZtfQo9Ls=" }], "urn:uuid:rr-6")), 400, "invalid_request");
    // …and well-formed digests of resources it does not hold are signed as given, then reported as not checked.
    const elsewhere = "https://raw.githubusercontent.com/w3c-ccg/vc-examples/bf5b8f9b16a204702ba2de0cfadbd9f86dbe299d/docs/edu/university-degree-verifiable-credential.json";
    const unheld = await issue(related([{ id: elsewhere, digestMultibase: "uEiAjCHMnK5-ayOIZLWo_TBoKYVvSAprlkYEjRlm19Cj0uw" }, { id: `${elsewhere}#sri`, digestSRI: "sha256-IwhzJyufmsjiGS1qP0waCmFb0gKa5ZGBI0ZZtfQo9Ls=" }], "urn:uuid:rr-5"));
    expect(unheld.status, unheld.text).toBe(201);
    const v = await verify(unheld.body.verifiableCredential);
    await expectProblem(v, 422, "verification_failed");
    expect(check(v, "related-resources")).toMatchObject({ outcome: "not-checked", code: "related-resource-unchecked" });
    expect(v.body.checks.filter((c: any) => c.outcome !== "passed").map((c: any) => c.check)).toEqual(["related-resources"]);
    // Signed by the issuer's own key with a wrong digest of a resource held here: the verifier fails it.
    const own = await ownDidKey();
    const q = await didKeyProvider(s, { method: "did:key", publicKeyMultibase: own.multibase, validFrom: "2026-01-01T00:00:00Z" });
    const wrong = await new DataIntegrityIssuer({ verificationMethod: own.vm, privateKey: own.pair.privateKey }, s.services.standards.documentLoader).sign({ ...credentialFor(q.party.did), relatedResource: [{ id: OB3, digestSRI: await sri(EX, "SHA-256") }] }, "2026-05-01T00:00:00Z");
    const bad = await verify(wrong);
    expect(check(bad, "related-resources")).toMatchObject({ outcome: "failed", code: "related-resource-mismatch" });
  });

  it("GET /status/{id} answers by Accept; a Data Integrity credential's entry yields the Data Integrity form by default", async () => {
    const di = await issue({ ...credentialFor(p.party.did), id: "urn:uuid:neg-1" }, { credentialStatus: [{ statusPurpose: "revocation" }] });
    const entry = di.body.verifiableCredential.credentialStatus;
    expect(entry.statusListCredential).toMatch(/\/status\/[0-9a-z]+\?format=di$/);
    const url = new URL(entry.statusListCredential);
    const byDefault = await s.call("GET", url.pathname + url.search);
    expect(byDefault.headers.get("content-type")).toBe("application/vc");
    expect(byDefault.body.proof.cryptosuite).toBe("eddsa-rdfc-2022");
    expect(byDefault.body.credentialSubject.statusPurpose).toBe("revocation");
    const cases: [string | undefined, string][] = [
      [undefined, "application/vc+jwt"],
      ["*/*", "application/vc+jwt"],
      ["text/html,application/xhtml+xml,*/*;q=0.8", "application/vc+jwt"],
      ["application/vc+jwt", "application/vc+jwt"],
      ["application/vc", "application/vc"],
      ["application/ld+json", "application/ld+json"],
      ["application/json", "application/json"],
      ["application/ld+json, application/json", "application/ld+json"], // jsonld.js's document loader
      ["application/vc+jwt;q=0.5, application/json", "application/json"],
      ["application/json;q=0, application/vc+jwt", "application/vc+jwt"],
    ];
    for (const [accept, type] of cases) {
      const res = await s.call("GET", url.pathname, { headers: accept ? { accept } : {} });
      expect(res.status, String(accept)).toBe(200);
      expect(res.headers.get("content-type"), String(accept)).toBe(type);
      expect(res.headers.get("vary")).toMatch(/accept/i);
      if (type === "application/vc+jwt") expect(res.text).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
      else expect(res.body).toEqual(byDefault.body);
    }
    // The credential verifies with its entry on the Data Integrity URL: the same list.
    expect((await verify(di.body.verifiableCredential)).status).toBe(200);
    await s.call("POST", "/credentials/status", { token: p.token, body: { credentialId: "urn:uuid:neg-1", credentialStatus: { type: "BitstringStatusListEntry", statusPurpose: "revocation" }, status: true } });
    expect(check(await verify(di.body.verifiableCredential), "status").code).toBe("revoked");
    // A vc+jwt credential's entry names the list itself, which gives the vc+jwt by default.
    const jwt = await issue({ ...credentialFor(p.party.did), id: "urn:uuid:neg-2" }, { securing: "jwt", credentialStatus: [{ statusPurpose: "revocation" }] });
    const payload = JSON.parse(Buffer.from(jwt.body.verifiableCredential.id.split(",")[1].split(".")[1], "base64url").toString());
    expect(payload.credentialStatus.statusListCredential).toBe(`${s.baseUrl}${url.pathname}`);
    expect((await s.call("GET", url.pathname)).headers.get("content-type")).toBe("application/vc+jwt");
    expect((await s.call("GET", "/status/zzzzzzzzzzzzzzzz", { headers: { accept: "application/ld+json" } })).status).toBe(404);
  });

  it("proof sets and chains by the issuer's key verify; each proof's created must fall inside the key's window", async () => {
    const own = await ownDidKey();
    const q = await didKeyProvider(s, { method: "did:key", publicKeyMultibase: own.multibase, validFrom: "2026-01-01T00:00:00Z", validUntil: "2027-01-01T00:00:00Z" });
    const signer = new DataIntegrityIssuer({ verificationMethod: own.vm, privateKey: own.pair.privateKey }, s.services.standards.documentLoader);
    const credential = { ...credentialFor(q.party.did), validFrom: "2025-01-01T00:00:00Z" };
    const a = (await signer.sign(credential, "2026-03-01T00:00:00Z")).proof as Record<string, unknown>;
    const b = (await signer.sign(credential, "2026-04-01T00:00:00Z")).proof as Record<string, unknown>;
    const set = await verify({ ...credential, proof: [a, b] });
    expect(set.status, set.text).toBe(200);
    expect(check(set, "signature").detail).toMatch(/All 2/);
    // A second proof made before the key existed: the key check fails, though both signatures hold.
    const early = (await signer.sign(credential, "2025-06-01T00:00:00Z")).proof;
    const mixed = await verify({ ...credential, proof: [a, early] });
    expect(check(mixed, "signature").outcome).toBe("passed");
    expect(check(mixed, "key")).toMatchObject({ outcome: "failed", code: "key-not-valid-at-issuance" });
    // A chain: the second proof signs the document with the first in it.
    const first = await manualProof(credential, [], own, "2026-03-01T00:00:00Z", { id: "urn:uuid:first" });
    const chained = await manualProof(credential, [first], own, "2026-04-02T00:00:00Z", { previousProof: "urn:uuid:first" });
    const chain = await verify({ ...credential, proof: [first, chained] });
    expect(chain.status, chain.text).toBe(200);
    const unlinked = await verify({ ...credential, proof: [chained] });
    await expectProblem(unlinked, 422, "verification_failed");
    expect(check(unlinked, "signature").code).toBe("previous-proof-missing");
  });
});

/** A proof over `credential` with the `previous` proofs in it, as Data Integrity 1.0 §4.3 chains them; by hand. */
async function manualProof(credential: Record<string, unknown>, previous: Record<string, unknown>[], key: { vm: string; pair: CryptoKeyPair }, created: string, extra: Record<string, unknown>) {
  const { canonize, proofConfiguration } = await import("../src/credentials/data-integrity.js");
  const { base58btc } = await import("../src/lib/base58.js");
  const loader = s.services.standards.documentLoader;
  const sha = async (t: string) => new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(t)));
  const config = { ...proofConfiguration(key.vm, created), ...extra };
  const input = previous.length === 0 ? credential : { ...credential, proof: previous };
  const data = new Uint8Array([...(await sha(await canonize({ "@context": credential["@context"], ...config }, loader))), ...(await sha(await canonize(input, loader)))]);
  return { ...config, proofValue: "z" + base58btc(new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, key.pair.privateKey, data))) };
}
