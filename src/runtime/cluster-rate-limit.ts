/**
 * Issue 18: the rate limits of a cluster on SQLite (SENIM_WORKERS=N). Each worker counting in its own memory would let
 * an address through N times the limit; counting in SQLite would add a write, under one lock for all the processes, to
 * every limited request (and better-sqlite3 waits for that lock on the event loop). So the primary keeps the one
 * in-memory counter (MemoryRateLimiter) and the workers ask it over the cluster's IPC channel: one small message each
 * way per limited request, and exactly the limit passes across all workers. On PostgreSQL the workers count in the
 * database as separate instances do (KyselyRateLimiter), since other machines share that count too.
 */
import type { Worker } from "node:cluster";
import { RATE_LIMIT_CLASSES, type RateDecision, type RateLimit, type RateLimitClass, type RateLimiter } from "../domain/rate-limit.js";

const TOPIC = "senim:rate-limit";
/** The primary answers in microseconds; an answer this late means it is gone (the worker exits on that anyway). */
const ANSWER_TIMEOUT_MS = 5_000;

interface Question {
  topic: typeof TOPIC;
  id: number;
  cls: RateLimitClass;
  address: string;
  limit: RateLimit;
  nowMs: number;
}
interface Answer {
  topic: typeof TOPIC;
  id: number;
  decision: RateDecision;
}

const isQuestion = (m: unknown): m is Question => {
  const q = m as Partial<Question> | null;
  return (
    q?.topic === TOPIC && typeof q.id === "number" && (RATE_LIMIT_CLASSES as readonly unknown[]).includes(q.cls) && typeof q.address === "string" &&
    typeof q.limit?.limit === "number" && typeof q.limit.windowSeconds === "number" && typeof q.nowMs === "number"
  );
};
const isAnswer = (m: unknown): m is Answer => (m as Partial<Answer> | null)?.topic === TOPIC && typeof (m as Answer).id === "number" && typeof (m as Answer).decision === "object";

/** In the primary: counts each question of `worker` in `limiter` and sends the decision back. */
export function answerRateLimits(worker: Worker, limiter: RateLimiter): void {
  worker.on("message", (m: unknown) => {
    if (!isQuestion(m)) return;
    limiter.consume(m.cls, m.address, m.limit, m.nowMs).then(
      (decision) => {
        // A worker that has just exited cannot be answered; its request went with it.
        if (worker.isConnected()) worker.send({ topic: TOPIC, id: m.id, decision } satisfies Answer);
      },
      // Left unanswered, the worker's request fails after ANSWER_TIMEOUT_MS; the primary logs why and stays up.
      (err: unknown) => console.error("Rate limit count failed:", err instanceof Error ? err.message : String(err)),
    );
  });
}

/** In a worker: a RateLimiter whose count is the primary's. */
export class PrimaryRateLimiter implements RateLimiter {
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (d: RateDecision) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();

  constructor() {
    process.on("message", (m: unknown) => {
      if (!isAnswer(m)) return;
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      clearTimeout(w.timer);
      w.resolve(m.decision);
    });
  }

  consume(cls: RateLimitClass, address: string, limit: RateLimit, nowMs: number): Promise<RateDecision> {
    return new Promise((resolve, reject) => {
      const id = ++this.nextId;
      const fail = (e: Error) => {
        if (!this.waiting.delete(id)) return;
        clearTimeout(timer);
        reject(e);
      };
      const timer = setTimeout(() => fail(new Error(`The cluster's primary did not count a request within ${ANSWER_TIMEOUT_MS} ms.`)), ANSWER_TIMEOUT_MS);
      this.waiting.set(id, { resolve, reject, timer });
      if (!process.send) return fail(new Error("PrimaryRateLimiter runs only in a cluster worker."));
      process.send({ topic: TOPIC, id, cls, address, limit, nowMs } satisfies Question, undefined, undefined, (err: Error | null) => {
        if (err) fail(err);
      });
    });
  }
}
