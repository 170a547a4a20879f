/** Chromium's fake camera input for browser tests that scan a QR code (camera.test.ts, offline-verify.test.ts). */
import { PNG } from "pngjs";

/**
 * A YUV4MPEG2 video (the format Chromium's fake capture reads): a text header, then per frame "FRAME\n" and the
 * 4:2:0 planes: luma at full size, both chroma planes at half size (128 = no colour). The QR code sits centred on
 * white, scaled by whole pixels so its modules stay sharp.
 */
export function qrVideo(png: Uint8Array, width = 640, height = 480, frames = 3): Buffer {
  const img = PNG.sync.read(Buffer.from(png));
  const scale = Math.max(1, Math.floor(Math.min(width, height) * 0.8 / img.width));
  const left = Math.floor((width - img.width * scale) / 2);
  const top = Math.floor((height - img.height * scale) / 2);
  const y = Buffer.alloc(width * height, 235); // video white
  for (let row = 0; row < img.height * scale; row++) {
    for (let col = 0; col < img.width * scale; col++) {
      const i = 4 * (Math.floor(row / scale) * img.width + Math.floor(col / scale));
      const luma = (img.data[i]! * 77 + img.data[i + 1]! * 150 + img.data[i + 2]! * 29) >> 8;
      y[(top + row) * width + left + col] = 16 + Math.round((luma * 219) / 255); // BT.601 studio range
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), y, chroma]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F5:1 Ip A1:1 C420jpeg\n`), ...Array(frames).fill(frame)]);
}
