/**
 * The three stores Senim runs on, for tests: SQLite (better-sqlite3, a fresh file), PostgreSQL (the local server,
 * a fresh schema per call so parallel files and runs never meet) and D1 (in workerd, Miniflare's D1 reached through
 * test/d1-binding.ts, a fresh persistence folder per call). Each comes migrated, with the same `atomic` seam the
 * runtimes use.
 */
import { sql, type Kysely } from "kysely";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { transactionalAtomic, type StoreDb } from "../src/storage/atomic.js";
import { migrateToLatest } from "../src/storage/migrate.js";
import { d1Atomic, D1_MAX_PARAMETERS, openD1, type D1Database } from "../src/runtime/d1.js";
import { migrationsAsSql } from "../src/runtime/d1-migrations.js";
import { startD1 } from "./d1-binding.js";
import { openPostgres, POSTGRES_MAX_PARAMETERS } from "../src/runtime/postgres.js";
import { openSqlite, SQLITE_MAX_PARAMETERS } from "../src/runtime/sqlite.js";

export type DatabaseKind = "sqlite" | "postgres" | "d1";
export const DATABASE_KINDS: DatabaseKind[] = ["sqlite", "postgres", "d1"];

export interface TestDatabase extends StoreDb {
  kind: DatabaseKind;
  /** D1 only: the statements prepared so far, each one query against the per-invocation limit (issue 18). */
  queries?(): number;
  close(): Promise<void>;
}

/** The local PostgreSQL server CI starts (trust authentication, database `test`). */
export const POSTGRES_URL = process.env.SENIM_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Wrangler must never reach Cloudflare from a test: no metrics, no `Request.cf` download, no account. */
export function offlineWrangler(): void {
  process.env.WRANGLER_SEND_METRICS = "false";
  process.env.WRANGLER_SEND_ERROR_REPORTS = "false";
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
  process.env.WRANGLER_HIDE_BANNER = "true";
  for (const k of Object.keys(process.env)) if (k.startsWith("CLOUDFLARE_") && k !== "CLOUDFLARE_CF_FETCH_ENABLED") delete process.env[k];
}

export const WRANGLER_TOML = resolve(import.meta.dirname, "../wrangler.toml");

export function openTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  return kind === "sqlite" ? sqliteDatabase() : kind === "postgres" ? postgresDatabase() : d1Database();
}

export async function sqliteDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), "senim-sqlite-"));
  const db = openSqlite(join(dir, "senim.db"));
  await migrateToLatest(db);
  return {
    kind: "sqlite",
    db,
    atomic: transactionalAtomic(db),
    maxParameters: SQLITE_MAX_PARAMETERS,
    close: async () => {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh schema in the `test` database; the returned URL selects it through `search_path`. */
export async function freshPostgresSchema(): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `senim_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA "${schema}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA "${schema}" CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}

export async function postgresDatabase(): Promise<TestDatabase> {
  const schema = await freshPostgresSchema();
  const db = openPostgres(schema.url);
  await migrateToLatest(db);
  return {
    kind: "postgres",
    db,
    atomic: transactionalAtomic(db),
    maxParameters: POSTGRES_MAX_PARAMETERS,
    close: async () => {
      await db.destroy();
      await schema.drop();
    },
  };
}

/** Applies the generated D1 migration SQL (what `wrangler d1 migrations apply` runs) in one batch per migration. */
export async function applyD1Migrations(d1: D1Database): Promise<void> {
  for (const m of await migrationsAsSql()) await d1.batch(m.statements.map((s) => d1.prepare(s)));
}

export async function d1Database(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), "senim-d1-"));
  const { d1, dispose } = await startD1(dir);
  await applyD1Migrations(d1);
  return {
    kind: "d1",
    queries: () => d1.prepared,
    db: openD1(d1),
    atomic: d1Atomic(d1),
    maxParameters: D1_MAX_PARAMETERS,
    close: async () => {
      await dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh database of `kind` with foreign-key checks off for the one connection `fn` gets, for migration tests that
 * insert rows an older schema held without their parents; `schema` is PostgreSQL's current schema (the migrator needs
 * it), absent on SQLite.
 */
export async function withForeignKeysOff(kind: "sqlite" | "postgres", fn: (db: Kysely<any>, schema?: string) => Promise<void>): Promise<void> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "senim-migration-"));
    const db = openSqlite(join(dir, "senim.db"));
    try {
      await sql`PRAGMA foreign_keys = OFF`.execute(db);
      await fn(db);
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
    return;
  }
  const schema = await freshPostgresSchema();
  const db = openPostgres(schema.url);
  try {
    await db.connection().execute(async (conn) => {
      // Foreign-key triggers off for this connection only (the test database's user is a superuser).
      await sql`SET session_replication_role = replica`.execute(conn);
      const current = (await sql<{ s: string }>`select current_schema() as s`.execute(conn)).rows[0]!.s;
      await fn(conn, current);
    });
  } finally {
    await db.destroy();
    await schema.drop();
  }
}
