/** Row types as the database holds them. They stay inside `storage/`; services see domain objects. */
import type { Generated } from "kysely";

export interface BarRow { id: string; kind: string; name_kk: string; name_ru: string; name_en: string; verified: number; sort: number }
export interface VocabRow { code: string; clause: string; name_kk: string; name_ru: string; name_en: string; sort: number }
/** `city`, `address`: migration 0017 (8.3). */
export interface PartyRow { id: string; kind: string; name: string; bar_id: string; did: string; website: string | null; city: string | null; address: string | null; created_at: string }
export interface PartyKeyRow {
  id: string; party_id: string; public_jwk: string; private_key_enc: string | null;
  valid_from: string; valid_until: string | null; created_at: string;
}
export interface AccreditationRow {
  id: string; party_id: string; bar_id: string; decision_number: string; decision_date: string; criteria: string;
  programmes: string | null; forms: string | null; valid_from: string; valid_until: string | null;
  recorded_at: string; recorded_by: string;
}
export interface ViolationRow { id: string; accreditation_id: string; occurred_on: string; description: string; recorded_at: string; recorded_by: string }
export interface WithdrawalRow {
  accreditation_id: string; ground: string; decision_number: string; decision_date: string; effective_from: string;
  reason: string; recorded_at: string; recorded_by: string;
}
export interface ApiKeyRow {
  id: string; token_hash: string; role: string; bar_id: string | null; party_id: string | null; label: string;
  created_at: string; created_by: string; revoked_at: string | null;
}
export interface EventRow {
  id: string; party_id: string; topic: string; programme: string; form: string; delivery_mode: string;
  co_organiser_bar_id: string | null; place: string; starts_at: string; ends_at: string; duration_minutes: number;
  trainers: string; certificates_valid_until: string | null; created_at: string;
  /** Migration 0016 (5.1(3)): the co-organising bar's answer, null when there is none. */
  co_organisation_state?: string | null; co_organisation_decided_at?: string | null; co_organisation_decided_by?: string | null;
}
export interface ParticipantRow {
  id: string; event_id: string; licence_number: string; full_name: string; bar_id: string; role: string;
  email: string | null; wallet_did: string | null; position: number;
  /** Migration 0009: the participant's language for messages (kk, ru, en), optional. */
  lang?: string | null;
  /** Migration 0016: an attendee's minutes present (12.3), a teacher's minutes taught (5.1(4)); null before it. */
  attended_minutes?: number | null; taught_minutes?: number | null;
}
export interface StatusListRow { id: string; party_id: string; purpose: string; size: number; allocated: number; created_at: string }
export interface CertificateRow {
  id: string; event_id: string; participant_id: string; party_id: string; key_id: string; accreditation_id: string;
  status_list_id: string; status_index: number; issued_at: string;
  revoked_at: string | null; revocation_reason: string | null; revoked_by: string | null;
}
/** Issue 18 (migration 0029): the signed vc+jwt, apart from the row every report and join reads. */
export interface CertificateDocumentRow { certificate_id: string; jwt: string }
export interface CertificateProofRow { certificate_id: string; proof: string; created_at: string }
export interface ApiCredentialRow { id: string; party_id: string; credential_id: string | null; secured: string; issued_at: string }
export interface StatusEntryRow { list_id: string; status_index: number; subject: string; set_at: string | null; reason: string | null; changes: Generated<number> }
export interface IdempotencyRow { principal: string; key: string; fingerprint: string; status: number; body: string; created_at: string }

export interface MemberRow { bar_id: string; licence: string; full_name: string; admission_date: string; email: string | null; created_at: string; updated_at: string }
export interface SuspensionRow { id: string; bar_id: string; licence: string; from_date: string; until_date: string | null; reason: string | null; recorded_at: string; recorded_by: string }
export interface CompliancePolicyRow {
  bar_id: string; year: number; required_minutes: number | null; foundations_operator: string | null; foundations_years: number | null;
  teaching_credit_percent: number; prorate: number; updated_at: string; updated_by: string;
  /** Migration 0015 (10.2): the shortest Foundations event that completes the course; null: any length. */
  foundations_minimum_minutes: number | null;
}
/** 2.2.4: a verified certificate proven to a bar for a year (migrations/0004); written only by the wallet's presentations. */
export interface LedgerEntryRow {
  id: string; bar_id: string; licence: string; year: number; certificate_id: string; credential_id: string; issuer: string;
  issuer_name: string; topic: string; programme: string; form: string; role: string; duration_minutes: number; academic_hours: string;
  event_end: string; proven_by: string; presentation_id: string | null; created_at: string;
}
/** 2.2.2: hours the advocate recorded; never a certificate. */
export interface SelfRecordedHoursRow {
  id: string; bar_id: string; licence: string; year: number; minutes: number; programme: string; description: string; recorded_at: string; recorded_by: string;
}
export interface SurveySpentRow { token_hash: string }
/** 7.5 (migration 0008): a certificate's survey token, kept as an HMAC under a KEK-derived key; never the token. */
export interface SurveyLinkRow { certificate_id: string; token_mac: string }
export interface SurveyResponseRow {
  id: number; event_id: string; party_id: string; bar_id: string; quality: number; effectiveness: number; usefulness: number; comment: string | null;
}
export interface ConsoleSessionRow {
  id: string; api_key_id: string; role: string; bar_id: string | null; party_id: string | null; created_at: string; expires_at: string;
}

/** An attachment's head (migration 0010): the bytes are in `attachment_chunks`, base64 in rows D1 can hold. */
export interface AttachmentRow { id: string; media_type: string; size: number; chunks: number; created_at: string }
export interface AttachmentChunkRow { attachment_id: string; seq: number; data: string }
/** 2.2(2), 7.5 (migration 0010): a certificate Senim did not issue, submitted for the member's bar to review. */
export interface SubmissionRow {
  id: string; bar_id: string; licence: string; year: number; organiser: string; topic: string; programme: string; form: string;
  completed_on: string; claimed_tenths: number; attachment_id: string | null; attachment_type: string | null; attachment_size: number | null;
  attachment_name: string | null; credential: string | null; credential_id: string | null; credential_issuer: string | null;
  credential_verified: number | null; credential_profile: string | null; credential_failed: string | null;
  submitted_at: string; submitted_by: string; on_behalf: number; status: string; credited_tenths: number | null;
  reason: string | null; decided_at: string | null; decided_by: string | null;
}

/** Issue 13 (migration 0009): one message to a person, written in the same atomic write as what it reports. */
export interface OutboxRow {
  /** Migration 0011: `null` for messages about no certificate (an advocate's sign-in code). */
  id: string; kind: string; certificate_id: string | null; event_id: string | null; participant_id: string | null; to_address: string | null; lang: string | null;
  status: string; attempts: number; generation: number; next_attempt_at: string; lease_until: string | null; lease_token: string | null;
  message_id: string | null; last_error: string | null; created_at: string; updated_at: string; sent_at: string | null;
}

/** Migration 0011: an advocate's one-time sign-in code at /me, kept only as its HMAC. */
export interface AdvocateCodeRow {
  id: string; bar_id: string; licence: string; code_mac: string; failed_attempts: number; created_at: string; expires_at: string; used_at: string | null;
}
/** Migration 0011: a signed-in advocate; `id` is the SHA-256 of the cookie's token. */
export interface AdvocateSessionRow { id: string; bar_id: string; licence: string; created_at: string; expires_at: string }

/** Migration 0014: how many sign-in codes a member asked for since `window_start`. */
export interface AdvocateCodeQuotaRow { bar_id: string; licence: string; window_start: string; used: number }

/** Migration 0012: the dates a bar set for a year's reminders (`dates`: a JSON array of YYYY-MM-DD). */
export interface ReminderScheduleRow { bar_id: string; year: number; dates: string; updated_at: string; updated_by: string }
/** Migration 0012: one reminder of one member for one date; `id` is also its outbox row's. Hours in tenths. */
export interface ReminderRow {
  id: string; bar_id: string; year: number; reminder_date: string; licence: string; full_name: string; to_address: string | null; lang: string | null;
  verified_tenths: number; required_tenths: number; foundations_missing: number; created_at: string;
}
/** Migration 0012: a (bar, year, date) run that completed, or was superseded by a later date. */
export interface ReminderRunRow { bar_id: string; year: number; reminder_date: string; completed_at: string; superseded_by: string | null }

/** Migration 0013: an event's announcement in the calendar (7.3); fee as 6.1–6.2 reads it. */
export interface EventAnnouncementRow {
  event_id: string; announced_at: string; updated_at: string; description: string; city: string | null; venue: string | null; link: string | null;
  fee_kind: string; fee_amount_tenge: number | null; fee_sponsor: string | null; seats: number | null;
}

/** Migration 0015: one closing of a bar's year (12.1, 12.2); reopening marks it, it is never deleted. */
export interface YearClosingRow {
  id: string; bar_id: string; year: number; closed_on: string; closed_at: string; closed_by: string; digest: string; chunks: number;
  reopened_at: string | null; reopened_by: string | null; reopen_reason: string | null;
}
/** Migration 0015: a piece of a closing's frozen report (canonical JSON). */
export interface YearClosingChunkRow { closing_id: string; seq: number; data: string }
/** Migration 0015: the measure a bar took for a member short in a closed year (13.1). */
export interface YearMeasureRow { bar_id: string; year: number; licence: string; decision: string; decided_on: string; recorded_at: string; recorded_by: string }
/** Migration 0018: a bar's signed annual attestation for a member who met a closed year's requirement. */
export interface AttestationRow { id: string; bar_id: string; licence: string; year: number; closing_id: string; jwt: string; issued_at: string; revoked_at: string | null; reason: string | null }
/** Migration 0020: one approval of a programme's indicative content by a bar's presidium (10.3); never changed. */
export interface ProgrammeApprovalRow {
  id: string; bar_id: string; programme: string; content_kk: string | null; content_ru: string | null; content_en: string | null;
  decision_number: string; decision_date: string; recorded_at: string; recorded_by: string;
}

export interface Database {
  bars: BarRow;
  programmes: VocabRow;
  forms: VocabRow;
  delivery_modes: VocabRow;
  parties: PartyRow;
  party_keys: PartyKeyRow;
  accreditations: AccreditationRow;
  accreditation_violations: ViolationRow;
  accreditation_withdrawals: WithdrawalRow;
  api_keys: ApiKeyRow;
  events: EventRow;
  participants: ParticipantRow;
  status_lists: StatusListRow;
  certificates: CertificateRow;
  certificate_documents: CertificateDocumentRow;
  idempotency_keys: IdempotencyRow;
  members: MemberRow;
  suspensions: SuspensionRow;
  compliance_policies: CompliancePolicyRow;
  ledger_entries: LedgerEntryRow;
  self_recorded_hours: SelfRecordedHoursRow;
  survey_spent: SurveySpentRow;
  survey_links: SurveyLinkRow;
  survey_responses: SurveyResponseRow;
  console_sessions: ConsoleSessionRow;
  certificate_proofs: CertificateProofRow;
  api_credentials: ApiCredentialRow;
  status_entries: StatusEntryRow;
  /** Issue 13 (migration 0009). */
  outbox: OutboxRow;
  advocate_codes: AdvocateCodeRow;
  advocate_sessions: AdvocateSessionRow;
  attachments: AttachmentRow;
  attachment_chunks: AttachmentChunkRow;
  submissions: SubmissionRow;
  /** Migration 0013. */
  event_announcements: EventAnnouncementRow;
  /** Migration 0014. */
  advocate_code_quota: AdvocateCodeQuotaRow;
  reminder_schedules: ReminderScheduleRow;
  reminders: ReminderRow;
  reminder_runs: ReminderRunRow;
  /** Migration 0015. */
  year_closings: YearClosingRow;
  year_closing_chunks: YearClosingChunkRow;
  year_measures: YearMeasureRow;
  attestations: AttestationRow;
  /** Migration 0020. */
  programme_approvals: ProgrammeApprovalRow;
  /** Issue 17 (migration 0026). */
  audit_entries: AuditEntryRow;
  audit_checkpoints: AuditCheckpointRow;
}

/** Issue 17 (migration 0026): one entry of the audit chain (src/domain/audit.ts); `subjects` is a JSON array. */
export interface AuditEntryRow {
  seq: number; at: string; actor_role: string; actor_key_id: string; action: string; bar_id: string | null; subjects: string;
  digest: string; prev_hash: string; hash: string; once_key: string | null;
}
export interface AuditCheckpointRow { seq: number; hash: string; at: string; jws: string }
