/**
 * W3C Data Integrity `eddsa-rdfc-2022` securing (VC DI EdDSA v1.0) through the Digital Bazaar stack
 * (`@digitalbazaar/vc`, `@digitalbazaar/data-integrity`, `@digitalbazaar/eddsa-rdfc-2022-cryptosuite`), with the
 * Ed25519 operations done on Web Crypto so the same code runs in Node and Cloudflare workerd.
 *
 * {@link DataIntegrityIssuer} is the fast path for issuing many certificates: it computes exactly what the library
 * computes (RDFC-1.0 N-Quads of the proof configuration and of the document, SHA-256 of each, Ed25519 over
 * proofHash ‖ docHash) but keeps what does not change between certificates of one signing run — the proof
 * configuration's hash (same key, same `created`), the key, and the processed JSON-LD contexts (see
 * jsonld-speedup.ts) — instead of recomputing them per certificate. Nothing signed is left out: each document is
 * canonicalised whole, in safe mode, and tests check the output against the library and the published vectors.
 */
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { Ed25519Signature2020 } from "@digitalbazaar/ed25519-signature-2020";
import { cryptosuite as eddsaRdfc2022 } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import * as vc from "@digitalbazaar/vc";
import ContextResolver from "jsonld/lib/ContextResolver.js";
import { base58btc, fromBase58btc } from "../lib/base58.js";
import { DATA_INTEGRITY_V2_CONTEXT, type DocumentLoader } from "./contexts.js";
import { installJsonLdSpeedup } from "./jsonld-speedup.js";
import { ed25519FromJwk, ed25519FromMultibase } from "./multikey.js";

export const CRYPTOSUITE = "eddsa-rdfc-2022";
/**
 * The Linked Data Signature suite that predates Data Integrity (`proof.type` itself names it, no cryptosuite): the
 * default of the Digital Credentials Consortium's issuer and of many Open Badges 3.0 issuers, mostly on VC 1.1
 * credentials. Verified, never issued: Senim signs eddsa-rdfc-2022.
 */
export const ED25519_SIGNATURE_2020 = "Ed25519Signature2020";

export interface DataIntegritySigner {
  /** DID URL of the verification method, e.g. `did:web:…#key-1` or `did:key:z…#z…`. */
  verificationMethod: string;
  /** A Web Crypto Ed25519 private key (may be non-extractable). */
  privateKey: CryptoKey;
}

/** The signer interface jsonld-signatures expects, over Web Crypto. */
export function webCryptoSigner(s: DataIntegritySigner) {
  return {
    id: s.verificationMethod,
    algorithm: "Ed25519",
    sign: async ({ data }: { data: Uint8Array<ArrayBuffer> }) => new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, s.privateKey, data)),
  };
}

/** The raw Ed25519 public key a verification method publishes, as Multikey or as JsonWebKey. */
export function publicKeyOfMethod(vm: Record<string, unknown>): Uint8Array<ArrayBuffer> | undefined {
  if (vm.type === "Multikey" || vm.type === "Ed25519VerificationKey2020") return ed25519FromMultibase(vm.publicKeyMultibase);
  if (vm.type === "JsonWebKey" || vm.type === "JsonWebKey2020") return ed25519FromJwk(vm.publicKeyJwk);
  return undefined;
}

const verifierKeys = new Map<string, Promise<CryptoKey>>();

/** Imported keys are immutable per raw key, so one import serves every verification. */
function importVerifyKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const id = base58btc(raw);
  let key = verifierKeys.get(id);
  if (!key) {
    if (verifierKeys.size > 10_000) verifierKeys.clear();
    key = crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, true, ["verify"]);
    key.catch(() => verifierKeys.delete(id));
    verifierKeys.set(id, key);
  }
  return key;
}

/**
 * The eddsa-rdfc-2022 cryptosuite with its verifier on Web Crypto (it accepts Multikey and JsonWebKey methods) and
 * its canonicalisation on this module's context cache. The algorithm is the library's, unchanged.
 */
export const webCryptoEddsaRdfc2022 = {
  ...eddsaRdfc2022,
  canonize: (input: unknown, options: Record<string, unknown> & { documentLoader: DocumentLoader }) => canonize(input, options.documentLoader, options),
  async createVerifier({ verificationMethod }: { verificationMethod: Record<string, unknown> }) {
    const raw = publicKeyOfMethod(verificationMethod);
    if (!raw) throw new Error(`Verification method ${String(verificationMethod.id)} is not an Ed25519 Multikey or JsonWebKey.`);
    const key = await importVerifyKey(raw);
    return {
      id: verificationMethod.id,
      algorithm: "Ed25519",
      verify: async ({ data, signature }: { data: Uint8Array<ArrayBuffer>; signature: Uint8Array<ArrayBuffer> }) =>
        signature.length === 64 && crypto.subtle.verify({ name: "Ed25519" }, key, signature, data),
    };
  },
};

/**
 * Digital Bazaar's Ed25519Signature2020 suite as published (canonicalisation, proof configuration, the key's
 * conversion to Ed25519VerificationKey2020, the purpose checks), with only the signature check done on Web Crypto
 * so it runs on workerd too, as the eddsa-rdfc-2022 verifier above does.
 */
class WebCryptoEd25519Signature2020 extends Ed25519Signature2020 {
  override async verifySignature({ verifyData, verificationMethod, proof }: { verifyData: Uint8Array<ArrayBuffer>; verificationMethod: Record<string, unknown>; proof: Record<string, unknown> }): Promise<boolean> {
    const raw = publicKeyOfMethod(verificationMethod);
    if (!raw || typeof proof.proofValue !== "string") return false;
    const signature = fromBase58btc(proof.proofValue.slice(1));
    return signature.length === 64 && crypto.subtle.verify({ name: "Ed25519" }, await importVerifyKey(raw), signature as Uint8Array<ArrayBuffer>, verifyData);
  }
}

/** The plain library path: `vc.issue` with a DataIntegrityProof. Used for the vectors and as the benchmark baseline. */
export async function issueWithLibrary(
  credential: Record<string, unknown>,
  signer: DataIntegritySigner,
  options: { created: string; documentLoader: DocumentLoader },
): Promise<Record<string, unknown>> {
  // The published cryptosuite as is (only the signer is ours): the reference the fast path is checked against.
  const suite = new DataIntegrityProof({ signer: webCryptoSigner(signer), date: options.created, cryptosuite: eddsaRdfc2022 });
  return vc.issue({ credential: structuredClone(credential), suite, documentLoader: options.documentLoader });
}

const encoder = new TextEncoder();

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/**
 * Resolved contexts processed while the jsonld speed-up is in place (src/credentials/jsonld-speedup.ts), kept apart
 * from jsonld's own process-wide cache so that contexts processed before it was installed are not mixed in. Keys
 * are context URLs or the JSON of inline contexts; the map is emptied if hostile input ever fills it.
 */
const resolvedContexts = new Map<string, unknown>();
const sharedCache = {
  get: (key: string) => resolvedContexts.get(key),
  set: (key: string, value: unknown) => {
    if (resolvedContexts.size >= 1_000) resolvedContexts.clear();
    resolvedContexts.set(key, value);
    return sharedCache;
  },
};

/** RDFC-1.0 N-Quads of a JSON-LD document, exactly as the cryptosuite computes them (safe mode, no base). */
export async function canonize(input: unknown, documentLoader: DocumentLoader, options: Record<string, unknown> = {}): Promise<string> {
  // Before anything enters this cache: contexts processed without the speed-up could not be reused safely.
  await installJsonLdSpeedup();
  return eddsaRdfc2022.canonize(input, { documentLoader, base: null, safe: true, ...options, contextResolver: new ContextResolver({ sharedCache }) });
}

/** The proof configuration the cryptosuite signs (VC DI EdDSA §3.2.5 "Configure Proof"): the proof minus proofValue. */
export function proofConfiguration(verificationMethod: string, created: string, proofPurpose = "assertionMethod") {
  // Member order as @digitalbazaar/data-integrity writes it, so both paths give the same JSON text too.
  return { type: "DataIntegrityProof", created, verificationMethod, cryptosuite: CRYPTOSUITE, proofPurpose };
}

/**
 * Issues eddsa-rdfc-2022 proofs for one signer. The proof configuration's canonical hash depends only on the
 * document's `@context`, the key, the purpose and `created`; it is computed once per distinct combination.
 */
export class DataIntegrityIssuer {
  private readonly proofHashes = new Map<string, Promise<Uint8Array>>();

  constructor(
    private readonly signer: DataIntegritySigner,
    private readonly documentLoader: DocumentLoader,
  ) {}

  async sign(credential: Record<string, unknown>, created: string, extra: { challenge?: string; domain?: string; proofPurpose?: string } = {}): Promise<Record<string, unknown>> {
    if ("proof" in credential) throw new TypeError("The credential already carries a proof.");
    // As jsonld-signatures' sign (addSuiteContext): a document whose contexts do not define DataIntegrityProof (a VC
    // 1.1 credential) gets the Data Integrity context appended, so that its proof is understood where it is read.
    const context = withSuiteContext(credential["@context"]);
    const document = context === credential["@context"] ? credential : { ...credential, "@context": context };
    const proof: Record<string, unknown> = proofConfiguration(this.signer.verificationMethod, created, extra.proofPurpose);
    if (extra.challenge !== undefined) proof.challenge = extra.challenge;
    if (extra.domain !== undefined) proof.domain = extra.domain;
    const [proofHash, docHash] = await Promise.all([this.proofHash(context, proof), canonize(document, this.documentLoader).then(sha256)]);
    const data = new Uint8Array(64);
    data.set(proofHash, 0);
    data.set(docHash, 32);
    const signature = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, this.signer.privateKey, data));
    return { ...document, proof: { ...proof, proofValue: "z" + base58btc(signature) } };
  }

  private proofHash(ctx: unknown, proof: Record<string, unknown>): Promise<Uint8Array> {
    const key = JSON.stringify([ctx, proof]);
    let hash = this.proofHashes.get(key);
    if (!hash) {
      if (this.proofHashes.size > 64) this.proofHashes.clear();
      hash = canonize({ "@context": ctx, ...proof }, this.documentLoader).then(sha256);
      hash.catch(() => this.proofHashes.delete(key));
      this.proofHashes.set(key, hash);
    }
    return hash;
  }
}

/**
 * As `DataIntegrityProof.ensureSuiteContext` does: the VC 2.0 context already defines DataIntegrityProof; any other
 * context list gets the Data Integrity v2 context appended. The same reference back when nothing is added.
 */
function withSuiteContext(context: unknown): unknown {
  const list = Array.isArray(context) ? context : [context];
  if (list.includes("https://www.w3.org/ns/credentials/v2") || list.includes(DATA_INTEGRITY_V2_CONTEXT)) return context;
  return [...list, DATA_INTEGRITY_V2_CONTEXT];
}

/** One verified proof: who signed, and when it says it signed. */
export interface VerifiedProof {
  verificationMethod: string;
  created: string | undefined;
}

export type DataIntegrityOutcome =
  | { ok: true; verificationMethod: string; created: string | undefined; proofs: VerifiedProof[] }
  | { ok: false; reason: "no-proof" | "unsupported-proof" | "bad-signature" | "unknown-key" | "key-not-issuers" | "previous-proof-missing" | "malformed"; detail: string; verificationMethod?: string };

type Failure = Extract<DataIntegrityOutcome, { ok: false }>;

/** Most proofs looked at on one document: each costs a canonicalisation, and no issuer here needs more. */
export const MAX_PROOFS = 8;

/**
 * Verifies the eddsa-rdfc-2022 (and Ed25519Signature2020) proofs of a credential or presentation. Never throws.
 *
 * Credentials: every proof of a proof set, and of a proof chain, as Data Integrity 1.0 §4.5 ("Verify Proof Sets and
 * Chains") says: each proof over the document without its proofs, plus, for a proof naming `previousProof`, the
 * proofs it names (all of which must be in the set). Every proof must verify — the library's proof set verifier
 * accepts a set when any one proof does, and verifies a chained proof without the proofs it signed over — and each
 * must be an `assertionMethod` of the issuer's (the library's CredentialIssuancePurpose).
 *
 * Presentations carry one proof, the holder's for this challenge and domain (`authentication`), verified by the
 * library's presentation verifier.
 */
export async function verifyDataIntegrity(
  document: Record<string, unknown>,
  options: { documentLoader: DocumentLoader; presentation?: { challenge?: string; domain?: string } },
): Promise<DataIntegrityOutcome> {
  const proofs: unknown[] = Array.isArray(document.proof) ? document.proof : document.proof === undefined ? [] : [document.proof];
  if (proofs.length === 0) return { ok: false, reason: "no-proof", detail: "The document carries no proof." };
  if (proofs.length > (options.presentation ? 1 : MAX_PROOFS)) {
    return { ok: false, reason: "unsupported-proof", detail: options.presentation ? "A presentation carries exactly one proof." : `At most ${MAX_PROOFS} proofs are verified on one credential.` };
  }
  for (const proof of proofs) {
    const problem = proofShapeProblem(proof);
    if (problem) return problem;
  }
  for (const proof of proofs as Record<string, unknown>[]) {
    const vm = proof.verificationMethod as string;
    try {
      await options.documentLoader(vm);
    } catch {
      return { ok: false, reason: "unknown-key", detail: "The verification method is not known to this service.", verificationMethod: vm };
    }
  }
  return options.presentation ? verifyPresentationProof(document, proofs[0] as Record<string, unknown>, options.documentLoader, options.presentation) : verifyProofSet(document, proofs as Record<string, unknown>[], options.documentLoader);
}

function proofShapeProblem(proof: unknown): Failure | undefined {
  if (typeof proof !== "object" || proof === null || Array.isArray(proof)) return { ok: false, reason: "malformed", detail: "Each proof must be an object." };
  const p = proof as Record<string, unknown>;
  if (!((p.type === "DataIntegrityProof" && p.cryptosuite === CRYPTOSUITE) || (p.type === ED25519_SIGNATURE_2020 && p.cryptosuite === undefined))) {
    return { ok: false, reason: "unsupported-proof", detail: `Only DataIntegrityProof with cryptosuite ${CRYPTOSUITE}, or ${ED25519_SIGNATURE_2020}, is accepted, for every proof.` };
  }
  const vm = typeof p.verificationMethod === "string" ? p.verificationMethod : undefined;
  if (!vm) return { ok: false, reason: "malformed", detail: "The proof names no verificationMethod." };
  if (typeof p.proofValue !== "string" || !p.proofValue.startsWith("z") || !isSignature(p.proofValue)) {
    return { ok: false, reason: "malformed", detail: "proofValue must be a base58btc (z…) Ed25519 signature.", verificationMethod: vm };
  }
  if (p.id !== undefined && typeof p.id !== "string") return { ok: false, reason: "malformed", detail: "A proof's id must be a string.", verificationMethod: vm };
  const previous = p.previousProof;
  if (previous !== undefined && typeof previous !== "string" && !(Array.isArray(previous) && previous.length > 0 && previous.every((x) => typeof x === "string"))) {
    return { ok: false, reason: "malformed", detail: "previousProof must be a proof id or a list of proof ids.", verificationMethod: vm };
  }
  return undefined;
}

async function verifyProofSet(document: Record<string, unknown>, proofs: Record<string, unknown>[], documentLoader: DocumentLoader): Promise<DataIntegrityOutcome> {
  const { proof: _, ...unsecured } = document;
  const ids = proofs.map((p) => (typeof p.id === "string" ? p.id : undefined));
  if (new Set(ids.filter((i) => i !== undefined)).size !== ids.filter((i) => i !== undefined).length) {
    return { ok: false, reason: "malformed", detail: "Two proofs of the set have the same id." };
  }
  // §4.5 step 3: the input of each proof is the document with the proofs it names as previousProof, and no other.
  const inputs: Record<string, unknown>[] = [];
  for (const proof of proofs) {
    const named = proof.previousProof === undefined ? [] : Array.isArray(proof.previousProof) ? (proof.previousProof as string[]) : [proof.previousProof as string];
    const matching: Record<string, unknown>[] = [];
    for (const id of named) {
      const found = proofs.find((p) => p.id === id && p !== proof);
      if (!found) return { ok: false, reason: "previous-proof-missing", detail: `The proof chain names ${JSON.stringify(id.slice(0, 200))} as a previous proof, but the set has no proof with that id.`, verificationMethod: proof.verificationMethod as string };
      matching.push(found);
    }
    inputs.push(matching.length === 0 ? unsecured : { ...unsecured, proof: matching.length === 1 ? matching[0] : matching });
  }
  const context = document["@context"];
  const suiteFor = (proof: Record<string, unknown>) => (proof.type === ED25519_SIGNATURE_2020 ? new WebCryptoEd25519Signature2020() : new DataIntegrityProof({ cryptosuite: webCryptoEddsaRdfc2022 }));
  try {
    // Signatures first, every one, so that a set with one forged proof is reported as forged whatever its order.
    const verified = await Promise.all(
      proofs.map(async (proof, i) => {
        const withContext = { "@context": context, ...proof };
        const s = suiteFor(proof);
        const r = (await s.verifyProof({ proof: withContext, document: inputs[i], documentLoader })) as { verified: boolean; verificationMethod?: Record<string, unknown>; error?: unknown };
        return { proof: withContext, suite: s, ...r };
      }),
    );
    const broken = verified.findIndex((r) => !r.verified);
    if (broken >= 0) return failureOf(errorMessage(verified[broken]!.error), proofs[broken]!.verificationMethod as string);
    for (const [i, r] of verified.entries()) {
      const vm = proofs[i]!.verificationMethod as string;
      if (proofs[i]!.proofPurpose !== "assertionMethod") return { ok: false, reason: "key-not-issuers", detail: "A credential's proof must have the purpose assertionMethod.", verificationMethod: vm };
      const purpose = (await new vc.CredentialIssuancePurpose().validate(r.proof, { document: inputs[i], suite: r.suite, verificationMethod: r.verificationMethod, documentLoader })) as { valid: boolean; error?: unknown };
      if (!purpose.valid) return failureOf(errorMessage(purpose.error), vm);
    }
  } catch (err) {
    return { ok: false, reason: "malformed", detail: errorMessage(err) };
  }
  const verifiedProofs = proofs.map((p) => ({ verificationMethod: p.verificationMethod as string, created: typeof p.created === "string" ? p.created : undefined }));
  return { ok: true, ...verifiedProofs[0]!, proofs: verifiedProofs };
}

async function verifyPresentationProof(document: Record<string, unknown>, proof: Record<string, unknown>, documentLoader: DocumentLoader, expected: { challenge?: string; domain?: string }): Promise<DataIntegrityOutcome> {
  const vm = proof.verificationMethod as string;
  const suite = new DataIntegrityProof({ cryptosuite: webCryptoEddsaRdfc2022 });
  try {
    const result = await vc.verify({
      presentation: document,
      presentationPurpose: undefined,
      challenge: expected.challenge,
      domain: expected.domain,
      suite,
      documentLoader,
      unsignedPresentation: false,
      // The embedded credentials are verified one by one by the caller, with their own rules.
      checkStatus: async () => ({ verified: true }),
    });
    if (result.verified) {
      const created = typeof proof.created === "string" ? proof.created : undefined;
      return { ok: true, verificationMethod: vm, created, proofs: [{ verificationMethod: vm, created }] };
    }
    return failureOf(firstError(result), vm);
  } catch (err) {
    return { ok: false, reason: "malformed", detail: errorMessage(err), verificationMethod: vm };
  }
}

/** The library's failure text, sorted into a reason. */
function failureOf(message: string, vm: string): Failure {
  if (/controller|issuer/i.test(message) && !/signature/i.test(message)) return { ok: false, reason: "key-not-issuers", detail: message, verificationMethod: vm };
  if (/unknown_context|not a context or key/i.test(message)) return { ok: false, reason: "unknown-key", detail: message, verificationMethod: vm };
  if (/Invalid signature/i.test(message)) return { ok: false, reason: "bad-signature", detail: "The signature does not match the contents: the credential was altered or not signed by this key.", verificationMethod: vm };
  return { ok: false, reason: "malformed", detail: message, verificationMethod: vm };
}

function errorMessage(err: unknown): string {
  const inner = (err as { errors?: unknown[] } | undefined)?.errors?.[0] ?? err;
  return (inner instanceof Error ? inner.message : String((inner as { message?: unknown })?.message ?? inner ?? "Unverifiable.")).slice(0, 300);
}

function isSignature(proofValue: string): boolean {
  try {
    return fromBase58btc(proofValue.slice(1)).length === 64;
  } catch {
    return false;
  }
}

/** The first error message anywhere in a jsonld-signatures / vc result. */
function firstError(result: Record<string, any>): string {
  const seen: any[] = [result.error, ...(result.results ?? []).map((r: any) => r.error), result.presentationResult?.error, ...(result.presentationResult?.results ?? []).map((r: any) => r.error)];
  for (const e of seen) {
    if (!e) continue;
    const inner = e.errors?.[0] ?? e;
    const msg = String(inner?.message ?? inner);
    return msg.slice(0, 300);
  }
  return "The proof did not verify.";
}
