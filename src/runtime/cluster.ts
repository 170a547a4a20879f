/**
 * Issue 18: `SENIM_WORKERS=N` — N Node processes serving one port through `node:cluster`. The primary (`runPrimary`)
 * serves no requests: src/runtime/node.ts has migrated the database in it before it forks, and it then keeps N
 * workers alive — each runs src/runtime/node.ts from the top, the whole server — restarts one that dies, and on
 * SIGTERM/SIGINT passes the signal on and exits once they all have. On Linux the primary accepts the connections and
 * hands them to the workers in turn (cluster's round-robin), so a keep-alive connection stays with one worker.
 */
import cluster, { type Worker } from "node:cluster";
import type { RateLimiter } from "../domain/rate-limit.js";
import { answerMetrics } from "./cluster-metrics.js";
import { answerRateLimits } from "./cluster-rate-limit.js";

/** Set by the primary on each worker it forks (1..N, kept by a restarted worker); not an operator's setting. */
const WORKER_INDEX = "SENIM_WORKER_INDEX";

/** This process's index (1..N) when it is a cluster worker; undefined when it runs alone or is the primary. */
export function clusterWorkerIndex(): number | undefined {
  if (!cluster.isWorker) return undefined;
  const index = Number(process.env[WORKER_INDEX]);
  return Number.isInteger(index) && index > 0 ? index : undefined;
}

/** A worker that dies is forked again after this, doubled for each death in a row within STABLE_MS of its start. */
const RESTART_DELAY_MS = 250;
const RESTART_DELAY_MAX_MS = 30_000;
const STABLE_MS = 10_000;
/** A worker that fails this many times in a row before it listens will not listen (a port taken, a broken file). */
const START_ATTEMPTS = 5;
/** How long the workers have to finish on SIGTERM (their mail rounds, open requests) before they are killed. */
const STOP_GRACE_MS = 15_000;

export interface PrimaryOptions {
  workers: number;
  /** Called once, when every worker has listened for the first time. */
  ready: () => void;
  /** On SQLite, the one counter every worker's rate limits go through (see cluster-rate-limit.ts). */
  rateLimiter?: RateLimiter;
  log: (line: string) => void;
}

interface Slot {
  index: number;
  worker?: Worker;
  startedAt: number;
  listened: boolean;
  /** Exits in a row before listening. */
  failedStarts: number;
  /** Exits in a row within STABLE_MS of the start. */
  quickExits: number;
  restart?: ReturnType<typeof setTimeout>;
}

/** Runs the cluster until it is told to stop (or gives up on a worker), then exits the process: it never resolves. */
export function runPrimary(o: PrimaryOptions): Promise<never> {
  const slots: Slot[] = Array.from({ length: o.workers }, (_, i) => ({ index: i + 1, startedAt: 0, listened: false, failedStarts: 0, quickExits: 0 }));
  let announced = false;
  let stopping = false;
  let exitCode = 0;

  const fork = (slot: Slot) => {
    slot.restart = undefined;
    slot.startedAt = Date.now();
    slot.listened = false;
    const worker = cluster.fork({ [WORKER_INDEX]: String(slot.index) });
    slot.worker = worker;
    if (o.rateLimiter) answerRateLimits(worker, o.rateLimiter);
    answerMetrics(worker);
    worker.once("listening", () => {
      slot.listened = true;
      slot.failedStarts = 0;
      if (!announced && slots.every((s) => s.listened)) {
        announced = true;
        o.ready();
      }
    });
    worker.once("exit", (code, signal) => exited(slot, worker, code, signal));
  };

  const exited = (slot: Slot, worker: Worker, code: number | null, signal: string | null) => {
    if (slot.worker !== worker) return;
    slot.worker = undefined;
    if (stopping) return finishIfAllGone();
    if (!slot.listened) slot.failedStarts += 1;
    slot.quickExits = Date.now() - slot.startedAt < STABLE_MS ? slot.quickExits + 1 : 0;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (slot.failedStarts >= START_ATTEMPTS) {
      o.log(`Worker ${slot.index} exited (${how}) before listening ${slot.failedStarts} times in a row; stopping Senim.`);
      return stop(1);
    }
    const delay = Math.min(RESTART_DELAY_MAX_MS, RESTART_DELAY_MS * 2 ** Math.max(0, slot.quickExits - 1));
    o.log(`Worker ${slot.index} (pid ${worker.process.pid}) exited (${how}); starting it again in ${delay} ms.`);
    slot.restart = setTimeout(() => fork(slot), delay);
  };

  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    for (const slot of slots) {
      clearTimeout(slot.restart);
      // Each worker stops as a single process does on SIGTERM: no new connections, its loops finish, then it exits.
      slot.worker?.process.kill("SIGTERM");
    }
    setTimeout(() => {
      for (const slot of slots) slot.worker?.process.kill("SIGKILL");
    }, STOP_GRACE_MS).unref();
    finishIfAllGone();
  };

  const finishIfAllGone = () => {
    if (slots.every((s) => s.worker === undefined)) process.exit(exitCode);
  };

  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => stop(0));
  for (const slot of slots) fork(slot);
  return new Promise<never>(() => undefined);
}
