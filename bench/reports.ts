/**
 * `npm run bench:reports`: the compliance report (12.1) and the annual analysis (3.2) for the demo data set
 * (`npm run seed:demo`: one bar, 2,000 members, 40 providers, 300 events, 15,000 certificates, suspensions, surveys).
 * Then closing the year (issue 14: 12.1, 12.2), as a ratio to the bare compliance report. Target: under 2 s each. Every figure is a request through the real app (`app.request`, in-process) on a SQLite file,
 * timed by tinybench; the baseline, measured in the same run, is the one query every report cannot avoid — reading the
 * bar's members' 15,000 certificates for the year — so the ratios say what the report adds on top of the database.
 *
 * Writes bench/results/reports.json. See bench/README.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Bench } from "tinybench";
import { seedDemo, DEMO_BAR, DEMO_SIZE } from "../src/runtime/seed-demo.js";
import { SQLITE_MAX_PARAMETERS } from "../src/runtime/sqlite.js";
import { transactionalAtomic } from "../src/storage/atomic.js";
import { KyselyMemberStore } from "../src/storage/member-store.js";
import { startSenim } from "../test/helpers.js";
import { kzDate } from "../src/domain/time.js";

const TARGET_MS = 2_000;
const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "results");

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "senim-bench-reports-"));
  const s = await startSenim({ dbFile: join(dir, "senim.db"), now: "system" });
  try {
    const started = Date.now();
    const { year, certificates } = await seedDemo(s.services, DEMO_SIZE, { seed: 2026 });
    console.log(`seeded ${certificates} certificates for ${year} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const bar = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: DEMO_BAR, label: "bench" } })).body.token as string;
    const store = new KyselyMemberStore({ db: s.db, atomic: transactionalAtomic(s.db), maxParameters: SQLITE_MAX_PARAMETERS });

    const get = (path: string, token: string) => async () => {
      const res = await s.app.request(`https://senim.test${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    const tasks: [name: string, fn: () => Promise<unknown>][] = [
      ["baseline: read the year's 15,000 certificates", () => store.issuedToMembers(DEMO_BAR, year)],
      ["compliance report JSON", get(`/api/bars/${DEMO_BAR}/compliance/${year}`, bar)],
      ["compliance report CSV", get(`/api/bars/${DEMO_BAR}/compliance/${year}?format=csv`, bar)],
      ["compliance report HTML", get(`/api/bars/${DEMO_BAR}/compliance/${year}?format=html`, bar)],
      ["short list (12.1) JSON", get(`/api/bars/${DEMO_BAR}/compliance/${year}/short`, bar)],
      ["annual analysis JSON (bar)", get(`/api/bars/${DEMO_BAR}/analysis/${year}`, bar)],
      ["annual analysis HTML (bar)", get(`/api/bars/${DEMO_BAR}/analysis/${year}?format=html`, bar)],
      ["annual analysis JSON (RBA)", get(`/api/bars/rba/analysis/${year}`, s.adminToken)],
    ];
    const bench = new Bench({ time: 3_000, warmupTime: 500, iterations: 5 });
    for (const [name, fn] of tasks) bench.add(name, fn);
    await bench.run();

    const rows = tasks.map(([name]) => {
      const r = bench.getTask(name)?.result;
      if (!r || r.state !== "completed") throw new Error(`${name}: ${r?.state ?? "missing"}${r && "error" in r ? ` ${String(r.error)}` : ""}`);
      return { name, meanMs: r.latency.mean, p99Ms: r.latency.p99, samples: r.latency.samplesCount };
    });
    const baseline = rows[0]!.meanMs;
    console.log("");
    console.log("| task | mean ms | p99 ms | × baseline | samples | target < 2 s |");
    console.log("|---|---:|---:|---:|---:|:---:|");
    for (const r of rows) {
      const target = r.name.startsWith("baseline") ? "" : r.meanMs < TARGET_MS ? "✔" : "✘";
      console.log(`| ${r.name} | ${r.meanMs.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${(r.meanMs / baseline).toFixed(1)} | ${r.samples} | ${target} |`);
    }
    // Closing the year (12.1, 12.2): once it has ended in Kazakhstan, the bar freezes the report. Each round closes and
    // then reopens (untimed), so every close builds and stores a fresh snapshot; the ratio is to the bare report's mean.
    // The demo year is the last full one, or this one: move the clock past its end only if it has not ended yet (the
    // certificates were issued now, and a closing counts only what was issued by then).
    if (s.clock.ms < Date.parse(`${year + 1}-01-05T06:00:00Z`)) s.clock.set(`${year + 1}-01-05T06:00:00Z`);
    const closedOn = kzDate(s.clock.now());
    const post = async (path: string, body: unknown) => {
      const res = await s.app.request(`https://senim.test${path}`, { method: "POST", headers: { authorization: `Bearer ${bar}`, "content-type": "application/json" }, body: JSON.stringify(body) });
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    const closeMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await post(`/api/bars/${DEMO_BAR}/years/${year}/close`, { closedOn });
      closeMs.push(performance.now() - t0);
      await post(`/api/bars/${DEMO_BAR}/years/${year}/reopen`, { reason: "bench: close again" });
    }
    closeMs.sort((a, b) => a - b);
    // Issuing the closed year's attestations: one signed credential per member who met the requirement. Each round
    // closes anew (untimed), so every round signs a full set under its own closing.
    const attestMs: number[] = [];
    let attested = 0;
    for (let i = 0; i < 3; i++) {
      await post(`/api/bars/${DEMO_BAR}/years/${year}/close`, { closedOn });
      const t0 = performance.now();
      const res = await s.app.request(`https://senim.test/api/bars/${DEMO_BAR}/years/${year}/attestations`, { method: "POST", headers: { authorization: `Bearer ${bar}`, "content-type": "application/json" }, body: "{}" });
      attestMs.push(performance.now() - t0);
      if (res.status >= 300) throw new Error(`attestations: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { attestations?: unknown[]; issued?: number };
      attested = body.issued ?? body.attestations?.length ?? 0;
      await post(`/api/bars/${DEMO_BAR}/years/${year}/reopen`, { reason: "bench: close again" });
    }
    attestMs.sort((a, b) => a - b);
    const report = rows.find((r) => r.name === "compliance report JSON")!.meanMs;
    const closing = { name: "close the year (snapshot and digest)", medianMs: closeMs[2]!, maxMs: closeMs[4]!, timesReport: closeMs[2]! / report };
    const attestations = { name: `issue the closed year's attestations (${attested} members)`, medianMs: attestMs[1]!, maxMs: attestMs[2]!, timesReport: attestMs[1]! / report };
    console.log(`| ${attestations.name} | median ${attestations.medianMs.toFixed(1)} ms | max ${attestations.maxMs.toFixed(1)} ms | × compliance report ${attestations.timesReport.toFixed(2)} | ${attestations.medianMs < TARGET_MS ? "✔" : "✘"} |`);
    console.log(`| ${closing.name} | median ${closing.medianMs.toFixed(1)} ms | max ${closing.maxMs.toFixed(1)} ms | × compliance report ${closing.timesReport.toFixed(2)} | ${closing.medianMs < TARGET_MS ? "✔" : "✘"} |`);
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(join(RESULTS_DIR, "reports.json"), JSON.stringify({ at: new Date().toISOString(), year, size: DEMO_SIZE, targetMs: TARGET_MS, rows, closing, attestations }, null, 2));
    const missed = rows.filter((r) => !r.name.startsWith("baseline") && r.meanMs >= TARGET_MS);
    if (missed.length > 0 && process.env.BENCH_STRICT === "1") process.exitCode = 1;
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
