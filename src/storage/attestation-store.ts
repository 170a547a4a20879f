/**
 * Annual attestations (12.1, 12.2; migration 0018). The unique index (closing_id, licence) keeps one per member for a
 * year's closing: inserting is INSERT … ON CONFLICT DO NOTHING, so of concurrent issuings one row per member is kept.
 * Revoking is one UPDATE that finds the row not revoked, so it happens once.
 */
import type { Attestation, AttestationStore } from "../compliance/attestations.js";
import type { StoreDb } from "./atomic.js";
import type { AuditedWrite } from "../domain/audit.js";
import { auditedAtomic } from "./audit-store.js";
import { isUniqueViolation } from "./errors.js";
import type { AttestationRow } from "./schema.js";

export class KyselyAttestationStore implements AttestationStore {
  constructor(private readonly store: StoreDb) {}

  private get db() {
    return this.store.db;
  }

  async insertMissing(attestations: Attestation[], audit?: AuditedWrite): Promise<void> {
    // Rows of 9 parameters, in statements that stay under the dialect's limit (D1: 100).
    const per = Math.max(1, Math.floor(this.store.maxParameters / 9));
    const statements = [];
    for (let i = 0; i < attestations.length; i += per) {
      statements.push(
        this.db
          .insertInto("attestations")
          .values(attestations.slice(i, i + per).map(row))
          .onConflict((oc) => oc.columns(["closing_id", "licence"]).doNothing())
          .compile(),
      );
    }
    await auditedAtomic(this.store, statements, audit);
  }

  async byId(id: string): Promise<Attestation | undefined> {
    const r = await this.db.selectFrom("attestations").selectAll().where("id", "=", id).executeTakeFirst();
    return r && attestation(r);
  }

  async forClosing(closingId: string): Promise<Attestation[]> {
    const rows = await this.db.selectFrom("attestations").selectAll().where("closing_id", "=", closingId).orderBy("licence").execute();
    return rows.map(attestation);
  }

  async forLicence(licence: string): Promise<Attestation[]> {
    const rows = await this.db.selectFrom("attestations").selectAll().where("licence", "=", licence).orderBy("year", "desc").orderBy("issued_at", "desc").execute();
    return rows.map(attestation);
  }

  async revoke(id: string, at: string, reason: string, audit?: AuditedWrite): Promise<boolean> {
    const update = this.db.updateTable("attestations").set({ revoked_at: at, reason }).where("id", "=", id).where("revoked_at", "is", null).compile();
    try {
      const [r] = await auditedAtomic(this.store, [update], audit);
      return Number(r!.numAffectedRows ?? 0n) === 1;
    } catch (e) {
      // Audited, a concurrent second revocation is refused by the entry's once-only key.
      if (audit && isUniqueViolation(e)) return false;
      throw e;
    }
  }
}

const row = (a: Attestation): AttestationRow => ({
  id: a.id, bar_id: a.barId, licence: a.licence, year: a.year, closing_id: a.closingId, jwt: a.jwt, issued_at: a.issuedAt, revoked_at: a.revokedAt, reason: a.reason,
});

const attestation = (r: AttestationRow): Attestation => ({
  id: r.id, barId: r.bar_id, licence: r.licence, year: Number(r.year), closingId: r.closing_id, jwt: r.jwt, issuedAt: r.issued_at, revokedAt: r.revoked_at, reason: r.reason,
});
