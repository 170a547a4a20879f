/**
 * Issue 16: the sharing image GET /c/{id}.png (src/http/share-image.ts), read back as a link preview's fetcher would
 * read it: a PNG checked chunk by chunk (CRC, IHDR) and inflated by node:zlib, independent of the encoder that wrote
 * it; its QR code read by the /verify page's own decoder; its text and stamp found in its pixels. Then once in workerd.
 */
import { crc32, inflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventWithParticipants, issued, startSenim, type HttpTarget, type TestSenim } from "./helpers.js";
import { decodeQrRgba } from "./qr-decode.js";
import { startWorkerTarget } from "./worker-target.js";

interface Image {
  width: number;
  height: number;
  /** RGB, 3 bytes a pixel. */
  rgb: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A PNG decoder for 8-bit RGB, strict: every chunk's CRC, one IHDR first, IEND last, every filter type. */
function decodePng(bytes: Uint8Array): Image {
  expect([...bytes.subarray(0, 8)]).toEqual(SIGNATURE);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: { type: string; data: Uint8Array }[] = [];
  for (let o = 8; o < bytes.length; ) {
    const length = view.getUint32(o);
    const type = String.fromCharCode(...bytes.subarray(o + 4, o + 8));
    const data = bytes.subarray(o + 8, o + 8 + length);
    expect(view.getUint32(o + 8 + length), `CRC of ${type}`).toBe(crc32(bytes.subarray(o + 4, o + 8 + length)));
    chunks.push({ type, data });
    o += 12 + length;
  }
  expect(chunks[0]!.type).toBe("IHDR");
  expect(chunks.at(-1)!.type).toBe("IEND");
  const ihdr = new DataView(chunks[0]!.data.buffer, chunks[0]!.data.byteOffset, 13);
  const width = ihdr.getUint32(0);
  const height = ihdr.getUint32(4);
  expect([...chunks[0]!.data.subarray(8)]).toEqual([8, 2, 0, 0, 0]); // 8-bit RGB, deflate, no interlace
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === "IDAT").map((c) => c.data)));
  const row = width * 3;
  expect(raw.length).toBe((row + 1) * height);
  const rgb = new Uint8Array(row * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (row + 1)]!;
    expect(filter).toBeLessThanOrEqual(4);
    for (let i = 0; i < row; i++) {
      const x = raw[y * (row + 1) + 1 + i]!;
      const a = i >= 3 ? rgb[y * row + i - 3]! : 0;
      const b = y > 0 ? rgb[(y - 1) * row + i]! : 0;
      const c = i >= 3 && y > 0 ? rgb[(y - 1) * row + i - 3]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      rgb[y * row + i] = (x + [0, a, b, (a + b) >> 1, paeth][filter]!) & 0xff;
    }
  }
  return { width, height, rgb };
}

/** The image's pixels inside a box, as RGBA (what the QR decoder takes). */
function crop(img: Image, box: Box): { rgba: Uint8Array; width: number; height: number } {
  const rgba = new Uint8Array(box.w * box.h * 4);
  for (let y = 0; y < box.h; y++) {
    for (let x = 0; x < box.w; x++) {
      const from = ((box.y + y) * img.width + box.x + x) * 3;
      rgba.set([img.rgb[from]!, img.rgb[from + 1]!, img.rgb[from + 2]!, 255], (y * box.w + x) * 4);
    }
  }
  return { rgba, width: box.w, height: box.h };
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The parts of the 1200×630 layout the tests look at. */
const BAND: Box = { x: 40, y: 40, w: 1120, h: 60 };
const NAME: Box = { x: 64, y: 200, w: 776, h: 130 };
const QR: Box = { x: 866, y: 120, w: 292, h: 300 };

/** Pixels in `box` for which `test` holds. */
function count(img: Image, box: Box, test: (r: number, g: number, b: number) => boolean): number {
  let n = 0;
  for (let y = box.y; y < box.y + box.h; y++) {
    for (let x = box.x; x < box.x + box.w; x++) {
      const o = (y * img.width + x) * 3;
      if (test(img.rgb[o]!, img.rgb[o + 1]!, img.rgb[o + 2]!)) n++;
    }
  }
  return n;
}

const near = (rgb: readonly number[], tolerance = 12) => (r: number, g: number, b: number) => Math.abs(r - rgb[0]!) <= tolerance && Math.abs(g - rgb[1]!) <= tolerance && Math.abs(b - rgb[2]!) <= tolerance;
const dark = (r: number, g: number, b: number) => r + g + b < 3 * 96;
/** The banner's colours (public/styles.css). */
const GREEN = [0x0a, 0x6b, 0x2d];
const ORANGE = [0x9a, 0x4a, 0x00];
const EXPIRED = [0x6b, 0x5a, 0x2e];
/** An orange tint (the stamp, translucent over white): redder than it is green, greener than it is blue. */
const tinted = (r: number, g: number, b: number) => r - g > 30 && g - b > 20 && r > 150;

async function fetchImage(s: HttpTarget, path: string, headers: Record<string, string> = {}): Promise<{ res: Response; bytes: Uint8Array; img: Image; ms: number }> {
  const t0 = performance.now();
  const res = await s.fetch(path, { headers });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const ms = performance.now() - t0;
  expect(res.status, new TextDecoder().decode(bytes.subarray(0, 300))).toBe(200);
  return { res, bytes, img: decodePng(bytes), ms };
}

describe("GET /c/{id}.png, the sharing image (issue 16)", () => {
  let s: TestSenim;
  let certs: Awaited<ReturnType<typeof issued>>;
  beforeAll(async () => {
    s = await startSenim();
    certs = await issued(s, 2);
  });
  afterAll(async () => s.close());

  it("is a valid 1200×630 PNG, not cached, whose QR code is the certificate's URL and whose name area has the name drawn", async () => {
    const [a, b] = certs.certificates;
    const one = await fetchImage(s, `/c/${a!.id}.png?lang=kk`);
    expect(one.res.headers.get("content-type")).toBe("image/png");
    expect(one.res.headers.get("cache-control")).toBe("no-store");
    expect([one.img.width, one.img.height]).toEqual([1200, 630]);
    const qr = crop(one.img, QR);
    expect(decodeQrRgba(qr.rgba, qr.width, qr.height)).toBe(a!.url);
    // Genuine: the band is the banner's green; its white words are drawn on it.
    expect(count(one.img, BAND, near(GREEN))).toBeGreaterThan(BAND.w * BAND.h * 0.6);
    expect(count(one.img, BAND, near([255, 255, 255], 40))).toBeGreaterThan(1500);
    expect(count(one.img, { x: 40, y: 100, w: 820, h: 490 }, tinted)).toBe(0); // no stamp
    // The names ("Қатысушы 1", "Қатысушы 2") are drawn large in the name area, and differ.
    const two = await fetchImage(s, `/c/${b!.id}.png?lang=kk`);
    const darkA = count(one.img, NAME, dark);
    const darkB = count(two.img, NAME, dark);
    expect(darkA).toBeGreaterThan(4000);
    expect(darkB).toBeGreaterThan(4000);
    expect(darkA).not.toBe(darkB);
    expect(one.bytes.length).toBeLessThan(300_000); // what link previews take without complaint
    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push((await fetchImage(s, `/c/${a!.id}.png?lang=ru`)).ms);
    console.log(`GET /c/{id}.png on Node: ${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)} ms (with verification), ${(one.bytes.length / 1024).toFixed(0)} KiB`);
  });

  it("is in the page's language: ?lang= or Accept-Language, drawn the same for the same choice", async () => {
    const id = certs.certificates[0]!.id;
    const kk = await fetchImage(s, `/c/${id}.png?lang=kk`);
    const ru = await fetchImage(s, `/c/${id}.png?lang=ru`);
    const byHeader = await fetchImage(s, `/c/${id}.png`, { "accept-language": "ru-RU,ru;q=0.9" });
    expect(Buffer.from(byHeader.bytes).equals(Buffer.from(ru.bytes))).toBe(true);
    expect(Buffer.from(kk.bytes).equals(Buffer.from(ru.bytes))).toBe(false);
    // The same name in both; the band's words differ.
    expect(count(kk.img, NAME, dark)).toBe(count(ru.img, NAME, dark));
    expect(count(kk.img, BAND, near([255, 255, 255], 40))).not.toBe(count(ru.img, BAND, near([255, 255, 255], 40)));
  });

  it("the certificate page points og:image and twitter:image at it, as a large image", async () => {
    const c = certs.certificates[0]!;
    const page = await s.call("GET", `/c/${c.id}?lang=ru`);
    expect(page.text).toContain(`<meta property="og:image" content="${c.url}.png?lang=ru"/>`);
    expect(page.text).toContain(`<meta name="twitter:image" content="${c.url}.png?lang=ru"/>`);
    expect(page.text).toContain(`<meta name="twitter:card" content="summary_large_image"/>`);
    expect(page.text).toContain(`<meta property="og:image:width" content="1200"/>`);
    expect(page.text).toContain(`<meta property="og:image:height" content="630"/>`);
  });

  it("a revoked certificate's image is stamped in the revocation's orange, never green, and still reads its QR code", async () => {
    const c = certs.certificates[1]!;
    const before = await fetchImage(s, `/c/${c.id}.png?lang=kk`);
    const revoke = await s.call("POST", `/api/certificates/${c.id}/revocation`, { token: certs.provider.token, body: { reason: "Қате берілген" } });
    expect(revoke.status, revoke.text).toBe(201);
    const after = await fetchImage(s, `/c/${c.id}.png?lang=kk`);
    expect(Buffer.from(after.bytes).equals(Buffer.from(before.bytes))).toBe(false);
    expect(count(after.img, BAND, near(ORANGE))).toBeGreaterThan(BAND.w * BAND.h * 0.6);
    expect(count(after.img, { x: 0, y: 0, w: 1200, h: 630 }, near(GREEN, 20))).toBe(0);
    // The diagonal word across the text column, translucent orange over white.
    expect(count(after.img, { x: 40, y: 100, w: 820, h: 490 }, tinted)).toBeGreaterThan(20_000);
    const qr = crop(after.img, QR);
    expect(decodeQrRgba(qr.rgba, qr.width, qr.height)).toBe(c.url);
  });

  it("an unknown certificate has no image (404 problem)", async () => {
    const res = await s.call("GET", "/c/nosuchcertificate.png");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.code).toBe("not_found");
  });

  // Last: it moves the clock past the certificates' validity.
  it("an expired certificate's image carries its own colour and word, not green", async () => {
    const event = await eventWithParticipants(s, certs.provider.token, { n: 1, certificatesValidUntil: "2026-12-31" });
    const res = await s.call("POST", `/api/events/${event.id}/certificates`, { token: certs.provider.token });
    expect(res.status, res.text).toBe(201);
    const id = res.body.certificates[0].id as string;
    expect(count((await fetchImage(s, `/c/${id}.png?lang=en`)).img, BAND, near(GREEN))).toBeGreaterThan(BAND.w * BAND.h * 0.6);
    s.clock.set("2027-01-02T00:00:00Z");
    const expired = (await fetchImage(s, `/c/${id}.png?lang=en`)).img;
    expect(count(expired, BAND, near(EXPIRED))).toBeGreaterThan(BAND.w * BAND.h * 0.6);
    expect(count(expired, { x: 0, y: 0, w: 1200, h: 630 }, near(GREEN, 20))).toBe(0);
  });
});

describe("GET /c/{id}.png on Workers (workerd)", () => {
  it("is drawn by the same code in the Worker: 1200×630, its QR code the certificate URL, the name drawn", async () => {
    const w = await startWorkerTarget();
    try {
      const { certificates } = await issued(w, 1);
      const c = certificates[0]!;
      const first = await fetchImage(w, `/c/${c.id}.png?lang=kk`);
      expect(first.res.headers.get("content-type")).toBe("image/png");
      expect([first.img.width, first.img.height]).toEqual([1200, 630]);
      const qr = crop(first.img, QR);
      expect(decodeQrRgba(qr.rgba, qr.width, qr.height)).toBe(c.url);
      expect(count(first.img, NAME, dark)).toBeGreaterThan(4000);
      expect(count(first.img, BAND, near(GREEN))).toBeGreaterThan(BAND.w * BAND.h * 0.6);
      const times: number[] = [];
      for (let i = 0; i < 5; i++) times.push((await fetchImage(w, `/c/${c.id}.png?lang=ru`)).ms);
      console.log(`GET /c/{id}.png on workerd: first ${first.ms.toFixed(0)} ms, then ${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)} ms (with verification, over HTTP)`);
    } finally {
      await w.close();
    }
  }, 180_000);
});
