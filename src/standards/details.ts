/**
 * The refusals of the W3C VC API (issue, verify, status: src/standards/service.ts), in English with `{name}` values;
 * `{purpose}` is a text of its own (`standards-purpose-…`). The English catalogue takes them as they are
 * (`problemDetails`), kk.ts and ru.ts translate each key. A file of its own so the catalogues need not load the signer.
 */
export const STANDARDS_DETAIL_TEMPLATES = {
  "standards-credential-not-verified": "The credential did not verify ({failed}).",
  "standards-presentation-not-verified": "The presentation did not verify ({failed}).",
  "standards-jsonld-invalid": "The credential is not valid JSON-LD under its contexts ({why}): every term must be defined, since undefined terms would not be signed.",
  "standards-key-not-held": "The key that signed this certificate is not held by the service.",
  "standards-proof-present": "The credential to issue must not carry a proof.",
  "standards-credential-problems": "{count} problem(s) in the credential (VC Data Model {dataModel}).",
  "standards-vc11-as-jwt": "A VC 1.1 credential is secured with Data Integrity here: a vc+jwt (VC-JOSE-COSE) carries VC 2.0 credentials only.",
  "standards-issuer-not-caller": "The issuer must be the calling provider's own identifier ({did}).",
  "standards-issuer-name": "issuer.name must be the provider's registered name ({name}) or be left out.",
  "standards-not-accredited": "The provider has no accreditation in force today (3.1, 9.1); the service refuses to sign.",
  "standards-status-list-ours": "credentialStatus names a status list of this service ({ours}…): ask for its entries in options.credentialStatus; the service allocates them.",
  "standards-digest-malformed": "A relatedResource digest is malformed.",
  "standards-digest-mismatch": "A relatedResource digest differs from the resource as published: the service will not sign a digest it knows to be wrong.",
  "standards-id-reserved": "Ids under {space} are certificate ids, which only the service assigns; give the credential another id (e.g. urn:uuid:…).",
  "standards-certificate-claimed": "This credential claims to be a CLE certificate (the CLE context or academic hours): certificates are issued for an event, through {endpoint}, where the Procedure's rules hold.",
  "standards-context-unknown": "The context {context} is not one this service holds; it never fetches contexts.",
  "standards-credential-not-yours": "No credential with this id was issued by you.",
  "standards-no-suspension": "Certificates carry a revocation entry only; they cannot be suspended.",
  "standards-revocation-final": "A revocation is final: it cannot be undone.",
  "standards-no-status-entry": "The credential has no {purpose} entry; ask for one in options.credentialStatus when issuing.",
  "standards-purpose-revocation": "revocation",
  "standards-purpose-suspension": "suspension",
  "standards-already-revoked": "This credential is already revoked.",
} as const;

export type StandardsDetailKey = keyof typeof STANDARDS_DETAIL_TEMPLATES;
