/**
 * Issue 13, the three parts of "My record" at /me after sign-in, over HTTP on loopback (the wallet library fetches),
 * on SQLite, PostgreSQL and D1:
 * - "Add to wallet" (2.2.3): the advocate creates the OpenID4VCI offer of their own certificate and sees its QR code,
 *   link and PIN; a wallet library nobody here wrote takes the certificate with that PIN. Another member's
 *   certificate, a revoked one, an unknown id, a post without the CSRF token or without a session: refused, no offer.
 * - The year's transcript: a PDF (read back with poppler) with the name, the credited certificates and their links,
 *   the status; self-recorded hours apart, a revoked certificate absent; refused when signed out.
 * - Self-recorded hours (2.2(2)): added, changed and deleted by the advocate, never counted; the bar's entries are
 *   read-only; another member's entry is refused and stays as it was; bad input is a 400 page in the visitor's
 *   language and stores nothing.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeCompactJws } from "../src/credentials/jwt.js";
import { toInstant } from "../src/domain/time.js";
import { certificateMessageComposer } from "../src/http/certificate-mail.js";
import { loadNodeFonts } from "../src/runtime/fonts.js";
import { smtpTransport } from "../src/runtime/mail-smtp.js";
import type { WalletDatabase } from "../src/storage/wallet-store.js";
import { DATABASE_KINDS } from "./databases.js";
import { startLoopbackSmtp, type LoopbackSmtp } from "./delivery-helpers.js";
import { accreditedProvider } from "./helpers.js";
import { decodeInlineQr } from "./qr-decode.js";
import { credentialInJwt, newHolder, startHttpSenim, walletTakesOffer, type HttpSenim } from "./wallet-helpers.js";

const BAR = "almaty-city";
const ME = "310001";
const OTHER = "310002";

interface Session {
  cookie: string;
  csrf: string;
}

describe.each(DATABASE_KINDS)("My record at /me: wallet, transcript, self-recorded hours (issue 13) on %s", (kind) => {
  let s: HttpSenim;
  let smtp: LoopbackSmtp;
  let transport: ReturnType<typeof smtpTransport>;
  let barToken: string;
  let me: Session;
  let other: Session;
  /** Certificates: mine, the other member's (same event), and one of mine that is revoked. */
  const certs = { mine: "", others: "", revoked: "" };
  let outsideSubmission = "";

  const drain = () => s.services.delivery!.drain(transport, certificateMessageComposer(s.services, loadNodeFonts));
  const post = (path: string, fields: Record<string, string>, cookie?: string) =>
    s.app.request(`${s.url}${path}`, { method: "POST", body: new URLSearchParams(fields), headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) } });
  const get = (path: string, cookie?: string) => s.app.request(`${s.url}${path}`, { headers: cookie ? { cookie } : {} });
  const walletDb = () => s.db as unknown as Kysely<WalletDatabase>;
  const offers = async () => Number((await walletDb().selectFrom("credential_offers").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  const selfRows = (licence: string) => s.db.selectFrom("self_recorded_hours").selectAll().where("licence", "=", licence).orderBy("id").execute();

  /** Signs in with the code the loopback SMTP server received, and reads the page's CSRF token. */
  async function signIn(licence: string, email: string): Promise<Session> {
    const asked = await post("/me/code?lang=en", { bar: BAR, licence });
    const challenge = /name="challenge" value="([^"]+)"/.exec(await asked.text())![1]!;
    const start = smtp.received.length;
    await drain();
    const mail = smtp.received.slice(start).find((m) => (m.to && "text" in m.to ? m.to.text : "").includes(email) && /\b\d{6}\b/.test(m.subject ?? ""))!;
    const code = /\b(\d{6})\b/.exec(mail.subject!)![1]!;
    const opened = await post("/me/sign-in", { challenge, code });
    expect(opened.status).toBe(303);
    const cookie = opened.headers.getSetCookie().find((h) => h.startsWith("senim_me="))!.split(";")[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await (await get("/me?lang=en", cookie)).text())![1]!;
    return { cookie, csrf };
  }

  async function event(provider: { token: string }, topic: string, licences: string[], endMs: number) {
    const ev = await s.call("POST", "/api/events", {
      token: provider.token,
      body: { topic, programme: "criminal", form: "course", deliveryMode: "in-person", place: "Алматы", startsAt: toInstant(endMs - 8 * 3_600_000), endsAt: toInstant(endMs), durationMinutes: 360, trainers: [{ name: "Сейтқали Ә.", field: "Қылмыстық процесс, 15 жыл адвокаттық практика" }] },
    });
    expect(ev.status, ev.text).toBe(201);
    const put = await s.call("PUT", `/api/events/${ev.body.id}/participants`, { token: provider.token, body: { participants: licences.map((l) => ({ fullName: `Адвокат ${l}`, licenceNumber: l, barId: BAR })) } });
    expect(put.status, put.text).toBe(200);
    const issued = await s.call("POST", `/api/events/${ev.body.id}/certificates`, { token: provider.token });
    expect(issued.status, issued.text).toBe(201);
    return (licence: string) => issued.body.certificates.find((c: { licenceNumber: string }) => c.licenceNumber === licence).id as string;
  }

  beforeAll(async () => {
    s = await startHttpSenim({ database: kind });
    smtp = await startLoopbackSmtp();
    transport = smtpTransport(smtp.url, "Senim <no-reply@senim.test>");
    barToken = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: BAR, label: "office" } })).body.token;
    for (const licence of [ME, OTHER]) {
      const r = await s.call("POST", `/api/bars/${BAR}/members`, { token: barToken, body: { licence, fullName: `Адвокат ${licence}`, admissionDate: "2015-03-01", email: `a${licence}@example.kz` } });
      expect(r.status, r.text).toBeLessThan(300);
    }
    expect((await s.call("PUT", `/api/bars/${BAR}/policies/2026`, { token: barToken, body: { requiredAcademicHours: 40 } })).status).toBe(200);
    const provider = await accreditedProvider(s, { name: "Заң академиясы" });
    const first = await event(provider, "Медиация негіздері", [ME, OTHER], s.clock.ms - 2 * 86_400_000);
    certs.mine = first(ME);
    certs.others = first(OTHER);
    certs.revoked = (await event(provider, "Кері қайтарылған курс", [ME], s.clock.ms - 86_400_000))(ME);
    expect((await s.call("POST", `/api/certificates/${certs.revoked}/revocation`, { token: provider.token, body: { reason: "issued in error" } })).status).toBe(201);
    // An outside certificate the bar accepted, and hours the bar recorded on the member's behalf.
    const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    outsideSubmission = (await s.services.submissions!.submitAsAdvocate(BAR, ME, { organiser: "Шетелдік орталық", topic: "Дәлелдемелер", programme: "civil", form: "seminar", completedOn: "2026-04-10", academicHours: 8, attachment: { bytes: PNG } })).id;
    expect((await s.call("POST", `/api/bars/${BAR}/submissions/${outsideSubmission}/accept`, { token: barToken, body: { creditedHours: 8 } })).status).toBe(200);
    expect((await s.call("POST", `/api/bars/${BAR}/members/${ME}/self-recorded`, { token: barToken, body: { year: 2026, minutes: 90, programme: "topical", description: "Bar-recorded reading" } })).status).toBe(201);
    await drain(); // the certificates' own messages, out of the way
    me = await signIn(ME, `a${ME}@example.kz`);
    other = await signIn(OTHER, `a${OTHER}@example.kz`);
  }, 120_000);
  afterAll(async () => {
    transport?.close();
    await smtp?.close();
    await s?.close();
  });

  it("2.2.3: 'Add to wallet' shows the offer's QR code, link and PIN; the wallet library takes the certificate with that PIN", async () => {
    const page = await (await get("/me?lang=en&year=2026", me.cookie)).text();
    expect(page).toContain(`action="/me/certificates/${certs.mine}/wallet?lang=en"`);
    expect(page).not.toContain(`/me/certificates/${certs.revoked}/wallet`); // revoked: no button
    const before = await offers();

    const r = await post(`/me/certificates/${certs.mine}/wallet?lang=en`, { _csrf: me.csrf }, me.cookie);
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toBe("no-store");
    const html = await r.text();
    const link = /data-offer-link[^>]*href="([^"]+)"|href="([^"]+)"[^>]*data-offer-link/.exec(html)!.slice(1).find(Boolean)!.replaceAll("&amp;", "&");
    expect(link).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
    const pin = /data-pin="?[^>]*>(\d{6})</.exec(html)![1]!;
    // The inline QR code carries the link itself: read with the /verify page's own decoder.
    expect(decodeInlineQr(html)).toBe(link);
    expect(await offers()).toBe(before + 1);
    const row = await walletDb().selectFrom("credential_offers").selectAll().orderBy("created_at", "desc").where("certificate_id", "=", certs.mine).executeTakeFirstOrThrow();
    expect(row.created_by).toBe(`advocate:${BAR}:${ME}`);
    expect(JSON.stringify(row)).not.toContain(pin); // the PIN is kept only as a MAC

    const holder = await newHolder("did:key");
    const response = await walletTakesOffer({ offer: link, txCode: pin }, holder);
    const jwt = (response.credentials?.[0] as { credential: string }).credential;
    const payload = credentialInJwt(jwt);
    expect(payload.id).toBe(s.services.issuance.certificateUrl(certs.mine));
    expect(payload.credentialSubject.id).toBe(holder.did);
    const verified = await s.call("POST", "/api/verify", { body: { jwt } });
    expect(verified.body.verified).toBe(true);
  });

  it("'Add to wallet' refuses another member's certificate, a revoked or unknown one, a post without CSRF token or session: no offer", async () => {
    const before = await offers();
    for (const id of [certs.others, certs.revoked, "zzzzzzzzzzzzzzzz"]) {
      const r = await post(`/me/certificates/${id}/wallet?lang=en`, { _csrf: me.csrf }, me.cookie);
      expect(r.status, id).toBe(404);
      const html = await r.text();
      expect(html).toContain("No certificate of yours with this number can be added to a wallet");
      expect(html).not.toContain("openid-credential-offer://");
    }
    expect((await post(`/me/certificates/${certs.mine}/wallet?lang=en`, {}, me.cookie)).status).toBe(403);
    expect((await post(`/me/certificates/${certs.mine}/wallet?lang=en`, { _csrf: other.csrf }, me.cookie)).status).toBe(403);
    const signedOut = await post(`/me/certificates/${certs.mine}/wallet?lang=ru`, { _csrf: me.csrf });
    expect(signedOut.status).toBe(401);
    expect(await signedOut.text()).toContain("Сначала войдите в личный учёт.");
    expect(await offers()).toBe(before);
    // The rule in the service: the certificate names its participant's bar too, not only the licence.
    await expect(s.services.wallet.oid4vci.createOfferForMember({ barId: "astana-city", licence: ME }, certs.mine)).rejects.toMatchObject({ code: "not_found" });
    expect(await offers()).toBe(before);
    // The other member may offer their own.
    expect((await post(`/me/certificates/${certs.others}/wallet?lang=en`, { _csrf: other.csrf }, other.cookie)).status).toBe(200);
    expect(await offers()).toBe(before + 1);
  });

  it("the year's transcript: an A4 PDF with the name, every credited certificate and its link, the status; self-recorded apart", async () => {
    const page = await (await get("/me?lang=en&year=2026", me.cookie)).text();
    expect(page).toContain('href="/me/transcript.pdf?year=2026&amp;lang=en"');
    const textOf = async (lang: string) => {
      const r = await get(`/me/transcript.pdf?year=2026&lang=${lang}`, me.cookie);
      expect(r.status).toBe(200);
      expect(r.headers.get("content-type")).toBe("application/pdf");
      expect(r.headers.get("cache-control")).toBe("no-store");
      const file = join(s.dir, `transcript-${kind}-${lang}.pdf`);
      writeFileSync(file, Buffer.from(await r.arrayBuffer()));
      expect(execFileSync("pdfinfo", [file]).toString()).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
      if (kind === "sqlite" && lang === "kk" && process.env.SENIM_ARTIFACTS !== "0") {
        execFileSync("pdftoppm", ["-r", "80", "-png", "-f", "1", "-singlefile", file, join(s.dir, "transcript")]);
        mkdirSync("test-artifacts", { recursive: true });
        copyFileSync(join(s.dir, "transcript.png"), "test-artifacts/transcript-kk.pdf.png");
      }
      return execFileSync("pdftotext", ["-layout", "-enc", "UTF-8", file, "-"]).toString().replace(/\s+/g, " ");
    };
    const en = await textOf("en");
    for (const text of [
      "Transcript of professional development for 2026",
      `Адвокат ${ME}`, ME, "Almaty City Bar Association",
      "Requirement 40 academic hours",
      "short — Short by 24 academic hours.",
      "Credited: 16 academic hours from 2 certificate(s)",
      "Медиация негіздері", "Organiser: Заң академиясы", "How it was proven: issued by Senim",
      `Verification: ${s.services.issuance.certificateUrl(certs.mine)}`,
      "Дәлелдемелер", "Organiser: Шетелдік орталық", "accepted by the bar (", "Verification: checked by the bar on review",
      "Self-recorded hours (2.2(2))", "Bar-recorded reading", "(not counted)",
    ]) expect(en, text).toContain(text);
    // A revoked certificate is credited to nobody: not on the transcript.
    expect(en).not.toContain("Кері қайтарылған курс");
    expect(en).not.toContain(certs.revoked);
    const kk = await textOf("kk");
    expect(kk).toContain("2026 жылғы біліктілікті арттыру туралы үзінді көшірме");
    expect(kk).toContain("24 академиялық сағат жетпейді.");
    expect(kk).toContain("Senim-де берілген");
    expect(await textOf("ru")).toContain("Не хватает 24 академических часов.");

    const signedOut = await get("/me/transcript.pdf?year=2026&lang=en");
    expect(signedOut.status).toBe(401);
    expect(signedOut.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await signedOut.text()).toContain("Sign in to your record first.");
    const badYear = await get("/me/transcript.pdf?year=1900&lang=en", me.cookie);
    expect(badYear.status).toBe(400);
    expect(await badYear.text()).toContain("Choose a year from the list on your record.");
  });

  it("2.2(2): the advocate adds, changes and deletes their own self-recorded hours; they never count", async () => {
    const status = async () => {
      const html = await (await get("/me?lang=en&year=2026", me.cookie)).text();
      return { html, status: /data-status="([a-z-]+)"/.exec(html)![1], credited: /Credited: [^<]+/.exec(html)![0] };
    };
    const before = await status();
    const reportBefore = (await s.services.compliance.buildReport(BAR, 2026)).members.find((m) => m.licence === ME)!;

    const added = await post("/me/self-recorded?lang=en", { _csrf: me.csrf, year: "2026", amount: "4", unit: "hours", programme: "civil", description: "Read the new Civil Code" }, me.cookie);
    expect(added.status).toBe(303);
    expect(added.headers.get("location")).toBe("/me?lang=en&year=2026&done=added");
    const mine = (await selfRows(ME)).filter((r) => r.recorded_by === `advocate:${BAR}:${ME}`);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ year: 2026, minutes: 180, programme: "civil", description: "Read the new Civil Code" });
    const id = mine[0]!.id;

    const after = await status();
    expect(after.html).toMatch(/Read the new Civil Code[^<]*<em>\(not counted\)<\/em>/);
    expect(after.html).toContain(`action="/me/self-recorded/${id}?lang=en"`);
    expect(after.html).toContain(`action="/me/self-recorded/${id}/delete?lang=en"`);
    // Never counted: the status and the credited hours stay; the report lists them apart.
    expect(after.status).toBe(before.status);
    expect(after.credited).toBe(before.credited);
    const reportAfter = (await s.services.compliance.buildReport(BAR, 2026)).members.find((m) => m.licence === ME)!;
    expect(reportAfter.verifiedHours).toBe(reportBefore.verifiedHours);
    expect(reportAfter.status).toBe(reportBefore.status);
    expect(reportAfter.selfRecordedHours).toBe(reportBefore.selfRecordedHours + 4);

    // Changed in minutes.
    const saved = await post(`/me/self-recorded/${id}?lang=en`, { _csrf: me.csrf, year: "2026", amount: "50", unit: "minutes", programme: "criminal", description: "Read the new Criminal Code" }, me.cookie);
    expect(saved.status).toBe(303);
    expect((await selfRows(ME)).find((r) => r.id === id)).toMatchObject({ minutes: 50, programme: "criminal", description: "Read the new Criminal Code" });
    expect(await (await get("/me?lang=en&year=2026&done=saved", me.cookie)).text()).toContain("Saved.");

    // The bar's entry is shown read-only and cannot be changed or deleted from /me.
    const barEntry = (await selfRows(ME)).find((r) => r.recorded_by.startsWith("bar-admin:"))!;
    expect(after.html).toMatch(new RegExp(`data-self-recorded="${barEntry.id}">[^]*?data-read-only[^>]*>\\(recorded by your bar\\)`));
    expect(after.html).not.toContain(`/me/self-recorded/${barEntry.id}`);
    // Another member's own entry, likewise.
    expect((await post("/me/self-recorded?lang=en", { _csrf: other.csrf, year: "2026", amount: "2", unit: "hours", programme: "civil", description: "Other's note" }, other.cookie)).status).toBe(303);
    const othersEntry = (await selfRows(OTHER))[0]!;
    for (const target of [barEntry, othersEntry]) {
      const edit = await post(`/me/self-recorded/${target.id}?lang=en`, { _csrf: me.csrf, year: "2026", amount: "1", unit: "hours", programme: "civil", description: "Taken over" }, me.cookie);
      expect(edit.status).toBe(404);
      expect(await edit.text()).toContain("You have no self-recorded entry with this number. Nothing was stored.");
      expect((await post(`/me/self-recorded/${target.id}/delete?lang=en`, { _csrf: me.csrf }, me.cookie)).status).toBe(404);
      expect((await selfRows(target.licence)).find((r) => r.id === target.id)).toEqual(target);
    }

    // Bad input: a 400 page in the visitor's language naming each problem; nothing stored or changed.
    const rowsBefore = await selfRows(ME);
    const bad = await post("/me/self-recorded?lang=kk", { _csrf: me.csrf, year: "1999", amount: "abc", unit: "hours", programme: "astrology", description: "  " }, me.cookie);
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('<html lang="kk">');
    for (const text of ["Жазған сағаттарыңызды тексеріңіз: ештеңе сақталмады.", "2000 мен 2100 аралығындағы жылды таңдаңыз.", "Ұзақтығын енгізіңіз", "Бағдарламаны таңдаңыз.", "Не істегеніңізді 1000 таңбаға дейін сипаттаңыз."]) {
      expect(badHtml, text).toContain(text);
    }
    expect(badHtml).toContain('value="abc"'); // the form again, as it was sent
    const badEdit = await post(`/me/self-recorded/${id}?lang=ru`, { _csrf: me.csrf, year: "2026", amount: "1.5", unit: "minutes", programme: "civil", description: "x" }, me.cookie);
    expect(badEdit.status).toBe(400);
    expect(await badEdit.text()).toContain("Укажите продолжительность");
    expect((await post("/me/self-recorded?lang=en", { year: "2026", amount: "1", unit: "hours", programme: "civil", description: "no token" }, me.cookie)).status).toBe(403);
    expect((await post("/me/self-recorded?lang=en", { _csrf: me.csrf, year: "2026", amount: "1", unit: "hours", programme: "civil", description: "no session" })).status).toBe(401);
    expect(await selfRows(ME)).toEqual(rowsBefore);

    // Deleted.
    const deleted = await post(`/me/self-recorded/${id}/delete?lang=en`, { _csrf: me.csrf }, me.cookie);
    expect(deleted.status).toBe(303);
    expect((await selfRows(ME)).map((r) => r.id)).toEqual(rowsBefore.filter((r) => r.id !== id).map((r) => r.id));
    const gone = await (await get("/me?lang=en&year=2026&done=deleted", me.cookie)).text();
    expect(gone).toContain("Deleted.");
    expect(gone).not.toContain("Read the new Criminal Code");
  });

  it("an advocate keeps at most 100 entries a year: the 101st is a 422 page saying so, nothing stored", async () => {
    for (let i = 0; i < 100; i++) await s.services.compliance.recordOwnSelfHours({ barId: BAR, licence: OTHER }, { year: 2025, minutes: 45, programme: "civil", description: `note ${i}` });
    const r = await post("/me/self-recorded?lang=en", { _csrf: other.csrf, year: "2025", amount: "1", unit: "hours", programme: "civil", description: "one more" }, other.cookie);
    expect(r.status).toBe(422);
    expect(await r.text()).toContain("You already have 100 entries for this year");
    expect((await selfRows(OTHER)).filter((x) => Number(x.year) === 2025)).toHaveLength(100);
  });
});
