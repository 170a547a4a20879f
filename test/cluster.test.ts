/**
 * Issue 18: SENIM_WORKERS=2 — the real Node server as a cluster on one SQLite file and one port: both workers answer
 * (X-Senim-Worker), a certificate issued through one verifies on the other, the rate limit is one count across them,
 * a killed worker is started again while the other keeps answering, SIGTERM stops them all; a bad value stops the start.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newToken } from "../src/lib/ids.js";
import { MAX_WORKERS, workersFrom } from "../src/runtime/config.js";
import { accreditedProvider, eventWithParticipants, freePort, httpCaller, TestClock, type HttpTarget } from "./helpers.js";
import { nodeServerEnv, spawnNodeServer, stopProcess } from "./node-target.js";

/** The public limit under test: an address gets this many POST /api/verify a day, across every worker. */
const PUBLIC_LIMIT = 40;
/** GET /metrics's bearer token (METRICS_TOKEN). */
const METRICS_TOKEN = "m".repeat(40);

interface Answer {
  status: number;
  worker: string | undefined;
  body: string;
}

/** One request on a connection of its own, so that the primary hands each to the next worker in turn. */
function fresh(port: number, method: string, path: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, agent: false, headers: body ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) } : {} }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, worker: res.headers["x-senim-worker"] as string | undefined, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The Senim processes whose parent is `pid` (Linux /proc): the primary's workers, not tsx's esbuild service. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid …; comm may hold spaces, so read after the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid && readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("src/runtime/node.ts")) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("SENIM_WORKERS: N Node processes on one port", () => {
  const dir = mkdtempSync(join(tmpdir(), "senim-cluster-"));
  let child: ChildProcess;
  let output: () => string;
  let port: number;
  let target: HttpTarget;

  beforeAll(async () => {
    port = await freePort();
    const adminToken = newToken();
    const env = nodeServerEnv({ dir, port, adminToken, extra: { SENIM_WORKERS: "2", SENIM_RATE_LIMITS: `public=${PUBLIC_LIMIT}/86400`, METRICS_TOKEN } });
    ({ child, output } = await spawnNodeServer(env, dir));
    const fetchPath = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${port}${path}`, init);
    target = { baseUrl: `http://127.0.0.1:${port}`, adminToken, clock: new TestClock(null), fetch: fetchPath, call: httpCaller(fetchPath) };
  }, 60_000);
  afterAll(async () => {
    if (child) await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  });

  it("says so once, when both workers listen, after one migration in the primary", () => {
    expect(output()).toContain("; 2 workers)");
    expect(output().match(/Senim is listening/g)).toHaveLength(1);
    expect(output().match(/Applied migrations/g)).toHaveLength(1);
    expect(childrenOf(child.pid!)).toHaveLength(2);
  });

  it("both workers answer, each naming its index and never its pid", async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => fresh(port, "GET", "/healthz")));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    expect(new Set(answers.map((a) => a.worker))).toEqual(new Set(["1", "2"]));
    const pids = childrenOf(child.pid!).map(String);
    for (const a of answers) expect(pids).not.toContain(a.worker);
  });

  it("a certificate issued through one worker verifies on each; the public limit is one count across both", async () => {
    const provider = await accreditedProvider(target);
    const event = await eventWithParticipants(target, provider.token, { n: 3 });
    const issued = await target.call("POST", `/api/events/${event.id}/certificates`, { token: provider.token });
    expect(issued.status).toBe(201);
    const jwt = (await target.call("GET", `/c/${issued.body.certificates[0].id}/credential.jwt`)).text;
    const body = JSON.stringify({ jwt });

    // Twice the limit at once, on fresh connections spread over both workers: exactly the limit passes.
    const answers = await Promise.all(Array.from({ length: 2 * PUBLIC_LIMIT }, () => fresh(port, "POST", "/api/verify", body)));
    const passed = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    expect(passed).toHaveLength(PUBLIC_LIMIT);
    expect(refused).toHaveLength(PUBLIC_LIMIT);
    for (const a of passed) expect(JSON.parse(a.body).verified).toBe(true);
    expect(new Set(passed.map((a) => a.worker))).toEqual(new Set(["1", "2"]));
    expect(new Set(refused.map((a) => a.worker))).toEqual(new Set(["1", "2"]));
  }, 30_000);

  it("GET /metrics counts the whole cluster, whichever worker answers the scrape", async () => {
    const count = (text: string) => Number(/^senim_http_requests_total\{route="\/healthz",method="GET",status="200"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    const scrape = () =>
      new Promise<Answer>((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, path: "/metrics", agent: false, headers: { authorization: `Bearer ${METRICS_TOKEN}` } }, (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (d: string) => (text += d));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, worker: res.headers["x-senim-worker"] as string | undefined, body: text }));
        });
        req.on("error", reject);
        req.end();
      });
    const before = await scrape();
    expect(before.status, before.body).toBe(200);
    const answers = await Promise.all(Array.from({ length: 10 }, () => fresh(port, "GET", "/healthz")));
    expect(new Set(answers.map((a) => a.worker))).toEqual(new Set(["1", "2"]));
    // Scrapes answered by each worker in turn all see the same total: both workers' requests.
    const scrapes = [await scrape(), await scrape(), await scrape(), await scrape()];
    expect(new Set(scrapes.map((a) => a.worker))).toEqual(new Set(["1", "2"]));
    for (const sc of scrapes) {
      expect(sc.status).toBe(200);
      expect(count(sc.body) - count(before.body)).toBe(10);
      expect(sc.body).toMatch(/^senim_outbox_messages\{status="queued"\} \d+$/m);
      expect(sc.body.match(/^# TYPE senim_http_requests_total counter$/gm)).toHaveLength(1);
    }
  }, 30_000);

  it("a killed worker is started again under its index while the other keeps answering", async () => {
    const [victim] = childrenOf(child.pid!);
    process.kill(victim!, "SIGKILL");
    const line = await until("the restart line", () => new RegExp(`Worker (\\d) \\(pid ${victim}\\) exited \\(signal SIGKILL\\); starting it again`).exec(output()) ?? undefined);
    const index = line[1]!;
    const meanwhile = await Promise.all(Array.from({ length: 6 }, () => fresh(port, "GET", "/healthz")));
    expect(meanwhile.map((a) => a.status)).toEqual(Array(6).fill(200));
    // The restarted worker answers again under the same index.
    await until(`worker ${index} again`, async () => ((await fresh(port, "GET", "/healthz")).worker === index ? true : undefined), 30_000);
    const workers = childrenOf(child.pid!);
    expect(workers).toHaveLength(2);
    expect(workers).not.toContain(victim);
  }, 45_000);

  it("SIGTERM stops every worker and then the primary, with code 0", async () => {
    const workers = childrenOf(child.pid!);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    for (const pid of workers) expect(alive(pid)).toBe(false);
  }, 30_000);
});

describe("SENIM_WORKERS is checked at start", () => {
  it("accepts 1..64 and refuses anything else with the reason", () => {
    expect(workersFrom({})).toBe(1);
    expect(workersFrom({ SENIM_WORKERS: "" })).toBe(1);
    expect(workersFrom({ SENIM_WORKERS: " 4 " })).toBe(4);
    expect(workersFrom({ SENIM_WORKERS: String(MAX_WORKERS) })).toBe(MAX_WORKERS);
    for (const bad of ["0", "65", "-1", "2.5", "abc", "1e1", "0x2"]) expect(() => workersFrom({ SENIM_WORKERS: bad }), bad).toThrow(/SENIM_WORKERS must be a whole number from 1 to 64/);
  });

  it("SENIM_WORKERS=abc: the server does not start and says why", async () => {
    const dir = mkdtempSync(join(tmpdir(), "senim-cluster-bad-"));
    try {
      const env = nodeServerEnv({ dir, port: await freePort(), adminToken: newToken(), extra: { SENIM_WORKERS: "abc" } });
      await expect(spawnNodeServer(env, dir)).rejects.toThrow(/Senim cannot start: SENIM_WORKERS must be a whole number from 1 to 64 .*"abc"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it("workers that cannot listen (the port is taken) are retried with a growing delay, then the start fails", async () => {
    const dir = mkdtempSync(join(tmpdir(), "senim-cluster-taken-"));
    const port = await freePort();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(port, resolve));
    try {
      const env = nodeServerEnv({ dir, port, adminToken: newToken(), extra: { SENIM_WORKERS: "2" } });
      // Not spawnNodeServer: five rounds of starts may take longer than its 30 s wait for "listening" on a busy machine.
      const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), resolve(import.meta.dirname, "../src/runtime/node.ts")], { env, cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
      let failure = "";
      child.stdout.on("data", (d) => (failure += d));
      child.stderr.on("data", (d) => (failure += d));
      const code = await new Promise<number | null>((done) => child.once("exit", (c) => done(c)));
      expect(code).toBe(1);
      expect(failure).not.toContain("Senim is listening");
      expect(failure).toMatch(/Worker \d exited \(code 1\) before listening 5 times in a row; stopping Senim\./);
      const delays = [...failure.matchAll(/Worker 1 \(pid \d+\) exited \(code 1\); starting it again in (\d+) ms/g)].map((m) => Number(m[1]));
      expect(delays).toEqual([250, 500, 1000, 2000]);
    } finally {
      taken.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
