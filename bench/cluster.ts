/**
 * `npm run bench:cluster` (issue 18): POST /api/verify on the real Node server (src/runtime/node.ts, what `npm start`
 * runs) with SENIM_WORKERS=1 and SENIM_WORKERS=2, side by side in one run, against raw single-core Ed25519 verify
 * measured in the same run.
 *
 *   1. Baseline   node:crypto Ed25519 verify/s on one core (tinybench, as bench/run.ts), on the signing input of a real
 *                 certificate.
 *   2. Servers    one SQLite file under one DATA_DIR; 1,000 distinct certificates issued through the API of the first
 *                 server. Then every configuration below runs at once, each on its own port with the same PUBLIC_URL,
 *                 KEK and admin token (one deployment, several ways to run it):
 *                   N=1           SENIM_WORKERS=1, rate limits off (as bench/run.ts and bench/runtimes.ts measure)
 *                   N=2           SENIM_WORKERS=2, rate limits off
 *                   N=1 limited   rate limits on, counted in the process's memory
 *                   N=2 limited   rate limits on, counted by the primary for both workers (src/runtime/cluster-rate-limit.ts)
 *                 ("limited": `public=9999999/86400`, so nothing is refused and the figure is the cost of counting).
 *   3. Verify     autocannon from this process, the 1,000 bodies with each connection starting elsewhere in the list;
 *                 a warm-up each, then rounds in which the configurations take turns (so load from other work on a
 *                 shared machine falls on all alike); each figure is its median round, and N=2 ÷ N=1 is also given
 *                 as the median of the rounds' own ratios. Server CPU per request is the primary's and its workers' CPU time (/proc, so Linux only) over the round.
 *
 * Prints a table and writes bench/results/cluster.json. Environment: BENCH_CONNECTIONS (24), BENCH_CLUSTER_SECONDS (5
 * per round), BENCH_CLUSTER_ROUNDS (3), BENCH_CLUSTER_LIMITED=0 to leave out the two limited configurations.
 */
import type { ChildProcess } from "node:child_process";
import { generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { Bench } from "tinybench";
import { newToken } from "../src/lib/ids.js";
import { Keyring } from "../src/registry/keyring.js";
import { accreditedProvider, eventWithParticipants, freePort, httpCaller, TestClock, type HttpTarget } from "../test/helpers.js";
import { nodeServerEnv, spawnNodeServer, stopProcess } from "../test/node-target.js";

const CERTIFICATES = 1_000;
const int = (text: string | undefined, fallback: number, min: number, max: number) => {
  const n = Number.parseInt(text ?? "", 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
};
const CONNECTIONS = int(process.env.BENCH_CONNECTIONS, 24, 1, 500);
const SECONDS = int(process.env.BENCH_CLUSTER_SECONDS, 5, 1, 60);
const ROUNDS = int(process.env.BENCH_CLUSTER_ROUNDS, 3, 1, 15);
const WARMUP_SECONDS = 5; // each of N workers warms its own JIT and caches on its share of the requests
const WITH_LIMITED = process.env.BENCH_CLUSTER_LIMITED !== "0";
const NEVER_REFUSED = "public=9999999/86400";

interface Configuration {
  label: string;
  workers: number;
  rateLimits: string;
}
const CONFIGURATIONS: Configuration[] = [
  { label: "N=1", workers: 1, rateLimits: "off" },
  { label: "N=2", workers: 2, rateLimits: "off" },
  ...(WITH_LIMITED
    ? [
        { label: "N=1 limited", workers: 1, rateLimits: NEVER_REFUSED },
        { label: "N=2 limited", workers: 2, rateLimits: NEVER_REFUSED },
      ]
    : []),
];

interface Round {
  requestsPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  serverCpuUsPerRequest: number;
  serverCores: number;
  loadGeneratorCores: number;
}

interface Server {
  config: Configuration;
  port: number;
  child: ChildProcess;
  rounds: Round[];
}

const log = (line: string) => process.stderr.write(`[bench:cluster] ${line}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const median = <T>(xs: T[], key: (x: T) => number): T => [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)]!;

// ---- server CPU from /proc ----------------------------------------------------------------------------------------

const TICK_US = 1e6 / 100; // USER_HZ is 100 on Linux

/** utime + stime (µs) of `pid` and of every process whose parent it is (the cluster's workers). */
function treeCpuUs(pid: number): number {
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields[0] is the state, [1] the ppid
    if (Number(entry) === pid || Number(fields[1]) === pid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * TICK_US;
}

// ---- the run ------------------------------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), "senim-bench-cluster-"));
const servers: Server[] = [];
let exitCode = 0;
process.once("SIGINT", () => {
  void Promise.all(servers.map((s) => stopProcess(s.child))).finally(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });
});

try {
  const adminToken = newToken();
  const kek = Keyring.newSecret();
  const firstPort = await freePort();
  const publicUrl = `http://127.0.0.1:${firstPort}`;
  const start = async (config: Configuration, port: number): Promise<Server> => {
    const env = nodeServerEnv({ dir, port, adminToken, kek, publicUrl, extra: { SENIM_WORKERS: String(config.workers), SENIM_RATE_LIMITS: config.rateLimits } });
    const { child } = await spawnNodeServer(env, dir);
    log(`${config.label}: pid ${child.pid} on 127.0.0.1:${port}`);
    return { config, port, child, rounds: [] };
  };

  servers.push(await start(CONFIGURATIONS[0]!, firstPort));
  log(`issuing ${fmt(CERTIFICATES)} distinct certificates through ${CONFIGURATIONS[0]!.label}…`);
  const jwts = await issue(servers[0]!.port, publicUrl, adminToken);
  for (const config of CONFIGURATIONS.slice(1)) servers.push(await start(config, await freePort()));

  const baseline = await runBaseline(jwts[0]!);
  log(`baseline: node:crypto Ed25519 verify ${fmt(baseline.opsPerSec)}/s on one core`);
  const requests: autocannon.Request[] = jwts.map((jwt) => ({ method: "POST", path: "/api/verify", headers: { "content-type": "application/json" }, body: JSON.stringify({ jwt }) }));

  for (const s of servers) await cannon(s, requests, WARMUP_SECONDS);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const s of servers) {
      const r = await cannon(s, requests, SECONDS);
      s.rounds.push(r);
      log(`round ${round}/${ROUNDS} ${s.config.label}: ${fmt(r.requestsPerSec)} req/s, p99 ${r.p99} ms, non-2xx ${r.non2xx}, server ${fmt(r.serverCpuUsPerRequest)} µs CPU/req on ${r.serverCores.toFixed(2)} cores, autocannon ${r.loadGeneratorCores.toFixed(2)} cores`);
    }
  }
  report(baseline, servers);
} catch (e) {
  exitCode = 1;
  console.error(e);
} finally {
  await Promise.all(servers.map((s) => stopProcess(s.child)));
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);

/** 1,000 certificates of one event, issued through the server on `port`; their vc+jwt. */
async function issue(port: number, publicUrl: string, adminToken: string): Promise<string[]> {
  const fetchPath = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${port}${path}`, init);
  const target: HttpTarget = { baseUrl: publicUrl, adminToken, clock: new TestClock(null), fetch: fetchPath, call: httpCaller(fetchPath) };
  const provider = await accreditedProvider(target);
  const event = await eventWithParticipants(target, provider.token, { n: CERTIFICATES });
  const res = await target.call("POST", `/api/events/${event.id}/certificates`, { token: provider.token });
  if (res.status !== 201) throw new Error(`issuing: ${res.status} ${res.text.slice(0, 300)}`);
  const jwts: string[] = [];
  for (const c of res.body.certificates as { id: string }[]) jwts.push((await target.call("GET", `/c/${c.id}/credential.jwt`)).text);
  if (new Set(jwts).size !== CERTIFICATES) throw new Error("expected distinct certificates");
  const check = await target.call("POST", "/api/verify", { body: { jwt: jwts[0] } });
  if (check.status !== 200 || check.body?.verified !== true) throw new Error(`verify sanity check: ${check.status} ${check.text.slice(0, 300)}`);
  return jwts;
}

/** Raw Ed25519 verify on one core, as bench/run.ts measures its denominator. */
async function runBaseline(jwt: string): Promise<{ opsPerSec: number; meanUs: number; messageBytes: number }> {
  const message = Buffer.from(jwt.slice(0, jwt.lastIndexOf(".")), "utf8");
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const signature = nodeSign(null, message, privateKey);
  const bench = new Bench({ time: 1_500, warmupTime: 300 });
  bench.add("node:crypto verify", () => {
    if (!nodeVerify(null, message, publicKey, signature)) throw new Error("node:crypto verify failed");
  });
  await bench.run();
  const r = bench.getTask("node:crypto verify")?.result;
  if (!r || r.state !== "completed") throw new Error(`tinybench: ${r?.state ?? "missing"}`);
  return { opsPerSec: 1_000 / r.latency.mean, meanUs: r.latency.mean * 1_000, messageBytes: message.length };
}

async function cannon(s: Server, requests: autocannon.Request[], seconds: number): Promise<Round> {
  let client = 0;
  const stride = Math.max(1, Math.floor(requests.length / CONNECTIONS));
  const serverBefore = treeCpuUs(s.child.pid!);
  const selfBefore = process.cpuUsage();
  const r = await autocannon({
    url: `http://127.0.0.1:${s.port}`,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    requests,
    setupClient: (c) => {
      const offset = (client++ * stride) % requests.length;
      c.setRequests([...requests.slice(offset), ...requests.slice(0, offset)]);
    },
  });
  const self = process.cpuUsage(selfBefore);
  const serverUs = treeCpuUs(s.child.pid!) - serverBefore;
  const wallUs = r.duration * 1e6;
  return {
    requestsPerSec: r.requests.total / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    serverCpuUsPerRequest: serverUs / Math.max(1, r.requests.total),
    serverCores: serverUs / wallUs,
    loadGeneratorCores: (self.user + self.system) / wallUs,
  };
}

function report(baseline: { opsPerSec: number; meanUs: number; messageBytes: number }, all: Server[]): void {
  const summary = all.map((s) => {
    const mid = median(s.rounds, (r) => r.requestsPerSec);
    return { label: s.config.label, workers: s.config.workers, rateLimits: s.config.rateLimits, ...mid, non2xx: s.rounds.reduce((n, r) => n + r.non2xx, 0), errors: s.rounds.reduce((n, r) => n + r.errors, 0), rounds: s.rounds };
  });
  const byLabel = (label: string) => summary.find((s) => s.label === label);
  const one = byLabel("N=1")!;
  const two = byLabel("N=2")!;
  const pct = (x: number) => `${((100 * x) / baseline.opsPerSec).toFixed(0)} %`;
  console.log(`\nPOST /api/verify, ${fmt(CERTIFICATES)} distinct certificates, ${CONNECTIONS} connections, median of ${ROUNDS} × ${SECONDS} s rounds; raw node:crypto Ed25519 verify ${fmt(baseline.opsPerSec)}/s (${baseline.meanUs.toFixed(0)} µs, one core, ${baseline.messageBytes} B):\n`);
  console.log("| configuration | req/s | p50 / p99 ms | non-2xx + errors | ÷ raw verify | ÷ N=1 | server µs CPU/req (cores) | autocannon cores |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const s of summary) {
    const base = s.label.endsWith("limited") ? byLabel(s.label.replace("N=2", "N=1")) : one;
    console.log(`| ${s.label} | ${fmt(s.requestsPerSec)} | ${s.p50} / ${s.p99} | ${s.non2xx + s.errors} | ${pct(s.requestsPerSec)} | ${base && base !== s ? `×${(s.requestsPerSec / base.requestsPerSec).toFixed(2)}` : "–"} | ${fmt(s.serverCpuUsPerRequest)} (${s.serverCores.toFixed(2)}) | ${s.loadGeneratorCores.toFixed(2)} |`);
  }
  // Rounds of the two ran seconds apart, so their ratio round by round is steadier on a shared machine than the ratio of medians.
  const perRound = two.rounds.map((r, k) => r.requestsPerSec / one.rounds[k]!.requestsPerSec);
  const ratioTwoToOne = { ofMedians: two.requestsPerSec / one.requestsPerSec, medianOfRounds: median(perRound, (x) => x), rounds: perRound };
  console.log(`\nN=2 ÷ N=1: ×${ratioTwoToOne.ofMedians.toFixed(2)} (medians), ×${ratioTwoToOne.medianOfRounds.toFixed(2)} (median of the rounds' ratios: ${perRound.map((x) => x.toFixed(2)).join(", ")}) on ${cpus().length} cores, which autocannon shares.`);
  const resultsDir = join(dirname(fileURLToPath(import.meta.url)), "results");
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    join(resultsDir, "cluster.json"),
    JSON.stringify({ at: new Date().toISOString(), node: process.version, cores: cpus().length, cpu: cpus()[0]?.model, connections: CONNECTIONS, seconds: SECONDS, baseline, results: summary, ratioTwoToOne }, null, 2) + "\n",
  );
  if (summary.some((s) => s.non2xx + s.errors > 0)) {
    console.error("Some verifications did not pass: the figures above are not valid.");
    exitCode = 1;
  }
}
