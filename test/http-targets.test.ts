/**
 * The same HTTP scenarios (test/http-scenarios.ts) on every runtime and store, over real HTTP: the Node server on
 * SQLite and on PostgreSQL, and the Worker in workerd on D1.
 */
import { httpScenarios, METRICS_TOKEN, SCENARIO_RATE_LIMITS } from "./http-scenarios.js";
import { startNodeTarget } from "./node-target.js";
import { startWorkerTarget } from "./worker-target.js";

httpScenarios("Node + SQLite", () => startNodeTarget({ database: "sqlite", env: { METRICS_TOKEN, SENIM_RATE_LIMITS: SCENARIO_RATE_LIMITS } }));
httpScenarios("Node + PostgreSQL", () => startNodeTarget({ database: "postgres", env: { METRICS_TOKEN, SENIM_RATE_LIMITS: SCENARIO_RATE_LIMITS } }));
httpScenarios("Workers (workerd) + D1", () => startWorkerTarget({ bindings: { METRICS_TOKEN } }));
