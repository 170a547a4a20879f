/** What the standards layer (Data Integrity proofs, VC API credentials, status entries) needs from storage. */
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

  /** Status entries first, then the credential: entries left unused by a failure are never reused. */
  insertStatusEntries(entries: StatusEntry[]): Promise<void>;
  insertApiCredential(c: ApiCredential): Promise<void>;
  findApiCredential(partyId: string, credentialId: string): Promise<ApiCredential | undefined>;
  statusEntriesOf(subject: string): Promise<StatusEntry[]>;
  /** Sets (`setAt` an instant) or clears (`null`) a bit; `false` when it already had that value. */
  setStatusEntry(listId: string, index: number, setAt: string | null, reason: string | null): Promise<boolean>;
}
