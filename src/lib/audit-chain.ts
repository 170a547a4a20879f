/**
 * Issue 17: the audit chain's hashing (the entries and rules are src/domain/audit.ts). An entry's hash is
 * SHA-256(prevHash ‖ canonical JSON of the entry without its hash); an act's digest is SHA-256 of its content as
 * canonical JSON. Pure: no storage, no clock; SHA-256 is WebCrypto's (Node and Workers alike). Format: docs/audit.md.
 */
import { actorOf, EMPTY_HEAD, type AuditAction, type AuditDraft, type AuditedWrite, type AuditEntry, type AuditHead, type ChainVerdict } from "../domain/audit.js";
import type { Principal } from "../domain/authz.js";
import { canonicalJson } from "./canonical-json.js";
import { sha256Hex } from "./ids.js";

/** The draft of an act's entry; `content` is what the act decided, of which only the digest is kept. */
export async function auditDraft(o: { at: string; principal: Principal; action: AuditAction; barId: string | null; subjects: readonly string[]; content: unknown }): Promise<AuditDraft> {
  return { at: o.at, actor: actorOf(o.principal), action: o.action, barId: o.barId, subjects: [...o.subjects], digest: await sha256Hex(canonicalJson(o.content)) };
}

/** An audited write's `audit` argument for a store (the one form every audited act passes). */
export async function audited(o: Parameters<typeof auditDraft>[0] & { onceKey?: string }): Promise<AuditedWrite> {
  return { draft: await auditDraft(o), ...(o.onceKey ? { onceKey: o.onceKey } : {}) };
}

/** The entry's hash: SHA-256 of the previous hash followed by the canonical JSON of the entry without its hash. */
export function entryHash(e: Omit<AuditEntry, "hash">): Promise<string> {
  const { seq, at, actor, action, barId, subjects, digest, prevHash } = e;
  return sha256Hex(prevHash + canonicalJson({ seq, at, actor: { role: actor.role, keyId: actor.keyId }, action, barId, subjects, digest, prevHash }));
}

/** The entry that follows `head`. */
export async function chainEntry(head: AuditHead, draft: AuditDraft): Promise<AuditEntry> {
  const unhashed = { ...draft, seq: head.seq + 1, prevHash: head.hash };
  return { ...unhashed, hash: await entryHash(unhashed) };
}

/**
 * Recomputes the chain from `from` (the genesis by default, or a trusted earlier head) and names the first entry that
 * does not match: `seq` — not the next number (an entry deleted or inserted before it); `link` — its previous hash is
 * not the hash of the entry before it; `hash` — its own content no longer gives its hash (it was edited).
 */
export async function verifyChain(entries: readonly AuditEntry[], from: AuditHead = EMPTY_HEAD): Promise<ChainVerdict> {
  let head = from;
  for (const e of entries) {
    if (e.seq !== head.seq + 1) return { ok: false, seq: e.seq, reason: "seq", detail: `entry ${e.seq} follows entry ${head.seq}: entries between them are missing or out of order` };
    if (e.prevHash !== head.hash) return { ok: false, seq: e.seq, reason: "link", detail: `entry ${e.seq} names ${e.prevHash} as the previous hash; entry ${head.seq}'s is ${head.hash}` };
    const recomputed = await entryHash(e);
    if (recomputed !== e.hash) return { ok: false, seq: e.seq, reason: "hash", detail: `entry ${e.seq}'s content gives hash ${recomputed}, not the stored ${e.hash}: it was changed` };
    head = { seq: e.seq, hash: e.hash };
  }
  return { ok: true, count: entries.length, head };
}
