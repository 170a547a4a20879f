/** What every trust scenario runs against: a running Senim over real HTTP, and which runtime and store it is. */
import type { HttpTarget } from "../helpers.js";

export interface TrustTarget extends HttpTarget {
  runtime: "sqlite" | "postgres" | "d1";
  close(): Promise<void>;
}

/** Scenarios register `it(...)` blocks; `target()` is valid inside them (the target starts in `beforeAll`). */
export type TrustScenarios = (target: () => TrustTarget) => void;
