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
    expect(budget.urls()).toEqual([`${senim.origin}/js/certificate.js`]);
    expect(budget.total()).toBeLessThan(100 * 1024);
    await screenshot(page, "certificate-phone");
    await page.setViewportSize(DESKTOP);
    await screenshot(page, "certificate-desktop");
    await page.close();
  });

  it("a revoked certificate shows the failed check in red with its reason; the browser still finds the signature genuine", async () => {
    const revoke = await senim.call("POST", `/api/certificates/${certificates[1]!.id}/revocation`, { token: provider.token, body: { reason: "Қате қатысушыға берілген" } });
    expect(revoke.status).toBe(201);
    const page = await context.newPage();
    await page.goto(`${certificates[1]!.url}?lang=en`);
    expect(await page.locator(".verdict h1").innerText()).toContain("did not pass verification");
    const status = page.locator('[data-check="status"]');
    expect(await status.getAttribute("data-outcome")).toBe("failed");
    expect(await status.innerText()).toMatch(/failed[\s\S]*revoked/);
    expect(await status.evaluate((e) => getComputedStyle(e.querySelector(".outcome")!).color)).toBe("rgb(163, 18, 27)");
    expect(await page.locator(".revoked").innerText()).toContain("Қате қатысушыға берілген");
    await expect.poll(() => page.getAttribute("[data-browser-outcome]", "data-browser-outcome"), { timeout: 10_000 }).toBe("passed");
    await screenshot(page, "certificate-revoked-phone");
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
