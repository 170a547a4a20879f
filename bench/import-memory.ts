/**
 * Issue 17: memory while big CSV imports run at once, on a real Node server (SQLite). Each scenario runs on a fresh
 * server, warmed with a small import: its resident set (/proc/{pid}/status VmRSS, sampled every 10 ms) at its peak
 * during one 50,000-member import, and during three sent together. The figure is the growth over idle with three
 * ÷ the growth with one, in the same run. Imports run one at a time with two in line (src/compliance/service.ts);
 * more sent together are refused with 503 `busy`, so the growth stays bounded however many arrive:
 * `IMPORTS=8 npm run bench:import-memory` sends eight.
 */
import { readFileSync } from "node:fs";
import { startNodeTarget } from "../test/node-target.js";
import { membersCsv } from "../test/helpers.js";

const MEMBERS = 50_000;
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

/** Growth of the server's RSS over idle, at its peak, while `imports` 50,000-member imports are sent together. */
async function growth(imports: number): Promise<{ idle: number; peak: number; ms: number; busy: number }> {
  const s = await startNodeTarget({ database: "sqlite" });
  try {
    const token = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "bench" } })).body.token;
    let busy = 0;
    const importOne = async (n: number, first: number) => {
      const res = await s.call("POST", "/api/bars/almaty-city/members.csv", { token, raw: membersCsv(n, first), headers: { "content-type": "text/csv" } });
      if (res.status === 503 && res.body.code === "busy") busy++;
      else if (res.status !== 201) throw new Error(`import: ${res.status} ${res.text}`);
    };
    await importOne(1_000, 100_000); // warm: code loaded, statements prepared
    const idle = rssMiB(s.pid);
    let peak = idle;
    let running = true;
    const sampler = (async () => {
      for (; running; await new Promise((r) => setTimeout(r, 10))) peak = Math.max(peak, rssMiB(s.pid));
    })();
    const t = performance.now();
    await Promise.all(Array.from({ length: imports }, (_, i) => importOne(MEMBERS, 200_000 + i * MEMBERS)));
    const ms = performance.now() - t;
    running = false;
    await sampler;
    return { idle, peak, ms, busy };
  } finally {
    await s.close();
  }
}

const one = await growth(1);
const three = await growth(Number(process.env.IMPORTS ?? 3));
for (const [name, r] of [["one import", one], [`${process.env.IMPORTS ?? 3} sent together`, three]] as const) {
  console.log(`${name}: idle ${r.idle.toFixed(0)} MiB, peak ${r.peak.toFixed(0)} MiB (+${(r.peak - r.idle).toFixed(0)}), ${r.ms.toFixed(0)} ms, ${r.busy} refused as busy`);
}
console.log(`growth with ${process.env.IMPORTS ?? 3} ÷ growth with one: ×${((three.peak - three.idle) / (one.peak - one.idle)).toFixed(2)}`);
