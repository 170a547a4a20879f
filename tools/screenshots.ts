/**
 * The screenshots in docs/web.md ("Reading a certificate at a glance"), made from a live Senim in Chromium, the way
 * the browser tests drive it: `npm run docs:screenshots` (or `npx tsx tools/screenshots.ts`) rewrites docs/img/.
 *
 * Four states of the verdict banner on a 390×844 phone, in Russian, as the viewport shows them on first sight (what a
 * clerk sees without scrolling; a full page would also make the files large), and the printed PDF of a genuine
 * certificate rendered by poppler (`pdftoppm`). Each state is checked on the page before it is saved, so a change that
 * breaks a state fails here instead of committing a wrong picture. The test suite does not run this script.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import type { Page } from "playwright-core";
import { launchChromium, startLiveSenim } from "../test/browser/harness.js";
import { issued } from "../test/helpers.js";

const OUT = fileURLToPath(new URL("../docs/img/", import.meta.url));
const PHONE = { width: 390, height: 844 };
const LANG = "ru";

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const { senim, stop } = await startLiveSenim();
  const { context, close } = await launchChromium([], "ru-RU");
  const work = mkdtempSync(join(tmpdir(), "senim-screenshots-"));
  try {
    const { certificates, provider } = await issued(senim, 2);
    const [genuine, revoked] = certificates as [(typeof certificates)[0], (typeof certificates)[0]];
    const page = await context.newPage();
    await page.setViewportSize(PHONE);

    /**
     * Opens a certificate page, waits for the browser's own signature check (it passes on all three: each is signed
     * by its issuer; the server's verdict differs), and insists on the banner's state.
     */
    const certificatePage = async (url: string, state: string) => {
      await page.goto(`${url}?lang=${LANG}`);
      await page.locator('[data-browser-outcome="passed"]').waitFor({ timeout: 10_000 });
      await expectVerdict(page, state);
    };

    await certificatePage(genuine.url, "genuine");
    await save(page, "certificate-genuine.png");

    const revocation = await senim.call("POST", `/api/certificates/${revoked.id}/revocation`, { token: provider.token, body: { reason: "Выдан не тому участнику" } });
    if (revocation.status !== 201) throw new Error(`revocation: ${revocation.status} ${revocation.text}`);
    await certificatePage(revoked.url, "revoked");
    await save(page, "certificate-revoked.png");

    // A forgery: the genuine credential with its topic changed under the same signature, pasted into /verify.
    const jwt = (await senim.call("GET", `/c/${genuine.id}/credential.jwt`)).text;
    const [header, payload, signature] = jwt.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    claims.credentialSubject.achievement.name = "Поддельная тема";
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
    await page.goto(`${senim.origin}/verify?lang=${LANG}`);
    await page.locator("#verify-text").fill(forged);
    await page.locator('#verify-form button[type="submit"]').click();
    await page.waitForURL(`${senim.origin}/verify`);
    await expectVerdict(page, "not-genuine");
    await save(page, "certificate-not-genuine.png");

    // Could not check (grey), on the server: a certificate whose revocation list the service cannot read. Shrinking
    // its list to nothing is how this script makes it happen (no API does; in life it is a list that is missing or
    // elsewhere). Its own provider, so the other certificates' list, already read and cached, is untouched.
    const { certificates: [unreadable] } = await issued(senim, 1);
    await sql`UPDATE status_lists SET size = 0 WHERE id = (SELECT status_list_id FROM certificates WHERE id = ${unreadable!.id})`.execute(senim.db);
    await certificatePage(unreadable!.url, "unchecked");
    await save(page, "certificate-could-not-check.png");
    await page.close();

    // The printed certificate, first page, as poppler renders it at 60 dpi.
    const pdf = await fetch(`${genuine.url}.pdf?lang=${LANG}`);
    if (pdf.status !== 200) throw new Error(`pdf: ${pdf.status}`);
    const pdfFile = join(work, "certificate.pdf");
    writeFileSync(pdfFile, new Uint8Array(await pdf.arrayBuffer()));
    execFileSync("pdftoppm", ["-png", "-r", "60", "-singlefile", pdfFile, join(OUT, "certificate-pdf")]);
    report("certificate-pdf.png");
  } finally {
    await close();
    await stop();
    rmSync(work, { recursive: true, force: true });
  }
}

async function expectVerdict(page: Page, state: string): Promise<void> {
  const actual = await page.locator(".verdict").getAttribute("data-verdict");
  if (actual !== state) throw new Error(`${page.url()}: the banner is ${actual}, not ${state}`);
}

/** The viewport only (not the full page): what is seen on first sight, and a small file. */
async function save(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(OUT, name), fullPage: false });
  report(name);
}

function report(name: string): void {
  console.log(`docs/img/${name}  ${Math.round(statSync(join(OUT, name)).size / 1024)} KB`);
}

await main();
