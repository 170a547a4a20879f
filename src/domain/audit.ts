/**
 * Issue 17: the audit log — every decision and act on the registry, issuing and the bars' books as an append-only
 * chain of entries. Each entry names who acted (role and API key id, never a token), when, what (a stable action
 * code), the bar whose record it is and the ids acted on, and carries a digest of the act's content (never the
 * content: a licence, a name or a reason is in the database's own tables, and here only inside the digest). Each
 * entry's hash covers the previous entry's hash, so editing, deleting or reordering any entry breaks every link after
 * it; the head, signed by the RBA as a checkpoint (src/registry/audit.ts), pins the whole. The format and
 * the offline check: docs/audit.md.
 *
 * The hashing (canonical JSON, SHA-256) is src/lib/audit-chain.ts: src/domain imports only src/domain.
 */
import type { Principal } from "./authz.js";

/** The acts that are logged. Codes are stable: they are in entries already hashed. */
export const AUDIT_ACTIONS = [
  "party.registered",
  "party.key.rotated",
  "accreditation.recorded",
  "accreditation.violation",
  "accreditation.withdrawn",
  "api-key.created",
  "api-key.revoked",
  "event.recorded",
  "certificates.issued",
  "certificate.revoked",
  "submission.reviewed",
  "year.closed",
  "year.reopened",
  "attestations.issued",
  "attestation.revoked",
  // A credential issued through the VC API (POST /credentials/issue) and the changes of its status entries.
  "credential.issued",
  "credential.revoked",
  "credential.suspended",
  "credential.reinstated",
  "party.details.corrected",
  "co-organisation.answered",
  "programme-content.approved",
  "measure.recorded",
  "verifier-key.rotated",
  "members.recorded",
  "member.deleted",
  "suspension.recorded",
  "suspension.deleted",
  "policy.set",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who acted: a principal's role and key id (`env` for SENIM_ADMIN_TOKEN, which has no key row). */
export interface AuditActor {
  role: Principal["role"];
  keyId: string;
}

/** What an act hands to storage: everything of the entry except its place in the chain. */
export interface AuditDraft {
  at: string;
  actor: AuditActor;
  action: AuditAction;
  /** The bar whose record the act is (the accrediting bar, the member's bar); null for RBA-wide acts. */
  barId: string | null;
  subjects: string[];
  /** SHA-256 (hex) of the act's content as canonical JSON. */
  digest: string;
}

/** What an audited store write is given: the entry's draft and, for an act done at most once to its subject, its key. */
export interface AuditedWrite {
  draft: AuditDraft;
  /** E.g. `certificate.revoked:<id>`: a second such act fails with a unique violation and logs nothing. */
  onceKey?: string;
}

export interface AuditEntry extends AuditDraft {
  seq: number;
  prevHash: string;
  hash: string;
}

/** The previous hash of the first entry. */
export const GENESIS_HASH = "0".repeat(64);

/** The chain's end: the last entry's seq and hash (seq 0 and the genesis hash for an empty log). */
export interface AuditHead {
  seq: number;
  hash: string;
}
export const EMPTY_HEAD: AuditHead = { seq: 0, hash: GENESIS_HASH };

export function actorOf(p: Principal): AuditActor {
  return { role: p.role, keyId: p.keyId };
}

export type ChainBreak = "seq" | "link" | "hash";
export type ChainVerdict = { ok: true; count: number; head: AuditHead } | { ok: false; seq: number; reason: ChainBreak; detail: string };

/** What a checkpoint signs: the head at a moment. */
export interface AuditCheckpointClaims {
  seq: number;
  hash: string;
  at: string;
}
