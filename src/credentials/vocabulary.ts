/** The identifiers a Senim certificate is built from. Changing any of them changes every certificate: add, never edit. */
import cleContext from "./contexts/cle-v1.json" with { type: "json" };

export const VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2";
export const OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/**
 * Senim's CLE context: a permanent identifier rather than a deployment's own host, so every Senim instance issues
 * the same vocabulary. The service also serves it at `/contexts/cle/v1` and every verifier has it bundled.
 */
export const CLE_CONTEXT = "https://w3id.org/senim/cle/v1";
export const CLE_CONTEXT_DOCUMENT = cleContext;
/** The CLE context exactly as the service serves it: the text its `relatedResource` digests are taken over. */
export const CLE_CONTEXT_TEXT = JSON.stringify(CLE_CONTEXT_DOCUMENT, null, 2);

export const OB3_ACHIEVEMENT_SCHEMA =
  "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

export const VC_JWT_MEDIA_TYPE = "application/vc+jwt";
export const VC_JWT_TYP = "vc+jwt";
