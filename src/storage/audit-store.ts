/**
 * Issue 17: the audit chain's storage (migration 0026) and `auditedAtomic`, the one way an audited act writes.
 *
 * D1 has no interactive transactions, so the chain is extended optimistically: read the head, compute the new entry
 * (its seq is head + 1, its previous hash the head's hash) in application code, and append its INSERT to the act's own
 * statements, so act and entry are one `atomic` write. When another writer appended first, the entry's seq (the
 * primary key) is taken, the whole batch — act included — is refused, and the act is tried again on the new head
 * after a short random pause. A unique violation while the head has not moved is the act's own (an id or a
 * once-only key already there): it is rethrown for the store to read, exactly as without the log.
 */
import type { CompiledQuery, QueryResult } from "kysely";
import { chainEntry } from "../lib/audit-chain.js";
import { EMPTY_HEAD, type AuditAction, type AuditCheckpointClaims, type AuditedWrite, type AuditEntry, type AuditHead } from "../domain/audit.js";
import { keyedError } from "../domain/errors.js";
import { STORAGE_DETAIL_TEMPLATES } from "../domain/store-details.js";
import type { Principal } from "../domain/authz.js";
import type { StoreDb } from "./atomic.js";
import { isUniqueViolation } from "./errors.js";
import type { AuditEntryRow } from "./schema.js";

/** Attempts before giving up under contention: every round, one of the contenders lands. */
const MAX_ATTEMPTS = 60;

/** A short random pause before another round under contention, growing with the rounds lost. */
export const contentionPause = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(40, 2 + attempt * 2)));

/**
 * Applies `statements` and, when `audit` is given, the act's audit entry in the same `atomic` write; returns the
 * results of `statements` only. Without `audit` it is `store.atomic` (store tests and unaudited writes).
 */
export async function auditedAtomic(store: StoreDb, statements: readonly CompiledQuery[], audit: AuditedWrite | undefined): Promise<QueryResult<unknown>[]> {
  if (!audit) return store.atomic(statements);
  for (let attempt = 1; ; attempt++) {
    const head = await readHead(store);
    const entry = await chainEntry(head, audit.draft);
    try {
      const results = await store.atomic([...statements, insertEntry(store, entry, audit.onceKey)]);
      return results.slice(0, statements.length);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const now = await readHead(store);
      if (now.seq === head.seq) throw e; // nobody appended: the act itself collided
      if (attempt >= MAX_ATTEMPTS) throw keyedError("conflict", STORAGE_DETAIL_TEMPLATES, "storage-audit-contention");
      await contentionPause(attempt);
    }
  }
}

async function readHead(store: StoreDb): Promise<AuditHead> {
  const r = await store.db.selectFrom("audit_entries").select(["seq", "hash"]).orderBy("seq", "desc").limit(1).executeTakeFirst();
  return r ? { seq: Number(r.seq), hash: r.hash } : EMPTY_HEAD;
}

function insertEntry(store: StoreDb, e: AuditEntry, onceKey: string | undefined): CompiledQuery {
  const row: AuditEntryRow = {
    seq: e.seq,
    at: e.at,
    actor_role: e.actor.role,
    actor_key_id: e.actor.keyId,
    action: e.action,
    bar_id: e.barId,
    subjects: JSON.stringify(e.subjects),
    digest: e.digest,
    prev_hash: e.prevHash,
    hash: e.hash,
    once_key: onceKey ?? null,
  };
  return store.db.insertInto("audit_entries").values(row).compile();
}

const entry = (r: AuditEntryRow): AuditEntry => ({
  seq: Number(r.seq),
  at: r.at,
  actor: { role: r.actor_role as Principal["role"], keyId: r.actor_key_id },
  action: r.action as AuditAction,
  barId: r.bar_id,
  subjects: parseSubjects(r.subjects),
  digest: r.digest,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** A row edited into something that is not a JSON array of strings still verifies as "changed", never crashes. */
function parseSubjects(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.map(String) : [text];
  } catch {
    return [text];
  }
}

export interface StoredCheckpoint extends AuditCheckpointClaims {
  jws: string;
}

export class KyselyAuditStore {
  constructor(private readonly store: StoreDb) {}

  head(): Promise<AuditHead> {
    return readHead(this.store);
  }

  /** Entries after `after`, in chain order, at most `limit`; only the bar's when `barId` is given. */
  async list(q: { after: number; limit: number; barId?: string }): Promise<AuditEntry[]> {
    let query = this.store.db.selectFrom("audit_entries").selectAll().where("seq", ">", q.after);
    if (q.barId !== undefined) query = query.where("bar_id", "=", q.barId);
    return (await query.orderBy("seq").limit(q.limit).execute()).map(entry);
  }

  /** Every entry, in chain order, a page at a time (the verifier walks a log of any length in bounded memory). */
  async *all(pageSize = 1000): AsyncGenerator<AuditEntry[]> {
    let after = 0;
    for (;;) {
      const page = await this.list({ after, limit: pageSize });
      if (page.length === 0) return;
      yield page;
      after = page.at(-1)!.seq;
    }
  }

  async entry(seq: number): Promise<AuditEntry | undefined> {
    const r = await this.store.db.selectFrom("audit_entries").selectAll().where("seq", "=", seq).executeTakeFirst();
    return r && entry(r);
  }

  /** Keeps a signed head; a second checkpoint of the same head is not stored again. */
  async putCheckpoint(c: StoredCheckpoint): Promise<void> {
    await this.store.db.insertInto("audit_checkpoints").values({ seq: c.seq, hash: c.hash, at: c.at, jws: c.jws }).onConflict((oc) => oc.column("seq").doNothing()).execute();
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    const r = await this.store.db.selectFrom("audit_checkpoints").selectAll().orderBy("seq", "desc").limit(1).executeTakeFirst();
    return r && { seq: Number(r.seq), hash: r.hash, at: r.at, jws: r.jws };
  }
}
