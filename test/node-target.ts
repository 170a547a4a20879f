/**
 * Senim as the Node server (`src/runtime/node.ts`, what `npm start` runs) in its own process on a free local port:
 * on a fresh SQLite file, or with DATABASE_URL on PostgreSQL (a fresh schema, or a given URL so several instances
 * share one database).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { newToken } from "../src/lib/ids.js";
import { Keyring } from "../src/registry/keyring.js";
import { freshPostgresSchema } from "./databases.js";
import { freePort, httpCaller, TestClock, type HttpTarget } from "./helpers.js";

export interface NodeTarget extends HttpTarget {
  /** The server process's id (its memory is read from /proc/{pid}/status). */
  pid: number;
  output(): string;
  close(): Promise<void>;
}

export interface NodeTargetOptions {
  database: "sqlite" | "postgres";
  /** Share this PostgreSQL database (a URL from `freshPostgresSchema`) instead of a fresh schema of its own. */
  databaseUrl?: string;
  /** Share secrets between instances of one deployment. */
  kek?: string;
  adminToken?: string;
  /** Share the public URL between instances behind one (imagined) load balancer. */
  publicUrl?: string;
  /** More variables (SMTP_URL, poll intervals, …). */
  env?: Record<string, string>;
}

/**
 * The environment of a production-like Node server on `port` with its files under `dir`: secrets from the
 * environment only, as in a real deployment, SQLite unless the caller sets DATABASE_URL.
 */
export function nodeServerEnv(o: { dir: string; port: number; adminToken: string; kek?: string; publicUrl?: string; extra?: Record<string, string> }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(o.port),
    PUBLIC_URL: o.publicUrl ?? `http://127.0.0.1:${o.port}`,
    DATA_DIR: join(o.dir, "data"),
    SENIM_KEYS_DIR: join(o.dir, "keys"),
    SENIM_KEK: o.kek ?? Keyring.newSecret(),
    SENIM_ADMIN_TOKEN: o.adminToken,
    SENIM_ACCESS_LOG: "off",
    // Tests send thousands of requests from one address; those about the limits set SENIM_RATE_LIMITS themselves.
    SENIM_RATE_LIMITS: "off",
    // tsx looks for tsconfig.json (and its JSX settings) from the working directory; the pages need it.
    TSX_TSCONFIG_PATH: resolve(import.meta.dirname, "../tsconfig.json"),
    ...o.extra,
  };
  delete env.DATABASE_URL;
  return env;
}

export async function startNodeTarget(o: NodeTargetOptions): Promise<NodeTarget> {
  const dir = mkdtempSync(join(tmpdir(), "senim-node-target-"));
  const schema = o.database === "postgres" && !o.databaseUrl ? await freshPostgresSchema() : undefined;
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const adminToken = o.adminToken ?? newToken();
  const env = nodeServerEnv({ dir, port, adminToken, kek: o.kek, publicUrl: o.publicUrl, extra: o.env });
  if (o.database === "postgres") env.DATABASE_URL = o.databaseUrl ?? schema!.url;
  const { child, output } = await spawnNodeServer(env, dir);
  const fetchPath = (path: string, init?: RequestInit) => fetch(baseUrl + path, init);
  return {
    baseUrl: o.publicUrl ?? baseUrl,
    adminToken,
    clock: new TestClock(null),
    fetch: fetchPath,
    call: httpCaller(fetchPath),
    pid: child.pid!,
    output,
    close: async () => {
      await stopProcess(child);
      await schema?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `src/runtime/node.ts` (what `npm start` runs) in a child process with `env`, started in `cwd`; resolves once it
 * says it is listening, with everything it has printed so far and since.
 */
export async function spawnNodeServer(env: NodeJS.ProcessEnv, cwd: string): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), resolve(import.meta.dirname, "../src/runtime/node.ts")], { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const deadline = Date.now() + 30_000;
  while (!out.includes("listening")) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill("SIGKILL");
      throw new Error(`Node server did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => out };
}

/** Stops a child process with SIGTERM and waits for it to exit (at once if it already has). */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
