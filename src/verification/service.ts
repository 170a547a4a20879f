/**
 * Verification for anyone — a bar, an employer, a court — over the one pipeline (src/credentials/verify.ts and
 * presentation.ts): takes what a person has (the vc+jwt, the JSON credential, the certificate's URL from its QR code,
 * or a presentation) and returns every check. A thin adapter: it only turns inputs into pipeline inputs. Never
 * fetches from the network.
 */
import { attestationIdIn } from "../credentials/attestation.js";
import { certificateIdIn, certificateSpace } from "../credentials/certificate-url.js";
import { NotACredential, notACredential, type PresentationResult, type VerificationResult } from "../credentials/checks.js";
import { verifyPresentation, type PresentationExpectations, type PresentationPorts } from "../credentials/presentation.js";
import { summaryOfRecord, verifyCredential, type IssuedRecord } from "../credentials/verify.js";
import { TtlCache } from "../lib/cache.js";
import type { Metrics } from "../lib/metrics.js";
import type { CertificateSummary } from "../credentials/checks.js";

export type VerificationInput = { jwt: string } | { credential: Record<string, unknown> } | { url: string };

/** Records are immutable once issued (revocation lives in the status list), so they may be kept for long. */
const RECORD_CACHE_MS = 10 * 60_000;

export class VerificationService {
  private readonly ports: PresentationPorts;
  private readonly records = new TtlCache<IssuedRecord>(RECORD_CACHE_MS);

  constructor(
    ports: PresentationPorts,
    /** Issue 17: verifications asked for, by outcome (GET /metrics). */
    private readonly metrics?: Pick<Metrics, "verification">,
  ) {
    // A certificate's page verifies its record and then holds the credential to that same record: one read and one
    // decoding, not two of each, and none for the next request about the same certificate.
    // Only found records are kept: one issued a moment later must be found at once.
    this.ports = {
      ...ports,
      issuedCertificate: async (id) => {
        const cached = this.records.get(id);
        if (cached) return cached;
        const found = await ports.issuedCertificate(id);
        if (found) this.records.set(id, found);
        return found;
      },
    };
  }

  /**
   * POST /api/verify, the /verify page, the VC API's POST /credentials/verify and every credential of a
   * presentation: one pipeline.
   * @throws NotACredential when the input is not a credential at all (400).
   */
  async verify(input: VerificationInput): Promise<VerificationResult> {
    try {
      const result = await this.verifyInput(input);
      this.metrics?.verification(result.verified ? "verified" : "failed");
      return result;
    } catch (e) {
      if (e instanceof NotACredential) this.metrics?.verification("not-a-credential");
      throw e;
    }
  }

  private async verifyInput(input: VerificationInput): Promise<VerificationResult> {
    if ("jwt" in input) return verifyCredential({ jwt: input.jwt }, this.ports);
    if ("credential" in input) return verifyCredential({ json: input.credential }, this.ports);
    const attestationId = attestationIdIn(this.ports.publicUrl, input.url);
    if (attestationId) return this.verifyAttestation(attestationId);
    const id = certificateIdIn(this.ports.publicUrl, input.url, { allowSubpath: true });
    if (!id) throw notACredential("credential-url-not-ours", { space: certificateSpace(this.ports.publicUrl) });
    return this.verifyStored(id);
  }

  /** What the certificate page shows: the stored signed credential, verified like any other. */
  async verifyStored(certificateId: string): Promise<VerificationResult> {
    const issued = await this.ports.issuedCertificate(certificateId);
    if (!issued) throw notACredential("credential-certificate-unknown");
    return verifyCredential({ jwt: issued.jwt }, this.ports);
  }

  /**
   * What an annual attestation's page shows: the stored vc+jwt, verified like any other. Never cached: whether its
   * closing stands and whether it is revoked can change at any moment.
   */
  async verifyAttestation(id: string): Promise<VerificationResult> {
    const record = await this.ports.issuedAttestation?.(id);
    if (!record) throw notACredential("credential-attestation-unknown");
    return verifyCredential({ jwt: record.jwt }, this.ports);
  }

  /** What a certificate issued here says, from its record (the vc+jwt stored at issue): the facts crediting uses. */
  async recordOf(certificateId: string): Promise<CertificateSummary | undefined> {
    const issued = await this.ports.issuedCertificate(certificateId);
    return issued ? summaryOfRecord(issued) : undefined;
  }

  /** The VC API's POST /presentations/verify and OpenID4VP's direct_post: the holder's proof, then every credential. */
  verifyPresentation(vp: unknown, expect: PresentationExpectations): Promise<PresentationResult> {
    return verifyPresentation(vp, expect, this.ports);
  }
}
