import { Migrator, sql, type Kysely } from "kysely";
import { migrations } from "../../migrations/index.js";

/**
 * The schema kysely's own tables (kysely_migration, kysely_migration_lock) belong in, where the database has schemas:
 * PostgreSQL's current one (the first on the search_path). Left unnamed, kysely's migrator looks for its tables in
 * every schema, so a database where any other schema already holds them (another application, or another Senim on
 * its own search_path) would skip creating them here and then fail on "relation kysely_migration_lock does not
 * exist". SQLite has no `current_schema()`: its query fails and the migrator keeps its default.
 */
async function migrationTableSchema(db: Kysely<any>): Promise<string | undefined> {
  try {
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    return rows[0]?.schema ?? undefined;
  } catch {
    return undefined;
  }
}

/** Applies every pending migration; throws with the failing migration's name if one fails. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const schema = await migrationTableSchema(db);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) throw new Error(`Migration ${failed?.migrationName ?? "?"} failed: ${error instanceof Error ? error.message : String(error)}`);
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
