/**
 * The consoles in Chromium, end to end: a provider signs in and issues an event's certificates from the console; a
 * bar's admin withdraws the provider's accreditation (9.2) by a decision dated before the provider's next issuing;
 * that next certificate's page then shows the accreditation check failed, while the earlier one still passes.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accreditedProvider } from "../helpers.js";
import { a11yProblems, DESKTOP, launchChromium, PHONE, screenshot, startLiveSenim, type LiveSenim } from "./harness.js";
import { CHECKS } from "../../src/credentials/checks.js";

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
