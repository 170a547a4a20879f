/**
 * One source of truth for the schema: migrations/*.ts. SQLite and PostgreSQL run them through kysely's migrator; D1
 * gets the SQL generated from the same code (what `wrangler d1 migrations apply` runs). The three must end up with
 * the same tables, columns, constraints and seed rows.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsAsSql, sqlFile } from "../src/runtime/d1-migrations.js";
import { migrations } from "../migrations/index.js";
import { openPostgres } from "../src/runtime/postgres.js";
import { migrateToLatest } from "../src/storage/migrate.js";
import { d1Database, freshPostgresSchema, postgresDatabase, sqliteDatabase, type TestDatabase } from "./databases.js";

let lite: TestDatabase, pg: TestDatabase, d1: TestDatabase;
beforeAll(async () => {
  [lite, pg, d1] = await Promise.all([sqliteDatabase(), postgresDatabase(), d1Database()]);
});
afterAll(async () => {
  await Promise.all([lite?.close(), pg?.close(), d1?.close()]);
});

/** SQLite's own record of the schema, without the migrators' bookkeeping or D1's internal tables. */
const sqliteSchema = async (t: TestDatabase) =>
  (
    await sql<{ type: string; name: string; sql: string | null }>`SELECT type, name, sql FROM sqlite_master
      WHERE name NOT LIKE 'kysely_%' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations' ORDER BY name`.execute(t.db)
  ).rows;

const seedCounts = async (t: TestDatabase) => {
  const out: Record<string, number> = {};
  for (const table of ["bars", "programmes", "forms", "delivery_modes"] as const) {
    out[table] = Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
  }
  return out;
};

describe("migrations run identically on SQLite, PostgreSQL and D1", () => {
  it("D1 gets every migration, as statements with their values inlined", async () => {
    const all = await migrationsAsSql();
    expect(all.map((m) => m.name)).toEqual(Object.keys(migrations).sort());
    const text = sqlFile(all[0]!);
    expect(text).toContain(`create table "certificates"`);
    expect(text).toContain(`'Республикалық адвокаттар алқасы'`);
    expect(text).not.toMatch(/\?/);
  });

  it("D1's schema is SQLite's, statement for statement", async () => {
    const expected = await sqliteSchema(lite);
    expect(expected.length).toBeGreaterThan(15);
    expect(await sqliteSchema(d1)).toEqual(expected);
  });

  it("PostgreSQL has the same tables, columns, types and NOT NULLs as SQLite", async () => {
    const tables = (await sqliteSchema(lite)).filter((r) => r.type === "table").map((r) => r.name);
    const fromSqlite: string[] = [];
    for (const table of tables) {
      const cols = (await sql<{ name: string; type: string; notnull: number; pk: number }>`SELECT name, type, "notnull", pk FROM pragma_table_info(${table})`.execute(lite.db)).rows;
      for (const c of cols) fromSqlite.push(`${table}.${c.name} ${c.type.toLowerCase()} ${c.notnull || c.pk ? "not null" : "null"}`);
    }
    const cols = (
      await sql<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>`SELECT table_name, column_name, data_type, is_nullable
        FROM information_schema.columns WHERE table_schema = current_schema() AND table_name NOT LIKE 'kysely_%'`.execute(pg.db)
    ).rows;
    const fromPg = cols.map((c) => `${c.table_name}.${c.column_name} ${c.data_type} ${c.is_nullable === "YES" ? "null" : "not null"}`);
    expect(fromPg.sort()).toEqual(fromSqlite.sort());
  });

  it("every store holds the same seed rows", async () => {
    const expected = { bars: 21, programmes: 4, forms: 4, delivery_modes: 3 };
    expect(await seedCounts(lite)).toEqual(expected);
    expect(await seedCounts(pg)).toEqual(expected);
    expect(await seedCounts(d1)).toEqual(expected);
    const names = async (t: TestDatabase) => t.db.selectFrom("bars").select(["id", "name_kk", "verified"]).orderBy("sort").execute();
    expect(await names(pg)).toEqual(await names(lite));
    expect(await names(d1)).toEqual(await names(lite));
  });
});

describe("PostgreSQL schemas", () => {
  it("migrates a schema while another schema of the same database already holds kysely's migration tables", async () => {
    // kysely's migrator, left to itself, finds its tables in any schema and then fails in this one (seen in full runs,
    // where test files migrate schemas side by side; the same for a database shared with another application).
    const [a, b] = await Promise.all([freshPostgresSchema(), freshPostgresSchema()]);
    const [dbA, dbB] = [openPostgres(a.url), openPostgres(b.url)];
    try {
      expect(await migrateToLatest(dbA)).toContain("0001_initial");
      expect(await migrateToLatest(dbB)).toContain("0001_initial");
      expect(await migrateToLatest(dbB)).toEqual([]); // and knows what it applied
      const bars = await sql<{ n: number }>`select count(*) as n from bars`.execute(dbB);
      expect(Number(bars.rows[0]!.n)).toBe(21);
    } finally {
      await Promise.all([dbA.destroy(), dbB.destroy()]);
      await Promise.all([a.drop(), b.drop()]);
    }
  });
});
