/**
 * D1 for tests that run Senim's stores in this Node process: a real D1 database in workerd (Miniflare's D1, the one
 * `wrangler dev` runs), reached through a few lines of Worker that run the statements sent to it. Not wrangler's
 * `getPlatformProxy`: its binding's `prepare` is synchronous, done with a blocking cross-thread call that loses its
 * place under a burst of concurrent statements (Miniflare's SynchronousFetcher asserts `message.id === id`, and then
 * every later statement fails), which made the D1 store tests fail at random under load. Here `prepare` and `bind`
 * only note the SQL and values; `all()` and `batch()` are one asynchronous request each, so D1 sees exactly the
 * statements and batches Senim sends (a batch stays one transaction) and reports its own errors' messages.
 */
import type { D1Database, D1PreparedStatement, D1Result } from "../src/runtime/d1.js";

/** The Worker: runs one statement (`all`) or a batch, and answers D1's results or its error message. */
const D1_RPC_WORKER = `
export default {
  async fetch(request, env) {
    const { batch, statements } = await request.json();
    try {
      const prepared = statements.map((s) => env.DB.prepare(s.sql).bind(...s.params));
      const results = batch ? await env.DB.batch(prepared) : [await prepared[0].all()];
      return Response.json({ results: results.map((r) => ({ results: r.results ?? [], meta: { changes: r.meta?.changes ?? 0, last_row_id: r.meta?.last_row_id ?? 0 } })) });
    } catch (e) {
      return Response.json({ error: e instanceof Error ? e.message : String(e) }, { status: 500 });
    }
  },
};`;

interface Statement {
  sql: string;
  params: unknown[];
}

class NotedStatement implements D1PreparedStatement {
  constructor(
    readonly statement: Statement,
    private readonly run: (batch: boolean, statements: Statement[]) => Promise<D1Result[]>,
  ) {}

  bind(...values: unknown[]): D1PreparedStatement {
    for (const v of values) {
      if (v !== null && !["string", "number", "boolean"].includes(typeof v)) throw new TypeError(`a D1 test parameter of type ${typeof v} cannot be sent as JSON`);
    }
    return new NotedStatement({ sql: this.statement.sql, params: values }, this.run);
  }

  async all(): Promise<D1Result> {
    return (await this.run(false, [this.statement]))[0]!;
  }
}

export interface D1TestBinding {
  d1: D1Database & { prepared: number };
  dispose(): Promise<void>;
}

/**
 * A fresh D1 database persisted under `dir`, and the binding to it. `prepared` counts every statement prepared, as
 * Cloudflare counts each statement, alone or in a `batch()`, against an invocation's D1 queries (issue 18).
 */
export async function startD1(dir: string): Promise<D1TestBinding> {
  const { Miniflare } = await import("miniflare");
  const mf = new Miniflare({ modules: true, script: D1_RPC_WORKER, d1Databases: ["DB"], d1Persist: dir, compatibilityDate: "2026-04-20" });
  await mf.ready;
  const run = async (batch: boolean, statements: Statement[]): Promise<D1Result[]> => {
    const res = await mf.dispatchFetch("http://d1.test/", { method: "POST", body: JSON.stringify({ batch, statements }), headers: { "content-type": "application/json" } });
    const body = (await res.json()) as { results?: D1Result[]; error?: string };
    if (body.error !== undefined) throw new Error(body.error);
    return body.results!;
  };
  const d1 = {
    prepared: 0,
    prepare(sql: string): D1PreparedStatement {
      d1.prepared++;
      return new NotedStatement({ sql, params: [] }, run);
    },
    batch(statements: D1PreparedStatement[]): Promise<D1Result[]> {
      return run(true, statements.map((s) => (s as NotedStatement).statement));
    },
  };
  return { d1, dispose: () => mf.dispose() };
}
