/**
 * Issue 14, the bar's signed annual attestation (12.1, 12.2), in process on SQLite, PostgreSQL and D1 (workerd): once a
 * year is closed the bar issues one attestation to each member `met` in the frozen report, signed with its own
 * did:web key (the OpenID4VP verifier's, published in its DID document), idempotently — concurrent issuings keep one
 * per member. /api/verify holds it to its own checks; it fails when its hours are altered, when a provider's or
 * another bar's key signed it, when a bar's key signed one it never issued, when the year was reopened since, and
 * when the bar revoked it. Its page and PDF (kk/ru/en), vc+jwt and QR code are public.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { ATTESTATION_CHECKS } from "../src/credentials/checks.js";
import { LICENCE_IDENTITY_TYPE, licenceIdentityHash } from "../src/credentials/certificate.js";
import { decodeCompactJws, signVcJwt } from "../src/credentials/jwt.js";
import { toInstant } from "../src/domain/time.js";
import { base64url } from "../src/lib/ids.js";
import { certificateMessageComposer } from "../src/http/certificate-mail.js";
import { loadNodeFonts } from "../src/runtime/fonts.js";
import { smtpTransport } from "../src/runtime/mail-smtp.js";
import { DATABASE_KINDS } from "./databases.js";
import { startLoopbackSmtp, type LoopbackSmtp } from "./delivery-helpers.js";
import { accreditedProvider, PUBLIC_URL, startSenim, type TestSenim } from "./helpers.js";

const BAR = "almaty-city";
const MET = "600001"; // 16 of 16 hours
const MET2 = "600002"; // 16 of 16
const SHORT = "600003"; // 8 of 16
const path = `/api/bars/${BAR}/years/2026`;
const NAMES: Record<string, string> = { [MET]: "Ерлан Жұмабаев", [MET2]: "Әсел Қасымова", [SHORT]: "Мария Ким" };

async function recordAndIssue(s: TestSenim, token: string, endsAt: string, licences: string[]) {
  const end = Date.parse(endsAt);
  const ev = await s.call("POST", "/api/events", {
    token,
    body: {
      topic: "Адвокат әдебі", programme: "topical", form: "course", deliveryMode: "in-person", place: "Алматы",
      startsAt: toInstant(end - 8 * 3_600_000), endsAt: toInstant(end), durationMinutes: 360,
      trainers: [{ name: "Сейтқали Ә.", field: "адвокаттық қызмет" }],
    },
  });
  if (ev.status !== 201) throw new Error(`event: ${ev.status} ${ev.text}`);
  const list = licences.map((licenceNumber) => ({ fullName: NAMES[licenceNumber]!, licenceNumber, barId: BAR, role: "attendee" }));
  expect((await s.call("PUT", `/api/events/${ev.body.id}/participants`, { token, body: { participants: list } })).status).toBe(200);
  expect((await s.call("POST", `/api/events/${ev.body.id}/certificates`, { token })).status).toBe(201);
}

const failed = (r: any) => r.body.checks.filter((c: any) => c.outcome !== "passed").map((c: any) => `${c.check}:${c.code}`);
const encode = (o: unknown) => base64url(new TextEncoder().encode(JSON.stringify(o)));

describe.each(DATABASE_KINDS)("the bar's signed annual attestation (12.1, 12.2) on %s", (kind) => {
  let s: TestSenim;
  let bar: string;
  let otherBar: string;
  let provider: Awaited<ReturnType<typeof accreditedProvider>>;
  let jwt: string;
  let id: string;
  let firstId: string;
  let standing: string; // MET2's attestation of the second closing
  let smtp: LoopbackSmtp;

  beforeAll(async () => {
    s = await startSenim({ database: kind, now: "2026-06-01T09:00:00Z" });
    smtp = await startLoopbackSmtp();
    bar = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: BAR, label: "office" } })).body.token;
    otherBar = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "astana-city", label: "office" } })).body.token;
    provider = await accreditedProvider(s, { name: "Заң академиясы" });
    for (const l of [MET, MET2, SHORT]) {
      expect((await s.call("POST", `/api/bars/${BAR}/members`, { token: bar, body: { licence: l, fullName: NAMES[l]!, admissionDate: "2015-03-01", email: `a${l}@example.kz` } })).status).toBe(201);
    }
    expect((await s.call("PUT", `/api/bars/${BAR}/policies/2026`, { token: bar, body: { requiredAcademicHours: 16 } })).status).toBe(200);
    await recordAndIssue(s, provider.token, "2026-05-20T12:00:00Z", [MET, MET2, SHORT]);
    await recordAndIssue(s, provider.token, "2026-05-25T12:00:00Z", [MET, MET2]);
    s.clock.set("2027-01-10T09:00:00Z");
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await smtp?.close();
  });

  it("12.2: attestations are issued only for a closed year (409 before); another bar's admin and providers are refused (403)", async () => {
    const early = await s.call("POST", `${path}/attestations`, { token: bar });
    expect(early.status).toBe(409);
    for (const token of [otherBar, provider.token]) expect((await s.call("POST", `${path}/attestations`, { token })).status).toBe(403);
    expect((await s.call("POST", `${path}/attestations`)).status).toBe(401);
    expect((await s.call("POST", `/api/bars/rba/years/2026/attestations`, { token: s.adminToken })).status).toBe(404);
    expect((await s.call("POST", `${path}/close`, { token: bar, body: { closedOn: "2027-01-09" } })).status).toBe(201);
  });

  it("12.1, 12.2: one attestation per member met, signed with the bar's did:web key; concurrent and repeated issuing adds none", async () => {
    const answers = await Promise.all(Array.from({ length: kind === "postgres" ? 20 : 5 }, () => s.call("POST", `${path}/attestations`, { token: bar })));
    for (const a of answers) expect([200, 201], a.text).toContain(a.status);
    expect(answers.reduce((n, a) => n + a.body.issued, 0)).toBe(2); // only those met: not SHORT
    const ids = answers[0]!.body.attestations.map((a: any) => a.id);
    for (const a of answers) expect(a.body.attestations.map((x: any) => x.id)).toEqual(ids);
    const rows = await sql<{ n: number }>`select count(*) as n from attestations`.execute(s.db as any);
    expect(Number(rows.rows[0]!.n)).toBe(2);
    expect(answers[0]!.body.attestations.map((a: any) => a.licence)).toEqual([MET, MET2]);
    const again = await s.call("POST", `${path}/attestations`, { token: s.adminToken }); // the RBA's admin may too
    expect(again.status).toBe(200);
    expect(again.body.issued).toBe(0);

    const mine = answers[0]!.body.attestations[0];
    id = mine.id;
    firstId = id;
    expect(mine).toMatchObject({ barId: BAR, licence: MET, year: 2026, url: `${PUBLIC_URL}/a/${id}`, revokedAt: null });
    const file = await s.fetch(`/a/${id}.jwt`);
    expect(file.headers.get("content-type")).toBe("application/vc+jwt");
    jwt = await file.text();
    const decoded = decodeCompactJws(jwt)!;
    const barDid = `did:web:senim.test:bars:${BAR}`;
    expect(decoded.header).toMatchObject({ alg: "EdDSA", typ: "vc+jwt", kid: expect.stringMatching(new RegExp(`^${barDid}#`)) });
    // One bar key: the attestation's key is the one the bar's verifier DID document publishes.
    const doc = (await s.call("GET", `/bars/${BAR}/did.json`)).body;
    expect(doc.assertionMethod).toContain(decoded.header.kid);
    const vc = decoded.payload as any;
    expect(vc).toMatchObject({
      "@context": ["https://www.w3.org/ns/credentials/v2", "https://w3id.org/senim/attestation/v1"],
      id: `${PUBLIC_URL}/a/${id}`,
      type: ["VerifiableCredential", "SenimAnnualAttestation"],
      issuer: { id: barDid },
      credentialSubject: { year: 2026, requiredHours: 16, verifiedHours: 16, memberOfBar: `${PUBLIC_URL}/registry/${BAR}`, closedOn: "2027-01-09" },
    });
    const licence = vc.credentialSubject.identifier.find((i: any) => i.identityType === LICENCE_IDENTITY_TYPE);
    expect(licence.identityHash).toBe(await licenceIdentityHash(MET, licence.salt));
    expect(JSON.stringify(vc)).not.toContain(MET); // the licence is never in clear
    expect((await s.call("GET", `/contexts/attestation/v1`)).body["@context"].year).toBeTruthy();
  });

  it("12.1: /api/verify passes every attestation check, by vc+jwt and by URL; the page (kk/ru/en) and QR code are public", async () => {
    for (const body of [{ jwt }, { url: `${PUBLIC_URL}/a/${id}` }]) {
      const r = await s.call("POST", "/api/verify", { body });
      expect(r.status, r.text).toBe(200);
      expect(failed(r)).toEqual([]);
      expect(r.body).toMatchObject({ verified: true, profile: "attestation", attestation: { year: 2026, requiredHours: 16, verifiedHours: 16, bar: { id: BAR } } });
      expect(r.body.checks.map((c: any) => c.check)).toEqual([...ATTESTATION_CHECKS]);
    }
    const en = await s.call("GET", `/a/${id}?lang=en`);
    expect(en.status).toBe(200);
    expect(en.text).toContain("Genuine: the bar attests this year");
    expect(en.text).toContain("16.0");
    expect((await s.call("GET", `/a/${id}?lang=kk`)).text).toContain("Түпнұсқа: алқа осы жылды растайды");
    expect((await s.call("GET", `/a/${id}?lang=ru`)).text).toContain("Подлинно: коллегия подтверждает этот год");
    for (const lang of ["kk", "ru", "en"]) {
      const pdf = await s.fetch(`/a/${id}.pdf?lang=${lang}`);
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get("content-type")).toBe("application/pdf");
      expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe("%PDF-");
    }
    const qr = await s.fetch(`/a/${id}/qr.svg`);
    expect(qr.headers.get("content-type")).toBe("image/svg+xml");
    expect((await s.call("GET", `/a/aaaaaaaaaaaaaaaaaaaa?lang=en`)).status).toBe(404);
    expect((await s.fetch(`/a/aaaaaaaaaaaaaaaaaaaa.jwt`)).status).toBe(404);
  });

  it("12.1: a tampered hours claim fails its signature", async () => {
    const [h, , sig] = jwt.split(".");
    const vc = decodeCompactJws(jwt)!.payload as any;
    const forged = `${h}.${encode({ ...vc, credentialSubject: { ...vc.credentialSubject, verifiedHours: 40 } })}.${sig}`;
    const r = await s.call("POST", "/api/verify", { body: { jwt: forged } });
    expect(r.body.verified).toBe(false);
    expect(failed(r)).toContain("signature:signature-invalid");
  });

  it("12.1: signed by a provider's key, by another bar's key, or by the bar's own key but never issued → fails", async () => {
    const vc = decodeCompactJws(jwt)!.payload as any;
    // A provider signs the same statement as issuer: it is no bar, and no such attestation was issued.
    const providerSigner = await s.services.registry.signerFor(provider.party.id, s.clock.now());
    const byProvider = await signVcJwt({ ...vc, issuer: { id: provider.party.did, name: "Заң академиясы" } }, providerSigner);
    let r = await s.call("POST", "/api/verify", { body: { jwt: byProvider } });
    expect(r.body.verified).toBe(false);
    expect(failed(r)).toEqual(expect.arrayContaining(["bar:not-signed-by-bar", "record:attestation-id-mismatch"]));

    // Another bar's key under the attesting bar's name: the key is not the issuer's.
    const astana = s.services.wallet.presentations;
    const otherSigner = await astana.barSigner("astana-city");
    r = await s.call("POST", "/api/verify", { body: { jwt: await signVcJwt(vc, otherSigner) } });
    expect(r.body.verified).toBe(false);
    expect(failed(r)).toContain("signature:key-not-issuers");
    // …and as itself, attesting a member of another bar.
    r = await s.call("POST", "/api/verify", { body: { jwt: await signVcJwt({ ...vc, issuer: { id: "did:web:senim.test:bars:astana-city", name: "Astana" } }, otherSigner) } });
    expect(failed(r)).toEqual(expect.arrayContaining(["bar:not-signed-by-bar", "record:attestation-id-mismatch"]));

    // The bar's own key, with more hours than the closed year counted: not the attestation issued under this id.
    const ownSigner = await astana.barSigner(BAR);
    r = await s.call("POST", "/api/verify", { body: { jwt: await signVcJwt({ ...vc, credentialSubject: { ...vc.credentialSubject, verifiedHours: 40 } }, ownSigner) } });
    expect(r.body.verified).toBe(false);
    expect(failed(r)).toEqual(["record:attestation-id-mismatch", "year-closed:not-checked", "status:not-checked"]);
  });

  it("12.2: once the year is reopened the attestation fails (year-not-closed); closed again, the bar issues anew", async () => {
    expect((await s.call("POST", `${path}/reopen`, { token: bar, body: { reason: "A late certificate" } })).status).toBe(200);
    let r = await s.call("POST", "/api/verify", { body: { jwt } });
    expect(r.body.verified).toBe(false);
    expect(failed(r)).toEqual(["year-closed:year-not-closed"]);
    expect((await s.call("POST", `${path}/attestations`, { token: bar })).status).toBe(409);
    expect((await s.call("GET", `/a/${id}?lang=en`)).text).toContain("Not confirmed");

    s.clock.set("2027-01-12T09:00:00Z");
    expect((await s.call("POST", `${path}/close`, { token: bar, body: { closedOn: "2027-01-12" } })).status).toBe(201);
    r = await s.call("POST", "/api/verify", { body: { jwt } });
    expect(failed(r)).toEqual(["year-closed:year-not-closed"]); // it states a closing that no longer stands
    const anew = await s.call("POST", `${path}/attestations`, { token: bar });
    expect(anew.status).toBe(201);
    expect(anew.body.issued).toBe(2);
    id = anew.body.attestations[0].id;
    standing = anew.body.attestations[1].id;
    jwt = await (await s.fetch(`/a/${id}.jwt`)).text();
    expect((await s.call("POST", "/api/verify", { body: { jwt } })).body.verified).toBe(true);
  });

  it("12.1: a revoked attestation fails (status revoked); only the bar revokes, with a reason, once", async () => {
    expect((await s.call("POST", `/api/attestations/${id}/revoke`, { token: otherBar, body: { reason: "x" } })).status).toBe(403);
    expect((await s.call("POST", `/api/attestations/${id}/revoke`, { token: bar, body: {} })).status).toBe(400);
    const ok = await s.call("POST", `/api/attestations/${id}/revoke`, { token: bar, body: { reason: "Issued in error" } });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.revokedAt).toBe(s.clock.now());
    expect((await s.call("POST", `/api/attestations/${id}/revoke`, { token: bar, body: { reason: "again" } })).status).toBe(409);
    const r = await s.call("POST", "/api/verify", { body: { url: `${PUBLIC_URL}/a/${id}` } });
    expect(r.body.verified).toBe(false);
    expect(failed(r)).toEqual(["status:revoked"]);
    expect((await s.call("GET", `/a/${id}?lang=en`)).text).toContain("Issued in error");
  });

  it("12.1: after the bar rotates its key (one key: its verifier's), what the old key signed still verifies; a signature dated outside the key's window does not", async () => {
    const token = await (await s.fetch(`/a/${standing}.jwt`)).text();
    const oldKid = decodeCompactJws(token)!.header.kid;
    s.clock.advance(3_600_000);
    const rotated = await s.call("POST", `/api/bars/${BAR}/verifier-key/rotation`, { token: bar, body: { reason: "compromised" } });
    expect(rotated.status, rotated.text).toBe(201);
    expect(rotated.body.kid).not.toBe(oldKid);
    expect((await s.call("GET", `/bars/${BAR}/did.json`)).body.assertionMethod).toEqual([rotated.body.kid]);
    const r = await s.call("POST", "/api/verify", { body: { url: `${PUBLIC_URL}/a/${standing}` } });
    expect(failed(r)).toEqual([]);
    // The same content signed with the new key but saying (`iat`) it was signed before that key existed.
    const vc = decodeCompactJws(token)!.payload as any;
    const lateDated = await signVcJwt({ ...vc, iat: Math.floor(Date.parse("2020-01-01T00:00:00Z") / 1000) }, await s.services.wallet.presentations.barSigner(BAR));
    const late = await s.call("POST", "/api/verify", { body: { jwt: lateDated } });
    expect(failed(late)).toContain("key:key-not-valid-at-issuance");
  });

  it("12.1, 12.2: the advocate's record at /me lists their attestations, each linked to its page and PDF", async () => {
    const form = (path: string, fields: Record<string, string>, cookie?: string) =>
      s.app.request(`${s.baseUrl}${path}`, { method: "POST", body: new URLSearchParams(fields), headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) } });
    const asked = await form("/me/code?lang=en", { bar: BAR, licence: MET });
    const challenge = /name="challenge" value="([^"]+)"/.exec(await asked.text())![1]!;
    const start = smtp.received.length;
    await s.services.delivery!.drain(smtpTransport(smtp.url, "Senim <no-reply@senim.test>"), certificateMessageComposer(s.services, loadNodeFonts));
    const mail = smtp.received.slice(start).find((m) => (m.to && "text" in m.to ? m.to.text : "").includes(`a${MET}@example.kz`))!;
    const code = /\b(\d{6})\b/.exec(mail.subject!)![1]!;
    const opened = await form("/me/sign-in", { challenge, code });
    expect(opened.status).toBe(303);
    const cookie = opened.headers.getSetCookie().find((h) => h.startsWith("senim_me="))!.split(";")[0]!;
    const page = await (await s.app.request(`${s.baseUrl}/me?lang=en&year=2026`, { headers: { cookie } })).text();
    expect(page).toContain("Annual attestations");
    expect(page).toContain(`href="/a/${firstId}?lang=en"`);
    expect(page).toContain(`href="/a/${firstId}.pdf?lang=en"`);
    expect(page).toContain(`data-attestation="${id}"`); // the revoked one, marked
    expect(page).toContain("2026: 16 of 16 academic hours");
    expect(page).toContain("(revoked)");
  });
});
