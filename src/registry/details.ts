/**
 * The refusals of the registry (parties, their keys and identifiers, API keys, accreditations, programme content), in
 * English with `{name}` values; kk.ts and ru.ts translate each key. A file of its own so the catalogues need not load
 * the registry service.
 */
export const REGISTRY_DETAIL_TEMPLATES = {
  "registry-identifier-valid-until": "identifier.validUntil must be after validFrom.",
  "registry-identifier-multikey": "identifier.publicKeyMultibase must be an Ed25519 Multikey (z6Mk…).",
  "registry-bar-unknown": "Unknown bar {id}.",
  "registry-bar-admin-key-needs-bar": "A bar-admin key needs barId.",
  "registry-provider-key-needs-party": "A provider key needs partyId.",
  "registry-api-key-unknown": "No API key {id}.",
  "registry-api-key-revoked": "This API key is already revoked.",
  "registry-did-key-registered": "A party with this did:key is already registered.",
  "registry-did-key-no-rotation": "A did:key party's key cannot be rotated: the identifier is the key. Register the new did:key as a party.",
  "registry-no-active-key": "The provider has no active signing key: every key is retired. Rotate to create one.",
  "registry-party-unknown": "No party {id}.",
  "registry-accreditation-unknown": "No accreditation {id}.",
  "registry-party-problems": "{count} problem(s) in the party's details; nothing was stored.",
  "programme-content-bar-unknown": "No bar {id}.",
} as const;
