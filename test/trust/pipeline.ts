/**
 * Issue 12, attacks 1–3, over real HTTP on every runtime: the one verification pipeline decides by what a
 * credential claims, holds a certificate id to the certificate issued under it, credits facts from the record, and
 * shows the registry's organiser, never a signed name that differs.
 */
import { CompactSign } from "jose";
import { expect, it } from "vitest";
import { createDocumentLoader } from "../../src/credentials/contexts.js";
import { DataIntegrityIssuer } from "../../src/credentials/data-integrity.js";
import { didKeyFor, ed25519Multibase } from "../../src/credentials/multikey.js";
import { toInstant } from "../../src/domain/time.js";
import { accreditedProvider, issued, type HttpTarget } from "../helpers.js";
import type { TrustScenarios } from "./target.js";

const VC2 = "https://www.w3.org/ns/credentials/v2";
const DAY = 86_400_000;
const check = (body: any, id: string) => body.checks.find((c: { check: string }) => c.check === id);

/** A trainer registered with its own did:key (it holds the private key; the registry its public key), accredited. */
async function externalTrainer(s: HttpTarget, o: { barId: string; programmes: string[]; name: string }) {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  const did = didKeyFor(raw);
  const vm = `${did}#${ed25519Multibase(raw)}`;
  const since = toInstant(s.clock.ms - 4000 * DAY);
  const party = await s.call("POST", "/api/parties", { token: s.adminToken, body: { kind: "trainer", name: o.name, barId: o.barId, identifier: { method: "did:key", publicKeyMultibase: ed25519Multibase(raw), validFrom: since } } });
  expect(party.status, party.text).toBe(201);
  const acc = await s.call("POST", `/api/parties/${party.body.id}/accreditations`, {
    token: s.adminToken,
    body: { barId: o.barId, decisionNumber: "12-П", decisionDate: since.slice(0, 10), criteria: [{ criterion: "teaching-5-years", evidence: "Diploma 12" }], validFrom: since.slice(0, 10), programmes: o.programmes },
  });
  expect(acc.status, acc.text).toBe(201);
  const signJwt = (credential: Record<string, unknown>) =>
    new CompactSign(new TextEncoder().encode(JSON.stringify(credential))).setProtectedHeader({ alg: "EdDSA", typ: "vc+jwt", cty: "vc", kid: vm }).sign(pair.privateKey);
  const signDi = (credential: Record<string, unknown>) => new DataIntegrityIssuer({ verificationMethod: vm, privateKey: pair.privateKey }, createDocumentLoader()).sign(credential, credential.validFrom as string);
  return { did, vm, name: o.name, partyId: party.body.id as string, signJwt, signDi };
}

/** A certificate-shaped copy of `c`, issued by `issuer`, with the hours, dates and programme given. */
function reshaped(c: any, issuer: { did: string; name: string }, o: { minutes?: number; start?: string; end?: string; validFrom?: string; programme?: string; holder?: string; id?: string }) {
  const copy = structuredClone(c);
  copy.issuer = { id: issuer.did, type: ["Profile"], name: issuer.name };
  const a = copy.credentialSubject.achievement;
  a.creator = { id: issuer.did, type: ["Profile"], name: issuer.name };
  if (o.minutes !== undefined) {
    const hours = Math.round((o.minutes / 45) * 10) / 10;
    Object.assign(a, { durationMinutes: o.minutes, academicHours: hours, creditsAvailable: hours });
    copy.credentialSubject.creditsEarned = hours;
  }
  if (o.start) a.eventStart = o.start;
  if (o.end) a.eventEnd = o.end;
  if (o.programme) a.programme = o.programme;
  if (o.validFrom) copy.validFrom = o.validFrom;
  if (o.holder) copy.credentialSubject = { id: o.holder, ...copy.credentialSubject };
  if (o.id) copy.id = o.id;
  return copy;
}

async function barAdminToken(s: HttpTarget, barId: string): Promise<string> {
  const key = await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId, label: "registry office" } });
  expect(key.status, key.text).toBe(201);
  return key.body.token;
}

export const pipelineScenarios: TrustScenarios = (target) => {
  it("attack 1: a certificate id means one certificate; another provider's copy under it credits nothing (2.2.4, 12.2)", async () => {
    const s = target();
    const { certificates } = await issued(s, 1); // P1, accredited by almaty-city; the participant 100000 is its member
    const genuine = (await s.call("GET", `/api/certificates/${certificates[0]!.id}`)).body;
    const c1 = genuine.credential;
    const attacker = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
    const p2 = await accreditedProvider(s, { barId: "aktobe", programmes: ["topical"], name: "P2 орталығы" });

    // The VC API never signs under a certificate id, nor anything that claims to be a certificate.
    const underId = await s.call("POST", "/credentials/issue", { token: p2.token, body: { credential: { "@context": [VC2], type: ["VerifiableCredential"], id: c1.id, issuer: p2.party.did, credentialSubject: { id: attacker } } } });
    expect(underId.status, underId.text).toBe(422);
    expect(underId.body.code).toBe("rule_violated");
    const underOption = await s.call("POST", "/credentials/issue", { token: p2.token, body: { credential: { "@context": [VC2], type: ["VerifiableCredential"], issuer: p2.party.did, credentialSubject: { id: attacker } }, options: { credentialId: c1.id } } });
    expect(underOption.status, underOption.text).toBe(422);
    const { credentialStatus: _, ...shape } = reshaped(c1, { did: p2.party.did, name: p2.party.name }, { id: "urn:uuid:2f0d3c8e-6f44-4a0b-9c1d-8a3b1e6f9a01", minutes: 4500 });
    const certificateShaped = await s.call("POST", "/credentials/issue", { token: p2.token, body: { credential: shape } });
    expect(certificateShaped.status, certificateShaped.text).toBe(422);
    expect(certificateShaped.body.detail).toContain("/api/events/");

    // A trainer holding its own key signs a copy under P1's id: 100 hours in 2023, bound to the attacker's wallet.
    const t = await externalTrainer(s, { barId: "aktobe", programmes: ["topical"], name: "Trainer T" });
    const forged = reshaped(c1, t, { minutes: 4500, start: "2023-03-01T04:00:00Z", end: "2023-03-20T12:00:00Z", validFrom: "2023-03-21T09:00:00Z", programme: "topical", holder: attacker });
    const jwt = await t.signJwt(forged);
    const v = await s.call("POST", "/api/verify", { body: { jwt } });
    expect(v.status, v.text).toBe(422);
    expect(v.body.profile).toBe("certificate");
    expect(check(v.body, "signature").outcome).toBe("passed");
    expect(check(v.body, "record")).toMatchObject({ outcome: "failed", code: "certificate-id-mismatch" });

    // Brought to bar A's desk for 2023 with the member's licence: nothing is credited.
    const barA = await barAdminToken(s, "almaty-city");
    const request = await s.call("POST", "/api/presentation-requests", { token: barA, body: { year: 2023 } });
    expect(request.status, request.text).toBe(201);
    const upload = await s.call("POST", `/api/presentation-requests/${request.body.id}/uploads`, { token: barA, body: { licence: "100000", credentials: [jwt] } });
    expect(upload.status, upload.text).toBe(201);
    expect(upload.body.credited).toEqual([]);
    expect(upload.body.refused).toEqual([expect.objectContaining({ reason: "not-verified", certificateId: certificates[0]!.id })]);
    expect((await s.call("GET", "/api/advocates/100000/ledger?year=2023", { token: barA })).body.entries).toEqual([]);

    // The genuine certificate is credited, with the hours, programme and year of its record.
    const year = new Date(Date.parse(c1.credentialSubject.achievement.eventEnd) + 5 * 3_600_000).getUTCFullYear();
    const real = await s.call("POST", "/api/presentation-requests", { token: barA, body: { year } });
    const credited = await s.call("POST", `/api/presentation-requests/${real.body.id}/uploads`, { token: barA, body: { licence: "100000", credentials: [genuine.jwt] } });
    expect(credited.status, credited.text).toBe(201);
    expect(credited.body.credited).toEqual([expect.objectContaining({ certificateId: certificates[0]!.id, year, durationMinutes: c1.credentialSubject.achievement.durationMinutes, programme: c1.credentialSubject.achievement.programme })]);
  });

  it("attack 2: a certificate is decided by what it claims: out of scope with hours as a string is malformed, never genuine", async () => {
    const s = target();
    const { certificates } = await issued(s, 1);
    const c1 = (await s.call("GET", `/api/certificates/${certificates[0]!.id}`)).body.credential;
    const t = await externalTrainer(s, { barId: "aktobe", programmes: ["topical"], name: "Trainer U" });
    const end = toInstant(s.clock.ms - DAY);
    const shaped = reshaped(c1, t, { id: "urn:uuid:6b3c1f0e-2d7a-4c55-8f10-3e9d2a7b4c61", minutes: 4500, start: toInstant(s.clock.ms - 2 * DAY), end, validFrom: toInstant(s.clock.ms - 60_000), programme: "criminal" });
    shaped.credentialSubject.creditsEarned = "100";
    const di = await t.signDi(shaped);
    const v = await s.call("POST", "/api/verify", { body: { credential: di } });
    expect(v.status, v.text).toBe(422);
    expect(v.body.profile).toBe("certificate");
    expect(check(v.body, "format")).toMatchObject({ outcome: "failed", code: "malformed-certificate" });
    expect(v.body.summary).toBeNull();
    // The public /verify page says "not genuine" in every language.
    for (const [lang, word] of [["en", "did not pass"], ["ru", "не прошёл"], ["kk", "өтпеді"]] as const) {
      const form = new FormData();
      form.set("text", JSON.stringify(di));
      const page = await s.fetch(`/verify?lang=${lang}`, { method: "POST", body: form });
      const html = await page.text();
      expect(html, lang).toContain(word);
      expect(html).not.toContain('class="verdict ok"');
    }

    // Type edits that keep the signed RDF (6 → "6", a value object) still fail the certificate rules.
    const issuedDi = await s.call("GET", `/api/certificates/${certificates[0]!.id}?format=di`);
    expect(issuedDi.status, issuedDi.text).toBe(200);
    const edits: ((d: any) => void)[] = [
      (d) => (d.credentialSubject.creditsEarned = String(d.credentialSubject.creditsEarned)),
      (d) => (d.credentialSubject.achievement.programme = { "@value": d.credentialSubject.achievement.programme }),
    ];
    for (const edit of edits) {
      const edited = structuredClone(issuedDi.body.dataIntegrity);
      edit(edited);
      const r = await s.call("POST", "/api/verify", { body: { credential: edited } });
      expect(r.status, r.text).toBe(422);
      expect(r.body.verified).toBe(false);
      expect(r.body.summary).toBeNull();
      expect(check(r.body, "format").code).toBe("malformed-certificate");
    }
  });

  it("attack 3: the organiser is the registry's; a signed name that differs is a failed check, never shown as the organiser", async () => {
    const s = target();
    const { certificates } = await issued(s, 1);
    const c1 = (await s.call("GET", `/api/certificates/${certificates[0]!.id}`)).body.credential;
    const t = await externalTrainer(s, { barId: "aktobe", programmes: ["topical"], name: "Trainer V" });
    const impostor = reshaped(c1, { did: t.did, name: "P1 centre of Almaty" }, { id: "urn:uuid:0d8e5a11-93b4-4e8a-a0f2-5c7b9d1e3f27", start: toInstant(s.clock.ms - 2 * DAY), end: toInstant(s.clock.ms - DAY), validFrom: toInstant(s.clock.ms - 60_000), programme: "topical" });
    const v = await s.call("POST", "/api/verify", { body: { jwt: await t.signJwt(impostor) } });
    expect(v.status, v.text).toBe(422);
    expect(check(v.body, "organiser")).toMatchObject({ outcome: "failed", code: "organiser-name-mismatch" });
    expect(v.body.summary.issuer).toEqual({ id: t.did, name: "Trainer V" });
    const form = new FormData();
    form.set("text", await t.signJwt(impostor));
    const html = await (await s.fetch("/verify?lang=en", { method: "POST", body: form })).text();
    expect(html).toContain('data-field="organiser">Trainer V<');
    expect(html).not.toContain('class="verdict ok"');

    // Through the VC API a provider may name itself only as the registry does.
    const p2 = await accreditedProvider(s, { barId: "aktobe", name: "P2 орталығы" });
    const named = await s.call("POST", "/credentials/issue", { token: p2.token, body: { credential: { "@context": [VC2], type: ["VerifiableCredential"], issuer: { id: p2.party.did, name: "P1 centre of Almaty" }, credentialSubject: { id: "did:example:someone" } } } });
    expect(named.status, named.text).toBe(422);
    expect(named.body.code).toBe("rule_violated");
    const honest = await s.call("POST", "/credentials/issue", { token: p2.token, body: { credential: { "@context": [VC2], type: ["VerifiableCredential"], issuer: { id: p2.party.did, name: "P2 орталығы" }, credentialSubject: { id: "did:example:someone" } } } });
    expect(honest.status, honest.text).toBe(201);
    // The genuine certificate names its organiser as registered, and passes.
    const ok = await s.call("POST", "/api/verify", { body: { url: c1.id } });
    expect(ok.status, ok.text).toBe(200);
    expect(check(ok.body, "organiser").outcome).toBe("passed");
    expect(check(ok.body, "record")).toMatchObject({ outcome: "passed", code: "matches-record" });
  });

  it("a vc+jwt's exp and nbf bind it: a genuine key signing a past exp or a future nbf does not verify (RFC 7519)", async () => {
    const s = target();
    const t = await externalTrainer(s, { barId: "aktobe", programmes: ["topical"], name: "Trainer W" });
    const base = { "@context": [VC2], type: ["VerifiableCredential"], id: "urn:uuid:9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d", issuer: t.did, validFrom: toInstant(s.clock.ms - DAY), credentialSubject: { id: "did:example:someone" } };
    const nowS = Math.floor(s.clock.ms / 1000);
    const good = await s.call("POST", "/api/verify", { body: { jwt: await t.signJwt({ ...base, exp: nowS + 3600 }) } });
    expect(good.status, good.text).toBe(200);
    const expired = await s.call("POST", "/api/verify", { body: { jwt: await t.signJwt({ ...base, exp: nowS - 60 }) } });
    expect(check(expired.body, "validity")).toMatchObject({ outcome: "failed", code: "expired" });
    const early = await s.call("POST", "/api/verify", { body: { jwt: await t.signJwt({ ...base, nbf: nowS + 3600 }) } });
    expect(check(early.body, "validity")).toMatchObject({ outcome: "failed", code: "not-yet-valid" });
    const badType = await s.call("POST", "/api/verify", { body: { jwt: await t.signJwt({ ...base, exp: "tomorrow" }) } });
    expect(check(badType.body, "signature")).toMatchObject({ outcome: "failed", code: "invalid-jwt-claims" });
  });
};
