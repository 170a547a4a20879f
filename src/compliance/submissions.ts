/**
 * Outside and paper certificates (2.2(2): the advocate records their own training; 7.5: paper certificates): a
 * certificate Senim did not issue, submitted with a scan or PDF and/or the signed credential file of another issuer,
 * and reviewed by the member's bar, which accepts it with the hours it credits or rejects it with a reason. Accepted
 * submissions count in the compliance report as `accepted-by-bar` (src/compliance/service.ts).
 *
 * Who submits: the advocate from their own record (`/me`, signed in by licence; {@link SubmissionService.submitAsAdvocate}),
 * or a bar's admin on the advocate's behalf ({@link SubmissionService.submitOnBehalf}); both make the same record and
 * both go through review.
 */
import { assertMayEnterSubmissions, assertMayReviewSubmissions, describePrincipal, type Principal } from "../domain/authz.js";
import { FORMS, PROGRAMMES, RBA_ID } from "../domain/catalog.js";
import { keyedError, type FieldProblem } from "../domain/errors.js";
import { fieldProblem } from "../domain/field-problems.js";
import type { AuditedWrite } from "../domain/audit.js";
import { audited } from "../lib/audit-chain.js";
import { normaliseKazakh, normaliseLicence } from "../domain/people.js";
import {
  MAX_ATTACHMENT_BYTES,
  MAX_CREDENTIAL_BYTES,
  hoursToTenths,
  sniffAttachmentType,
  tenthsToHours,
  yearOfDate,
  type AttachmentType,
  type SubmissionStatus,
} from "../domain/submission.js";
import { isValidDate, kzDate } from "../domain/time.js";
import { certificateIdIn } from "../credentials/certificate-url.js";
import { NOT_A_CREDENTIAL_TEMPLATES, NotACredential, type VerificationResult } from "../credentials/checks.js";
import { COMPLIANCE_DETAIL_TEMPLATES, SUBMISSION_DETAIL_TEMPLATES } from "./details.js";
import { newId } from "../lib/ids.js";
import type { MemberStore } from "./model.js";

// ---- storage ports --------------------------------------------------------------------------------------------------

export interface StoredAttachment {
  id: string;
  mediaType: AttachmentType;
  size: number;
  bytes: Uint8Array;
}

/**
 * Where attachments live: the database now (src/storage/attachment-store.ts), an object store later, behind this one
 * interface. Never a public URL: bytes leave only through the review routes, to the member's bar and the RBA.
 */
export interface AttachmentStore {
  /** Stores all the bytes or none. */
  put(a: { id: string; mediaType: AttachmentType; bytes: Uint8Array; createdAt: string }): Promise<void>;
  get(id: string): Promise<StoredAttachment | undefined>;
  delete(id: string): Promise<boolean>;
}

/** What the upload's verification found, kept with the submission for the reviewer. */
export interface CredentialCheck {
  /** The file as uploaded (a vc+jwt or a JSON credential). */
  text: string;
  /** The credential's own `id`, when it has one: two submissions of one credential count once. */
  credentialId: string | null;
  issuer: string | null;
  verified: boolean;
  profile: string | null;
  /** Check codes of the checks that failed (src/credentials/checks.ts). */
  failed: string[];
}

export interface Submission {
  id: string;
  barId: string;
  licence: string;
  /** 12.2: the calendar year of `completedOn`. */
  year: number;
  organiser: string;
  topic: string;
  programme: string;
  form: string;
  /** `YYYY-MM-DD`, the date on the certificate. */
  completedOn: string;
  /** 10.6: academic hours claimed, one decimal. */
  claimedHours: number;
  attachment: { id: string; mediaType: AttachmentType; size: number; name: string | null } | null;
  credential: CredentialCheck | null;
  submittedAt: string;
  /** `advocate:{barId}:{licence}`, or the admin's principal when entered on the advocate's behalf. */
  submittedBy: string;
  onBehalf: boolean;
  status: SubmissionStatus;
  /** Accepted: the hours the bar credits (≤ claimed). */
  creditedHours: number | null;
  /** Rejected: the reason the advocate sees. */
  reason: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
}

export type Decision = { status: "accepted"; creditedHours: number } | { status: "rejected"; reason: string };

export interface SubmissionStore {
  insert(s: Submission): Promise<void>;
  get(barId: string, id: string): Promise<Submission | undefined>;
  /** The bar's submissions, pending first (oldest first), then decided (newest decision first). */
  list(barId: string, filter?: { status?: SubmissionStatus; licence?: string }): Promise<Submission[]>;
  /** A member's own submissions, newest first (for `/me`). */
  listForMember(barId: string, licence: string): Promise<Submission[]>;
  /**
   * Records the decision if, and only if, the submission is still pending, in one statement
   * (`UPDATE … WHERE status = 'pending' RETURNING`): of concurrent decisions exactly one wins. `undefined` when it
   * was not pending (or does not exist).
   */
  decide(barId: string, id: string, decision: Decision, decidedAt: string, decidedBy: string, audit?: AuditedWrite): Promise<Submission | undefined>;
  /** Accepted submissions of the bar's members for `year`, for the compliance report. */
  acceptedInYear(barId: string, year: number): Promise<Submission[]>;
}

// ---- input --------------------------------------------------------------------------------------------------------

export interface SubmissionInput {
  organiser: string;
  topic: string;
  programme: string;
  form: string;
  completedOn: string;
  academicHours: number;
  /** A scan or PDF; its type is decided by its bytes, `name` is kept only as a label. */
  attachment?: { bytes: Uint8Array; name?: string | null } | null;
  /** A signed credential file of another issuer (`.jwt` or `.json`), as bytes. */
  credentialFile?: Uint8Array | null;
}

export interface SubmissionDeps {
  store: SubmissionStore;
  attachments: AttachmentStore;
  members: Pick<MemberStore, "getMember">;
  /** The one verification pipeline (`services.verification.verify`). */
  verify(input: { jwt: string } | { credential: Record<string, unknown> }): Promise<VerificationResult>;
  bar(barId: string): Promise<{ id: string } | undefined>;
  publicUrl: string;
  now(): string;
}

const MAX_TEXT = 500;

export class SubmissionService {
  constructor(private readonly deps: SubmissionDeps) {}

  // ---- submitting ---------------------------------------------------------------------------------------------------

  /**
   * The advocate's own submission, for `/me`: the caller has established (by the advocate's session) that the
   * licence is theirs. The licence must be a member of the bar.
   */
  async submitAsAdvocate(barId: string, licence: string, input: SubmissionInput): Promise<Submission> {
    const l = normaliseLicence(licence);
    return this.submit(barId, l, input, `advocate:${barId}:${l}`, false);
  }

  /** A bar's admin (or the RBA's) enters a submission on the advocate's behalf: the same record, reviewed the same way. */
  async submitOnBehalf(p: Principal, barId: string, licence: string, input: SubmissionInput): Promise<Submission> {
    assertMayEnterSubmissions(p, barId);
    return this.submit(barId, normaliseLicence(licence), input, describePrincipal(p), true);
  }

  private async submit(barId: string, licence: string, input: SubmissionInput, submittedBy: string, onBehalf: boolean): Promise<Submission> {
    const bar = await this.deps.bar(barId);
    if (!bar || bar.id === RBA_ID) throw keyedError("not_found", COMPLIANCE_DETAIL_TEMPLATES, "compliance-bar-unknown", { id: JSON.stringify(barId) });
    const fields = this.validate(input);
    // Only the bar's own members: a bar reviews and credits the duty of its members, no one else's.
    if (!(await this.deps.members.getMember(barId, licence))) {
      throw keyedError("rule_violated", SUBMISSION_DETAIL_TEMPLATES, "submission-not-a-member", { licence: JSON.stringify(licence), bar: barId }, { problems: [fieldProblem("licence", "not-a-member")] });
    }
    const attachment = input.attachment && input.attachment.bytes.length > 0 ? this.checkAttachment(input.attachment.bytes) : undefined;
    const credential = input.credentialFile && input.credentialFile.length > 0 ? await this.checkCredential(input.credentialFile) : null;
    if (!attachment && !credential) {
      throw keyedError("invalid_request", SUBMISSION_DETAIL_TEMPLATES, "submission-attachment-required", undefined, { problems: [fieldProblem("attachment", "attachment-required")] });
    }
    const now = this.deps.now();
    const id = newId(16);
    let stored: Submission["attachment"] = null;
    if (attachment) {
      const attachmentId = newId(20);
      await this.deps.attachments.put({ id: attachmentId, mediaType: attachment, bytes: input.attachment!.bytes, createdAt: now });
      stored = { id: attachmentId, mediaType: attachment, size: input.attachment!.bytes.length, name: labelOf(input.attachment!.name) };
    }
    const submission: Submission = {
      id, barId, licence, year: yearOfDate(fields.completedOn), ...fields, attachment: stored, credential, submittedAt: now, submittedBy, onBehalf,
      status: "pending", creditedHours: null, reason: null, decidedAt: null, decidedBy: null,
    };
    try {
      await this.deps.store.insert(submission);
    } catch (e) {
      // The attachment is written first (an object store cannot join the row's write); take it back if the row failed.
      if (stored) await this.deps.attachments.delete(stored.id).catch(() => false);
      throw e;
    }
    return submission;
  }

  private validate(input: SubmissionInput): Pick<Submission, "organiser" | "topic" | "programme" | "form" | "completedOn" | "claimedHours"> {
    const problems: FieldProblem[] = [];
    const text = (name: string, value: unknown) => {
      const v = typeof value === "string" ? normaliseKazakh(value.trim().replace(/\s+/g, " ")) : "";
      if (v.length === 0 || v.length > MAX_TEXT) problems.push(fieldProblem(name, "text-length", { max: MAX_TEXT }));
      return v;
    };
    const organiser = text("organiser", input.organiser);
    const topic = text("topic", input.topic);
    if (!(PROGRAMMES as readonly string[]).includes(input.programme)) problems.push(fieldProblem("programme", "one-of", { values: PROGRAMMES.join(", "), rule: "10.1" }));
    if (!(FORMS as readonly string[]).includes(input.form)) problems.push(fieldProblem("form", "one-of", { values: FORMS.join(", "), rule: "5.1" }));
    if (!isValidDate(input.completedOn ?? "")) problems.push(fieldProblem("completedOn", "calendar-date-invalid"));
    else if (input.completedOn > kzDate(this.deps.now())) problems.push(fieldProblem("completedOn", "date-in-future"));
    const tenths = hoursToTenths(Number(input.academicHours));
    if (tenths === undefined || tenths > 10_000) problems.push(fieldProblem("academicHours", "academic-hours-invalid", { max: 1000 }));
    if (problems.length) throw keyedError("invalid_request", SUBMISSION_DETAIL_TEMPLATES, "submission-problems", { count: problems.length }, { problems });
    return { organiser, topic, programme: input.programme, form: input.form, completedOn: input.completedOn, claimedHours: tenthsToHours(tenths!) };
  }

  /** The attachment's type by its bytes; refused when it is too large or not a PDF, JPEG or PNG. */
  private checkAttachment(bytes: Uint8Array): AttachmentType {
    if (bytes.length > MAX_ATTACHMENT_BYTES) {
      throw keyedError("payload_too_large", SUBMISSION_DETAIL_TEMPLATES, "submission-attachment-too-large", { bytes: bytes.length, max: MAX_ATTACHMENT_BYTES });
    }
    const type = sniffAttachmentType(bytes);
    if (!type) {
      throw keyedError("unsupported_media_type", SUBMISSION_DETAIL_TEMPLATES, "submission-attachment-type", undefined, { problems: [fieldProblem("attachment", "attachment-type-invalid")] });
    }
    return type;
  }

  /**
   * A credential file of another issuer, verified on upload through the one pipeline; whatever the result, it is kept
   * for the reviewer. A certificate Senim issued is refused: it is credited by presenting it, not by review.
   */
  private async checkCredential(bytes: Uint8Array): Promise<CredentialCheck> {
    if (bytes.length > MAX_CREDENTIAL_BYTES) throw keyedError("payload_too_large", SUBMISSION_DETAIL_TEMPLATES, "submission-credential-too-large", { max: MAX_CREDENTIAL_BYTES });
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\ufeff/, "").trim();
    } catch {
      throw keyedError("not_a_credential", SUBMISSION_DETAIL_TEMPLATES, "submission-credential-not-utf8");
    }
    let input: { jwt: string } | { credential: Record<string, unknown> };
    if (text.startsWith("{")) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw keyedError("not_a_credential", SUBMISSION_DETAIL_TEMPLATES, "submission-credential-not-json");
      }
      if (typeof json !== "object" || json === null || Array.isArray(json)) throw keyedError("not_a_credential", SUBMISSION_DETAIL_TEMPLATES, "submission-credential-no-object");
      input = { credential: json as Record<string, unknown> };
    } else input = { jwt: text };
    let result: VerificationResult;
    try {
      result = await this.deps.verify(input);
    } catch (e) {
      if (e instanceof NotACredential) throw notVerifiable(e);
      throw e;
    }
    const credential = result.credential ?? ("credential" in input ? input.credential : {});
    const credentialId = typeof credential.id === "string" ? credential.id.slice(0, 2000) : null;
    const issuerValue = credential.issuer;
    const issuer = typeof issuerValue === "string" ? issuerValue : typeof issuerValue === "object" && issuerValue !== null && typeof (issuerValue as { id?: unknown }).id === "string" ? (issuerValue as { id: string }).id : null;
    if (result.certificateId !== null || certificateIdIn(this.deps.publicUrl, credentialId) !== undefined || (issuer !== null && issuer.startsWith(this.serviceDidPrefix()))) {
      throw keyedError("rule_violated", SUBMISSION_DETAIL_TEMPLATES, "submission-issued-by-senim", undefined, { problems: [fieldProblem("credential", "issued-by-senim")] });
    }
    return { text, credentialId, issuer: issuer?.slice(0, 2000) ?? null, verified: result.verified, profile: result.profile, failed: result.checks.filter((c) => c.outcome === "failed").map((c) => c.code) };
  }

  /** `did:web:{host}:`: every DID this service hosts starts with it. */
  private serviceDidPrefix(): string {
    return `did:web:${encodeURIComponent(new URL(this.deps.publicUrl).host)}:`;
  }

  // ---- review -------------------------------------------------------------------------------------------------------

  async list(p: Principal, barId: string, filter: { status?: SubmissionStatus; licence?: string } = {}): Promise<Submission[]> {
    assertMayReviewSubmissions(p, barId);
    return this.deps.store.list(barId, filter.licence === undefined ? filter : { ...filter, licence: normaliseLicence(filter.licence) });
  }

  async get(p: Principal, barId: string, id: string): Promise<Submission> {
    assertMayReviewSubmissions(p, barId);
    const s = await this.deps.store.get(barId, id);
    if (!s) throw keyedError("not_found", SUBMISSION_DETAIL_TEMPLATES, "submission-unknown", { id: JSON.stringify(id), bar: barId });
    return s;
  }

  /** The attachment's bytes and sniffed type, for the member's bar and the RBA only. */
  async attachment(p: Principal, barId: string, id: string): Promise<{ submission: Submission; attachment: StoredAttachment }> {
    const submission = await this.get(p, barId, id);
    const attachment = submission.attachment && (await this.deps.attachments.get(submission.attachment.id));
    if (!attachment) throw keyedError("not_found", SUBMISSION_DETAIL_TEMPLATES, "submission-no-attachment");
    return { submission, attachment };
  }

  /** A member's own submissions (for `/me`, whose session establishes the licence). */
  async ofMember(barId: string, licence: string): Promise<Submission[]> {
    return this.deps.store.listForMember(barId, normaliseLicence(licence));
  }

  /** Accept with the hours it credits (≤ claimed, one decimal); final. */
  async accept(p: Principal, barId: string, id: string, creditedHours: number): Promise<Submission> {
    const s = await this.get(p, barId, id);
    const tenths = hoursToTenths(Number(creditedHours));
    if (tenths === undefined) throw keyedError("invalid_request", SUBMISSION_DETAIL_TEMPLATES, "submission-credited-hours-invalid", undefined, { problems: [fieldProblem("creditedHours", "hours-invalid")] });
    if (tenths > Math.round(s.claimedHours * 10)) {
      throw keyedError("rule_violated", SUBMISSION_DETAIL_TEMPLATES, "submission-credit-above-claim", { hours: s.claimedHours }, { problems: [fieldProblem("creditedHours", "more-than-claimed")] });
    }
    // Checked again at the decision: the licence may have left the bar since it was submitted.
    if (!(await this.deps.members.getMember(barId, s.licence))) {
      throw keyedError("rule_violated", SUBMISSION_DETAIL_TEMPLATES, "submission-member-left", { licence: s.licence, bar: barId });
    }
    return this.decide(p, s, { status: "accepted", creditedHours: tenths / 10 });
  }

  /** Reject with a reason the advocate sees; final. */
  async reject(p: Principal, barId: string, id: string, reason: string): Promise<Submission> {
    const s = await this.get(p, barId, id);
    const r = normaliseKazakh((reason ?? "").trim());
    if (r.length === 0 || r.length > 2000) throw keyedError("invalid_request", SUBMISSION_DETAIL_TEMPLATES, "submission-reason-required", undefined, { problems: [{ path: "reason", message: "required", code: "value-required" }] });
    return this.decide(p, s, { status: "rejected", reason: r });
  }

  private async decide(p: Principal, s: Submission, decision: Decision): Promise<Submission> {
    if (s.status !== "pending") throw alreadyDecided(s);
    const at = this.deps.now();
    // The member's licence and the reason stay in the submission; the entry names the submission and digests the decision.
    const audit = await audited({ at, principal: p, action: "submission.reviewed", barId: s.barId, subjects: [s.id], content: { submissionId: s.id, decision, decidedAt: at }, onceKey: `submission.reviewed:${s.id}` });
    const decided = await this.deps.store.decide(s.barId, s.id, decision, at, describePrincipal(p), audit);
    if (decided) return decided;
    // Another decision won between the read and the update: report it as it stands.
    const now = await this.deps.store.get(s.barId, s.id);
    throw alreadyDecided(now ?? s);
  }
}

/** Who decided and when are values; the decision, and what stands in for a missing who or when, are texts of their own. */
const alreadyDecided = (s: Submission) =>
  keyedError(
    "conflict",
    SUBMISSION_DETAIL_TEMPLATES,
    "submission-already-decided",
    { ...(s.decidedBy !== null ? { by: s.decidedBy } : {}), ...(s.decidedAt !== null ? { at: s.decidedAt } : {}) },
    {
      parts: {
        status: `submission-status-${s.status}`,
        ...(s.decidedBy === null ? { by: "submission-decided-by-someone" } : {}),
        ...(s.decidedAt === null ? { at: "submission-decided-earlier" } : {}),
      },
      extra: { status: s.status, decidedBy: s.decidedBy, decidedAt: s.decidedAt },
    },
  );

/**
 * An uploaded file the verifier could not read as a credential: its reason in the reader's language too when the
 * verifier keyed it (the reason's own text and values), else its English.
 */
const notVerifiable = (e: NotACredential) =>
  e.key !== undefined
    ? keyedError("not_a_credential", { ...SUBMISSION_DETAIL_TEMPLATES, ...NOT_A_CREDENTIAL_TEMPLATES }, "submission-credential-not-vc", e.params, { parts: { why: e.key } })
    : keyedError("not_a_credential", SUBMISSION_DETAIL_TEMPLATES, "submission-credential-not-vc", { why: e.message });

/** A file name kept as a label only (never a path, never a type): printable, at most 200 characters. */
function labelOf(name: string | null | undefined): string | null {
  const clean = (name ?? "").replace(/[\u0000-\u001f\u007f"\\/]/g, "_").trim().slice(0, 200);
  return clean === "" ? null : clean;
}
