/**
 * Frozen: one-time secrets are kept as HMACs under keys derived from the KEK, never as bare hashes.
 *
 * - `credential_offers.tx_code_hash` (SHA-256 of code and PIN: a database copy gave away every PIN in seconds) becomes
 *   `tx_code_mac`. The old values are wiped, not converted (a migration cannot compute an HMAC): offers made before
 *   this migration no longer accept any PIN, and the provider makes a new one.
 * - `survey_links`: each certificate's survey token (7.5), random and given only to its participant, kept as an HMAC.
 *   One row per certificate; a new link replaces the old one.
 * - `presentation_requests.wallet_error` / `wallet_error_at`: the last error a wallet posted to the request
 *   (OpenID4VP 1.0 §8.2). Recorded for the bar; it does not close the request.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.updateTable("credential_offers").set({ tx_code_hash: "" }).execute();
  await db.schema.alterTable("credential_offers").renameColumn("tx_code_hash", "tx_code_mac").execute();

  await db.schema
    .createTable("survey_links")
    .addColumn("certificate_id", "text", (c) => c.primaryKey().references("certificates.id"))
    .addColumn("token_mac", "text", (c) => c.notNull().unique())
    .execute();

  await db.schema.alterTable("presentation_requests").addColumn("wallet_error", "text").execute();
  await db.schema.alterTable("presentation_requests").addColumn("wallet_error_at", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("presentation_requests").dropColumn("wallet_error_at").execute();
  await db.schema.alterTable("presentation_requests").dropColumn("wallet_error").execute();
  await db.schema.dropTable("survey_links").ifExists().execute();
  await db.schema.alterTable("credential_offers").renameColumn("tx_code_mac", "tx_code_hash").execute();
}
