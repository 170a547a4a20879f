/**
 * Issue 15: the certificate as an SD-JWT VC (`dc+sd-jwt`) on SQLite, PostgreSQL and D1 — issued over OpenID4VCI
 * with the PIN through the one mapping `sdJwtClaimsOf`, verified through the one pipeline (POST /api/verify), and
 * presented to the bar over OpenID4VP with a KB-JWT. The attacks: a tampered claim, a forged or added disclosure, a
 * foreign key, another certificate's jti, and KB-JWTs for another verifier, nonce or key, or over other disclosures.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getListFromStatusListJWT } from "@sd-jwt/jwt-status-list";
import { decodeCompactJws, verifyCompactJws } from "../src/credentials/jwt.js";
import { sdJwtClaimsOf, SELECTIVE_CLAIMS } from "../src/credentials/sd-jwt-vc.js";
import { base64url } from "../src/lib/ids.js";
import { DATABASE_KINDS } from "./databases.js";
import { accreditedProvider, eventWithParticipants } from "./helpers.js";
import { newHolder, redeemOffer, requestCredential, startHttpSenim, type Holder, type HttpSenim } from "./wallet-helpers.js";

const CONFIGURATION = "SenimCertificate_dc_sd_jwt";
const enc = new TextEncoder();
const b64json = (v: unknown) => base64url(enc.encode(JSON.stringify(v)));
const sha256 = async (text: string) => base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(text))));
const REVOCATION = { reason: "Issued to the wrong participant" };
const disclosureOf = (d: string) => JSON.parse(new TextDecoder().decode(Buffer.from(d, "base64url"))) as [string, string, unknown];

describe.each(DATABASE_KINDS)("issue 15: certificates as SD-JWT VCs (dc+sd-jwt) on %s", (kind) => {
  let s: HttpSenim;
  let provider: Awaited<ReturnType<typeof accreditedProvider>>;
  let other: Awaited<ReturnType<typeof accreditedProvider>>;
  let barToken: string;
  let certs: string[];
  let holder: Holder;
  /** The SD-JWT VC of certs[0], as the wallet received it (`<jwt>~<disclosure>~…~`). */
  let sdjwt: string;

  const stored = async (id: string) => {
    const jwt = (await s.call("GET", `/c/${id}/credential.jwt`)).text;
    return { jwt, credential: decodeCompactJws(jwt)!.payload as Record<string, unknown>, kid: decodeCompactJws(jwt)!.header.kid as string };
  };
  const verify = async (jwt: string) => (await s.call("POST", "/api/verify", { body: { jwt } })).body;
  const check = (body: any, name: string) => body.checks.find((c: { check: string }) => c.check === name);

  /** The provider offers `id`, the wallet redeems it with the PIN and asks for the dc+sd-jwt configuration. */
  async function takeSdJwt(id: string, key: Holder) {
    const offer = (await s.call("POST", `/api/certificates/${id}/offers`, { token: provider.token })).body;
    const token = await redeemOffer(offer, offer.txCode);
    expect(token.status).toBe(200);
    return requestCredential(s.url, token.body.access_token, token.body.c_nonce, CONFIGURATION, key);
  }

  /** The issuer JWT signed again by `kid`'s private key (held by the registry), with `payload`: what a key holder could make. */
  async function resign(compact: string, payload: Record<string, unknown>, kid: string): Promise<string> {
    const [jwt, ...rest] = compact.split("~");
    const header = decodeCompactJws(jwt!)!.header;
    const key = (await s.services.registry.signingKeyOf(kid))!;
    const input = `${b64json({ ...header, kid })}.${b64json(payload)}`;
    const signature = base64url(new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, key, enc.encode(input))));
    return [`${input}.${signature}`, ...rest].join("~");
  }

  beforeAll(async () => {
    s = await startHttpSenim({ database: kind, now: "system" });
    provider = await accreditedProvider(s);
    other = await accreditedProvider(s, { name: "Басқа орталық" });
    const event = await eventWithParticipants(s, provider.token, { n: 3 });
    const issued = await s.call("POST", `/api/events/${event.id}/certificates`, { token: provider.token });
    // Licences 100000, 100001, 100002 of the Almaty City bar, in that order.
    certs = [...issued.body.certificates].sort((x: { licenceNumber: string }, y: { licenceNumber: string }) => x.licenceNumber.localeCompare(y.licenceNumber)).map((c: { id: string }) => c.id);
    const key = await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "desk" } });
    barToken = key.body.token;
    holder = await newHolder("did:key");
    const taken = await takeSdJwt(certs[0]!, holder);
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    sdjwt = taken.body.credentials[0].credential;
  });
  afterAll(async () => {
    await s?.close();
  });

  it("the metadata offers dc+sd-jwt with the vct, whose Type Metadata is served in kk/ru/en; every certificate offer lists it", async () => {
    const meta = (await s.call("GET", "/.well-known/openid-credential-issuer")).body.credential_configurations_supported[CONFIGURATION];
    expect(meta).toMatchObject({ format: "dc+sd-jwt", vct: `${s.url}/vct/cle-certificate`, cryptographic_binding_methods_supported: ["did:key", "did:jwk", "jwk"] });
    const vct = await s.call("GET", "/vct/cle-certificate");
    expect(vct.status).toBe(200);
    expect(vct.body.vct).toBe(meta.vct);
    expect(vct.body.display.map((d: { locale: string }) => d.locale).sort()).toEqual(["en", "kk", "ru"]);
    const offer = (await s.call("POST", `/api/certificates/${certs[1]}/offers`, { token: provider.token })).body;
    const object = await (await fetch(offer.credentialOfferUri)).json();
    expect(object.credential_configuration_ids).toContain(CONFIGURATION);
  });

  it("the mapping: the issued SD-JWT VC discloses exactly sdJwtClaimsOf(the stored certificate) plus cnf, signed by the certificate's key; name and licence only as disclosures", async () => {
    const record = await stored(certs[0]!);
    const [jwt, ...disclosures] = sdjwt.split("~");
    const issuer = decodeCompactJws(jwt!)!;
    expect(issuer.header).toMatchObject({ typ: "dc+sd-jwt", alg: "EdDSA", kid: record.kid });
    const payload = issuer.payload as Record<string, unknown>;
    const expected = sdJwtClaimsOf(record.credential);
    expect(expected).toMatchObject({ iss: (record.credential.issuer as { id: string }).id, vct: `${s.url}/vct/cle-certificate`, jti: `${s.url}/c/${certs[0]}` });
    // Selectively disclosable: not in the signed payload in clear, only their digests.
    for (const k of SELECTIVE_CLAIMS) expect(payload[k]).toBeUndefined();
    expect(payload._sd).toHaveLength(SELECTIVE_CLAIMS.length);
    expect(payload.cnf).toEqual({ kid: holder.kid });
    const revealed = Object.fromEntries(disclosures.filter(Boolean).map((d) => disclosureOf(d)).map(([, k, v]) => [k, v]));
    const { _sd, _sd_alg, cnf, ...plain } = payload;
    expect(_sd_alg).toBe("sha-256");
    expect({ ...plain, ...revealed }).toEqual(expected);
    expect(JSON.stringify(payload)).not.toContain("100000");
  });

  it("POST /api/verify: the SD-JWT VC verifies as the certificate, bound to the holder — also with the name withheld", async () => {
    const body = await verify(sdjwt);
    expect(body.verified, JSON.stringify(body.checks)).toBe(true);
    expect(body.summary.id).toBe(`${s.url}/c/${certs[0]}`);
    expect(body.summary.participant.holder).toBe(holder.did);
    expect(check(body, "record").code).toBe("matches-record");
    const withheld = sdjwt.split("~").filter((d, i) => i === 0 || d === "" || disclosureOf(d)[1] !== "participant_name").join("~");
    expect(withheld.length).toBeLessThan(sdjwt.length);
    expect((await verify(withheld)).verified).toBe(true);
  });

  it("attack: a tampered claim in the signed part, or a tampered disclosure, fails the signature", async () => {
    const [jwt, ...rest] = sdjwt.split("~");
    const [h, p, sig] = jwt!.split(".");
    const payload = JSON.parse(Buffer.from(p!, "base64url").toString());
    const tamperedJwt = [h, b64json({ ...payload, credited_hours: 99 }), sig].join(".");
    expect(check(await verify([tamperedJwt, ...rest].join("~")), "signature").code).toBe("signature-invalid");
    // The participant's name swapped in its disclosure (same salt): its digest is not one the issuer signed.
    const swapped = rest.map((d) => {
      if (!d) return d;
      const [salt, k, v] = disclosureOf(d);
      return k === "participant_name" ? b64json([salt, k, `${v} (forged)`]) : d;
    });
    const body = await verify([jwt, ...swapped].join("~"));
    expect(body.verified).toBe(false);
    expect(check(body, "signature").code).toBe("signature-invalid");
  });

  it("attack: a forged disclosure added beside the signed ones fails the signature, not silently ignored", async () => {
    const forged = b64json(["c2FsdHNhbHRzYWx0", "credited_hours", 99]);
    const body = await verify(sdjwt.replace(/~$/, `~${forged}~`));
    expect(body.verified).toBe(false);
    expect(check(body, "signature").code).toBe("signature-invalid");
  });

  it("attack: another provider's registry key signing the certificate's claims fails as key-not-issuers; a wallet key as unknown-key", async () => {
    const otherKid = (await stored((await s.call("POST", `/api/events/${(await eventWithParticipants(s, other.token, { n: 1 })).id}/certificates`, { token: other.token })).body.certificates[0].id)).kid;
    const payload = decodeCompactJws(sdjwt.split("~")[0]!)!.payload as Record<string, unknown>;
    expect(check(await verify(await resign(sdjwt, payload, otherKid)), "signature").code).toBe("key-not-issuers");
    const [, ...rest] = sdjwt.split("~");
    const bySelf = await holder.sign({ typ: "dc+sd-jwt", kid: holder.kid }, payload);
    expect(check(await verify([bySelf, ...rest].join("~")), "signature").code).toBe("unknown-key");
  });

  it("attack: the issuer's own key signing this certificate's claims under another certificate's jti, or other hours under its jti, fails the record check", async () => {
    const kid = (await stored(certs[0]!)).kid;
    const payload = decodeCompactJws(sdjwt.split("~")[0]!)!.payload as Record<string, unknown>;
    const underOther = await verify(await resign(sdjwt, { ...payload, jti: `${s.url}/c/${certs[1]}` }, kid));
    expect(underOther.verified).toBe(false);
    expect(check(underOther, "signature").code).toBe("signature-valid");
    expect(check(underOther, "record").code).toBe("certificate-id-mismatch");
    const moreHours = await verify(await resign(sdjwt, { ...payload, credited_hours: 99 }, kid));
    expect(check(moreHours, "record").code).toBe("certificate-id-mismatch");
    // The same key's claims, unchanged, re-signed: still the certificate.
    expect((await verify(await resign(sdjwt, payload, kid))).verified).toBe(true);
  });

  it("revocation: the SD-JWT VC's status.status_list names the certificate's own entry; the list, read as a Token Status List by @sd-jwt/jwt-status-list, and Senim's verifier both see the revocation", async () => {
    const taken = await takeSdJwt(certs[2]!, holder);
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    const vc: string = taken.body.credentials[0].credential;
    const payload = decodeCompactJws(vc.split("~")[0]!)!.payload as Record<string, any>;
    const entry = (await stored(certs[2]!)).credential.credentialStatus as Record<string, string>;
    expect(payload.status).toEqual({ status_list: { idx: Number(entry.statusListIndex), uri: entry.statusListCredential } });
    const statusAt = async () => {
      const res = await fetch(payload.status.status_list.uri, { headers: { accept: "application/statuslist+jwt" } });
      expect(res.headers.get("content-type")).toBe("application/statuslist+jwt");
      const token = await res.text();
      const { header, payload: claims } = decodeCompactJws(token)! as { header: Record<string, unknown>; payload: Record<string, any> };
      // Signed by the certificate's issuer, for the list's URL (draft-ietf-oauth-status-list §5.1).
      expect(header).toMatchObject({ typ: "statuslist+jwt", alg: "EdDSA" });
      expect(claims).toMatchObject({ iss: payload.iss, sub: payload.status.status_list.uri, ttl: 300, status_list: { bits: 1 } });
      expect(claims.exp - claims.iat).toBe(300);
      const key = (await s.services.registry.resolveKey(header.kid as string))!;
      expect((await verifyCompactJws(token, key.publicKey)).ok).toBe(true);
      return getListFromStatusListJWT(token).getStatus(payload.status.status_list.idx);
    };
    expect(await statusAt()).toBe(0);
    expect((await verify(vc)).verified).toBe(true);
    expect((await s.call("POST", `/api/certificates/${certs[2]}/revocation`, { token: provider.token, body: REVOCATION })).status).toBe(201);
    expect(await statusAt()).toBe(1);
    expect(check(await verify(vc), "status").code).toBe("revoked");
    // The Bitstring form is unchanged by default: the vc+jwt for a client that states no preference.
    const plain = await fetch(payload.status.status_list.uri);
    expect(plain.headers.get("content-type")).toBe("application/vc+jwt");
  });

  it("the issuer's key through /.well-known/jwt-vc-issuer: the metadata of the did:web's HTTPS URL lists the key the SD-JWT VC's header names, and it verifies the issuer JWT", async () => {
    const [jwt] = sdjwt.split("~");
    const { header, payload } = decodeCompactJws(jwt!)! as { header: Record<string, unknown>; payload: { iss: string } };
    // did:web:{host}:parties:{id} stands for https://{host}/parties/{id} (did:web §3.2).
    const partyId = payload.iss.split(":").pop()!;
    const res = await fetch(`${s.url}/.well-known/jwt-vc-issuer/parties/${partyId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const metadata = await res.json();
    expect(metadata.issuer).toBe(`${s.url}/parties/${partyId}`);
    const jwk = metadata.jwks.keys.find((k: { kid: string }) => k.kid === header.kid);
    expect(jwk).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    expect(jwk.d).toBeUndefined();
    const key = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x }, { name: "Ed25519" }, false, ["verify"]);
    expect((await verifyCompactJws(jwt!, key)).ok).toBe(true);
    expect((await fetch(`${s.url}/.well-known/jwt-vc-issuer/parties/nosuchparty`)).status).toBe(404);
  });

  describe("OpenID4VP: the bar's DCQL asks for dc+sd-jwt and checks the KB-JWT (2.2.4)", () => {
    /** 12.2: the calendar year (Kazakhstan time) the test event ended in. */
    const year = () => new Date(s.clock.ms - 86_400_000 + 5 * 3_600_000).getUTCFullYear();
    async function barRequest() {
      const r = (await s.call("POST", "/api/presentation-requests", { token: barToken, body: { year: year() } })).body;
      const object = decodeCompactJws(await (await fetch(r.requestUri)).text())!.payload as Record<string, any>;
      return { id: r.id as string, nonce: object.nonce as string, clientId: object.client_id as string, object };
    }
    async function answer(r: { id: string }, presented: string) {
      const res = await fetch(`${s.url}/oid4vp/responses/${r.id}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ vp_token: JSON.stringify({ cle_certificates_sd_jwt: [presented] }), state: r.id }) });
      const outcome = (await s.call("GET", `/api/presentation-requests/${r.id}`, { token: barToken })).body.outcome;
      return { status: res.status, body: await res.json(), outcome };
    }
    const kbJwt = async (key: Holder, withoutKb: string, claims: Record<string, unknown>) =>
      `${withoutKb}${await key.sign({ typ: "kb+jwt" }, { iat: Math.floor(Date.now() / 1000), sd_hash: await sha256(withoutKb), ...claims })}`;

    it("the request names dc+sd-jwt with the certificate's vct, and its formats", async () => {
      const r = await barRequest();
      expect(r.object.dcql_query.credentials).toContainEqual({ id: "cle_certificates_sd_jwt", format: "dc+sd-jwt", multiple: true, meta: { vct_values: [`${s.url}/vct/cle-certificate`] } });
      expect(r.object.client_metadata.vp_formats_supported["dc+sd-jwt"]).toEqual({ "sd-jwt_alg_values": ["EdDSA"], "kb-jwt_alg_values": ["EdDSA", "ES256"] });
    });

    it("attacks: a KB-JWT for another verifier, another nonce, another key, over other disclosures, or none at all is refused", async () => {
      const other = await newHolder("did:key");
      const withoutName = sdjwt.split("~").filter((d, i) => i === 0 || d === "" || disclosureOf(d)[1] !== "participant_name").join("~");
      const cases: [string, (r: Awaited<ReturnType<typeof barRequest>>) => Promise<string>, string][] = [
        ["aud", (r) => kbJwt(holder, sdjwt, { aud: "decentralized_identifier:did:web:elsewhere", nonce: r.nonce }), "domain-mismatch"],
        ["nonce", (r) => kbJwt(holder, sdjwt, { aud: r.clientId, nonce: "another" }), "challenge-mismatch"],
        ["key", (r) => kbJwt(other, sdjwt, { aud: r.clientId, nonce: r.nonce }), "signature-invalid"],
        ["sd_hash", async (r) => `${withoutName}${(await kbJwt(holder, sdjwt, { aud: r.clientId, nonce: r.nonce })).slice(sdjwt.length)}`, "signature-invalid"],
        ["no KB-JWT", async () => sdjwt, "no-supported-proof"],
      ];
      for (const [what, make, code] of cases) {
        const r = await barRequest();
        const res = await answer(r, await make(r));
        expect(res.status, what).toBe(400);
        expect(res.body.error_description, what).toContain(code);
        expect(res.outcome.credited, what).toEqual([]);
      }
    });

    it("an SD-JWT VC with a KB-JWT by its cnf key, for this nonce and client_id, is credited once to the ledger, the holder being the cnf did:key", async () => {
      const withoutName = sdjwt.split("~").filter((d, i) => i === 0 || d === "" || disclosureOf(d)[1] !== "participant_name").join("~");
      const r = await barRequest();
      const res = await answer(r, await kbJwt(holder, withoutName, { aud: r.clientId, nonce: r.nonce }));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.outcome.holder).toBe(holder.did);
      expect(res.outcome.licence).toBe("100000");
      expect(res.outcome.refused).toEqual([]);
      expect(res.outcome.credited.map((e: { certificateId: string }) => e.certificateId)).toEqual([certs[0]]);
      const ledger = await s.call("GET", `/api/advocates/100000/ledger?year=${year()}`, { token: barToken });
      expect(ledger.body.entries.map((e: { certificateId: string; provenBy: string }) => [e.certificateId, e.provenBy])).toEqual([[certs[0], "openid4vp"]]);
    });

    it("a P-256 did:jwk wallet's SD-JWT VC, with an ES256 KB-JWT, is credited as that did:jwk", async () => {
      const p256 = await newHolder("did:jwk:p256");
      const taken = await takeSdJwt(certs[1]!, p256);
      expect(taken.status, JSON.stringify(taken.body)).toBe(200);
      const vc: string = taken.body.credentials[0].credential;
      const r = await barRequest();
      const res = await answer(r, await kbJwt(p256, vc, { aud: r.clientId, nonce: r.nonce }));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.outcome.holder).toBe(p256.did);
      expect(res.outcome.credited.map((e: { certificateId: string }) => e.certificateId)).toEqual([certs[1]]);
    });
  });
});
