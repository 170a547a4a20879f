/**
 * `npm run bench:web`: the cost of the web pages against the verification they contain, in one run (~20 s).
 *
 *   baseline  POST /api/verify {url} in-process: verifying one certificate, the work every page below also does
 *   page      GET /c/{id} (HTML, kk): the QR code's target
 *   pdf       GET /c/{id}.pdf (kk): verification + pdf-lib drawing + font subsetting
 *   registry  GET /registry (HTML, 21 bars)
 *
 * All through `app.request` on a SQLite file with 200 certificates, distinct ids in turn; tinybench, one core.
 * Prints ops/s, mean and p99, and each figure's cost as a multiple of the baseline's.
 */
import { Bench } from "tinybench";
import { issued, startSenim } from "../test/helpers.js";

const s = await startSenim({ now: "system" });
const { certificates } = await issued(s, 200);
let i = 0;
const next = () => certificates[i++ % certificates.length]!;
const get = async (path: string) => {
  const res = await s.app.request(`https://senim.test${path}`, { headers: { "accept-language": "kk" } });
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  await res.arrayBuffer();
};

const bench = new Bench({ time: 4_000, warmupTime: 1_000 });
bench
  .add("baseline: POST /api/verify {url}", async () => {
    const res = await s.app.request("https://senim.test/api/verify", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ url: next().url }) });
    if (res.status !== 200) throw new Error(`verify: ${res.status}`);
    await res.arrayBuffer();
  })
  .add("page: GET /c/{id}", () => get(`/c/${next().id}`))
  .add("pdf: GET /c/{id}.pdf", () => get(`/c/${next().id}.pdf`))
  .add("registry: GET /registry", () => get("/registry"));
await bench.run();

const base = bench.tasks[0]!.result!;
const rows = bench.tasks.map((t) => {
  const r = t.result! as unknown as { throughput?: { mean: number }; latency?: { mean: number; p99: number }; hz?: number; mean?: number; p99?: number };
  const hz = r.throughput?.mean ?? r.hz!;
  const mean = r.latency?.mean ?? r.mean!;
  const p99 = r.latency?.p99 ?? r.p99!;
  const baseMean = (base as any).latency?.mean ?? (base as any).mean;
  return { task: t.name, "ops/s": Math.round(hz), "mean ms": mean.toFixed(2), "p99 ms": p99.toFixed(2), "× baseline cost": (mean / baseMean).toFixed(2) };
});
console.table(rows);
await s.close();
