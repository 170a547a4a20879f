/**
 * Issue 14, the bar's signed annual attestation (12.1, 12.2), in process on SQLite, PostgreSQL and D1 (workerd): once a
 * year is closed the bar issues one attestation to each member `met` in the frozen report, signed with its own
 * did:web key (the OpenID4VP verifier's, published in its DID document), idempotently — concurrent issuings keep one
 * per member. /api/verify holds it to its own checks; it fails when its hours are altered, when a provider's or
 * another bar's key signed it, when a bar's key signed one it never issued, when the year was reopened since, and
 * when the bar revoked it. Its page and PDF (kk/ru/en), vc+jwt and QR code are public. The bar's console issues them
 * with a button on the closed year's compliance page and lists them; the advocate adds one that stands to a wallet
 * from /me (OpenID4VCI, the PIN, a wallet library nobody here wrote), and the wallet's copy verifies (12.1, 12.2).
 * Migration 0019 keeps every earlier offer as a certificate's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Migrator, sql, type Kysely } from "kysely";
import { migrations } from "../migrations/index.js";
import { ATTESTATION_CHECKS } from "../src/credentials/checks.js";
import { LICENCE_IDENTITY_TYPE, licenceIdentityHash } from "../src/credentials/certificate.js";
import { decodeCompactJws, signVcJwt } from "../src/credentials/jwt.js";
import { toInstant } from "../src/domain/time.js";
import { base64url } from "../src/lib/ids.js";
import { certificateMessageComposer } from "../src/http/certificate-mail.js";
import { loadNodeFonts } from "../src/runtime/fonts.js";
import { smtpTransport } from "../src/runtime/mail-smtp.js";
import type { WalletDatabase } from "../src/storage/wallet-store.js";
import { ATTESTATION_CONFIGURATION } from "../src/wallet/oid4vci.js";
import { DATABASE_KINDS, withForeignKeysOff } from "./databases.js";
import { startLoopbackSmtp, type LoopbackSmtp } from "./delivery-helpers.js";
import { accreditedProvider, PUBLIC_URL, startSenim, type TestSenim } from "./helpers.js";
import { decodeInlineQr } from "./qr-decode.js";
import { credentialInJwt, newHolder, redeemOffer, requestCredential, startHttpSenim, walletTakesOffer, type HttpSenim } from "./wallet-helpers.js";
import { signVcJwt11 } from "../src/credentials/vc-jwt-11.js";

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
  const issued = await s.call("POST", `/api/events/${ev.body.id}/certificates`, { token });
  expect(issued.status).toBe(201);
  return issued.body.certificates as { id: string; licenceNumber: string }[];
}

/** A form posted to /me as a browser does, with the session cookie when given. */
const meForm = (s: TestSenim, path: string, fields: Record<string, string>, cookie?: string) =>
  s.app.request(`${s.baseUrl}${path}`, { method: "POST", body: new URLSearchParams(fields), headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) } });
const meGet = async (s: TestSenim, path: string, cookie: string) => (await s.app.request(`${s.baseUrl}${path}`, { headers: { cookie } })).text();

/** Signs in at /me with the code the loopback SMTP server received for `licence`: the session cookie and the record's CSRF token. */
async function signInAtMe(s: TestSenim, smtp: LoopbackSmtp, licence: string): Promise<{ cookie: string; csrf: string }> {
  const asked = await meForm(s, "/me/code?lang=en", { bar: BAR, licence });
  const challenge = /name="challenge" value="([^"]+)"/.exec(await asked.text())![1]!;
  const start = smtp.received.length;
  // Closed after use: a pooled connection left open holds the SMTP server's close until the socket times out (30 s).
  const transport = smtpTransport(smtp.url, "Senim <no-reply@senim.test>");
  try {
    await s.services.delivery!.drain(transport, certificateMessageComposer(s.services, loadNodeFonts));
  } finally {
    transport.close();
  }
  const mail = smtp.received.slice(start).find((m) => (m.to && "text" in m.to ? m.to.text : "").includes(`a${licence}@example.kz`) && /\b\d{6}\b/.test(m.subject ?? ""))!;
  const code = /\b(\d{6})\b/.exec(mail.subject!)![1]!;
  const opened = await meForm(s, "/me/sign-in", { challenge, code });
  expect(opened.status).toBe(303);
  const cookie = opened.headers.getSetCookie().find((h) => h.startsWith("senim_me="))!.split(";")[0]!;
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(await meGet(s, "/me?lang=en", cookie))![1]! };
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
    const { cookie } = await signInAtMe(s, smtp, MET);
    const page = await meGet(s, "/me?lang=en&year=2026", cookie);
    expect(page).toContain("Annual attestations");
    expect(page).toContain(`href="/a/${firstId}?lang=en"`);
    expect(page).toContain(`href="/a/${firstId}.pdf?lang=en"`);
    expect(page).toContain(`data-attestation="${id}"`); // the revoked one, marked
    expect(page).toContain("2026: 16 of 16 academic hours");
    expect(page).toContain("(revoked)");
  });
});

/** A browser without JavaScript in the consoles: the session cookie, and the CSRF token of the last page. */
function consoleBrowser(s: TestSenim) {
  let cookie = "";
  let csrf = "";
  const request = async (method: string, path: string, form?: Record<string, string>) => {
    const res = await s.app.request(`${s.baseUrl}${path}`, { method, body: form ? new URLSearchParams(form) : undefined, headers: { cookie, ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}) } });
    const set = res.headers.get("set-cookie");
    if (set?.startsWith("senim_session=")) cookie = set.split(";")[0]!;
    const text = await res.text();
    csrf = /name="_csrf" value="([0-9a-f]{64})"/.exec(text)?.[1] ?? csrf;
    return { status: res.status, location: res.headers.get("location"), text };
  };
  return {
    signIn: async (apiKey: string) => expect((await request("POST", "/console/sign-in", { apiKey })).status).toBe(303),
    get: (path: string) => request("GET", path),
    post: (path: string, form: Record<string, string>) => request("POST", path, { _csrf: csrf, ...form }),
  };
}

/**
 * The wallet library signs its proofs by the real clock (`iat`, `exp` a few minutes on), so this world's clock stays
 * behind it: the year closed is 2025, closed on 31 January 2026.
 */
describe.each(DATABASE_KINDS)("12.1, 12.2: the annual attestation from the bar's console into the advocate's wallet (OpenID4VCI) on %s", (kind) => {
  const path = `/api/bars/${BAR}/years/2025`;
  let s: HttpSenim;
  let smtp: LoopbackSmtp;
  let bar: string;
  let provider: Awaited<ReturnType<typeof accreditedProvider>>;
  let certificate: string; // one of MET's certificates
  const ids = { met: "", met2: "" };
  let me: { cookie: string; csrf: string };

  const walletDb = () => s.db as unknown as Kysely<WalletDatabase>;
  const offers = async () => Number((await walletDb().selectFrom("credential_offers").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  const offerPage = async (id: string, session: { cookie: string; csrf: string }) => meForm(s, `/me/attestations/${id}/wallet?lang=en`, { _csrf: session.csrf }, session.cookie);
  /** The offer's link and PIN as the offer page shows them. */
  const offerOn = (html: string) => ({
    offer: /data-offer-link[^>]*href="([^"]+)"|href="([^"]+)"[^>]*data-offer-link/.exec(html)!.slice(1).find(Boolean)!.replaceAll("&amp;", "&"),
    txCode: /data-pin="?[^>]*>(\d{6})</.exec(html)![1]!,
  });

  beforeAll(async () => {
    s = await startHttpSenim({ database: kind, now: "2025-06-01T09:00:00Z" });
    smtp = await startLoopbackSmtp();
    bar = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: BAR, label: "office" } })).body.token;
    provider = await accreditedProvider(s, { name: "Заң академиясы", validFrom: "2025-01-01" });
    for (const l of [MET, MET2, SHORT]) {
      expect((await s.call("POST", `/api/bars/${BAR}/members`, { token: bar, body: { licence: l, fullName: NAMES[l]!, admissionDate: "2015-03-01", email: `a${l}@example.kz` } })).status).toBe(201);
    }
    expect((await s.call("PUT", `/api/bars/${BAR}/policies/2025`, { token: bar, body: { requiredAcademicHours: 16 } })).status).toBe(200);
    certificate = (await recordAndIssue(s, provider.token, "2025-05-20T12:00:00Z", [MET, MET2, SHORT])).find((c) => c.licenceNumber === MET)!.id;
    await recordAndIssue(s, provider.token, "2025-05-25T12:00:00Z", [MET, MET2]);
    s.clock.set("2026-01-31T09:00:00Z");
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await smtp?.close();
  });

  it("12.1, 12.2: on a closed year's compliance page the console's button (kk/ru/en) issues the attestations through the API's service and lists them, each linked to its page; a provider is refused", async () => {
    const console_ = consoleBrowser(s);
    await console_.signIn(bar);
    // Not closed: no button.
    expect((await console_.get("/console/compliance?year=2025&lang=en")).text).not.toContain('data-form="attestations"');
    expect((await s.call("POST", `${path}/close`, { token: bar, body: { closedOn: "2026-01-30" } })).status).toBe(201);
    let page = await console_.get("/console/compliance?year=2025&lang=en");
    expect(page.text).toContain('data-form="attestations"');
    expect(page.text).toContain("Issue attestations");
    expect(page.text).toContain("No attestation has been issued for this closing yet.");
    expect((await console_.get("/console/compliance?year=2025&lang=kk")).text).toContain("Растамаларды беру");
    expect((await console_.get("/console/compliance?year=2025&lang=ru")).text).toContain("Выдать подтверждения");

    const issued = await console_.post("/console/compliance/attestations?lang=en", { year: "2025" });
    expect(issued.status, issued.text).toBe(303);
    expect(issued.location).toBe("/console/compliance?year=2025&done=1");
    // The same service as the API: issuing again there adds none, and names the same two.
    const api = await s.call("POST", `${path}/attestations`, { token: bar });
    expect(api.status).toBe(200);
    expect(api.body.issued).toBe(0);
    expect(api.body.attestations.map((a: any) => a.licence)).toEqual([MET, MET2]);
    [ids.met, ids.met2] = api.body.attestations.map((a: any) => a.id);
    page = await console_.get("/console/compliance?year=2025&lang=en");
    for (const id of [ids.met, ids.met2]) {
      expect(page.text).toContain(`data-attestation="${id}"`);
      expect(page.text).toContain(`href="/a/${id}?lang=en"`);
    }
    expect(page.text).toContain(NAMES[MET]!);
    expect(page.text).not.toContain("No attestation has been issued for this closing yet.");
    // The RBA's admin, who may issue them by the API too, gets the button on the bar's page (?bar=), posting to that bar.
    const rba = consoleBrowser(s);
    await rba.signIn(s.adminToken);
    const rbaPage = await rba.get(`/console/compliance?year=2025&bar=${BAR}&lang=en`);
    expect(rbaPage.text).toContain(`action="/console/compliance/attestations?bar=${BAR}"`);
    expect(rbaPage.text).toContain(`data-attestation="${ids.met}"`);

    // A provider's session: the console refuses the post (as the API does), nothing is issued.
    const byProvider = consoleBrowser(s);
    await byProvider.signIn(provider.token);
    await byProvider.get("/console?lang=en");
    expect((await byProvider.post("/console/compliance/attestations?lang=en", { year: "2025" })).status).toBe(403);
    const rows = await sql<{ n: number }>`select count(*) as n from attestations`.execute(s.db as any);
    expect(Number(rows.rows[0]!.n)).toBe(2);
  });

  it("12.1, 12.2: the advocate adds their attestation to a wallet from /me with the PIN (the real client library); the copy names the holder DID, is signed again by the same bar key, and verifies at /api/verify", async () => {
    me = await signInAtMe(s, smtp, MET);
    const record = await meGet(s, "/me?lang=en&year=2025", me.cookie);
    expect(record).toContain(`action="/me/attestations/${ids.met}/wallet?lang=en"`);
    expect(record).not.toContain(`/me/attestations/${ids.met2}/wallet`); // not theirs

    const meta = (await s.call("GET", "/.well-known/openid-credential-issuer")).body.credential_configurations_supported[ATTESTATION_CONFIGURATION];
    expect(meta).toMatchObject({ format: "jwt_vc_json", credential_definition: { type: ["VerifiableCredential", "SenimAnnualAttestation"] } });
    expect(meta.credential_metadata.display.map((d: any) => d.locale).sort()).toEqual(["en", "kk", "ru"]);

    const before = await offers();
    const r = await offerPage(ids.met, me);
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toBe("no-store");
    const html = await r.text();
    expect(html).toContain("Add the annual attestation to your wallet");
    const offer = offerOn(html);
    expect(offer.offer).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
    expect(decodeInlineQr(html)).toBe(offer.offer);
    expect(await offers()).toBe(before + 1);
    const row = await walletDb().selectFrom("credential_offers").selectAll().where("attestation_id", "=", ids.met).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ certificate_id: null, created_by: `advocate:${BAR}:${MET}` });
    expect(JSON.stringify(row)).not.toContain(offer.txCode); // the PIN is kept only as a MAC
    // The offer lists the attestation's configuration only.
    const object = await (await fetch(decodeURIComponent(new URL(offer.offer).searchParams.get("credential_offer_uri")!))).json();
    expect(object.credential_configuration_ids).toEqual([ATTESTATION_CONFIGURATION]);

    const holder = await newHolder("did:key");
    const response = await walletTakesOffer(offer, holder, "jwt_vc_json", ATTESTATION_CONFIGURATION);
    const jwt = (response.credentials?.[0] as { credential: string }).credential;
    const stored = decodeCompactJws(await (await s.fetch(`/a/${ids.met}.jwt`)).text())!;
    const copy = decodeCompactJws(jwt)!;
    expect(copy.header).toMatchObject({ alg: "EdDSA", typ: "JWT", kid: stored.header.kid }); // the same bar key, as a VC-JWT 1.1
    const storedVc = stored.payload as any;
    expect(credentialInJwt(jwt)).toEqual({ ...storedVc, credentialSubject: { id: holder.did, ...storedVc.credentialSubject } });
    const verified = await s.call("POST", "/api/verify", { body: { jwt } });
    expect(verified.status, verified.text).toBe(200);
    expect(failed(verified)).toEqual([]);
    expect(verified.body).toMatchObject({ verified: true, profile: "attestation", attestation: { id: `${s.url}/a/${ids.met}`, year: 2025, verifiedHours: 16 } });
    expect(verified.body.checks.map((c: any) => c.check)).toEqual([...ATTESTATION_CHECKS]);

    // The holder binding is the only difference the record check forgives: the bar's own key signing the holder's
    // copy with other hours is still not the attestation the bar issued.
    const held = credentialInJwt(jwt);
    const more = await signVcJwt11({ ...held, credentialSubject: { ...held.credentialSubject, verifiedHours: 40 } }, await s.services.wallet.presentations.barSigner(BAR), s.clock.now());
    expect(failed(await s.call("POST", "/api/verify", { body: { jwt: more } }))).toContain("record:attestation-id-mismatch");
    // Each offer is taken once.
    await expect(walletTakesOffer(offer, holder, "jwt_vc_json", ATTESTATION_CONFIGURATION)).rejects.toThrow();
  });

  it("12.2: a certificate's offer cannot fetch the attestation's configuration, nor an attestation's offer a certificate's (unknown_credential_configuration); the PIN counts as for certificates", async () => {
    const holder = await newHolder("did:jwk:p256");
    const certOffer = (await s.call("POST", `/api/certificates/${certificate}/offers`, { token: provider.token })).body;
    const certToken = await redeemOffer(certOffer, certOffer.txCode);
    expect(certToken.status).toBe(200);
    const refused = await requestCredential(s.url, certToken.body.access_token, certToken.body.c_nonce, ATTESTATION_CONFIGURATION, holder);
    expect(refused).toMatchObject({ status: 400, body: { error: "unknown_credential_configuration" } });
    // Refused before the nonce was spent: the certificate itself still comes with it.
    const cert = await requestCredential(s.url, certToken.body.access_token, certToken.body.c_nonce, "SenimCertificate_jwt_vc_json", holder);
    expect(cert.status, JSON.stringify(cert.body)).toBe(200);

    const before = await offers();
    const offer = offerOn(await (await offerPage(ids.met, me)).text());
    expect(await offers()).toBe(before + 1);
    const wrong = await redeemOffer(offer, offer.txCode === "000000" ? "111111" : "000000");
    expect(wrong).toMatchObject({ status: 400, body: { error: "invalid_grant", error_description: expect.stringContaining("4 tries left") } });
    const t = await redeemOffer(offer, offer.txCode);
    expect(t.status).toBe(200);
    for (const configuration of ["SenimCertificate_jwt_vc_json", "SenimCertificate_ldp_vc"]) {
      expect(await requestCredential(s.url, t.body.access_token, t.body.c_nonce, configuration, holder)).toMatchObject({ status: 400, body: { error: "unknown_credential_configuration" } });
    }
    const taken = await requestCredential(s.url, t.body.access_token, t.body.c_nonce, ATTESTATION_CONFIGURATION, holder);
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    expect(credentialInJwt(taken.body.credentials[0].credential).credentialSubject.id).toBe(holder.did);
  });

  it("12.2: only the member the attestation names gets its offer: another member's id, an unknown one → not_found; no CSRF token 403, no session 401; no offer", async () => {
    const before = await offers();
    for (const id of [ids.met2, "aaaaaaaaaaaaaaaaaaaa", "zz"]) {
      const r = await offerPage(id, me);
      expect(r.status, id).toBe(404);
      const html = await r.text();
      expect(html).toContain("No annual attestation of yours with this number can be added to a wallet");
      expect(html).not.toContain("openid-credential-offer://");
    }
    expect((await meForm(s, `/me/attestations/${ids.met}/wallet?lang=en`, {}, me.cookie)).status).toBe(403);
    expect((await meForm(s, `/me/attestations/${ids.met}/wallet?lang=en`, { _csrf: me.csrf })).status).toBe(401);
    // The rule in the service: the attestation names the member's bar too, not only the licence.
    await expect(s.services.wallet.oid4vci.createAttestationOfferForMember({ barId: "astana-city", licence: MET }, ids.met)).rejects.toMatchObject({ code: "not_found" });
    await expect(s.services.wallet.oid4vci.createAttestationOfferForMember({ barId: BAR, licence: MET }, certificate)).rejects.toMatchObject({ code: "not_found" });
    expect(await offers()).toBe(before);
  });

  it("12.1, 12.2: a revoked attestation, or one of a reopened year, is not taken: no button at /me, not_found for a new offer, credential_request_denied on an offer made before (also once the bar's key was rotated)", async () => {
    const holder = await newHolder();
    const tokenFor = async (licence: string, id: string) => {
      const offer = await s.services.wallet.oid4vci.createAttestationOfferForMember({ barId: BAR, licence }, id);
      const t = await redeemOffer(offer, offer.txCode);
      expect(t.status).toBe(200);
      return t.body as { access_token: string; c_nonce: string };
    };
    const beforeRevocation = await tokenFor(MET2, ids.met2);
    const beforeReopening = await tokenFor(MET, ids.met);

    expect((await s.call("POST", `/api/attestations/${ids.met2}/revoke`, { token: bar, body: { reason: "Issued in error" } })).status).toBe(200);
    const revoked = await requestCredential(s.url, beforeRevocation.access_token, beforeRevocation.c_nonce, ATTESTATION_CONFIGURATION, holder);
    expect(revoked).toMatchObject({ status: 400, body: { error: "credential_request_denied", error_description: expect.stringContaining("revoked") } });
    const other = await signInAtMe(s, smtp, MET2);
    const page = await meGet(s, "/me?lang=en&year=2025", other.cookie);
    expect(page).toContain(`data-attestation="${ids.met2}"`);
    expect(page).not.toContain(`/me/attestations/${ids.met2}/wallet`);
    expect((await offerPage(ids.met2, other)).status).toBe(404);

    expect((await s.call("POST", `${path}/reopen`, { token: bar, body: { reason: "A late certificate" } })).status).toBe(200);
    const reopened = await requestCredential(s.url, beforeReopening.access_token, beforeReopening.c_nonce, ATTESTATION_CONFIGURATION, holder);
    expect(reopened).toMatchObject({ status: 400, body: { error: "credential_request_denied", error_description: expect.stringContaining("reopened") } });
    const mine = await meGet(s, "/me?lang=en&year=2025", me.cookie);
    expect(mine).not.toContain(`/me/attestations/${ids.met}/wallet`);
    expect(mine).toContain("withdrawn: the bar has reopened the year");
    const before = await offers();
    expect((await offerPage(ids.met, me)).status).toBe(404);
    expect(await offers()).toBe(before);

    // Closed again, the bar issues anew, and the new attestation can be taken.
    expect((await s.call("POST", `${path}/close`, { token: bar, body: { closedOn: "2026-01-31" } })).status).toBe(201);
    const anew = (await s.call("POST", `${path}/attestations`, { token: bar })).body.attestations.find((a: any) => a.licence === MET).id;
    expect(await meGet(s, "/me?lang=en&year=2025", me.cookie)).toContain(`action="/me/attestations/${anew}/wallet?lang=en"`);
    expect((await offerPage(anew, me)).status).toBe(200);

    // Once the bar has rotated the key that signed it, no copy is signed: the retired key's private half is gone, and
    // the new key was not the bar's on the attestation's validFrom.
    const beforeRotation = await tokenFor(MET, anew);
    s.clock.advance(60_000);
    expect((await s.call("POST", `/api/bars/${BAR}/verifier-key/rotation`, { token: bar, body: { reason: "scheduled" } })).status).toBe(201);
    const rotated = await requestCredential(s.url, beforeRotation.access_token, beforeRotation.c_nonce, ATTESTATION_CONFIGURATION, holder);
    expect(rotated).toMatchObject({ status: 400, body: { error: "credential_request_denied", error_description: expect.stringContaining("key") } });
    expect(failed(await s.call("POST", "/api/verify", { body: { url: `${s.url}/a/${anew}` } }))).toEqual([]); // the attestation itself stands
  });

  it("migration 0019: an offer names exactly one of a certificate and an attestation", async () => {
    const base = { tx_code_mac: "m", created_at: "2026-01-31T09:00:00Z", created_by: "test", expires_at: "2026-02-14T09:00:00Z", failed_attempts: 0 };
    const insert = (id: string, certificate_id: string | null, attestation_id: string | null) =>
      walletDb().insertInto("credential_offers").values({ ...base, id, pre_authorized_code: `code-${id}`, certificate_id, attestation_id, redeemed_at: null, access_token_hash: null, access_token_expires_at: null, holder_did: null, credential_issued_at: null }).execute();
    await expect(insert("neither", null, null)).rejects.toThrow();
    await expect(insert("both", certificate, ids.met)).rejects.toThrow();
    await insert("certificate", certificate, null);
    await insert("attestation", null, ids.met);
    expect(await s.services.wallet.oid4vci.offerObject("zzzzzzzzzzzzzzzzzzzz")).toBeUndefined();
  });
});

describe("migration 0019 keeps every credential offer, as a certificate's", () => {
  const before0019 = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < "0019"));
  const row = {
    id: "o1", certificate_id: "c1", pre_authorized_code: "code-1", tx_code_mac: "mac", created_at: "2026-06-01T08:00:00Z", created_by: "provider:p1",
    expires_at: "2026-06-15T08:00:00Z", failed_attempts: 2, redeemed_at: "2026-06-01T09:00:00Z", access_token_hash: "h1", access_token_expires_at: "2026-06-01T09:05:00Z",
    holder_did: "did:key:z6Mkholder", credential_issued_at: "2026-06-01T09:01:00Z",
  };
  async function migrateWithOffer(db: Kysely<any>, schema?: string) {
    const to = async (set: typeof migrations) => {
      const r = await new Migrator({ db, provider: { getMigrations: async () => set }, ...(schema ? { migrationTableSchema: schema } : {}) }).migrateToLatest();
      if (r.error) throw r.error;
    };
    await to(before0019);
    await db.insertInto("credential_offers").values(row).execute();
    await to(migrations);
    const rows = await db.selectFrom("credential_offers").selectAll().execute();
    // Later migrations add columns of their own (0023: a DPoP-bound token's key thumbprint, null for the old offer).
    expect(rows.map((r) => ({ ...r, failed_attempts: Number(r.failed_attempts) }))).toEqual([{ ...row, attestation_id: null, access_token_jkt: null }]);
    // The rebuilt table takes an attestation's offer, keeps the code and the access token unique, and refuses neither or both.
    await db.insertInto("credential_offers").values({ ...row, id: "o2", pre_authorized_code: "code-2", access_token_hash: "h2", certificate_id: null, attestation_id: "a1" }).execute();
    await expect(db.insertInto("credential_offers").values({ ...row, id: "o3", access_token_hash: "h3" }).execute()).rejects.toThrow();
    await expect(db.insertInto("credential_offers").values({ ...row, id: "o4", pre_authorized_code: "code-4", access_token_hash: "h4", certificate_id: null, attestation_id: null }).execute()).rejects.toThrow();
    await expect(db.insertInto("credential_offers").values({ ...row, id: "o5", pre_authorized_code: "code-5", access_token_hash: "h5", attestation_id: "a1" }).execute()).rejects.toThrow();
  }
  it("on SQLite", () => withForeignKeysOff("sqlite", migrateWithOffer));
  it("on PostgreSQL", () => withForeignKeysOff("postgres", migrateWithOffer));
});
