/**
 * DPoP (RFC 9449): a wallet that sends a `DPoP` proof to the token endpoint gets a token bound to that proof's key,
 * and the credential endpoint then takes the token only with a fresh proof by the same key over that request and that
 * token. A copied access token is then useless without the wallet's private key.
 *
 * The one check of a DPoP proof (§4.3), for both endpoints. `jti`s are not stored: each token and each offer is
 * used once, and a proof is bound to one method, one URL and (at the credential endpoint) one token within a
 * five-minute window, so a replayed proof can only repeat a request that already spent what it asked for.
 */
import { calculateJwkThumbprint, compactVerify, decodeProtectedHeader, importJWK, type JWK } from "jose";
import { base64url } from "../lib/ids.js";
import { isPlainObject } from "../credentials/jwt.js";
import { OAuthError } from "./oauth-error.js";

/** The JOSE algorithms a DPoP key may use here: those of the wallet keys Senim already verifies (holder-key.ts). */
export const DPOP_SIGNING_ALGS = ["EdDSA", "ES256"] as const;
const DPOP_TYP = "dpop+jwt";
/** §11.1: how far `iat` may lie in the past, and (clock skew) in the future. */
const MAX_AGE_S = 300;
const MAX_SKEW_S = 60;
const MAX_PROOF_LENGTH = 4_096;

export interface DpopExpectation {
  /** The request's method and the endpoint's URL as this service publishes it (§4.3: htu without query or fragment). */
  method: string;
  url: string;
  now: string;
  /** At the resource server: the token the proof must name (`ath`), and the thumbprint the token is bound to. */
  accessToken?: string;
  jkt?: string;
  /** 400 at the token endpoint (RFC 9449 §5), 401 at the resource server (§7.1). */
  status: 400 | 401;
}

/** The proof's key thumbprint when the `DPoP` header holds a valid proof for `expect`; an OAuthError otherwise. */
export async function verifyDpopProof(headerValue: string, expect: DpopExpectation): Promise<{ jkt: string }> {
  const refuse = (why: string) => new OAuthError(expect.status, "invalid_dpop_proof", `DPoP proof refused: ${why}`);
  const proof = headerValue.trim();
  // §4.3 item 1: exactly one proof (a comma would mean several header fields joined).
  if (proof.length === 0 || proof.length > MAX_PROOF_LENGTH || proof.includes(",")) throw refuse("send exactly one compact JWT in the DPoP header.");
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(proof) as Record<string, unknown>;
  } catch {
    throw refuse("it is not a compact JWT.");
  }
  if (header.typ !== DPOP_TYP) throw refuse(`its typ must be ${DPOP_TYP}.`);
  const alg = header.alg;
  if (typeof alg !== "string" || !(DPOP_SIGNING_ALGS as readonly string[]).includes(alg)) throw refuse(`its alg must be one of ${DPOP_SIGNING_ALGS.join(", ")}.`);
  const jwk = header.jwk;
  if (!isPlainObject(jwk) || "d" in jwk) throw refuse("its header must carry the public key as jwk (and no private part).");
  const expectedKty = alg === "EdDSA" ? { kty: "OKP", crv: "Ed25519" } : { kty: "EC", crv: "P-256" };
  if (jwk.kty !== expectedKty.kty || jwk.crv !== expectedKty.crv) throw refuse(`an ${alg} proof's jwk must be ${expectedKty.kty} ${expectedKty.crv}.`);
  let claims: Record<string, unknown>;
  try {
    const key = await importJWK(jwk as JWK, alg);
    const verified = await compactVerify(proof, key, { algorithms: [alg] });
    claims = JSON.parse(new TextDecoder().decode(verified.payload));
  } catch {
    throw refuse("its signature does not verify with its own jwk.");
  }
  if (!isPlainObject(claims)) throw refuse("its payload must be a JSON object.");
  if (typeof claims.jti !== "string" || claims.jti.length === 0 || claims.jti.length > 256) throw refuse("it needs a jti.");
  if (claims.htm !== expect.method) throw refuse(`htm must be ${expect.method}.`);
  if (typeof claims.htu !== "string" || withoutQuery(claims.htu) !== withoutQuery(expect.url)) throw refuse(`htu must be ${expect.url}.`);
  const now = Math.floor(Date.parse(expect.now) / 1000);
  if (typeof claims.iat !== "number" || !Number.isFinite(claims.iat) || claims.iat < now - MAX_AGE_S || claims.iat > now + MAX_SKEW_S) {
    throw refuse(`iat must be within the last ${MAX_AGE_S} seconds.`);
  }
  if (expect.accessToken !== undefined) {
    const ath = base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(expect.accessToken))));
    if (claims.ath !== ath) throw refuse("ath must be the base64url SHA-256 of the access token.");
  }
  const jkt = await calculateJwkThumbprint(jwk as JWK, "sha256");
  if (expect.jkt !== undefined && jkt !== expect.jkt) throw refuse("it is signed by another key than the one the access token is bound to.");
  return { jkt };
}

/** §4.3 item 9: htu is compared without its query and fragment (and a URL parser's normal form on both sides). */
function withoutQuery(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "";
  }
}
