/**
 * The VC Data Model 1.1 JWT encoding (VC 1.1 §6.3.1), which OpenID4VCI 1.0 Appendix A.1.1 and OpenID4VP 1.0 B.1.3.1
 * call `jwt_vc_json`: the credential rides in a `vc` claim, and the registered claims stand for its members —
 * `iss` the issuer, `nbf` the issuance date, `exp` the expiration date, `jti` the id, `sub` the subject's id. Wallets
 * that keep `jwt_vc_json` (Credo among them) read only this shape, never a VC-JOSE-COSE `vc+jwt`.
 *
 * Here: the encoding of a credential into claims and back, the one rule that the two may not disagree, and the
 * signing of the claims (`typ: JWT`); the JOSE policy a verifier holds it to is jose-policy.ts's (`vc-1.1`).
 */
import { CompactSign } from "jose";
import { numericDate as seconds } from "../domain/time.js";
import { inVc2Terms, VC_V1_CONTEXT_URL, VC_V2_CONTEXT_URL } from "../domain/vc-model.js";
import { isPlainObject, type Signer } from "./jwt.js";

/** The JOSE `typ` of a VC-JWT 1.1 (RFC 7519 §5.1); VC-JOSE-COSE's is `vc+jwt`. */
export const VC_JWT_11_TYP = "JWT";

const instant = (numericDate: number) => new Date(numericDate * 1000).toISOString().replace(".000Z", "Z");

function issuerId(issuer: unknown): string | undefined {
  return typeof issuer === "string" ? issuer : isPlainObject(issuer) && typeof issuer.id === "string" ? issuer.id : undefined;
}

/**
 * A VC 2.0 credential (a Senim certificate) in VC 1.1 form, as the claims of its `jwt_vc_json` JWT: the same members
 * under the 1.1 context and names (validFrom → issuanceDate, validUntil → expirationDate), so that reading it back in
 * 2.0 terms (domain/vc-model.ts `inVc2Terms`) gives exactly the credential again, and the record check still holds.
 */
export function toVcJwt11Claims(credential: Record<string, unknown>, iat: number): Record<string, unknown> {
  const { validFrom, validUntil, ...rest } = credential;
  const context = credential["@context"] as unknown[];
  const vc: Record<string, unknown> = { ...rest, "@context": [VC_V1_CONTEXT_URL, ...context.filter((c) => c !== VC_V2_CONTEXT_URL)] };
  if (typeof validFrom === "string") vc.issuanceDate = validFrom;
  if (typeof validUntil === "string") vc.expirationDate = validUntil;
  const subject = credential.credentialSubject;
  const claims: Record<string, unknown> = { vc, iss: issuerId(credential.issuer), iat };
  if (typeof validFrom === "string") claims.nbf = seconds(validFrom);
  if (typeof validUntil === "string") claims.exp = seconds(validUntil);
  if (typeof credential.id === "string") claims.jti = credential.id;
  if (isPlainObject(subject) && typeof subject.id === "string") claims.sub = subject.id;
  return claims;
}

export type VcJwt11Decoding = { ok: true; credential: Record<string, unknown> } | { ok: false; detail: string };

/**
 * The credential a VC-JWT 1.1 claims set carries (VC 1.1 §6.3.1 "JWT decoding"): the `vc` object with the registered
 * claims restored into it. A claim that contradicts the member it stands for (another `jti` than the id, a `sub` that
 * is not the subject, an `nbf` that is not the issuance date) is refused: the two would say different things, and a
 * verifier must not pick one.
 */
export function fromVcJwt11Claims(payload: Record<string, unknown>): VcJwt11Decoding {
  if (!isPlainObject(payload.vc)) return { ok: false, detail: "A VC-JWT 1.1 carries its credential in a `vc` object." };
  const vc: Record<string, unknown> = structuredClone(payload.vc);
  const conflict = (claim: string, member: string) => ({ ok: false as const, detail: `The JWT's ${claim} contradicts the credential's ${member}.` });
  if (payload.jti !== undefined) {
    if (vc.id !== undefined && vc.id !== payload.jti) return conflict("jti", "id");
    vc.id = payload.jti;
  }
  if (payload.iss !== undefined) {
    const id = issuerId(vc.issuer);
    if (id !== undefined && id !== payload.iss) return conflict("iss", "issuer");
    if (id === undefined) vc.issuer = payload.iss;
  }
  if (payload.sub !== undefined) {
    const subject = vc.credentialSubject;
    if (!isPlainObject(subject)) return conflict("sub", "credentialSubject");
    if (subject.id !== undefined && subject.id !== payload.sub) return conflict("sub", "credentialSubject.id");
    vc.credentialSubject = { ...subject, id: payload.sub };
  }
  for (const [claim, member] of [["nbf", "issuanceDate"], ["exp", "expirationDate"]] as const) {
    const value = payload[claim];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || Math.abs(value) > 1e11) return { ok: false, detail: `The JWT's ${claim} is not a NumericDate.` };
    const stated = inVc2Terms(vc)[member === "issuanceDate" ? "validFrom" : "validUntil"];
    if (typeof stated === "string" && seconds(stated) !== value) return conflict(claim, member);
    if (stated === undefined && vc["@context"] !== undefined && Array.isArray(vc["@context"]) && vc["@context"][0] === VC_V1_CONTEXT_URL) vc[member] = instant(value);
  }
  return { ok: true, credential: vc };
}

/**
 * The credential signed as a VC-JWT 1.1 by `signer` (OpenID4VCI's `jwt_vc_json`): the same key and content as its
 * vc+jwt, `iat` = when this copy is signed, which is the instant the verifier holds the key's window to.
 */
export async function signVcJwt11(credential: Record<string, unknown>, signer: Signer, signedAt: string): Promise<string> {
  const claims = toVcJwt11Claims(credential, seconds(signedAt));
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader({ alg: "EdDSA", typ: VC_JWT_11_TYP, kid: signer.kid }).sign(signer.privateKey);
}
