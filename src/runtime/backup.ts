/**
 * Backups of the embedded SQLite database (issue 17): `npm run backup -- FILE` copies a live database, and
 * `npm run restore -- FILE` puts a copy back as the database of a data directory that has none.
 *
 * The copy is `VACUUM INTO`: one read transaction, so in WAL mode it sees one committed state of the database
 * while the service keeps writing (an issuing call's rows are all in it or none are), and it never restarts the
 * way the page-by-page backup API does when another connection writes. Both directions check the copy with
 * `PRAGMA integrity_check` and that it holds Senim's tables, and write through a temporary file renamed into place,
 * so a failed or interrupted run leaves nothing that looks like a database.
 *
 * The database holds public keys and private keys encrypted under the KEK (keys/ or SENIM_KEK): a restored database
 * signs again only with the same KEK, which is backed up apart from it (docs/deploy.md).
 * PostgreSQL and D1 have their own tools (pg_dump, D1 Time Travel); see docs/deploy.md.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import SQLite from "better-sqlite3";

export interface CopyReport {
  file: string;
  bytes: number;
  certificates: number;
  migrations: number;
}

/** Refusals an operator reads: what is wrong and what to do, no stack trace. */
export class BackupError extends Error {}

/** The live database at `source` copied to `target` (which must not exist yet), checked. */
export function backupSqlite(source: string, target: string): CopyReport {
  const from = resolve(source);
  const to = resolve(target);
  if (!existsSync(from)) throw new BackupError(`No database at ${from}: set DATA_DIR to the service's data directory.`);
  if (existsSync(to)) throw new BackupError(`${to} exists already: a backup never overwrites a file; name a new one.`);
  mkdirSync(dirname(to), { recursive: true });
  const partial = `${to}.partial`;
  rmSync(partial, { force: true });
  const db = new SQLite(from, { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    db.prepare("VACUUM INTO ?").run(partial);
  } finally {
    db.close();
  }
  return settle(partial, to);
}

/** The backup at `source` made the database `target` of a data directory that has none. */
export function restoreSqlite(source: string, target: string): CopyReport {
  const from = resolve(source);
  const to = resolve(target);
  if (!existsSync(from)) throw new BackupError(`No backup at ${from}.`);
  for (const f of [to, `${to}-wal`, `${to}-shm`]) {
    if (existsSync(f)) throw new BackupError(`${f} exists: restore only into a data directory without a database (stop the service, move the old one aside, or set DATA_DIR to a new directory).`);
  }
  check(from);
  mkdirSync(dirname(to), { recursive: true });
  const partial = `${to}.partial`;
  rmSync(partial, { force: true });
  const db = new SQLite(from, { readonly: true, fileMustExist: true });
  try {
    db.prepare("VACUUM INTO ?").run(partial);
  } finally {
    db.close();
  }
  return settle(partial, to);
}

/** Checks the copy, then renames it into place; a copy that fails the check is removed. */
function settle(partial: string, to: string): CopyReport {
  try {
    const counts = check(partial);
    renameSync(partial, to);
    return { file: to, bytes: statSync(to).size, ...counts };
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  }
}

/** `PRAGMA integrity_check` is "ok", and the file is a Senim database (migrations applied, certificates table). */
function check(file: string): { certificates: number; migrations: number } {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const result = db.pragma("integrity_check") as { integrity_check: string }[];
    const problems = result.map((r) => r.integrity_check).filter((r) => r !== "ok");
    if (problems.length > 0) throw new BackupError(`${file} fails SQLite's integrity check: ${problems.slice(0, 3).join("; ")}`);
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    if (!tables.has("kysely_migration") || !tables.has("certificates")) throw new BackupError(`${file} is not a Senim database (no migrations or certificates table).`);
    const migrations = (db.prepare("SELECT count(*) AS n FROM kysely_migration").get() as { n: number }).n;
    const certificates = (db.prepare("SELECT count(*) AS n FROM certificates").get() as { n: number }).n;
    return { certificates, migrations };
  } catch (e) {
    if (e instanceof BackupError) throw e;
    throw new BackupError(`${file} cannot be read as a SQLite database: ${(e as Error).message}`);
  } finally {
    db.close();
  }
}
