/**
 * `npm run bench` (second part): the same issuing and verifying on every runtime and store, in one run, over real HTTP
 * on loopback, so the figures compare with each other:
 *
 *   Node + SQLite       src/runtime/node.ts in a child process on a SQLite file (the baseline of this part)
 *   Node + PostgreSQL   the same server with DATABASE_URL on the local PostgreSQL (a fresh schema, dropped after)
 *   Workers + D1        the deployable bundle (`wrangler deploy --dry-run`) in workerd through Miniflare, on a
 *                       local D1: the same target as the tests (test/worker-target.ts)
 *
 * Issuing: one POST /api/events/{id}/certificates for an event of 1,000 participants, median of 5 rounds (setup not
 * timed). Verifying: autocannon POST /api/verify with 500 distinct vc+jwt bodies, 10 connections, median of three
 * 4 s rounds after a 2 s warm-up; the same for 100 distinct Data Integrity (eddsa-rdfc-2022) certificates issued with
 * ?format=di, whose verification canonicalises JSON-LD (jsonld, rdf-canonize). The runtimes take turns round by round. Ratios are to Node + SQLite in the same
 * run. Writes bench/results/runtimes.json.
 *
 * Environment: BENCH_RUNTIMES=node-sqlite,node-postgres,worker-d1 to run a subset.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { accreditedProvider, eventWithParticipants, type HttpTarget } from "../test/helpers.js";
import { startNodeTarget } from "../test/node-target.js";
import { startWorkerTarget } from "../test/worker-target.js";

const ISSUE_PARTICIPANTS = 1_000;
const ISSUE_RUNS = 5;
const VERIFY_CERTIFICATES = 500;
const VERIFY_CONNECTIONS = 10;
const VERIFY_SECONDS = 4;
const VERIFY_ROUNDS = 3;
const DI_CERTIFICATES = 100;

type Target = HttpTarget & { close(): Promise<void> };

const RUNTIMES: Record<string, () => Promise<Target>> = {
  "node-sqlite": () => startNodeTarget({ database: "sqlite" }),
  "node-postgres": () => startNodeTarget({ database: "postgres" }),
  "worker-d1": () => startWorkerTarget(),
};
const LABELS: Record<string, string> = { "node-sqlite": "Node + SQLite", "node-postgres": "Node + PostgreSQL", "worker-d1": "Workers (workerd) + D1" };

interface Result {
  runtime: string;
  issuingPerSec: { median: number; min: number; max: number };
  verify: { requestsPerSec: number; p50: number; p99: number; non2xx: number; errors: number };
  verifyDi: { requestsPerSec: number; p50: number; p99: number; non2xx: number; errors: number };
}

/** Certificates issued with a Data Integrity proof, in the form a verifier receives them (not timed). */
async function dataIntegrityCertificates(s: Target, token: string): Promise<string[]> {
  const ev = await eventWithParticipants(s, token, { n: DI_CERTIFICATES });
  const res = await s.call("POST", `/api/events/${ev.id}/certificates?format=di`, { token });
  if (res.status !== 201) throw new Error(`DI issuing failed: ${res.status} ${res.text.slice(0, 200)}`);
  const out: string[] = [];
  for (const c of res.body.certificates) out.push(JSON.stringify({ credential: (await s.call("GET", `/api/certificates/${c.id}?format=di`)).body.dataIntegrity }));
  return out;
}

/** One timed issuing of a fresh event (setup not timed); certificates/s. */
async function issueOnce(s: Target, token: string, keep: string[]): Promise<number> {
  const ev = await eventWithParticipants(s, token, { n: ISSUE_PARTICIPANTS });
  const start = performance.now();
  const res = await s.call("POST", `/api/events/${ev.id}/certificates`, { token });
  const seconds = (performance.now() - start) / 1000;
  if (res.status !== 201 || res.body.issued !== ISSUE_PARTICIPANTS) throw new Error(`issuing failed: ${res.status} ${res.text.slice(0, 200)}`);
  for (const c of res.body.certificates.slice(0, Math.max(0, VERIFY_CERTIFICATES - keep.length))) keep.push((await s.call("GET", `/c/${c.id}/credential.jwt`)).text);
  return ISSUE_PARTICIPANTS / seconds;
}

async function verifying(s: Target, jwts: string[], seconds: number, bodies = jwts.map((jwt) => JSON.stringify({ jwt }))) {
  const requests = bodies.map((body) => ({ method: "POST" as const, path: "/api/verify", headers: { "content-type": "application/json" }, body }));
  let client = 0;
  const r = await autocannon({
    url: s.baseUrl,
    connections: VERIFY_CONNECTIONS,
    duration: seconds,
    requests,
    setupClient: (c) => {
      const offset = (client++ * 37) % requests.length; // each connection starts elsewhere in the list
      c.setRequests([...requests.slice(offset), ...requests.slice(0, offset)]);
    },
  });
  return { requestsPerSec: r.requests.total / r.duration, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// All runtimes run side by side and take turns, round after round, so that load from elsewhere on a shared machine
// falls on all of them alike; each figure is the median of its rounds.
const chosen = (process.env.BENCH_RUNTIMES ?? Object.keys(RUNTIMES).join(",")).split(",").map((s) => s.trim());
type Verify = Awaited<ReturnType<typeof verifying>>;
const started: { runtime: string; s: Target; token: string; jwts: string[]; di: string[]; issuing: number[]; verify: Verify[]; verifyDi: Verify[] }[] = [];
try {
  for (const runtime of chosen) {
    const start = RUNTIMES[runtime];
    if (!start) throw new Error(`Unknown runtime ${runtime}; one of ${Object.keys(RUNTIMES).join(", ")}`);
    console.log(`starting ${LABELS[runtime]} …`);
    const s = await start();
    const token = (await accreditedProvider(s)).token;
    started.push({ runtime, s, token, jwts: [], di: await dataIntegrityCertificates(s, token), issuing: [], verify: [], verifyDi: [] });
  }
  for (const t of started) await issueOnce(t.s, t.token, t.jwts); // warm-up, and certificates to verify
  for (let round = 1; round <= ISSUE_RUNS; round++) {
    console.log(`issuing, round ${round} of ${ISSUE_RUNS} …`);
    for (const t of started) t.issuing.push(await issueOnce(t.s, t.token, t.jwts));
  }
  for (const t of started) await verifying(t.s, t.jwts, 2); // warm-up
  for (let round = 1; round <= VERIFY_ROUNDS; round++) {
    console.log(`verifying, round ${round} of ${VERIFY_ROUNDS} …`);
    for (const t of started) t.verify.push(await verifying(t.s, t.jwts, VERIFY_SECONDS));
  }
  for (const t of started) await verifying(t.s, [], 2, t.di); // warm-up
  for (let round = 1; round <= VERIFY_ROUNDS; round++) {
    console.log(`verifying Data Integrity, round ${round} of ${VERIFY_ROUNDS} …`);
    for (const t of started) t.verifyDi.push(await verifying(t.s, [], VERIFY_SECONDS, t.di));
  }
} finally {
  await Promise.all(started.map((t) => t.s.close()));
}
/** The median round, with the failures of all rounds. */
const summary = (rounds: Verify[]): Verify => {
  const mid = rounds.find((v) => v.requestsPerSec === median(rounds.map((r) => r.requestsPerSec)))!;
  return { ...mid, non2xx: rounds.reduce((n, v) => n + v.non2xx, 0), errors: rounds.reduce((n, v) => n + v.errors, 0) };
};
const results: Result[] = started.map((t) => ({
  runtime: t.runtime,
  issuingPerSec: { median: median(t.issuing), min: Math.min(...t.issuing), max: Math.max(...t.issuing) },
  verify: summary(t.verify),
  verifyDi: summary(t.verifyDi),
}));

const base = results.find((r) => r.runtime === "node-sqlite");
const ratio = (x: number, b: number | undefined) => (b ? `${((100 * x) / b).toFixed(0)} %` : "–");
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
console.log(`\nIssuing (${ISSUE_PARTICIPANTS} participants, median of ${ISSUE_RUNS} rounds) and verifying (${VERIFY_CONNECTIONS} connections, median of ${VERIFY_ROUNDS} × ${VERIFY_SECONDS} s), over HTTP on loopback:\n`);
console.log("| runtime | issuing, certificates/s (min–max) | vs Node + SQLite | verify, req/s | p50 / p99 ms | non-2xx | vs Node + SQLite |");
console.log("|---|---|---|---|---|---|---|");
for (const r of results) {
  console.log(
    `| ${LABELS[r.runtime]} | ${fmt(r.issuingPerSec.median)} (${fmt(r.issuingPerSec.min)}–${fmt(r.issuingPerSec.max)}) | ${ratio(r.issuingPerSec.median, base?.issuingPerSec.median)} | ${fmt(r.verify.requestsPerSec)} | ${r.verify.p50} / ${r.verify.p99} | ${r.verify.non2xx + r.verify.errors} | ${ratio(r.verify.requestsPerSec, base?.verify.requestsPerSec)} |`,
  );
}
console.log(`\nVerifying Data Integrity (${DI_CERTIFICATES} distinct eddsa-rdfc-2022 certificates, same load):\n`);
console.log("| runtime | verify, req/s | p50 / p99 ms | non-2xx | vs Node + SQLite | vs its own vc+jwt |");
console.log("|---|---|---|---|---|---|");
for (const r of results) {
  console.log(
    `| ${LABELS[r.runtime]} | ${fmt(r.verifyDi.requestsPerSec)} | ${r.verifyDi.p50} / ${r.verifyDi.p99} | ${r.verifyDi.non2xx + r.verifyDi.errors} | ${ratio(r.verifyDi.requestsPerSec, base?.verifyDi.requestsPerSec)} | ${ratio(r.verifyDi.requestsPerSec, r.verify.requestsPerSec)} |`,
  );
}
const resultsDir = join(dirname(fileURLToPath(import.meta.url)), "results");
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, "runtimes.json"), JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2));
if (results.some((r) => r.verify.non2xx + r.verify.errors + r.verifyDi.non2xx + r.verifyDi.errors > 0)) {
  console.error("Some verifications did not pass: the figures above are not valid.");
  process.exitCode = 1;
}
