/**
 * The Node runtime's metrics (issue 17): the Metrics port on prom-client, in a registry of its own (not prom-client's
 * global one, so two services in one process — the tests — never share counters), with the process's default metrics
 * (CPU, memory, event-loop lag) beside Senim's.
 */
import cluster from "node:cluster";
import { AggregatorRegistry, collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";
import { LATENCY_BUCKETS, type Metrics, type VerificationOutcome } from "../lib/metrics.js";
import { clusterMetrics } from "./cluster-metrics.js";

/**
 * The outbox by status, read by the worker answering the scrape: one table's state, not a per-process count, so it is
 * written beside the (in a cluster, summed) registry rather than kept in it.
 */
function outboxExposition(outbox: Record<string, number>): string {
  const lines = ["# HELP senim_outbox_messages Delivery messages in the outbox, by status (read at scrape)", "# TYPE senim_outbox_messages gauge"];
  for (const [status, n] of Object.entries(outbox)) lines.push(`senim_outbox_messages{status=${JSON.stringify(status)}} ${n}`);
  return `${lines.join("\n")}\n`;
}

export function prometheusMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "senim_" });
  const requests = new Counter({ name: "senim_http_requests_total", help: "Requests answered, by route pattern, method and status", labelNames: ["route", "method", "status"], registers: [registry] });
  const latency = new Histogram({ name: "senim_http_request_duration_seconds", help: "Time to answer, by route pattern and method", labelNames: ["route", "method"], buckets: LATENCY_BUCKETS, registers: [registry] });
  const issued = new Counter({ name: "senim_certificates_issued_total", help: "Certificates issued", registers: [registry] });
  const verifications = new Counter({ name: "senim_verifications_total", help: "Credentials verified, by outcome", labelNames: ["outcome"], registers: [registry] });
  const pins = new Counter({ name: "senim_failed_pins_total", help: "Wrong PINs at the OpenID4VCI token endpoint", registers: [registry] });
  // Issue 18: in a cluster worker the primary collects this registry from every worker (src/runtime/cluster-metrics.ts).
  // prom-client installs a worker's answering listener only when an AggregatorRegistry is made in it, hence the `new`.
  if (cluster.isWorker) {
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([registry]);
  }
  return {
    request: (route, method, status, seconds) => {
      requests.inc({ route, method, status: String(status) });
      latency.observe({ route, method }, seconds);
    },
    certificatesIssued: (count) => issued.inc(count),
    verification: (outcome: VerificationOutcome) => verifications.inc({ outcome }),
    failedPin: () => pins.inc(),
    render: async (gauges) => {
      const counted = cluster.isWorker ? await clusterMetrics() : await registry.metrics();
      return { contentType: registry.contentType, body: `${counted.trimEnd()}\n${outboxExposition(gauges.outbox)}` };
    },
  };
}
