/**
 * Frozen: 8.3 — each bar publishes its centres and accredited providers; an advocate choosing where to train (2.1)
 * needs to know where they are. Parties get a city and a street address, shown in the public registry. Both stay
 * NULL for parties registered before; the registry shows "not given".
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("parties").addColumn("city", "text").execute();
  await db.schema.alterTable("parties").addColumn("address", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("parties").dropColumn("address").execute();
  await db.schema.alterTable("parties").dropColumn("city").execute();
}
