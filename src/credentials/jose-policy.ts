/**
 * The one JOSE policy for `vc+jwt` and `vp+jwt` (W3C VC-JOSE-COSE §3.1, RFC 7515/7519), beyond the signature
 * itself: which algorithms, media types (`typ`, `cty`), no VC-JWT 1.1 `vc`/`vp` claims, `iss` naming the issuer or
 * holder, and the registered time claims. Pure: header, payload and the time in, the first problem's code out.
 */
import { isPlainObject } from "./jwt.js";

/**
 * `vc` and `vp`: VC-JOSE-COSE (`vc+jwt`, `vp+jwt`), the payload is the credential or presentation itself.
 * `vc-1.1`, `vp-1.1`: the VC-JWT 1.1 credential and presentation of OpenID4VCI's and OpenID4VP's `jwt_vc_json` format
 * (`vc` / `vp` claim, `typ` JWT; src/credentials/vc-jwt-11.ts).
 */
export type JoseKind = "vc" | "vp" | "vc-1.1" | "vp-1.1";
export type JoseProblem = "algorithm-not-allowed" | "wrong-media-type" | "vc-jwt-1.1-claims" | "issuer-mismatch" | "invalid-jwt-claims" | "no-key-id";
export type JwtTimeProblem = "expired" | "not-yet-valid";

/**
 * Credentials are signed by registry keys, all Ed25519. Presentations are signed by the holder's wallet key, which
 * may also be P-256 (did:jwk / did:key `zDn…`): ES256. Nothing else, and never `none`.
 */
export const ALLOWED_ALGORITHMS: Record<JoseKind, readonly string[]> = { vc: ["EdDSA"], vp: ["EdDSA", "ES256"], "vc-1.1": ["EdDSA"], "vp-1.1": ["EdDSA", "ES256"] };

const TYP: Record<JoseKind, readonly string[]> = { vc: ["vc+jwt", "application/vc+jwt"], vp: ["vp+jwt", "application/vp+jwt"], "vc-1.1": ["jwt"], "vp-1.1": ["jwt", "vp+jwt", "application/vp+jwt"] };
const CTY: Record<JoseKind, readonly string[]> = { vc: ["vc", "application/vc"], vp: ["vp", "application/vp"], "vc-1.1": [], "vp-1.1": ["vp", "application/vp"] };

/** Longest `kid` looked at (a P-256 did:jwk URL is about 200 characters). */
export const MAX_KID_LENGTH = 512;

/** How far a signer's clock may run ahead of ours (phones): `nbf` and `iat` may lie this far in the future. */
export const CLOCK_SKEW_SECONDS = 300;

/** The header and payload's first problem under the policy, or `undefined`. */
export function joseProblem(header: Record<string, unknown>, payload: unknown, kind: JoseKind): JoseProblem | undefined {
  if (typeof header.alg !== "string" || !ALLOWED_ALGORITHMS[kind].includes(header.alg)) return "algorithm-not-allowed";
  // RFC 7515 §4.1.9–10: media types compare case-insensitively and may omit "application/".
  if (header.typ !== undefined && !TYP[kind].includes(String(header.typ).toLowerCase())) return "wrong-media-type";
  if (header.cty !== undefined && !CTY[kind].includes(String(header.cty).toLowerCase())) return "wrong-media-type";
  if (!isPlainObject(payload)) return undefined;
  const claims = payloadProblem(payload, kind);
  if (claims) return claims;
  if (typeof header.kid !== "string" || header.kid.length === 0 || header.kid.length > MAX_KID_LENGTH) return "no-key-id";
  return undefined;
}

function payloadProblem(payload: Record<string, unknown>, kind: JoseKind): JoseProblem | undefined {
  // VC-JOSE-COSE: the payload is the credential or presentation itself; VC-JWT 1.1's wrapping claims must not appear.
  if ((kind === "vc" || kind === "vp") && ("vc" in payload || "vp" in payload)) return "vc-jwt-1.1-claims";
  const body = kind === "vp-1.1" && isPlainObject(payload.vp) ? payload.vp : kind === "vc-1.1" && isPlainObject(payload.vc) ? payload.vc : payload;
  const party = kind === "vc" || kind === "vc-1.1" ? body.issuer : body.holder;
  const partyId = typeof party === "string" ? party : isPlainObject(party) ? party.id : undefined;
  if (payload.iss !== undefined && partyId !== undefined && payload.iss !== partyId) return "issuer-mismatch";
  if (kind === "vc" && payload.iss !== undefined && partyId === undefined) return "issuer-mismatch";
  // RFC 7519 §4.1.4–5: NumericDate limits. A limit of another type would be read as "no limit": refuse it. (`iat`
  // limits nothing for a credential; the W3C VC-JOSE-COSE suite's valid inputs carry it as a date string.)
  for (const claim of ["exp", "nbf"] as const) {
    const v = payload[claim];
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v))) return "invalid-jwt-claims";
  }
  return undefined;
}

/** RFC 7519 §4.1.4–5: `exp` (on or after it, the JWT is expired) and `nbf`, with the allowed clock skew for `nbf`. */
export function jwtTimeProblem(payload: Record<string, unknown>, nowSeconds: number): JwtTimeProblem | undefined {
  if (typeof payload.exp === "number" && nowSeconds >= payload.exp) return "expired";
  if (typeof payload.nbf === "number" && payload.nbf > nowSeconds + CLOCK_SKEW_SECONDS) return "not-yet-valid";
  return undefined;
}

export const JOSE_PROBLEM_DETAIL: Record<JoseProblem, string> = {
  "algorithm-not-allowed": "The signature algorithm is not accepted (credentials: EdDSA; presentations: EdDSA or ES256).",
  "wrong-media-type": "The JOSE header's typ or cty is not the media type of a verifiable credential or presentation.",
  "vc-jwt-1.1-claims": "The payload carries VC-JWT 1.1 vc/vp claims, which VC-JOSE-COSE forbids.",
  "issuer-mismatch": "The iss claim names another party than the issuer or holder.",
  "invalid-jwt-claims": "A JWT validity claim (exp, nbf) is not a number.",
  "no-key-id": "The signature names no key (kid).",
};
