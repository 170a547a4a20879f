/**
 * Issue 17: how long other requests wait while a 50,000-member CSV import runs, on a real Node server on SQLite and
 * on PostgreSQL. The baseline is the same probe (/healthz every 5 ms) with nothing else running, in the same run:
 * the figure is p99 during the import ÷ p99 idle. `npm run bench:import`.
 */
import { startNodeTarget } from "../test/node-target.js";
import { membersCsv } from "../test/helpers.js";

const MEMBERS = 50_000;

async function probe(s: { fetch(path: string): Promise<Response> }, until: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  while (!until()) {
    const t = performance.now();
    await (await s.fetch("/healthz")).arrayBuffer();
    latencies.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 5));
  }
  return latencies.sort((a, b) => a - b);
}
const p = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;

for (const database of ["sqlite", "postgres"] as const) {
  const s = await startNodeTarget({ database });
  const token = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "bench" } })).body.token;
  const idleUntil = performance.now() + 2_000;
  const idle = await probe(s, () => performance.now() > idleUntil);
  for (let round = 0; round < 3; round++) {
    let done = false;
    const during = probe(s, () => done);
    const t = performance.now();
    const res = await s.call("POST", "/api/bars/almaty-city/members.csv", { token, raw: membersCsv(MEMBERS, 200_000 + round * MEMBERS), headers: { "content-type": "text/csv" } });
    const took = performance.now() - t;
    done = true;
    const l = await during;
    if (res.status !== 201) throw new Error(`import: ${res.status} ${res.text}`);
    console.log(`${database} round ${round}: import ${took.toFixed(0)} ms; /healthz during it n=${l.length} p50 ${p(l, 0.5).toFixed(1)} p99 ${p(l, 0.99).toFixed(1)} max ${l[l.length - 1]!.toFixed(1)} ms; idle p99 ${p(idle, 0.99).toFixed(1)} ms; ratio p99 during/idle ×${(p(l, 0.99) / p(idle, 0.99)).toFixed(1)}`);
  }
  await s.close();
}
