/**
 * VC Data Model 2.0 §5.3, integrity of related resources: a credential may name resources (`relatedResource`) with a
 * digest of each (`digestSRI`, a Subresource Integrity value; or `digestMultibase`, a multibase multihash). Senim
 * never fetches anything, so it checks a digest only against the resources whose published text it holds
 * ({@link PUBLISHED_TEXT}); for any other resource it says "could not check", never "matches". A digest that
 * cannot be a digest at all (the wrong length for its algorithm, no known multihash) is malformed wherever it points.
 * Used by the verifier's `related-resources` check and by `/credentials/issue`, so both apply the same rule.
 */
import type { FieldProblem } from "../domain/errors.js";
import { fromBase58btc } from "../lib/base58.js";
import { fromBase64url } from "../lib/ids.js";
import { PUBLISHED_TEXT } from "./contexts.js";
import { isPlainObject } from "./jwt.js";

type Algorithm = "SHA-256" | "SHA-384" | "SHA-512";
const LENGTH: Record<Algorithm, number> = { "SHA-256": 32, "SHA-384": 48, "SHA-512": 64 };
const SRI_ALGORITHM: Record<string, Algorithm> = { sha256: "SHA-256", sha384: "SHA-384", sha512: "SHA-512" };
/** Multihash codes (multicodec table): sha2-256 0x12, sha2-512 0x13, sha2-384 0x20. All fit one varint byte. */
const MULTIHASH: Record<number, Algorithm> = { 0x12: "SHA-256", 0x13: "SHA-512", 0x20: "SHA-384" };

export interface RelatedResourceReport {
  /** Digests that cannot be digests: refused at issue, a failed check at verification. */
  malformed: FieldProblem[];
  /** Resources Senim holds whose digest differs from the text it holds. */
  mismatched: string[];
  /** Resources Senim holds, every digest given matching. */
  matched: string[];
  /** Resources Senim does not hold: their digests could not be checked. */
  unchecked: string[];
}

/** Every `relatedResource` entry judged; structural rules (ids, one digest at least) are vc-model's. */
export async function checkRelatedResources(credential: Record<string, unknown>): Promise<RelatedResourceReport> {
  const report: RelatedResourceReport = { malformed: [], mismatched: [], matched: [], unchecked: [] };
  const related = credential.relatedResource;
  if (related === undefined) return report;
  const entries = Array.isArray(related) ? related : [related];
  for (const [i, entry] of entries.slice(0, 50).entries()) {
    if (!isPlainObject(entry) || typeof entry.id !== "string") continue;
    const digests: { algorithm: Algorithm; bytes: Uint8Array }[] = [];
    for (const field of ["digestSRI", "digestMultibase"] as const) {
      if (entry[field] === undefined) continue;
      const parsed = field === "digestSRI" ? parseSri(entry[field]) : parseMultibaseMultihash(entry[field]);
      if (typeof parsed === "string") report.malformed.push({ path: `relatedResource/${i}/${field}`, message: parsed });
      else digests.push(parsed);
    }
    if (digests.length === 0) continue;
    const text = PUBLISHED_TEXT.get(entry.id);
    if (text === undefined) {
      report.unchecked.push(entry.id);
      continue;
    }
    const bytes = new TextEncoder().encode(text);
    let same = true;
    for (const d of digests) same &&= equal(new Uint8Array(await crypto.subtle.digest(d.algorithm, bytes)), d.bytes);
    (same ? report.matched : report.mismatched).push(entry.id);
  }
  return report;
}

/** `sha256-…` / `sha384-…` / `sha512-…` with a standard base64 digest of the algorithm's length (W3C SRI). */
function parseSri(value: unknown): { algorithm: Algorithm; bytes: Uint8Array } | string {
  const m = typeof value === "string" ? /^(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})$/.exec(value) : null;
  if (!m) return "must be a Subresource Integrity value (sha256-/sha384-/sha512- and base64)";
  const algorithm = SRI_ALGORITHM[m[1]!]!;
  const bytes = decodeOrUndefined(() => fromBase64url(m[2]!.replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")));
  if (!bytes || bytes.length !== LENGTH[algorithm]) return `must be a base64 ${algorithm} digest of ${LENGTH[algorithm]} bytes`;
  return { algorithm, bytes };
}

/** A multibase string (base58btc `z`, base64url `u`/`U`, base64 `m`/`M`, base32 `b`/`B`, hex `f`/`F`) of a SHA-2 multihash. */
function parseMultibaseMultihash(value: unknown): { algorithm: Algorithm; bytes: Uint8Array } | string {
  if (typeof value !== "string" || value.length < 2) return "must be a multibase-encoded multihash";
  const body = value.slice(1);
  const bytes = decodeOrUndefined((): Uint8Array | undefined => {
    switch (value[0]) {
      case "z":
        return fromBase58btc(body);
      case "u":
      case "U":
        return fromBase64url(body.replace(/=+$/, ""));
      case "m":
      case "M":
        return fromBase64url(body.replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_"));
      case "b":
      case "B":
        return fromBase32(body.toLowerCase());
      case "f":
      case "F":
        return /^(?:[0-9a-fA-F]{2})+$/.test(body) ? new Uint8Array(body.match(/../g)!.map((h) => parseInt(h, 16))) : undefined;
      default:
        return undefined;
    }
  });
  if (!bytes) return "must be multibase (z, u, U, m, M, b, B, f or F) of a multihash";
  const algorithm = MULTIHASH[bytes[0]!];
  if (!algorithm || bytes[1] !== LENGTH[algorithm] || bytes.length !== 2 + LENGTH[algorithm]) return "must be a sha2-256, sha2-384 or sha2-512 multihash";
  return { algorithm, bytes: bytes.subarray(2) };
}

/** RFC 4648 base32, lower case, no padding (multibase `b`). */
function fromBase32(text: string): Uint8Array | undefined {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const c of text.replace(/=+$/, "")) {
    const v = alphabet.indexOf(c);
    if (v < 0) return undefined;
    acc = ((acc << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 255);
    }
  }
  return new Uint8Array(out);
}

function decodeOrUndefined(decode: () => Uint8Array | undefined): Uint8Array | undefined {
  try {
    return decode();
  } catch {
    return undefined;
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
