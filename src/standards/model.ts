/** What the standards layer (Data Integrity proofs, VC API credentials, status entries) needs from storage. */
import type { AuditedWrite } from "../domain/audit.js";

export interface ApiCredential {
  id: string;
  partyId: string;
  /** The credential's own `id`, or the caller's `options.credentialId`. */
  credentialId: string | null;
  /** The secured credential as returned to the caller (JSON). */
  secured: string;
  issuedAt: string;
}

export interface StatusEntry {
  listId: string;
  index: number;
  /** `certificate:<id>` or `credential:<id>`. */
  subject: string;
  setAt: string | null;
}

/** Each method is atomic on its own (one statement; D1 has no interactive transactions). */
export interface StandardsStore {
  getCertificateProof(certificateId: string): Promise<string | undefined>;
  /** Keeps an existing proof: the first one stored for a certificate stays. */
  putCertificateProofs(rows: { certificateId: string; proof: string; createdAt: string }[]): Promise<void>;

  insertStatusEntries(entries: StatusEntry[]): Promise<void>;
  /**
   * The credential, its status entries and (issue 17) its audit entry, as one write: a failure leaves none of them,
   * and the list positions it had claimed stay unused, never reused.
   */
  insertApiCredential(c: ApiCredential, entries: StatusEntry[], audit?: AuditedWrite): Promise<void>;
  findApiCredential(partyId: string, credentialId: string): Promise<ApiCredential | undefined>;
  statusEntriesOf(subject: string): Promise<StatusEntry[]>;
  /**
   * Sets (`setAt` an instant) or clears (`null`) a bit; `false` when it already had that value. Audited (issue 17),
   * the change and its entry are one write, and of concurrent changes to one entry each that changes it logs once.
   */
  setStatusEntry(listId: string, index: number, setAt: string | null, reason: string | null, audit?: AuditedWrite): Promise<boolean>;
}
