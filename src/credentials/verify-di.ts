/**
 * Verifies a Data Integrity (`eddsa-rdfc-2022`) secured certificate with the same checks, codes and result as the
 * vc+jwt path (src/credentials/verify.ts): only the signature check differs.
 */
import type { DocumentLoader } from "./contexts.js";
import { verifyDataIntegrity } from "./data-integrity.js";
import { isPlainObject } from "./jwt.js";
import { verifiableCredentialSchema } from "./schema.js";
import { certificateFormat, completeChecks, issuerIdOf, NotACredential, type Check, type CheckId, type Outcome, type ResolvedKey, type VerificationResult, type VerifierPorts } from "./verify.js";

export async function verifyDataIntegrityCredential(
  secured: Record<string, unknown>,
  ports: VerifierPorts & { documentLoader: DocumentLoader },
): Promise<VerificationResult> {
  if (!verifiableCredentialSchema.safeParse(secured).success || !(isPlainObject(secured.proof) || Array.isArray(secured.proof))) {
    throw new NotACredential("The input is not a Data Integrity secured VC 2.0 credential.");
  }
  const { proof: _, ...credential } = secured;
  const checks = new Map<CheckId, Check>();
  const set = (check: CheckId, outcome: Outcome, code: string, detail: string) => checks.set(check, { check, outcome, code, detail });

  const { cert, format } = certificateFormat(credential);
  set("format", format.outcome, format.code, format.detail);

  const outcome = await verifyDataIntegrity(secured, { documentLoader: ports.documentLoader });
  let key: ResolvedKey | undefined;
  if (!outcome.ok) {
    const code = { "no-proof": "no-supported-proof", "unsupported-proof": "no-supported-proof", "bad-signature": "signature-invalid", "unknown-key": "unknown-key", "key-not-issuers": "key-not-issuers", malformed: "signature-invalid" }[outcome.reason];
    set("signature", "failed", code, outcome.reason === "bad-signature" ? "The signature does not match the contents: the certificate was altered or not signed by this key." : outcome.detail);
  } else if (!(key = await ports.resolveKey(outcome.verificationMethod))) {
    // The proof is sound, but the key is no party's in the registry (e.g. an unregistered did:key).
    set("signature", "failed", "unknown-key", "The signing key is not known to the registry.");
  } else if (key.controller !== issuerIdOf(credential)) {
    set("signature", "failed", "key-not-issuers", "The signing key does not belong to the credential's issuer.");
  } else {
    set("signature", "passed", "signature-valid", "The eddsa-rdfc-2022 Data Integrity proof is valid.");
  }
  const result = await completeChecks(credential, cert, key, checks, ports);
  result.credential = secured;
  return result;
}
