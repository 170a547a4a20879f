/**
 * Issue 17/18: GET /metrics of a cluster (SENIM_WORKERS=N) counts the whole server, not the one worker a scrape
 * happened to reach. The worker answering the scrape asks the primary over the cluster's IPC channel; the primary asks
 * every worker for its registry (prom-client's AggregatorRegistry, which sums counters and histograms and aggregates
 * the process metrics per metric) and sends the exposition back.
 */
import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry, type PrometheusContentType } from "prom-client";

const TOPIC = "senim:metrics";
/** The primary collects from every worker with prom-client's own 5 s timeout; an answer later than this is lost. */
const ANSWER_TIMEOUT_MS = 10_000;

interface Question {
  topic: typeof TOPIC;
  id: number;
}
type Answer = { topic: typeof TOPIC; id: number } & ({ body: string } | { error: string });

const isQuestion = (m: unknown): m is Question => (m as Partial<Question> | null)?.topic === TOPIC && typeof (m as Question).id === "number" && !("body" in (m as object)) && !("error" in (m as object));
const isAnswer = (m: unknown): m is Answer => (m as Partial<Answer> | null)?.topic === TOPIC && typeof (m as Answer).id === "number" && ("body" in (m as object) || "error" in (m as object));

let aggregator: AggregatorRegistry<PrometheusContentType> | undefined;

/** In the primary: answers `worker`'s scrapes with the metrics of all the workers. */
export function answerMetrics(worker: Worker): void {
  worker.on("message", (m: unknown) => {
    if (!isQuestion(m)) return;
    aggregator ??= new AggregatorRegistry<PrometheusContentType>();
    aggregator.clusterMetrics().then(
      (body: string) => worker.isConnected() && worker.send({ topic: TOPIC, id: m.id, body } satisfies Answer),
      (err: unknown) => worker.isConnected() && worker.send({ topic: TOPIC, id: m.id, error: err instanceof Error ? err.message : String(err) } satisfies Answer),
    );
  });
}

let nextId = 0;
const waiting = new Map<number, { resolve: (body: string) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();
let listening = false;

/** In a worker: the Prometheus exposition of every worker's registry, summed by the primary. */
export function clusterMetrics(): Promise<string> {
  if (!cluster.isWorker || !process.send) return Promise.reject(new Error("clusterMetrics runs only in a cluster worker."));
  if (!listening) {
    listening = true;
    process.on("message", (m: unknown) => {
      if (!isAnswer(m)) return;
      const w = waiting.get(m.id);
      if (!w) return;
      waiting.delete(m.id);
      clearTimeout(w.timer);
      if ("body" in m) w.resolve(m.body);
      else w.reject(new Error(`The cluster's metrics could not be collected: ${m.error}`));
    });
  }
  return new Promise((resolve, reject) => {
    const id = ++nextId;
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error(`The cluster's primary did not answer for the metrics within ${ANSWER_TIMEOUT_MS} ms.`));
    }, ANSWER_TIMEOUT_MS);
    waiting.set(id, { resolve, reject, timer });
    process.send!({ topic: TOPIC, id } satisfies Question);
  });
}
