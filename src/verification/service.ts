/**
 * Verification for anyone — a bar, an employer, a court: takes what a person has (the vc+jwt, the JSON credential,
 * or the certificate's URL from its QR code) and returns every check. Never fetches from the network.
 */
import { isPlainObject } from "../credentials/jwt.js";
import { NotACredential, verifyVcJwt, type VerificationResult, type VerifierPorts } from "../credentials/verify.js";
import { VC_JWT_MEDIA_TYPE } from "../credentials/vocabulary.js";
import type { IssuanceService } from "../issuance/service.js";
import type { RegistryService } from "../registry/service.js";
import type { StandardsService } from "../standards/service.js";

export type VerificationInput = { jwt: string } | { credential: Record<string, unknown> } | { url: string };

export class VerificationService {
  private readonly ports: VerifierPorts;

  constructor(private readonly deps: { registry: RegistryService; issuance: IssuanceService; standards?: StandardsService }) {
    this.ports = {
      resolveKey: (kid) => deps.registry.resolveKey(kid),
      accreditationsOf: (did) => deps.registry.accreditationsOf(did),
      statusBit: (entry) => deps.issuance.statusBit(entry),
      now: () => deps.registry.now(),
    };
  }

  /** @throws NotACredential when the input is not a credential at all (400). */
  async verify(input: VerificationInput): Promise<VerificationResult> {
    if ("jwt" in input) return verifyVcJwt(input.jwt, this.ports);
    if ("url" in input) return this.verifyStored(this.certificateIdFromUrl(input.url));
    return this.verifyJson(input.credential);
  }

  /** What the certificate page shows: the stored signed credential, verified like any other. */
  async verifyStored(certificateId: string): Promise<VerificationResult> {
    const stored = await this.deps.issuance.getCertificate(certificateId);
    if (!stored) throw new NotACredential("No certificate with this id was issued here.");
    return verifyVcJwt(stored.jwt, this.ports);
  }

  private certificateIdFromUrl(url: string): string {
    const prefix = `${this.deps.registry.publicUrl}/c/`;
    const id = url.trim().startsWith(prefix) ? url.trim().slice(prefix.length).split(/[/?#]/)[0] : undefined;
    if (!id || !/^[0-9a-z]{1,40}$/.test(id)) {
      throw new NotACredential(`Only certificate URLs of this service (${prefix}…) can be verified by URL; upload the credential instead.`);
    }
    return id;
  }

  /**
   * A JSON credential is either an `EnvelopedVerifiableCredential` (VC-JOSE-COSE) carrying the vc+jwt, or the
   * `.json` download of one of our certificates: then it must equal, member for member, what its issuer signed.
   */
  private async verifyJson(credential: Record<string, unknown>): Promise<VerificationResult> {
    const type = credential.type;
    const types = Array.isArray(type) ? type : [type];
    if (types.includes("EnvelopedVerifiableCredential")) {
      const id = typeof credential.id === "string" ? credential.id : "";
      const prefix = `data:${VC_JWT_MEDIA_TYPE},`;
      if (!id.startsWith(prefix)) throw new NotACredential(`An EnvelopedVerifiableCredential must carry a ${prefix}… id.`);
      return verifyVcJwt(id.slice(prefix.length), this.ports);
    }
    if (!types.includes("VerifiableCredential")) throw new NotACredential("The JSON is not a verifiable credential.");
    // A Data Integrity secured credential carries its own proof: verify that, whoever stored what.
    if (this.deps.standards && credential.proof !== undefined) return this.deps.standards.verifyCredential(credential);
    const stored = typeof credential.id === "string" ? await this.storedFor(credential.id) : undefined;
    if (!stored) {
      return unsupported(credential, isPlainObject(credential.proof) || Array.isArray(credential.proof)
        ? "Data Integrity proofs are not verified by this endpoint yet; send the vc+jwt form."
        : "The credential carries no proof and is not a certificate issued here.");
    }
    const result = await verifyVcJwt(stored, this.ports);
    if (!sameJson(result.credential, credential)) {
      const signature = result.checks.find((c) => c.check === "signature")!;
      Object.assign(signature, { outcome: "failed", code: "content-differs", detail: "The JSON differs from what the issuer signed: it was altered." });
      for (const c of result.checks) if (c.check !== "signature" && c.check !== "format") Object.assign(c, { outcome: "not-checked", code: "not-checked", detail: "Not checked: the contents cannot be trusted." });
      result.verified = false;
      result.summary = null;
      result.credential = credential;
    }
    return result;
  }

  private async storedFor(credentialId: string): Promise<string | undefined> {
    try {
      return (await this.deps.issuance.getCertificate(this.certificateIdFromUrl(credentialId)))?.jwt;
    } catch {
      return undefined;
    }
  }
}

function unsupported(credential: Record<string, unknown>, detail: string): VerificationResult {
  const notChecked = (check: "format" | "key" | "accreditation" | "status" | "validity") => ({ check, outcome: "not-checked" as const, code: "not-checked", detail: "Not checked: there is no signature to trust." });
  return {
    verified: false,
    checks: [notChecked("format"), { check: "signature", outcome: "failed", code: "no-supported-proof", detail }, notChecked("key"), notChecked("accreditation"), notChecked("status"), notChecked("validity")],
    summary: null,
    credential,
  };
}

/** Structural equality of two JSON values (member order ignored); input depth is bounded before it gets here. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
  }
  return false;
}

