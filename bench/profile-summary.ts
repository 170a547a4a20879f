/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`, or BENCH_PROFILE=1 npm run bench): where the sampled time goes,
 * by function (self and inclusive) and by file or package.
 *
 *   npx tsx bench/profile-summary.ts bench/results/profiles/CPU.….cpuprofile [top=25] [focus-substring]
 *
 * With a focus substring (e.g. "verifyVcJwt"), inclusive times are shown for the subtree under matching frames only.
 */
import { readFileSync } from "node:fs";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, topArg, focus] = process.argv.slice(2);
if (!file) {
  console.error("usage: tsx bench/profile-summary.ts <file.cpuprofile> [top] [focus]");
  process.exit(2);
}
const top = Number(topArg ?? 25) || 25;
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const where = (f: CallFrame): string => {
  const url = f.url.replace(/^file:\/\//, "");
  const nm = url.lastIndexOf("/node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "/node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const src = url.search(/\/(src|bench|migrations)\//);
  if (src >= 0) return url.slice(src + 1);
  if (url.startsWith("node:")) return url;
  return url || "(native/V8)";
};
const frameKey = (f: CallFrame) => `${f.functionName || "(anonymous)"}  ${where(f)}${f.url && !f.url.startsWith("node:") ? `:${f.lineNumber + 1}` : ""}`;

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
const byFile = new Map<string, number>();
let total = 0;
let focused = 0;

for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  const leaf = byId.get(profile.samples[i]!);
  if (!leaf) continue;
  // The ancestor chain, leaf first.
  const chain: ProfileNode[] = [];
  for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) chain.push(byId.get(id)!);
  if (focus) {
    const at = chain.findIndex((n) => n.callFrame.functionName.includes(focus));
    if (at < 0) continue;
    chain.length = at + 1;
    focused += dt;
  }
  total += dt;
  const lf = leaf.callFrame;
  self.set(frameKey(lf), (self.get(frameKey(lf)) ?? 0) + dt);
  byFile.set(where(lf), (byFile.get(where(lf)) ?? 0) + dt);
  const seen = new Set<string>();
  for (const n of chain) {
    const k = frameKey(n.callFrame);
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
  }
}

const wall = profile.endTime - profile.startTime;
const idle = self.get(frameKey({ functionName: "(idle)", url: "", lineNumber: -1 })) ?? 0;
const ms = (us: number) => (us / 1000).toFixed(0).padStart(7) + " ms";
const share = (us: number) => ((100 * us) / total).toFixed(1).padStart(5) + "%";
const print = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(v)} ${share(v)}  ${k}`);
};

console.log(`${file}: ${(wall / 1e6).toFixed(1)} s profiled, ${(total / 1e6).toFixed(1)} s sampled${focus ? ` under "${focus}"` : `, ${((100 * idle) / total).toFixed(1)}% idle`}`);
if (focus) console.log(`focus "${focus}": ${ms(focused)}`);
print("Self time by file or package", byFile);
print("Self time by function", self);
print("Inclusive time by function", inclusive);
