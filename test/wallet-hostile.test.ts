/** Hostile input to the wallet endpoints: every answer is a 4xx with the spec's error code, nothing crashes or sticks. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issued } from "./helpers.js";
import { credentialInJwt, newHolder, startHttpSenim, type HttpSenim } from "./wallet-helpers.js";

let s: HttpSenim;
let barToken: string;
let providerToken: string;
let certificateId: string;

beforeAll(async () => {
  s = await startHttpSenim();
  const i = await issued(s, 1);
  providerToken = i.provider.token;
  certificateId = i.certificates[0]!.id;
  barToken = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "desk" } })).body.token;
});
afterAll(async () => {
  expect(s.loggedErrors).toEqual([]); // no 500 anywhere in this file
  await s.close();
});

const post = (path: string, body: string, type: string, headers: Record<string, string> = {}) =>
  fetch(`${s.url}${path}`, { method: "POST", headers: { "content-type": type, ...headers }, body });

describe("token endpoint", () => {
  it.each([
    ["JSON instead of a form", '{"grant_type":"x"}', "application/json", "invalid_request"],
    ["no grant type", "pre-authorized_code=abc&tx_code=123456", "application/x-www-form-urlencoded", "invalid_request"],
    ["an unoffered grant", "grant_type=client_credentials", "application/x-www-form-urlencoded", "unsupported_grant_type"],
    ["an unknown code", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code&pre-authorized_code=nope&tx_code=000000", "application/x-www-form-urlencoded", "invalid_grant"],
    ["a huge code", `grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code&pre-authorized_code=${"a".repeat(5000)}&tx_code=000000`, "application/x-www-form-urlencoded", "invalid_grant"],
  ])("%s → 400 %s", async (_name, body, type, error) => {
    const res = await post("/oid4vci/token", body, type);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe(error);
  });

  it("a body over the limit is refused before it is read", async () => {
    const res = await post("/oid4vci/token", "a=" + "x".repeat(40_000), "application/x-www-form-urlencoded");
    expect(res.status).toBe(413);
  });
});

describe("credential endpoint", () => {
  async function accessToken(): Promise<string> {
    const offer = (await s.call("POST", `/api/certificates/${certificateId}/offers`, { token: providerToken })).body;
    const code = (await (await fetch(offer.credentialOfferUri)).json()).grants["urn:ietf:params:oauth:grant-type:pre-authorized_code"]["pre-authorized_code"];
    const t = await post("/oid4vci/token", new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:pre-authorized_code", "pre-authorized_code": code, tx_code: offer.txCode }).toString(), "application/x-www-form-urlencoded");
    return (await t.json()).access_token;
  }

  it("refuses malformed requests with the spec's codes", async () => {
    const auth = { authorization: `Bearer ${await accessToken()}` };
    const cases: [string, string, number, string][] = [
      ["not JSON", "{", 400, "invalid_credential_request"],
      ["an array", "[]", 400, "invalid_credential_request"],
      ["an unknown configuration", JSON.stringify({ credential_configuration_id: "Nope", proofs: { jwt: ["a.b.c"] } }), 400, "unknown_credential_configuration"],
      ["no proof", JSON.stringify({ credential_configuration_id: "SenimCertificate_jwt_vc_json" }), 400, "invalid_proof"],
      ["a proof that is no JWT", JSON.stringify({ credential_configuration_id: "SenimCertificate_jwt_vc_json", proofs: { jwt: ["garbage"] } }), 400, ""],
    ];
    for (const [name, body, status, error] of cases) {
      const res = await post("/oid4vci/credential", body, "application/json", auth);
      expect(res.status, name).toBe(status);
      const json = await res.json();
      if (error) expect(json.error, name).toBe(error);
      else expect(["invalid_credential_request", "invalid_proof", "invalid_nonce"]).toContain(json.error);
    }
  });

  it("a forged or expired access token is invalid_token (401)", async () => {
    const res = await post("/oid4vci/credential", "{}", "application/json", { authorization: "Bearer sat_forged" });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain("invalid_token");
  });
});

describe("issue 15: OpenID4VCI 1.0 details", () => {
  const PRE_AUTH = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
  const ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/; // RFC 6749 §5.2
  async function freshOffer() {
    const offer = (await s.call("POST", `/api/certificates/${certificateId}/offers`, { token: providerToken })).body;
    const code = (await (await fetch(offer.credentialOfferUri)).json()).grants[PRE_AUTH]["pre-authorized_code"];
    return { code, pin: offer.txCode as string };
  }
  const token = (fields: Record<string, string>) => post("/oid4vci/token", new URLSearchParams({ grant_type: PRE_AUTH, ...fields }).toString(), "application/x-www-form-urlencoded");

  it("the authorization server metadata has no empty response_types_supported", async () => {
    const meta = await (await fetch(`${s.url}/.well-known/oauth-authorization-server`)).json();
    expect(meta.token_endpoint).toBe(`${s.url}/oid4vci/token`);
    expect(meta).not.toHaveProperty("response_types_supported");
  });

  it("§6.2: authorization_details of the token request are echoed with credential identifiers; the credential is asked for by one", async () => {
    const { code, pin } = await freshOffer();
    const details = [{ type: "openid_credential", credential_configuration_id: "SenimCertificate_jwt_vc_json" }];
    const t = await token({ "pre-authorized_code": code, tx_code: pin, authorization_details: JSON.stringify(details) });
    expect(t.status).toBe(200);
    const body = await t.json();
    expect(body.authorization_details).toEqual([{ ...details[0], credential_identifiers: ["SenimCertificate_jwt_vc_json"] }]);
    const holder = await newHolder("did:key");
    const nonce = (await (await post("/oid4vci/nonce", "", "application/json")).json()).c_nonce;
    const proof = await holder.sign({ typ: "openid4vci-proof+jwt", kid: holder.kid }, { aud: s.url, iat: Math.floor(Date.now() / 1000), nonce });
    const auth = { authorization: `Bearer ${body.access_token}` };
    const unknown = await post("/oid4vci/credential", JSON.stringify({ credential_identifier: "Another", proofs: { jwt: [proof] } }), "application/json", auth);
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toBe("unknown_credential_identifier");
    const taken = await post("/oid4vci/credential", JSON.stringify({ credential_identifier: "SenimCertificate_jwt_vc_json", proofs: { jwt: [proof] } }), "application/json", auth);
    expect(taken.status, await taken.clone().text()).toBe(200);
    expect(credentialInJwt((await taken.json()).credentials[0].credential).credentialSubject.id).toBe(holder.did);
  });

  it("§6.2: authorization_details naming what the offer does not list are refused before the PIN is tried, which leaves the offer usable", async () => {
    const { code, pin } = await freshOffer();
    for (const bad of ["not json", "[]", JSON.stringify([{ type: "openid_credential", credential_configuration_id: "SenimAnnualAttestation_jwt_vc_json" }]), JSON.stringify([{ type: "other" }])]) {
      const t = await token({ "pre-authorized_code": code, tx_code: pin, authorization_details: bad });
      expect(t.status, bad).toBe(400);
      expect((await t.json()).error, bad).toBe("invalid_authorization_details");
    }
    expect((await token({ "pre-authorized_code": code, tx_code: pin })).status).toBe(200);
  });

  it("§8.2.1.1: a proof without a nonce is invalid_proof; an unknown nonce invalid_nonce; every error_description is printable ASCII", async () => {
    const { code, pin } = await freshOffer();
    const auth = { authorization: `Bearer ${(await (await token({ "pre-authorized_code": code, tx_code: pin })).json()).access_token}` };
    const holder = await newHolder("did:key");
    const ask = async (claims: Record<string, unknown>) => {
      const proof = await holder.sign({ typ: "openid4vci-proof+jwt", kid: holder.kid }, { aud: s.url, iat: Math.floor(Date.now() / 1000), ...claims });
      const res = await post("/oid4vci/credential", JSON.stringify({ credential_configuration_id: "SenimCertificate_jwt_vc_json", proofs: { jwt: [proof] } }), "application/json", auth);
      return { status: res.status, body: await res.json() };
    };
    expect(await ask({})).toMatchObject({ status: 400, body: { error: "invalid_proof" } });
    expect(await ask({ nonce: "never-issued" })).toMatchObject({ status: 400, body: { error: "invalid_nonce" } });
    // The library's own validation messages (multi-line, with ✖ marks) come out as one plain ASCII line.
    for (const body of [JSON.stringify({ credential_configuration_id: 5, proofs: { jwt: 7 } }), JSON.stringify({ proofs: { jwt: ["a.b.c"] }, format: { nested: true } })]) {
      const res = await post("/oid4vci/credential", body, "application/json", auth);
      const json = await res.json();
      expect(res.status).toBe(400);
      expect(json.error_description, JSON.stringify(json)).toMatch(ASCII);
      expect(json.error_description.length).toBeGreaterThan(0);
    }
    const wrongPin = await (await token({ "pre-authorized_code": (await freshOffer()).code, tx_code: "000000" })).json();
    expect(wrongPin.error_description).toMatch(ASCII);
  });
});

describe("direct_post", () => {
  let id: string;
  beforeAll(async () => {
    id = (await s.call("POST", "/api/presentation-requests", { token: barToken, body: { year: 2026 } })).body.id;
  });

  it.each([
    ["JSON instead of a form", "{}", "application/json"],
    ["no vp_token", "state=x", "application/x-www-form-urlencoded"],
  ])("%s → 400", async (_name, body, type) => {
    const res = await post(`/oid4vp/responses/${id}`, body, type);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe("invalid_request");
  });

  it("malformed vp_tokens are refused and leave the request open; an unknown request is refused", async () => {
    for (const vp of ["not json", "[]", '{"cle_certificates":[1,2]}', '{"other":"x"}', JSON.stringify({ cle_certificates: Array(50).fill("a") })]) {
      const res = await post(`/oid4vp/responses/${id}`, new URLSearchParams({ vp_token: vp, state: id }).toString(), "application/x-www-form-urlencoded");
      expect(res.status).toBe(400);
    }
    expect((await s.call("GET", `/api/presentation-requests/${id}`, { token: barToken })).body.answeredAt).toBeNull();
    const unknown = await post("/oid4vp/responses/aaaaaaaaaaaaaaaaaaaa", "vp_token=%7B%7D&state=x", "application/x-www-form-urlencoded");
    expect(unknown.status).toBe(400);
  });

  it("a presentation that is no JWT spends the request and credits nothing", async () => {
    const res = await post(`/oid4vp/responses/${id}`, new URLSearchParams({ vp_token: JSON.stringify({ cle_certificates: ["x.y.z"] }), state: id }).toString(), "application/x-www-form-urlencoded");
    expect(res.status).toBe(400);
    const status = (await s.call("GET", `/api/presentation-requests/${id}`, { token: barToken })).body;
    expect(status.answeredAt).not.toBeNull();
    expect(status.outcome.credited).toEqual([]);
  });

  it("bodies over the limit are refused", async () => {
    const res = await post(`/oid4vp/responses/${id}`, "vp_token=" + "x".repeat(600 * 1024), "application/x-www-form-urlencoded");
    expect(res.status).toBe(413);
  });
});

describe("API", () => {
  it("validates presentation requests, uploads and ledger queries", async () => {
    expect((await s.call("POST", "/api/presentation-requests", { token: barToken, body: { year: 1999 } })).status).toBe(400);
    expect((await s.call("POST", "/api/presentation-requests", { token: barToken, body: { year: 2026, barId: "atlantis" } })).status).toBe(403);
    const id = (await s.call("POST", "/api/presentation-requests", { token: barToken, body: { year: 2026 } })).body.id;
    expect((await s.call("POST", `/api/presentation-requests/${id}/uploads`, { token: barToken, body: { credentials: Array(101).fill("x"), licence: "1" } })).status).toBe(400);
    expect((await s.call("POST", `/api/presentation-requests/${id}/uploads`, { token: barToken, body: {} })).status).toBe(400);
    expect((await s.call("GET", "/api/advocates/100000/ledger", { token: barToken })).status).toBe(400);
    // Deeply nested "credentials" are refused as not credentials, never walked recursively.
    const deep = '{"type":["VerifiableCredential"],"id":"x","credentialSubject":'.repeat(1000) + "{}" + "}".repeat(1000);
    const id2 = (await s.call("POST", "/api/presentation-requests", { token: barToken, body: { year: 2026 } })).body.id;
    const nested = await s.call("POST", `/api/presentation-requests/${id2}/uploads`, { token: barToken, body: { licence: "1", credentials: [deep] } });
    expect(nested.status).toBe(201);
    expect(nested.body.refused[0].reason).toBe("not-a-credential");
    // A year's files exceed the API's default 64 KB body limit; uploads may carry 1 MB.
    const big = await s.call("POST", `/api/presentation-requests/${id}/uploads`, { token: barToken, body: { licence: "1", credentials: Array(40).fill("x".repeat(2000)) } });
    expect(big.status).toBe(201);
    expect(big.body.refused).toHaveLength(40);
    expect(big.body.refused.every((r: { reason: string }) => r.reason === "not-a-credential")).toBe(true);
    expect((await s.call("GET", "/api/advocates/100000/ledger?year=2026", { headers: { authorization: "Holder not.a.jwt" } })).status).toBe(401);
  });
});

describe("OpenAPI", () => {
  it("documents the wallet API", async () => {
    const doc = (await s.call("GET", "/openapi.json")).body;
    for (const path of ["/.well-known/openid-credential-issuer", "/oid4vci/token", "/oid4vp/responses/{id}", "/api/certificates/{id}/offers", "/api/presentation-requests", "/api/presentation-requests/{id}", "/api/presentation-requests/{id}/uploads", "/api/advocates/{licence}/ledger"]) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});
