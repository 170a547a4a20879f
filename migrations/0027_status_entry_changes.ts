/**
 * Frozen: issue 17 — a count of the changes of each status entry (suspended, lifted, revoked). An audited change
 * updates the entry only where the count is still the one it read and logs under the once-only key
 * `status-entry:<list>:<index>:<count + 1>`, so two concurrent changes of one entry write one audit entry, not two.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("status_entries").addColumn("changes", "integer", (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("status_entries").dropColumn("changes").execute();
}
