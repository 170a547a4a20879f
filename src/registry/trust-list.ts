/**
 * Issue 17: the registry as one credential signed by the RBA's key — the trust list a verifier keeps to check
 * certificates without reaching this service (a courtroom without a connection). A vc+jwt (VC 2.0, VC-JOSE-COSE):
 * issuer the RBA's did:web, `validUntil` one week ahead, `credentialSubject.version` the SHA-256 of the entries, which
 * is also the HTTP ETag. Re-signed when the registry changes, and daily. Format and the offline check: docs/trust-list.md.
 */
import { canonicalJson } from "../lib/canonical-json.js";
import { sha256Hex } from "../lib/ids.js";
import { signVcJwt, type Signer } from "../credentials/jwt.js";
import { VC_V2_CONTEXT } from "../credentials/vocabulary.js";
import type { RegistryService, TrustListEntries } from "./service.js";

export const TRUST_LIST_PATH = "/trust-list";
export const TRUST_LIST_TYPE = "SenimTrustList";
/** How long a verifier may rely on a copy; a withdrawal reaches offline verifiers within this. */
export const TRUST_LIST_VALIDITY_MS = 7 * 86_400_000;
/** A copy still unchanged is signed again once it is this old, so the published one always has six days or more left. */
const RESIGN_AFTER_MS = 86_400_000;

export interface SignedTrustList {
  jwt: string;
  version: string;
  validFrom: string;
  validUntil: string;
}

/** The unsigned credential of a version of the entries (one mapping; the test's outside verifier reads this shape). */
export function trustListCredential(o: { publicUrl: string; rbaDid: string; rbaName: string; entries: TrustListEntries; version: string; now: string }): Record<string, unknown> {
  const url = `${o.publicUrl}${TRUST_LIST_PATH}`;
  return {
    "@context": [VC_V2_CONTEXT],
    id: url,
    type: ["VerifiableCredential", TRUST_LIST_TYPE],
    issuer: { id: o.rbaDid, name: o.rbaName },
    validFrom: o.now,
    validUntil: new Date(Date.parse(o.now) + TRUST_LIST_VALIDITY_MS).toISOString(),
    credentialSubject: { id: `${url}#registry`, type: TRUST_LIST_TYPE, version: o.version, ...o.entries },
  };
}

export class TrustListService {
  private signed: SignedTrustList | undefined;

  constructor(
    private readonly deps: {
      registry: RegistryService;
      /** The RBA's own did:web and key (the key of its OpenID4VP verifier, as for the bars' attestations). */
      rba: () => Promise<{ did: string; name: string; signer: Signer }>;
    },
  ) {}

  /** The current trust list, signed again only when the entries changed or the last copy is a day old. */
  async current(): Promise<SignedTrustList> {
    const entries = await this.deps.registry.trustListEntries();
    const version = await sha256Hex(canonicalJson(entries));
    const now = this.deps.registry.now();
    if (this.signed && this.signed.version === version && Date.parse(now) - Date.parse(this.signed.validFrom) < RESIGN_AFTER_MS) return this.signed;
    const rba = await this.deps.rba();
    const credential = trustListCredential({ publicUrl: this.deps.registry.publicUrl, rbaDid: rba.did, rbaName: rba.name, entries, version, now });
    this.signed = { jwt: await signVcJwt(credential, rba.signer), version, validFrom: now, validUntil: credential.validUntil as string };
    return this.signed;
  }
}
