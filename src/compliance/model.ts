/** What the bookkeeping (members, suspensions, policies, the ledger, surveys, analysis) needs from storage. */
import type { AuditedWrite } from "../domain/audit.js";
import type { CompliancePolicy } from "../domain/compliance.js";

export interface Member {
  barId: string;
  licence: string;
  fullName: string;
  /** `YYYY-MM-DD`: length of practice derives from it. */
  admissionDate: string;
  email: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StoredSuspension {
  id: string;
  barId: string;
  licence: string;
  from: string;
  until: string | null;
  reason: string | null;
  recordedAt: string;
  recordedBy: string;
}

export interface StoredPolicy extends CompliancePolicy {
  barId: string;
  year: number;
  updatedAt: string;
  updatedBy: string;
}

/** 2.2.2: hours a member recorded themselves (`self_recorded_hours`): shown apart, never a certificate. */
export interface SelfRecordedHours {
  id: string;
  barId: string;
  licence: string;
  year: number;
  minutes: number;
  programme: string;
  description: string;
  recordedAt: string;
  recordedBy: string;
}

/** Which self-recorded entry, and whose: a change touches the row only if every part matches (2.2(2)). */
export interface SelfRecordedKey {
  id: string;
  barId: string;
  licence: string;
  /** The author the row must have: an advocate changes only what they entered themselves. */
  recordedBy: string;
}

/** What an advocate may change of their own entry. */
export type SelfRecordedChanges = Pick<SelfRecordedHours, "year" | "minutes" | "programme" | "description">;

/**
 * A certificate issued here, as the yearly totals need it: from the provider's list (issued to a member's licence)
 * or from the ledger of presented certificates (2.2.4). Both name it by its id, so it counts once.
 */
export interface CertificateRecord {
  licence: string;
  certificateId: string;
  minutes: number;
  programme: string;
  /** The event's form (5.1): teaching counts on courses only (5.1(4)). */
  form: string;
  role: "attendee" | "teacher";
  /** Revoked since: it no longer counts. */
  revoked: boolean;
}

/**
 * The presented-certificates source the compliance report reads (besides certificates issued here): the one ledger,
 * `ledger_entries`, which only the wallet's presentation service writes, after verifying each certificate
 * (src/wallet/oid4vp.ts: OpenID4VP answers and uploads alike). See docs/compliance.md.
 */
export interface LedgerStore {
  /** `asOf`: only entries recorded up to that instant (a closed year's snapshot, 12.2). */
  presentedInYear(barId: string, year: number, asOf?: string): Promise<CertificateRecord[]>;
}

/** 10.2: a Foundations course a member attended in an earlier year: its year, and the event's length (or the hours credited). */
export interface FoundationsAttended {
  licence: string;
  year: number;
  minutes: number;
}

/** A page of a bar's members (issue 16): `limit` rows from `offset`, only those matching `search` when given. */
export interface MemberPage {
  offset: number;
  limit: number;
  search?: string;
}

export interface MemberStore {
  /** Inserts or updates members, all or nothing; with its audit entry (issue 17) in the same write. */
  upsertMembers(members: Member[], audit?: AuditedWrite): Promise<void>;
  getMember(barId: string, licence: string): Promise<Member | undefined>;
  listMembers(barId: string): Promise<Member[]>;
  /** Issue 16: one page of `listMembers`, optionally only names or licences containing `search` (any letter case). */
  pageMembers(barId: string, page: MemberPage): Promise<Member[]>;
  /** How many members `pageMembers` pages through with the same `search`. */
  countMembers(barId: string, search?: string): Promise<number>;
  /** `false` when there was none; audited, its once-only key makes the loser of two concurrent deletions `false` too. */
  deleteMember(barId: string, licence: string, audit?: AuditedWrite): Promise<boolean>;
  addSuspension(s: StoredSuspension, audit?: AuditedWrite): Promise<void>;
  listSuspensions(barId: string, licence?: string): Promise<StoredSuspension[]>;
  deleteSuspension(barId: string, id: string, audit?: AuditedWrite): Promise<boolean>;
  getPolicy(barId: string, year: number): Promise<StoredPolicy | undefined>;
  putPolicy(p: StoredPolicy, audit?: AuditedWrite): Promise<void>;
  addSelfRecorded(r: SelfRecordedHours): Promise<void>;
  listSelfRecorded(barId: string, year: number): Promise<SelfRecordedHours[]>;
  /**
   * Changes an entry only where id, bar, licence and author all match, in the one statement that writes it: `false`,
   * nothing changed, for another member's entry, one their bar recorded, or an unknown id.
   */
  updateSelfRecorded(key: SelfRecordedKey, changes: SelfRecordedChanges): Promise<boolean>;
  /** Deletes an entry under the same condition as {@link MemberStore.updateSelfRecorded}; `false` when nothing matched. */
  deleteSelfRecorded(key: SelfRecordedKey): Promise<boolean>;
  /** Every year's policy the bar has set (10.2: an earlier completion is judged by the policy of its own year). */
  listPolicies(barId: string): Promise<StoredPolicy[]>;
  /**
   * Certificates issued here to the bar's members for events that ended in `year` (Kazakhstan time); `asOf`: only
   * those issued up to that instant (a closed year's snapshot, 12.2).
   */
  issuedToMembers(barId: string, year: number, asOf?: string): Promise<CertificateRecord[]>;
  /**
   * 10.2: the Foundations courses the bar's members attended before `year`, in one read for the whole bar: certificates
   * issued here (not revoked, attended rather than taught) and outside certificates the bar accepted.
   */
  foundationsBefore(barId: string, year: number): Promise<FoundationsAttended[]>;
}
