/**
 * Frozen: issue 15 — an access token may be DPoP-bound (RFC 9449): when the wallet sent a DPoP proof to the token
 * endpoint, the offer keeps the JWK SHA-256 thumbprint (RFC 7638) of its key, and the credential endpoint then
 * accepts the token only with a DPoP proof by that key. Null: a Bearer token, as before.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("credential_offers").addColumn("access_token_jkt", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("credential_offers").dropColumn("access_token_jkt").execute();
}
