/**
 * OpenID4VP 1.0 against the running service: the bar asks (DCQL, request by reference, signed with the bar's
 * did:web), a holder library nobody here wrote (@openid4vc/openid4vp) resolves and answers with direct_post, and the
 * certificates land in the advocate's yearly ledger (2.2.4, 12.2).
 */
import { Openid4vpClient } from "@openid4vc/openid4vp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeCompactJws } from "../src/credentials/jwt.js";
import type { accreditedProvider } from "./helpers.js";
import { newHolder, presentationWorld, walletTakesCertificate, walletVpCallbacks, type Holder, type HttpSenim } from "./wallet-helpers.js";

let s: HttpSenim;
let provider: Awaited<ReturnType<typeof accreditedProvider>>;
let barToken: string;
/** Certificates of licence 100000 (a) and 100001 (b), Almaty City bar. */
let certs: { a: string[]; b: string[] };
/** The year the test events end in (12.2). */
let YEAR: number;

beforeAll(async () => {
  ({ s, provider, barToken, certs, year: YEAR } = await presentationWorld(["criminal", "civil"]));
});
afterAll(async () => s.close());

/** The advocate's wallet takes a certificate through OpenID4VCI (as in wallet-vci.test.ts) and keeps the vc+jwt. */
const receive = (certificateId: string, holder: Holder) => walletTakesCertificate(s, provider.token, certificateId, holder);

async function barRequest(year = YEAR) {
  const res = await s.call("POST", "/api/presentation-requests", { token: barToken, body: { year } });
  expect(res.status).toBe(201);
  return res.body as { id: string; link: string; clientId: string; requestUri: string };
}

const walletCallbacks = walletVpCallbacks(async (path) => (await fetch(`${s.url}${path}`)).json());

/** The wallet's answer: resolve the QR link with the holder library, sign a VP JWT, direct_post it. */
async function present(link: string, holder: Holder, vcs: string[], tweak: { nonce?: string; aud?: string } = {}) {
  const client = new Openid4vpClient({ callbacks: walletCallbacks });
  const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: link });
  const resolved = await client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params });
  expect(resolved.client.prefix).toBe("decentralized_identifier");
  expect(resolved.dcql?.query).toMatchObject({ credentials: [{ id: "cle_certificates", format: "jwt_vc_json" }, { id: "cle_certificates_ldp", format: "ldp_vc" }, { id: "cle_certificates_sd_jwt", format: "dc+sd-jwt" }] });
  const request = resolved.authorizationRequestPayload as { nonce: string; client_id: string; response_uri: string };
  const vp = await holder.sign(
    { typ: "JWT", kid: holder.kid },
    { iss: holder.did, aud: tweak.aud ?? request.client_id, nonce: tweak.nonce ?? request.nonce, iat: Math.floor(s.clock.ms / 1000), exp: Math.floor(s.clock.ms / 1000) + 300, vp: { "@context": ["https://www.w3.org/2018/credentials/v1"], type: ["VerifiablePresentation"], holder: holder.did, verifiableCredential: vcs } },
  );
  const response = await client.createOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: resolved.authorizationRequestPayload,
    authorizationResponsePayload: { vp_token: { cle_certificates: [vp] } },
  });
  const submitted = await client.submitOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: request,
    authorizationResponsePayload: response.authorizationResponsePayload,
  });
  return { response: submitted.response, vp, request, authorizationResponsePayload: response.authorizationResponsePayload };
}

async function outcome(id: string) {
  const res = await s.call("GET", `/api/presentation-requests/${id}`, { token: barToken });
  expect(res.status).toBe(200);
  return res.body;
}

describe("OpenID4VP: the advocate presents the year's certificates to the bar", () => {
  let advocate: Holder;
  let vcs: string[];

  beforeAll(async () => {
    advocate = await newHolder("did:key");
    vcs = [await receive(certs.a[0]!, advocate), await receive(certs.a[1]!, advocate)];
  });

  it("2.2.4: credits both certificates to licence 100000 for the year at the Almaty City bar", async () => {
    const r = await barRequest();
    expect(r.link).toMatch(/^openid4vp:\/\/\?client_id=decentralized_identifier%3Adid%3Aweb%3A/);
    const { response } = await present(r.link, advocate, vcs);
    expect(response.status).toBe(200);
    const o = await outcome(r.id);
    expect(o.outcome.licence).toBe("100000");
    expect(o.outcome.holder).toBe(advocate.did);
    expect(o.outcome.refused).toEqual([]);
    expect(o.outcome.credited.map((e: { certificateId: string }) => e.certificateId).sort()).toEqual([...certs.a].sort());
    expect(o.outcome.credited.every((e: { provenBy: string }) => e.provenBy === "openid4vp")).toBe(true);

    const ledger = await s.call("GET", `/api/advocates/100000/ledger?year=${YEAR}`, { token: barToken });
    expect(ledger.status).toBe(200);
    expect(ledger.body.entries).toHaveLength(2);
    // 10.6: 360 + 90 minutes = 450 minutes = 10 academic hours.
    expect(ledger.body.totals.total).toEqual({ certificates: 2, durationMinutes: 450, academicHours: 10 });
    expect(ledger.body.totals.byProgramme.criminal).toEqual({ certificates: 1, durationMinutes: 360, academicHours: 8 });
    expect(ledger.body.totals.byForm.course.certificates).toBe(2);
    expect(ledger.body.entries[0]).toMatchObject({ issuerName: provider.party.name, topic: expect.any(String), form: "course", provenBy: "openid4vp" });
  });

  it("a certificate counts once however often it is presented", async () => {
    const r = await barRequest();
    const { response } = await present(r.link, advocate, vcs);
    expect(response.status).toBe(200);
    const o = await outcome(r.id);
    expect(o.outcome.credited).toEqual([]);
    expect(o.outcome.alreadyCredited.sort()).toEqual([...certs.a].sort());
    expect((await s.call("GET", `/api/advocates/100000/ledger?year=${YEAR}`, { token: barToken })).body.entries).toHaveLength(2);
  });

  it("the same presentation cannot be credited twice: a replayed response (same nonce) is refused", async () => {
    const r = await barRequest();
    const first = await present(r.link, advocate, vcs);
    expect(first.response.status).toBe(200);
    const replay = await fetch(first.request.response_uri, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ vp_token: JSON.stringify(first.authorizationResponsePayload.vp_token), state: r.id }),
    });
    expect(replay.status).toBe(400);
    const body = await replay.json();
    expect(body.error).toBe("invalid_request");
    expect(body.error_description).toContain("already answered");
    // And the request object is gone once answered.
    expect((await fetch(r.requestUri)).status).toBe(404);
  });

  it("a presentation with someone else's certificate: that certificate is refused, not credited", async () => {
    const other = await newHolder("did:jwk");
    const othersVc = await receive(certs.b[0]!, other);
    const r = await barRequest();
    const thief = await newHolder("did:key");
    const { response } = await present(r.link, thief, [othersVc]);
    expect(response.status).toBe(200);
    const o = await outcome(r.id);
    expect(o.outcome.credited).toEqual([]);
    expect(o.outcome.refused).toEqual([expect.objectContaining({ reason: "not-the-presenters", certificateId: certs.b[0] })]);
    expect((await s.call("GET", `/api/advocates/100001/ledger?year=${YEAR}`, { token: barToken })).body.entries).toEqual([]);
  });

  it("a presentation for another verifier or another nonce is refused", async () => {
    const r1 = await barRequest();
    const wrongAudience = (await present(r1.link, advocate, vcs, { aud: "decentralized_identifier:did:web:elsewhere.example" })).response;
    expect(wrongAudience.status).toBe(400);
    expect(await wrongAudience.json()).toMatchObject({ error: "invalid_request", error_description: expect.stringContaining("(aud)") });
    expect((await outcome(r1.id)).outcome.credited).toEqual([]);
    const r2 = await barRequest();
    const wrongNonce = (await present(r2.link, advocate, vcs, { nonce: "not-the-nonce" })).response;
    expect(wrongNonce.status).toBe(400);
    expect((await wrongNonce.json()).error_description).toContain("nonce");
    expect((await outcome(r2.id)).outcome.refused[0].reason).toBe("presentation-invalid");
  });

  it("the advocate reads their own ledger with a proof from the wallet that presented; a stranger's wallet may not", async () => {
    const url = `${s.url}/api/advocates/100000/ledger`;
    const proof = (h: Holder) => h.sign({ typ: "senim-ledger+jwt", kid: h.kid }, { aud: url, iat: Math.floor(s.clock.ms / 1000) });
    const mine = await fetch(`${url}?year=${YEAR}`, { headers: { authorization: `Holder ${await proof(advocate)}` } });
    expect(mine.status).toBe(200);
    expect((await mine.json()).totals.total.academicHours).toBe(10);
    const stranger = await newHolder();
    expect((await fetch(`${url}?year=${YEAR}`, { headers: { authorization: `Holder ${await proof(stranger)}` } })).status).toBe(403);
    expect((await fetch(`${url}?year=${YEAR}`)).status).toBe(401);
  });

  it("only the bar's admin (or the RBA's) may ask and read; a provider may not", async () => {
    expect((await s.call("POST", "/api/presentation-requests", { token: provider.token, body: { year: YEAR } })).status).toBe(403);
    expect((await s.call("POST", "/api/presentation-requests", { token: barToken, body: { year: YEAR, barId: "astana-city" } })).status).toBe(403);
    expect((await s.call("GET", `/api/advocates/100000/ledger?year=${YEAR}`, { token: provider.token })).status).toBe(403);
    const rba = await s.call("GET", `/api/advocates/100000/ledger?year=${YEAR}`, { token: s.adminToken });
    expect(rba.body.entries).toHaveLength(2);
  });

  it("the desk page shows the QR code and link while open, then only that it was received", async () => {
    const r = (await s.call("POST", "/api/presentation-requests", { token: barToken, body: { year: YEAR } })).body;
    const open = await (await fetch(`${r.page}?lang=kk`)).text();
    expect(open).toContain("Алматы қалалық адвокаттар алқасы");
    expect(open).toContain(`/oid4vp/requests/${r.id}/qr.svg`);
    expect(open).toContain(r.link.replace(/&/g, "&amp;"));
    await present(r.link, advocate, vcs);
    const answered = await (await fetch(`${r.page}?lang=en`)).text();
    expect(answered).toContain("Received: the bar has the presentation.");
    expect(answered).not.toContain("qr.svg");
    expect(answered).not.toContain("100000"); // the outcome stays with the bar
  });

  it("the bar's DID document carries the key that signs its requests", async () => {
    const r = await barRequest();
    const jar = await (await fetch(r.requestUri)).text();
    const header = decodeCompactJws(jar)!.header;
    expect(header.typ).toBe("oauth-authz-req+jwt");
    const doc = await (await fetch(`${s.url}/bars/almaty-city/did.json`)).json();
    expect(doc.verificationMethod[0].id).toBe(header.kid);
    expect(doc.verificationMethod[0].type).toBe("JsonWebKey2020"); // issue 15: the type wallets' did:web resolvers read
    expect(r.clientId).toBe(`decentralized_identifier:${doc.id}`);
  });

  it("the bar rotates its verifier key: a request fetched just before still verifies for an hour; after a compromise the old key is gone at once", async () => {
    const kidOf = (jar: string) => decodeCompactJws(jar)!.header.kid as string;
    const didDocument = async () => (await fetch(`${s.url}/bars/almaty-city/did.json`)).json();
    /** The wallet got the signed request just before the rotation and checks it after: passed by value. */
    const byValue = (r: { clientId: string }, jar: string) => `openid4vp://?client_id=${encodeURIComponent(r.clientId)}&request=${jar}`;

    const before = await barRequest();
    const jarBefore = await (await fetch(before.requestUri)).text();
    const old = kidOf(jarBefore);
    const rotated = await s.call("POST", "/api/bars/almaty-city/verifier-key/rotation", { token: barToken, body: {} });
    expect(rotated.status).toBe(201);
    expect(rotated.body).toMatchObject({ barId: "almaty-city", retired: { kid: old, reason: "scheduled" } });
    expect(Date.parse(rotated.body.retired.publishedUntil) - s.clock.ms).toBeGreaterThan(59 * 60_000);
    expect(rotated.body.kid).not.toBe(old);
    expect((await didDocument()).verificationMethod.map((m: { id: string }) => m.id)).toEqual([rotated.body.kid, old]);
    expect((await present(byValue(before, jarBefore), advocate, vcs)).response.status).toBe(200);
    const o = (await outcome(before.id)).outcome;
    expect([...o.credited, ...o.alreadyCredited]).toHaveLength(2);
    expect(o.refused).toEqual([]);

    // New requests are signed with the new key, and a holder library checks them against the DID document.
    const after = await barRequest();
    expect(kidOf(await (await fetch(after.requestUri)).text())).toBe(rotated.body.kid);
    expect((await present(after.link, advocate, vcs)).response.status).toBe(200);

    // An hour later the old key has left the document.
    s.clock.set(new Date(s.clock.ms + 61 * 60_000).toISOString());
    try {
      expect((await didDocument()).verificationMethod.map((m: { id: string }) => m.id)).toEqual([rotated.body.kid]);
    } finally {
      (s.clock as unknown as { fixed: number | null }).fixed = null;
    }

    // Compromised: the RBA's admin rotates; a request the thief could have signed with the old key no longer verifies.
    const pending = await barRequest();
    const jarPending = await (await fetch(pending.requestUri)).text();
    const compromised = await s.call("POST", "/api/bars/almaty-city/verifier-key/rotation", { token: s.adminToken, body: { reason: "compromised" } });
    expect(compromised.status).toBe(201);
    expect(compromised.body.retired).toMatchObject({ kid: rotated.body.kid, reason: "compromised" });
    const published = (await didDocument()).verificationMethod.map((m: { id: string }) => m.id);
    expect(published[0]).toBe(compromised.body.kid);
    expect(published).not.toContain(rotated.body.kid); // (the first key, retired on schedule, still has its hour)
    const refused = await present(byValue(pending, jarPending), advocate, vcs).then(() => undefined, (e: Error) => e);
    expect(refused?.message).toContain("Error during verification of jwt"); // the holder library refuses the request
  });

  it("only the bar's admin (or the RBA's) may rotate its verifier key; bad input is a 4xx problem", async () => {
    const astana = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "astana-city", label: "keys" } })).body.token;
    const rotate = (token: string, body: unknown, bar = "almaty-city") => s.call("POST", `/api/bars/${bar}/verifier-key/rotation`, { token, body });
    expect((await rotate(provider.token, {})).status).toBe(403);
    expect((await rotate(astana, {})).status).toBe(403);
    expect((await s.call("POST", "/api/bars/almaty-city/verifier-key/rotation", {})).status).toBe(401);
    expect((await rotate(s.adminToken, {}, "no-such-bar")).status).toBe(404);
    const bad = await rotate(barToken, { reason: "bored" });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("invalid_request");
    expect((await rotate(barToken, { reason: "scheduled", extra: 1 })).status).toBe(400);
    const kid = (await (await fetch(`${s.url}/bars/almaty-city/did.json`)).json()).verificationMethod[0].id;
    // Nothing changed by the refusals; no body at all means on schedule.
    const plain = await s.call("POST", "/api/bars/almaty-city/verifier-key/rotation", { token: barToken });
    expect(plain.status).toBe(201);
    expect(plain.body.retired).toMatchObject({ kid, reason: "scheduled" });
  });
});

describe("Upload: advocates without a wallet bring their certificate files to the bar", () => {
  it("the bar credits .jwt and .json files of one licence with the same checks; others' and altered files are refused", async () => {
    // Licence 100001's certificates as downloaded from the certificate page.
    const jwtFile = await (await fetch(`${s.url}/c/${certs.b[1]}/credential.jwt`)).text();
    const jsonFile = await (await fetch(`${s.url}/c/${certs.b[0]}/credential.json`)).json();
    const altered = { ...jsonFile, credentialSubject: { ...jsonFile.credentialSubject, creditsEarned: 99 } };
    const someoneElses = await (await fetch(`${s.url}/c/${certs.a[0]}/credential.jwt`)).text();
    const r = await barRequest();
    const res = await s.call("POST", `/api/presentation-requests/${r.id}/uploads`, { token: barToken, body: { licence: "100001", credentials: [jwtFile, jsonFile, altered, someoneElses, "not a credential"] } });
    expect(res.status).toBe(201);
    expect(res.body.credited.map((e: { certificateId: string }) => e.certificateId).sort()).toEqual([...certs.b].sort());
    expect(res.body.credited.every((e: { provenBy: string }) => e.provenBy === "upload")).toBe(true);
    expect(res.body.refused.map((x: { reason: string }) => x.reason)).toEqual(["not-verified", "another-advocate", "not-a-credential"]);
    const ledger = await s.call("GET", `/api/advocates/100001/ledger?year=${YEAR}`, { token: barToken });
    expect(ledger.body.totals.total.certificates).toBe(2);
    // The request is spent: the same upload again is a conflict, not a second credit.
    const again = await s.call("POST", `/api/presentation-requests/${r.id}/uploads`, { token: barToken, body: { licence: "100001", credentials: [jwtFile] } });
    expect(again.status).toBe(409);
  });

  it("an uploaded presentation gets the presentation checks (holder binding, nonce, audience)", async () => {
    const holder = await newHolder("did:jwk:p256");
    const advocateVc = await receive(certs.b[0]!, holder);
    const r = await barRequest();
    const nonce = (decodeCompactJws(await (await fetch(r.requestUri)).text())!.payload as { nonce: string }).nonce;
    const vp = await holder.sign({ typ: "JWT", kid: holder.kid }, { iss: holder.did, aud: r.clientId, nonce, iat: Math.floor(s.clock.ms / 1000), vp: { type: ["VerifiablePresentation"], verifiableCredential: [advocateVc] } });
    const res = await s.call("POST", `/api/presentation-requests/${r.id}/uploads`, { token: barToken, body: { presentation: vp } });
    expect(res.status).toBe(201);
    expect(res.body.holder).toBe(holder.did);
    expect(res.body.alreadyCredited).toEqual([certs.b[0]]); // credited by the file upload above: counted once
  });

  it("another bar's admin may not answer the request", async () => {
    const r = await barRequest();
    const astana = await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "astana-city", label: "desk" } });
    const res = await s.call("POST", `/api/presentation-requests/${r.id}/uploads`, { token: astana.body.token, body: { licence: "100001", credentials: ["x"] } });
    expect(res.status).toBe(403);
  });

  it("an expired request is refused and its request object is gone", async () => {
    const r = await barRequest();
    s.clock.set(new Date(s.clock.ms + 25 * 3_600_000).toISOString());
    try {
      expect((await fetch(r.requestUri)).status).toBe(404);
      const res = await s.call("POST", `/api/presentation-requests/${r.id}/uploads`, { token: barToken, body: { licence: "100001", credentials: ["x"] } });
      expect(res.status).toBe(409);
    } finally {
      (s.clock as unknown as { fixed: number | null }).fixed = null;
    }
  });
});
