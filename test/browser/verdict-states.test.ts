/**
 * Issue 16, "four states, one glance": every state of a certificate in Chromium, in Kazakh and Russian, on a
 * 390×844 phone and a 1280×800 desktop — genuine, revoked, not genuine, could not check, expired. Each has its own
 * colour and mark, its word in the banner's heading in the page's language, the whole banner above the fold, and no
 * sideways scroll.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { sql } from "kysely";
import { launchChromium, startLiveSenim, type LiveSenim } from "./harness.js";
import { eventWithParticipants, issued } from "../helpers.js";
import { kk } from "../../src/http/i18n/kk.js";
import { ru } from "../../src/http/i18n/ru.js";

const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } } as const;
const CATALOGUES = { kk, ru } as const;

let senim: LiveSenim;
let stopSenim: () => Promise<void>;
let context: BrowserContext;
let closeBrowser: () => Promise<void>;
/** How each state is opened: a certificate's page, or /verify with a pasted credential. */
const open: Record<string, (page: Page, lang: "kk" | "ru") => Promise<void>> = {};

beforeAll(async () => {
  ({ senim, stop: stopSenim } = await startLiveSenim());
  ({ context, close: closeBrowser } = await launchChromium());
  const { provider, certificates } = await issued(senim, 2);
  const genuine = certificates[0]!;
  const revoked = certificates[1]!;
  const revocation = await senim.call("POST", `/api/certificates/${revoked.id}/revocation`, { token: provider.token, body: { reason: "Қате қатысушыға берілген" } });
  expect(revocation.status).toBe(201);
  // Could not check: a certificate whose revocation list cannot be read (its own provider's list, shrunk to nothing).
  const { certificates: [unreadable] } = await issued(senim, 1);
  await sql`UPDATE status_lists SET size = 0 WHERE id = (SELECT status_list_id FROM certificates WHERE id = ${unreadable!.id})`.execute(senim.db);
  // Expired: valid until 2026-12-31, read after the clock has passed it (the service's clock, not the browser's).
  const event = await eventWithParticipants(senim, provider.token, { n: 1, certificatesValidUntil: "2026-12-31" });
  const expiring = (await senim.call("POST", `/api/events/${event.id}/certificates`, { token: provider.token })).body.certificates[0] as { id: string; url: string };
  // Not genuine: the genuine credential with its topic changed under the same signature.
  const jwt = (await senim.call("GET", `/c/${genuine.id}/credential.jwt`)).text;
  const [h, p, sig] = jwt.split(".");
  const claims = JSON.parse(Buffer.from(p!, "base64url").toString());
  claims.credentialSubject.achievement.name = "Жалған тақырып";
  const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${sig}`;

  const certificatePage = (url: string) => async (page: Page, lang: string) => void (await page.goto(`${url}?lang=${lang}`));
  open.genuine = certificatePage(genuine.url);
  open.revoked = certificatePage(revoked.url);
  open.unchecked = certificatePage(unreadable!.url);
  open.expired = certificatePage(`${senim.origin}/c/${expiring.id}`);
  open["not-genuine"] = async (page, lang) => {
    await page.goto(`${senim.origin}/verify?lang=${lang}`);
    await page.locator("#verify-text").fill(forged);
    await page.locator('#verify-form button[type="submit"]').click();
    await page.waitForURL(`${senim.origin}/verify`);
  };
});
afterAll(async () => {
  await closeBrowser?.();
  await stopSenim?.();
});

/** The heading each state's banner says, from the page's own catalogue. */
const WORDS = (lang: "kk" | "ru") => {
  const c = CATALOGUES[lang];
  return { genuine: c.common.genuine, revoked: c.verdict.revoked, "not-genuine": c.common.notGenuine, unchecked: c.verdict.unchecked, expired: c.verdict.expired };
};

describe("issue 16: each state of a certificate at one glance, in kk and ru, on a phone and a desktop", () => {
  const seen = new Map<string, string>();
  for (const state of ["genuine", "revoked", "not-genuine", "unchecked", "expired"] as const) {
    it(state, async () => {
      if (state === "expired") senim.clock.set("2027-01-02T00:00:00Z"); // last: the clock only moves forward
      for (const lang of ["kk", "ru"] as const) {
        for (const [sizeName, size] of Object.entries(SIZES)) {
          const page = await context.newPage();
          await page.setViewportSize(size);
          await open[state]!(page, lang);
          const where = `${state} ${lang} ${sizeName}`;
          const banner = page.locator("section.verdict");
          expect(await banner.getAttribute("data-verdict"), where).toBe(state);
          expect(await banner.locator("h1").innerText(), where).toContain(WORDS(lang)[state]);
          const box = (await banner.boundingBox())!;
          expect(box.y + box.height, `${where}: the whole banner above the fold`).toBeLessThanOrEqual(size.height);
          expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${where}: no sideways scroll`).toBe(true);
          seen.set(state, await banner.evaluate((e) => getComputedStyle(e).backgroundColor));
          await page.close();
        }
      }
      // Its own colour: no two states share one.
      const colours = [...seen.values()];
      expect(new Set(colours).size, JSON.stringify(Object.fromEntries(seen))).toBe(colours.length);
    });
  }
});
