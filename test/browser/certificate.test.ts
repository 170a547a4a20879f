/**
 * The certificate page as people meet it: a phone opens the QR code's URL, reads the verdict and every check, and
 * the browser re-checks the signature itself. Language switching and the registry pages, at phone and desktop sizes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext } from "playwright-core";
import { decodeQrPng } from "../qr-decode.js";
import { a11yProblems, DESKTOP, launchChromium, PHONE, screenshot, scriptBudget, startLiveSenim, type LiveSenim } from "./harness.js";
import { issued } from "../helpers.js";
import { CHECKS } from "../../src/credentials/checks.js";
import { kk } from "../../src/http/i18n/kk.js";
import { fillTemplate } from "../../src/lib/csv.js";
import { formatNumber } from "../../src/http/reports/numbers.js";

let senim: LiveSenim;
let stopSenim: () => Promise<void>;
let context: BrowserContext;
let closeBrowser: () => Promise<void>;
let certificates: { id: string; url: string }[];
let provider: Awaited<ReturnType<typeof issued>>["provider"];

beforeAll(async () => {
  ({ senim, stop: stopSenim } = await startLiveSenim());
  ({ context, close: closeBrowser } = await launchChromium());
  ({ certificates, provider } = await issued(senim, 2));
});
afterAll(async () => {
  await closeBrowser?.();
  await stopSenim?.();
});

describe("certificate page in Chromium", () => {
  it("opens from its QR code's URL on a phone and shows the verdict, every check as passed, and the browser's own signature check", async () => {
    // The URL a phone gets is the one in the QR code, decoded from the served PNG.
    const png = await (await fetch(`${certificates[0]!.url}/qr.png`)).arrayBuffer();
    const url = decodeQrPng(new Uint8Array(png)).text;
    expect(url).toBe(`${senim.origin}/c/${certificates[0]!.id}`);

    const page = await context.newPage();
    await page.setViewportSize(PHONE);
    const budget = scriptBudget(page);
    await page.goto(url);
    await expect.poll(() => page.getAttribute("[data-browser-outcome]", "data-browser-outcome"), { timeout: 10_000 }).toBe("passed");
    expect(await page.locator(".verdict h1").innerText()).toContain("Сертификат түпнұсқа");
    const checks = await page.locator(".checks [data-check]").evaluateAll((els) =>
      els.map((e) => ({ check: e.getAttribute("data-check"), outcome: e.getAttribute("data-outcome"), text: (e as HTMLElement).innerText })),
    );
    expect(checks.map((c) => c.check)).toEqual([...CHECKS]);
    for (const c of checks) {
      expect(c.outcome).toBe("passed");
      expect(c.text).toContain("өтті");
    }
    expect(await page.locator("[data-browser-outcome] .outcome").innerText()).toBe("өтті");
    expect(await page.locator('[data-field="organiser"]').innerText()).toBe(provider.party.name);
    // Phone-sized: nothing wider than the screen.
    const overflow = await page.evaluate((w) => [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > w).map((e) => e.outerHTML.slice(0, 80)), PHONE.width);
    expect(overflow).toEqual([]);
    expect(budget.urls().sort()).toEqual([`${senim.origin}/js/certificate.js`, `${senim.origin}/js/copy.js`]);
    expect(budget.total()).toBeLessThan(100 * 1024);
    await screenshot(page, "certificate-phone");
    await page.setViewportSize(DESKTOP);
    await screenshot(page, "certificate-desktop");
    await page.close();
  });

  it("issue 16: 'Copy link' copies the certificate's URL; the genuine page offers LinkedIn and leads its holder to the record's 'Add to wallet'", async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: senim.origin });
    await page.goto(`${certificates[0]!.url}?lang=ru`);
    const copy = page.getByRole("button", { name: "Скопировать ссылку" });
    expect(await copy.isVisible()).toBe(true);
    await copy.click();
    await expect.poll(() => page.locator(".share .copy-status").innerText()).toBe("Ссылка скопирована");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(certificates[0]!.url);
    const linkedIn = new URL((await page.locator('[data-share="linkedin"]').getAttribute("href"))!);
    expect(linkedIn.searchParams.get("certUrl")).toBe(certificates[0]!.url);
    const wallet = page.locator('[data-share="wallet"]');
    expect(await wallet.getAttribute("href")).toBe(`/me?lang=ru#certificate-${certificates[0]!.id}`);
    await page.close();
  });

  it("issue 16: on a 390×844 phone the green banner itself names the participant, the organiser, the topic and the hours, above the fold", async () => {
    const { summary } = (await senim.call("POST", "/api/verify", { body: { url: certificates[0]!.url } })).body;
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [lang, word] of [["kk", "Сертификат түпнұсқа"], ["ru", "Сертификат подлинный"], ["en", "This certificate is genuine"]] as const) {
      await page.goto(`${certificates[0]!.url}?lang=${lang}`);
      const banner = page.locator(".verdict");
      expect(await banner.getAttribute("data-verdict")).toBe("genuine");
      expect(await banner.getAttribute("class")).toBe("verdict ok");
      expect(await banner.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe("rgb(10, 107, 45)"); // green
      expect(await banner.locator("h1").innerText()).toContain(word);
      const fact = (name: string) => banner.locator(`[data-verdict-fact="${name}"]`).innerText();
      expect(await fact("participant"), lang).toBe(summary.participant.name);
      expect(await fact("organiser"), lang).toBe(provider.party.name);
      expect(await fact("topic"), lang).toBe(summary.topic);
      expect(await fact("hours"), lang).toBe(formatNumber(summary.academicHours, lang, 1)); // 8,0 in kk and ru, 8.0 in en
      // Above the fold: the whole banner, on first sight, without scrolling.
      const box = (await banner.boundingBox())!;
      expect(box.y + box.height, lang).toBeLessThanOrEqual(844);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), lang).toBeLessThanOrEqual(390);
    }
    await page.goto(`${certificates[0]!.url}?lang=kk`);
    await screenshot(page, "certificate-genuine-390");
    await context.clearCookies();
    await page.close();
  });

  it("issue 16: a revoked certificate has its own banner (not a forgery's red) with the word, the date and the reason, in kk, ru and en; the browser still finds the signature genuine", async () => {
    const revoke = await senim.call("POST", `/api/certificates/${certificates[1]!.id}/revocation`, { token: provider.token, body: { reason: "Қате қатысушыға берілген" } });
    expect(revoke.status).toBe(201);
    const day = new Date(Date.parse(revoke.body.revokedAt) + 5 * 3_600_000).toISOString().slice(0, 10); // as read in Kazakhstan
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    const words = { kk: ["Кері қайтарылды", "Кері қайтару себебі"], ru: ["Отозван", "Причина отзыва"], en: ["Revoked", "Reason for revocation"] } as const;
    for (const [lang, [word, reasonLabel]] of Object.entries(words)) {
      await page.goto(`${certificates[1]!.url}?lang=${lang}`);
      const banner = page.locator(".verdict");
      expect(await banner.getAttribute("data-verdict")).toBe("revoked");
      expect(await banner.getAttribute("class")).toBe("verdict revoked");
      const text = await banner.innerText();
      expect(text, lang).toContain(word);
      expect(text, lang).not.toMatch(/did not pass verification|тексеруден өтпеді|не прошёл проверку/);
      expect(await banner.locator('[data-verdict-part="revoked-on"]').innerText(), lang).toContain(day);
      expect(await banner.locator('[data-verdict-part="reason"]').innerText(), lang).toBe(`${reasonLabel}: Қате қатысушыға берілген`);
      expect(await banner.locator("h1 .verdict-mark").innerText()).toBe("⊘"); // not the forgery's ✘
      // Its own colour: dark orange, not the forgery red.
      expect(await banner.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe("rgb(154, 74, 0)");
      const box = (await banner.boundingBox())!;
      expect(box.y + box.height, lang).toBeLessThanOrEqual(844);
      // The checks stay below: the status check is the failed one, in red.
      const status = page.locator('[data-check="status"]');
      expect(await status.getAttribute("data-outcome")).toBe("failed");
      expect(await status.evaluate((e) => getComputedStyle(e.querySelector(".outcome")!).color)).toBe("rgb(163, 18, 27)");
    }
    expect(await page.locator('[data-check="status"]').innerText()).toMatch(/failed[\s\S]*revoked/);
    await expect.poll(() => page.getAttribute("[data-browser-outcome]", "data-browser-outcome"), { timeout: 10_000 }).toBe("passed");
    // No green box competes with the banner: a passed check under it is marked, not filled green.
    expect(await page.locator("[data-browser-outcome]").evaluate((e) => getComputedStyle(e).backgroundColor)).toBe("rgb(246, 246, 246)");
    expect(await page.locator('[data-check="signature"]').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe("rgb(246, 246, 246)");
    await screenshot(page, "certificate-revoked-phone");
    await context.clearCookies();
    await page.close();
  });

  it("issue 16: a forged credential pasted into /verify shows the red banner with its first failed check in words", async () => {
    const jwt = (await senim.call("GET", `/c/${certificates[0]!.id}/credential.jwt`)).text;
    const [h, p, sig] = jwt.split(".");
    const payload = JSON.parse(Buffer.from(p!, "base64url").toString());
    payload.credentialSubject.achievement.name = "Forged topic";
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${sig}`;
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    const texts = { kk: ["Сертификат тексеруден өтпеді", "Өтпеген алғашқы тексеру"], ru: ["Сертификат не прошёл проверку", "Первая непройденная проверка"], en: ["This certificate did not pass verification", "First failed check"] } as const;
    for (const [lang, [title, firstFailed]] of Object.entries(texts)) {
      await page.goto(`${senim.origin}/verify?lang=${lang}`);
      await page.locator("#verify-text").fill(forged);
      await page.locator('#verify-form button[type="submit"]').click();
      await page.waitForURL(`${senim.origin}/verify`);
      const banner = page.locator(".verdict");
      expect(await banner.getAttribute("data-verdict")).toBe("not-genuine");
      expect(await banner.getAttribute("class")).toBe("verdict bad");
      expect(await banner.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe("rgb(163, 18, 27)"); // red
      expect(await banner.locator("h1").innerText()).toContain(title);
      const failed = await banner.locator('[data-verdict-part="first-failed"]').innerText();
      // The first failed check is the signature (the format holds), named and explained in the page's language.
      expect(failed, lang).toContain(`${firstFailed}: ${(await page.locator('[data-check="signature"] strong').innerText())}`);
      expect(await page.locator('[data-check="signature"]').getAttribute("data-outcome")).toBe("failed");
      expect(await page.locator('[data-check="format"]').getAttribute("data-outcome")).toBe("passed");
      // A forgery's claims are not repeated in the banner as if someone vouched for them.
      expect(await banner.innerText()).not.toContain("Forged topic");
      expect(await banner.locator("[data-verdict-fact]").count()).toBe(0);
    }
    await screenshot(page, "verify-forged-phone");
    await context.clearCookies();
    await page.close();
  });

  it("switches language with the visible switch and remembers the choice on the next page", async () => {
    await context.clearCookies();
    const page = await context.newPage();
    await page.goto(certificates[0]!.url); // Accept-Language kk-KZ
    expect(await page.getAttribute("html", "lang")).toBe("kk");
    await page.getByRole("link", { name: "Русский" }).click();
    await page.waitForURL(/lang=ru/);
    expect(await page.getAttribute("html", "lang")).toBe("ru");
    expect(await page.locator(".verdict h1").innerText()).toContain("Сертификат подлинный");
    await page.goto(`${senim.origin}/registry`); // no ?lang: the cookie remembers
    expect(await page.getAttribute("html", "lang")).toBe("ru");
    expect(await page.locator("h1").innerText()).toBe("Реестр аккредитованных провайдеров");
    await page.getByRole("link", { name: "English" }).click();
    await page.goto(`${senim.origin}/verify`);
    expect(await page.locator("h1").innerText()).toBe("Verify a certificate");
    await context.clearCookies();
    await page.close();
  });

  it("the registry, search and provider pages at phone and desktop sizes", async () => {
    const page = await context.newPage();
    await page.goto(`${senim.origin}/registry?lang=en`);
    await page.getByLabel("Provider's name (across all bars)").fill(provider.party.name.slice(0, 8).toLowerCase());
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/\/search\?q=/);
    await page.getByRole("link", { name: provider.party.name }).click();
    await page.waitForURL(`${senim.origin}/providers/${provider.party.id}`);
    expect(await page.locator("h1").innerText()).toBe(provider.party.name);
    expect(await page.locator("tr[data-state]").getAttribute("data-state")).toBe("active");
    for (const [size, name] of [[PHONE, "phone"], [DESKTOP, "desktop"]] as const) {
      await page.setViewportSize(size);
      await screenshot(page, `provider-${name}`);
      await page.goto(`${senim.origin}/registry/almaty-city?lang=en`);
      await screenshot(page, `registry-${name}`);
      await page.goto(`${senim.origin}/verify?lang=en`);
      await screenshot(page, `verify-${name}`);
      await page.goto(`${senim.origin}/providers/${provider.party.id}?lang=en`);
    }
    await context.clearCookies();
    await page.close();
  });

  it("accessibility and lightness: 200 % zoom without sideways scrolling, AA contrast, labelled fields, only Senim's own hosts", async () => {
    const page = await context.newPage();
    const hosts = new Set<string>();
    page.on("request", (r) => hosts.add(new URL(r.url()).origin));
    // 200 % zoom of a 1280 × 900 desktop window is a 640 × 450 CSS-pixel viewport.
    await page.setViewportSize({ width: 640, height: 450 });
    const paths = [`/c/${certificates[0]!.id}`, "/registry", "/registry/almaty-city", `/providers/${provider.party.id}`, "/verify", "/search?q=a", "/console/sign-in"];
    for (const path of paths) {
      await page.goto(`${senim.origin}${path}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(640);
      await page.setViewportSize(PHONE); // and on a cheap phone
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${path} on a phone`).toBeLessThanOrEqual(PHONE.width);
      await page.setViewportSize({ width: 640, height: 450 });
      expect(await a11yProblems(page), path).toEqual([]);
    }
    expect([...hosts]).toEqual([senim.origin]);
    await page.close();
  });

  it("the browser's check is its own: an altered credential fails in red, and a browser without Ed25519 says it could not check", async () => {
    const url = `${certificates[0]!.url}?lang=en`;
    // The server's page is intact, but what the browser fetches has a different topic under the same signature.
    const altered = await context.newPage();
    await altered.route("**/credential.jwt", async (route) => {
      const jwt = await (await route.fetch()).text();
      const [h, p, sig] = jwt.split(".");
      const payload = JSON.parse(Buffer.from(p!, "base64url").toString());
      payload.name = "Altered";
      await route.fulfill({ body: `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${sig}`, contentType: "application/vc+jwt" });
    });
    await altered.goto(url);
    await expect.poll(() => altered.getAttribute("[data-browser-outcome]", "data-browser-outcome"), { timeout: 10_000 }).toBe("failed");
    expect(await altered.locator("[data-browser-outcome]").innerText()).toContain("failed");
    await altered.close();

    const old = await context.newPage();
    await old.addInitScript(() => {
      const importKey = crypto.subtle.importKey.bind(crypto.subtle) as (...args: unknown[]) => Promise<CryptoKey>;
      // An older browser: WebCrypto without Ed25519.
      (crypto.subtle as any).importKey = (format: any, key: any, alg: any, ...rest: any[]) =>
        (alg?.name ?? alg) === "Ed25519" ? Promise.reject(new DOMException("Algorithm: Unrecognized name", "NotSupportedError")) : importKey(format, key, alg, ...rest);
    });
    await old.goto(url);
    await expect.poll(() => old.getAttribute("[data-browser-outcome]", "data-browser-outcome"), { timeout: 10_000 }).toBe("not-checked");
    expect(await old.locator("[data-browser-outcome]").innerText()).toMatch(/could not check[\s\S]*does not support Ed25519/);
    expect(await old.locator("[data-browser-outcome]").evaluate((e) => getComputedStyle(e).borderLeftColor)).toBe("rgb(107, 107, 107)"); // grey
    await old.close();
  });
});

describe("issue 16: the printed number in /verify, in Chromium", () => {
  it("on a 390×844 phone in kk, the number read off the certificate page and typed lowercased with spaces opens the page with the green banner; a mistyped one is said so in kk", async () => {
    await context.clearCookies();
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${certificates[0]!.url}?lang=kk`);
    const printed = (await page.locator("[data-certificate-number]").first().innerText()).trim();
    expect(printed).toMatch(/^KZ-\d{2}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    // As a clerk copies it off paper: lower case, spaces for dashes.
    const typed = printed.toLowerCase().replace(/-/g, " ");
    await page.goto(`${senim.origin}/verify?lang=kk`);
    await page.locator("#verify-text").pressSequentially(typed);
    await page.locator('#verify-form button[type="submit"]').click();
    await page.waitForURL(`${senim.origin}/c/${certificates[0]!.id}`);
    expect(await page.getAttribute("html", "lang")).toBe("kk");
    const banner = page.locator(".verdict");
    expect(await banner.getAttribute("data-verdict")).toBe("genuine");
    expect(await banner.getAttribute("class")).toBe("verdict ok");
    expect(await banner.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe("rgb(10, 107, 45)"); // green
    expect(await banner.locator("h1").innerText()).toContain("Сертификат түпнұсқа");
    expect((await page.locator("[data-certificate-number]").first().innerText()).trim()).toBe(printed);

    // The same number with its check character changed: refused before any lookup, in Kazakh, the text kept.
    const body = printed.slice(6).replace("-", "");
    const mistyped = `${printed.slice(0, 6)}${body.slice(0, 4)} ${body.slice(4, 7)}${body[7] === "0" ? "1" : "0"}`.toLowerCase();
    await page.goto(`${senim.origin}/verify`);
    await page.locator("#verify-text").pressSequentially(mistyped);
    await page.locator('#verify-form button[type="submit"]').click();
    await page.waitForURL(`${senim.origin}/verify`);
    const alert = page.locator(".notice.error[role=alert]");
    expect(await alert.innerText()).toBe(fillTemplate(kk.certificateNumber.mistyped, { number: mistyped }));
    expect(await page.locator("#verify-text").inputValue()).toBe(mistyped);
    expect(await page.locator(".verdict").count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, "verify-number-mistyped-390");
    await context.clearCookies();
    await page.close();
  });
});
