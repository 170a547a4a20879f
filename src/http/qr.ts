/**
 * QR codes of certificate URLs. Medium error correction survives a crease or a smudge on paper; a short URL keeps
 * the symbol at version 5 or below, so it prints small and scans from a phone at arm's length.
 */
import QRCode from "qrcode";

export const MAX_QR_VERSION = 5;
const OPTIONS = { errorCorrectionLevel: "M" as const, margin: 2 };

export function qrVersion(text: string): number {
  return QRCode.create(text, OPTIONS).version;
}

export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { ...OPTIONS, type: "svg" });
}

export async function qrPng(text: string, scale = 8): Promise<Uint8Array> {
  const dataUrl = await QRCode.toDataURL(text, { ...OPTIONS, type: "image/png", scale });
  const bin = atob(dataUrl.slice(dataUrl.indexOf(",") + 1));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}
