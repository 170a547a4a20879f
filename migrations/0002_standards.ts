/**
 * Frozen in time (see 0001): Data Integrity proofs beside the vc+jwt of a certificate, and credentials issued through
 * the W3C VC API with their status entries (revocation and suspension bits that are not a certificate's revocation).
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  // The eddsa-rdfc-2022 proof (JSON) over exactly the credential the certificate's vc+jwt carries.
  await db.schema
    .createTable("certificate_proofs")
    .addColumn("certificate_id", "text", (c) => c.primaryKey().references("certificates.id"))
    .addColumn("proof", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  // A credential issued through POST /credentials/issue: its secured form as returned, for status changes.
  await db.schema
    .createTable("api_credentials")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("party_id", "text", (c) => c.notNull().references("parties.id"))
    .addColumn("credential_id", "text") // the credential's own `id`, when it has one
    .addColumn("secured", "text", (c) => c.notNull())
    .addColumn("issued_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("api_credentials_credential_id").on("api_credentials").columns(["party_id", "credential_id"]).execute();

  // One bit of a status list that is not a certificate's revocation entry: VC API credentials' entries and
  // every suspension entry. `set_at` is null while the bit is 0 (suspension can be lifted).
  await db.schema
    .createTable("status_entries")
    .addColumn("list_id", "text", (c) => c.notNull().references("status_lists.id"))
    .addColumn("status_index", "integer", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull()) // 'certificate:<id>' or 'credential:<id>'
    .addColumn("set_at", "text")
    .addColumn("reason", "text")
    .addPrimaryKeyConstraint("status_entries_pk", ["list_id", "status_index"])
    .execute();
  await db.schema.createIndex("status_entries_subject").on("status_entries").column("subject").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["status_entries", "api_credentials", "certificate_proofs"]) await db.schema.dropTable(t).ifExists().execute();
}
