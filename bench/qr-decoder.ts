/**
 * The /verify page's QR reader (public/js/qr-decoder.js) against stock ZXing 0.21 `QRCodeReader` (the baseline, same
 * run, same frames): how many random certificate codes each reads, and the time per camera frame.
 *
 *   npx tsx bench/qr-decoder.ts [N=500]
 *
 * Frames: qr.png at 8 px per module (as served) and at 3 px, and a 640×480 camera-like frame (the code centred on
 * white, as test/browser/camera.test.ts plays it); plus a frame with no code, the camera loop's usual case.
 */
import { readFileSync } from "node:fs";
import { runInThisContext } from "node:vm";
import { BinaryBitmap, HybridBinarizer, QRCodeReader, RGBLuminanceSource } from "@zxing/library";
import { PNG } from "pngjs";
import { Bench } from "tinybench";
import { qrPng } from "../src/http/qr.js";
import { newId } from "../src/lib/ids.js";

type Frame = { data: Uint8Array; width: number; height: number };
// In this realm, as the stock reader: a vm context's globals are slow enough to distort the comparison.
runInThisContext(readFileSync(new URL("../public/js/qr-decoder.js", import.meta.url), "utf8"));
const { decode } = (globalThis as unknown as { SenimQr: { decode(rgba: Uint8Array, w: number, h: number): string | null } }).SenimQr;
const page = (f: Frame) => decode(f.data, f.width, f.height);
const stock = (f: Frame) => {
  const grey = new Uint8ClampedArray(f.width * f.height);
  for (let i = 0; i < grey.length; i++) grey[i] = (f.data[4 * i]! * 77 + f.data[4 * i + 1]! * 150 + f.data[4 * i + 2]! * 29) >> 8;
  try {
    return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(grey, f.width, f.height)))).getText();
  } catch {
    return null;
  }
};

function inCameraFrame(f: Frame, width = 640, height = 480): Frame {
  const data = new Uint8Array(width * height * 4).fill(235);
  const left = (width - f.width) >> 1;
  const top = (height - f.height) >> 1;
  for (let y = 0; y < f.height; y++) data.set(f.data.subarray(4 * y * f.width, 4 * (y + 1) * f.width), 4 * ((top + y) * width + left));
  return { data, width, height };
}

const n = Number(process.argv[2] ?? 500);
const kinds = { "png 8 px": [] as Frame[], "png 3 px": [] as Frame[], "camera 640×480": [] as Frame[] };
const urls: string[] = [];
for (let i = 0; i < n; i++) {
  const url = `https://senim.advokatura.kz/c/${newId(16)}`;
  urls.push(url);
  const png8 = PNG.sync.read(Buffer.from(await qrPng(url, 8)));
  kinds["png 8 px"].push(png8);
  kinds["png 3 px"].push(PNG.sync.read(Buffer.from(await qrPng(url, 3))));
  kinds["camera 640×480"].push(inCameraFrame(png8));
}
console.log(`Decode rate over ${n} random certificate URLs (https://senim.advokatura.kz/c/{16 chars}):`);
for (const [kind, frames] of Object.entries(kinds)) {
  const rate = (read: (f: Frame) => string | null) => frames.filter((f, i) => read(f) === urls[i]).length;
  console.log(`  ${kind.padEnd(16)} stock ZXing ${rate(stock)}/${n}   page reader ${rate(page)}/${n}`);
}

const blank: Frame = { data: new Uint8Array(640 * 480 * 4).map((_, i) => (i % 4 === 3 ? 255 : ((i * 2654435761) >>> 24) & 0xff)), width: 640, height: 480 };
const camera = kinds["camera 640×480"];
let k = 0;
const bench = new Bench({ time: 2000 });
bench
  .add("stock ZXing, camera frame with a code", () => void stock(camera[k++ % camera.length]!))
  .add("page reader, camera frame with a code", () => void page(camera[k++ % camera.length]!))
  .add("stock ZXing, noise frame (no code)", () => void stock(blank))
  .add("page reader, noise frame (no code)", () => void page(blank));
await bench.run();
const mean = (name: string) => {
  const r = bench.getTask(name)?.result;
  if (!r || r.state !== "completed") throw new Error(`tinybench task ${name}: ${r?.state ?? "missing"}`);
  return r.latency.mean;
};
for (const t of bench.tasks) console.log(`  ${t.name.padEnd(40)} ${mean(t.name).toFixed(2)} ms/frame`);
console.log(`  ratio page/stock: with a code ${(mean("page reader, camera frame with a code") / mean("stock ZXing, camera frame with a code")).toFixed(2)}×, no code ${(mean("page reader, noise frame (no code)") / mean("stock ZXing, noise frame (no code)")).toFixed(2)}×`);
