/**
 * 7.5: a paper certificate carries a QR code of its URL. The PNG the service serves is decoded here by a real QR
 * reader (ZXing), not compared with what the generator was asked to draw.
 */
import { afterEach, describe, expect, it } from "vitest";
import { MAX_QR_VERSION, qrPng, qrSvg, qrVersion } from "../src/http/qr.js";
import { newId } from "../src/lib/ids.js";
import { issued, PUBLIC_URL, startSenim, type TestSenim } from "./helpers.js";
import { decodeQrPng } from "./qr-decode.js";

describe("QR codes", () => {
  let s: TestSenim | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it("7.5: the certificate's qr.png decodes (ZXing) to exactly the certificate URL", async () => {
    s = await startSenim();
    const { certificates } = await issued(s, 2);
    for (const c of certificates) {
      expect(c.url).toBe(`${PUBLIC_URL}/c/${c.id}`);
      const res = await s.app.request(`${PUBLIC_URL}/c/${c.id}/qr.png`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/png");
      const png = new Uint8Array(await res.arrayBuffer());
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const decoded = decodeQrPng(png);
      expect(decoded.text).toBe(c.url);
      expect(decoded.width).toBe(decoded.height);
    }
  });

  it("7.5: the URL in the QR code is the credential's own id, and it verifies", async () => {
    s = await startSenim();
    const { certificates } = await issued(s, 1);
    const id = certificates[0]!.id;
    const res = await s.app.request(`${PUBLIC_URL}/c/${id}/qr.png`);
    const url = decodeQrPng(new Uint8Array(await res.arrayBuffer())).text;
    const cert = await s.call("GET", `/api/certificates/${id}`);
    expect(cert.body.credential.id).toBe(url);
    expect(cert.body.qr.png).toBe(`${url}/qr.png`);
    const verified = await s.call("POST", "/api/verify", { body: { url } });
    expect(verified.status).toBe(200);
    expect(verified.body.verified).toBe(true);
  });

  it("qr.svg is an SVG image of the same code", async () => {
    s = await startSenim();
    const { certificates } = await issued(s, 1);
    const res = await s.call("GET", `/c/${certificates[0]!.id}/qr.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect(res.text.trimStart()).toMatch(/^(<\?xml[^>]*>\s*)?<svg[\s>]/);
    expect(res.text).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(res.text.trimEnd()).toMatch(/<\/svg>$/);
    expect(res.text).toMatch(/<path/);
    expect(res.text).not.toMatch(/<script/i);
    expect(res.text).toBe(await qrSvg(certificates[0]!.url));
  });

  it("an unknown certificate has no QR code (404 problem)", async () => {
    s = await startSenim();
    for (const ext of ["png", "svg"]) {
      const res = await s.call("GET", `/c/nosuchcertificate/qr.${ext}`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe("not_found");
    }
  });

  it(`a realistic production URL (https://senim.advokatura.kz/c/ + 16 characters) stays at QR version ≤ ${MAX_QR_VERSION}`, () => {
    expect(MAX_QR_VERSION).toBe(5);
    for (let i = 0; i < 20; i++) {
      const url = `https://senim.advokatura.kz/c/${newId(16)}`;
      expect(url.length).toBe(46);
      expect(qrVersion(url)).toBeLessThanOrEqual(5);
    }
  });

  it("even the longest id the routes accept (40 characters) on that host stays at version ≤ 5", () => {
    expect(qrVersion(`https://senim.advokatura.kz/c/${"z".repeat(40)}`)).toBeLessThanOrEqual(5);
  });

  it("qrPng of a production URL decodes back to it", async () => {
    const url = `https://senim.advokatura.kz/c/${newId(16)}`;
    expect(decodeQrPng(await qrPng(url)).text).toBe(url);
  });
});
