import type { ApiCredential, StandardsStore, StatusEntry } from "../standards/model.js";
import { chunks, rowsPerInsert, type StoreDb } from "./atomic.js";

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
    // 5 parameters a row; several statements (D1: 20 rows each) applied as one.
    const statements = [...chunks(entries, rowsPerInsert(this.store, 5))].map((part) =>
      this.db
        .insertInto("status_entries")
        .values(part.map((e) => ({ list_id: e.listId, status_index: e.index, subject: e.subject, set_at: e.setAt, reason: null })))
        .compile(),
    );
    await this.store.atomic(statements);
  }

  async insertApiCredential(c: ApiCredential): Promise<void> {
    await this.db.insertInto("api_credentials").values({ id: c.id, party_id: c.partyId, credential_id: c.credentialId, secured: c.secured, issued_at: c.issuedAt }).execute();
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

  async setStatusEntry(listId: string, index: number, setAt: string | null, reason: string | null): Promise<boolean> {
    const r = await this.db
      .updateTable("status_entries")
      .set({ set_at: setAt, reason })
      .where("list_id", "=", listId)
      .where("status_index", "=", index)
      .where("set_at", setAt === null ? "is not" : "is", null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
