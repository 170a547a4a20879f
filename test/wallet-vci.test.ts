/**
 * OpenID4VCI 1.0 against the running service, driven by a wallet library nobody here wrote
 * (@sphereon/oid4vci-client): the offer by reference, the PIN, the holder's jwt proof, and a credential that then
 * verifies through POST /api/verify. 2.2.3: the advocate keeps the certificate in their wallet.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeCompactJws } from "../src/credentials/jwt.js";
import { issued } from "./helpers.js";
import { credentialInJwt, newHolder, startHttpSenim, walletTakesOffer, type HttpSenim } from "./wallet-helpers.js";

let s: HttpSenim;
let provider: Awaited<ReturnType<typeof issued>>;

beforeAll(async () => {
  s = await startHttpSenim();
  provider = await issued(s, 3);
});
afterAll(async () => s.close());

async function offer(certificateId = provider.certificates[0]!.id) {
  const res = await s.call("POST", `/api/certificates/${certificateId}/offers`, { token: provider.provider.token });
  expect(res.status).toBe(201);
  return res.body as { offerId: string; offer: string; credentialOfferUri: string; txCode: string; expiresAt: string };
}

describe("OpenID4VCI: the advocate's wallet takes the certificate", () => {
  it("publishes issuer and authorization server metadata", async () => {
    const issuer = await (await fetch(`${s.url}/.well-known/openid-credential-issuer`)).json();
    expect(issuer.credential_issuer).toBe(s.url);
    expect(issuer.nonce_endpoint).toBe(`${s.url}/oid4vci/nonce`);
    expect(issuer.credential_configurations_supported.SenimCertificate_jwt_vc_json.format).toBe("jwt_vc_json");
    const as = await (await fetch(`${s.url}/.well-known/oauth-authorization-server`)).json();
    expect(as.token_endpoint).toBe(`${s.url}/oid4vci/token`);
    expect(as["pre-authorized_grant_anonymous_access_supported"]).toBe(true);
  });

  it("offer by reference + PIN + did:key proof → a VC-JWT 1.1 (jwt_vc_json) bound to the wallet that verifies", async () => {
    const o = await offer();
    expect(o.offer).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
    expect(o.txCode).toMatch(/^\d{6}$/);
    const holder = await newHolder("did:key");
    const response = await walletTakesOffer(o, holder);
    const jwt = (response.credentials?.[0] as { credential: string }).credential;
    const payload = credentialInJwt(jwt);
    expect(decodeCompactJws(jwt)!.header).toMatchObject({ alg: "EdDSA", typ: "JWT" }); // OpenID4VCI A.1.1: a VC-JWT 1.1
    expect(payload.credentialSubject.id).toBe(holder.did);
    expect(payload.id).toBe(provider.certificates[0]!.url); // same certificate id, same status entry
    const stored = (await s.call("GET", `/api/certificates/${provider.certificates[0]!.id}`)).body;
    expect(payload.credentialStatus).toEqual(stored.credential.credentialStatus);
    const verified = await s.call("POST", "/api/verify", { body: { jwt } });
    expect(verified.status).toBe(200);
    expect(verified.body.verified).toBe(true);
    expect(verified.body.summary.participant.holder).toBe(holder.did);
  });

  it("binds a did:jwk (P-256) wallet too", async () => {
    const holder = await newHolder("did:jwk:p256");
    const response = await walletTakesOffer(await offer(provider.certificates[1]!.id), holder);
    const jwt = (response.credentials?.[0] as { credential: string }).credential;
    expect(credentialInJwt(jwt).credentialSubject.id).toBe(holder.did);
    expect((await s.call("POST", "/api/verify", { body: { jwt } })).body.verified).toBe(true);
  });
});

/** A raw token request, as any wallet sends it. */
async function token(code: string, pin?: string) {
  const form = new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:pre-authorized_code", "pre-authorized_code": code, ...(pin !== undefined ? { tx_code: pin } : {}) });
  const res = await fetch(`${s.url}/oid4vci/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form });
  return { status: res.status, body: await res.json() };
}

async function codeOf(o: { credentialOfferUri: string }): Promise<string> {
  const res = await fetch(o.credentialOfferUri);
  expect(res.status).toBe(200);
  return (await res.json()).grants["urn:ietf:params:oauth:grant-type:pre-authorized_code"]["pre-authorized_code"];
}

const wrongPin = (pin: string) => String((Number(pin) + 1) % 1_000_000).padStart(6, "0");

describe("OpenID4VCI: what a wallet may not do", () => {
  it("a wrong PIN is allowed five times, then the offer is dead even for the right PIN", async () => {
    const o = await offer();
    const holder = await newHolder();
    // The wallet library reports the refusal too.
    await expect(walletTakesOffer({ ...o, txCode: wrongPin(o.txCode) }, holder)).rejects.toThrow();
    const code = await codeOf(o);
    for (let i = 2; i <= 5; i++) {
      const r = await token(code, wrongPin(o.txCode));
      expect(r.status).toBe(400);
      expect(r.body.error).toBe("invalid_grant");
      expect(r.body.error_description).toContain(i < 5 ? `${5 - i} tries left` : "last try");
    }
    const right = await token(code, o.txCode);
    expect(right.status).toBe(400);
    expect(right.body.error).toBe("invalid_grant");
    expect(right.body.error_description).toContain("Too many wrong PINs");
    expect((await fetch(o.credentialOfferUri)).status).toBe(404); // the offer is gone
  });

  it("the PIN is required", async () => {
    const r = await token(await codeOf(await offer()));
    expect(r.status).toBe(400);
    expect(r.body.error).toBe("invalid_request");
  });

  it("each pre-authorized code is used once", async () => {
    const o = await offer();
    const code = await codeOf(o);
    const first = await token(code, o.txCode);
    expect(first.status).toBe(200);
    expect(first.body.token_type).toBe("Bearer");
    const replay = await token(code, o.txCode);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe("invalid_grant");
    expect(replay.body.error_description).toContain("already used");
  });

  it("an expired offer is refused", async () => {
    const o = await offer();
    const code = await codeOf(o);
    s.clock.advance(15 * 86_400_000);
    try {
      expect((await fetch(o.credentialOfferUri)).status).toBe(404);
      const r = await token(code, o.txCode);
      expect(r.status).toBe(400);
      expect(r.body.error).toBe("invalid_grant");
      expect(r.body.error_description).toContain("expired");
    } finally {
      s.clock.advance(-15 * 86_400_000);
    }
  });

  it("a proof for another DID than the one the provider recorded is refused (invalid_proof)", async () => {
    const advocate = await newHolder();
    const ev = await s.call("POST", "/api/events", {
      token: provider.provider.token,
      body: { topic: "Адвокат этикасы", programme: "foundations", form: "course", deliveryMode: "online", place: "Онлайн", startsAt: "2026-05-20T04:00:00Z", endsAt: "2026-05-20T10:00:00Z", durationMinutes: 270, trainers: [{ name: "Ахметова Г.", field: "Адвокаттық әдеп, 20 жыл практика" }] },
    });
    await s.call("PUT", `/api/events/${ev.body.id}/participants`, { token: provider.provider.token, body: { participants: [{ fullName: "Бекова Айгүл", licenceNumber: "770001", barId: "almaty-city", role: "attendee", walletDid: advocate.did }] } });
    const certs = await s.call("POST", `/api/events/${ev.body.id}/certificates`, { token: provider.provider.token });
    const id = certs.body.certificates[0].id;
    const stranger = await newHolder("did:jwk");
    await expect(walletTakesOffer(await offer(id), stranger)).rejects.toThrow(/Retrieving a credential/);
    // The same refusal on the wire: the spec's invalid_proof.
    const o = await offer(id);
    const t = await token(await codeOf(o), o.txCode);
    const proof = await stranger.sign({ typ: "openid4vci-proof+jwt", kid: stranger.kid }, { aud: s.url, iat: Math.floor(s.clock.ms / 1000), nonce: t.body.c_nonce });
    const refused = await fetch(`${s.url}/oid4vci/credential`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${t.body.access_token}` },
      body: JSON.stringify({ credential_configuration_id: "SenimCertificate_jwt_vc_json", proofs: { jwt: [proof] } }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: "invalid_proof", error_description: expect.stringContaining("another DID") });
    // The advocate's own wallet still gets it on a fresh offer.
    const response = await walletTakesOffer(await offer(id), advocate);
    const jwt = (response.credentials?.[0] as { credential: string }).credential;
    expect(credentialInJwt(jwt).credentialSubject.id).toBe(advocate.did);
  });

  it("a replayed c_nonce and a missing access token are refused with the spec's codes", async () => {
    const o = await offer();
    const t = await token(await codeOf(o), o.txCode);
    const holder = await newHolder();
    const proof = await holder.sign({ typ: "openid4vci-proof+jwt", kid: holder.kid }, { aud: s.url, iat: Math.floor(s.clock.ms / 1000), nonce: t.body.c_nonce });
    const request = { credential_configuration_id: "SenimCertificate_jwt_vc_json", proofs: { jwt: [proof] } };
    const send = (auth?: string) => fetch(`${s.url}/oid4vci/credential`, { method: "POST", headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) }, body: JSON.stringify(request) });
    const anonymous = await send();
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error).toBe("invalid_token");
    const ok = await send(`Bearer ${t.body.access_token}`);
    expect(ok.status).toBe(200);
    const again = await send(`Bearer ${t.body.access_token}`);
    expect(again.status).toBe(400);
    expect((await again.json()).error).toBe("invalid_nonce");
  });

  it("only the issuing provider may make an offer", async () => {
    const other = await s.call("POST", "/api/certificates/" + provider.certificates[0]!.id + "/offers", { token: s.adminToken });
    expect(other.status).toBe(403);
    const anonymous = await s.call("POST", "/api/certificates/" + provider.certificates[0]!.id + "/offers");
    expect(anonymous.status).toBe(401);
  });
});

describe("The offer goes to the participant, not to the public certificate page", () => {
  it("the page never shows a live offer; the offer's own QR code serves the participant until it is taken", async () => {
    const id = provider.certificates[2]!.id;
    const o = await offer(id);
    // The certificate page is public (its QR code is printed): with the offer on it, the PIN was the only secret.
    const page = await (await fetch(`${s.url}/c/${id}?lang=ru`)).text();
    expect(page).not.toContain("Добавить в кошелёк");
    expect(page).not.toContain(encodeURIComponent(o.credentialOfferUri));
    expect(page).not.toContain("openid-credential-offer");
    const qr = await fetch(`${o.credentialOfferUri}/qr.svg`);
    expect(qr.status).toBe(200);
    expect(qr.headers.get("content-type")).toBe("image/svg+xml");
    expect(await qr.text()).toContain("<svg");
    await walletTakesOffer(o, await newHolder());
    expect((await fetch(`${o.credentialOfferUri}/qr.svg`)).status).toBe(404);
  });
});
