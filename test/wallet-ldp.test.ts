/**
 * The Data Integrity path through the wallet protocols, against the running service: a wallet library nobody here
 * wrote (@sphereon/oid4vci-client) takes an offer and asks for `ldp_vc`; the certificate arrives secured with
 * eddsa-rdfc-2022, bound to the wallet's did:key, and verifies. The holder library (@openid4vc/openid4vp) then
 * resolves the bar's request, the holder signs a Data Integrity presentation (`ldp_vp`) with the standards layer's
 * own signing code, and the bar credits the certificates to the advocate's ledger (2.2.3, 2.2.4, 12.2).
 */
import { Openid4vpClient } from "@openid4vc/openid4vp";
import { CompactSign } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDocumentLoader } from "../src/credentials/contexts.js";
import { DataIntegrityIssuer } from "../src/credentials/data-integrity.js";
import { decodeCompactJws } from "../src/credentials/jwt.js";
import { didKeyFor, resolveDidKey } from "../src/credentials/multikey.js";
import type { accreditedProvider } from "./helpers.js";
import { presentationWorld, walletTakesOffer, walletVpCallbacks, type HttpSenim } from "./wallet-helpers.js";

let s: HttpSenim;
let provider: Awaited<ReturnType<typeof accreditedProvider>>;
let barToken: string;
/** Certificates of licence 100000 (a) and 100001 (b), Almaty City bar. */
let certs: { a: string[]; b: string[] };
/** The year the test events end in (12.2). */
let YEAR: number;

beforeAll(async () => {
  ({ s, provider, barToken, certs, year: YEAR } = await presentationWorld(["criminal", "civil", "foundations"]));
});
afterAll(async () => s.close());

/** The holder side needs only bundled contexts and did:key: the wallet resolves nothing over the network. */
const holderLoader = createDocumentLoader({ resolveDid: async (url) => resolveDidKey(url) });

interface LdpHolder {
  did: string;
  kid: string;
  /** A JWT (the OpenID4VCI proof of possession). */
  signJwt(header: Record<string, unknown>, payload: Record<string, unknown>): Promise<string>;
  /** A Data Integrity presentation of `vcs` for a verifier's challenge and domain (issue 3's signing code). */
  present(vcs: unknown[], challenge: string, domain: string): Promise<Record<string, unknown>>;
}

async function newLdpHolder(): Promise<LdpHolder> {
  const keys = (await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"])) as CryptoKeyPair;
  const did = didKeyFor(new Uint8Array(await crypto.subtle.exportKey("raw", keys.publicKey)));
  const kid = `${did}#${did.slice("did:key:".length)}`;
  const signer = new DataIntegrityIssuer({ verificationMethod: kid, privateKey: keys.privateKey }, holderLoader);
  return {
    did,
    kid,
    signJwt: (header, payload) => new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ ...header, alg: "EdDSA" } as never).sign(keys.privateKey),
    present: (vcs, challenge, domain) =>
      signer.sign({ "@context": ["https://www.w3.org/ns/credentials/v2"], type: ["VerifiablePresentation"], holder: did, verifiableCredential: vcs }, new Date(s.clock.ms).toISOString(), { proofPurpose: "authentication", challenge, domain }),
  };
}

/** The wallet takes the certificate as `ldp_vc`. */
async function receiveLdp(certificateId: string, holder: LdpHolder): Promise<Record<string, unknown>> {
  const offer = (await s.call("POST", `/api/certificates/${certificateId}/offers`, { token: provider.token })).body;
  const response = await walletTakesOffer(offer, { kid: holder.kid, alg: "EdDSA", sign: holder.signJwt }, "ldp_vc");
  return (response.credentials![0] as { credential: Record<string, unknown> }).credential;
}

describe("OpenID4VCI: the wallet takes the certificate as ldp_vc", () => {
  it("the issuer metadata describes an ldp_vc configuration; every offer lists both forms", async () => {
    const issuer = await (await fetch(`${s.url}/.well-known/openid-credential-issuer`)).json();
    const ldp = issuer.credential_configurations_supported.SenimCertificate_ldp_vc;
    expect(ldp).toMatchObject({
      format: "ldp_vc",
      cryptographic_binding_methods_supported: ["did:key", "did:jwk"],
      credential_signing_alg_values_supported: ["eddsa-rdfc-2022"],
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: ["EdDSA", "ES256"] } },
      credential_definition: { type: ["VerifiableCredential", "OpenBadgeCredential"] },
    });
    expect(ldp.credential_definition["@context"][0]).toBe("https://www.w3.org/ns/credentials/v2");
    const offer = (await s.call("POST", `/api/certificates/${certs.a[2]}/offers`, { token: provider.token })).body;
    const object = await (await fetch(offer.credentialOfferUri)).json();
    expect(object.credential_configuration_ids).toEqual(["SenimCertificate_jwt_vc_json", "SenimCertificate_ldp_vc", "SenimCertificate_dc_sd_jwt"]);
  });

  it("the certificate arrives with an eddsa-rdfc-2022 proof, bound to the wallet's did:key, and verifies", async () => {
    const holder = await newLdpHolder();
    const vc = await receiveLdp(certs.a[0]!, holder);
    const proof = vc.proof as Record<string, unknown>;
    expect(proof).toMatchObject({ type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", proofPurpose: "assertionMethod" });
    expect((vc.credentialSubject as { id: string }).id).toBe(holder.did);
    // The same certificate: id, status entry and validFrom as issued.
    const stored = (await s.call("GET", `/api/certificates/${certs.a[0]}`)).body.credential;
    expect(vc.id).toBe(stored.id);
    expect(vc.credentialStatus).toEqual(stored.credentialStatus);
    expect(vc.validFrom).toBe(stored.validFrom);
    expect(vc.issuer).toEqual(stored.issuer);

    const vcApi = await s.call("POST", "/credentials/verify", { token: barToken, body: { verifiableCredential: vc } });
    expect(vcApi.status).toBe(200);
    expect(vcApi.body.verified).toBe(true);
    const api = await s.call("POST", "/api/verify", { body: { credential: vc } });
    expect(api.status).toBe(200);
    expect(api.body.verified).toBe(true);
    expect(api.body.summary.participant.holder).toBe(holder.did);

    // Altered in the wallet: the proof no longer matches.
    const altered = { ...vc, credentialSubject: { ...(vc.credentialSubject as object), creditsEarned: 99 } };
    const refused = await s.call("POST", "/api/verify", { body: { credential: altered } });
    expect(refused.body.verified).toBe(false);
    expect(refused.body.checks.find((c: { check: string }) => c.check === "signature").code).toBe("signature-invalid");
  });

  it("an unknown configuration is refused with the spec's error code", async () => {
    const offer = (await s.call("POST", `/api/certificates/${certs.a[2]}/offers`, { token: provider.token })).body;
    const code = (await (await fetch(offer.credentialOfferUri)).json()).grants["urn:ietf:params:oauth:grant-type:pre-authorized_code"]["pre-authorized_code"];
    const form = new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:pre-authorized_code", "pre-authorized_code": code, tx_code: offer.txCode });
    const token = await (await fetch(`${s.url}/oid4vci/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form })).json();
    const holder = await newLdpHolder();
    const proof = await holder.signJwt({ typ: "openid4vci-proof+jwt", kid: holder.kid }, { aud: s.url, iat: Math.floor(s.clock.ms / 1000), nonce: token.c_nonce });
    const res = await fetch(`${s.url}/oid4vci/credential`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token.access_token}` },
      body: JSON.stringify({ credential_configuration_id: "SenimCertificate_mso_mdoc", proofs: { jwt: [proof] } }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe("unknown_credential_configuration");
  });
});

async function barRequest() {
  const res = await s.call("POST", "/api/presentation-requests", { token: barToken, body: { year: YEAR } });
  expect(res.status).toBe(201);
  return res.body as { id: string; link: string; clientId: string; requestUri: string };
}

const walletCallbacks = walletVpCallbacks(async (path) => (await fetch(`${s.url}${path}`)).json());

/** The wallet's answer to the QR link: an ldp_vp under the DCQL query `cle_certificates_ldp`, sent with direct_post. */
async function presentLdp(link: string, make: (request: { nonce: string; client_id: string }) => Promise<Record<string, unknown>>) {
  const client = new Openid4vpClient({ callbacks: walletCallbacks });
  const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: link });
  const resolved = await client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params });
  const request = resolved.authorizationRequestPayload as { nonce: string; client_id: string; response_uri: string };
  const vp = await make(request);
  const response = await client.createOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: resolved.authorizationRequestPayload,
    authorizationResponsePayload: { vp_token: { cle_certificates_ldp: [vp] } },
  });
  const submitted = await client.submitOpenid4vpAuthorizationResponse({ authorizationRequestPayload: request, authorizationResponsePayload: response.authorizationResponsePayload });
  return { response: submitted.response, resolved, vp };
}

async function outcome(id: string) {
  return (await s.call("GET", `/api/presentation-requests/${id}`, { token: barToken })).body.outcome;
}

describe("OpenID4VP: the advocate presents ldp_vc certificates in a Data Integrity presentation", () => {
  let advocate: LdpHolder;
  let vcs: Record<string, unknown>[];

  beforeAll(async () => {
    advocate = await newLdpHolder();
    vcs = [await receiveLdp(certs.a[1]!, advocate), await receiveLdp(certs.a[2]!, advocate)];
  });

  it("the DCQL query accepts either form; the ldp_vp is checked and both certificates credited (2.2.4)", async () => {
    const r = await barRequest();
    const { response, resolved, vp } = await presentLdp(r.link, (q) => advocate.present(vcs, q.nonce, q.client_id));
    expect(resolved.dcql?.query).toMatchObject({
      credentials: [{ id: "cle_certificates", format: "jwt_vc_json" }, { id: "cle_certificates_ldp", format: "ldp_vc" }, { id: "cle_certificates_sd_jwt", format: "dc+sd-jwt" }],
      credential_sets: [{ options: expect.arrayContaining([["cle_certificates", "cle_certificates_ldp"], ["cle_certificates"], ["cle_certificates_ldp"]]) }],
    });
    expect(response.status).toBe(200);
    const o = await outcome(r.id);
    expect(o.holder).toBe(advocate.did);
    expect(o.licence).toBe("100000");
    expect(o.refused).toEqual([]);
    expect(o.credited.map((e: { certificateId: string }) => e.certificateId).sort()).toEqual([certs.a[1], certs.a[2]].sort());
    // The VC API's presentation check agrees with the bar's.
    const viaVcApi = await s.call("POST", "/presentations/verify", { token: barToken, body: { verifiablePresentation: vp, options: { challenge: (vp.proof as { challenge: string }).challenge, domain: r.clientId } } });
    expect(viaVcApi.status).toBe(200);
    expect(viaVcApi.body.verified).toBe(true);
    // Presented again under a new request: counted once.
    const again = await barRequest();
    expect((await presentLdp(again.link, (q) => advocate.present(vcs, q.nonce, q.client_id))).response.status).toBe(200);
    expect((await outcome(again.id)).alreadyCredited.sort()).toEqual([certs.a[1], certs.a[2]].sort());
  });

  it("a tampered ldp_vp is refused and nothing is credited", async () => {
    const r = await barRequest();
    const { response } = await presentLdp(r.link, async (q) => {
      const vp = await advocate.present(vcs, q.nonce, q.client_id);
      return { ...vp, verifiableCredential: [vcs[0]] }; // one certificate dropped after signing
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_request", error_description: expect.stringContaining("does not verify") });
    const o = await outcome(r.id);
    expect(o.credited).toEqual([]);
    expect(o.refused[0].reason).toBe("presentation-invalid");
  });

  it("an ldp_vp made for another challenge or another verifier is refused", async () => {
    const r1 = await barRequest();
    const wrongChallenge = (await presentLdp(r1.link, (q) => advocate.present(vcs, "not-the-nonce", q.client_id))).response;
    expect(wrongChallenge.status).toBe(400);
    expect((await wrongChallenge.json()).error_description).toContain("challenge");
    const r2 = await barRequest();
    const wrongDomain = (await presentLdp(r2.link, (q) => advocate.present(vcs, q.nonce, "decentralized_identifier:did:web:elsewhere.example"))).response;
    expect(wrongDomain.status).toBe(400);
    expect((await wrongDomain.json()).error_description).toContain("domain");
    // The challenge is checked inside the signature too: editing it after signing breaks the proof.
    const r3 = await barRequest();
    const edited = (await presentLdp(r3.link, async (q) => {
      const vp = await advocate.present(vcs, "stale-nonce", q.client_id);
      return { ...vp, proof: { ...(vp.proof as object), challenge: q.nonce } };
    })).response;
    expect(edited.status).toBe(400);
    expect((await edited.json()).error_description).toContain("does not verify");
  });

  it("someone else's certificate in the presenter's ldp_vp is refused; the presenter's own is credited", async () => {
    const other = await newLdpHolder();
    const othersVc = await receiveLdp(certs.b[0]!, other);
    const thief = await newLdpHolder();
    const r = await barRequest();
    const { response } = await presentLdp(r.link, (q) => thief.present([othersVc], q.nonce, q.client_id));
    expect(response.status).toBe(200);
    const o = await outcome(r.id);
    expect(o.credited).toEqual([]);
    expect(o.refused).toEqual([expect.objectContaining({ reason: "not-the-presenters", certificateId: certs.b[0] })]);
    expect((await s.call("GET", `/api/advocates/100001/ledger?year=${YEAR}`, { token: barToken })).body.entries).toEqual([]);
  });
});

describe("Hostile ldp_vp answers get a 400 with the spec's code, never a 500", () => {
  async function post(vpToken: unknown) {
    const r = await barRequest();
    const res = await fetch(`${s.url}/oid4vp/responses/${r.id}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ vp_token: JSON.stringify(vpToken), state: r.id }),
    });
    return { status: res.status, body: await res.json(), id: r.id };
  }

  it("not a presentation, no proof, too deep, or a term no context defines", async () => {
    const holder = await newLdpHolder();
    const vc = await receiveLdp(certs.b[1]!, holder);
    const signed = await holder.present([vc], "n", "d");
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 200; i++) deep = (deep.x = {}) as Record<string, unknown>;
    const cases: [unknown, string][] = [
      [{ cle_certificates_ldp: { type: ["VerifiableCredential"] } }, "not a VerifiablePresentation"],
      [{ cle_certificates_ldp: { type: ["VerifiablePresentation"], verifiableCredential: [vc] } }, "exactly one proof"],
      [{ cle_certificates_ldp: { ...signed, deep: root } }, "depth"],
    ];
    for (const [token, why] of cases) {
      const res = await post(token);
      expect(res.status, why).toBe(400);
      expect(res.body.error).toBe("invalid_request");
      expect(res.body.error_description, why).toContain(why);
    }
    // Signed for this request, then given a term no context defines: safe-mode JSON-LD refuses it.
    const r = await barRequest();
    const nonce = (decodeCompactJws(await (await fetch(r.requestUri)).text())!.payload as { nonce: string }).nonce;
    const vp = { ...(await holder.present([vc], nonce, r.clientId)), undefinedTerm: "x" };
    const res = await fetch(`${s.url}/oid4vp/responses/${r.id}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ vp_token: JSON.stringify({ cle_certificates_ldp: [vp] }), state: r.id }) });
    expect(res.status).toBe(400);
    expect((await res.json()).error_description).toContain("does not verify");
    expect((await outcome(r.id)).credited).toEqual([]);
  });
});

describe("Upload: Data Integrity certificate files and presentations", () => {
  it("a Data Integrity .json certificate (format=di) is credited with the same checks; an altered one is refused", async () => {
    const di = (await s.call("GET", `/api/certificates/${certs.b[1]}?format=di`)).body.dataIntegrity;
    expect(di.proof.cryptosuite).toBe("eddsa-rdfc-2022");
    const altered = { ...di, credentialSubject: { ...di.credentialSubject, creditsEarned: 99 } };
    const r = await barRequest();
    const res = await s.call("POST", `/api/presentation-requests/${r.id}/uploads`, { token: barToken, body: { licence: "100001", credentials: [di, JSON.stringify(altered)] } });
    expect(res.status).toBe(201);
    expect(res.body.credited.map((e: { certificateId: string; provenBy: string }) => [e.certificateId, e.provenBy])).toEqual([[certs.b[1], "upload"]]);
    expect(res.body.refused).toEqual([expect.objectContaining({ reason: "not-verified", certificateId: certs.b[1] })]);
  });

  it("an uploaded Data Integrity presentation gets the presentation checks", async () => {
    const holder = await newLdpHolder();
    const vc = await receiveLdp(certs.b[2]!, holder);
    const r = await barRequest();
    const nonce = (decodeCompactJws(await (await fetch(r.requestUri)).text())!.payload as { nonce: string }).nonce;
    const wrong = await s.call("POST", `/api/presentation-requests/${r.id}/uploads`, { token: barToken, body: { presentation: await holder.present([vc], "other", r.clientId) } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.detail).toContain("challenge");
    const r2 = await barRequest();
    const nonce2 = (decodeCompactJws(await (await fetch(r2.requestUri)).text())!.payload as { nonce: string }).nonce;
    expect(nonce2).not.toBe(nonce);
    const ok = await s.call("POST", `/api/presentation-requests/${r2.id}/uploads`, { token: barToken, body: { presentation: await holder.present([vc], nonce2, r2.clientId) } });
    expect(ok.status).toBe(201);
    expect(ok.body.holder).toBe(holder.did);
    expect(ok.body.credited.map((e: { certificateId: string }) => e.certificateId)).toEqual([certs.b[2]]);
  });
});
