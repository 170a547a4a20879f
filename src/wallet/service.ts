/** Wires the wallet services to a database (called from the composition root, src/services.ts). */
import type { StoreDb } from "../storage/atomic.js";
import type { Keyring } from "../registry/keyring.js";
import type { RegistryService } from "../registry/service.js";
import { KyselyIssuanceStore } from "../storage/issuance-store.js";
import { KyselyWalletStore } from "../storage/wallet-store.js";
import type { StandardsService } from "../standards/service.js";
import type { VerificationService } from "../verification/service.js";
import { Oid4vciService } from "./oid4vci.js";
import { PresentationService } from "./oid4vp.js";

export interface WalletServices {
  oid4vci: Oid4vciService;
  presentations: PresentationService;
}

export function createWalletServices(deps: { store: StoreDb; keyring: Keyring; registry: RegistryService; verification: VerificationService; standards: StandardsService }): WalletServices {
  const store = new KyselyWalletStore(deps.store);
  const issuanceStore = new KyselyIssuanceStore(deps.store);
  return {
    oid4vci: new Oid4vciService({ store, issuanceStore, registry: deps.registry, standards: deps.standards }),
    presentations: new PresentationService({ store, registry: deps.registry, verification: deps.verification, keyring: deps.keyring, standards: deps.standards }),
  };
}
