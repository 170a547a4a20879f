/**
 * The Node runtime's metrics (issue 17): the Metrics port on prom-client, in a registry of its own (not prom-client's
 * global one, so two services in one process — the tests — never share counters), with the process's default metrics
 * (CPU, memory, event-loop lag) beside Senim's.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { LATENCY_BUCKETS, type Metrics, type VerificationOutcome } from "../lib/metrics.js";

export function prometheusMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "senim_" });
  const requests = new Counter({ name: "senim_http_requests_total", help: "Requests answered, by route pattern, method and status", labelNames: ["route", "method", "status"], registers: [registry] });
  const latency = new Histogram({ name: "senim_http_request_duration_seconds", help: "Time to answer, by route pattern and method", labelNames: ["route", "method"], buckets: LATENCY_BUCKETS, registers: [registry] });
  const issued = new Counter({ name: "senim_certificates_issued_total", help: "Certificates issued", registers: [registry] });
  const verifications = new Counter({ name: "senim_verifications_total", help: "Credentials verified, by outcome", labelNames: ["outcome"], registers: [registry] });
  const pins = new Counter({ name: "senim_failed_pins_total", help: "Wrong PINs at the OpenID4VCI token endpoint", registers: [registry] });
  const outbox = new Gauge({ name: "senim_outbox_messages", help: "Delivery messages in the outbox, by status (read at scrape)", labelNames: ["status"], registers: [registry] });
  return {
    request: (route, method, status, seconds) => {
      requests.inc({ route, method, status: String(status) });
      latency.observe({ route, method }, seconds);
    },
    certificatesIssued: (count) => issued.inc(count),
    verification: (outcome: VerificationOutcome) => verifications.inc({ outcome }),
    failedPin: () => pins.inc(),
    render: async (gauges) => {
      for (const [status, n] of Object.entries(gauges.outbox)) outbox.set({ status }, n);
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
