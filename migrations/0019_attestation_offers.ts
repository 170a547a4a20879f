/**
 * Frozen: a credential offer yields a certificate or a bar's annual attestation (12.1, 12.2; issue 14).
 *
 * - `credential_offers` is rebuilt with `certificate_id` nullable and a new nullable `attestation_id`, and a check that
 *   exactly one of the two is set: an OpenID4VCI offer (pre-authorized code, PIN MAC, tries, single use) hands the
 *   advocate's wallet one certificate or one attestation, through the same rows and statements. SQLite cannot drop
 *   NOT NULL or add a CHECK in place, so the table is copied (statements only: D1 runs them as generated); every row
 *   of the old table comes through as a certificate offer.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("credential_offers_certificate").execute();
  await db.schema.alterTable("credential_offers").renameTo("credential_offers_0008").execute();
  await db.schema
    .createTable("credential_offers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("certificate_id", "text", (c) => c.references("certificates.id"))
    .addColumn("attestation_id", "text", (c) => c.references("attestations.id"))
    // Kept in clear: the offer served at its URI must carry it. It is only as strong as the link; the PIN is the secret.
    .addColumn("pre_authorized_code", "text", (c) => c.notNull().unique())
    .addColumn("tx_code_mac", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("failed_attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("redeemed_at", "text")
    .addColumn("access_token_hash", "text", (c) => c.unique())
    .addColumn("access_token_expires_at", "text")
    .addColumn("holder_did", "text")
    .addColumn("credential_issued_at", "text")
    .addCheckConstraint(
      "credential_offers_one_credential",
      sql`(certificate_id IS NOT NULL AND attestation_id IS NULL) OR (certificate_id IS NULL AND attestation_id IS NOT NULL)`,
    )
    .execute();
  await sql`INSERT INTO credential_offers (id, certificate_id, pre_authorized_code, tx_code_mac, created_at, created_by, expires_at, failed_attempts, redeemed_at, access_token_hash, access_token_expires_at, holder_did, credential_issued_at) SELECT id, certificate_id, pre_authorized_code, tx_code_mac, created_at, created_by, expires_at, failed_attempts, redeemed_at, access_token_hash, access_token_expires_at, holder_did, credential_issued_at FROM credential_offers_0008`.execute(db);
  await db.schema.dropTable("credential_offers_0008").execute();
  await db.schema.createIndex("credential_offers_certificate").on("credential_offers").column("certificate_id").execute();
  await db.schema.createIndex("credential_offers_attestation").on("credential_offers").column("attestation_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  // Attestation offers have no certificate; the older table cannot hold them.
  await sql`DELETE FROM credential_offers WHERE certificate_id IS NULL`.execute(db);
}
