/**
 * Issue 13, done-when: the advocate's side in Chromium, end to end, on a phone. The advocate signs in at /me with the
 * code the real SMTP server on loopback received, sees the year's status against the bar's requirement, adds a
 * certificate to a wallet (a wallet library nobody here wrote takes it with the PIN the page shows), submits an
 * outside certificate with its scan, and — after the bar's clerk accepts it in the bar's console — sees it credited
 * and the requirement met.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certificateMessageComposer } from "../../src/http/certificate-mail.js";
import { loadNodeFonts } from "../../src/runtime/fonts.js";
import { smtpTransport } from "../../src/runtime/mail-smtp.js";
import { startLoopbackSmtp, type LoopbackSmtp } from "../delivery-helpers.js";
import { accreditedProvider } from "../helpers.js";
import { newHolder, walletTakesOffer } from "../wallet-helpers.js";
import { a11yProblems, DESKTOP, launchChromium, PHONE, screenshot, startLiveSenim, type LiveSenim } from "./harness.js";

const LICENCE = "310001";
const EMAIL = "aliya@example.kz";

let senim: LiveSenim;
let stopSenim: () => Promise<void>;
let smtp: LoopbackSmtp;
let transport: ReturnType<typeof smtpTransport>;
let advocate: BrowserContext;
let clerk: BrowserContext;
let closeAdvocate: () => Promise<void>;
let closeClerk: () => Promise<void>;
let barKey: string;
let certificateId: string;

/** What the service's sender does in production, once: every due message goes to the loopback SMTP server. */
const drain = () => senim.services.delivery!.drain(transport, certificateMessageComposer(senim.services, loadNodeFonts));

beforeAll(async () => {
  ({ senim, stop: stopSenim } = await startLiveSenim());
  smtp = await startLoopbackSmtp();
  transport = smtpTransport(smtp.url, "Senim <no-reply@senim.test>");
  barKey = (await senim.call("POST", "/api/api-keys", { token: senim.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "registry office" } })).body.token;
  const member = await senim.call("POST", "/api/bars/almaty-city/members", { token: barKey, body: { licence: LICENCE, fullName: "Әлия Құрманова", admissionDate: "2012-03-01", email: EMAIL } });
  expect(member.status, member.text).toBeLessThan(300);
  // 12 academic hours for 2026; the course below gives 8 (360 minutes), so the advocate is 4 short.
  expect((await senim.call("PUT", "/api/bars/almaty-city/policies/2026", { token: barKey, body: { requiredAcademicHours: 12, foundationsRule: null } })).status).toBe(200);
  const provider = await accreditedProvider(senim, { name: "Құқық орталығы" });
  const event = await senim.call("POST", "/api/events", {
    token: provider.token,
    body: { topic: "Қылмыстық процестегі дәлелдемелер", programme: "criminal", form: "course", deliveryMode: "in-person", place: "Алматы", startsAt: "2026-05-20T04:00:00Z", endsAt: "2026-05-20T12:00:00Z", durationMinutes: 360, trainers: [{ name: "Сейтқали Ә.", field: "Қылмыстық процесс, 15 жыл адвокаттық практика" }] },
  });
  expect(event.status, event.text).toBe(201);
  expect((await senim.call("PUT", `/api/events/${event.body.id}/participants`, { token: provider.token, body: { participants: [{ fullName: "Әлия Құрманова", licenceNumber: LICENCE, barId: "almaty-city", role: "attendee" }] } })).status).toBe(200);
  const issued = await senim.call("POST", `/api/events/${event.body.id}/certificates`, { token: provider.token });
  expect(issued.status, issued.text).toBe(201);
  certificateId = issued.body.certificates[0].id;
  // The certificate's message goes to the member record's address (the list gave none).
  expect((await drain()).sent).toBe(1);
  expect(smtp.received.at(-1)!.subject).toContain("Қылмыстық процестегі дәлелдемелер");
  ({ context: advocate, close: closeAdvocate } = await launchChromium([], "en-GB"));
  ({ context: clerk, close: closeClerk } = await launchChromium([], "en-GB"));
}, 60_000);

afterAll(async () => {
  await closeAdvocate?.();
  await closeClerk?.();
  transport?.close();
  await smtp?.close();
  await stopSenim?.();
});

async function signInAtMe(page: Page): Promise<void> {
  await page.goto(`${senim.origin}/me?lang=en`);
  await page.getByLabel("Bar").selectOption("almaty-city");
  await page.getByLabel("Licence number").fill(LICENCE);
  const before = smtp.received.length;
  await page.getByRole("button", { name: "Send me a code" }).click();
  await page.getByLabel("Code from the e-mail (6 digits)").waitFor();
  expect((await drain()).sent).toBe(1);
  const mail = smtp.received[before]!;
  expect(mail.to && "text" in mail.to ? mail.to.text : "").toContain(EMAIL);
  const code = /\b(\d{6})\b/.exec(mail.subject ?? "")![1]!;
  await page.getByLabel("Code from the e-mail (6 digits)").fill(code);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${senim.origin}/me?lang=en`);
}

describe("the advocate's record in Chromium (issue 13)", () => {
  it("signs in with the code from the SMTP server, sees the status, takes a certificate into a wallet, submits an outside one and sees it credited once the bar accepts it", async () => {
    const page = await advocate.newPage();
    await page.setViewportSize(PHONE);
    await signInAtMe(page);

    // The year's status: 8 of 12 academic hours, from the certificate issued by Senim.
    const status = page.locator("section[aria-labelledby=status]");
    expect(await status.innerText()).toContain("Short by 4 academic hours");
    const card = page.locator(`[data-certificate="${certificateId}"]`);
    expect(await card.innerText()).toContain("Қылмыстық процестегі дәлелдемелер");
    expect(await card.innerText()).toContain("issued by Senim");
    await screenshot(page, "me-record-phone");
    expect(await a11yProblems(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

    // "Add to wallet": the offer's QR code, link and PIN on the advocate's own screen; the wallet takes it.
    await card.getByRole("button", { name: "Add to wallet" }).click();
    await page.locator("[data-pin]").waitFor();
    const link = (await page.locator("[data-offer-link]").getAttribute("href"))!;
    const pin = (await page.locator("[data-pin]").innerText()).trim();
    expect(link).toMatch(/^openid-credential-offer:\/\//);
    expect(pin).toMatch(/^\d{6}$/);
    expect(await page.locator("[data-offer-qr] svg").count()).toBe(1);
    await screenshot(page, "me-wallet-offer-phone");
    const holder = await newHolder();
    const taken = await walletTakesOffer({ offer: link, txCode: pin }, holder);
    const jwt = (taken.credentials![0] as { credential: string }).credential;
    const verified = await senim.call("POST", "/api/verify", { body: { credential: jwt } });
    expect(verified.body.verified).toBe(true);
    const payload = JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString());
    expect(payload.id ?? payload.vc?.id).toBe(`${senim.origin}/c/${certificateId}`);

    // An outside certificate (a paper one from an organiser outside Senim), with its scan.
    await page.goto(`${senim.origin}/me?lang=en`);
    const outside = page.locator("section[aria-labelledby=outside]");
    await outside.getByLabel("Organiser", { exact: true }).fill("Заң академиясы");
    await outside.getByLabel("Topic", { exact: true }).fill("Азаматтық процесс: апелляция");
    await outside.getByLabel("Programme (10.1)").selectOption("civil");
    await outside.getByLabel("Form (5.1)").selectOption("seminar");
    await outside.getByLabel("Date on the certificate").fill("2026-04-10");
    await outside.getByLabel("Academic hours claimed").fill("4");
    await outside.getByLabel("Scan or PDF").setInputFiles({ name: "certificate.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n") });
    await outside.getByRole("button", { name: "Submit for review" }).click();
    await page.waitForURL(/submitted=1/);
    expect(await page.locator("section[aria-labelledby=outside] [data-submission]").getAttribute("data-status")).toBe("pending");
    expect(await status.innerText()).toContain("Short by 4 academic hours"); // pending counts nothing

    // The bar's clerk reviews it in the bar's console and credits the 4 hours.
    const console = await clerk.newPage();
    await console.setViewportSize(DESKTOP);
    await console.goto(`${senim.origin}/console`);
    await console.waitForURL(/\/console\/sign-in$/);
    await console.getByLabel("API key").fill(barKey);
    await console.getByRole("button", { name: "Sign in" }).click();
    await console.waitForURL(`${senim.origin}/console`);
    await console.goto(`${senim.origin}/console/submissions`);
    const row = console.locator('table[data-list="pending"] tr[data-submission]');
    expect(await row.innerText()).toContain(LICENCE);
    await row.getByRole("link", { name: "Review" }).click();
    await console.getByLabel("Academic hours credited").fill("4");
    await console.getByRole("button", { name: "Accept and credit" }).click();
    await console.waitForURL(/\?done=1$/);

    // Back on the record: accepted by the bar, and the requirement met.
    await page.goto(`${senim.origin}/me?lang=en`);
    expect(await page.locator("section[aria-labelledby=outside] [data-submission]").getAttribute("data-status")).toBe("accepted");
    // … and listed among the year's credited certificates, with who decided.
    expect(await page.locator("section[aria-labelledby=certificates] [data-submission]").innerText()).toContain("accepted by the bar");
    expect(await status.innerText()).toContain("Requirement met.");
    await screenshot(page, "me-record-met-phone");
  }, 90_000);
});
