/**
 * Issue 17: the metrics port on its own — prom-client's exposition and the Worker's JSON count the same things — and
 * the endpoint's absence without a token. The endpoint over HTTP on every runtime: test/http-scenarios.ts › "issue 17".
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JsonMetrics } from "../src/lib/metrics.js";
import { prometheusMetrics } from "../src/runtime/prometheus.js";
import { loadConfig } from "../src/runtime/config.js";
import { startSenim, type TestSenim } from "./helpers.js";

describe("issue 17: metrics", () => {
  let s: TestSenim;
  beforeAll(async () => {
    s = await startSenim();
  });
  afterAll(async () => s?.close());

  it("without a METRICS_TOKEN there is no /metrics; a token shorter than 32 characters stops the start", async () => {
    expect((await s.fetch("/metrics")).status).toBe(404);
    await expect(loadConfig({ SENIM_KEYS_DIR: s.dir, METRICS_TOKEN: "short" })).rejects.toThrow(/METRICS_TOKEN must be at least 32 characters/);
  });

  it("prom-client and the JSON exposition count the same events under the same names", async () => {
    const exposed = [prometheusMetrics(), new JsonMetrics()];
    for (const m of exposed) {
      m.request("/api/verify", "POST", 200, 0.002);
      m.request("/api/verify", "POST", 200, 0.2);
      m.certificatesIssued(5);
      m.verification("verified");
      m.verification("not-a-credential");
      m.failedPin();
    }
    const [prom, json] = await Promise.all(exposed.map((m) => m.render({ outbox: { queued: 3, sent: 1 } })));
    const text = prom!.body;
    expect(prom!.contentType).toMatch(/^text\/plain/);
    expect(text).toMatch(/^senim_http_requests_total\{route="\/api\/verify",method="POST",status="200"\} 2$/m);
    expect(text).toMatch(/^senim_http_request_duration_seconds_bucket\{le="0.0025",route="\/api\/verify",method="POST"\} 1$/m);
    expect(text).toMatch(/^senim_certificates_issued_total 5$/m);
    expect(text).toMatch(/^senim_verifications_total\{outcome="not-a-credential"\} 1$/m);
    expect(text).toMatch(/^senim_failed_pins_total 1$/m);
    expect(text).toMatch(/^senim_outbox_messages\{status="queued"\} 3$/m);
    expect(text).toMatch(/^senim_process_resident_memory_bytes /m);
    const j = JSON.parse(json!.body);
    expect(j.senim_http_requests_total).toEqual([{ route: "/api/verify", method: "POST", status: 200, count: 2, seconds_sum: 0.202, le: expect.objectContaining({ "0.0025": 1, "0.25": 2 }) }]);
    expect(j).toMatchObject({ scope: "isolate", senim_certificates_issued_total: 5, senim_verifications_total: { verified: 1, failed: 0, "not-a-credential": 1 }, senim_failed_pins_total: 1, senim_outbox_messages: { queued: 3, sent: 1 } });
  });
});
