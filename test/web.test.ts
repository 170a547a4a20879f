/**
 * The public web pages without a browser (as a phone with JavaScript off, or a script, would use them): the language
 * cookie, /verify by pasted link, JWT or uploaded file, the registry search and provider pages (8.3).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issued, PUBLIC_URL, startSenim, type TestSenim } from "./helpers.js";
import { CHECKS } from "../src/credentials/checks.js";
import type { CheckCode, CheckId, VerificationResult } from "../src/credentials/verify.js";
import { VerdictBanner, verdictOf } from "../src/http/pages/verdict.js";

let s: TestSenim;
let certs: { id: string; url: string }[];
let provider: Awaited<ReturnType<typeof issued>>["provider"];
beforeAll(async () => {
  s = await startSenim();
  ({ certificates: certs, provider } = await issued(s, 2));
});
afterAll(async () => s.close());

async function postVerify(parts: { text?: string; file?: { name: string; body: string } }, headers: Record<string, string> = {}) {
  const form = new FormData();
  if (parts.text !== undefined) form.set("text", parts.text);
  if (parts.file) form.set("file", new File([parts.file.body], parts.file.name));
  const res = await s.app.request(`${PUBLIC_URL}/verify`, { method: "POST", body: form, headers });
  return { status: res.status, location: res.headers.get("location"), text: await res.text() };
}

describe("language", () => {
  it("?lang= sets a year-long cookie that later pages honour over Accept-Language; pages vary on both", async () => {
    const first = await s.app.request(`${PUBLIC_URL}/registry?lang=ru`, { headers: { "accept-language": "en" } });
    const cookie = first.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^lang=ru; Max-Age=31536000; Path=\/; Secure; SameSite=Lax$/);
    expect(first.headers.get("vary")).toBe("Accept-Language, Cookie");
    const next = await s.app.request(`${PUBLIC_URL}/c/${certs[0]!.id}`, { headers: { "accept-language": "en", cookie: "lang=ru" } });
    expect(await next.text()).toContain('<html lang="ru"');
    const junk = await s.app.request(`${PUBLIC_URL}/verify`, { headers: { "accept-language": "en", cookie: "lang=xx" } });
    expect(await junk.text()).toContain('<html lang="en"');
  });

  it("every page has the visible switch to all three languages", async () => {
    for (const path of ["/verify", "/registry", `/c/${certs[0]!.id}`, `/providers/${provider.party.id}`, "/search?q=x", "/console/sign-in"]) {
      const page = await s.call("GET", path);
      for (const l of ["kk", "ru", "en"]) expect(page.text, path).toContain(`data-lang="${l}"`);
    }
  });
});

describe("/verify without JavaScript", () => {
  it("a pasted certificate link opens the certificate's page", async () => {
    const res = await postVerify({ text: ` ${certs[0]!.url}\n` });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/c/${certs[0]!.id}`);
  });

  it("a pasted JWT, an uploaded .jwt and an uploaded .json are verified and every check shown", async () => {
    const jwt = (await s.call("GET", `/c/${certs[0]!.id}/credential.jwt`)).text;
    const json = (await s.call("GET", `/c/${certs[0]!.id}/credential.json`)).text;
    for (const input of [{ text: jwt }, { file: { name: "c.jwt", body: jwt } }, { file: { name: "c.json", body: json } }]) {
      const res = await postVerify(input, { "accept-language": "en" });
      expect(res.status).toBe(200);
      expect(res.text).toContain("This certificate is genuine");
      expect(res.text.match(/data-outcome="passed"/g)).toHaveLength(CHECKS.length);
      expect(res.text).toContain(provider.party.name);
    }
  });

  it("an altered JSON fails the signature check in red and the rest could not be checked", async () => {
    const json = JSON.parse((await s.call("GET", `/c/${certs[0]!.id}/credential.json`)).text);
    json.credentialSubject.achievement.academicHours = 80;
    const res = await postVerify({ file: { name: "c.json", body: JSON.stringify(json) } }, { "accept-language": "en" });
    expect(res.text).toContain("did not pass verification");
    expect(res.text).toMatch(/data-check="signature" data-outcome="failed"/);
    expect(res.text).toContain("could not check");
  });

  it("nothing, or something that is not a credential, is a 400 page with the reason and the input kept", async () => {
    expect((await postVerify({ text: "  " })).status).toBe(400);
    const junk = await postVerify({ text: "hello.world" }, { "accept-language": "en" });
    expect(junk.status).toBe(400);
    expect(junk.text).toContain("This is not a certificate:");
    expect(junk.text).toContain("hello.world");
    const badJson = await postVerify({ file: { name: "x.json", body: "{nope" } }, { "accept-language": "en" });
    expect(badJson.status).toBe(400);
    const elsewhere = await postVerify({ text: "https://evil.example/c/abc" });
    expect(elsewhere.status).toBe(400);
  });

  it("refuses a body over the verification limit (413) without reading it", async () => {
    const res = await postVerify({ text: "a".repeat(300 * 1024) }, { "accept-language": "en" });
    expect(res.status).toBe(413);
    expect(res.text).toContain("Payload too large");
  });
});

describe("registry search and provider pages (8.3)", () => {
  it("finds providers across bars whatever the case, and links each to its page", async () => {
    const other = await s.call("POST", "/api/parties", { token: s.adminToken, body: { kind: "centre", name: "Шымкент Құқық Орталығы", barId: "shymkent-city" } });
    const res = await s.call("GET", `/search?q=${encodeURIComponent("құқық")}&lang=kk`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`href="/providers/${other.body.id}"`);
    expect(res.text).toContain("Шымкент");
    expect((await s.call("GET", `/search?q=${encodeURIComponent("біліктілікті")}`)).text).toContain(`href="/providers/${provider.party.id}"`);
    expect((await s.call("GET", "/search?q=zzzz&lang=en")).text).toContain("Nothing found.");
  });

  it("a provider's page shows its accreditation history without the evidence", async () => {
    const page = await s.call("GET", `/providers/${provider.party.id}?lang=en`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Accreditation history");
    expect(page.text).toContain("№ 7-П");
    expect(page.text).toContain("Education licence in law (9.1.1)");
    expect(page.text).not.toContain("KZ-EDU-001");
    expect((await s.call("GET", "/providers/nosuchparty")).status).toBe(404);
  });
});

describe("the certificate page after the merge: browser check, and no participant's secret", () => {
  it("shows the browser check in the page's language, kk, ru and en; never a wallet offer or a survey link (issue 12)", async () => {
    const offer = await s.call("POST", `/api/certificates/${certs[1]!.id}/offers`, { token: provider.token });
    expect(offer.status).toBe(201);
    const texts = {
      kk: ["Сіздің браузеріңізде қайта тексеру"],
      ru: ["Повторная проверка в вашем браузере"],
      en: ["Checked again in your browser"],
    } as const;
    for (const lang of ["kk", "ru", "en"] as const) {
      const page = await s.call("GET", `/c/${certs[1]!.id}?lang=${lang}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`<html lang="${lang}"`);
      for (const text of texts[lang]) expect(page.text, lang).toContain(text);
      for (const other of (["kk", "ru", "en"] as const).filter((l) => l !== lang)) for (const text of texts[other]) expect(page.text, `${lang} has ${other}`).not.toContain(text);
      // The page is public (the QR code leads here): the offer and the survey go to the participant alone.
      for (const secret of ['class="wallet"', 'class="survey"', "openid-credential-offer", "/survey", offer.body.credentialOfferUri]) expect(page.text, secret).not.toContain(secret);
      const at = (needle: string) => page.text.indexOf(needle);
      expect(at('id="browser-check"')).toBeGreaterThan(at('class="checks"'));
    }
  });
});

describe("issue 16: a certificate number nobody issued", () => {
  it.each([
    ["kk", "Сертификат табылмады", "Сертификатты тексеру"],
    ["ru", "Сертификат не найден", "Проверить сертификат"],
    ["en", "Certificate not found", "Verify a certificate"],
  ])("in %s the page says so, names the number, and leads to /verify and the registry", async (lang, title, verify) => {
    const res = await s.fetch(`/c/zzzzzzzzzzzzzzzz?lang=${lang}`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain(title);
    expect(html).toContain("zzzzzzzzzzzzzzzz");
    expect(html).toMatch(new RegExp(`<a href="/verify\\?lang=${lang}" data-next="verify">${verify}</a>`));
    expect(html).toContain(`href="/registry?lang=${lang}" data-next="registry"`);
  });
});

describe("issue 16: /verify reads a certificate link however it was typed", () => {
  it("the printed number, the link without https://, a link broken by spaces or line ends, upper case: each opens the certificate", async () => {
    const id = certs[0]!.id;
    const host = new URL(PUBLIC_URL).host;
    const half = Math.floor(id.length / 2);
    for (const typed of [id, ` ${id.toUpperCase()} `, `${host}/c/${id}`, `${PUBLIC_URL}/c/${id.slice(0, half)} ${id.slice(half)}`, `${PUBLIC_URL}/c/\n${id}`, `HTTPS://${host}/c/${id}?lang=kk`]) {
      const r = await postVerify({ text: typed });
      expect(r.status, typed).toBe(303);
      expect(r.location, typed).toBe(`/c/${id}`);
    }
  });

  it("the human KZ- number, typed in any case without dashes, opens the certificate; a mistyped or unknown one is said so in kk, ru and en", async () => {
    const page = await (await s.app.request(`${PUBLIC_URL}/c/${certs[0]!.id}?lang=en`)).text();
    const number = /data-certificate-number[^>]*>(KZ-\d{2}-[0-9A-Z]{4}-[0-9A-Z]{4})</.exec(page)?.[1];
    expect(number).toBeDefined();
    for (const typed of [number!, number!.toLowerCase().replace(/-/g, " "), number!.replace(/-/g, "")]) {
      const r = await postVerify({ text: typed });
      expect(r.status, typed).toBe(303);
      expect(r.location, typed).toBe(`/c/${certs[0]!.id}`);
    }
    const body = number!.slice(6).replace("-", "");
    const swapped = body[0] !== body[1] ? body[1]! + body[0]! + body.slice(2) : body.slice(0, 7) + (body[7] === "0" ? "1" : "0");
    const unknown = `KZ-${Number(number!.slice(3, 5)) + 1}-${body.slice(0, 4)}-${body.slice(4)}`;
    for (const lang of ["kk", "ru", "en"]) {
      const mistyped = await postVerify({ text: `KZ-${number!.slice(3, 5)}-${swapped}` }, { cookie: `lang=${lang}` });
      expect(mistyped.status).toBe(400);
      const none = await postVerify({ text: unknown }, { cookie: `lang=${lang}` });
      expect(none.status).toBe(404);
      if (lang !== "en") for (const text of [mistyped.text, none.text]) expect(text).not.toMatch(/not a vc\+jwt|mistyp|No certificate/i);
    }
  });

  it("anything else is judged as a credential, not taken for a link (another site's /c/ link is not ours)", async () => {
    expect((await postVerify({ text: `evil.example/c/${certs[0]!.id}` })).status).toBe(400);
    expect((await postVerify({ text: "not a certificate at all" })).status).toBe(400);
  });
});

describe("issue 16: one verdict for the certificate page and /verify, whatever the checks say", () => {
  /** A real verification result with one check's outcome changed: what the service reports when that happens. */
  const withCheck = (r: VerificationResult, id: CheckId, outcome: "failed" | "not-checked", code: CheckCode): VerificationResult => ({
    ...r,
    verified: false,
    checks: r.checks.map((c) => (c.check === id ? { ...c, outcome, code, detail: `${code} (test)` } : c)),
  });
  const render = async (result: VerificationResult, lang: "kk" | "ru" | "en") => String(await (VerdictBanner({ lang, result }) as unknown as { toString(): string | Promise<string> }).toString());

  it("an unreadable status list is 'could not check' (grey, with what to do); a suspension and an expiry have their own word; a forgery also revoked is a forgery", async () => {
    const verified = await s.call("POST", "/api/verify", { body: { url: certs[0]!.url } });
    expect(verified.status).toBe(200);
    const genuine = verified.body as VerificationResult;
    expect(verdictOf(genuine)).toEqual({ state: "genuine" });

    const unchecked = withCheck(genuine, "status", "not-checked", "status-unavailable");
    expect(verdictOf(unchecked)).toMatchObject({ state: "unchecked", check: { check: "status", code: "status-unavailable" } });
    const suspended = withCheck(genuine, "status", "failed", "suspended");
    expect(verdictOf(suspended).state).toBe("suspended");
    const expired = withCheck(genuine, "validity", "failed", "expired");
    expect(verdictOf(expired).state).toBe("expired");
    // Revoked outranks expired; any other failure outranks both: a forgery that is also revoked reads as a forgery.
    expect(verdictOf(withCheck(withCheck(genuine, "validity", "failed", "expired"), "status", "failed", "revoked")).state).toBe("revoked");
    expect(verdictOf(withCheck(withCheck(genuine, "status", "failed", "revoked"), "signature", "failed", "signature-invalid"))).toMatchObject({ state: "not-genuine", check: { check: "signature" } });

    const expected = {
      kk: { unchecked: ["Бұл сертификатты тексеру мүмкін болмады", "Тексерілмеді:", "Бірнеше минуттан кейін қайталап көріңіз"], suspended: ["Күші тоқтатылды"], expired: ["Мерзімі өтті", "жарамдылық мерзімі аяқталды"] },
      ru: { unchecked: ["Не удалось проверить этот сертификат", "Не проверено:", "Повторите через несколько минут"], suspended: ["Приостановлен"], expired: ["Срок истёк", "Срок его действия закончился"] },
      en: { unchecked: ["Could not check this certificate", "Not checked:", "Try again in a few minutes"], suspended: ["Suspended"], expired: ["Expired", "Its validity period has ended."] },
    } as const;
    for (const [lang, texts] of Object.entries(expected) as ["kk" | "ru" | "en", (typeof expected)["kk"]][]) {
      for (const [state, result] of [["unchecked", unchecked], ["suspended", suspended], ["expired", expired]] as const) {
        const html = await render(result, lang);
        expect(html, `${lang} ${state}`).toContain(`class="verdict ${state}"`);
        expect(html, `${lang} ${state}`).toContain(`data-verdict="${state}"`);
        for (const text of texts[state]) expect(html, `${lang} ${state}`).toContain(text);
        // Not the forgery's words, and still whose certificate it is.
        expect(html, `${lang} ${state}`).not.toContain('class="verdict bad"');
        expect(html, `${lang} ${state}`).toContain(`data-verdict-fact="participant">${genuine.summary!.participant.name}<`);
      }
    }
  });

  it("a revoked certificate of this service uploaded to /verify says Revoked with the date and the reason, as its page does", async () => {
    const own = await issued(s, 1);
    const id = own.certificates[0]!.id;
    const revoke = await s.call("POST", `/api/certificates/${id}/revocation`, { token: own.provider.token, body: { reason: "Issued to the wrong person" } });
    expect(revoke.status).toBe(201);
    const day = new Date(Date.parse(revoke.body.revokedAt) + 5 * 3_600_000).toISOString().slice(0, 10);
    const jwt = (await s.call("GET", `/c/${id}/credential.jwt`)).text;
    for (const [lang, word] of [["kk", "Кері қайтарылды"], ["ru", "Отозван"], ["en", "Revoked"]] as const) {
      const res = await postVerify({ file: { name: "c.jwt", body: jwt } }, { "accept-language": lang });
      expect(res.status).toBe(200);
      expect(res.text).toContain('class="verdict revoked"');
      expect(res.text).toContain(word);
      expect(res.text).toMatch(new RegExp(`data-verdict-part="revoked-on">[^<]*${day}`));
      expect(res.text).toContain("Issued to the wrong person");
      expect(res.text).not.toContain('class="verdict bad"');
    }
  });
});
