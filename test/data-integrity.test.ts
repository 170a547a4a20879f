/**
 * Data Integrity `eddsa-rdfc-2022`: the published vectors reproduced byte for byte (W3C vc-di-eddsa, 1EdTech Open
 * Badges 3.0), the offline document loader, did:key resolution, and the fast issuing path checked against the library.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { describe, expect, it } from "vitest";
import { BUNDLED_CONTEXTS, createDocumentLoader, EXAMPLES_V2_CONTEXT, PUBLISHED_TEXT, UnknownDocumentError } from "../src/credentials/contexts.js";
import { buildCertificateCredential } from "../src/credentials/certificate.js";
import { canonize as canonizeDocument, DataIntegrityIssuer, issueWithLibrary, proofConfiguration, verifyDataIntegrity } from "../src/credentials/data-integrity.js";
import { installJsonLdSpeedup } from "../src/credentials/jsonld-speedup.js";
import { didKeyFor, ed25519FromMultibase, ed25519Multibase, ed25519SeedFromMultibase, parseDidKey, resolveDidKey } from "../src/credentials/multikey.js";
import { CLE_CONTEXT, OB3_CONTEXT, VC_V2_CONTEXT } from "../src/credentials/vocabulary.js";
import { base58btc, fromBase58btc } from "../src/lib/base58.js";
import { httpStatusOf } from "../src/http/problem.js";

const VECTORS = resolve(import.meta.dirname, "vectors");
const readJson = (rel: string): any => JSON.parse(readFileSync(resolve(VECTORS, rel), "utf8"));
const readText = (rel: string): string => readFileSync(resolve(VECTORS, rel), "utf8");
const hex = (h: string): Uint8Array<ArrayBuffer> => new Uint8Array(h.match(/../g)!.map((x) => parseInt(x, 16)));
const toHex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
const sha256Hex = async (s: string) => toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s))));
const importSeed = (seed: Uint8Array) =>
  crypto.subtle.importKey("pkcs8", new Uint8Array([...hex("302e020100300506032b657004220420"), ...seed]), { name: "Ed25519" }, false, ["sign"]);

/** The bundled contexts (the W3C examples context the vectors name among them) and did:key. */
const loader = createDocumentLoader({ resolveDid: async (d) => resolveDidKey(d) });
const canonize = (doc: unknown) => cryptosuite.canonize(doc, { documentLoader: loader, base: null, safe: true });

describe("offline document loader", () => {
  it("serves VC 2.0 (with the Bitstring Status List terms), Data Integrity v2, Multikey, OB 3.0.3 and the CLE context", async () => {
    for (const url of [VC_V2_CONTEXT, "https://w3id.org/security/data-integrity/v2", "https://w3id.org/security/multikey/v1", OB3_CONTEXT, CLE_CONTEXT]) {
      const doc = (await loader(url)).document as Record<string, any>;
      expect(doc["@context"], url).toBeTypeOf("object");
    }
    const vc2 = JSON.stringify(BUNDLED_CONTEXTS.get(VC_V2_CONTEXT));
    for (const term of ["BitstringStatusListCredential", "BitstringStatusListEntry", "statusPurpose", "DataIntegrityProof", "EnvelopedVerifiableCredential"]) expect(vc2).toContain(term);
    expect(JSON.stringify(BUNDLED_CONTEXTS.get(OB3_CONTEXT))).toBe(JSON.stringify(readJson("ob3/context-3.0.3.json")));
  });

  it("refuses any other URL with the stable code unknown_context, and never fetches", async () => {
    const bare = createDocumentLoader();
    for (const url of ["https://www.w3.org/ns/credentials/examples/v1", "https://example.com/context.json", "http://127.0.0.1:1/x", "did:web:example.com", "urn:uuid:1"]) {
      const err = await bare(url).then(() => undefined, (e: unknown) => e);
      expect(err, url).toBeInstanceOf(UnknownDocumentError);
      expect((err as UnknownDocumentError).code).toBe("unknown_context");
      expect(httpStatusOf(err as UnknownDocumentError)).toBe(422);
    }
  });

  it("bundles the W3C examples context as published: its bytes are the ones the VC 2.0 specification's digest names", async () => {
    const doc = (await createDocumentLoader()(EXAMPLES_V2_CONTEXT)).document;
    expect(doc).toEqual({ "@context": { "@vocab": "https://www.w3.org/ns/credentials/examples#" } });
    const file = readFileSync(resolve(import.meta.dirname, "../src/credentials/contexts/credentials-examples-v2.json"));
    expect(PUBLISHED_TEXT.get(EXAMPLES_V2_CONTEXT)).toBe(file.toString("utf8"));
    // VC 2.0 §5.3's example digestSRI of this context (printed there with one stray leading "M").
    expect(Buffer.from(await crypto.subtle.digest("SHA-384", file)).toString("base64")).toBe("zNNbQTWCSUSi0bbz7dbua+RcENv7C6FvlmYJ1Y+I727HsPOHdzwELMYO9Mz68M26");
  });

  it("holds the published text of OB 3.0.3 byte for byte, and of the CLE context as the service serves it", () => {
    expect(PUBLISHED_TEXT.get(OB3_CONTEXT)).toBe(readText("ob3/context-3.0.3.json"));
    expect(JSON.parse(PUBLISHED_TEXT.get(CLE_CONTEXT)!)).toEqual(BUNDLED_CONTEXTS.get(CLE_CONTEXT));
    // The npm-packaged contexts are held as JSON only: their digests are never claimed to be checked.
    for (const url of [VC_V2_CONTEXT, "https://w3id.org/security/data-integrity/v2", "https://w3id.org/security/multikey/v1"]) expect(PUBLISHED_TEXT.has(url)).toBe(false);
  });

  it("canonicalisation of a credential naming an unknown context fails rather than dropping its terms", async () => {
    const doc = { "@context": [VC_V2_CONTEXT, "https://evil.example/ctx"], type: ["VerifiableCredential"], issuer: "did:example:1", credentialSubject: { x: 1 } };
    await expect(cryptosuite.canonize(doc, { documentLoader: createDocumentLoader(), base: null, safe: true })).rejects.toThrow();
  });
});

describe("base58btc, Multikey and did:key", () => {
  it("round-trips bytes with leading zeros", () => {
    for (const b of [new Uint8Array([]), new Uint8Array([0, 0, 1, 2, 255]), crypto.getRandomValues(new Uint8Array(64))]) expect(fromBase58btc(base58btc(b))).toEqual(b);
    expect(() => fromBase58btc("0OIl")).toThrow();
  });

  it("the vector key pair: publicKeyMultibase decodes to the key the seed derives", async () => {
    const kp = readJson("vc-di-eddsa/keyPair.json");
    const seed = ed25519SeedFromMultibase(kp.privateKeyMultibase);
    const pkcs8 = await importSeed(seed);
    const jwk = await crypto.subtle.exportKey("jwk", await crypto.subtle.importKey("pkcs8", new Uint8Array([...hex("302e020100300506032b657004220420"), ...seed]), { name: "Ed25519" }, true, ["sign"]));
    expect(pkcs8.type).toBe("private");
    const pub = ed25519FromMultibase(kp.publicKeyMultibase)!;
    expect(Buffer.from(pub).toString("base64url")).toBe(jwk.x);
    expect(ed25519Multibase(pub)).toBe(kp.publicKeyMultibase);
  });

  it("resolves did:key offline to a Multikey document and its verification method", () => {
    const did = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
    const doc = resolveDidKey(did)!;
    expect(doc.id).toBe(did);
    expect(doc.assertionMethod).toEqual([`${did}#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2`]);
    const vm = resolveDidKey(`${did}#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2`)!;
    expect(vm).toMatchObject({ type: "Multikey", controller: did, publicKeyMultibase: "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2" });
    expect(resolveDidKey(`${did}#other`)).toBeUndefined();
    // Not Ed25519 (a P-256 did:key), not base58, truncated: unknown.
    for (const bad of ["did:key:zDnaegE6RR3atJtHKwTRTWHsJ3kNHqFwv7n9YjTgmU7TyfU76", "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ0", "did:key:z6Mkr", "did:key:"]) expect(parseDidKey(bad), bad).toBeUndefined();
    const raw = crypto.getRandomValues(new Uint8Array(32));
    expect(parseDidKey(didKeyFor(raw))!.publicKey).toEqual(raw);
  });
});

describe("W3C vc-di-eddsa test vectors: eddsa-rdfc-2022", () => {
  const dir = "vc-di-eddsa/eddsa-rdfc-2022";
  const cfg = readJson(`${dir}/proofConfigDataInt.json`);
  const expected = readText(`${dir}/sigBTC58DataInt.txt`).trim();

  const signer = async () => ({
    verificationMethod: cfg.verificationMethod as string,
    privateKey: await importSeed(ed25519SeedFromMultibase(readJson("vc-di-eddsa/keyPair.json").privateKeyMultibase)),
  });

  it("canonical document and proof configuration and their hashes are the published ones", async () => {
    const doc = await canonize(readJson("vc-di-eddsa/unsigned.json"));
    expect(doc).toBe(readText(`${dir}/canonDocDataInt.txt`).trimEnd() + "\n");
    expect(await sha256Hex(doc)).toBe(readText(`${dir}/docHashDataInt.txt`).trim());
    const proof = await canonize(cfg);
    expect(proof).toBe(readText(`${dir}/proofCanonDataInt.txt`).trimEnd() + "\n");
    expect(await sha256Hex(proof)).toBe(readText(`${dir}/proofHashDataInt.txt`).trim());
  });

  it("@digitalbazaar/vc issue with our Web Crypto signer reproduces the published proofValue and signed document", async () => {
    const signed = await issueWithLibrary(readJson("vc-di-eddsa/unsigned.json"), await signer(), { created: cfg.created, documentLoader: loader });
    expect((signed.proof as any).proofValue).toBe(expected);
    expect(signed).toEqual(readJson(`${dir}/signedDataInt.json`));
  });

  it("the fast issuer reproduces it too, and the published proof verifies (the issuer is not the key's controller, so purpose fails by design)", async () => {
    const signed = await new DataIntegrityIssuer(await signer(), loader).sign(readJson("vc-di-eddsa/unsigned.json"), cfg.created);
    expect(signed).toEqual(readJson(`${dir}/signedDataInt.json`));
    const outcome = await verifyDataIntegrity(readJson(`${dir}/signedDataInt.json`), { documentLoader: loader });
    expect(outcome).toMatchObject({ ok: false, reason: "key-not-issuers" });
    // With the issuer set to the key's controller, a fresh signature verifies; one changed character does not.
    const own = { ...readJson("vc-di-eddsa/unsigned.json"), issuer: cfg.verificationMethod.split("#")[0] };
    const ownSigned = await new DataIntegrityIssuer(await signer(), loader).sign(own, cfg.created);
    expect(await verifyDataIntegrity(ownSigned, { documentLoader: loader })).toMatchObject({ ok: true, verificationMethod: cfg.verificationMethod });
    const tampered = { ...ownSigned, credentialSubject: { id: "did:example:abcdefgh", alumniOf: "The School of Exemples" } };
    expect(await verifyDataIntegrity(tampered, { documentLoader: loader })).toMatchObject({ ok: false, reason: "bad-signature" });
  });
});

describe("1EdTech Open Badges 3.0 vector (eddsa-rdfc-2022)", () => {
  const signedVector = readJson("ob3/signed-openbadgecredential.json");
  const keypair = readJson("ob3/keypair.json");
  const expected = readJson("ob3/expected.json");
  const { proof, ...unsigned } = signedVector;

  it("canonical forms and hashes are the published ones", async () => {
    const doc = await canonize(unsigned);
    expect(doc).toBe(readText("ob3/document-canon.txt").trimEnd() + "\n");
    expect(await sha256Hex(doc)).toBe(expected.documentHashHex);
    const { proofValue: _, ...config } = proof;
    const proofCanon = await canonize({ "@context": unsigned["@context"], ...config });
    expect(proofCanon).toBe(readText("ob3/proof-canon.txt").trimEnd() + "\n");
    expect(await sha256Hex(proofCanon)).toBe(expected.proofHashHex);
  });

  it("library and fast issuer reproduce the published signature and proofValue byte for byte", async () => {
    const signer = { verificationMethod: keypair.id, privateKey: await importSeed(hex(keypair.privateKeyHex).slice(0, 32)) };
    const viaLibrary = await issueWithLibrary(unsigned, signer, { created: proof.created, documentLoader: loader });
    expect(viaLibrary).toEqual(signedVector);
    const fast = await new DataIntegrityIssuer(signer, loader).sign(unsigned, proof.created);
    expect((fast.proof as any).proofValue).toBe(expected.proofValue);
    expect(toHex(fromBase58btc(expected.proofValue.slice(1)))).toBe(expected.signatureHex);
  });
});

describe("fast issuing path equals the library on Senim certificates", () => {
  it("same proof for a range of certificates, before and after the jsonld speed-up", async () => {
    const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const signer = { verificationMethod: "did:web:senim.kz:parties:abc#key-1", privateKey: pair.privateKey };
    const fast = new DataIntegrityIssuer(signer, loader);
    const created = "2026-01-01T10:00:00Z";
    const certificate = (i: number) =>
      buildCertificateCredential({
        certificateUrl: `https://senim.kz/c/c${i}`,
        issuedAt: created,
        validUntil: i % 2 ? "2031-01-01T00:00:00Z" : null,
        issuer: { did: "did:web:senim.kz:parties:abc", name: "Орталық", kind: "centre" },
        coOrganiser: i % 3 ? { id: "almaty", name: "Almaty City Bar" } : null,
        event: { id: "ev1", topic: "Адвокат этикасы", programme: "civil", form: (["course", "seminar", "training", "master-class"] as const)[i % 4]!, deliveryMode: "online", place: "Алматы", startsAt: "2025-12-01T04:00:00Z", endsAt: "2025-12-01T10:00:00Z", durationMinutes: 90 * (i + 1), trainers: ["А. Б."] },
        participant: { fullName: `Қатысушы ${i}`, licenceNumber: `${1000 + i}`, barId: "almaty", role: i % 5 ? "attendee" : "teacher", walletDid: i % 2 ? didKeyFor(new Uint8Array(32).fill(i)) : null },
        licenceSalt: `salt${i}`,
        status: { entryId: `https://senim.kz/status/l1#${i}`, listUrl: "https://senim.kz/status/l1", index: i },
        barUrl: (b) => `https://senim.kz/registry/${b}`,
      });
    const check = async () => {
      for (let i = 0; i < 6; i++) {
        const c = await certificate(i);
        const viaLibrary = await issueWithLibrary(c, signer, { created, documentLoader: loader });
        expect(await fast.sign(c, created)).toEqual(viaLibrary);
      }
    };
    await check();
    const before = await canonize(await certificate(3));
    expect(await installJsonLdSpeedup()).toBe(true);
    expect(await canonize(await certificate(3))).toBe(before);
    await check();
  });
});

describe("proof sets and proof chains (Data Integrity 1.0 §4.5)", () => {
  const setVector = readJson("vc-di-eddsa/proof-set-chain/signedProofSet2.json");
  const chainVector = readJson("vc-di-eddsa/proof-set-chain/signedProofChain2.json");

  it("the vc-di-eddsa set and chain: every signature holds, and the vectors' issuer controls none of the keys (purpose fails by design)", async () => {
    // Signatures are checked before purposes, so key-not-issuers means all four signatures, chained ones included, held.
    expect(await verifyDataIntegrity(setVector, { documentLoader: loader })).toMatchObject({ ok: false, reason: "key-not-issuers" });
    expect(await verifyDataIntegrity(chainVector, { documentLoader: loader })).toMatchObject({ ok: false, reason: "key-not-issuers" });
    const reversed = { ...chainVector, proof: [...chainVector.proof].reverse() };
    expect(await verifyDataIntegrity(reversed, { documentLoader: loader })).toMatchObject({ ok: false, reason: "key-not-issuers" });
    // The last proof's signature in the third one's place: that proof no longer verifies, whichever its position.
    const swapped = structuredClone(chainVector);
    swapped.proof[3].proofValue = swapped.proof[2].proofValue;
    expect(await verifyDataIntegrity(swapped, { documentLoader: loader })).toMatchObject({ ok: false, reason: "bad-signature" });
    // A chain with a link removed: the proof that named it cannot be verified.
    const broken = { ...chainVector, proof: chainVector.proof.filter((_: unknown, i: number) => i !== 2) };
    expect(await verifyDataIntegrity(broken, { documentLoader: loader })).toMatchObject({ ok: false, reason: "previous-proof-missing" });
  });

  /** A proof over `doc` with the `previous` proofs in it, as §4.3 adds a proof to a chain; computed here by hand. */
  async function addProof(doc: Record<string, any>, previous: Record<string, any>[], key: { vm: string; privateKey: CryptoKey }, created: string, extra: Record<string, unknown>) {
    const config = { ...proofConfiguration(key.vm, created), ...extra };
    const input = previous.length === 0 ? doc : { ...doc, proof: previous };
    const sha = async (t: string) => new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(t)));
    const data = new Uint8Array([...(await sha(await canonizeDocument({ "@context": doc["@context"], ...config }, loader))), ...(await sha(await canonizeDocument(input, loader)))]);
    return { ...config, proofValue: "z" + base58btc(new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, key.privateKey, data))) };
  }

  it("a set and a chain by the issuer's own key verify, every proof reported; forged, unlinked or mis-hashed proofs do not", async () => {
    const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const did = didKeyFor(new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey)));
    const key = { vm: `${did}#${did.slice("did:key:".length)}`, privateKey: pair.privateKey };
    const doc = { ...readJson("vc-di-eddsa/unsigned.json"), issuer: did };
    const p1 = await addProof(doc, [], key, "2026-01-01T10:00:00Z", { id: "urn:uuid:p1" });
    const p2 = await addProof(doc, [], key, "2026-01-02T10:00:00Z", { id: "urn:uuid:p2" });
    const p3 = await addProof(doc, [p1, p2], key, "2026-01-03T10:00:00Z", { previousProof: ["urn:uuid:p1", "urn:uuid:p2"] });
    const set = await verifyDataIntegrity({ ...doc, proof: [p1, p2] }, { documentLoader: loader });
    expect(set).toMatchObject({ ok: true, proofs: [{ verificationMethod: key.vm, created: "2026-01-01T10:00:00Z" }, { verificationMethod: key.vm, created: "2026-01-02T10:00:00Z" }] });
    expect(await verifyDataIntegrity({ ...doc, proof: [p1, p2, p3] }, { documentLoader: loader })).toMatchObject({ ok: true, proofs: [{}, {}, { created: "2026-01-03T10:00:00Z" }] });
    expect(await verifyDataIntegrity({ ...doc, proof: [p1, p3] }, { documentLoader: loader })).toMatchObject({ ok: false, reason: "previous-proof-missing" });
    // One good proof does not carry a forged one (the library's proof set verifier would accept this set).
    expect(await verifyDataIntegrity({ ...doc, proof: [p1, { ...p2, created: "2026-01-05T10:00:00Z" }] }, { documentLoader: loader })).toMatchObject({ ok: false, reason: "bad-signature" });
    // A proof that names previous proofs but was made over the document without them.
    const unchained = await addProof(doc, [], key, "2026-01-03T10:00:00Z", { previousProof: "urn:uuid:p1" });
    expect(await verifyDataIntegrity({ ...doc, proof: [p1, unchained] }, { documentLoader: loader })).toMatchObject({ ok: false, reason: "bad-signature" });
    // A set of another cryptosuite's proof and ours: every proof must be one that can be checked.
    expect(await verifyDataIntegrity({ ...doc, proof: [p1, { ...p2, cryptosuite: "ecdsa-rdfc-2019" }] }, { documentLoader: loader })).toMatchObject({ ok: false, reason: "unsupported-proof" });
    expect(await verifyDataIntegrity({ ...doc, proof: Array(9).fill(p1) }, { documentLoader: loader })).toMatchObject({ ok: false, reason: "unsupported-proof" });
  });
});
