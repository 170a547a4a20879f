/**
 * D1 has no interactive transactions (its kysely driver refuses `db.transaction()`), so stores write several rows
 * only through the `atomic` seam (src/storage/atomic.ts), and only src/runtime knows the dialect.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const src = resolve(import.meta.dirname, "../src");
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));

describe("the storage seam", () => {
  /** The file without its comments, so that prose naming `db.transaction()` is no offence. */
  const code = (f: string) => readFileSync(f, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");

  it("nothing opens a transaction but the SQLite/PostgreSQL `atomic`: multi-row writes go through the seam", () => {
    const offenders = files(src)
      .filter((f) => f !== join(src, "storage", "atomic.ts"))
      .filter((f) => /\.transaction\(/.test(code(f)));
    expect(offenders, "use this.store.atomic([...compiled queries]) instead of db.transaction()").toEqual([]);
  });

  it("every store is built on the StoreDb (db, atomic, maxParameters), never on a bare Kysely", () => {
    const stores = files(join(src, "storage")).filter((f) => /-store\.ts$/.test(f));
    // The stores merged so far; a new one is scanned as soon as it exists.
    for (const name of ["registry", "issuance", "standards", "survey", "analysis", "session", "member", "wallet"]) {
      expect(stores.map((f) => f.split("/").pop())).toContain(`${name}-store.ts`);
    }
    for (const f of stores) {
      const constructors = [...code(f).matchAll(/constructor\(([^)]*)\)/g)].map((m) => m[1]!);
      expect(constructors.length, f).toBeGreaterThan(0);
      for (const c of constructors) expect(c, f).toMatch(/^\s*(private readonly |readonly )?store: StoreDb\s*$/);
    }
  });

  it("only src/runtime imports a database driver or names a dialect", () => {
    const offenders = files(src)
      .filter((f) => !f.startsWith(join(src, "runtime")))
      .filter((f) => /from "(better-sqlite3|pg|kysely-d1)"|SqliteDialect|PostgresDialect|SqliteAdapter|PostgresAdapter/.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });
});
