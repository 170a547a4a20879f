/** The committed browser assets are what their sources build to, and stay within the pages' JavaScript budget. */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain ES module build script without types
import { buildQrDecoder } from "../tools/build-assets.mjs";

const js = (name: string) => new URL(`../public/js/${name}`, import.meta.url);

describe("browser assets", () => {
  it("public/js/qr-decoder.js is the build of tools/qr-decoder.entry.js (rebuild: npm run build:assets)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "senim-assets-"));
    try {
      await buildQrDecoder(join(dir, "qr-decoder.js"));
      expect(readFileSync(join(dir, "qr-decoder.js"), "utf8")).toBe(readFileSync(js("qr-decoder.js"), "utf8"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("no page's scripts exceed 100 KB: /verify loads scan.js, offline-verify.js and at most the decoder; /c/{id} loads certificate.js", () => {
    const size = (name: string) => statSync(js(name)).size;
    // Issue 17: offline-check.js is loaded only offline, from the service worker's cache, not over the network.
    expect(size("scan.js") + size("offline-verify.js") + size("qr-decoder.js")).toBeLessThan(100 * 1024);
    expect(size("certificate.js")).toBeLessThan(10 * 1024);
  });
});
