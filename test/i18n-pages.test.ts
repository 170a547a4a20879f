/**
 * Issue 16: every page, in Kazakh and in Russian, without one English sentence or an untranslated key — the public
 * pages, a certificate in each of its states, /verify's answers, the advocate's sign-in, and every console page a
 * provider, a bar's admin and the RBA's admin open. Proper names stay as they are (the allow-list below).
 */
import { beforeAll, afterAll, describe, expect, it } from "vitest";
import { accreditedProvider, eventWithParticipants, issued, membersCsv, startSenim, type TestSenim } from "./helpers.js";
import { englishSentences, untranslatedKeys } from "./english-text.js";
import { consoleBrowser } from "./console-browser.js";

/** Names that are English by nature: the test provider's name and the wallet and network names people know. */
const ALLOWED = ["Test Training Centre", "LinkedIn", "Google Play", "App Store"];

let s: TestSenim;
let certificateId: string;
let revokedId: string;
let eventId: string;
let providerId: string;
let keys: { provider: string; bar: string; admin: string };
const browser = () => consoleBrowser(s.app);


beforeAll(async () => {
  s = await startSenim();
  const { provider, certificates } = await issued(s, 3);
  providerId = provider.party.id;
  certificateId = certificates[0]!.id;
  revokedId = certificates[1]!.id;
  const revoked = await s.call("POST", `/api/certificates/${revokedId}/revocation`, { token: provider.token, body: { reason: "Қате тыңдаушы" } });
  if (revoked.status >= 300) throw new Error(`revoke: ${revoked.status} ${revoked.text}`);
  eventId = (await eventWithParticipants(s, provider.token, { n: 2 })).id;
  const bar = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "clerk" } })).body.token as string;
  keys = { provider: provider.token, bar, admin: s.adminToken };
  const clerk = browser();
  await clerk.signIn(bar);
  await clerk.post("/console/members/import", { csv: membersCsv(3) });
  await accreditedProvider(s, { name: "Екінші оқу орталығы" });
});
afterAll(async () => s.close());

const PUBLIC_PAGES = [
  "/",
  "/registry",
  "/registry/almaty-city",
  "/registry/almaty-city/events",
  () => `/providers/${providerId}`,
  "/search?q=Test",
  "/verify",
  () => `/verify?q=${encodeURIComponent(certificateId)}`,
  "/verify?q=KZ-26-0000-0000",
  "/events",
  () => `/c/${certificateId}`,
  () => `/c/${revokedId}`,
  "/c/0000000000000000",
  "/no-such-page",
  "/me",
] as const;

const CONSOLE_PAGES = {
  provider: ["/console", () => `/console/events/${eventId}`, () => `/console/certificates/${revokedId}/revoke`, () => `/console/certificates/${certificateId}/revoke`],
  bar: ["/console", "/console/members", "/console/policy", "/console/compliance", "/console/compliance?only=short", "/console/analysis", "/console/submissions", "/console/reminders", "/console/surveys", "/console/participant-lists"],
  admin: ["/console"],
} as const;

const resolve = (p: string | (() => string)) => (typeof p === "function" ? p() : p);
const withLang = (path: string, lang: string) => `${path}${path.includes("?") ? "&" : "?"}lang=${lang}`;

describe.each(["kk", "ru"] as const)("issue 16: no English sentence and no untranslated key, in %s", (lang) => {
  it("on every public page, each certificate state, /verify's answers, the 404 pages and the advocate's sign-in", async () => {
    const b = browser();
    for (const p of PUBLIC_PAGES) {
      const path = withLang(resolve(p), lang);
      const page = await b.open(path);
      expect(page.status, path).toBeLessThan(500);
      expect(page.text, path).toContain(`<html lang="${lang}"`);
      expect(englishSentences(page.text, ALLOWED), path).toEqual([]);
      expect(untranslatedKeys(page.text), path).toEqual([]);
    }
  });

  for (const role of ["provider", "bar", "admin"] as const) {
    it(`on every console page of the ${role}`, async () => {
      const b = browser();
      await b.signIn(keys[role]);
      for (const p of CONSOLE_PAGES[role]) {
        const path = withLang(resolve(p), lang);
        const page = await b.open(path);
        expect(page.status, path).toBe(200);
        expect(englishSentences(page.text, ALLOWED), path).toEqual([]);
        expect(untranslatedKeys(page.text), path).toEqual([]);
      }
    });
  }
});
