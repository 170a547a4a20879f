/** Wires services to a database: the one composition root every runtime calls. */
import type { Kysely } from "kysely";
import type { Services } from "./http/context.js";
import { IssuanceService } from "./issuance/service.js";
import type { Keyring } from "./registry/keyring.js";
import { RegistryService, systemClock, type Clock } from "./registry/service.js";
import { KyselyIssuanceStore } from "./storage/issuance-store.js";
import { KyselyRegistryStore } from "./storage/registry-store.js";
import type { Database } from "./storage/schema.js";
import { VerificationService } from "./verification/service.js";

export interface ServiceConfig {
  db: Kysely<Database>;
  keyring: Keyring;
  publicUrl: string;
  adminTokenHash?: string;
  clock?: Clock;
}

export function createServices(config: ServiceConfig): Services {
  const registry = new RegistryService({
    store: new KyselyRegistryStore(config.db),
    keyring: config.keyring,
    publicUrl: config.publicUrl.replace(/\/+$/, ""),
    clock: config.clock ?? systemClock,
    adminTokenHash: config.adminTokenHash,
  });
  const issuance = new IssuanceService({ store: new KyselyIssuanceStore(config.db), registry });
  const verification = new VerificationService({ registry, issuance });
  return { registry, issuance, verification };
}
