/**
 * Issue 12's attacks, each a scenario, on every runtime and store over real HTTP: the Node server on SQLite and on
 * PostgreSQL, and the Worker in workerd on D1. Each module under test/trust/ owns one family of attacks.
 */
import { afterAll, beforeAll, describe } from "vitest";
import { startNodeTarget } from "./node-target.js";
import { startWorkerTarget } from "./worker-target.js";
import { authorityScenarios } from "./trust/authority.js";
import { backdatingScenarios } from "./trust/backdating.js";
import { hygieneScenarios } from "./trust/hygiene.js";
import { oneTimeSecretScenarios } from "./trust/one-time-secrets.js";
import { pipelineScenarios } from "./trust/pipeline.js";
import type { TrustTarget } from "./trust/target.js";

const TARGETS: [string, () => Promise<TrustTarget>][] = [
  ["Node + SQLite", async () => ({ ...(await startNodeTarget({ database: "sqlite" })), runtime: "sqlite" })],
  ["Node + PostgreSQL", async () => ({ ...(await startNodeTarget({ database: "postgres" })), runtime: "postgres" })],
  ["Workers (workerd) + D1", async () => ({ ...(await startWorkerTarget()), runtime: "d1" })],
];

for (const [name, start] of TARGETS) {
  describe(`trust scenarios on ${name}`, () => {
    let target: TrustTarget | undefined;
    beforeAll(async () => {
      target = await start();
    });
    afterAll(async () => target?.close());
    const get = (): TrustTarget => {
      if (!target) throw new Error("target not started");
      return target;
    };
    pipelineScenarios(get);
    authorityScenarios(get);
    oneTimeSecretScenarios(get);
    hygieneScenarios(get);
    backdatingScenarios(get);
  });
}


