/**
 * Issue 18: issuing an event of any size inside the edge's limits. On Node one call issues every participant; a
 * Worker has 1,000 D1 queries (50 on the Free plan) and 128 MB per invocation, so there an issuing call takes at most
 * `chunk` participants and, when some remain, hands the rest to the next invocation (a Cloudflare Queue message,
 * src/runtime/worker.ts), which does the same until none remain. Without a queue the answer says how many remain and
 * the provider calls again: issuing is idempotent, so a repeated call only continues.
 *
 * The one way to issue: the API route, the console and the queue consumer all come through `issue`/`continue`.
 */
import type { Principal } from "../domain/authz.js";
import type { RegistryService } from "../registry/service.js";
import type { StoredCertificate } from "./model.js";
import type { IssuanceService, IssueOutcome } from "./service.js";

export type CertificateFormat = "jwt" | "di";

/** What the next invocation needs to go on: the event, who asked (their key is checked again), and the form. */
export interface IssuingJob {
  eventId: string;
  partyId: string;
  keyId: string;
  format: CertificateFormat;
}

export interface IssuingContinuation {
  /** Participants one call issues at most. */
  chunk: number;
  /** Schedules the next call; absent, the provider's next call continues. */
  later?: (job: IssuingJob) => Promise<void>;
}

export class IssuingRun {
  constructor(
    private readonly deps: {
      issuance: IssuanceService;
      registry: RegistryService;
      /** format=di: adds the Data Integrity proof to certificates (StandardsService.addCertificateProofs). */
      addProofs: (certificates: StoredCertificate[]) => Promise<void>;
      continuation?: IssuingContinuation;
    },
  ) {}

  /** Participants one call issues at most (`undefined`: all of them). */
  get chunk(): number | undefined {
    return this.deps.continuation?.chunk;
  }

  /** Whether what one call leaves goes on by itself. */
  get continuesByItself(): boolean {
    return Boolean(this.deps.continuation?.later);
  }

  /** One issuing call for the event, and (when participants remain and a queue is there) the next one scheduled. */
  async issue(principal: Principal, eventId: string, format: CertificateFormat = "jwt"): Promise<IssueOutcome> {
    const outcome = await this.deps.issuance.issueCertificates(principal, eventId, { limit: this.chunk });
    // format=di: the certificates this call stored also get their Data Integrity proof (vc+jwt is always made).
    if (format === "di" && outcome.issuedIds.length > 0) {
      const ids = new Set(outcome.issuedIds);
      await this.deps.addProofs((await this.deps.issuance.certificatesOf(eventId)).filter((c) => ids.has(c.id)));
    }
    const later = this.deps.continuation?.later;
    if (outcome.pending > 0 && later && principal.role === "provider") {
      await later({ eventId, partyId: principal.partyId, keyId: principal.keyId, format });
    }
    return outcome;
  }

  /**
   * The next call of a job: as the provider who asked, if their key still stands (a key revoked meanwhile stops
   * the run; what was issued stays). Returns how many participants remain.
   */
  async continue(job: IssuingJob): Promise<number> {
    const principal = await this.deps.registry.principalOfProviderKey(job.keyId, job.partyId);
    if (!principal) return 0;
    return (await this.issue(principal, job.eventId, job.format)).pending;
  }
}
