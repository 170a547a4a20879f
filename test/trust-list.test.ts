/**
 * Issue 17: the signed trust list on SQLite, PostgreSQL and D1 — one RBA-signed vc+jwt of the registry, with a
 * version that is its ETag — and a verifier outside Senim (below: jose and the documented format, nothing of
 * Senim's code, no request after the lists are fetched) checking certificates with it offline. The attacks: an
 * altered trust list, a key the list does not name, a key outside its window, a certificate outside every
 * accreditation, a revoked certificate.
 */
import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bitAt, decodeStatusList } from "../src/credentials/status-list.js";
import { DATABASE_KINDS } from "./databases.js";
import { accreditedProvider, issued, startSenim, type TestSenim } from "./helpers.js";

type TrustList = { validUntil: string; credentialSubject: { version: string; parties: Party[] } };
type Party = { did: string; keys: { kid: string; publicKeyJwk: Record<string, string>; validFrom: string; validUntil: string | null }[]; accreditations: { programmes: string[] | null; forms: string[] | null; validFrom: string; validUntil: string | null; withdrawal: { effectiveFrom: string } | null }[] };

/** docs/trust-list.md's offline check, as someone else would write it from the document. */
async function verifyOffline(certificateJwt: string, trustListJwt: string, rbaJwk: Record<string, string>, statusLists: Map<string, string>, now = new Date()) {
  const list = JSON.parse(new TextDecoder().decode((await compactVerify(trustListJwt, await importJWK(rbaJwk, "EdDSA"))).payload)) as TrustList;
  if (Date.parse(list.validUntil) <= now.getTime()) return "trust list expired";
  const kid = decodeProtectedHeader(certificateJwt).kid!;
  const party = list.credentialSubject.parties.find((p) => p.did === kid.split("#")[0]);
  const key = party?.keys.find((k) => k.kid === kid);
  if (!party || !key) return "unknown key";
  const vc = decodeJwt(certificateJwt) as Record<string, any>;
  try {
    await compactVerify(certificateJwt, await importJWK({ ...key.publicKeyJwk }, "EdDSA"));
  } catch {
    return "bad signature";
  }
  const signedAt = Date.parse(vc.validFrom);
  if (signedAt < Date.parse(key.validFrom) || (key.validUntil && signedAt >= Date.parse(key.validUntil))) return "key outside its window";
  const a = vc.credentialSubject.achievement;
  const covered = party.accreditations.some(
    (x) =>
      (x.programmes === null || x.programmes.includes(a.programme)) &&
      (x.forms === null || x.forms.includes(a.educationForm)) &&
      Date.parse(a.eventStart) >= Date.parse(x.validFrom) &&
      (x.validUntil === null || Date.parse(a.eventEnd) < Date.parse(x.validUntil)) &&
      (x.withdrawal === null || Date.parse(a.eventEnd) < Date.parse(x.withdrawal.effectiveFrom)),
  );
  if (!covered) return "not accredited";
  const status = statusLists.get(vc.credentialStatus.statusListCredential);
  if (!status) return "status unknown";
  const statusJwt = await compactVerify(status, await importJWK({ ...party.keys.find((k) => k.kid === decodeProtectedHeader(status).kid)!.publicKeyJwk }, "EdDSA"));
  const bits = await decodeStatusList(JSON.parse(new TextDecoder().decode(statusJwt.payload)).credentialSubject.encodedList);
  return bitAt(bits, Number(vc.credentialStatus.statusListIndex)) ? "revoked" : "genuine";
}

describe.each(DATABASE_KINDS)("issue 17: the signed trust list on %s", (kind) => {
  let s: TestSenim;
  let rbaJwk: Record<string, string>;
  beforeAll(async () => {
    s = await startSenim({ database: kind, now: "system" });
    // The RBA's key, pinned once by the verifier (its key is made when the RBA first signs).
    expect((await s.fetch("/trust-list")).status).toBe(200);
    const doc = (await s.call("GET", "/bars/rba/did.json")).body;
    rbaJwk = doc.verificationMethod.find((m: { publicKeyJwk?: unknown }) => m.publicKeyJwk).publicKeyJwk;
  });
  afterAll(async () => s?.close());

  const fetchList = async (etag?: string) => s.fetch("/trust-list", etag ? { headers: { "if-none-match": etag } } : {});
  const statusOf = async (jwt: string) => {
    const url = (decodeJwt(jwt) as any).credentialStatus.statusListCredential as string;
    return new Map([[url, await (await s.fetch(new URL(url).pathname)).text()]]);
  };

  it("one vc+jwt signed by the RBA's did:web key, valid a week, versioned; the same version answers 304 to its ETag", async () => {
    const res = await fetchList();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vc+jwt");
    const etag = res.headers.get("etag")!;
    const jwt = await res.text();
    const header = decodeProtectedHeader(jwt);
    expect(header.kid).toMatch(/^did:web:.*:bars:rba#key-/);
    const list = decodeJwt(jwt) as any;
    expect(list.type).toEqual(["VerifiableCredential", "SenimTrustList"]);
    expect(etag).toBe(`W/"${list.credentialSubject.version}"`);
    expect(Date.parse(list.validUntil) - Date.parse(list.validFrom)).toBe(7 * 86_400_000);
    expect(list.credentialSubject.bars.map((b: { id: string }) => b.id)).toContain("almaty-city");
    expect((await fetchList(etag)).status).toBe(304);
    expect(JSON.stringify(list)).not.toMatch(/evidence|privateKey|"d":/);
  });

  it("an outside verifier checks a certificate offline with the trust list and the status list; a revocation shows once the status list is fetched again", async () => {
    const { provider: issuer, certificates } = await issued(s, 1);
    const jwt = (await s.call("GET", `/c/${certificates[0]!.id}/credential.jwt`)).text;
    const list = await (await fetchList()).text();
    const status = await statusOf(jwt);
    expect(await verifyOffline(jwt, list, rbaJwk, status)).toBe("genuine");
    const provider = (decodeJwt(jwt) as any).issuer.id as string;
    expect(provider).toMatch(/^did:/);
    expect((await s.call("POST", `/api/certificates/${certificates[0]!.id}/revocation`, { token: issuer.token, body: { reason: "Issued in error" } })).status).toBe(201);
    expect(await verifyOffline(jwt, list, rbaJwk, await statusOf(jwt))).toBe("revoked");
  });

  it("attacks: an altered trust list fails the RBA's signature; a provider registered after the list was fetched is an unknown key; a new version gets a new ETag", async () => {
    const before = await fetchList();
    const etag = before.headers.get("etag")!;
    const list = await before.text();
    const [h, p, sig] = list.split(".");
    const payload = JSON.parse(Buffer.from(p!, "base64url").toString());
    payload.credentialSubject.parties.push({ did: "did:web:evil", keys: [], accreditations: [] });
    const forged = [h, Buffer.from(JSON.stringify(payload)).toString("base64url"), sig].join(".");
    const { certificates } = await issued(s, 1); // a new provider, accredited after `list` was fetched
    const jwt = (await s.call("GET", `/c/${certificates[0]!.id}/credential.jwt`)).text;
    await expect(verifyOffline(jwt, forged, rbaJwk, await statusOf(jwt))).rejects.toThrow(/signature/);
    expect(await verifyOffline(jwt, list, rbaJwk, await statusOf(jwt))).toBe("unknown key");
    const after = await fetchList(etag);
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(etag);
    expect(await verifyOffline(jwt, await after.text(), rbaJwk, await statusOf(jwt))).toBe("genuine");
  });

  it("the list names exactly the keys of each party's DID document, and each accreditation's scope", async () => {
    const provider = await accreditedProvider(s, { programmes: ["criminal"] });
    const list = await (await fetchList()).text();
    const party = (decodeJwt(list) as any).credentialSubject.parties.find((p: { did: string }) => p.did === provider.party.did);
    expect(party.accreditations.map((a: { programmes: string[] }) => a.programmes)).toEqual([["criminal"]]);
    const doc = (await s.call("GET", `/parties/${provider.party.id}/did.json`)).body;
    expect(party.keys.map((k: { kid: string }) => k.kid)).toEqual(doc.verificationMethod.filter((m: { type: string }) => m.type === "JsonWebKey2020").map((m: { id: string }) => m.id));
  });
});
