/**
 * Issue 17: /verify works offline once loaded. Chromium opens /verify online (kk and ru), its service worker keeps
 * the page, the RBA-signed trust list with the RBA's DID document, the certificates opened and their status lists;
 * then the network is cut and the page, reloaded from the cache, checks pasted and scanned certificates in the
 * browser: genuine (with the lists' age), tampered, revoked before going offline, from a provider the cached list
 * does not name, a certificate's link pasted or scanned by the camera (its kept credential), a link of a certificate
 * never opened here, a trust list past its validUntil — and, last, with the server itself gone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { launchChromium, screenshot, startLiveSenim, type LiveSenim } from "./harness.js";
import { qrVideo } from "./qr-video.js";
import { issued } from "../helpers.js";
import { kk } from "../../src/http/i18n/kk.js";
import { ru } from "../../src/http/i18n/ru.js";
import { fillTemplate } from "../../src/lib/csv.js";

let senim: LiveSenim;
let stopSenim: (() => Promise<void>) | undefined;
let context: BrowserContext;
let closeBrowser: () => Promise<void>;
let page: Page;
/** The certificates' credentials as pasted: genuine, altered, revoked while online, from a provider the kept list does not name. */
const jwts = { genuine: "", tampered: "", revoked: "", unknown: "" };
let certs: { genuine: Cert; revoked: Cert; unopened: Cert };
let revokerToken = "";
let participant = "";
type Cert = { id: string; url: string };

/** What the service worker has kept, by path and query. */
const kept = (p: Page) =>
  p.evaluate(async () => (await (await caches.open("senim-offline-v1")).keys()).map((r) => new URL(r.url).pathname + new URL(r.url).search));
/** The text of what it kept at `path`. */
const keptText = (p: Page, path: string) => p.evaluate(async (x) => (await (await caches.open("senim-offline-v1")).match(x))?.text() ?? null, path);

async function paste(p: Page, text: string) {
  await p.locator("#verify-text").fill(text);
  await p.locator('#verify-form button[type="submit"]').click();
  // The script removes the last result as the form is sent, so this is the new one.
  const result = p.locator("#offline-result");
  await result.waitFor();
  return result;
}

beforeAll(async () => {
  ({ senim, stop: stopSenim } = await startLiveSenim({ now: "system" }));
  const { provider, certificates } = await issued(senim, 3);
  const [genuine, revoked, unopened] = certificates.map((c) => ({ id: c.id, url: c.url }));
  certs = { genuine: genuine!, revoked: revoked!, unopened: unopened! };
  // The fake camera shows the genuine certificate's QR code (its link, as printed).
  const video = join(senim.dir, "qr.y4m");
  writeFileSync(video, qrVideo(new Uint8Array(await (await fetch(`${genuine!.url}/qr.png`)).arrayBuffer())));
  ({ context, close: closeBrowser } = await launchChromium(["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-video-capture=${video}`]));
  await context.grantPermissions(["camera"], { origin: senim.origin });
  revokerToken = provider.token;
  jwts.genuine = (await senim.call("GET", `/c/${genuine!.id}/credential.jwt`)).text;
  jwts.revoked = (await senim.call("GET", `/c/${revoked!.id}/credential.jwt`)).text;
  const [h, p, sig] = jwts.genuine.split(".");
  const claims = JSON.parse(Buffer.from(p!, "base64url").toString());
  participant = claims.credentialSubject.identifier.find((i: { identityType: string }) => i.identityType === "name").identityHash;
  claims.credentialSubject.achievement.academicHours = 80;
  jwts.tampered = `${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${sig}`;
});

afterAll(async () => {
  await closeBrowser?.();
  await stopSenim?.();
});

describe("issue 17: /verify offline in Chromium, against the cached trust list and status lists", () => {
  it("online: the worker keeps /verify in kk and ru, the trust list, the RBA's DID document, the certificates opened and their status lists, refreshed on each visit", async () => {
    page = await context.newPage();
    await page.goto(`${senim.origin}/verify?lang=ru`);
    await page.evaluate(async () => void (await navigator.serviceWorker.ready));
    await page.goto(`${senim.origin}/verify?lang=kk`);
    await expect.poll(() => kept(page), { timeout: 10_000 }).toEqual(expect.arrayContaining(["/verify?lang=kk", "/verify?lang=ru", "/trust-list", "/bars/rba/did.json", "/styles.css", "/js/offline-verify.js", "/js/offline-check.js", "/js/scan.js", "/js/qr-decoder.js"]));
    // Two certificates opened online: each page's own check fetches its credential, which the worker keeps with its status list.
    for (const c of [certs.genuine, certs.revoked]) {
      const certificate = await context.newPage();
      await certificate.goto(c.url);
      await expect.poll(() => certificate.getAttribute("[data-browser-outcome]", "data-browser-outcome"), { timeout: 10_000 }).toBe("passed");
      await certificate.close();
    }
    const statusPath = new URL(JSON.parse(Buffer.from(jwts.genuine.split(".")[1]!, "base64url").toString()).credentialStatus.statusListCredential).pathname;
    await expect.poll(() => kept(page)).toEqual(expect.arrayContaining([`/c/${certs.genuine.id}/credential.jwt`, `/c/${certs.revoked.id}/credential.jwt`, statusPath]));
    // Revoked while online; the next visit to /verify refreshes the kept status list.
    const before = await keptText(page, statusPath);
    expect((await senim.call("POST", `/api/certificates/${certs.revoked.id}/revocation`, { token: revokerToken, body: { reason: "Қате қатысушыға берілген" } })).status).toBe(201);
    await page.goto(`${senim.origin}/verify?lang=kk`);
    await expect.poll(() => keptText(page, statusPath), { timeout: 10_000 }).not.toBe(before);
    // A provider accredited after the list was kept (no visit to /verify since): the kept list does not name it.
    const other = await issued(senim, 1);
    jwts.unknown = (await senim.call("GET", `/c/${other.certificates[0]!.id}/credential.jwt`)).text;
    await context.setOffline(true);
  }, 60_000);

  it("reloads from the service worker's cache with the network cut", async () => {
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    const res = await page.reload();
    expect(res?.fromServiceWorker()).toBe(true);
    // The kept copy, not the network's answer passed through: only kept copies carry the moment they were fetched.
    expect(Date.parse((await res!.allHeaders())["senim-cached-at"]!)).toBeLessThanOrEqual(Date.now());
    expect(await page.locator("html").getAttribute("lang")).toBe("kk");
    expect(await page.locator("#verify-form").isVisible()).toBe(true);
  });

  it("a genuine certificate's JWT: the genuine banner with whose and how many hours, and how old the lists are", async () => {
    const banner = await paste(page, jwts.genuine);
    expect(await banner.getAttribute("data-verdict")).toBe("genuine");
    expect(await banner.getAttribute("class")).toBe("verdict ok");
    expect(await banner.locator("h1").innerText()).toContain(kk.common.genuine);
    expect(await banner.locator('[data-verdict-fact="participant"]').innerText()).toBe(participant);
    expect(await banner.locator('[data-verdict-fact="hours"]').innerText()).toBe("8,0");
    const age = fillTemplate(kk.offlineVerify.listsAge, { trust: kk.offlineVerify.ageNow, status: kk.offlineVerify.ageNow });
    expect(await banner.locator('[data-verdict-part="lists-age"]').innerText()).toBe(age);
    expect(await banner.locator('[data-verdict-part="trust-list-expired"]').count()).toBe(0);
    await screenshot(page, "offline-verify-genuine-kk");
  });

  it("a tampered one is not genuine: the signature does not match", async () => {
    const banner = await paste(page, jwts.tampered);
    expect(await banner.getAttribute("data-verdict")).toBe("not-genuine");
    expect(await banner.getAttribute("class")).toBe("verdict bad");
    expect(await banner.locator("h1").innerText()).toContain(kk.common.notGenuine);
    expect(await banner.locator('[data-verdict-part="first-failed"]').innerText()).toBe(`${kk.verdict.firstFailed}: ${kk.offlineVerify.badSignature}`);
    expect(await banner.locator("[data-verdict-fact]").count()).toBe(0);
  });

  it("a certificate revoked before going offline reads revoked from the refreshed status list", async () => {
    const banner = await paste(page, jwts.revoked);
    expect(await banner.getAttribute("data-verdict")).toBe("revoked");
    expect(await banner.locator("h1").innerText()).toContain(kk.verdict.revoked);
    expect(await banner.locator('[data-verdict-part="revoked-on"]').innerText()).toBe(kk.verdict.revokedNoDate);
  });

  it("a provider the cached trust list does not name: not genuine, and why", async () => {
    const banner = await paste(page, jwts.unknown);
    expect(await banner.getAttribute("data-verdict")).toBe("not-genuine");
    expect(await banner.locator('[data-verdict-part="first-failed"]').innerText()).toBe(`${kk.verdict.firstFailed}: ${kk.offlineVerify.unknownKey}`);
  });

  it("a certificate's link (what its QR code holds) checks the credential kept when it was opened; one never opened here says so", async () => {
    const banner = await paste(page, certs.genuine.url);
    expect(await banner.getAttribute("data-verdict")).toBe("genuine");
    const notice = await paste(page, certs.unopened.url);
    expect(await notice.getAttribute("data-offline-notice")).toBe("");
    expect(await notice.innerText()).toBe(kk.offlineVerify.notCached);
    expect(await (await paste(page, "not a certificate")).innerText()).toBe(kk.offlineVerify.cannotOffline);
  });

  it("the certificate's link opened without a connection (a phone's camera app) gets /verify checking it", async () => {
    const opened = await context.newPage();
    const res = await opened.goto(`${certs.genuine.url}?lang=ru`);
    expect(res?.fromServiceWorker()).toBe(true);
    expect(await opened.locator("#verify-text").inputValue()).toBe(certs.genuine.url);
    await expect.poll(() => opened.locator("#offline-result").getAttribute("data-verdict").catch(() => null)).toBe("genuine");
    expect(await opened.locator("#offline-result h1").innerText()).toContain(ru.common.genuine);
    await opened.close();
  });

  it("a scanned QR code (the certificate's link) is checked offline from the credential kept when it was opened", async () => {
    const scan = await context.newPage();
    await scan.goto(`${senim.origin}/verify?lang=kk`);
    await scan.locator("#scan-start").click();
    // The camera's reader (qr-decoder.js where BarcodeDetector is missing) comes from the cache too.
    const banner = scan.locator("#offline-result");
    await expect.poll(() => banner.getAttribute("data-verdict").catch(() => null), { timeout: 15_000 }).toBe("genuine");
    expect(await scan.locator("#scan").getAttribute("data-found")).toBe(certs.genuine.url);
    expect(scan.url()).toBe(`${senim.origin}/verify?lang=kk`);
    await scan.close();
  });

  it("in Russian: the page from the cache, the verdict and the lists' age in Russian", async () => {
    const ruPage = await context.newPage();
    const res = await ruPage.goto(`${senim.origin}/verify?lang=ru`);
    expect(res?.fromServiceWorker()).toBe(true);
    expect(await ruPage.locator("html").getAttribute("lang")).toBe("ru");
    const banner = await paste(ruPage, jwts.genuine);
    expect(await banner.getAttribute("data-verdict")).toBe("genuine");
    expect(await banner.locator("h1").innerText()).toContain(ru.common.genuine);
    expect(await banner.locator('[data-verdict-part="lists-age"]').innerText()).toBe(fillTemplate(ru.offlineVerify.listsAge, { trust: ru.offlineVerify.ageNow, status: ru.offlineVerify.ageNow }));
    const revoked = await paste(ruPage, jwts.revoked);
    expect(await revoked.locator("h1").innerText()).toContain(ru.verdict.revoked);
    await screenshot(ruPage, "offline-verify-revoked-ru");
    await ruPage.close();
  });

  it("eight days later the cached trust list has passed its validUntil: the banner warns, and says the lists' age in days", async () => {
    const later = await context.newPage();
    const list = JSON.parse(Buffer.from((await keptText(page, "/trust-list"))!.split(".")[1]!, "base64url").toString());
    await later.clock.setFixedTime(new Date(Date.now() + 8 * 86_400_000));
    await later.goto(`${senim.origin}/verify?lang=kk`);
    const banner = await paste(later, jwts.genuine);
    const date = new Date(Date.parse(list.validUntil) + 5 * 3_600_000).toISOString().slice(0, 10);
    expect(await banner.locator('[data-verdict-part="trust-list-expired"]').innerText()).toBe(fillTemplate(kk.offlineVerify.trustListExpired, { date }));
    const days = fillTemplate(kk.offlineVerify.ageDays, { n: "8" });
    expect(await banner.locator('[data-verdict-part="lists-age"]').innerText()).toBe(fillTemplate(kk.offlineVerify.listsAge, { trust: days, status: days }));
    await later.close();
  });

  it("a kept trust list altered in the browser's storage fails the RBA's signature: could not check, never genuine", async () => {
    const original = (await keptText(page, "/trust-list"))!;
    const alter = (jwt: string) =>
      page.evaluate(async (text) => {
        const cache = await caches.open("senim-offline-v1");
        const at = (await cache.match("/trust-list"))!.headers.get("Senim-Cached-At")!;
        await cache.put("/trust-list", new Response(text, { headers: { "Content-Type": "application/vc+jwt", "Senim-Cached-At": at } }));
      }, jwt);
    const [h, p, sig] = original.split(".");
    const list = JSON.parse(Buffer.from(p!, "base64url").toString());
    list.validUntil = "2099-01-01T00:00:00.000Z";
    await alter(`${h}.${Buffer.from(JSON.stringify(list)).toString("base64url")}.${sig}`);
    const banner = await paste(page, jwts.genuine);
    expect(await banner.getAttribute("data-verdict")).toBe("unchecked");
    expect(await banner.locator('[data-verdict-part="not-checked"]').innerText()).toBe(`${kk.verdict.notChecked}: ${kk.offlineVerify.trustListInvalid}`);
    await alter(original);
    expect(await (await paste(page, jwts.genuine)).getAttribute("data-verdict")).toBe("genuine");
  });

  it("with the server itself gone, the page still loads and verifies", async () => {
    await stopSenim!();
    stopSenim = undefined;
    await context.setOffline(false); // nothing answers on the port now: a failed connection, not the browser's offline flag
    const gone = await context.newPage();
    const res = await gone.goto(`${senim.origin}/verify?lang=kk`);
    expect(res?.fromServiceWorker()).toBe(true);
    expect((await res!.allHeaders())["senim-cached-at"]).toBeTruthy();
    // navigator.onLine is true, so the form posts; the worker's POST fails and it answers with the page, which checks it.
    await gone.locator("#verify-text").fill(jwts.genuine);
    await gone.locator('#verify-form button[type="submit"]').click();
    await expect.poll(() => gone.locator("#offline-result").getAttribute("data-verdict"), { timeout: 10_000 }).toBe("genuine");
    await gone.close();
  });
});
