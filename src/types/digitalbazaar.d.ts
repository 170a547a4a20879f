/** Minimal typings for the Digital Bazaar Data Integrity stack (the packages ship none). */
declare module "@digitalbazaar/credentials-context" {
  export const contexts: Map<string, unknown>;
}
declare module "@digitalbazaar/data-integrity-context" {
  export const contexts: Map<string, unknown>;
}
declare module "@digitalbazaar/multikey-context" {
  export const contexts: Map<string, unknown>;
}
declare module "@digitalbazaar/vc" {
  export function issue(options: Record<string, unknown>): Promise<Record<string, any>>;
  export function verifyCredential(options: Record<string, unknown>): Promise<Record<string, any>>;
  export function signPresentation(options: Record<string, unknown>): Promise<Record<string, any>>;
  export function verify(options: Record<string, unknown>): Promise<Record<string, any>>;
  export function createPresentation(options: Record<string, unknown>): Record<string, any>;
  export class CredentialIssuancePurpose {
    constructor(options?: Record<string, unknown>);
    validate(proof: Record<string, unknown>, options: Record<string, unknown>): Promise<{ valid: boolean; error?: unknown }>;
  }
}
declare module "@digitalbazaar/data-integrity" {
  export class DataIntegrityProof {
    constructor(options: Record<string, unknown>);
    [k: string]: any;
  }
}
declare module "@digitalbazaar/ed25519-signature-2020" {
  export class Ed25519Signature2020 {
    constructor(options?: Record<string, unknown>);
    verifySignature(options: { verifyData: Uint8Array; verificationMethod: Record<string, unknown>; proof: Record<string, unknown> }): Promise<boolean>;
    [k: string]: any;
  }
}
declare module "ed25519-signature-2020-context" {
  const suiteContext: { contexts: Map<string, unknown> };
  export default suiteContext;
}
declare module "@digitalbazaar/eddsa-rdfc-2022-cryptosuite" {
  export const cryptosuite: {
    name: string;
    requiredAlgorithm: string;
    canonize(input: unknown, options: Record<string, unknown>): Promise<string>;
    createVerifier(options: { verificationMethod: Record<string, unknown> }): Promise<unknown>;
  };
}
declare module "jsonld" {
  const jsonld: any;
  export default jsonld;
}
declare module "rdf-canonize" {
  export function canonize(input: unknown, options: Record<string, unknown>): Promise<string>;
}
declare module "jsonld/lib/ContextResolver.js" {
  export default class ContextResolver {
    constructor(options: { sharedCache: { get(key: string): unknown; set(key: string, value: unknown): unknown } });
  }
}
declare module "jsonld/lib/ResolvedContext.js" {
  export default class ResolvedContext {
    getProcessed(activeCtx: unknown): unknown;
  }
}

/** Fonts imported as wrangler Data modules (src/runtime/worker.ts): the file's bytes. */
declare module "*.ttf" {
  const data: ArrayBuffer;
  export default data;
}
