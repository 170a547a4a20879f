/**
 * Every JSON-LD context a Senim credential or proof can name, bundled with the code, and the offline document loader
 * that serves them. The loader never touches the network: a context it does not hold is refused with the stable code
 * `unknown_context`, so a credential naming a context we cannot read fails loudly instead of being half-understood.
 * The context documents come from the publishers' own npm packages (W3C VC 2.0 — which defines the Bitstring Status
 * List terms —, VC 1.1, Data Integrity v2, Multikey, the Ed25519Signature2020 suite) or are copied verbatim from the publisher (Open Badges 3.0.3; the W3C
 * examples context, which the W3C test suites and specification examples name: `@digitalbazaar/credentials-examples-
 * context` 1.0.0, the one package of it, holds only the VC 1.1 examples context, and requires a package it does not
 * depend on).
 */
import { contexts as credentialsContexts } from "@digitalbazaar/credentials-context";
import { contexts as dataIntegrityContexts } from "@digitalbazaar/data-integrity-context";
import { contexts as multikeyContexts } from "@digitalbazaar/multikey-context";
import ed25519Signature2020Context from "ed25519-signature-2020-context";
import { SenimError } from "../domain/errors.js";
import ob3Context from "./contexts/ob-v3p0-3.0.3.json" with { type: "json" };
import examplesV2Context from "./contexts/credentials-examples-v2.json" with { type: "json" };
import { CLE_CONTEXT, CLE_CONTEXT_DOCUMENT, CLE_CONTEXT_TEXT, OB3_CONTEXT, VC_V2_CONTEXT } from "./vocabulary.js";
import { ATTESTATION_CONTEXT, ATTESTATION_CONTEXT_DOCUMENT, ATTESTATION_CONTEXT_TEXT } from "./attestation.js";

export const DATA_INTEGRITY_V2_CONTEXT = "https://w3id.org/security/data-integrity/v2";
export const MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1";
/** The Ed25519Signature2020 suite's context, which credentials secured with that (pre-Data Integrity) suite name. */
export const ED25519_2020_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1";
/** W3C's context for examples: one `@vocab`, so every term of an example credential is defined. */
export const EXAMPLES_V2_CONTEXT = "https://www.w3.org/ns/credentials/examples/v2";

/** URL → context document. Frozen deeply: jsonld keeps references to what the loader returns. */
export const BUNDLED_CONTEXTS: ReadonlyMap<string, unknown> = new Map<string, unknown>(
  [
    [VC_V2_CONTEXT, credentialsContexts.get(VC_V2_CONTEXT)],
    ["https://www.w3.org/2018/credentials/v1", credentialsContexts.get("https://www.w3.org/2018/credentials/v1")],
    [DATA_INTEGRITY_V2_CONTEXT, dataIntegrityContexts.get(DATA_INTEGRITY_V2_CONTEXT)],
    ["https://w3id.org/security/data-integrity/v1", dataIntegrityContexts.get("https://w3id.org/security/data-integrity/v1")],
    [MULTIKEY_CONTEXT, multikeyContexts.get(MULTIKEY_CONTEXT)],
    [ED25519_2020_CONTEXT, ed25519Signature2020Context.contexts.get(ED25519_2020_CONTEXT)],
    [OB3_CONTEXT, ob3Context],
    [EXAMPLES_V2_CONTEXT, examplesV2Context],
    [CLE_CONTEXT, CLE_CONTEXT_DOCUMENT],
    [ATTESTATION_CONTEXT, ATTESTATION_CONTEXT_DOCUMENT],
  ].map(([url, doc]) => {
    if (!doc) throw new Error(`Bundled JSON-LD context ${String(url)} is missing from its package.`);
    return [url as string, deepFreeze(doc)];
  }),
);

/**
 * The exact text served at a URL, for the documents Senim holds as published (copied byte for byte, or its own), so
 * that `relatedResource` digests of them can be checked (related-resources.ts). The contexts taken from npm packages
 * are not here: the packages hold the same JSON, but not the bytes their publishers serve (other white space), and
 * a digest is over bytes. test/data-integrity.test.ts holds each text to its file.
 */
export const PUBLISHED_TEXT: ReadonlyMap<string, string> = new Map([
  [EXAMPLES_V2_CONTEXT, JSON.stringify(examplesV2Context, null, 2) + "\n"],
  [OB3_CONTEXT, JSON.stringify(ob3Context, null, 2) + "\n"],
  [CLE_CONTEXT, CLE_CONTEXT_TEXT],
  [ATTESTATION_CONTEXT, ATTESTATION_CONTEXT_TEXT],
]);

/** What a JSON-LD document loader returns (jsonld.js's `RemoteDocument`). */
export interface RemoteDocument {
  contextUrl: null;
  documentUrl: string;
  document: unknown;
}

export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

/** Resolves a DID or DID URL to its document or verification method, offline; `undefined` when unknown. */
export type DidResolver = (didUrl: string) => Promise<Record<string, unknown> | undefined>;

export class UnknownDocumentError extends SenimError {
  constructor(url: string) {
    super("unknown_context", `${JSON.stringify(url.slice(0, 300))} is not a context or key this service knows; it never fetches documents from the network.`, {
      extra: { url: url.slice(0, 300) },
    });
  }
}

/**
 * The one document loader: bundled contexts, plus DIDs through `resolveDid` (did:key computed, our did:web read from
 * the registry). `extraContexts` lets a caller add documents it holds itself.
 */
export function createDocumentLoader(options: { resolveDid?: DidResolver; extraContexts?: ReadonlyMap<string, unknown> } = {}): DocumentLoader {
  return async (url: string) => {
    const bundled = BUNDLED_CONTEXTS.get(url) ?? options.extraContexts?.get(url);
    if (bundled !== undefined) return { contextUrl: null, documentUrl: url, document: bundled };
    if (url.startsWith("did:") && options.resolveDid) {
      const doc = await options.resolveDid(url);
      if (doc) return { contextUrl: null, documentUrl: url, document: doc };
    }
    throw new UnknownDocumentError(url);
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
