/**
 * What the service counts for its operator (issue 17), behind one port so that the Node runtime can expose it with
 * prom-client (src/runtime/prometheus.ts) and the Worker as JSON (`JsonMetrics`, below). Labels are bounded: a route
 * is its pattern (`/c/:id…`), never the path asked for, and a verification outcome is one of three words.
 */
export type VerificationOutcome = "verified" | "failed" | "not-a-credential";

export interface Metrics {
  /** One answered request: the matched route pattern (or "unmatched"), method, status and seconds taken. */
  request(route: string, method: string, status: number, seconds: number): void;
  certificatesIssued(count: number): void;
  verification(outcome: VerificationOutcome): void;
  /** A wrong PIN at the OpenID4VCI token endpoint (each counted against its offer's five tries). */
  failedPin(): void;
  /** The exposition, with gauges read at scrape time (the outbox by status). */
  render(gauges: { outbox: Record<string, number> }): Promise<{ contentType: string; body: string }>;
}

/** Latency buckets in seconds: a verification takes about a millisecond, a 5,000-participant issue a few seconds. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The counters of one isolate as JSON: Workers have no process that lives between requests for a scraper to read,
 * so this is what the isolate answering has counted since it started (the platform's own analytics count requests
 * across isolates). Same names as the Prometheus exposition.
 */
export class JsonMetrics implements Metrics {
  private readonly started = new Date().toISOString();
  private readonly requests = new Map<string, { route: string; method: string; status: number; count: number; seconds: number; buckets: number[] }>();
  private issued = 0;
  private readonly verifications: Record<VerificationOutcome, number> = { verified: 0, failed: 0, "not-a-credential": 0 };
  private pins = 0;

  request(route: string, method: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let r = this.requests.get(key);
    if (!r) this.requests.set(key, (r = { route, method, status, count: 0, seconds: 0, buckets: LATENCY_BUCKETS.map(() => 0) }));
    r.count += 1;
    r.seconds += seconds;
    LATENCY_BUCKETS.forEach((le, i) => seconds <= le && (r!.buckets[i]! += 1));
  }
  certificatesIssued(count: number): void {
    this.issued += count;
  }
  verification(outcome: VerificationOutcome): void {
    this.verifications[outcome] += 1;
  }
  failedPin(): void {
    this.pins += 1;
  }
  async render(gauges: { outbox: Record<string, number> }) {
    const body = {
      scope: "isolate",
      since: this.started,
      senim_http_requests_total: [...this.requests.values()].map(({ route, method, status, count, seconds, buckets }) => ({
        route, method, status, count, seconds_sum: seconds, le: Object.fromEntries(LATENCY_BUCKETS.map((le, i) => [String(le), buckets[i]])),
      })),
      senim_certificates_issued_total: this.issued,
      senim_verifications_total: this.verifications,
      senim_failed_pins_total: this.pins,
      senim_outbox_messages: gauges.outbox,
    };
    return { contentType: "application/json", body: JSON.stringify(body) };
  }
}
