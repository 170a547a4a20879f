/**
 * Wallets and the yearly ledger (2.2.4, 12.2): OpenID4VCI credential offers and their one-time nonces, OpenID4VP
 * presentation requests and the bars' verifier keys. The ledger they credit is created in 0004_bookkeeping.
 * Frozen schema-builder code: never imports app code.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("credential_offers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("certificate_id", "text", (c) => c.notNull().references("certificates.id"))
    // Kept in clear: the offer served at its URI must carry it. It is only as strong as the link; the PIN is the secret.
    .addColumn("pre_authorized_code", "text", (c) => c.notNull().unique())
    .addColumn("tx_code_hash", "text", (c) => c.notNull()) // SHA-256 of code + PIN; the PIN is never stored
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("failed_attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("redeemed_at", "text") // the pre-authorized code was exchanged (single use)
    .addColumn("access_token_hash", "text", (c) => c.unique())
    .addColumn("access_token_expires_at", "text")
    .addColumn("holder_did", "text")
    .addColumn("credential_issued_at", "text")
    .execute();
  await db.schema.createIndex("credential_offers_certificate").on("credential_offers").column("certificate_id").execute();

  await db.schema
    .createTable("wallet_nonces")
    .addColumn("nonce", "text", (c) => c.primaryKey())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("wallet_nonces_expiry").on("wallet_nonces").column("expires_at").execute();

  await db.schema
    .createTable("presentation_requests")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("bar_id", "text", (c) => c.notNull().references("bars.id"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("nonce", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("answered_at", "text") // set once: a request is answered at most once
    .addColumn("licence", "text")
    .addColumn("holder_did", "text")
    .addColumn("outcome", "text") // JSON: what was credited and what was refused
    .execute();
  await db.schema.createIndex("presentation_requests_bar").on("presentation_requests").column("bar_id").execute();
  // The wallet that presented for a licence may read that licence's ledger (see docs/wallet.md).
  await db.schema.createIndex("presentation_requests_presenter").on("presentation_requests").columns(["licence", "holder_did"]).execute();

  // A bar signs its presentation requests as a verifier (did:web:<host>:bars:<bar>); keys sealed like party keys.
  await db.schema
    .createTable("bar_verifier_keys")
    .addColumn("bar_id", "text", (c) => c.primaryKey().references("bars.id"))
    .addColumn("kid", "text", (c) => c.notNull())
    .addColumn("public_jwk", "text", (c) => c.notNull())
    .addColumn("private_key_enc", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  // The ledger these presentations credit, `ledger_entries`, is created in 0004_bookkeeping (the compliance report reads it).
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["bar_verifier_keys", "presentation_requests", "wallet_nonces", "credential_offers"]) await db.schema.dropTable(t).ifExists().execute();
}
