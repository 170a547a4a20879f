/**
 * Issue 15: DPoP-bound access tokens (RFC 9449) at the OpenID4VCI endpoints, on SQLite and PostgreSQL. A wallet
 * library nobody here wrote (@sphereon/oid4vci-client) takes a certificate with DPoP, with an Ed25519 and a P-256
 * key, and also sends OpenID4VCI 1.0's `proofs` form. The attacks: a bound token as Bearer, without a proof, with a
 * proof by another key, for another token, URL, method or time; a malformed proof at the token endpoint spends no
 * PIN try. Bearer tokens work as before.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base64url } from "../src/lib/ids.js";
import { DATABASE_KINDS } from "./databases.js";
import { accreditedProvider, eventWithParticipants } from "./helpers.js";
import { credentialInJwt, newHolder, startHttpSenim, walletSendsProofsForm, walletTakesOfferWithDpop, type Holder, type HttpSenim } from "./wallet-helpers.js";

const sha256 = async (text: string) => base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))));
const preAuthorized = "urn:ietf:params:oauth:grant-type:pre-authorized_code";

describe.each(DATABASE_KINDS)("issue 15: DPoP-bound tokens (RFC 9449) and the proofs form on %s", (kind) => {
  let s: HttpSenim;
  let provider: Awaited<ReturnType<typeof accreditedProvider>>;
  let certs: string[];
  let next = 0;

  const offerFor = async () => (await s.call("POST", `/api/certificates/${certs[next++]}/offers`, { token: provider.token })).body as { offer: string; txCode: string; credentialOfferUri: string };
  const codeOf = async (o: { credentialOfferUri: string }) => (await (await fetch(o.credentialOfferUri)).json()).grants[preAuthorized]["pre-authorized_code"] as string;

  /** A DPoP proof by `key` (RFC 9449 §4.2), with `claims` over the defaults for `htu`. */
  const proof = (key: Holder, htu: string, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
    key.sign({ typ: "dpop+jwt", jwk: key.publicJwk, ...header }, { jti: crypto.randomUUID(), htm: "POST", htu, iat: Math.floor(Date.now() / 1000), ...claims });

  async function token(o: { txCode: string; credentialOfferUri: string }, dpop?: string) {
    const body = new URLSearchParams({ grant_type: preAuthorized, "pre-authorized_code": await codeOf(o), tx_code: o.txCode });
    const res = await fetch(`${s.url}/oid4vci/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...(dpop ? { dpop } : {}) }, body });
    return { status: res.status, body: await res.json() };
  }

  async function credential(authorization: string, holder: Holder, dpop?: string) {
    const nonce = (await (await fetch(`${s.url}/oid4vci/nonce`, { method: "POST" })).json()).c_nonce;
    const jwt = await holder.sign({ typ: "openid4vci-proof+jwt", kid: holder.kid }, { aud: s.url, iat: Math.floor(Date.now() / 1000), nonce });
    const res = await fetch(`${s.url}/oid4vci/credential`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization, ...(dpop ? { dpop } : {}) },
      body: JSON.stringify({ credential_configuration_id: "SenimCertificate_jwt_vc_json", proofs: { jwt: [jwt] } }),
    });
    return { status: res.status, body: await res.json(), challenge: res.headers.get("www-authenticate") };
  }

  beforeAll(async () => {
    s = await startHttpSenim({ database: kind, now: "system" });
    provider = await accreditedProvider(s);
    const event = await eventWithParticipants(s, provider.token, { n: 12 });
    certs = (await s.call("POST", `/api/events/${event.id}/certificates`, { token: provider.token })).body.certificates.map((c: { id: string }) => c.id);
  });
  afterAll(async () => {
    await s?.close();
  });

  it("the authorization server metadata names the DPoP algorithms", async () => {
    const meta = (await s.call("GET", "/.well-known/oauth-authorization-server")).body;
    expect(meta.dpop_signing_alg_values_supported).toEqual(["EdDSA", "ES256"]);
  });

  it.each(["did:key", "did:jwk:p256"] as const)("@sphereon/oid4vci-client with a DPoP key (%s): a DPoP token, and the certificate under it", async (dpopKind) => {
    const holder = await newHolder("did:key");
    const { token: t, credential: c } = await walletTakesOfferWithDpop(await offerFor(), holder, await newHolder(dpopKind));
    expect(t.token_type).toBe("DPoP");
    const jwt = (c.credentials![0] as { credential: string }).credential;
    expect(credentialInJwt(jwt).credentialSubject.id).toBe(holder.did);
    expect((await s.call("POST", "/api/verify", { body: { jwt } })).body.verified).toBe(true);
  });

  it("@sphereon/oid4vci-client sending the proofs form (OpenID4VCI 1.0 §8.2) gets the certificate", async () => {
    const holder = await newHolder("did:jwk");
    const response = await walletSendsProofsForm(await offerFor(), holder);
    expect(response.successBody, JSON.stringify(response.errorBody)).toBeDefined();
    const jwt = (response.successBody!.credentials![0] as { credential: string }).credential;
    expect(credentialInJwt(jwt).credentialSubject.id).toBe(holder.did);
  });

  it("a Bearer token stays a Bearer token, and is refused under the DPoP scheme", async () => {
    const t = await token(await offerFor());
    expect(t.body.token_type).toBe("Bearer");
    const holder = await newHolder();
    const dpopKey = await newHolder();
    const asDpop = await credential(`DPoP ${t.body.access_token}`, holder, await proof(dpopKey, `${s.url}/oid4vci/credential`, { ath: await sha256(t.body.access_token) }));
    expect(asDpop).toMatchObject({ status: 401, body: { error: "invalid_token" } });
    expect((await credential(`Bearer ${t.body.access_token}`, holder)).status).toBe(200);
  });

  it("attack: a malformed DPoP proof at the token endpoint is refused before the PIN is tried (no try spent, the offer still redeems)", async () => {
    const o = await offerFor();
    const key = await newHolder();
    const tokenUrl = `${s.url}/oid4vci/token`;
    const refused = [
      "not-a-jwt",
      await proof(key, tokenUrl, {}, { typ: "JWT" }),
      await proof(key, `${s.url}/oid4vci/credential`),
      await proof(key, tokenUrl, { htm: "GET" }),
      await proof(key, tokenUrl, { iat: Math.floor(Date.now() / 1000) - 3_600 }),
      await proof(key, tokenUrl, { jti: undefined }),
      await proof(key, tokenUrl, {}, { jwk: (await newHolder()).publicJwk }),
      `${await proof(key, tokenUrl)}, ${await proof(key, tokenUrl)}`,
    ];
    for (const dpop of refused) {
      const r = await token(o, dpop);
      expect(r, dpop.slice(0, 40)).toMatchObject({ status: 400, body: { error: "invalid_dpop_proof" } });
    }
    // Eight refusals, more than the five tries a PIN has: had any been counted, the offer would be dead now.
    expect(refused.length).toBeGreaterThan(5);
    const t = await token(o, await proof(key, tokenUrl));
    expect(t).toMatchObject({ status: 200, body: { token_type: "DPoP" } });
  });

  it("attack: a DPoP-bound token is refused as Bearer, without a proof, with another key's proof, or a proof for another token, URL, method or time; the right proof then gets the certificate", async () => {
    const key = await newHolder("did:jwk:p256");
    const t = await token(await offerFor(), await proof(key, `${s.url}/oid4vci/token`));
    expect(t.body.token_type).toBe("DPoP");
    const at = t.body.access_token as string;
    const url = `${s.url}/oid4vci/credential`;
    const ath = await sha256(at);
    const holder = await newHolder();
    expect(await credential(`Bearer ${at}`, holder)).toMatchObject({ status: 401, body: { error: "invalid_token" } });
    const none = await credential(`DPoP ${at}`, holder);
    expect(none).toMatchObject({ status: 401, body: { error: "invalid_dpop_proof" } });
    expect(none.challenge).toMatch(/^DPoP error="invalid_dpop_proof", algs="EdDSA ES256"$/);
    const wrong = [
      await proof(await newHolder("did:jwk:p256"), url, { ath }),
      await proof(key, url, { ath: await sha256("another token") }),
      await proof(key, url),
      await proof(key, `${s.url}/oid4vci/token`, { ath }),
      await proof(key, url, { ath, htm: "PUT" }),
      await proof(key, url, { ath, iat: Math.floor(Date.now() / 1000) + 600 }),
    ];
    for (const dpop of wrong) expect(await credential(`DPoP ${at}`, holder, dpop)).toMatchObject({ status: 401, body: { error: "invalid_dpop_proof" } });
    // The query string is not part of htu (§4.3): the same proof with one still matches.
    const ok = await credential(`DPoP ${at}`, holder, await proof(key, `${url}?x=1`, { ath }));
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(credentialInJwt(ok.body.credentials[0].credential).credentialSubject.id).toBe(holder.did);
  });
});
