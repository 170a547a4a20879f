/**
 * Certificates Senim did not issue (2.2(2): the advocate records their own training; 7.5: paper certificates), as
 * pure rules: what an attachment is, by its bytes, and how claimed academic hours (10.6) are kept and counted.
 */
import { ACADEMIC_HOUR_MINUTES } from "./time.js";

/** 10 MB: a phone scan of a few pages or a PDF fits; the upload route's body limit is a little above it. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** A signed credential file (.jwt or .json) is text of a few kilobytes; 256 KiB leaves room for Data Integrity. */
export const MAX_CREDENTIAL_BYTES = 256 * 1024;

export const ATTACHMENT_TYPES = ["application/pdf", "image/jpeg", "image/png"] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/**
 * The attachment's type from its first bytes (magic numbers), never from its name or the type the sender declared:
 * `%PDF-` (ISO 32000), JPEG's SOI marker FF D8 FF, PNG's eight-byte signature. Anything else is `undefined`.
 */
export function sniffAttachmentType(bytes: Uint8Array): AttachmentType | undefined {
  const starts = (sig: readonly number[]) => bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return "application/pdf";
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  return undefined;
}

export const ATTACHMENT_EXTENSIONS: Record<AttachmentType, string> = { "application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png" };

/** 10.6: academic hours with one decimal, kept as whole tenths; `undefined` when the value has more precision or is not positive. */
export function hoursToTenths(hours: number): number | undefined {
  if (!Number.isFinite(hours) || hours <= 0) return undefined;
  const tenths = Math.round(hours * 10);
  return Math.abs(tenths - hours * 10) < 1e-6 ? tenths : undefined;
}

export const tenthsToHours = (tenths: number): number => tenths / 10;

/** Minutes of tenths of academic hours (45 minutes each), summed with other minutes in the year's assessment. */
export const tenthsToMinutes = (tenths: number): number => Math.round((tenths * ACADEMIC_HOUR_MINUTES) / 10);

/** 12.2: a calendar date (already a date in Kazakhstan) counts in its own year. */
export const yearOfDate = (date: string): number => Number(date.slice(0, 4));

export type SubmissionStatus = "pending" | "accepted" | "rejected";
