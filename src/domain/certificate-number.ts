/**
 * The human certificate number printed on the paper certificate and the page (issue 16): `KZ-26-7F3K-Q9MR`.
 *
 * - `KZ` says what it is; `26` is the year of issue (two digits): a clerk sees at once whether the paper belongs to
 *   the year being accounted (the Procedure counts hours per calendar year, 9.2), and the lookup is narrowed to it.
 * - The seven characters after it are the first seven of the certificate's own id (Crockford base32, src/lib/ids.ts),
 *   so the number needs no second identifier to be minted, stored or kept unique: it is looked up as an id prefix
 *   within the year. 35 bits: at 50,000 certificates a year two share a number about once in 30 years, and then
 *   /verify lists both instead of guessing.
 * - The last character is a Damm check over those seven, in the quasigroup x∘y = 2x ⊕ y of GF(32): every single
 *   mistyped character and every swap of two different neighbours is caught before a lookup. (Luhn mod 32, used at
 *   first, misses a swap of 0 and Z — the mod-32 twin of Luhn's 09↔90 — which let a swapped number through to the
 *   lookup.) Weak total anti-symmetry holds because (2c⊕x)∘y = (2c⊕y)∘x gives 3(x⊕y) = 0, so x = y.
 *
 * Reading is forgiving the way Crockford base32 intends: any case, spaces or missing dashes, O for 0, I and L for 1.
 * The number is not a secret and not proof of anything: the certificate page it leads to shows the verdict.
 */

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32: no I, L, O, U
const PREFIX_LENGTH = 7;

const codeOf = (ch: string): number => ALPHABET.indexOf(ch);

/** Multiplication by x (= 2) in GF(32) = GF(2)[x] / (x⁵ + x² + 1). */
const times2 = (v: number): number => (v & 0x10 ? ((v << 1) ^ 0x25) : v << 1) & 0x1f;

/** The Damm operation: a Latin square (so a check character always exists) that is weakly totally anti-symmetric. */
const dammStep = (interim: number, code: number): number => times2(interim) ^ code;

/** Damm check character for `payload` (upper-case Crockford characters): the one that brings the interim to 0. */
function checkCharacter(payload: string): string {
  let interim = 0;
  for (const ch of payload) interim = dammStep(interim, codeOf(ch));
  return ALPHABET[times2(interim)]!;
}

/** The number for a certificate id issued in `issuedYear` (a four-digit calendar year). */
export function certificateNumber(id: string, issuedYear: number): string {
  const payload = id.slice(0, PREFIX_LENGTH).toUpperCase();
  if (payload.length !== PREFIX_LENGTH || [...payload].some((ch) => codeOf(ch) < 0)) throw new RangeError("not a certificate id");
  const yy = String(issuedYear % 100).padStart(2, "0");
  const body = payload + checkCharacter(payload);
  return `KZ-${yy}-${body.slice(0, 4)}-${body.slice(4)}`;
}

export type ParsedCertificateNumber =
  /** A well-formed number: look up certificates whose id starts with `idPrefix`, issued in `year`. */
  | { kind: "number"; year: number; idPrefix: string }
  /** It has the shape of a number but its check character does not match: a typing mistake. */
  | { kind: "mistyped" };

/** Crockford decoding of what a person typed: O→0, I/L→1, any case. */
const normalise = (text: string): string => text.toUpperCase().replace(/O/g, "0").replace(/[IL]/g, "1");

/**
 * What `typed` says as a certificate number, or `undefined` when it is not shaped like one. `century` gives the
 * two-digit year its first two digits (the current century of the clock that reads it).
 */
export function parseCertificateNumber(typed: string, century: number): ParsedCertificateNumber | undefined {
  const compact = typed.replace(/[\s\-–—_.]+/g, "");
  const match = /^KZ(\d{2})([0-9A-Z]{8})$/i.exec(compact);
  if (!match) return undefined;
  const body = normalise(match[2]!);
  if ([...body].some((ch) => codeOf(ch) < 0)) return { kind: "mistyped" }; // U is never minted
  const payload = body.slice(0, PREFIX_LENGTH);
  if (checkCharacter(payload) !== body[PREFIX_LENGTH]) return { kind: "mistyped" };
  return { kind: "number", year: century * 100 + Number(match[1]), idPrefix: payload.toLowerCase() };
}
