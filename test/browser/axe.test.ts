/**
 * Issue 16: axe-core (the accessibility engine browsers' own audits use) on every HTML page the service renders —
 * public pages, the advocate's record, the provider's, the bar's and the RBA admin's consoles — in Chromium on a
 * 390×844 phone, in kk, ru and en. Any violation of any impact fails, and so does a page that scrolls sideways. The
 * three the issue found stay fixed among them: the 10.2 Foundations <select> is labelled, the accreditation history
 * scrolls by keyboard, /registry/{bar} has no heading jump.
 */
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { certificateMessageComposer } from "../../src/http/certificate-mail.js";
import { loadNodeFonts } from "../../src/runtime/fonts.js";
import { smtpTransport } from "../../src/runtime/mail-smtp.js";
import { startLoopbackSmtp, type LoopbackSmtp } from "../delivery-helpers.js";
import { launchChromium, startLiveSenim, type LiveSenim } from "./harness.js";
import { eventWithParticipants, issued } from "../helpers.js";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
/** The phone the issue was tried on. */
const PHONE_390 = { width: 390, height: 844 };
const BAR = "almaty-city";
/** A participant of the issued event (test/helpers.ts participants()), registered as a member with an e-mail. */
const LICENCE = "100000";
const EMAIL = "p0@example.kz";

let senim: LiveSenim;
let stopSenim: () => Promise<void>;
let smtp: LoopbackSmtp;
let transport: ReturnType<typeof smtpTransport>;
let context: BrowserContext;
let closeBrowser: () => Promise<void>;
let page: Page;
const keys = { provider: "", bar: "" };
const ids = { provider: "", event: "", genuine: "", revoked: "", announced: "", jwt: "", survey: "", submission: "", presentation: "", attestation: "", expiring: "" };

const drain = () => senim.services.delivery!.drain(transport, certificateMessageComposer(senim.services, loadNodeFonts));

beforeAll(async () => {
  ({ senim, stop: stopSenim } = await startLiveSenim());
  smtp = await startLoopbackSmtp();
  transport = smtpTransport(smtp.url, "Senim <no-reply@senim.test>");
  const { provider, event, certificates } = await issued(senim, 3);
  keys.provider = provider.token;
  ids.provider = provider.party.id;
  ids.event = event.id;
  ids.genuine = certificates[0]!.id;
  ids.revoked = certificates[1]!.id;
  ids.jwt = await (await senim.fetch(`/c/${ids.genuine}/credential.jwt`)).text();
  expect((await senim.call("POST", `/api/certificates/${ids.revoked}/revocation`, { token: provider.token, body: { reason: "Қате қатысушыға берілген" } })).status).toBe(201);
  // A certificate valid to the end of 2026: expired once the clock passes the year's end (below).
  const short = await eventWithParticipants(senim, provider.token, { n: 1, certificatesValidUntil: "2026-12-31" });
  const shortIssued = await senim.call("POST", `/api/events/${short.id}/certificates`, { token: provider.token });
  expect(shortIssued.status, shortIssued.text).toBe(201);
  ids.expiring = shortIssued.body.certificates[0].id;
  // An event announced in the calendar (7.3), after the clock (2026-06-01).
  const future = await senim.call("POST", "/api/events", {
    token: provider.token,
    body: {
      topic: "Медиация негіздері", programme: "criminal", form: "course", deliveryMode: "in-person", place: "Алматы",
      startsAt: "2026-07-15T10:00:00+05:00", endsAt: "2026-07-15T16:00:00+05:00", durationMinutes: 270, trainers: [{ name: "Сейтқали Ә.", field: "Қылмыстық процесс, 15 жыл адвокаттық практика" }],
    },
  });
  expect(future.status, future.text).toBe(201);
  ids.announced = future.body.id;
  const announced = await senim.call("PUT", `/api/events/${ids.announced}/announcement`, { token: provider.token, body: { description: "Дәлелдемелерді жинау, бағалау.", city: "Алматы", venue: "Абай даңғылы 10", fee: { kind: "free" }, seats: 40 } });
  expect(announced.status, announced.text).toBe(200);
  // The bar: its admin's key, members (one with the advocate's e-mail), the year's requirement (8 hours: the advocate's course meets it, so the year's attestation is theirs; 310009 stays short).
  keys.bar = (await senim.call("POST", "/api/api-keys", { token: senim.adminToken, body: { role: "bar-admin", barId: BAR, label: "axe" } })).body.token;
  for (const [licence, fullName, email] of [[LICENCE, "Әлия Құрманова", EMAIL], ["100001", "Болат Серіков", "p1@example.kz"], ["310009", "Данияр Әбілқасымов-Сейітжаппаров", "d@example.kz"]] as const) {
    const member = await senim.call("POST", `/api/bars/${BAR}/members`, { token: keys.bar, body: { licence, fullName, admissionDate: "2012-03-01", email } });
    expect(member.status, member.text).toBeLessThan(300);
  }
  expect((await senim.call("PUT", `/api/bars/${BAR}/policies/2026`, { token: keys.bar, body: { requiredAcademicHours: 8, foundationsRule: { operator: "<", years: 1 }, teachingCreditPercent: 100, prorate: true } })).status).toBe(200);
  // An outside certificate the advocate submitted (2.2(2)), for the bar's review page; a bar's presentation request.
  const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  ids.submission = (await senim.services.submissions!.submitAsAdvocate(BAR, LICENCE, { organiser: "Шетелдік орталық", topic: "Дәлелдемелер", programme: "civil", form: "seminar", completedOn: "2026-04-10", academicHours: 8, attachment: { bytes: PNG } })).id;
  const presentation = await senim.call("POST", "/api/presentation-requests", { token: keys.bar, body: { year: 2026 } });
  expect(presentation.status, presentation.text).toBe(201);
  ids.presentation = presentation.body.id;
  await drain(); // the certificates' own messages, out of the way
  // The certificate's message carries the participant's survey link (it replaces the one the issuing answered with).
  const message = smtp.received.find((m) => (m.to && "text" in m.to ? m.to.text : "").includes(EMAIL) && /\/survey\//.test(m.text || ""))!;
  ids.survey = /\/survey\/([A-Za-z0-9_-]+)/.exec(message.text as string)![1]!;
  ({ context, close: closeBrowser } = await launchChromium([], "en-US"));
  page = await context.newPage();
  await page.setViewportSize(PHONE_390);
}, 60_000);
afterAll(async () => {
  await closeBrowser?.();
  transport?.close();
  await smtp?.close();
  await stopSenim?.();
});

type Violation = { id: string; impact: string; nodes: { target: string[]; summary: string }[] };

/** axe-core's run on the page as loaded (evaluated through the DevTools protocol, which the page's CSP does not cover). */
async function axe(p: Page): Promise<Violation[]> {
  await p.evaluate(AXE_SOURCE);
  const result = await p.evaluate(() =>
    (window as unknown as { axe: { run(o: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[]; failureSummary: string }[] }[] }> } }).axe.run({ resultTypes: ["violations"] }),
  );
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })) }));
}
const describeViolations = (vs: Violation[]) => vs.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => `${n.target.join(" ")} (${n.summary.replace(/\s+/g, " ").slice(0, 160)})`).join(", ")}`).join("\n");

/** What sticks out past the right edge of a phone's viewport, for a readable failure. */
const sideways = (p: Page) =>
  p.evaluate(() => {
    if (document.documentElement.scrollWidth <= window.innerWidth) return [];
    // Inside a region that scrolls (or clips) on its own, a wide table is that region's business, not the page's.
    const clipped = (e: Element) => {
      for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== "visible") return true;
      return false;
    };
    const wide = [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !clipped(e));
    if (wide.length === 0) {
      // Text that runs past its box (a long word) is no element's box: name the element whose text it is.
      const texts: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(n);
        if (range.getBoundingClientRect().right > window.innerWidth + 0.5 && !clipped(n.parentElement!)) texts.push(`text in ${n.parentElement!.tagName.toLowerCase()}: ${n.textContent!.trim().slice(0, 40)}`);
      }
      return texts.length ? texts : [`scrollWidth ${document.documentElement.scrollWidth}`];
    }
    // The outermost ones: an element inside another that sticks out says nothing more.
    return wide.filter((e) => !wide.some((o) => o !== e && o.contains(e))).map((e) => `${e.tagName.toLowerCase()}${e.className ? "." + String(e.className).replace(/ /g, ".") : ""} right=${Math.round(e.getBoundingClientRect().right)}`);
  });

/** Sign-in as each role; the console's cookie is on /console and the advocate's on /me, so a fresh set each time. */
type Role = "public" | "provider" | "bar" | "admin" | "advocate";
let signedInAs: Role = "public";

async function signInToConsole(apiKey: string) {
  await page.goto(`${senim.origin}/console/sign-in?lang=en`);
  await page.getByLabel("API key").fill(apiKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${senim.origin}/console`);
}

/** The /me sign-in page, the code page (the code from the loopback SMTP server), then the record. */
async function signInAtMe(langOfCodePage: string) {
  await page.goto(`${senim.origin}/me?lang=${langOfCodePage}`);
  await page.locator('select[name="bar"]').selectOption(BAR);
  await page.locator('input[name="licence"]').fill(LICENCE);
  const before = smtp.received.length;
  await page.locator('form[action^="/me/code"] button[type="submit"]').click();
  await page.locator('input[name="code"]').waitFor();
  await drain();
  const mail = smtp.received.slice(before).find((m) => (m.to && "text" in m.to ? m.to.text : "").includes(EMAIL) && /\b\d{6}\b/.test(m.subject ?? ""))!;
  return /\b(\d{6})\b/.exec(mail.subject!)![1]!;
}

async function as(role: Role) {
  if (role === signedInAs) return;
  await context.clearCookies();
  if (role === "provider") await signInToConsole(keys.provider);
  if (role === "bar") await signInToConsole(keys.bar);
  if (role === "admin") await signInToConsole(senim.adminToken);
  if (role === "advocate") {
    const code = await signInAtMe("en");
    await page.locator('input[name="code"]').fill(code);
    await page.locator('form[action^="/me/sign-in"] button[type="submit"]').click();
    await page.waitForURL(/\/me\?lang=en$/);
  }
  signedInAs = role;
}

/** Opens a path, or does `go` (a form posted, a page reached by a step), and expects the page to have loaded. */
type Step = { step: (p: Page) => Promise<void> };
type Visit = [name: string, role: Role, go: string | (() => string) | Step];
const step = (run: (p: Page) => Promise<void>): Step => ({ step: run });
const postVerify = (text: () => string, lang: string) => step(async (p) => {
  await p.goto(`${senim.origin}/verify?lang=${lang}`);
  await p.locator('textarea[name="text"]').fill(text());
  await Promise.all([p.waitForNavigation(), p.locator('textarea[name="text"]').evaluate((t) => (t as HTMLTextAreaElement).form!.submit())]);
});
const tampered = () => {
  const [h, b, s] = ids.jwt.split(".");
  return `${h}.${b}.${s!.slice(0, -4)}${s!.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`;
};

/** Submits the form `selector` of the page at `path` with `fields` filled (by name), and waits for the answer. */
const submitted = (path: string, selector: string, fields: Record<string, string> = {}) =>
  step(async (p) => {
    await p.goto(`${senim.origin}${path}`);
    const form = p.locator(selector).first();
    // Set as typed even when the form is inside a closed <details>.
    for (const [name, value] of Object.entries(fields)) await form.locator(`[name="${name}"]`).evaluate((e, v) => void ((e as HTMLInputElement).value = v), value);
    await Promise.all([p.waitForNavigation(), form.evaluate((f) => (f as HTMLFormElement).submit())]);
  });

/** The clock passes the year's end (the year can be closed); every session has lapsed by then. */
const january = async () => {
  senim.clock.set("2027-01-10T09:00:00Z");
  signedInAs = "public";
  await as("bar");
};

const VISITS: Visit[] = [
  // ---- public pages ----
  ["home", "public", "/?lang=kk"],
  ["the registry", "public", "/registry?lang=kk"],
  ["a bar's registry page", "public", `/registry/${BAR}?lang=ru`],
  ["a bar's events", "public", `/registry/${BAR}/events?lang=en`],
  ["registry search", "public", () => `/search?q=${encodeURIComponent("орталығы")}&lang=ru`],
  ["a provider's page with its accreditation history", "public", () => `/providers/${ids.provider}?lang=en`],
  ["an unknown provider (404)", "public", "/providers/nosuchprovider?lang=kk"],
  ["the verify page", "public", "/verify?lang=kk"],
  ["/verify with a genuine result", "public", postVerify(() => ids.jwt, "ru")],
  ["/verify with a failed result", "public", postVerify(tampered, "kk")],
  ["/verify that could not read the input", "public", postVerify(() => "not a certificate at all", "ru")],
  ["/verify with an unknown number", "public", postVerify(() => "KZ-26-7F3K-Q9MR", "en")],
  ["a genuine certificate", "public", () => `/c/${ids.genuine}?lang=kk`],
  ["a revoked certificate", "public", () => `/c/${ids.revoked}?lang=ru`],
  ["an unknown certificate (404)", "public", "/c/nosuchcertificate?lang=en"],
  ["the events calendar", "public", "/events?lang=ru"],
  ["an announced event's page", "public", () => `/events/${ids.announced}?lang=kk`],
  ["the survey of a certificate", "public", () => `/survey/${ids.survey}?lang=ru`],
  ["a survey refused without its ratings (a problem page)", "public", step(async (p) => await submitted(`/survey/${ids.survey}?lang=kk`, 'form[method="post"]', { comment: "—" }).step(p))],
  ["a survey answered", "public", step(async (p) => {
    await p.goto(`${senim.origin}/survey/${ids.survey}?lang=en`);
    for (const name of ["quality", "effectiveness", "usefulness"]) await p.locator(`input[name="${name}"][value="5"]`).check();
    await Promise.all([p.waitForNavigation(), p.locator('form[method="post"]').evaluate((f) => (f as HTMLFormElement).submit())]);
  })],
  ["an unknown survey link (404)", "public", "/survey/nosuchsurvey?lang=ru"],
  // ---- the advocate ----
  ["/me sign-in", "public", "/me?lang=ru"],
  ["/me code page", "public", step(async () => void (await signInAtMe("kk")))],
  ["/me code page with a wrong code", "public", step(async (p) => {
    await p.locator('input[name="code"]').fill("000000");
    await Promise.all([p.waitForNavigation(), p.locator('input[name="code"]').evaluate((e) => (e as HTMLInputElement).form!.submit())]);
  })],
  ["an advocate's record (en)", "advocate", "/me?lang=en"],
  ["an advocate's record (kk)", "advocate", "/me?lang=kk"],
  ["an advocate's record (ru)", "advocate", "/me?lang=ru"],
  // ---- consoles ----
  ["console sign-in", "public", "/console/sign-in?lang=kk"],
  ["provider console home", "provider", "/console?lang=ru"],
  ["provider console: an event", "provider", () => `/console/events/${ids.event}?lang=kk`],
  ["provider console: an announced event", "provider", () => `/console/events/${ids.announced}?lang=en`],
  ["provider console: revoking a certificate", "provider", () => `/console/certificates/${ids.genuine}/revoke?lang=ru`],
  ["provider console: survey results", "provider", "/console/surveys?lang=kk"],
  ["console: a refusal page (another's event)", "provider", "/console/events/nosuchevent?lang=ru"],
  [
    "provider console: a refused event form, refilled",
    "provider",
    step(async (p) => {
      await p.goto(`${senim.origin}/console?lang=kk`);
      const form = p.locator('form[action="/console/events"]');
      await form.locator('input[name="topic"]').fill("Дәлелдемелер");
      await form.locator('input[name="startsAt"]').fill("2026-07-02T18:00");
      await form.locator('input[name="endsAt"]').fill("2026-07-02T10:00");
      await form.locator('input[name="durationMinutes"]').fill("360");
      await Promise.all([p.waitForNavigation(), form.evaluate((f) => (f as HTMLFormElement).submit())]);
    }),
  ],
  ["admin console", "admin", "/console?lang=en"],
  [
    "admin console: a new bar-admin key shown once",
    "admin",
    step(async (p) => {
      await p.goto(`${senim.origin}/console?lang=ru`);
      const form = p.locator('form[data-form="bar-key"]');
      await form.locator('input[name="label"]').fill("Алматы");
      await Promise.all([p.waitForNavigation(), form.evaluate((f) => (f as HTMLFormElement).submit())]);
      await p.locator("[data-new-token]").waitFor();
    }),
  ],
  ["admin console: analysis", "admin", "/console/analysis?lang=kk"],
  ["admin console: a provider registered", "admin", submitted("/console?lang=kk", 'form[data-form="party"]', { name: "Жаңа орталық" })],
  ["admin console: a bar's compliance report", "admin", `/console/compliance?bar=${BAR}&year=2026&lang=ru`],
  ["bar console home", "bar", "/console?lang=kk"],
  ["bar console: members", "bar", "/console/members?lang=ru"],
  ["bar console: policy", "bar", "/console/policy?lang=en"],
  ["bar console: compliance (close year)", "bar", "/console/compliance?year=2026&lang=kk"],
  ["bar console: compliance, only short", "bar", "/console/compliance?year=2026&only=short&lang=ru"],
  ["bar console: analysis", "bar", "/console/analysis?year=2026&lang=en"],
  ["bar console: participant lists", "bar", "/console/participant-lists?year=2026&lang=kk"],
  ["bar console: submissions", "bar", "/console/submissions?lang=ru"],
  ["bar console: reminders", "bar", "/console/reminders?lang=en"],
  ["bar console: surveys", "bar", "/console/surveys?lang=kk"],
  ["bar console: a submission to review", "bar", () => `/console/submissions/${ids.submission}?lang=en`],
  ["bar console: a refused member form, refilled", "bar", submitted("/console/members?lang=ru", 'form[action="/console/members"]', { licence: "12", fullName: "Ержан", admissionDate: "2030-01-01", email: "not-an-address" })],
  ["the bar's presentation request (OpenID4VP)", "public", () => `/presentations/${ids.presentation}?lang=kk`],
  ["an advocate's \"Add to wallet\" offer", "advocate", submitted("/me?lang=ru", 'form[action*="/wallet"]')],
  ["provider console: fresh survey links", "provider", step(async (p) => await submitted(`/console/events/${ids.event}?lang=en`, 'form[action$="/survey-links"]').step(p))],
  // ---- after the year's end: closing it (12.2), the annual attestations (12.1) ----
  ["bar console: compliance in January, with the close-year form", "bar", step(async (p) => {
    await january();
    await p.goto(`${senim.origin}/console/compliance?year=2026&lang=kk`);
    await p.locator('form[data-form="close"]').waitFor();
  })],
  ["bar console: closing the year refused without the box ticked", "bar", submitted("/console/compliance?year=2026&lang=ru", 'form[data-form="close"]', { closedOn: "2027-01-10" })],
  ["bar console: the closed year with its measures", "bar", step(async (p) => {
    const closed = await senim.call("POST", `/api/bars/${BAR}/years/2026/close`, { token: keys.bar, body: { closedOn: "2027-01-10" } });
    expect(closed.status, closed.text).toBeLessThan(300);
    const attestations = await senim.call("POST", `/api/bars/${BAR}/years/2026/attestations`, { token: keys.bar });
    expect(attestations.status, attestations.text).toBeLessThan(300);
    ids.attestation = (await senim.services.attestations!.ofMember(BAR, LICENCE))[0]!.id;
    await p.goto(`${senim.origin}/console/compliance?year=2026&lang=en`);
  })],
  ["an annual attestation's public page", "public", () => `/a/${ids.attestation}?lang=ru`],
  ["an expired certificate", "public", () => `/c/${ids.expiring}?lang=kk`],
  ["an unknown attestation (404)", "public", "/a/nosuchattestation00?lang=en"],
  ["an advocate's record with the year's attestation", "advocate", step(async (p) => {
    signedInAs = "public";
    await as("advocate");
    await p.goto(`${senim.origin}/me?year=2026&lang=kk`);
  })],
];

describe("issue 16: axe-core finds no violation of any impact, and no page scrolls sideways at 390 px", () => {
  for (const [name, role, go] of VISITS) {
    it(name, async () => {
      await as(role);
      if (typeof go === "object") await go.step(page);
      else await page.goto(`${senim.origin}${typeof go === "string" ? go : go()}`);
      expect(page.url()).not.toMatch(/\/console\/sign-in$/);
      const violations = await axe(page);
      expect(violations, `${page.url()}\n${describeViolations(violations)}`).toEqual([]);
      expect(await sideways(page), `${page.url()} scrolls sideways`).toEqual([]);
    });
  }

  it("the bar's policy page: the 10.2 Foundations <select> has a name", async () => {
    await as("bar");
    await page.goto(`${senim.origin}/console/policy?lang=en`);
    expect(await page.getByRole("combobox", { name: /Foundations|10\.2/ }).count()).toBe(1);
  });
});
