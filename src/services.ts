/** Wires services to a database: the one composition root every runtime calls. */
import type { Services } from "./http/context.js";
import { IssuanceService } from "./issuance/service.js";
import { IssuingRun, type IssuingContinuation } from "./issuance/issuing-run.js";
import type { Keyring } from "./registry/keyring.js";
import { RegistryService, systemClock, type Clock } from "./registry/service.js";
import { transactionalAtomic, type Atomic, type StoreDb } from "./storage/atomic.js";
import { KyselyIssuanceStore } from "./storage/issuance-store.js";
import { KyselyRegistryStore } from "./storage/registry-store.js";
import { VerificationService } from "./verification/service.js";
import { Oid4vciService } from "./wallet/oid4vci.js";
import { PresentationService } from "./wallet/oid4vp.js";
import { KyselyWalletStore } from "./storage/wallet-store.js";
import { ComplianceService } from "./compliance/service.js";
import { SurveyService } from "./compliance/surveys.js";
import { AnalysisService } from "./compliance/analysis.js";
import { KyselyLedgerStore, KyselyMemberStore } from "./storage/member-store.js";
import { KyselySurveyStore } from "./storage/survey-store.js";
import { KyselyAnalysisStore } from "./storage/analysis-store.js";
import { SessionService } from "./console/sessions.js";
import { KyselySessionStore } from "./storage/session-store.js";
import { StandardsService } from "./standards/service.js";
import { createDocumentLoader } from "./credentials/contexts.js";
import { KyselyStandardsStore } from "./storage/standards-store.js";
import { DeliveryService } from "./delivery/service.js";
import type { DeliveryPolicy } from "./domain/outbox.js";
import { KyselyOutboxStore } from "./storage/outbox-store.js";
import { SubmissionService } from "./compliance/submissions.js";
import { KyselySubmissionStore } from "./storage/submission-store.js";
import { KyselyAttachmentStore } from "./storage/attachment-store.js";
import { AdvocateService } from "./advocates/service.js";
import { KyselyAdvocateStore } from "./storage/advocate-store.js";
import { ReminderService } from "./compliance/reminders.js";
import { KyselyReminderStore } from "./storage/reminder-store.js";
import { YearClosingService } from "./compliance/closing.js";
import { KyselyClosingStore } from "./storage/closing-store.js";
import { AttestationService } from "./compliance/attestations.js";
import { KyselyAttestationStore } from "./storage/attestation-store.js";
import { ProgrammeContentService } from "./registry/programme-content.js";
import { KyselyProgrammeContentStore } from "./storage/programme-content-store.js";
import { JsonMetrics, type Metrics } from "./lib/metrics.js";
import { TrustListService } from "./registry/trust-list.js";
import { RBA_ID } from "./domain/catalog.js";
import { KyselyPartyLogoStore } from "./storage/party-logo-store.js";
import { AuditService } from "./registry/audit.js";
import { KyselyAuditStore } from "./storage/audit-store.js";

export interface ServiceConfig {
  db: StoreDb["db"];
  /** How several statements are applied as one (runtime-specific: D1 `batch()`); a transaction by default. */
  atomic?: Atomic;
  /** The dialect's limit on bound parameters per statement (D1: 100); SQLite's 32,766 by default. */
  maxParameters?: number;
  keyring: Keyring;
  publicUrl: string;
  adminTokenHash?: string;
  clock?: Clock;
  /** Issue 13: retries, backoff and the sender's lease (defaults in src/domain/outbox.ts). */
  deliveryPolicy?: Partial<DeliveryPolicy>;
  /** `false`: issue without queueing delivery messages (the benchmark's baseline). */
  queueDelivery?: boolean;
  /** Issue 17: where the service counts (prom-client on Node); the isolate's JSON counters by default. */
  metrics?: Metrics;
  /** Issue 17: SHA-256 (hex) of the token GET /metrics asks for; without it the endpoint does not exist. */
  metricsTokenHash?: string;
  /** Issue 18: issue at most this many participants per call, and how the rest continue (Workers); all at once by default. */
  issuingContinuation?: IssuingContinuation;
}

export function createServices(config: ServiceConfig): Services {
  const store: StoreDb = { db: config.db, atomic: config.atomic ?? transactionalAtomic(config.db), maxParameters: config.maxParameters ?? 32_766 };
  const registry = new RegistryService({
    store: new KyselyRegistryStore(store),
    keyring: config.keyring,
    publicUrl: config.publicUrl.replace(/\/+$/, ""),
    clock: config.clock ?? systemClock,
    adminTokenHash: config.adminTokenHash,
  });
  const issuanceStore = new KyselyIssuanceStore(store);
  const outboxStore = new KyselyOutboxStore(store);
  const metrics = config.metrics ?? new JsonMetrics();
  const issuance = new IssuanceService({ store: issuanceStore, registry, metrics, ...(config.queueDelivery === false ? {} : { delivery: outboxStore }) });
  const documentLoader = createDocumentLoader({ resolveDid: (url) => registry.resolveDidUrl(url) });
  const standards = new StandardsService({ registry, issuance, issuanceStore, store: new KyselyStandardsStore(store), documentLoader });
  // The bar's key lives with its OpenID4VP verifier and its attestations with the closed years, both made below: the
  // verifier ports reach them by late binding.
  let presentations: PresentationService | undefined;
  let attestations: AttestationService | undefined;
  // The one set of verifier ports: every verification entry point (API, pages, VC API, OpenID4VP) shares them.
  const verification = new VerificationService({
    publicUrl: registry.publicUrl,
    // A party's key, else a bar's own did:web key (what signs its annual attestations).
    resolveKey: async (kid) => (await registry.resolveKey(kid)) ?? presentations!.barKey(kid),
    barOfDid: (did) => presentations!.barOfDid(did),
    issuedAttestation: (id) => attestations!.record(id),
    accreditationsOf: (did) => registry.accreditationsOf(did),
    registeredNameOf: (did) => registry.registeredNameOf(did),
    issuedCertificate: async (id) => {
      const c = await issuance.getCertificate(id);
      return c && { jwt: c.jwt, credential: issuance.credentialOf(c) };
    },
    statusBit: (entry) => issuance.statusBit(entry),
    resolveDidUrl: (url) => registry.resolveDidUrl(url),
    documentLoader,
    now: () => registry.now(),
  }, metrics);
  const walletStore = new KyselyWalletStore(store);
  presentations = new PresentationService({ store: walletStore, registry, verification, keyring: config.keyring });
  const wallet = {
    // An attestation offer yields the bar's attestation, re-signed with the bar's key (its verifier's).
    oid4vci: new Oid4vciService({ metrics, store: walletStore, issuanceStore, registry, standards, keyring: config.keyring, attestations: { standing: (id) => attestations!.standing(id) }, bars: presentations }),
    presentations,
  };
  const memberStore = new KyselyMemberStore(store);
  const submissionStore = new KyselySubmissionStore(store);
  // A closed year's report is its frozen snapshot (12.1, 12.2): the compliance report asks the closing service, which
  // itself builds the snapshot from the compliance report, hence the late binding.
  let closing: YearClosingService | undefined;
  const compliance = new ComplianceService({
    store: memberStore,
    ledger: new KyselyLedgerStore(store),
    registry,
    submissions: submissionStore,
    closedReport: (barId, year) => closing!.closedReport(barId, year),
  });
  const closingStore = new KyselyClosingStore(store);
  closing = new YearClosingService({ store: closingStore, compliance, registry, submissions: submissionStore });
  attestations = new AttestationService({ store: new KyselyAttestationStore(store), closings: closingStore, registry, bars: wallet.presentations });
  // Outside and paper certificates: verified on upload through the one pipeline, reviewed by the member's bar.
  const submissions = new SubmissionService({
    store: submissionStore,
    attachments: new KyselyAttachmentStore(store),
    members: memberStore,
    verify: (input) => verification.verify(input),
    bar: (id) => registry.bar(id),
    publicUrl: registry.publicUrl,
    now: () => registry.now(),
  });
  const surveyStore = new KyselySurveyStore(store);
  const surveys = new SurveyService({ store: surveyStore, registry, issuance, keyring: config.keyring });
  const delivery = new DeliveryService({
    store: outboxStore,
    registry,
    issuance,
    surveys: {
      deriveToken: (rowId, generation) => config.keyring.mac("delivery-survey-token", `${rowId}.${generation}`),
      // The token's HMAC, as SurveyService keeps every link (the token itself is in the message only).
      putLink: async (certificateId, token) => void (await surveyStore.putLinks([{ certificateId, tokenMac: await config.keyring.mac("survey-token", token) }], "replace")),
      isAnswered: (id) => surveys.isAnswered(id),
      surveyUrl: (token) => surveys.surveyUrl(token),
    },
    policy: config.deliveryPolicy,
  });
  const analysis = new AnalysisService({ store: new KyselyAnalysisStore(store), registry, compliance, surveys });
  const sessions = new SessionService({ store: new KyselySessionStore(store), registry });
  const advocates = new AdvocateService({ store: new KyselyAdvocateStore(store), registry, keyring: config.keyring, compliance, members: memberStore });
  // Reminders to members short of the year's requirement, from the same report the bar and /me see.
  const reminders = new ReminderService({ store: new KyselyReminderStore(store), registry, compliance });
  // 10.3: each bar's approved programme content, published with its registry.
  const programmeContent = new ProgrammeContentService({ store: new KyselyProgrammeContentStore(store), registry });
  // Issue 17: the registry as one credential signed by the RBA's own did:web key, for verifiers without a connection.
  const trustList = new TrustListService({
    registry,
    rba: async () => ({ did: presentations!.barDid(RBA_ID), name: (await registry.bar(RBA_ID))?.names.kk ?? RBA_ID, signer: await presentations!.barSigner(RBA_ID) }),
  });
  // Issue 17: the audit log; its checkpoints are signed with the same RBA key as the trust list.
  const audit = new AuditService({
    store: new KyselyAuditStore(store),
    rba: async () => ({ did: presentations!.barDid(RBA_ID), signer: await presentations!.barSigner(RBA_ID) }),
    now: () => registry.now(),
  });
  const issuing = new IssuingRun({ issuance, registry, addProofs: (certificates) => standards.addCertificateProofs(certificates), ...(config.issuingContinuation ? { continuation: config.issuingContinuation } : {}) });
  return { audit, registry, issuance, issuing, verification, standards, wallet, compliance, surveys, analysis, sessions, submissions, delivery, advocates, reminders, closing, attestations, programmeContent, trustList, metrics, metricsTokenHash: config.metricsTokenHash, partyLogos: new KyselyPartyLogoStore(store) };
}
