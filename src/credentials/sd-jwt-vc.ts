/**
 * The certificate as an SD-JWT VC (IETF SD-JWT VC; OpenID4VCI 1.0 Appendix A.3 and OpenID4VP 1.0 B.3 call it
 * `dc+sd-jwt`): flat JSON claims signed by the provider's key that signed the certificate, the participant's name
 * and licence as selective disclosures, the holder's key in `cnf`. Wallets that keep SD-JWT VCs (Credo among them)
 * read only this shape.
 *
 * Here: the one mapping from a stored certificate to its claims (`sdJwtClaimsOf`), issuing it (`issueSdJwtVc`, on
 * @sd-jwt/sd-jwt-vc with Web Crypto hashing, salts and Ed25519 signing, so it runs on workerd too), and reading one
 * back for the verifier (`readSdJwtVc`: the issuer JWT, the disclosures' digests, the holder's key). The signature,
 * the key's owner and the comparison with the record are verify.ts's, like every other securing form.
 */
import { SDJwtVcInstance } from "@sd-jwt/sd-jwt-vc";
import { numericDate as seconds } from "../domain/time.js";
import { base64url } from "../lib/ids.js";
import { didJwkFor, didOf, resolveHolderDid, type HolderJwk } from "./holder-key.js";
import { decodeCompactJws, isPlainObject, type DecodedJws, type Signer } from "./jwt.js";
import { LICENCE_IDENTITY_TYPE } from "./certificate.js";
import { senimCertificateSchema } from "./schema.js";

/** The JOSE `typ` of an SD-JWT VC (draft-ietf-oauth-sd-jwt-vc §3.2.1). */
export const SD_JWT_VC_TYP = "dc+sd-jwt";
/** Where the SD-JWT VC Type Metadata of a certificate is served, below the public URL. */
export const CLE_CERTIFICATE_VCT_PATH = "/vct/cle-certificate";
/** The KB-JWT's `typ` (SD-JWT §4.3). */
export const KB_JWT_TYP = "kb+jwt";
/** SD-JWT §4.1.1: the disclosures' digests, and the KB-JWT's `sd_hash`. */
const SD_ALG = "sha-256";

/** The claims the holder may withhold: who the participant is. Everything else describes the training. */
export const SELECTIVE_CLAIMS = ["participant_name", "licence_identity", "licence_hint"] as const;
/** Claims a copy carries beyond the mapping: the holder binding, set when it is issued to a wallet. */
const BINDING_CLAIMS = ["cnf"];
/**
 * Claims of the mapping a copy may lack: copies issued before `status` was added carry none. Nothing rests on it
 * here — Senim checks the status entry of the certificate on record — so its absence is no forgery.
 */
const ADDED_LATER_CLAIMS = ["status"];

export const vctFor = (publicUrl: string) => `${publicUrl}${CLE_CERTIFICATE_VCT_PATH}`;


/**
 * The SD-JWT VC claims of a certificate (the VC 2.0 credential as stored): the issuer's DID, `vct`, the certificate's
 * dates (`iat` = `nbf` = validFrom, the moment of issue the key is held to; `exp` = validUntil), `jti` = the
 * certificate URL, and the certificate's facts under flat names. The one mapping: issuing signs it, and verifying
 * requires every disclosed claim to equal it for the certificate issued under `jti`.
 */
export function sdJwtClaimsOf(certificateCredential: Record<string, unknown>): Record<string, unknown> {
  const cert = senimCertificateSchema.parse(certificateCredential);
  const s = cert.credentialSubject;
  const a = s.achievement;
  const licence = s.identifier.find((i) => i.identityType === LICENCE_IDENTITY_TYPE);
  const name = s.identifier.find((i) => i.identityType === "name")?.identityHash;
  return {
    iss: cert.issuer.id,
    vct: vctFor(cert.id.replace(/\/c\/[^/]+$/, "")),
    iat: seconds(cert.validFrom),
    nbf: seconds(cert.validFrom),
    ...(cert.validUntil ? { exp: seconds(cert.validUntil) } : {}),
    jti: cert.id,
    organiser: cert.issuer.name,
    ...(a.coOrganiser ? { co_organiser: { id: a.coOrganiser.id, name: a.coOrganiser.name } } : {}),
    topic: a.name,
    academic_hours: a.academicHours,
    credited_hours: s.creditsEarned,
    programme: a.programme,
    education_form: a.educationForm,
    delivery_mode: a.deliveryMode,
    venue: a.venue,
    event_start: a.eventStart,
    event_end: a.eventEnd,
    trainers: a.trainers,
    participation_role: s.participationRole,
    ...(s.memberOfBar ? { member_of_bar: s.memberOfBar } : {}),
    ...(name !== undefined ? { participant_name: name } : {}),
    ...(licence ? { licence_identity: { identity_hash: licence.identityHash, salt: licence.salt } } : {}),
    ...(s.licenceHint ? { licence_hint: s.licenceHint } : {}),
    // SD-JWT VC §3.2.2.2: the certificate's own status entry, read as an IETF Token Status List at the same URL
    // (src/credentials/token-status-list.ts).
    status: { status_list: { idx: Number(cert.credentialStatus.statusListIndex), uri: cert.credentialStatus.statusListCredential } },
  };
}

/** SD-JWT VC Type Metadata (draft-ietf-oauth-sd-jwt-vc §6) of the certificate's `vct`, for wallets to display it. */
export function certificateTypeMetadata(publicUrl: string): Record<string, unknown> {
  return {
    vct: vctFor(publicUrl),
    name: "CLE certificate",
    description: "Continuing legal education of an advocate (academic hours of 45 minutes)",
    display: [
      { locale: "en", lang: "en", name: "CLE certificate", description: "Continuing legal education of an advocate (academic hours of 45 minutes)" },
      { locale: "kk", lang: "kk", name: "Біліктілікті арттыру сертификаты", description: "Адвокаттың біліктілігін арттыру (академиялық сағат — 45 минут)" },
      { locale: "ru", lang: "ru", name: "Сертификат о повышении квалификации", description: "Повышение квалификации адвоката (академический час — 45 минут)" },
    ],
  };
}

/** The holder binding of a copy (`cnf`, RFC 7800): the wallet's key as a DID URL when it named one, else the JWK itself. */
export type HolderBinding = { kid: string } | { jwk: HolderJwk };

const hasher = async (data: string | ArrayBuffer, alg: string): Promise<Uint8Array> => {
  if (alg.toLowerCase() !== SD_ALG) throw new Error(`unsupported _sd_alg ${alg}`);
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : new Uint8Array(data);
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
};
const saltGenerator = (length: number) => base64url(crypto.getRandomValues(new Uint8Array(Math.max(16, length))));

/**
 * The certificate as an SD-JWT VC bound to the holder's key, signed by `signer` (the key that signed the
 * certificate: its window holds the certificate's validFrom). Header `typ` dc+sd-jwt, `kid` = the key's DID URL.
 */
export async function issueSdJwtVc(certificateCredential: Record<string, unknown>, binding: HolderBinding, signer: Signer): Promise<string> {
  const sdjwt = new SDJwtVcInstance({
    hasher,
    hashAlg: SD_ALG,
    saltGenerator,
    signAlg: "EdDSA",
    signer: async (data) => base64url(new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, signer.privateKey, new TextEncoder().encode(data)))),
  });
  const claims = { ...sdJwtClaimsOf(certificateCredential), cnf: binding } as Parameters<typeof sdjwt.issue>[0];
  const selective = SELECTIVE_CLAIMS.filter((k) => k in claims);
  return sdjwt.issue(claims, { _sd: selective } as never, { header: { typ: SD_JWT_VC_TYP, kid: signer.kid } });
}

/** Whether compact input is an SD-JWT (`<issuer-jwt>~<disclosure>~…~[<kb-jwt>]`) rather than a plain JWS. */
export const isSdJwt = (compact: string) => compact.includes("~");

export interface ReadSdJwtVc {
  /** The issuer-signed JWT, decoded (verify.ts checks its signature). */
  issuerJwt: DecodedJws;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** The SD-JWT without its KB-JWT: what `sd_hash` covers. */
  withoutKb: string;
  kbJwt: string | undefined;
}

/** An SD-JWT taken apart; `undefined` when it is none (then it is not a credential at all). Never throws. */
export function readSdJwtVc(compact: string): ReadSdJwtVc | undefined {
  const text = compact.trim();
  const parts = text.split("~");
  if (parts.length < 2 || parts.length > 64) return undefined;
  const issuerJwt = decodeCompactJws(parts[0]!);
  if (!issuerJwt || !isPlainObject(issuerJwt.payload)) return undefined;
  const last = parts[parts.length - 1]!;
  return { issuerJwt, header: issuerJwt.header, payload: issuerJwt.payload, withoutKb: last === "" ? text : text.slice(0, text.length - last.length), kbJwt: last === "" ? undefined : last };
}

export type DisclosedClaims = { ok: true; claims: Record<string, unknown> } | { ok: false; detail: string };

/**
 * The claims the SD-JWT discloses (the library unpacks the disclosures by their digests), after checking what the
 * library lets pass: every disclosure must be one the issuer signed a digest of, once (SD-JWT §7.1 step 3). A
 * disclosure added by anyone else is a forgery, not something to ignore.
 */
export async function disclosedClaims(read: ReadSdJwtVc): Promise<DisclosedClaims> {
  const sdAlg = read.payload._sd_alg ?? SD_ALG;
  if (sdAlg !== SD_ALG) return { ok: false, detail: "The SD-JWT's _sd_alg is not sha-256." };
  try {
    const instance = new SDJwtVcInstance({ hasher, hashAlg: SD_ALG });
    const decoded = await instance.decode(read.withoutKb);
    const signed = new Set<string>();
    let duplicate = false;
    const collect = (value: unknown, depth: number): void => {
      if (depth > 20) return;
      if (Array.isArray(value)) return value.forEach((v) => (isPlainObject(v) && typeof v["..."] === "string" && Object.keys(v).length === 1 ? note(v["..."]) : collect(v, depth + 1)));
      if (!isPlainObject(value)) return;
      if (Array.isArray(value._sd)) value._sd.forEach((d) => typeof d === "string" && note(d));
      for (const [k, v] of Object.entries(value)) if (k !== "_sd") collect(v, depth + 1);
    };
    const note = (digest: string) => (signed.has(digest) ? (duplicate = true) : signed.add(digest));
    collect(read.payload, 0);
    const disclosures = decoded.disclosures ?? [];
    for (const d of disclosures) collect(d.value, 0);
    const seen = new Set<string>();
    for (const d of disclosures) {
      const digest = await d.digest({ alg: SD_ALG, hasher });
      if (!signed.has(digest) || seen.has(digest)) return { ok: false, detail: "A disclosure is not one the issuer signed (its digest is not in the SD-JWT, or it is repeated)." };
      seen.add(digest);
    }
    if (duplicate) return { ok: false, detail: "The SD-JWT lists a digest twice." };
    const claims = (await decoded.getClaims(hasher)) as Record<string, unknown>;
    return { ok: true, claims };
  } catch (e) {
    return { ok: false, detail: `The SD-JWT's disclosures cannot be read: ${String((e as Error)?.message ?? e).slice(0, 200)}` };
  }
}

/**
 * Why the disclosed claims are not the certificate's (`undefined` when they are): every disclosed claim must equal
 * the mapping of the certificate issued under `jti`, every claim the mapping always discloses must be there, and only
 * the holder binding may be added. Undisclosed selective claims may be absent: that is what selective disclosure is.
 */
export function claimsMismatch(claims: Record<string, unknown>, recordCredential: Record<string, unknown>, same: (a: unknown, b: unknown) => boolean): string | undefined {
  const parsed = senimCertificateSchema.safeParse(recordCredential);
  if (!parsed.success) return "The record under this jti is not a certificate this mapping covers.";
  const expected = sdJwtClaimsOf(recordCredential);
  for (const [k, v] of Object.entries(claims)) {
    if (BINDING_CLAIMS.includes(k)) continue;
    if (!(k in expected)) return `The SD-JWT VC carries a claim the certificate issued under its jti does not: ${JSON.stringify(k.slice(0, 60))}.`;
    if (!same(v, expected[k])) return `The SD-JWT VC's ${JSON.stringify(k.slice(0, 60))} differs from the certificate issued under its jti.`;
  }
  for (const k of Object.keys(expected)) {
    if (!(k in claims) && !(SELECTIVE_CLAIMS as readonly string[]).includes(k) && !ADDED_LATER_CLAIMS.includes(k)) return `The SD-JWT VC lacks the certificate's ${JSON.stringify(k)}.`;
  }
  return undefined;
}

/** The holder's key and DID from `cnf`: a did:key / did:jwk URL, or an inline Ed25519 / P-256 JWK (then its did:jwk). */
export async function holderOf(payload: Record<string, unknown>): Promise<{ did: string; jwk: HolderJwk } | undefined> {
  const cnf = payload.cnf;
  if (!isPlainObject(cnf)) return undefined;
  if (typeof cnf.kid === "string") {
    const did = didOf(cnf.kid);
    if (!/^did:(key|jwk):/.test(did)) return undefined;
    const jwk = await resolveHolderDid(cnf.kid);
    return jwk ? { did, jwk } : undefined;
  }
  const j = cnf.jwk;
  if (!isPlainObject(j) || typeof j.x !== "string" || j.d !== undefined) return undefined;
  let jwk: HolderJwk | undefined;
  if (j.kty === "OKP" && j.crv === "Ed25519") jwk = { kty: "OKP", crv: "Ed25519", x: j.x };
  else if (j.kty === "EC" && j.crv === "P-256" && typeof j.y === "string") jwk = { kty: "EC", crv: "P-256", x: j.x, y: j.y };
  return jwk ? { did: didJwkFor(jwk), jwk } : undefined;
}

/** SD-JWT §4.3.1: the KB-JWT's `sd_hash`, base64url SHA-256 of the SD-JWT as presented without the KB-JWT. */
export async function sdHashOf(withoutKb: string): Promise<string> {
  return base64url(await hasher(withoutKb, SD_ALG));
}

/** The credential as stored, its subject bound to the holder's DID (`credentialSubject.id`), nothing else changed. */
export function boundToHolder(stored: Record<string, unknown>, holderDid: string): Record<string, unknown> {
  const { id: _id, ...rest } = stored.credentialSubject as Record<string, unknown>;
  return { ...stored, credentialSubject: { id: holderDid, ...rest } };
}
