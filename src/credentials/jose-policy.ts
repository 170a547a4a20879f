/**
 * VC-JOSE-COSE rules for `vc+jwt` and `vp+jwt` beyond the signature itself (W3C VC-JOSE-COSE §3.1): which algorithm,
 * media types (`typ`, `cty`), no VC-JWT 1.1 `vc`/`vp` claims, and `iss` naming the same party as the issuer or holder.
 * Pure: header and payload in, the first problem's stable code out (or `undefined`).
 */
import { isPlainObject } from "./jwt.js";

export type JoseProblem = "algorithm-not-allowed" | "wrong-media-type" | "vc-jwt-1.1-claims" | "issuer-mismatch";

const TYP = { vc: ["vc+jwt", "application/vc+jwt"], vp: ["vp+jwt", "application/vp+jwt"] } as const;
const CTY = { vc: ["vc", "application/vc"], vp: ["vp", "application/vp"] } as const;

export function joseProblem(header: Record<string, unknown>, payload: unknown, kind: "vc" | "vp"): JoseProblem | undefined {
  if (header.alg !== "EdDSA") return "algorithm-not-allowed";
  // RFC 7515 §4.1.9–10: media types compare case-insensitively and may omit "application/".
  if (header.typ !== undefined && !(TYP[kind] as readonly string[]).includes(String(header.typ).toLowerCase())) return "wrong-media-type";
  if (header.cty !== undefined && !(CTY[kind] as readonly string[]).includes(String(header.cty).toLowerCase())) return "wrong-media-type";
  if (!isPlainObject(payload)) return undefined;
  // The payload is the credential or presentation itself; VC-JWT 1.1's wrapping claims must not appear.
  if ("vc" in payload || "vp" in payload) return "vc-jwt-1.1-claims";
  const party = kind === "vc" ? payload.issuer : payload.holder;
  const partyId = typeof party === "string" ? party : isPlainObject(party) ? party.id : undefined;
  if (payload.iss !== undefined && payload.iss !== partyId) return "issuer-mismatch";
  return undefined;
}

export const JOSE_PROBLEM_DETAIL: Record<JoseProblem, string> = {
  "algorithm-not-allowed": "Only EdDSA (Ed25519) signatures are accepted.",
  "wrong-media-type": "The JOSE header's typ or cty is not the media type of a verifiable credential or presentation.",
  "vc-jwt-1.1-claims": "The payload carries VC-JWT 1.1 vc/vp claims, which VC-JOSE-COSE forbids.",
  "issuer-mismatch": "The iss claim names another party than the issuer or holder.",
};
