/**
 * Senim as a Cloudflare Worker in workerd: the very bundle `wrangler deploy` would upload (built with
 * `wrangler deploy --dry-run`), run by Miniflare with the bindings and static assets wrangler.toml declares (read
 * through wrangler's own `unstable_getMiniflareWorkerOptions`), on a local D1 migrated with the SQL generated from
 * migrations/*.ts, reached over real HTTP on a free local port. Nothing reaches Cloudflare.
 *
 * Not `wrangler dev`: its local proxy stops answering after a response sent before the request body was read (a 413
 * on an oversized chunked upload), which workerd itself and Cloudflare handle fine.
 */
import { startLoopbackMailApi, type LoopbackMailApi } from "./delivery-helpers.js";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { newToken } from "../src/lib/ids.js";
import { Keyring } from "../src/registry/keyring.js";
import type { D1Database } from "../src/runtime/d1.js";
import { applyD1Migrations, offlineWrangler, WRANGLER_TOML } from "./databases.js";
import { freePort, httpCaller, TestClock, type HttpTarget } from "./helpers.js";

const ROOT = dirname(WRANGLER_TOML);

/**
 * wrangler.toml copied into `dir` with absolute paths, so that a developer's .dev.vars (beside the real one, from
 * `npm run dev:worker`) cannot add secrets to the test's Worker: its secrets are exactly the ones passed here.
 */
/** What the test Worker's Rate Limiting bindings allow per minute (wrangler.toml's 120 and 20, raised). */
export const WORKER_TEST_RATE_LIMITS = { public: 5_000, secrets: 40 };

export function isolatedConfig(dir: string, migrationsDir?: string): string {
  let text = readFileSync(WRANGLER_TOML, "utf8");
  const replacements: [string, string][] = [
    [`main = "src/runtime/worker.ts"`, `main = ${JSON.stringify(join(ROOT, "src/runtime/worker.ts"))}`],
    [`directory = "./public"`, `directory = ${JSON.stringify(join(ROOT, "public"))}`],
    [`migrations_dir = ".wrangler/d1-migrations"`, `migrations_dir = ${JSON.stringify(migrationsDir ?? join(ROOT, ".wrangler/d1-migrations"))}`],
    // The same Rate Limiting bindings with room for a test suite's requests from one address (the scenario
    // "issue 17: rate limits" still runs into the secrets limit).
    [`simple = { limit = 120, period = 60 }`, `simple = { limit = ${WORKER_TEST_RATE_LIMITS.public}, period = 60 }`],
    [`simple = { limit = 20, period = 60 }`, `simple = { limit = ${WORKER_TEST_RATE_LIMITS.secrets}, period = 60 }`],
  ];
  for (const [from, to] of replacements) {
    if (!text.includes(from)) throw new Error(`wrangler.toml no longer has ${from}`);
    text = text.replace(from, to);
  }
  const file = join(dir, "wrangler.toml");
  writeFileSync(file, text);
  return file;
}

/** The deployable bundle, built once per test process. */
let bundle: string | undefined;
export function workerBundle(): string {
  if (!bundle) {
    offlineWrangler();
    const out = mkdtempSync(join(tmpdir(), "senim-worker-bundle-"));
    execFileSync(process.execPath, [join(ROOT, "node_modules/wrangler/bin/wrangler.js"), "deploy", "--dry-run", "--outdir", out], { cwd: ROOT, env: process.env, stdio: "ignore" });
    process.once("exit", () => rmSync(out, { recursive: true, force: true }));
    bundle = join(out, "worker.js");
  }
  return bundle;
}

export interface WorkerTarget extends HttpTarget {
  /** Runs the Worker's cron handler once, as the `[triggers]` schedule would. */
  scheduled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `omit` leaves out secrets, to test the Worker's refusal to run misconfigured; `bindings` adds variables (the mail
 * API's URL and key, for instance).
 */
export async function startWorkerTarget(o: { omit?: ("SENIM_KEK" | "SENIM_ADMIN_TOKEN")[]; bindings?: Record<string, string> } = {}): Promise<WorkerTarget> {
  offlineWrangler();
  const { unstable_getMiniflareWorkerOptions } = await import("wrangler");
  const { Miniflare } = await import("miniflare");
  const dir = mkdtempSync(join(tmpdir(), "senim-worker-"));
  const { workerOptions } = unstable_getMiniflareWorkerOptions(isolatedConfig(dir));
  const script = workerBundle();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const adminToken = newToken();
  const secrets: Record<string, string> = { SENIM_KEK: Keyring.newSecret(), SENIM_ADMIN_TOKEN: adminToken };
  for (const k of o.omit ?? []) delete secrets[k];
  const mf = new Miniflare({
    ...(workerOptions as object),
    modules: true,
    scriptPath: script,
    modulesRoot: dirname(script),
    bindings: { PUBLIC_URL: baseUrl, ...secrets, ...o.bindings },
    d1Persist: join(dir, "d1"),
    host: "127.0.0.1",
    port,
    cf: false,
  } as ConstructorParameters<typeof Miniflare>[0]);
  await mf.ready;
  // What `wrangler d1 migrations apply` runs: the SQL generated from migrations/*.ts.
  await applyD1Migrations((await mf.getD1Database("DB")) as unknown as D1Database);
  const fetchPath = (path: string, init?: RequestInit) => fetch(baseUrl + path, init);
  return {
    baseUrl,
    adminToken,
    clock: new TestClock(null), // the Worker keeps real time
    fetch: fetchPath,
    call: httpCaller(fetchPath),
    scheduled: async () => {
      const worker = (await mf.getWorker()) as unknown as { scheduled(o: { cron: string }): Promise<unknown> };
      await worker.scheduled({ cron: "* * * * *" });
    },
    close: async () => {
      await mf.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The Worker with its HTTP mail API pointed at a loopback receiver (test/delivery-helpers.ts), as a deployment with
 * `MAIL_API_URL`, `MAIL_API_KEY` ("test-key") and `MAIL_FROM` set: its cron handler sends what the outbox holds.
 */
export async function startMailingWorker(): Promise<{ worker: WorkerTarget; api: LoopbackMailApi }> {
  const api = await startLoopbackMailApi();
  const worker = await startWorkerTarget({ bindings: { MAIL_API_URL: api.url, MAIL_API_KEY: "test-key", MAIL_FROM: "Senim <no-reply@senim.test>" } });
  return { worker, api };
}
