/**
 * The HTTP scenarios every runtime must pass, written once against an `HttpTarget`: the Node app (SQLite or
 * PostgreSQL) and the Worker in workerd on D1 (test/http-targets.test.ts). Real time, real signatures, real HTTP
 * where the target is a server. Clause numbers are the Procedure's.
 */
import { Openid4vpClient } from "@openid4vc/openid4vp";
import { setGlobalConfig } from "@openid4vc/utils";
import { getListFromStatusListJWT } from "@sd-jwt/jwt-status-list";
import { decodeJwt as decodeJwtPayload, decodeProtectedHeader } from "jose";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bitAt, decodeStatusList } from "../src/credentials/status-list.js";
import { accreditedProvider, eventWithParticipants, issued, postOversizedChunkedBody, type HttpTarget } from "./helpers.js";
import { decodeQrPng, decodeQrSvg } from "./qr-decode.js";
import { credentialInJwt, newHolder, redeemOffer, requestCredential, walletTakesCertificate, walletTakesOfferWithDpop, walletVpCallbacks, type Holder } from "./wallet-helpers.js";
import { CHECKS } from "../src/credentials/checks.js";
import { kk } from "../src/http/i18n/kk.js";
import { fillTemplate } from "../src/lib/csv.js";

type Closable = HttpTarget & { close(): Promise<void> };

const VC2 = "https://www.w3.org/ns/credentials/v2";

/** The calendar year (Almaty, UTC+5) the helpers' events end in: they end a day before the target's clock. */
const eventYear = (s: HttpTarget) => new Date(s.clock.ms - 86_400_000 + 5 * 3_600_000).getUTCFullYear();

/** An issuing response as a replay gives it back: the one-time survey links are never stored, so they are null. */
const withoutOneTimeLinks = (body: any) => ({ ...body, certificates: body.certificates.map((c: any) => ({ ...c, survey: null, participantPdf: null })) });

const outcome = (body: any, check: string) => body.checks.find((c: { check: string }) => c.check === check)?.outcome;

export function httpScenarios(name: string, start: () => Promise<Closable>): void {
  describe(`HTTP scenarios on ${name}`, () => {
    let s: Closable;
    beforeAll(async () => {
      s = await start();
    });
    afterAll(async () => s?.close());

    it("serves health, the OpenAPI document, the static stylesheet and the CLE context", async () => {
      expect((await s.call("GET", "/healthz")).body).toEqual({ ok: true });
      // Issue 17: readiness reads the database on every runtime.
      expect((await s.call("GET", "/readyz")).body).toMatchObject({ ready: true, checks: [{ check: "database", ok: true }, { check: "registry", ok: true }] });
      const doc = await s.call("GET", "/openapi.json");
      expect(doc.body.openapi).toBe("3.1.0");
      expect(Object.keys(doc.body.paths)).toContain("/api/events/{id}/certificates");
      const css = await s.call("GET", "/styles.css");
      expect(css.status).toBe(200);
      expect(css.headers.get("content-type")).toContain("text/css");
      // Issue 16: a favicon, served from public/ on every runtime and named by every page.
      const icon = await s.fetch("/favicon.svg");
      expect(icon.status).toBe(200);
      expect(icon.headers.get("content-type")).toContain("image/svg+xml");
      expect(await icon.text()).toContain("<svg");
      expect((await s.call("GET", "/verify")).text).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml"/>');
      // Issue 17: /verify's service worker, from the root (its scope covers /verify and /c/{id}) and as JavaScript.
      const worker = await s.fetch("/sw.js");
      expect(worker.status).toBe(200);
      expect(worker.headers.get("content-type")).toMatch(/javascript/);
      expect((await s.call("GET", "/contexts/cle/v1")).body["@context"]).toBeDefined();
    });

    it("3.1, 8.3, 9.1: a bar registers and accredits a centre; its DID document and the public registry show it", async () => {
      const { party } = await accreditedProvider(s, { name: "Ақтөбе орталығы", barId: "aktobe" });
      expect(party.did).toBe(`did:web:${new URL(s.baseUrl).host.replace(":", "%3A")}:parties:${party.id}`);
      const did = await s.call("GET", `/parties/${party.id}/did.json`);
      expect(did.status).toBe(200);
      expect(did.body.id).toBe(party.did);
      expect(did.body.verificationMethod[0].publicKeyJwk).toMatchObject({ kty: "OKP", crv: "Ed25519" });
      // Issue 15: the JWK method is JsonWebKey2020 (what installed wallets resolve), under the context that defines it.
      expect(did.body.verificationMethod[0].type).toBe("JsonWebKey2020");
      expect(did.body["@context"]).toContain("https://w3id.org/security/suites/jws-2020/v1");
      const reg = await s.call("GET", "/api/registry");
      const aktobe = reg.body.bars.find((b: { id: string }) => b.id === "aktobe");
      expect(JSON.stringify(aktobe)).toContain("Ақтөбе орталығы");
      const page = await s.call("GET", "/registry/aktobe", { headers: { "accept-language": "kk" } });
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toContain("text/html");
      expect(page.text).toContain("Ақтөбе орталығы");
    });

    it("7.5: issues an event's certificates once, honours Idempotency-Key, and each verifies by URL, vc+jwt and JSON", async () => {
      const { token } = await accreditedProvider(s);
      const ev = await eventWithParticipants(s, token, { n: 12 });
      const headers = { "idempotency-key": `k-${ev.id}` };
      const first = await s.call("POST", `/api/events/${ev.id}/certificates`, { token, headers });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ issued: 12, alreadyIssued: 0 });
      const replay = await s.call("POST", `/api/events/${ev.id}/certificates`, { token, headers });
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
      // The same response, except the one-time survey links: secrets are never stored, so a replay cannot repeat them (7.5).
      expect(replay.body).toEqual(withoutOneTimeLinks(first.body));
      const again = await s.call("POST", `/api/events/${ev.id}/certificates`, { token });
      expect(again.body).toMatchObject({ issued: 0, alreadyIssued: 12 });

      const cert = first.body.certificates[0];
      expect(cert.url).toBe(`${s.baseUrl}/c/${cert.id}`);
      const byUrl = await s.call("POST", "/api/verify", { body: { url: cert.url } });
      expect(byUrl.status).toBe(200);
      expect(byUrl.body.checks.map((c: { outcome: string }) => c.outcome)).toEqual(Array(CHECKS.length).fill("passed"));
      const jwt = await s.call("GET", `/c/${cert.id}/credential.jwt`);
      expect(jwt.headers.get("content-type")).toContain("application/vc+jwt");
      expect(decodeProtectedHeader(jwt.text)).toMatchObject({ alg: "EdDSA", typ: "vc+jwt" });
      expect((await s.call("POST", "/api/verify", { body: { jwt: jwt.text } })).body.verified).toBe(true);
      const json = await s.call("GET", `/c/${cert.id}/credential.json`);
      expect((await s.call("POST", "/api/verify", { body: { credential: json.body } })).body.verified).toBe(true);
      // An altered certificate fails its signature check.
      const [h, p, sig] = jwt.text.split(".");
      const payload = JSON.parse(Buffer.from(p!, "base64url").toString());
      payload.credentialSubject.name = "Басқа адам";
      const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${sig}`;
      const bad = await s.call("POST", "/api/verify", { body: { jwt: forged } });
      expect(bad.status).toBe(422);
      expect(outcome(bad.body, "signature")).toBe("failed");
    });

    it("7.5: the certificate page names the participant, and its QR code (PNG, read by ZXing) is the certificate URL", async () => {
      const { certificates } = await issued(s, 2);
      const c = certificates[1]!;
      const page = await s.call("GET", `/c/${c.id}`, { headers: { "accept-language": "ru" } });
      expect(page.status).toBe(200);
      expect(page.text).toContain("Қатысушы 2");
      const png = await fetchBytes(s, `/c/${c.id}/qr.png`);
      expect(png.type).toBe("image/png");
      expect(decodeQrPng(png.bytes).text).toBe(c.url);
      const svg = await s.call("GET", `/c/${c.id}/qr.svg`);
      expect(svg.headers.get("content-type")).toBe("image/svg+xml");
      expect(svg.text).toMatch(/^<svg/);
    });

    it("revocation sets the certificate's bit in its signed status list, and verification then fails on status", async () => {
      const { provider, certificates } = await issued(s, 3);
      const c = certificates[2]!;
      const revoked = await s.call("POST", `/api/certificates/${c.id}/revocation`, { token: provider.token, body: { reason: "Issued in error" } });
      expect(revoked.status).toBe(201);
      const cert = await s.call("GET", `/api/certificates/${c.id}`);
      const status = cert.body.credential.credentialStatus;
      const list = await s.call("GET", new URL(status.statusListCredential).pathname);
      expect(list.headers.get("content-type")).toContain("application/vc+jwt");
      const listCredential = JSON.parse(Buffer.from(list.text.split(".")[1]!, "base64url").toString());
      const bits = await decodeStatusList(listCredential.credentialSubject.encodedList);
      const index = Number(status.statusListIndex);
      expect((bits[index >> 3]! >> (7 - (index & 7))) & 1).toBe(1);
      const verdict = await s.call("POST", "/api/verify", { body: { url: c.url } });
      expect(verdict.status).toBe(422);
      expect(outcome(verdict.body, "status")).toBe("failed");
      expect((await s.call("POST", "/api/verify", { body: { url: certificates[0]!.url } })).status).toBe(200);
    });

    it("a key rotation retires the old key, which keeps verifying what it signed; new certificates use the new key", async () => {
      const { provider, certificates } = await issued(s, 1);
      // Straight after issuing, often in the same second: the old key stays valid to the end of it (domain/keys.ts).
      const rotated = await s.call("POST", `/api/parties/${provider.party.id}/keys/rotate`, { token: s.adminToken });
      expect(rotated.status).toBe(200);
      expect(rotated.body.keys.filter((k: { validUntil: string | null }) => k.validUntil === null)).toHaveLength(1);
      expect((await s.call("POST", "/api/verify", { body: { url: certificates[0]!.url } })).status).toBe(200);
      const ev = await eventWithParticipants(s, provider.token, { n: 1 });
      const next = await s.call("POST", `/api/events/${ev.id}/certificates`, { token: provider.token });
      const jwt = await s.call("GET", `/c/${next.body.certificates[0].id}/credential.jwt`);
      expect(decodeProtectedHeader(jwt.text).kid).toBe(rotated.body.active.id);
    });

    it("two concurrent issuing requests for one event certify each participant once, on distinct status entries", async () => {
      const { token } = await accreditedProvider(s);
      const ev = await eventWithParticipants(s, token, { n: 60 });
      const [a, b] = await Promise.all([1, 2].map(() => s.call("POST", `/api/events/${ev.id}/certificates`, { token })));
      expect(a!.body.issued + b!.body.issued).toBe(60);
      expect(a!.body.certificates.map((c: { id: string }) => c.id).sort()).toEqual(b!.body.certificates.map((c: { id: string }) => c.id).sort());
      const entries = await Promise.all(
        a!.body.certificates.slice(0, 60).map(async (c: { id: string }) => (await s.call("GET", `/api/certificates/${c.id}`)).body.credential.credentialStatus.id),
      );
      expect(new Set(entries).size).toBe(60);
    });

    it("refuses bad input with problem documents: no key 401, wrong role 403, invalid body 400, unaccredited 422", async () => {
      const none = await s.call("POST", "/api/events", { body: {} });
      expect(none.status).toBe(401);
      expect(none.headers.get("content-type")).toContain("application/problem+json");
      const { token } = await accreditedProvider(s);
      expect((await s.call("POST", "/api/parties", { token, body: { kind: "centre", name: "X", barId: "rba" } })).status).toBe(403);
      const bad = await s.call("PUT", "/api/events/zzzzzzzzzzzzzzzz/participants", { token, raw: "{not json", headers: { "content-type": "application/json" } });
      expect(bad.status).toBe(400);
      const party = await s.call("POST", "/api/parties", { token: s.adminToken, body: { kind: "trainer", name: "Тренер", barId: "rba" } });
      const key = await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "provider", partyId: party.body.id, label: "t" } });
      // 5.1(1), 7.1: training by a provider never accredited cannot even be recorded.
      const refused = await s.call("POST", "/api/events", { token: key.body.token, body: { topic: "Әдеп", programme: "topical", form: "course", deliveryMode: "online", place: "Online", startsAt: "2026-03-01T05:00:00Z", endsAt: "2026-03-01T11:00:00Z", durationMinutes: 270, trainers: [{ name: "Сейтқали Ә.", field: "Адвокаттық әдеп" }] } });
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe("not_accredited");
      const big = await s.call("POST", "/api/verify", { raw: JSON.stringify({ jwt: "x".repeat(300 * 1024) }), headers: { "content-type": "application/json" } });
      expect(big.status).toBe(413);
    });

    it("Data Integrity: format=di certificates carry an eddsa-rdfc-2022 proof that verifies by /api/verify and /credentials/verify", async () => {
      const p = await accreditedProvider(s);
      const ev = await eventWithParticipants(s, p.token, { n: 2 });
      const issuedDi = await s.call("POST", `/api/events/${ev.id}/certificates?format=di`, { token: p.token });
      expect(issuedDi.status, issuedDi.text).toBe(201);
      const id = issuedDi.body.certificates[0].id;
      const cert = await s.call("GET", `/api/certificates/${id}?format=di`);
      expect(cert.status, cert.text).toBe(200);
      const di = cert.body.dataIntegrity;
      expect(di.proof).toMatchObject({ type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", proofPurpose: "assertionMethod" });
      const { proof: _, ...unsecured } = di;
      expect(unsecured).toEqual(cert.body.credential);
      const viaApi = await s.call("POST", "/api/verify", { body: { credential: di } });
      expect(viaApi.status, viaApi.text).toBe(200);
      expect(viaApi.body.checks.find((c: any) => c.check === "signature").detail).toMatch(/Data Integrity/);
      const viaVcApi = await s.call("POST", "/credentials/verify", { token: p.token, body: { verifiableCredential: di } });
      expect(viaVcApi.status, viaVcApi.text).toBe(200);
      expect((await s.call("GET", `/c/${id}/credential.di.json`)).body).toEqual(di);
      // One changed hour breaks the canonical form and so the signature.
      const tampered = structuredClone(di);
      tampered.credentialSubject.achievement.academicHours = 99;
      const bad = await s.call("POST", "/api/verify", { body: { credential: tampered } });
      expect(bad.status).toBe(422);
      expect(outcome(bad.body, "signature")).toBe("failed");
    });

    it("VC API: a did:key party issues, verifies, suspends and lifts, revokes; its Data Integrity status list shows the bit", async () => {
      const party = await s.call("POST", "/api/parties", { token: s.adminToken, body: { kind: "centre", name: "Did-key орталығы", barId: "almaty-city", identifier: { method: "did:key" } } });
      expect(party.status, party.text).toBe(201);
      const accreditation = await s.call("POST", `/api/parties/${party.body.id}/accreditations`, {
        token: s.adminToken,
        body: { barId: "almaty-city", decisionNumber: "9-П", decisionDate: "2026-01-01", criteria: [{ criterion: "education-licence", evidence: "KZ-EDU-9" }], validFrom: "2026-01-01" },
      });
      expect(accreditation.status, accreditation.text).toBe(201);
      const key = await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "provider", partyId: party.body.id, label: "vc-api" } });
      const token = key.body.token as string;
      const credential = { "@context": [VC2], type: ["VerifiableCredential"], id: `urn:uuid:${crypto.randomUUID()}`, issuer: party.body.did, credentialSubject: { id: "did:example:advocate", name: "Әлия Сейтқалиқызы" } };
      const issuedVc = await s.call("POST", "/credentials/issue", { token, body: { credential, options: { credentialStatus: [{ statusPurpose: "revocation" }, { statusPurpose: "suspension" }] } } });
      expect(issuedVc.status, issuedVc.text).toBe(201);
      const vc = issuedVc.body.verifiableCredential;
      expect(vc.proof.cryptosuite).toBe("eddsa-rdfc-2022");
      const [revocation, suspension] = vc.credentialStatus;
      expect([revocation.statusPurpose, suspension.statusPurpose]).toEqual(["revocation", "suspension"]);
      expect(revocation.id).not.toBe(suspension.id);
      expect((await s.call("POST", "/credentials/verify", { token, body: { verifiableCredential: vc } })).body.verified).toBe(true);
      const setStatus = (statusPurpose: string, status: boolean) =>
        s.call("POST", "/credentials/status", { token, body: { credentialId: vc.id, credentialStatus: { type: "BitstringStatusListEntry", statusPurpose }, status } });
      expect((await setStatus("suspension", true)).status).toBe(200);
      const suspended = await s.call("POST", "/credentials/verify", { token, body: { verifiableCredential: vc } });
      expect(suspended.status).toBe(422);
      expect(suspended.body.checks.find((c: any) => c.check === "status").code).toBe("suspended");
      expect((await setStatus("suspension", false)).status).toBe(200);
      expect((await s.call("POST", "/credentials/verify", { token, body: { verifiableCredential: vc } })).status).toBe(200);
      expect((await setStatus("revocation", true)).status).toBe(200);
      const revoked = await s.call("POST", "/credentials/verify", { token, body: { verifiableCredential: vc } });
      expect(revoked.body.checks.find((c: any) => c.check === "status").code).toBe("revoked");
      expect((await setStatus("revocation", false)).status).toBe(422); // a revocation is final
      const list = await s.call("GET", `${new URL(revocation.statusListCredential).pathname}?format=di`);
      expect(list.status).toBe(200);
      expect(list.body.proof.cryptosuite).toBe("eddsa-rdfc-2022");
      expect(bitAt(await decodeStatusList(list.body.credentialSubject.encodedList), Number(revocation.statusListIndex))).toBe(true);
      expect((await s.call("POST", "/credentials/verify", { token, body: { verifiableCredential: list.body } })).status).toBe(200);
    });

    it("7.5: GET /c/{id}.pdf is a one-page A4 PDF with the embedded font and the participant's name", async () => {
      const { certificates } = await issued(s, 1);
      const res = await s.fetch(`/c/${certificates[0]!.id}.pdf?lang=kk`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/pdf");
      const pdf = new Uint8Array(await res.arrayBuffer());
      expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe("%PDF-");
      const dir = mkdtempSync(join(tmpdir(), "senim-pdf-"));
      try {
        const file = join(dir, "c.pdf");
        writeFileSync(file, pdf);
        expect(execFileSync("pdfinfo", [file]).toString()).toMatch(/Pages:\s+1\n/);
        const text = execFileSync("pdftotext", ["-layout", "-enc", "UTF-8", file, "-"]).toString().replace(/\s+/g, " ");
        expect(text).toContain("БІЛІКТІЛІКТІ АРТТЫРУ СЕРТИФИКАТЫ");
        expect(text).toContain("Қатысушы 1");
        expect(execFileSync("pdffonts", [file]).toString()).toMatch(/DejaVuSans\S*\s+CID TrueType\s+Identity-H\s+yes/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("12.1, 3.2, 7.5: a bar's compliance report and annual analysis count its certificates; a survey is answered once", async () => {
      const bar = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "bookkeeping" } })).body.token as string;
      const { provider, certificates } = await issued(s, 3);
      for (const [i, licence] of ["100000", "100001", "100002"].entries()) {
        const m = await s.call("POST", "/api/bars/almaty-city/members", { token: bar, body: { licence, fullName: `Қатысушы ${i + 1}`, admissionDate: "2015-03-01" } });
        expect(m.status, m.text).toBe(201);
      }
      const year = eventYear(s);
      const report = await s.call("GET", `/api/bars/almaty-city/compliance/${year}`, { token: bar });
      expect(report.status, report.text).toBe(200);
      expect(report.body.totals.members).toBe(3);
      for (const m of report.body.members) expect(m.verifiedHours).toBeGreaterThanOrEqual(8); // 360 minutes = 8 academic hours (10.6)
      // 7.5: one answer per certificate, even when two arrive together.
      const answer = { quality: 5, effectiveness: 4, usefulness: 5, comment: "Пайдалы болды" };
      // The participant's own link from the issuing response; the public certificate id opens no survey.
      const link = new URL(certificates[0]!.survey!).pathname;
      expect((await s.call("POST", `/c/${certificates[0]!.id}/survey`, { body: answer })).status).toBe(404);
      const [a, b] = await Promise.all([1, 2].map(() => s.call("POST", link, { body: answer })));
      expect([a!.status, b!.status].sort()).toEqual([201, 409]);
      const third = await s.call("POST", link, { body: answer });
      expect(third.status).toBe(409);
      expect(third.body.code).toBe("survey_already_answered");
      const analysis = await s.call("GET", `/api/bars/almaty-city/analysis/${year}`, { token: bar });
      expect(analysis.status, analysis.text).toBe(200);
      expect(analysis.body.certificates).toBeGreaterThanOrEqual(3);
      expect(analysis.body.members).toMatchObject({ total: 3 });
      expect(analysis.body.byProgramme.find((x: any) => x.code === "criminal").certificates).toBeGreaterThanOrEqual(3);
      expect(analysis.body.surveys.responses).toBeGreaterThanOrEqual(1);
      const own = await s.call("GET", `/api/parties/${provider.party.id}/surveys`, { token: provider.token });
      expect(own.status, own.text).toBe(200);
      // 7.5: one answer is counted, but neither averaged nor quoted, so it cannot be traced back.
      expect(own.body.overall).toMatchObject({ responses: 1, quality: null });
      expect(own.body.byEvent[0].comments).toBeNull();
    });

    it("2.2.3 OpenID4VCI: metadata, a provider's offer, and a wallet library nobody here wrote takes the certificate with the PIN", async () => {
      const meta = await s.call("GET", "/.well-known/openid-credential-issuer");
      expect(meta.status).toBe(200);
      expect(meta.body.credential_issuer).toBe(s.baseUrl);
      expect(meta.body.credential_endpoint).toBe(`${s.baseUrl}/oid4vci/credential`);
      const as = await s.call("GET", "/.well-known/oauth-authorization-server");
      expect(as.status).toBe(200);
      expect(as.body.token_endpoint).toBe(`${s.baseUrl}/oid4vci/token`);
      const { provider, certificates } = await issued(s, 1);
      const offer = await s.call("POST", `/api/certificates/${certificates[0]!.id}/offers`, { token: provider.token });
      expect(offer.status, offer.text).toBe(201);
      expect(offer.body.offer).toBe(`openid-credential-offer://?credential_offer_uri=${encodeURIComponent(offer.body.credentialOfferUri)}`);
      const fetched = await s.call("GET", new URL(offer.body.credentialOfferUri).pathname);
      expect(fetched.status, fetched.text).toBe(200);
      expect(fetched.body.credential_issuer).toBe(s.baseUrl);

      // The wallet (@sphereon/oid4vci-client) over real HTTP: another offer by reference, PIN, did:key proof of possession.
      const holder = await newHolder("did:key");
      const jwt = await walletTakesCertificate(s, provider.token, certificates[0]!.id, holder);
      // Issue 15: jwt_vc_json is a VC-JWT 1.1 (typ JWT, the certificate in a `vc` claim), read back as the certificate.
      expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: "EdDSA", typ: "JWT" });
      const payload = credentialInJwt(jwt);
      expect(payload.credentialSubject.id).toBe(holder.did);
      expect(payload.id).toBe(certificates[0]!.url);
      const verified = await s.call("POST", "/api/verify", { body: { jwt } });
      expect(verified.status, verified.text).toBe(200);
      expect(verified.body.summary.participant.holder).toBe(holder.did);

      // Issue 15: the same certificate as an SD-JWT VC (dc+sd-jwt), issued and verified by this runtime.
      const sdOffer = (await s.call("POST", `/api/certificates/${certificates[0]!.id}/offers`, { token: provider.token })).body;
      const token = await redeemOffer(sdOffer, sdOffer.txCode);
      expect(token.status).toBe(200);
      const sdHolder = await newHolder("did:key");
      const taken = await requestCredential(s.baseUrl, token.body.access_token, token.body.c_nonce, "SenimCertificate_dc_sd_jwt", sdHolder);
      expect(taken.status, JSON.stringify(taken.body)).toBe(200);
      const sdJwt = taken.body.credentials[0].credential as string;
      expect(decodeProtectedHeader(sdJwt.split("~")[0]!)).toMatchObject({ typ: "dc+sd-jwt", alg: "EdDSA" });
      const sdVerified = await s.call("POST", "/api/verify", { body: { jwt: sdJwt } });
      expect(sdVerified.status, sdVerified.text).toBe(200);
      expect(sdVerified.body.verified, sdVerified.text).toBe(true);
      expect(sdVerified.body.summary.participant.holder).toBe(sdHolder.did);
      // Its status as an IETF Token Status List at the list's URL, and its issuer's key as JWT VC Issuer Metadata.
      const sdPayload = decodeJwtPayload(sdJwt.split("~")[0]!) as { iss: string; status: { status_list: { idx: number; uri: string } } };
      const tsl = await fetch(sdPayload.status.status_list.uri, { headers: { accept: "application/statuslist+jwt" } });
      expect(tsl.headers.get("content-type")).toBe("application/statuslist+jwt");
      expect(getListFromStatusListJWT(await tsl.text()).getStatus(sdPayload.status.status_list.idx)).toBe(0);
      const issuerMetadata = await fetch(`${s.baseUrl}/.well-known/jwt-vc-issuer/parties/${sdPayload.iss.split(":").pop()}`);
      expect(issuerMetadata.status).toBe(200);
      expect((await issuerMetadata.json()).jwks.keys.map((k: { kid: string }) => k.kid)).toContain(decodeProtectedHeader(sdJwt.split("~")[0]!).kid);

      // Issue 15: with DPoP (RFC 9449) the token is bound to the wallet's DPoP key, and the certificate comes under it.
      const dpopOffer = (await s.call("POST", `/api/certificates/${certificates[0]!.id}/offers`, { token: provider.token })).body;
      const dpopHolder = await newHolder("did:key");
      const withDpop = await walletTakesOfferWithDpop(dpopOffer, dpopHolder, await newHolder("did:jwk:p256"));
      expect(withDpop.token.token_type).toBe("DPoP");
      expect(credentialInJwt((withDpop.credential.credentials![0] as { credential: string }).credential).credentialSubject.id).toBe(dpopHolder.did);
    });

    it("2.2.4 OpenID4VP: the bar asks, a holder library answers with the wallet's certificates, the ledger credits each once", async () => {
      const { provider, certificates } = await issued(s, 1); // licence 100000, Almaty City
      const holder = await newHolder("did:key");
      const vc = await walletTakesCertificate(s, provider.token, certificates[0]!.id, holder);
      const bar = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "desk" } })).body.token as string;
      const year = eventYear(s);
      const ask = async () => {
        const r = await s.call("POST", "/api/presentation-requests", { token: bar, body: { year } });
        expect(r.status, r.text).toBe(201);
        return r.body as { id: string; link: string };
      };
      const first = await ask();
      expect((await present(s, first.link, holder, [vc])).status).toBe(200);
      const o = (await s.call("GET", `/api/presentation-requests/${first.id}`, { token: bar })).body.outcome;
      expect(o).toMatchObject({ licence: "100000", holder: holder.did, refused: [] });
      expect(o.credited.map((e: { certificateId: string }) => e.certificateId)).toEqual([certificates[0]!.id]);
      // Presented again: counted once.
      const again = await ask();
      expect((await present(s, again.link, holder, [vc])).status).toBe(200);
      const o2 = (await s.call("GET", `/api/presentation-requests/${again.id}`, { token: bar })).body.outcome;
      expect(o2.credited).toEqual([]);
      expect(o2.alreadyCredited).toEqual([certificates[0]!.id]);
      const ledger = await s.call("GET", `/api/advocates/100000/ledger?year=${year}`, { token: bar });
      expect(ledger.status, ledger.text).toBe(200);
      expect(ledger.body.entries.filter((e: { certificateId: string }) => e.certificateId === certificates[0]!.id)).toHaveLength(1);
    });

    it("7.3, 2.1(4): an accredited provider announces an event; the public calendar, its page, the JSON and the iCalendar feed list it until it is withdrawn", async () => {
      const { party, token } = await accreditedProvider(s, { name: "Күнтізбе орталығы" });
      const start = Math.ceil((s.clock.ms + 30 * 86_400_000) / 3_600_000) * 3_600_000;
      const ev = await s.call("POST", "/api/events", {
        token,
        body: { topic: "Сот жарыссөзі; практикум", programme: "civil", form: "course", deliveryMode: "in-person", place: "Алматы", startsAt: new Date(start).toISOString(), endsAt: new Date(start + 6 * 3_600_000).toISOString(), durationMinutes: 270, trainers: [{ name: "Сейтқали Ә.", field: "Азаматтық процесс" }] },
      });
      expect(ev.status, ev.text).toBe(201);
      const id = ev.body.id as string;
      const bad = await s.call("PUT", `/api/events/${id}/announcement`, { token, body: { description: "", fee: { kind: "paid" } }, headers: { "accept-language": "kk" } });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { code: string }) => e.code)).toEqual(["description-invalid", "city-required", "venue-required", "fee-amount-invalid"]);
      const put = await s.call("PUT", `/api/events/${id}/announcement`, { token, body: { description: "Жарыссөз, дәлелдеу; «практика»", city: "Алматы", venue: "Абай даңғылы 10", fee: { kind: "sponsored", sponsor: "bar" }, seats: 30 } });
      expect(put.status, put.text).toBe(200);

      const list = await s.call("GET", "/events?programme=civil&free=1&city=АЛМАТЫ", { headers: { "accept-language": "ru" } });
      expect(list.status).toBe(200);
      expect(list.text).toContain(`data-event="${id}"`);
      expect(list.text).toContain("Бесплатно для адвокатов: за счёт коллегии");
      expect((await s.call("GET", "/registry/almaty-city/events")).text).toContain(`data-event="${id}"`);
      expect((await s.call("GET", "/events?programme=criminal")).text).not.toContain(`data-event="${id}"`);
      const junk = await s.call("GET", "/events?from=2026-02-30&delivery=teleport");
      expect(junk.status).toBe(400);
      expect(junk.headers.get("content-type")).toContain("text/html");
      const pageOf = await s.call("GET", `/events/${id}`, { headers: { "accept-language": "en" } });
      expect(pageOf.status).toBe(200);
      expect(pageOf.text).toContain(`href="/providers/${party.id}"`);
      const json = await s.call("GET", `/api/events/announced?provider=${party.id}`);
      expect(json.body.events.map((e: { id: string }) => e.id)).toEqual([id]);
      const feed = await s.fetch(`/providers/${party.id}/events.ics`);
      expect(feed.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
      const vevent = new ICAL.Component(ICAL.parse(await feed.text())).getFirstSubcomponent("vevent")!;
      expect(vevent.getFirstPropertyValue("summary")).toBe("Сот жарыссөзі; практикум");
      expect((vevent.getFirstPropertyValue("dtstart") as ICAL.Time).toJSDate().getTime()).toBe(start);
      expect(String(vevent.getFirstPropertyValue("description"))).toContain("Жарыссөз, дәлелдеу; «практика»");

      expect((await s.call("DELETE", `/api/events/${id}/announcement`, { token })).status).toBe(204);
      expect((await s.call("GET", `/events/${id}`)).status).toBe(404);
      expect((await s.call("GET", "/events")).text).not.toContain(`data-event="${id}"`);
      expect((await s.call("GET", `/api/events/announced?provider=${party.id}`)).body.count).toBe(0);
    });

    it("untrusted bodies: a JSON bomb is 400, a chunked body over the limit 413, and the runtime keeps serving", async () => {
      const json = { "content-type": "application/json" };
      const deep = await s.call("POST", "/api/verify", { raw: "[".repeat(100_000) + "]".repeat(100_000), headers: json });
      expect(deep.status).toBe(400);
      expect(deep.body.code).toBe("not_a_credential");
      const nested = await s.call("POST", "/api/verify", { raw: `{"credential":${'{"a":'.repeat(40_000)}0${"}".repeat(40_000)}}`, headers: json });
      expect(nested.body.code).toBe("not_a_credential");
      const chunked = await postOversizedChunkedBody((path, init) => s.fetch(path, init));
      expect(chunked.status).toBe(413);
      expect(((await chunked.json()) as { code: string }).code).toBe("payload_too_large");
      expect((await s.call("GET", "/healthz")).status).toBe(200);
    });

    it("issue 15: status lists by content negotiation; a Data Integrity credential's entry gives the Data Integrity form", async () => {
      const { token, did } = await vcApiProvider(s);
      const issued = await s.call("POST", "/credentials/issue", { token, body: { credential: vcApiCredential(did), options: { credentialStatus: [{ statusPurpose: "revocation" }] } } });
      expect(issued.status, issued.text).toBe(201);
      const entry = new URL(issued.body.verifiableCredential.credentialStatus.statusListCredential);
      expect(entry.search).toBe("?format=di");
      const di = await s.call("GET", entry.pathname + entry.search);
      expect(di.headers.get("content-type")).toBe("application/vc");
      expect(di.body.proof.cryptosuite).toBe("eddsa-rdfc-2022");
      for (const [accept, type] of [["application/ld+json, application/json", "application/ld+json"], ["application/json", "application/json"], ["application/vc", "application/vc"], ["application/vc+jwt", "application/vc+jwt"], ["*/*", "application/vc+jwt"]]) {
        const res = await s.call("GET", entry.pathname, { headers: { accept: accept! } });
        expect(res.headers.get("content-type"), accept).toBe(type);
        if (type !== "application/vc+jwt") expect(res.body.credentialSubject.encodedList).toBe(di.body.credentialSubject.encodedList);
      }
      expect((await s.call("POST", "/credentials/verify", { token, body: { verifiableCredential: issued.body.verifiableCredential } })).status).toBe(200);
    });

    it("issue 15: the VC API takes what other stacks send (examples context, a past validFrom, a foreign status entry) and refuses malformed input before ownership", async () => {
      const { token, did } = await vcApiProvider(s);
      const foreign = { id: "https://status.elsewhere.example/3#5", type: "BitstringStatusListEntry", statusPurpose: "revocation", statusListIndex: "5", statusListCredential: "https://status.elsewhere.example/3" };
      const credential = { ...vcApiCredential(did), "@context": [VC2, "https://www.w3.org/ns/credentials/examples/v2"], validFrom: "2010-01-01T19:23:24Z", credentialSubject: { id: "did:example:a", alumniOf: "Example University" } };
      const issued = await s.call("POST", "/credentials/issue", { token, body: { credential: { ...credential, credentialStatus: foreign } } });
      expect(issued.status, issued.text).toBe(201);
      expect(issued.body.verifiableCredential.credentialStatus).toEqual(foreign);
      const plain = await s.call("POST", "/credentials/issue", { token, body: { credential: { ...credential, id: `urn:uuid:${crypto.randomUUID()}` }, options: { securing: "jwt" } } });
      expect((await s.call("POST", "/credentials/verify", { token, body: { verifiableCredential: plain.body.verifiableCredential } })).status).toBe(200);
      const refused = async (body: unknown, status: number) => expect((await s.call("POST", "/credentials/issue", { token, body })).status).toBe(status);
      const { issuer: _, ...noIssuer } = credential;
      await refused({ credential: noIssuer }, 400);
      await refused({ credential: { ...credential, issuer: "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH", credentialSubject: {} } }, 400);
      await refused({ credential: { ...credential, issuer: "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH" } }, 403);
      await refused({ credential: { ...credential, credentialStatus: { ...foreign, statusListCredential: `${s.baseUrl}/status/abc` } } }, 422);
      const envelope = { ...plain.body.verifiableCredential, "@context": [] };
      expect((await s.call("POST", "/credentials/verify", { token, body: { verifiableCredential: envelope } })).status).toBe(400);
    });

    // The wallet part (/me's offer, the PIN, the wallet library) is in test/attestations.test.ts: signing in at /me
    // needs the code the e-mail carries, and these targets run without mail.
    it("12.1, 12.2: a closed year's attestation: issued, its page (kk/ru), vc+jwt and QR, /api/verify", async () => {
      // The year before the events' year, so it has ended and can be closed today; the provider is accredited from
      // its first day, and the training lies inside it. Its own bar, so no other scenario's members are in its report.
      const year = eventYear(s) - 1;
      const barId = "karaganda";
      const bar = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId, label: "presidium" } })).body.token as string;
      const provider = await accreditedProvider(s, { name: "Қарағанды орталығы", barId, validFrom: `${year}-01-01` });
      for (const [licence, fullName] of [["720001", "Ерлан Жұмабаев"], ["720002", "Мария Ким"]]) {
        const m = await s.call("POST", `/api/bars/${barId}/members`, { token: bar, body: { licence, fullName, admissionDate: "2015-03-01" } });
        expect(m.status, m.text).toBe(201);
      }
      expect((await s.call("PUT", `/api/bars/${barId}/policies/${year}`, { token: bar, body: { requiredAcademicHours: 8 } })).status).toBe(200);
      const ev = await s.call("POST", "/api/events", {
        token: provider.token,
        body: { topic: "Адвокат әдебі", programme: "topical", form: "course", deliveryMode: "in-person", place: "Қарағанды", startsAt: `${year}-11-20T04:00:00Z`, endsAt: `${year}-11-20T10:00:00Z`, durationMinutes: 360, trainers: [{ name: "Сейтқали Ә.", field: "Адвокаттық әдеп, 15 жыл практика" }] },
      });
      expect(ev.status, ev.text).toBe(201);
      const listed = await s.call("PUT", `/api/events/${ev.body.id}/participants`, { token: provider.token, body: { participants: [{ fullName: "Ерлан Жұмабаев", licenceNumber: "720001", barId, role: "attendee" }] } });
      expect(listed.status, listed.text).toBe(200);
      expect((await s.call("POST", `/api/events/${ev.body.id}/certificates`, { token: provider.token })).status).toBe(201);

      const years = `/api/bars/${barId}/years/${year}`;
      expect((await s.call("POST", `${years}/attestations`, { token: bar })).status).toBe(409); // not closed yet
      const today = new Date(s.clock.ms + 5 * 3_600_000).toISOString().slice(0, 10); // Kazakhstan's date
      const closed = await s.call("POST", `${years}/close`, { token: bar, body: { closedOn: today } });
      expect(closed.status, closed.text).toBe(201);
      const issuedNow = await s.call("POST", `${years}/attestations`, { token: bar });
      expect(issuedNow.status, issuedNow.text).toBe(201);
      expect(issuedNow.body.issued).toBe(1); // 720002 attended nothing: short, no attestation
      const a = issuedNow.body.attestations[0];
      expect(a).toMatchObject({ barId, licence: "720001", year, url: `${s.baseUrl}/a/${a.id}`, revokedAt: null });

      const kk = await s.call("GET", `/a/${a.id}?lang=kk`);
      expect(kk.status).toBe(200);
      expect(kk.headers.get("content-type")).toContain("text/html");
      expect(kk.text).toContain("Түпнұсқа: алқа осы жылды растайды");
      expect(kk.text).toContain("Ерлан Жұмабаев");
      expect((await s.call("GET", `/a/${a.id}`, { headers: { "accept-language": "ru" } })).text).toContain("Подлинно: коллегия подтверждает этот год");

      const jwt = await s.call("GET", `/a/${a.id}.jwt`);
      expect(jwt.headers.get("content-type")).toBe("application/vc+jwt");
      const header = decodeProtectedHeader(jwt.text);
      const barDid = `did:web:${new URL(s.baseUrl).host.replace(":", "%3A")}:bars:${barId}`;
      expect(header).toMatchObject({ alg: "EdDSA", typ: "vc+jwt" });
      expect(header.kid).toMatch(new RegExp(`^${barDid}#`));
      expect((await s.call("GET", `/bars/${barId}/did.json`)).body.assertionMethod).toContain(header.kid);
      const vc = JSON.parse(Buffer.from(jwt.text.split(".")[1]!, "base64url").toString());
      expect(vc).toMatchObject({ id: a.url, type: ["VerifiableCredential", "SenimAnnualAttestation"], issuer: { id: barDid }, credentialSubject: { year, requiredHours: 8, verifiedHours: 8, closedOn: today } });

      const qr = await s.call("GET", `/a/${a.id}/qr.svg`);
      expect(qr.headers.get("content-type")).toBe("image/svg+xml");
      expect(decodeQrSvg(qr.text)).toBe(a.url);

      for (const body of [{ jwt: jwt.text }, { url: a.url }]) {
        const verified = await s.call("POST", "/api/verify", { body });
        expect(verified.status, verified.text).toBe(200);
        expect(verified.body).toMatchObject({ verified: true, profile: "attestation", attestation: { year, verifiedHours: 8, bar: { id: barId } } });
        expect(verified.body.checks.filter((c: { outcome: string }) => c.outcome !== "passed")).toEqual([]);
      }
    });

    it("issue 17: GET /metrics behind its token — Prometheus text on Node, the isolate's JSON on Workers — counts issuing, verifications by outcome, wrong PINs, requests by route and the outbox", async () => {
      expect((await s.fetch("/metrics")).status).toBe(401);
      expect((await s.fetch("/metrics", { headers: { authorization: `Bearer ${"x".repeat(40)}` } })).status).toBe(401);
      const before = await readMetrics(s);
      const { provider, certificates } = await issued(s, 2);
      expect((await s.call("POST", "/api/verify", { body: { url: certificates[0]!.url } })).body.verified).toBe(true);
      expect((await s.call("POST", "/api/verify", { body: { jwt: "not.a.jwt" } })).status).toBe(400);
      const offer = (await s.call("POST", `/api/certificates/${certificates[1]!.id}/offers`, { token: provider.token })).body;
      expect((await redeemOffer(offer, offer.txCode === "000000" ? "000001" : "000000")).status).toBe(400);
      const after = await readMetrics(s);
      // Another scenario's requests may land in between on a shared runtime: at least these, never fewer.
      expect(after.issued - before.issued).toBeGreaterThanOrEqual(2);
      expect(after.verified - before.verified).toBeGreaterThanOrEqual(1);
      expect(after.notACredential - before.notACredential).toBeGreaterThanOrEqual(1);
      expect(after.failedPins - before.failedPins).toBeGreaterThanOrEqual(1);
      expect(after.verifyRequests - before.verifyRequests).toBeGreaterThanOrEqual(2);
      expect(after.outboxKnown).toBe(true);
      // A route is its pattern, never the path asked for: no certificate id becomes a label.
      expect(after.text).not.toContain(certificates[0]!.id);
    });

    // Last: it spends this address's allowance of the secrets class for the rest of the minute.
    it("issue 17: rate limits per address — the secrets class answers 429 with Retry-After once over it (OAuth shape at the token endpoint, a localised problem elsewhere); the public class is not affected", async () => {
      let limited: Response | undefined;
      let tries = 0;
      while (!limited && tries++ < 80) {
        const res = await s.fetch("/oid4vci/token", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=unknown" });
        if (res.status === 429) limited = res;
        else expect(res.status).toBe(400);
      }
      expect(limited, "no 429 after 80 token requests").toBeDefined();
      const retryAfter = Number(limited!.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(await limited!.json()).toMatchObject({ error: "invalid_request", error_description: expect.stringMatching(/Too many requests/) });
      // A web wallet on another origin reads the 429 and its Retry-After.
      expect(limited!.headers.get("access-control-allow-origin")).toBe("*");
      expect(limited!.headers.get("access-control-expose-headers")).toMatch(/Retry-After/i);
      const signIn = await s.fetch("/me/code", { method: "POST", headers: { "accept-language": "kk", "content-type": "application/x-www-form-urlencoded" }, body: "licence=1" });
      expect(signIn.status).toBe(429);
      expect(signIn.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(await signIn.json()).toMatchObject({ status: 429, code: "rate_limited", title: "Сұраулар тым көп", detail: expect.stringMatching(/^Сіздің мекенжайыңыздан сұрау тым көп; \d+ с кейін қайталап көріңіз\.$/) });
      expect((await s.call("POST", "/api/verify", { body: { jwt: "not.a.jwt" } })).status).toBe(400);
    });

    // Issue 16: the human number, on every store (the id-prefix range) and runtime. Only the public class is spent
    // (POST /verify), so it may run after the secrets-class scenario above.
    it("issue 16: the printed KZ- number typed into /verify opens the certificate (303); a mistyped one is 400 and an unknown one 404, in kk", async () => {
      const { certificates } = await issued(s, 1);
      const id = certificates[0]!.id;
      const page = await s.call("GET", `/c/${id}?lang=kk`);
      const number = /data-certificate-number[^>]*>(KZ-\d{2}-[0-9A-Z]{4}-[0-9A-Z]{4})</.exec(page.text)?.[1];
      expect(number, "the page prints the number").toBeDefined();
      const verify = (text: string) =>
        s.fetch("/verify", { method: "POST", redirect: "manual", headers: { "accept-language": "kk", "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ text }).toString() });
      for (const typed of [number!, ` ${number!.toLowerCase().replace(/-/g, " ")} `]) {
        const found = await verify(typed);
        expect(found.status, typed).toBe(303);
        expect(found.headers.get("location"), typed).toBe(`/c/${id}`);
        await found.text(); // read to the end: a cancelled body breaks workerd's pipe
      }
      const opened = await s.call("GET", `/c/${id}`, { headers: { "accept-language": "kk" } });
      expect(opened.text).toContain('data-verdict="genuine"');

      const yy = number!.slice(3, 5);
      const body = number!.slice(6).replace("-", "");
      // One character changed in the check: caught by the check character, before any lookup.
      const typo = `KZ-${yy}-${body.slice(0, 7)}${body[7] === "0" ? "1" : "0"}`;
      const mistyped = await verify(typo);
      expect(mistyped.status).toBe(400);
      const mistypedText = await mistyped.text();
      expect(mistypedText).toContain('<html lang="kk"');
      expect(mistypedText).toContain(fillTemplate(kk.certificateNumber.mistyped, { number: typo }));
      // Well formed, but no certificate of that year has it (the check character does not cover the year).
      const nextYear = `KZ-${Number(yy) + 1}-${body.slice(0, 4)}-${body.slice(4)}`;
      const unknown = await verify(nextYear);
      expect(unknown.status).toBe(404);
      expect(await unknown.text()).toContain(fillTemplate(kk.certificateNumber.none, { number: nextYear, year: String(2000 + Number(yy) + 1) }));
    });
  });
}

/** The metrics this scenario reads, from either exposition (Prometheus text, or the Worker's JSON). */
async function readMetrics(s: HttpTarget) {
  const res = await s.fetch("/metrics", { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  const text = await res.text();
  if ((res.headers.get("content-type") ?? "").startsWith("application/json")) {
    const m = JSON.parse(text);
    const verifyRequests = m.senim_http_requests_total.filter((r: { route: string; method: string }) => r.route === "/api/verify" && r.method === "POST").reduce((n: number, r: { count: number }) => n + r.count, 0);
    return { text, issued: m.senim_certificates_issued_total, verified: m.senim_verifications_total.verified, notACredential: m.senim_verifications_total["not-a-credential"], failedPins: m.senim_failed_pins_total, verifyRequests, outboxKnown: "queued" in m.senim_outbox_messages };
  }
  expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
  const value = (pattern: RegExp) => text.split("\n").filter((l) => pattern.test(l)).reduce((n, l) => n + Number(l.split(" ").pop()), 0);
  return {
    text,
    issued: value(/^senim_certificates_issued_total /),
    verified: value(/^senim_verifications_total\{outcome="verified"\} /),
    notACredential: value(/^senim_verifications_total\{outcome="not-a-credential"\} /),
    failedPins: value(/^senim_failed_pins_total /),
    verifyRequests: value(/^senim_http_requests_total\{route="\/api\/verify",method="POST",status="\d+"\} /),
    outboxKnown: /^senim_outbox_messages\{status="queued"\} /m.test(text) && /^senim_http_request_duration_seconds_bucket\{le="0.001",route="\/api\/verify",method="POST"\} /m.test(text),
  };
}

/**
 * The Node targets' SENIM_RATE_LIMITS (test/http-targets.test.ts): room for the suite's requests from one address,
 * and a secrets limit the last scenario runs into (the Worker's bindings: WORKER_TEST_RATE_LIMITS).
 */
export const SCENARIO_RATE_LIMITS = "public=5000/60,secrets=40/60";

/** The bearer token of GET /metrics every target is started with (test/http-targets.test.ts). */
export const METRICS_TOKEN = "metrics-token-of-the-http-scenarios-0123456789";

/** A did:key party, accredited, with a provider API key: what the VC API scenarios issue as. */
async function vcApiProvider(s: HttpTarget): Promise<{ token: string; did: string }> {
  const party = await s.call("POST", "/api/parties", { token: s.adminToken, body: { kind: "centre", name: "VC API орталығы", barId: "almaty-city", identifier: { method: "did:key" } } });
  expect(party.status, party.text).toBe(201);
  const accreditation = await s.call("POST", `/api/parties/${party.body.id}/accreditations`, {
    token: s.adminToken,
    body: { barId: "almaty-city", decisionNumber: "15-П", decisionDate: "2026-01-01", criteria: [{ criterion: "education-licence", evidence: "KZ-EDU-15" }], validFrom: "2026-01-01" },
  });
  expect(accreditation.status, accreditation.text).toBe(201);
  const key = await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "provider", partyId: party.body.id, label: "vc-api" } });
  return { token: key.body.token as string, did: party.body.did as string };
}

const vcApiCredential = (issuer: string) => ({ "@context": [VC2], type: ["VerifiableCredential"], id: `urn:uuid:${crypto.randomUUID()}`, issuer, credentialSubject: { id: "did:example:advocate", name: "Әлия Сейтқалиқызы" } });

async function fetchBytes(s: HttpTarget, path: string): Promise<{ type: string | null; bytes: Uint8Array }> {
  const res = await s.fetch(path);
  expect(res.status).toBe(200);
  return { type: res.headers.get("content-type"), bytes: new Uint8Array(await res.arrayBuffer()) };
}

/**
 * The wallet's OpenID4VP answer through @openid4vc/openid4vp: resolve the bar's signed request (its did:web read over
 * this target's http, which a real wallet would fetch over https), sign a VP JWT, direct_post it.
 */
async function present(s: HttpTarget, link: string, holder: Holder, vcs: string[]): Promise<Response> {
  const callbacks = walletVpCallbacks(async (path) => (await s.call("GET", path)).body);
  // The targets serve http on loopback; the holder library refuses http URLs unless told (in this test process only:
  // the servers run elsewhere and keep their own setting).
  if (s.baseUrl.startsWith("http://127.0.0.1:")) setGlobalConfig({ allowInsecureUrls: true });
  const client = new Openid4vpClient({ callbacks });
  const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: link });
  const resolved = await client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params });
  const request = resolved.authorizationRequestPayload as { nonce: string; client_id: string; response_uri: string };
  const now = Math.floor(Date.now() / 1000);
  const vp = await holder.sign(
    { typ: "JWT", kid: holder.kid },
    { iss: holder.did, aud: request.client_id, nonce: request.nonce, iat: now, exp: now + 300, vp: { "@context": ["https://www.w3.org/2018/credentials/v1"], type: ["VerifiablePresentation"], holder: holder.did, verifiableCredential: vcs } },
  );
  const response = await client.createOpenid4vpAuthorizationResponse({ authorizationRequestPayload: resolved.authorizationRequestPayload, authorizationResponsePayload: { vp_token: { cle_certificates: [vp] } } });
  const submitted = await client.submitOpenid4vpAuthorizationResponse({ authorizationRequestPayload: request, authorizationResponsePayload: response.authorizationResponsePayload });
  return submitted.response;
}
