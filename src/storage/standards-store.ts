import type { CompiledQuery } from "kysely";
import type { AuditedWrite } from "../domain/audit.js";
import type { ApiCredential, StandardsStore, StatusEntry } from "../standards/model.js";
import { chunks, rowsPerInsert, type StoreDb } from "./atomic.js";
import { keyedError } from "../domain/errors.js";
import { STORAGE_DETAIL_TEMPLATES } from "../domain/store-details.js";
import { auditedAtomic, contentionPause } from "./audit-store.js";
import { isUniqueViolation } from "./errors.js";

/** Rounds an audited status change may lose to concurrent changes of the same entry before it gives up (409). */
const STATUS_CHANGE_ATTEMPTS = 40;

export class KyselyStandardsStore implements StandardsStore {
  constructor(private readonly store: StoreDb) {}

  private get db() {
    return this.store.db;
  }

  async getCertificateProof(certificateId: string): Promise<string | undefined> {
    const r = await this.db.selectFrom("certificate_proofs").select("proof").where("certificate_id", "=", certificateId).executeTakeFirst();
    return r?.proof;
  }

  async putCertificateProofs(rows: { certificateId: string; proof: string; createdAt: string }[]): Promise<void> {
    if (rows.length === 0) return;
    // 3 parameters a row: as many rows per INSERT as the dialect allows (D1: 33), all statements applied as one.
    const statements = [...chunks(rows, rowsPerInsert(this.store, 3))].map((part) =>
      this.db
        .insertInto("certificate_proofs")
        .values(part.map((r) => ({ certificate_id: r.certificateId, proof: r.proof, created_at: r.createdAt })))
        .onConflict((oc) => oc.column("certificate_id").doNothing())
        .compile(),
    );
    await this.store.atomic(statements);
  }

  async insertStatusEntries(entries: StatusEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.store.atomic(this.statusEntryInserts(entries));
  }

  /** 5 parameters a row; several statements (D1: 20 rows each) when there are many. */
  private statusEntryInserts(entries: StatusEntry[]): CompiledQuery[] {
    return [...chunks(entries, rowsPerInsert(this.store, 5))].map((part) =>
      this.db
        .insertInto("status_entries")
        .values(part.map((e) => ({ list_id: e.listId, status_index: e.index, subject: e.subject, set_at: e.setAt, reason: null })))
        .compile(),
    );
  }

  async insertApiCredential(c: ApiCredential, entries: StatusEntry[], audit?: AuditedWrite): Promise<void> {
    const credential = this.db
      .insertInto("api_credentials")
      .values({ id: c.id, party_id: c.partyId, credential_id: c.credentialId, secured: c.secured, issued_at: c.issuedAt })
      .compile();
    await auditedAtomic(this.store, [...(entries.length ? this.statusEntryInserts(entries) : []), credential], audit);
  }

  async findApiCredential(partyId: string, credentialId: string): Promise<ApiCredential | undefined> {
    const r = await this.db
      .selectFrom("api_credentials")
      .selectAll()
      .where("party_id", "=", partyId)
      .where((eb) => eb.or([eb("credential_id", "=", credentialId), eb("id", "=", credentialId)]))
      .orderBy("issued_at", "desc")
      .executeTakeFirst();
    return r && { id: r.id, partyId: r.party_id, credentialId: r.credential_id, secured: r.secured, issuedAt: r.issued_at };
  }

  async statusEntriesOf(subject: string): Promise<StatusEntry[]> {
    const rows = await this.db.selectFrom("status_entries").selectAll().where("subject", "=", subject).execute();
    return rows.map((r) => ({ listId: r.list_id, index: Number(r.status_index), subject: r.subject, setAt: r.set_at }));
  }

  async setStatusEntry(listId: string, index: number, setAt: string | null, reason: string | null, audit?: AuditedWrite): Promise<boolean> {
    if (!audit) {
      // Unaudited (store tests): counted too, so an audited change racing it finds its count moved and reads again.
      const r = await this.db
        .updateTable("status_entries")
        .set((eb) => ({ set_at: setAt, reason, changes: eb("changes", "+", 1) }))
        .where("list_id", "=", listId)
        .where("status_index", "=", index)
        .where("set_at", setAt === null ? "is not" : "is", null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    }
    // Audited: the change applies only where the entry's change count is still the one read, and its audit entry's
    // once-only key names that count, so of two concurrent changes one lands and the other reads the entry again.
    for (let attempt = 1; attempt <= STATUS_CHANGE_ATTEMPTS; attempt++) {
      const row = await this.db
        .selectFrom("status_entries")
        .select(["set_at", "changes"])
        .where("list_id", "=", listId)
        .where("status_index", "=", index)
        .executeTakeFirst();
      if (!row || (row.set_at === null) === (setAt === null)) return false;
      const changes = Number(row.changes);
      const update = this.db
        .updateTable("status_entries")
        .set({ set_at: setAt, reason, changes: changes + 1 })
        .where("list_id", "=", listId)
        .where("status_index", "=", index)
        .where("changes", "=", changes)
        .compile();
      try {
        const [r] = await auditedAtomic(this.store, [update], { ...audit, onceKey: `status-entry:${listId}:${index}:${changes + 1}` });
        if (Number(r!.numAffectedRows ?? 0n) === 1) return true;
        return false; // an unaudited change raced it (store tests only: the service audits every change)
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
      }
      await contentionPause(attempt);
    }
    // Neither applied nor known to be moot: the caller is told to try again rather than told it happened.
    throw keyedError("conflict", STORAGE_DETAIL_TEMPLATES, "storage-audit-contention");
  }
}
