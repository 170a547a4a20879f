/**
 * Wallet-side test helpers: a real HTTP Senim (wallet libraries fetch over the network, here loopback only) and
 * holder keys with their did:key / did:jwk.
 */
import { serve, type ServerType } from "@hono/node-server";
import { CredentialRequestClientBuilderV1_0_15, OpenID4VCIClientV1_0_15 } from "@sphereon/oid4vci-client";
import type { CallbackContext, Jwk } from "@openid4vc/oauth2";
import { CompactSign, exportJWK, generateKeyPair } from "jose";
import { decodeCompactJws, isPlainObject } from "../src/credentials/jwt.js";
import { fromVcJwt11Claims } from "../src/credentials/vc-jwt-11.js";
import { inVc2Terms } from "../src/domain/vc-model.js";
import { accreditedProvider, eventWithParticipants, freePort, startSenim, type StartOptions, type TestSenim } from "./helpers.js";

/**
 * The credential a wallet's `jwt_vc_json` carries, in VC 2.0 terms: the VC-JWT 1.1 `vc` claim with its registered
 * claims restored (src/credentials/vc-jwt-11.ts), as the verifier reads it.
 */
export function credentialInJwt(jwt: string): Record<string, any> {
  const payload = decodeCompactJws(jwt)!.payload as Record<string, unknown>;
  if (!isPlainObject(payload.vc)) return payload;
  const read = fromVcJwt11Claims(payload);
  if (!read.ok) throw new Error(read.detail);
  return inVc2Terms(read.credential);
}

export interface HttpSenim extends TestSenim {
  url: string;
  server: ServerType;
}

/** Senim served over HTTP on 127.0.0.1 with PUBLIC_URL pointing at itself. */
export async function startHttpSenim(options: Omit<StartOptions, "publicUrl"> = {}): Promise<HttpSenim> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const s = await startSenim({ ...options, publicUrl: url });
  const server = await new Promise<ServerType>((resolve) => {
    const srv = serve({ fetch: s.app.fetch, port, hostname: "127.0.0.1" }, () => resolve(srv));
  });
  const close = s.close;
  return Object.assign(s, {
    url,
    server,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await close();
    },
  });
}

const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
function base58btc(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = n * 256n + BigInt(b);
  let out = "";
  while (n > 0n) {
    out = B58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = "1" + out;
  }
  return out;
}

/**
 * The presentation tests' world, on the real clock (the wallet library checks JWT times against it): one provider
 * whose events, one per programme, certify licences 100000 (`certs.a`) and 100001 (`certs.b`) of the Almaty City bar,
 * and an API key of that bar's admin. `year` is the calendar year the events end in (12.2).
 */
export async function presentationWorld(programmes: string[]) {
  const s = await startHttpSenim({ now: "system" });
  const year = new Date(s.clock.ms - 86_400_000 + 5 * 3_600_000).getUTCFullYear();
  const provider = await accreditedProvider(s);
  const certs: { a: string[]; b: string[] } = { a: [], b: [] };
  for (const programme of programmes) {
    const event = await eventWithParticipants(s, provider.token, { n: 2, programme, durationMinutes: programme === "criminal" ? 360 : 90 });
    const issued = await s.call("POST", `/api/events/${event.id}/certificates`, { token: provider.token });
    certs.a.push(issued.body.certificates.find((c: { licenceNumber: string }) => c.licenceNumber === "100000").id);
    certs.b.push(issued.body.certificates.find((c: { licenceNumber: string }) => c.licenceNumber === "100001").id);
  }
  const key = await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "desk" } });
  return { s, year, provider, certs, barToken: key.body.token as string };
}

export interface Holder {
  did: string;
  kid: string;
  alg: "EdDSA" | "ES256";
  publicJwk: Record<string, unknown>;
  /** Signs a JWT with this holder's key: header members are kept, `alg` is set. */
  sign(header: Record<string, unknown>, payload: Record<string, unknown>): Promise<string>;
}

/** A wallet key: Ed25519 as did:key (default) or did:jwk, or P-256 as did:jwk. */
export async function newHolder(kind: "did:key" | "did:jwk" | "did:jwk:p256" = "did:key"): Promise<Holder> {
  const alg = kind === "did:jwk:p256" ? "ES256" : "EdDSA";
  const { publicKey, privateKey } = await generateKeyPair(alg === "ES256" ? "ES256" : "Ed25519");
  const jwk = await exportJWK(publicKey);
  let did: string;
  let kid: string;
  if (kind === "did:key") {
    const raw = Buffer.from(jwk.x!, "base64url");
    const id = "z" + base58btc(Uint8Array.from([0xed, 0x01, ...raw]));
    did = `did:key:${id}`;
    kid = `${did}#${id}`;
  } else {
    const members = alg === "ES256" ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
    did = `did:jwk:${Buffer.from(JSON.stringify(members)).toString("base64url")}`;
    kid = `${did}#0`;
  }
  return {
    did,
    kid,
    alg,
    publicJwk: jwk as Record<string, unknown>,
    sign: (header, payload) => new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ ...header, alg } as never).sign(privateKey),
  };
}

/** What a wallet needs of a key to prove possession: its DID URL, its JOSE algorithm, and a JWT signer. */
export interface ProofKey {
  kid: string;
  alg: string;
  sign(header: Record<string, unknown>, payload: Record<string, unknown>): Promise<string>;
}

/**
 * A wallet library nobody here wrote (@sphereon/oid4vci-client) takes an offer: it resolves the offer by reference,
 * sends the PIN, then asks for the credential in `format` (a certificate's configuration in that format, unless
 * `configurationId` names another, e.g. the annual attestation's) with a proof signed by `key`. The library's response.
 */
export async function walletTakesOffer(offer: { offer: string; txCode: string }, key: ProofKey, format: "jwt_vc_json" | "ldp_vc" = "jwt_vc_json", configurationId = `SenimCertificate_${format}`) {
  const client = await OpenID4VCIClientV1_0_15.fromURI({ uri: offer.offer, kid: key.kid, alg: key.alg, retrieveServerMetadata: true });
  await client.acquireAccessToken({ pin: offer.txCode });
  return client.acquireCredentials({
    credentialConfigurationId: configurationId,
    format,
    kid: key.kid,
    alg: key.alg,
    proofCallbacks: { signCallback: async (jwt) => key.sign(jwt.header as Record<string, unknown>, jwt.payload as Record<string, unknown>) },
  });
}

/**
 * The same library with DPoP (RFC 9449): `dpopKey` signs a DPoP proof for the token request and another for the
 * credential request (the library adds `ath` and the DPoP scheme). The token response and the credential response.
 */
export async function walletTakesOfferWithDpop(offer: { offer: string; txCode: string }, key: ProofKey, dpopKey: Holder, format: "jwt_vc_json" | "ldp_vc" = "jwt_vc_json") {
  const client = await OpenID4VCIClientV1_0_15.fromURI({ uri: offer.offer, kid: key.kid, alg: key.alg, retrieveServerMetadata: true });
  const createDPoPOpts = {
    jwtIssuer: { alg: dpopKey.alg, jwk: dpopKey.publicJwk as never },
    jwtPayloadProps: {},
    // What the authorization server metadata says it takes (the library sends DPoP only when this is given).
    dPoPSigningAlgValuesSupported: client.endpointMetadata.authorizationServerMetadata?.dpop_signing_alg_values_supported as string[],
    createJwtCallback: async (_issuer: unknown, jwt: { header: Record<string, unknown>; payload: Record<string, unknown> }) => dpopKey.sign(jwt.header, jwt.payload),
  };
  const token = await client.acquireAccessToken({ pin: offer.txCode, createDPoPOpts });
  const credential = await client.acquireCredentials({
    credentialConfigurationId: `SenimCertificate_${format}`,
    format,
    kid: key.kid,
    alg: key.alg,
    proofCallbacks: { signCallback: async (jwt) => key.sign(jwt.header as Record<string, unknown>, jwt.payload as Record<string, unknown>) },
    createDPoPOpts,
  });
  return { token, credential };
}

/**
 * The same library sending OpenID4VCI 1.0's `proofs` form (`{ proofs: { jwt: [...] } }`, §8.2) instead of the
 * singular `proof` its high-level client sends: its CredentialRequestClient with a request built here, under the
 * access token from the PIN, the proof over a c_nonce from the nonce endpoint. The library's response.
 */
export async function walletSendsProofsForm(offer: { offer: string; txCode: string }, holder: Holder, configurationId = "SenimCertificate_jwt_vc_json") {
  const client = await OpenID4VCIClientV1_0_15.fromURI({ uri: offer.offer, kid: holder.kid, alg: holder.alg, retrieveServerMetadata: true });
  const token = await client.acquireAccessToken({ pin: offer.txCode });
  const metadata = client.endpointMetadata;
  const issuer = metadata.credentialIssuerMetadata!.credential_issuer;
  const nonce = (await (await fetch(`${issuer}/oid4vci/nonce`, { method: "POST" })).json()).c_nonce as string;
  const proof = await holder.sign({ typ: "openid4vci-proof+jwt", kid: holder.kid }, { aud: issuer, iat: Math.floor(Date.now() / 1000), nonce });
  const requests = CredentialRequestClientBuilderV1_0_15.fromCredentialIssuer({ credentialIssuer: issuer, metadata, credentialConfigurationId: configurationId })
    .withToken(token.access_token)
    .build();
  return requests.acquireCredentialsUsingRequest({ credential_configuration_id: configurationId, proofs: { jwt: [proof] } } as never, "jwt_vc_json");
}

/**
 * The token endpoint by hand, for the refusals a library would not send: the offer's pre-authorized code (read at its
 * `credential_offer_uri`) with `pin`. The status and the JSON answer (`access_token`, `c_nonce`, or `error`).
 */
export async function redeemOffer(offer: { offer: string }, pin: string): Promise<{ status: number; body: any }> {
  const uri = decodeURIComponent(new URL(offer.offer).searchParams.get("credential_offer_uri")!);
  const code = (await (await fetch(uri)).json()).grants["urn:ietf:params:oauth:grant-type:pre-authorized_code"]["pre-authorized_code"];
  const form = new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:pre-authorized_code", "pre-authorized_code": code, tx_code: pin });
  const res = await fetch(new URL("/oid4vci/token", uri), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form });
  return { status: res.status, body: await res.json() };
}

/** The credential endpoint by hand: `configurationId` asked for with a proof by `holder` over `nonce`, under `accessToken`. */
export async function requestCredential(issuer: string, accessToken: string, nonce: string, configurationId: string, holder: Holder): Promise<{ status: number; body: any }> {
  const proof = await holder.sign({ typ: "openid4vci-proof+jwt", kid: holder.kid }, { aud: issuer, iat: Math.floor(Date.now() / 1000), nonce });
  const res = await fetch(`${issuer}/oid4vci/credential`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ credential_configuration_id: configurationId, proofs: { jwt: [proof] } }),
  });
  return { status: res.status, body: await res.json() };
}

/** The provider offers a certificate and the advocate's wallet takes it as vc+jwt: the credential it keeps. */
export async function walletTakesCertificate(s: Pick<TestSenim, "call">, providerToken: string, certificateId: string, key: ProofKey): Promise<string> {
  const offer = (await s.call("POST", `/api/certificates/${certificateId}/offers`, { token: providerToken })).body;
  return ((await walletTakesOffer(offer, key)).credentials![0] as { credential: string }).credential;
}

/**
 * The callbacks a holder-side `Openid4vpClient` needs to resolve a bar's signed request: the bar's did:web is read
 * through `fetchDidDocument` (a test server speaks http on loopback, where a real wallet would fetch over https) and
 * its Ed25519 signature checked with WebCrypto. The wallet signs nothing through these.
 */
export function walletVpCallbacks(fetchDidDocument: (path: string) => Promise<any>): Omit<CallbackContext, "generateRandom" | "clientAuthentication"> {
  return {
    fetch: (input, init) => fetch(input, init),
    hash: async (data, alg) => new Uint8Array(await crypto.subtle.digest(alg === "sha-384" ? "SHA-384" : "SHA-256", data as Uint8Array<ArrayBuffer>)),
    signJwt: () => { throw new Error("unused"); },
    encryptJwe: () => { throw new Error("unused"); },
    decryptJwe: () => { throw new Error("unused"); },
    verifyJwt: async (signer, jwt) => {
      if (signer.method !== "did") return { verified: false };
      const [did, fragment] = signer.didUrl.split("#");
      const path = did!.split(":").slice(3).map(decodeURIComponent).join("/");
      const doc = await fetchDidDocument(`/${path}/did.json`);
      const vm = doc.verificationMethod.find((m: { id: string }) => m.id === signer.didUrl || m.id.endsWith(`#${fragment}`));
      if (!vm) return { verified: false }; // a key the verifier's DID document does not (or no longer) list
      const key = await crypto.subtle.importKey("jwk", vm.publicKeyJwk, { name: "Ed25519" }, false, ["verify"]);
      const [h, p, sig] = jwt.compact.split(".");
      const ok = await crypto.subtle.verify({ name: "Ed25519" }, key, Buffer.from(sig!, "base64url"), new TextEncoder().encode(`${h}.${p}`));
      return ok ? { verified: true, signerJwk: vm.publicKeyJwk as Jwk } : { verified: false };
    },
  };
}
