/**
 * The kysely migrations (migrations/*.ts, the one source of truth) as plain SQL files for
 * `wrangler d1 migrations apply`. Each migration's `up` runs against a recording kysely that compiles with SQLite's
 * compiler (D1 is SQLite) and keeps every statement instead of running it; parameters are inlined as literals.
 * So a migration must be statements only: a read inside `up` sees no rows here.
 */
import {
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from "kysely";
import { migrations } from "../../migrations/index.js";

export interface SqlMigration {
  name: string;
  statements: string[];
}

export async function migrationsAsSql(): Promise<SqlMigration[]> {
  const out: SqlMigration[] = [];
  for (const name of Object.keys(migrations).sort()) {
    const recorded: CompiledQuery[] = [];
    const connection: DatabaseConnection = {
      executeQuery: async <R>(q: CompiledQuery): Promise<QueryResult<R>> => {
        recorded.push(q);
        return { rows: [] };
      },
      streamQuery: () => {
        throw new Error("not supported");
      },
    };
    const driver: Driver = {
      init: async () => {},
      acquireConnection: async () => connection,
      beginTransaction: async () => {},
      commitTransaction: async () => {},
      rollbackTransaction: async () => {},
      releaseConnection: async () => {},
      destroy: async () => {},
    };
    const db = new Kysely<any>({
      dialect: {
        createAdapter: () => new SqliteAdapter(),
        createDriver: () => driver,
        createIntrospector: (k) => new SqliteIntrospector(k),
        createQueryCompiler: () => new SqliteQueryCompiler(),
      },
    });
    await migrations[name]!.up(db);
    out.push({ name, statements: recorded.map(inline) });
  }
  return out;
}

/** One migration file's text. */
export const sqlFile = (m: SqlMigration) => `-- Generated from migrations/${m.name}.ts by \`npm run d1:migrations\`; do not edit.\n${m.statements.map((s) => `${s};`).join("\n")}\n`;

/** Replaces each `?` outside quoted text with its parameter as an SQL literal. */
function inline(q: CompiledQuery): string {
  const params = [...q.parameters];
  let out = "";
  let quote: string | null = null;
  for (const ch of q.sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"' || ch === "`") {
      quote = ch;
      out += ch;
    } else if (ch === "?") {
      if (params.length === 0) throw new Error(`More placeholders than parameters in: ${q.sql}`);
      out += literal(params.shift());
    } else {
      out += ch;
    }
  }
  if (params.length > 0) throw new Error(`Unused parameters in: ${q.sql}`);
  return out;
}

function literal(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "number" || typeof v === "bigint") {
    if (typeof v === "number" && !Number.isFinite(v)) throw new Error(`Cannot inline ${v}`);
    return String(v);
  }
  if (typeof v === "boolean") return v ? "1" : "0";
  if (typeof v === "string") return `'${v.replace(/'/g, "''")}'`;
  throw new Error(`Cannot inline a ${typeof v} into a migration`);
}
