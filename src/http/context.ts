import type { Context } from "hono";
import type { Principal } from "../domain/authz.js";
import { detailError } from "./problem.js";
import type { IssuanceService } from "../issuance/service.js";
import type { IssuingRun } from "../issuance/issuing-run.js";
import type { RegistryService } from "../registry/service.js";
import type { VerificationService } from "../verification/service.js";
import type { Oid4vciService } from "../wallet/oid4vci.js";
import type { PresentationService } from "../wallet/oid4vp.js";
import type { ComplianceService } from "../compliance/service.js";
import type { SurveyService } from "../compliance/surveys.js";
import type { AnalysisService } from "../compliance/analysis.js";
import type { SessionService } from "../console/sessions.js";
import type { StandardsService } from "../standards/service.js";
import type { DeliveryService } from "../delivery/service.js";
import type { SubmissionService } from "../compliance/submissions.js";
import type { AdvocateService } from "../advocates/service.js";
import type { ReminderService } from "../compliance/reminders.js";
import type { YearClosingService } from "../compliance/closing.js";
import type { AttestationService } from "../compliance/attestations.js";
import type { ProgrammeContentService } from "../registry/programme-content.js";
import type { Metrics } from "../lib/metrics.js";
import type { TrustListService } from "../registry/trust-list.js";

export interface Services {
  registry: RegistryService;
  issuance: IssuanceService;
  /** Issue 18: the one way an event is issued (in chunks where the runtime asks for them). */
  issuing: IssuingRun;
  verification: VerificationService;
  wallet: { oid4vci: Oid4vciService; presentations: PresentationService };
  compliance: ComplianceService;
  surveys: SurveyService;
  analysis: AnalysisService;
  /** Web console sign-in sessions (optional so runtimes and tests that build services by hand still compile). */
  sessions?: SessionService;
  standards: StandardsService;
  /** Outside and paper certificates and their review by the member's bar (optional like `sessions`, for hand-built services). */
  submissions?: SubmissionService;
  /** Issue 13: the outbox of certificate messages (optional so services built by hand still compile). */
  delivery?: DeliveryService;
  /** Issue 13: advocates' sign-in at /me and their record (optional like `sessions`, for hand-built services). */
  advocates?: AdvocateService;
  /** Issue 13: reminders to members short of the year's requirement (optional like `sessions`, for hand-built services). */
  reminders?: ReminderService;
  /** Issue 14: closing a bar's year (12.1, 12.2, 13.1) (optional like `sessions`, for hand-built services). */
  closing?: YearClosingService;
  /** Issue 14: the bar's signed annual attestations (12.1, 12.2) (optional like `closing`). */
  attestations?: AttestationService;
  /** Issue 14: the bars' approved indicative content of the programmes (10.3) (optional like `closing`). */
  programmeContent?: ProgrammeContentService;
  /** Whether this runtime has a mail transport (SMTP_URL, MAIL_API_URL); without one messages stay queued. */
  mailConfigured?: boolean;
  /** Issue 17: what the service counts, and the hash of the token GET /metrics asks for (no token: no endpoint). */
  metrics?: Metrics;
  metricsTokenHash?: string;
  /** Issue 17: the registry signed by the RBA, for offline verifiers (optional like `closing`). */
  trustList?: TrustListService;
  /** Issue 17: the hash-chained audit log and its signed checkpoints (optional like `closing`). */
  audit?: import("../registry/audit.js").AuditService;
  /** Issue 16: providers' logos for their printable certificates (optional like `closing`). */
  partyLogos?: import("../storage/party-logo-store.js").PartyLogoStore;
}

export type AppEnv = { Variables: { principal: Principal | undefined } };

/** The caller's principal from `Authorization: Bearer <token>`, or 401. */
export async function requirePrincipal(c: Context<AppEnv>, services: Services): Promise<Principal> {
  const cached = c.get("principal");
  if (cached) return cached;
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const principal = match ? await services.registry.authenticate(match[1]!) : undefined;
  if (!principal) throw detailError("unauthenticated", "request-unauthenticated");
  c.set("principal", principal);
  return principal;
}
