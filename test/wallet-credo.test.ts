/**
 * Credo (the OpenWallet Foundation's TypeScript wallet framework, @credo-ts/core + @credo-ts/openid4vc 0.6) as the
 * advocate's wallet against the running service: it takes a certificate over OpenID4VCI 1.0 with the PIN (2.2.3), in
 * the `jwt_vc_json` and `dc+sd-jwt` forms, checks the provider's signature itself, and answers a bar's OpenID4VP 1.0
 * request, which the bar credits to the advocate's yearly ledger (2.2.4, 12.2). The agent runs on in-memory storage
 * and a node:crypto key manager (test/credo/agent.ts: Askar cannot install here).
 *
 * Each step says what Credo requires. A step Senim does not meet yet would be an `it.fails` (the behaviour wanted,
 * red the day Senim meets it); none is left.
 */
import { ClaimFormat, W3cCredentialRecord, W3cJwtVerifiableCredential, type DidCreateResult } from "@credo-ts/core";
import type { OpenId4VciCredentialBindingResolver, OpenId4VciResolvedCredentialOffer } from "@credo-ts/openid4vc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { accreditedProvider } from "./helpers.js";
import { newCredoHolder, type CredoHolder } from "./credo/agent.js";
import { presentationWorld, type HttpSenim } from "./wallet-helpers.js";

let s: HttpSenim;
let provider: Awaited<ReturnType<typeof accreditedProvider>>;
let barToken: string;
/** Certificates of licence 100000 (a) and 100001 (b), Almaty City bar. */
let certs: { a: string[]; b: string[] };
/** The year the test events end in (12.2). */
let YEAR: number;
let agent: CredoHolder;
/** The advocate's wallet DID: an Ed25519 did:key whose key Credo's key manager holds. */
let holderDid: string;
let holderKid: string;

beforeAll(async () => {
  // The real clock: Credo checks the credential's and the request's times against it.
  ({ s, provider, barToken, certs, year: YEAR } = await presentationWorld(["criminal", "civil", "topical"]));
  agent = await newCredoHolder();
  const created: DidCreateResult = await agent.dids.create({ method: "key", options: { createKey: { type: { kty: "OKP", crv: "Ed25519" } } } });
  holderDid = created.didState.did!;
  holderKid = created.didState.didDocument!.verificationMethod![0]!.id;
});
afterAll(async () => {
  await agent?.shutdown();
  await s?.close();
});

async function offer(certificateId: string) {
  const res = await s.call("POST", `/api/certificates/${certificateId}/offers`, { token: provider.token });
  expect(res.status).toBe(201);
  return res.body as { offerId: string; offer: string; credentialOfferUri: string; txCode: string };
}

/** The wallet binds every credential to its did:key, the binding Senim's configurations list. */
const bindToDidKey: OpenId4VciCredentialBindingResolver = ({ supportedDidMethods, supportsAllDidMethods }) => {
  if (!supportsAllDidMethods && !supportedDidMethods?.includes("did:key")) throw new Error(`issuer does not bind to did:key: ${supportedDidMethods}`);
  return { method: "did", didUrls: [holderKid] };
};

/** The configuration of `format` in the resolved offer, by the format Credo understood (it drops unknown formats). */
function configurationOf(resolved: OpenId4VciResolvedCredentialOffer, format: string): string | undefined {
  return Object.entries(resolved.offeredCredentialConfigurations).find(([, c]) => c.format === format)?.[0];
}

/** Credo takes the offer with the PIN: resolve by reference, token with tx_code, credential of `format`. */
async function credoTakes(certificateId: string, format: "jwt_vc_json" | "dc+sd-jwt") {
  const o = await offer(certificateId);
  const resolved = await agent.openid4vc.holder.resolveCredentialOffer(o.offer);
  const configurationId = configurationOf(resolved, format);
  expect(configurationId, `the offer lists a ${format} configuration`).toBeDefined();
  const token = await agent.openid4vc.holder.requestToken({ resolvedCredentialOffer: resolved, txCode: o.txCode });
  return agent.openid4vc.holder.requestCredentials({ resolvedCredentialOffer: resolved, ...token, credentialConfigurationIds: [configurationId!], credentialBindingResolver: bindToDidKey });
}

describe("OpenID4VCI: Credo takes the certificate with the PIN (2.2.3)", () => {
  it("Credo resolves the offer by reference: issuer metadata, the pre-authorized grant with a 6-digit numeric tx_code", async () => {
    const o = await offer(certs.a[0]!);
    const resolved = await agent.openid4vc.holder.resolveCredentialOffer(o.offer);
    expect(resolved.metadata.credentialIssuer.credential_issuer).toBe(s.url);
    expect(resolved.credentialOfferPayload.grants?.["urn:ietf:params:oauth:grant-type:pre-authorized_code"]?.tx_code).toMatchObject({ input_mode: "numeric", length: 6 });
    expect(configurationOf(resolved, "jwt_vc_json")).toBe("SenimCertificate_jwt_vc_json");
  });

  it("Credo's token request with the PIN gets an access token; a wrong PIN is refused with invalid_grant", async () => {
    const o = await offer(certs.a[0]!);
    const resolved = await agent.openid4vc.holder.resolveCredentialOffer(o.offer);
    const wrong = String((Number(o.txCode) + 1) % 1_000_000).padStart(6, "0");
    await expect(agent.openid4vc.holder.requestToken({ resolvedCredentialOffer: resolved, txCode: wrong })).rejects.toThrow(/invalid_grant/);
    const token = await agent.openid4vc.holder.requestToken({ resolvedCredentialOffer: resolved, txCode: o.txCode });
    expect(token.accessToken).toEqual(expect.any(String));
  });

  // Credo reads a `jwt_vc_json` credential as a VC Data Model 1.1 JWT (W3cJwtVerifiableCredential: the `vc` claim,
  // `iss`, `sub`, `nbf`, `jti`), then verifies its signature against the issuer's did:web (JsonWebKey2020 method).
  it("as jwt_vc_json: Credo verifies the provider's signature and keeps a credential bound to its did:key", async () => {
    const { credentials } = await credoTakes(certs.a[0]!, "jwt_vc_json");
    expect(credentials).toHaveLength(1);
    const record = credentials[0]!.record as W3cCredentialRecord;
    expect(record).toBeInstanceOf(W3cCredentialRecord);
    const vc = record.firstCredential as W3cJwtVerifiableCredential;
    expect(vc.claimFormat).toBe(ClaimFormat.JwtVc);
    expect(vc.credentialSubjectIds).toEqual([holderDid]);
    expect(vc.id).toBe(`${s.url}/c/${certs.a[0]}`);
    await agent.w3cCredentials.store({ record });
    // The same credential verifies at Senim as any certificate does.
    const verified = await s.call("POST", "/api/verify", { body: { jwt: vc.serializedJwt } });
    expect(verified.body.verified).toBe(true);
    expect(verified.body.summary.participant.holder).toBe(holderDid);
  });

  // Credo verifies a `dc+sd-jwt` with its SD-JWT VC verifier: typ dc+sd-jwt, iss a DID whose key the header's kid
  // names, vct (whose type metadata it fetches), cnf; Senim binds it to the proof's did:key URL.
  it("as dc+sd-jwt: Credo verifies the provider's signature and keeps an SD-JWT VC bound to its key", async () => {
    const { credentials } = await credoTakes(certs.a[1]!, "dc+sd-jwt");
    expect(credentials).toHaveLength(1);
    const record = credentials[0]!.record as { type: string; firstCredential: { payload: Record<string, unknown>; compact: string } };
    expect(record.type).toBe("SdJwtVcRecord");
    await agent.sdJwtVc.store({ record: record as never });
    expect(record.firstCredential.payload.iss).toMatch(/^did:web:/);
    expect(record.firstCredential.payload).toMatchObject({ vct: `${s.url}/vct/cle-certificate`, jti: `${s.url}/c/${certs.a[1]}`, cnf: { kid: holderKid } });
    // The same credential verifies at Senim as the certificate it is, bound to the holder's did:key.
    const verified = await s.call("POST", "/api/verify", { body: { jwt: record.firstCredential.compact } });
    expect(verified.body.verified).toBe(true);
    expect(verified.body.summary.participant.holder).toBe(holderDid);
  });

  // Credo's SD-JWT VC verifier follows `status.status_list` (Accept: application/statuslist+jwt), checks the Status
  // List Token's signature with the issuer's key and reads the entry: a revocation at Senim reaches the wallet.
  it("as dc+sd-jwt: Credo reads the certificate's status from its Token Status List, and sees it revoked", async () => {
    const { credentials } = await credoTakes(certs.b[0]!, "dc+sd-jwt");
    const compact = (credentials[0]!.record as unknown as { firstCredential: { compact: string } }).firstCredential.compact;
    expect((await agent.sdJwtVc.verify({ compactSdJwtVc: compact })).isValid).toBe(true);
    const revoked = await s.call("POST", `/api/certificates/${certs.b[0]}/revocation`, { token: provider.token, body: { reason: "Issued in error" } });
    expect(revoked.status).toBe(201);
    const after = await agent.sdJwtVc.verify({ compactSdJwtVc: compact });
    expect(after.isValid).toBe(false);
    expect(String((after as { error: Error }).error?.message)).toMatch(/status/i);
  });
});

async function barRequest(year = YEAR) {
  const res = await s.call("POST", "/api/presentation-requests", { token: barToken, body: { year } });
  expect(res.status).toBe(201);
  return res.body as { id: string; link: string; clientId: string; requestUri: string };
}

async function outcome(id: string) {
  const res = await s.call("GET", `/api/presentation-requests/${id}`, { token: barToken });
  expect(res.status).toBe(200);
  return res.body;
}

describe("OpenID4VP: Credo answers the bar's request and the bar credits it (2.2.4, 12.2)", () => {
  it("Credo resolves the bar's signed request by reference: did:web client, DCQL, direct_post", async () => {
    const r = await barRequest();
    const resolved = await agent.openid4vc.holder.resolveOpenId4VpAuthorizationRequest(r.link);
    expect(resolved.authorizationRequestPayload.client_id).toBe(r.clientId);
    expect(resolved.authorizationRequestPayload.response_mode).toBe("direct_post");
    expect(resolved.dcql?.queryResult.credentials.map((c) => c.id)).toEqual(["cle_certificates", "cle_certificates_ldp", "cle_certificates_sd_jwt"]);
  });

  /** Credo picks what matches the bar's DCQL query among what it holds, signs the presentation and direct_posts it. */
  async function credoPresents() {
    const r = await barRequest();
    const resolved = await agent.openid4vc.holder.resolveOpenId4VpAuthorizationRequest(r.link);
    expect(resolved.dcql?.queryResult.can_be_satisfied).toBe(true);
    const credentials = agent.openid4vc.holder.selectCredentialsForDcqlRequest(resolved.dcql!.queryResult);
    const answer = await agent.openid4vc.holder.acceptOpenId4VpAuthorizationRequest({ authorizationRequestPayload: resolved.authorizationRequestPayload, dcql: { credentials } });
    expect(answer.ok).toBe(true);
    expect(answer.serverResponse?.status).toBe(200);
    return outcome(r.id);
  }

  // Credo answers `cle_certificates` with a VP JWT (typ JWT, `vp` claim, kid = the holder's did:key URL, aud = the
  // bar's client_id, nonce) around the VC-JWT 1.1 it took; Senim verifies it and credits the certificate once.
  it("with the jwt_vc_json certificate it took: the bar credits it to the advocate's ledger", async () => {
    const { credentials } = await credoTakes(certs.a[2]!, "jwt_vc_json");
    await agent.w3cCredentials.store({ record: credentials[0]!.record as W3cCredentialRecord });
    const o = await credoPresents();
    expect(o.outcome.holder).toBe(holderDid);
    expect(o.outcome.licence).toBe("100000");
    expect(o.outcome.refused).toEqual([]);
    // Credo answers the jwt_vc_json query with one of the two certificates it holds in that form (a[0] from above,
    // a[2]); the SD-JWT VC it took above (a[1]) answers the dc+sd-jwt query beside it.
    const credited = o.outcome.credited.map((e: { certificateId: string }) => e.certificateId);
    expect(credited).toContain(certs.a[1]);
    const asJwt = credited.filter((id: string) => id !== certs.a[1]);
    expect(asJwt).toHaveLength(1);
    expect([certs.a[0], certs.a[2]]).toContain(asJwt[0]);
    const ledger = await s.call("GET", `/api/advocates/100000/ledger?year=${YEAR}`, { token: barToken });
    expect(ledger.body.entries.map((e: { certificateId: string }) => e.certificateId)).toContain(credited[0]);
  });

  // The bar's DCQL has a dc+sd-jwt query (vct_values = the certificate's vct); Credo answers it with the SD-JWT VC and a
  // KB-JWT (aud = the bar's client_id, nonce, sd_hash) signed by the cnf key, which the bar checks before crediting.
  it("with a dc+sd-jwt certificate: the bar's DCQL asks for it and the bar credits it", async () => {
    const { credentials } = await credoTakes(certs.a[1]!, "dc+sd-jwt");
    await agent.sdJwtVc.store({ record: credentials[0]!.record as never });
    const r = await barRequest();
    const resolved = await agent.openid4vc.holder.resolveOpenId4VpAuthorizationRequest(r.link);
    expect(resolved.dcql?.queryResult.credentials.map((c) => c.format)).toContain("dc+sd-jwt");
    const o = await credoPresents();
    expect(o.outcome.holder).toBe(holderDid);
    expect(o.outcome.refused).toEqual([]);
    // Credited once: by the answer above, which carried the same SD-JWT VC beside the jwt_vc_json certificate.
    expect(o.outcome.alreadyCredited).toContain(certs.a[1]);
    expect(o.outcome.credited).toEqual([]);
  });
});
