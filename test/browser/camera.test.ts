/**
 * /verify reads a QR code through the device camera: Chromium's fake camera plays a Y4M video of a real certificate's
 * QR code (its served qr.png), the page decodes it (BarcodeDetector, or the bundled reader where there is none, as on
 * Linux) and opens the certificate's page.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PNG } from "pngjs";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { qrPng } from "../../src/http/qr.js";
import { issued } from "../helpers.js";
import { STOCK_ZXING_MISSES } from "../qr-decode.js";
import { launchChromium, PHONE, screenshot, scriptBudget, startLiveSenim, type LiveSenim } from "./harness.js";
import { qrVideo } from "./qr-video.js";
import { CHECKS } from "../../src/credentials/checks.js";

let senim: LiveSenim;
let stopSenim: () => Promise<void>;
let context: BrowserContext;
let closeBrowser: () => Promise<void>;
let certificate: { id: string; url: string };

beforeAll(async () => {
  ({ senim, stop: stopSenim } = await startLiveSenim());
  // The first certificate issued, whatever its code: the page must read every certificate's code (see
  // test/qr-readability.test.ts for many random ones with the same bundled reader).
  certificate = (await issued(senim, 1)).certificates[0]!;
  const png = new Uint8Array(await (await fetch(`${certificate.url}/qr.png`)).arrayBuffer());
  const video = join(senim.dir, "qr.y4m");
  writeFileSync(video, qrVideo(png));
  ({ context, close: closeBrowser } = await launchChromium(["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-video-capture=${video}`]));
  await context.grantPermissions(["camera"], { origin: senim.origin });
});
afterAll(async () => {
  await closeBrowser?.();
  await stopSenim?.();
});

describe("camera scan on /verify", () => {
  it("scans a real certificate's QR code from the fake camera and opens its page, within the script budget", async () => {
    const page = await context.newPage();
    await page.setViewportSize(PHONE);
    const budget = scriptBudget(page);
    await page.goto(`${senim.origin}/verify?lang=en`);
    expect(await page.locator(".needs-js").isHidden()).toBe(true);
    await page.getByRole("button", { name: "Start the camera" }).click();
    await page.waitForURL(certificate.url, { timeout: 20_000 });
    // What /verify loaded: scan.js, and the bundled reader only where BarcodeDetector is missing (Linux Chromium).
    const hasDetector = await page.evaluate(() => "BarcodeDetector" in window);
    expect(budget.urls().some((u) => u.endsWith("/js/scan.js"))).toBe(true);
    expect(budget.urls().some((u) => u.endsWith("/js/qr-decoder.js"))).toBe(!hasDetector);
    expect(budget.total(["/js/scan.js", "/js/qr-decoder.js"])).toBeLessThan(100 * 1024);
    expect(await page.locator(".verdict h1").innerText()).toContain("This certificate is genuine");
    expect(await page.locator('.checks [data-outcome="passed"]').count()).toBe(CHECKS.length);
    await screenshot(page, "scanned-certificate-phone");
    await page.close();
  });

  it("without a usable code the form still verifies a pasted link (no JavaScript needed)", async () => {
    const page = await context.newPage();
    await page.goto(`${senim.origin}/verify?lang=en`);
    await page.getByLabel("Certificate link or JWT").fill(certificate.url);
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL(certificate.url);
    expect(await page.locator(".verdict h1").innerText()).toContain("genuine");
    await page.close();
  });

  it("the bundled reader, as the browser runs it, reads the codes stock ZXing misses (false finders in the data)", async () => {
    const page = await context.newPage();
    await page.goto(`${senim.origin}/verify?lang=en`);
    await page.addScriptTag({ url: "/js/qr-decoder.js" });
    for (const url of STOCK_ZXING_MISSES) {
      const { width, height, data } = PNG.sync.read(Buffer.from(await qrPng(url)));
      const read = await page.evaluate(
        ({ b64, width, height }) => (globalThis as unknown as { SenimQr: { decode(d: Uint8Array, w: number, h: number): string | null } }).SenimQr.decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)), width, height),
        { b64: data.toString("base64"), width, height },
      );
      expect(read).toBe(url);
    }
    await page.close();
  });
});
