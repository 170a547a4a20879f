/**
 * The consoles in Chromium, end to end: a provider signs in and issues an event's certificates from the console; a
 * bar's admin withdraws the provider's accreditation (9.2) by a decision dated before the provider's next issuing;
 * that next certificate's page then shows the accreditation check failed, while the earlier one still passes.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accreditedProvider, issued } from "../helpers.js";
import { a11yProblems, DESKTOP, launchChromium, PHONE, screenshot, startLiveSenim, type LiveSenim } from "./harness.js";
import { CHECKS } from "../../src/credentials/checks.js";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

let senim: LiveSenim;
let stopSenim: () => Promise<void>;
let context: BrowserContext;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
  ({ senim, stop: stopSenim } = await startLiveSenim());
  ({ context, close: closeBrowser } = await launchChromium([], "en-GB"));
});
afterAll(async () => {
  await closeBrowser?.();
  await stopSenim?.();
});

async function signIn(page: Page, apiKey: string) {
  await page.goto(`${senim.origin}/console`);
  await page.waitForURL(/\/console\/sign-in$/);
  await page.getByLabel("API key").fill(apiKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${senim.origin}/console`);
}

async function signOut(page: Page) {
  await page.locator('form[action="/console/sign-out"] button[type="submit"]').click();
  await page.waitForURL(/\/console\/sign-in$/);
}

/** Creates an event, uploads its list and issues; returns the certificate ids shown on the event page. */
async function issueFromConsole(page: Page, topic: string, day: string): Promise<string[]> {
  await page.goto(`${senim.origin}/console`);
  await page.getByLabel("Topic", { exact: true }).fill(topic);
  await page.getByRole("combobox", { name: "Programme" }).selectOption("criminal");
  await page.getByRole("combobox", { name: "Form", exact: true }).selectOption("course");
  await page.getByRole("combobox", { name: "Delivery" }).selectOption("in-person");
  await page.getByLabel("Place", { exact: true }).fill("Алматы, Абай даңғылы 10");
  await page.getByLabel("Starts (UTC+05:00)").fill(`${day}T10:00`);
  await page.getByLabel("Ends (UTC+05:00)").fill(`${day}T18:00`);
  await page.getByLabel(/Duration in minutes/).fill("360");
  await page.getByLabel("Trainer 1: name").fill("Сейтқали Ә.");
  await page.getByLabel("Trainer 1: field of experience (11.1)").fill("Criminal defence, 20 years"); // 12.3, 11.1
  await page.getByRole("button", { name: "Create" }).click();
  await page.waitForURL(/\/console\/events\/[0-9a-z]+$/);
  await page.getByLabel(/Participant list \(CSV/).fill("ФИО;Лицензия;Коллегия;Роль\nӘлия Құрманова;123456;almaty-city;attendee\nБолат Серіков;654321;almaty-city;teacher");
  await page.getByRole("button", { name: "Save" }).click();
  await page.waitForURL(/\?done=1$/);
  await page.getByRole("button", { name: "Issue certificates" }).click();
  // The URL already ends in ?done=1 from saving the list, so wait for the count rather than for the address.
  await expect.poll(() => page.locator("[data-issued]").getAttribute("data-issued"), { timeout: 10_000 }).toBe("2");
  return page.locator("tr[data-certificate]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-certificate")!));
}

describe("consoles in Chromium", () => {
  it("a provider issues from the console; a bar admin withdraws; the next certificate's page shows the failure", async () => {
    const provider = await accreditedProvider(senim, { name: "Құқық орталығы" });
    const barKey = (await senim.call("POST", "/api/api-keys", { token: senim.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "clerk" } })).body.token as string;
    const page = await context.newPage();
    await page.setViewportSize(DESKTOP);

    await signIn(page, provider.token);
    const first = await issueFromConsole(page, "Дәлелдемелер", "2026-05-25");
    await screenshot(page, "console-provider-event-desktop");
    expect(await a11yProblems(page)).toEqual([]);
    await page.setViewportSize(PHONE);
    await screenshot(page, "console-provider-event-phone");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.setViewportSize(DESKTOP);

    senim.clock.set("2026-06-03T09:00:00Z"); // two days later, the provider issues its next event
    await page.goto(`${senim.origin}/console`);
    await page.waitForURL(/\/console\/sign-in$/); // the 8-hour session has lapsed
    await signIn(page, provider.token);
    const next = await issueFromConsole(page, "Үкім шығару", "2026-06-02");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/console\/sign-in$/);

    // The bar's presidium withdrew the accreditation on 2 June; the clerk records it on 3 June.
    await signIn(page, barKey);
    const row = page.locator(`tr[data-party="${provider.party.id}"]`);
    expect(await row.getAttribute("data-state")).toBe("active");
    await row.getByText("Withdraw (9.2)").first().click(); // opens the <details>
    await row.getByLabel("Ground").selectOption("non-compliance");
    await row.getByLabel("Decision number").fill("31-П");
    await row.getByLabel("Decision date").fill("2026-06-02");
    await row.getByLabel("Reason").fill("9.1 criteria no longer met");
    await row.getByLabel("I understand this cannot be undone").check(); // issue 16: withdrawing is final
    await screenshot(page, "console-bar-withdraw-desktop");
    expect(await a11yProblems(page)).toEqual([]);
    await row.getByRole("button", { name: "Withdraw (9.2)" }).click();
    await page.waitForURL(/\?done=1$/);
    expect(await page.locator(`tr[data-party="${provider.party.id}"]`).getAttribute("data-state")).toBe("withdrawn");

    // The next certificate (issued 3 June) was signed after the withdrawal took effect: its page says so in red.
    await page.goto(`${senim.origin}/c/${next[0]}`);
    expect(await page.locator(".verdict h1").innerText()).toContain("did not pass verification");
    const accreditation = page.locator('[data-check="accreditation"]');
    expect(await accreditation.getAttribute("data-outcome")).toBe("failed");
    expect(await accreditation.innerText()).toMatch(/failed[\s\S]*withdrawn/i);
    await screenshot(page, "certificate-withdrawn-desktop");
    // The earlier certificate, issued while the accreditation was in force, still passes every check.
    await page.goto(`${senim.origin}/c/${first[0]}`);
    expect(await page.locator(".verdict h1").innerText()).toContain("This certificate is genuine");
    expect(await page.locator('.checks [data-outcome="passed"]').count()).toBe(CHECKS.length);

    // And the provider can no longer issue: the console shows the service's refusal.
    await page.goto(`${senim.origin}/console`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await signIn(page, provider.token);
    await page.goto(`${senim.origin}/console/events/${(await senim.services.issuance.getCertificate(next[0]!))!.eventId}`);
    await page.getByRole("button", { name: "Issue certificates" }).click();
    expect(await page.locator(".notice.error").innerText()).toMatch(/accredited provider|no accreditation in force/i);
    await page.close();
  });

  it("issue 16: a refused event form says the rule in the page's language (kk, ru), under a header naming the bar in words", async () => {
    const provider = await accreditedProvider(senim, { name: "Тіл орталығы" });
    const barKey = (await senim.call("POST", "/api/api-keys", { token: senim.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "clerk" } })).body.token as string;
    const page = await context.newPage();
    await page.setViewportSize(DESKTOP);
    const said = {
      kk: { rule: "Аяқталуы басталуынан кейін болуы керек.", who: "Алматы қалалық адвокаттар алқасы — әкімші" },
      ru: { rule: "Окончание должно быть позже начала.", who: "Алматинская городская коллегия адвокатов — администратор" },
    };
    await context.clearCookies(); // no session left over from the tests before
    try {
      for (const lang of ["kk", "ru"] as const) {
        await page.goto(`${senim.origin}/console/sign-in?lang=en`);
        await signIn(page, provider.token);
        await page.goto(`${senim.origin}/console?lang=${lang}`);
        const form = page.locator('form[action="/console/events"]');
        await form.locator('input[name="topic"]').fill("Дәлелдемелер");
        await form.locator('select[name="programme"]').selectOption("criminal");
        await form.locator('select[name="form"]').selectOption("course");
        await form.locator('select[name="deliveryMode"]').selectOption("in-person");
        await form.locator('input[name="place"]').fill("Алматы");
        await form.locator('input[name="startsAt"]').fill("2026-07-02T18:00");
        await form.locator('input[name="endsAt"]').fill("2026-07-02T10:00");
        await form.locator('input[name="durationMinutes"]').fill("360");
        await form.locator('input[name="trainerName-0"]').fill("Сейтқали Ә.");
        await form.locator('input[name="trainerField-0"]').fill("Қылмыстық процесс");
        await form.locator('button[type="submit"]').click();
        await page.waitForURL(/\/console\/events$/);
        const notice = await page.locator(".notice.error").innerText();
        expect(notice).toBe(said[lang].rule);
        expect(await page.locator("main").innerText()).not.toMatch(/must be after|startsAt/);
        await signOut(page);
        // The bar's console names who is signed in in words, not as a key's principal (bar-admin:almaty-city).
        await page.goto(`${senim.origin}/console/sign-in?lang=en`);
        await signIn(page, barKey);
        await page.goto(`${senim.origin}/console?lang=${lang}`);
        expect(await page.locator(".who").innerText()).toBe(said[lang].who);
        await signOut(page);
      }
    } finally {
      // The language cookie is the context's: leave it English for the other tests.
      await page.goto(`${senim.origin}/console/sign-in?lang=en`);
      await page.close();
    }
  });

  it("the sign-in page is keyboard-usable: the skip link and the form take focus in order", async () => {
    const page = await context.newPage();
    await page.goto(`${senim.origin}/console/sign-in`);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe("none");
    await page.getByLabel("API key").focus();
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe("apiKey");
    await page.close();
  });
});

// ---- issue 16: the bar console's lists on a phone (the bar console's own block) --------------------------------------

describe("bar console lists on a 390 px phone, in Russian (issue 16)", () => {
  it("the compliance report, its 'only those short' filter, the analysis and the members' list never scroll the page sideways", async () => {
    const bar = "almaty-city";
    const barKey = (await senim.call("POST", "/api/api-keys", { token: senim.adminToken, body: { role: "bar-admin", barId: bar, label: "registry office (phone)" } })).body.token as string;
    const csv = ["licence;name;admission date;email", ...Array.from({ length: 2_000 }, (_, i) => `${300000 + i};Құрманова-Сейітжаппарова Әлия Бауыржанқызы ${i};2015-03-01;member${i}@example.kz`)].join("\n");
    expect((await senim.call("POST", `/api/bars/${bar}/members.csv`, { token: barKey, raw: csv, headers: { "content-type": "text/csv" } })).status).toBe(201);
    expect((await senim.call("PUT", `/api/bars/${bar}/policies/2026`, { token: barKey, body: { requiredAcademicHours: 40, foundationsRule: { operator: "<", years: 1 }, teachingCreditPercent: 100, prorate: true } })).status).toBe(200);
    const page = await context.newPage();
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await signIn(page, barKey);
      const sideways = () => page.evaluate(() => document.documentElement.scrollWidth);
      for (const path of ["/console/compliance?year=2026&lang=ru", "/console/compliance?year=2026&only=short&lang=ru", "/console/analysis?year=2026&lang=ru", "/console/members?lang=ru"]) {
        const started = Date.now();
        await page.goto(`${senim.origin}${path}`);
        expect(Date.now() - started, path).toBeLessThan(2_000); // issue 16: no console page over 2 s with 2,000 members
        expect(await page.locator("html").getAttribute("lang")).toBe("ru");
        expect(await sideways(), path).toBeLessThanOrEqual(390);
        // The wide tables scroll inside their own regions, which the keyboard can reach.
        for (const region of await page.locator(".table-wrap").all()) {
          const wide = await region.evaluate((el) => el.scrollWidth > el.clientWidth);
          if (wide) expect(await region.getAttribute("tabindex"), path).toBe("0");
        }
        expect(await a11yProblems(page), path).toEqual([]);
      }
      // The filter is a plain form: "only those short" by its label, then the search, without JavaScript's help.
      await page.goto(`${senim.origin}/console/compliance?year=2026&lang=ru`);
      await page.getByLabel("только не выполнивших норму").check();
      await page.getByLabel("ФИО или номер лицензии").fill("301234");
      await page.getByRole("button", { name: "Найти" }).click();
      await page.waitForURL(/only=short/);
      expect(await page.locator("tr[data-licence]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-licence")))).toEqual(["301234"]);
      expect(await sideways()).toBeLessThanOrEqual(390);
      await screenshot(page, "console-compliance-phone-ru");
    } finally {
      // The language cookie is the context's: leave it English for the other tests.
      await page.goto(`${senim.origin}/console/sign-in?lang=en`);
      await page.close();
    }
  });
});

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's violations of any impact on the page as loaded, as "impact id: targets" lines. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  type Violation = { id: string; impact: string; nodes: { target: string[] }[] };
  const result = await page.evaluate(() => (window as unknown as { axe: { run(o: object): Promise<{ violations: Violation[] }> } }).axe.run({ resultTypes: ["violations"] }));
  return result.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

describe("issue 16: the provider's and admin's console in Chromium", () => {
  it("an event of 5,000 participants opens in under 2 s, paged, with the upload and Issue above the table", async () => {
    const { provider, event } = await issued(senim, 5000);
    const page = await context.newPage();
    await page.setViewportSize(DESKTOP);
    await context.clearCookies();
    await signIn(page, provider.token);
    const started = Date.now();
    await page.goto(`${senim.origin}/console/events/${event.id}`, { waitUntil: "load" });
    const took = Date.now() - started;
    expect(took).toBeLessThan(2_000);
    expect(await page.locator("tr[data-participant]").count()).toBe(100);
    expect(await page.locator("[data-participants]").getAttribute("data-participants")).toBe("5000");
    // Above the table, in the first screen: the list's upload and the Issue button.
    const issueTop = (await page.getByRole("button", { name: "Issue certificates" }).boundingBox())!.y;
    expect(issueTop).toBeLessThan((await page.locator("#participants table").boundingBox())!.y);
    await page.locator('input[name="q"]').fill("Қатысушы 4321");
    await page.getByRole("button", { name: "Find" }).click();
    await page.waitForURL(/\?q=/);
    expect(await page.locator("tr[data-participant]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-participant")))).toEqual(["104320"]);
    await page.goto(`${senim.origin}/console/events/${event.id}?page=2`);
    expect(await page.locator("nav.pager").getAttribute("data-page")).toBe("2");
    expect(await a11yProblems(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "console-event-5000-desktop");
    await page.setViewportSize(PHONE);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.close();
  }, 120_000);

  it("a refused event form comes back filled, the problem beside the field, in kk and ru", async () => {
    const provider = await accreditedProvider(senim, { name: "Толтырылған орталық" });
    const page = await context.newPage();
    await page.setViewportSize(DESKTOP);
    const said = { kk: "Аяқталуы басталуынан кейін болуы керек.", ru: "Окончание должно быть позже начала." };
    await context.clearCookies();
    try {
      await signIn(page, provider.token);
      for (const lang of ["kk", "ru"] as const) {
        await page.goto(`${senim.origin}/console?lang=${lang}`);
        const form = page.locator('form[data-form="event"]');
        await form.locator('input[name="topic"]').fill("Дәлелдемелер");
        await form.locator('select[name="programme"]').selectOption("civil");
        await form.locator('select[name="form"]').selectOption("course");
        await form.locator('input[name="place"]').fill("Алматы, Абай даңғылы 10");
        await form.locator('input[name="startsAt"]').fill("2026-07-02T18:00");
        await form.locator('input[name="endsAt"]').fill("2026-07-02T10:00");
        await form.locator('input[name="durationMinutes"]').fill("360");
        await form.locator('input[name="trainerName-0"]').fill("Сейтқали Ә.");
        await form.locator('input[name="trainerField-0"]').fill("Азаматтық процесс");
        await form.locator('button[type="submit"]').click();
        await page.waitForURL(/\/console\/events$/);
        const again = page.locator('form[data-form="event"]');
        expect(await again.locator('input[name="topic"]').inputValue()).toBe("Дәлелдемелер");
        expect(await again.locator('select[name="programme"]').inputValue()).toBe("civil");
        expect(await again.locator('input[name="place"]').inputValue()).toBe("Алматы, Абай даңғылы 10");
        expect(await again.locator('input[name="startsAt"]').inputValue()).toBe("2026-07-02T18:00");
        expect(await again.locator('input[name="trainerField-0"]').inputValue()).toBe("Азаматтық процесс");
        const endsAt = again.locator('input[name="endsAt"]');
        expect(await endsAt.getAttribute("aria-invalid")).toBe("true");
        expect(await page.locator("#problem-event-endsAt").innerText()).toBe(said[lang]);
        expect(await page.locator("html").getAttribute("lang")).toBe(lang);
        expect(await a11yProblems(page)).toEqual([]);
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, `console-event-refused-${lang}-desktop`);
        // Corrected in place and sent again: the event is created.
        await endsAt.fill("2026-07-03T10:00");
        await again.locator('button[type="submit"]').click();
        await page.waitForURL(/\/console\/events\/[0-9a-z]+$/);
      }
    } finally {
      await page.goto(`${senim.origin}/console/sign-in?lang=en`);
      await page.close();
    }
  });

  it("the admin creates a bar's admin key: shown once at the top, copied with the button", async () => {
    const page = await context.newPage();
    await page.setViewportSize(PHONE);
    await context.clearCookies();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: senim.origin });
    await signIn(page, senim.adminToken);
    const form = page.locator('form[data-form="bar-key"]');
    await form.getByRole("combobox").selectOption("astana-city");
    await form.getByLabel("Label").fill("Astana registry office");
    await form.getByRole("button").click();
    const secret = page.locator("[data-secret]");
    await secret.waitFor();
    expect((await secret.boundingBox())!.y).toBeLessThan(PHONE.height); // on the first screen, even on a phone
    const token = (await page.locator("[data-new-token]").innerText()).trim();
    const copy = secret.getByRole("button", { name: "Copy" });
    expect(await copy.isVisible()).toBe(true);
    await copy.click();
    await expect.poll(() => secret.locator(".copy-status").innerText()).toBe("Copied");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    expect(await a11yProblems(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "console-new-key-phone");
    expect((await senim.call("GET", "/api/bars/astana-city/members", { token })).status).toBe(200);
    await page.close();
  });
});
