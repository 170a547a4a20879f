/**
 * The bar's signed annual attestation (12.1, 12.2): for a member who met a closed year's requirement, one VC 2.0
 * credential, secured as a vc+jwt with the bar's own did:web key, stating the bar, the member (the licence as the same
 * salted identity hash certificates carry), the year, and the required and verified academic hours as frozen when
 * the year was closed (with that closing's date and digest).
 *
 * Its terms are in a context of their own (attestation-v1.json), not added to the CLE context: the CLE context is
 * served and bundled as exact text whose SHA-256 credentials name in `relatedResource`, so even an additive edit
 * would change what issued certificates point at. A separate context leaves every certificate's bytes alone, and an
 * attestation does not claim to be a certificate (the verification profile is chosen by what a credential claims).
 */
import { z } from "zod";
import { maskLicence, normaliseLicence } from "../domain/people.js";
import attestationContext from "./contexts/attestation-v1.json" with { type: "json" };
import { HOURS_NOTE, LICENCE_IDENTITY_TYPE, licenceIdentityHash } from "./certificate.js";
import { VC_V2_CONTEXT } from "./vocabulary.js";

export const ATTESTATION_CONTEXT = "https://w3id.org/senim/attestation/v1";
export const ATTESTATION_CONTEXT_DOCUMENT = attestationContext;
/** The attestation context exactly as the service serves it at `/contexts/attestation/v1`. */
export const ATTESTATION_CONTEXT_TEXT = JSON.stringify(ATTESTATION_CONTEXT_DOCUMENT, null, 2);
export const ATTESTATION_TYPE = "SenimAnnualAttestation";

export interface AttestationFacts {
  /** `{publicUrl}/a/{id}`. */
  url: string;
  issuedAt: string;
  bar: { did: string; name: string; url: string };
  member: { fullName: string; licence: string };
  /** Random per attestation, as for certificates: the salted hash cannot be matched across credentials. */
  licenceSalt: string;
  year: number;
  requiredHours: number;
  verifiedHours: number;
  closing: { closedOn: string; digest: string };
}

export async function buildAttestationCredential(f: AttestationFacts): Promise<Record<string, unknown>> {
  return {
    "@context": [VC_V2_CONTEXT, ATTESTATION_CONTEXT],
    id: f.url,
    type: ["VerifiableCredential", ATTESTATION_TYPE],
    name: `Annual attestation of professional development, ${f.year}`,
    issuer: { id: f.bar.did, name: f.bar.name },
    validFrom: f.issuedAt,
    credentialSubject: {
      type: ["AnnualAttestationSubject"],
      identifier: [
        { type: "IdentityObject", identityType: "name", hashed: false, identityHash: f.member.fullName },
        { type: "IdentityObject", identityType: LICENCE_IDENTITY_TYPE, hashed: true, identityHash: await licenceIdentityHash(f.member.licence, f.licenceSalt), salt: f.licenceSalt },
      ],
      licenceHint: maskLicence(normaliseLicence(f.member.licence)),
      memberOfBar: f.bar.url,
      year: f.year,
      requiredHours: f.requiredHours,
      verifiedHours: f.verifiedHours,
      closedOn: f.closing.closedOn,
      closingDigest: f.closing.digest,
      hoursNote: HOURS_NOTE,
    },
  };
}

const identity = z.object({ type: z.literal("IdentityObject"), identityType: z.string(), hashed: z.boolean(), identityHash: z.string().min(1).max(500), salt: z.string().max(200).optional() });

/** What an attestation must say; the pipeline's `attestation` profile holds a credential claiming to be one to it. */
export const attestationSchema = z.object({
  "@context": z.array(z.string()).refine((c) => c[0] === VC_V2_CONTEXT && c.includes(ATTESTATION_CONTEXT), "must be the VC 2.0 context followed by the attestation context"),
  id: z.string().url(),
  type: z.array(z.string()).refine((t) => t.includes("VerifiableCredential") && t.includes(ATTESTATION_TYPE), `must include VerifiableCredential and ${ATTESTATION_TYPE}`),
  issuer: z.object({ id: z.string().min(1), name: z.string().min(1).max(500) }),
  validFrom: z.string(),
  credentialSubject: z.object({
    identifier: z.array(identity).min(2).max(5).refine((ids) => ids.some((i) => i.identityType === LICENCE_IDENTITY_TYPE && i.hashed && i.salt) && ids.some((i) => i.identityType === "name"), "must carry the member's name and salted licence hash"),
    licenceHint: z.string().max(40).optional(),
    memberOfBar: z.string().url(),
    year: z.number().int().min(2000).max(2100),
    requiredHours: z.number().nonnegative().max(10_000),
    verifiedHours: z.number().nonnegative().max(100_000),
    closedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    closingDigest: z.string().regex(/^[0-9a-f]{64}$/),
  }),
});
export type SenimAttestation = z.infer<typeof attestationSchema>;

/** Whether a credential claims to be an annual attestation: by its type or its context, never by whether it parses. */
export function claimsAttestation(credential: Record<string, unknown>): boolean {
  const types = Array.isArray(credential.type) ? credential.type : [credential.type];
  const context = Array.isArray(credential["@context"]) ? credential["@context"] : [credential["@context"]];
  return types.includes(ATTESTATION_TYPE) || context.includes(ATTESTATION_CONTEXT);
}

/** The attestation's own id from its URL `{publicUrl}/a/{id}`: `undefined` outside that space. */
export function attestationIdIn(publicUrl: string, url: unknown): string | undefined {
  if (typeof url !== "string") return undefined;
  const prefix = `${publicUrl}/a/`;
  if (!url.startsWith(prefix)) return undefined;
  const id = url.slice(prefix.length).replace(/\/$/, "");
  return /^[0-9a-z]{20}$/.test(id) ? id : undefined;
}
