/**
 * A Credo 0.6 holder agent (@credo-ts/core + @credo-ts/openid4vc) that runs in a vitest worker on Node without Askar:
 * Askar's Node binding downloads its native library from GitHub at install time, which this machine cannot reach, and
 * @credo-ts/node 0.6 (whose NodeKeyManagementService is node:crypto based) is published only as an alpha pinned to an
 * alpha core. So the agent gets the two things Askar would give it from here:
 *
 * - `MemoryStorageService`: Credo's `StorageService` over a Map per agent context (records kept as their JSON and tags,
 *   rebuilt with Credo's own `JsonTransformer`, so a record read back is what Credo would read from Askar);
 * - `NodeCryptoKms`: Credo's `Kms.KeyManagementService` over node:crypto for the keys a wallet of Senim needs, Ed25519
 *   (EdDSA) and P-256 (ES256): create, import, sign, verify, random bytes. No encryption (no JWE responses here).
 *
 * And one resolver: Senim under test serves its did:web documents (providers, bars) over http on 127.0.0.1, where
 * Credo's did:web resolver (web-did-resolver) always fetches https. `LoopbackWebDidResolver` reads the same
 * `/<path>/did.json` over http, and only for a loopback host; everything else about the document is Credo's.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, randomUUID, sign as nodeSign, verify as nodeVerify, type JsonWebKey as NodeJwk, type KeyObject } from "node:crypto";
import { EventEmitter } from "node:events";
import {
  Agent,
  CredoError,
  DidDocument,
  DidsModule,
  InjectionSymbols,
  JsonTransformer,
  JwkDidRegistrar,
  JwkDidResolver,
  KeyDidRegistrar,
  KeyDidResolver,
  Kms,
  RecordDuplicateError,
  RecordNotFoundError,
  StorageUpdateService,
  UpdateAssistant,
  type AgentContext,
  type AgentDependencies,
  type BaseRecord,
  type BaseRecordConstructor,
  type DependencyManager,
  type DidResolutionResult,
  type DidResolver,
  type FileSystem,
  type Module,
  type ParsedDid,
  type Query,
  type QueryOptions,
  type StorageService,
} from "@credo-ts/core";
import { OpenId4VcModule } from "@credo-ts/openid4vc";

interface StoredRecord {
  value: Record<string, unknown>;
  tags: Record<string, unknown>;
  type: string;
  id: string;
}

/** Credo's StorageService in memory, one Map per agent context. */
export class MemoryStorageService<T extends BaseRecord<any, any, any> = BaseRecord<any, any, any>> implements StorageService<T> {
  public readonly supportsCursorPagination = false;
  readonly #contexts = new Map<string, Map<string, StoredRecord>>();

  #records(agentContext: AgentContext): Map<string, StoredRecord> {
    let records = this.#contexts.get(agentContext.contextCorrelationId);
    if (!records) this.#contexts.set(agentContext.contextCorrelationId, (records = new Map()));
    return records;
  }

  #key(type: string, id: string): string {
    return `${type}:${id}`;
  }

  #instance(stored: StoredRecord, recordClass: BaseRecordConstructor<T>): T {
    const instance = JsonTransformer.fromJSON<T>(stored.value, recordClass as never);
    instance.id = stored.id;
    instance.replaceTags(stored.tags as never);
    return instance;
  }

  #stored(record: T): StoredRecord {
    const value = JsonTransformer.toJSON(record) as Record<string, unknown>;
    delete value._tags;
    return { value, tags: { ...record.getTags() }, type: record.type, id: record.id };
  }

  async save(agentContext: AgentContext, record: T): Promise<void> {
    const records = this.#records(agentContext);
    const key = this.#key(record.type, record.id);
    if (records.has(key)) throw new RecordDuplicateError(`Record with id ${record.id} already exists`, { recordType: record.type });
    record.updatedAt = new Date();
    records.set(key, this.#stored(record));
  }

  async update(agentContext: AgentContext, record: T): Promise<void> {
    const records = this.#records(agentContext);
    const key = this.#key(record.type, record.id);
    if (!records.has(key)) throw new RecordNotFoundError(`record with id ${record.id} not found.`, { recordType: record.type });
    record.updatedAt = new Date();
    records.set(key, this.#stored(record));
  }

  async delete(agentContext: AgentContext, record: T): Promise<void> {
    if (!this.#records(agentContext).delete(this.#key(record.type, record.id))) throw new RecordNotFoundError(`record with id ${record.id} not found.`, { recordType: record.type });
  }

  async deleteById(agentContext: AgentContext, recordClass: BaseRecordConstructor<T>, id: string): Promise<void> {
    if (!this.#records(agentContext).delete(this.#key(recordClass.type, id))) throw new RecordNotFoundError(`record with id ${id} not found.`, { recordType: recordClass.type });
  }

  async getById(agentContext: AgentContext, recordClass: BaseRecordConstructor<T>, id: string): Promise<T> {
    const stored = this.#records(agentContext).get(this.#key(recordClass.type, id));
    if (!stored) throw new RecordNotFoundError(`record with id ${id} not found.`, { recordType: recordClass.type });
    return this.#instance(stored, recordClass);
  }

  async getAll(agentContext: AgentContext, recordClass: BaseRecordConstructor<T>): Promise<T[]> {
    return [...this.#records(agentContext).values()].filter((r) => r.type === recordClass.type).map((r) => this.#instance(r, recordClass));
  }

  async findByQuery(agentContext: AgentContext, recordClass: BaseRecordConstructor<T>, query: Query<T>, options?: QueryOptions): Promise<T[]> {
    const found = [...this.#records(agentContext).values()].filter((r) => r.type === recordClass.type && matches(r.tags, query as QueryNode));
    const offset = options?.offset ?? 0;
    return found.slice(offset, options?.limit !== undefined ? offset + options.limit : undefined).map((r) => this.#instance(r, recordClass));
  }
}

type QueryNode = { $and?: QueryNode[]; $or?: QueryNode[]; $not?: QueryNode } & Record<string, unknown>;

/** Credo's tag query: equal values, an array tag containing every asked value, and $and / $or / $not. */
function matches(tags: Record<string, unknown>, query: QueryNode): boolean {
  for (const [key, wanted] of Object.entries(query)) {
    if (wanted === undefined) continue;
    if (key === "$and") {
      if (!(wanted as QueryNode[]).every((q) => matches(tags, q))) return false;
    } else if (key === "$or") {
      if (!(wanted as QueryNode[]).some((q) => matches(tags, q))) return false;
    } else if (key === "$not") {
      if (matches(tags, wanted as QueryNode)) return false;
    } else if (Array.isArray(wanted)) {
      const have = tags[key];
      if (!Array.isArray(have) || !wanted.every((v) => have.includes(v))) return false;
    } else if (tags[key] !== wanted && !(wanted === null && tags[key] === undefined)) {
      return false;
    }
  }
  return true;
}

const SIGNATURE_ALGORITHMS = new Set(["EdDSA", "Ed25519", "ES256"]);

function supportedKeyType(jwk: { kty?: string; crv?: string }): boolean {
  return (jwk.kty === "OKP" && jwk.crv === "Ed25519") || (jwk.kty === "EC" && jwk.crv === "P-256");
}

function publicPart(jwk: NodeJwk): Kms.KmsJwkPublic {
  const { kty, crv, x, y } = jwk as { kty: string; crv: string; x: string; y?: string };
  return (y === undefined ? { kty, crv, x } : { kty, crv, x, y }) as Kms.KmsJwkPublic;
}

function signWith(key: KeyObject, algorithm: string, data: Uint8Array): Buffer {
  return algorithm === "ES256" ? nodeSign("sha256", data, { key, dsaEncoding: "ieee-p1363" }) : nodeSign(null, data, key);
}

/** Credo's key management interface over node:crypto, for Ed25519 and P-256 keys held in memory. */
export class NodeCryptoKms implements Kms.KeyManagementService {
  public readonly backend = "node-crypto-test";
  readonly #keys = new Map<string, NodeJwk>();

  isOperationSupported(_agentContext: AgentContext, operation: Kms.KmsOperation): boolean {
    switch (operation.operation) {
      case "createKey":
        return supportedKeyType(operation.type as { kty: string; crv?: string });
      case "importKey":
        return supportedKeyType(operation.privateJwk as { kty: string; crv?: string });
      case "sign":
      case "verify":
        return SIGNATURE_ALGORITHMS.has(operation.algorithm);
      case "deleteKey":
      case "randomBytes":
        return true;
      default:
        return false;
    }
  }

  async getPublicKey(_agentContext: AgentContext, keyId: string): Promise<Kms.KmsJwkPublic | null> {
    const jwk = this.#keys.get(keyId);
    return jwk ? ({ ...publicPart(jwk), kid: keyId } as Kms.KmsJwkPublic) : null;
  }

  async createKey<Type extends Kms.KmsCreateKeyType>(_agentContext: AgentContext, options: Kms.KmsCreateKeyOptions<Type>): Promise<Kms.KmsCreateKeyReturn<Type>> {
    const type = options.type as { kty: string; crv?: string };
    if (!supportedKeyType(type)) throw new Kms.KeyManagementAlgorithmNotSupportedError(`key type ${type.kty} ${type.crv ?? ""}`, this.backend);
    const keyId = options.keyId ?? randomUUID();
    if (this.#keys.has(keyId)) throw new Kms.KeyManagementKeyExistsError(keyId, this.backend);
    const pair = type.kty === "OKP" ? generateKeyPairSync("ed25519") : generateKeyPairSync("ec", { namedCurve: "P-256" });
    this.#keys.set(keyId, pair.privateKey.export({ format: "jwk" }));
    return { keyId, publicJwk: { ...publicPart(this.#keys.get(keyId)!), kid: keyId } } as unknown as Kms.KmsCreateKeyReturn<Type>;
  }

  async importKey<Jwk extends Kms.KmsJwkPrivate>(_agentContext: AgentContext, options: Kms.KmsImportKeyOptions<Jwk>): Promise<Kms.KmsImportKeyReturn<Jwk>> {
    const jwk = options.privateJwk as unknown as NodeJwk & { kid?: string };
    if (!supportedKeyType(jwk as { kty: string; crv?: string })) throw new Kms.KeyManagementAlgorithmNotSupportedError(`key type ${jwk.kty} ${jwk.crv ?? ""}`, this.backend);
    const keyId = jwk.kid ?? randomUUID();
    if (this.#keys.has(keyId)) throw new Kms.KeyManagementKeyExistsError(keyId, this.backend);
    createPrivateKey({ key: jwk, format: "jwk" }); // refuses a malformed key now rather than at the first signature
    this.#keys.set(keyId, jwk);
    return { keyId, publicJwk: { ...publicPart(jwk), kid: keyId } } as unknown as Kms.KmsImportKeyReturn<Jwk>;
  }

  async deleteKey(_agentContext: AgentContext, options: Kms.KmsDeleteKeyOptions): Promise<boolean> {
    return this.#keys.delete(options.keyId);
  }

  async sign(_agentContext: AgentContext, options: Kms.KmsSignOptions): Promise<Kms.KmsSignReturn> {
    const jwk = this.#keys.get(options.keyId);
    if (!jwk) throw new Kms.KeyManagementKeyNotFoundError(options.keyId, [this.backend]);
    const signature = signWith(createPrivateKey({ key: jwk, format: "jwk" }), options.algorithm, options.data);
    return { signature: new Uint8Array(signature) as Kms.KmsSignReturn["signature"] };
  }

  async verify(_agentContext: AgentContext, options: Kms.KmsVerifyOptions): Promise<Kms.KmsVerifyReturn> {
    const held = "keyId" in options.key && options.key.keyId !== undefined ? this.#keys.get(options.key.keyId) : undefined;
    const jwk = held ? publicPart(held) : (options.key.publicJwk as Kms.KmsJwkPublic | undefined);
    if (!jwk || !supportedKeyType(jwk as { kty: string; crv?: string })) return { verified: false };
    const key = createPublicKey({ key: publicPart(jwk as NodeJwk) as NodeJwk, format: "jwk" });
    const ok =
      options.algorithm === "ES256"
        ? nodeVerify("sha256", options.data, { key, dsaEncoding: "ieee-p1363" }, options.signature)
        : nodeVerify(null, options.data, key, options.signature);
    return ok ? { verified: true, publicJwk: jwk } : { verified: false };
  }

  async encrypt(): Promise<Kms.KmsEncryptReturn> {
    throw new Kms.KeyManagementAlgorithmNotSupportedError("encryption", this.backend);
  }

  async decrypt(): Promise<Kms.KmsDecryptReturn> {
    throw new Kms.KeyManagementAlgorithmNotSupportedError("decryption", this.backend);
  }

  randomBytes(_agentContext: AgentContext, options: Kms.KmsRandomBytesOptions): Kms.KmsRandomBytesReturn {
    return new Uint8Array(randomBytes(options.length));
  }
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * did:web on a loopback host, read over http (the test server has no TLS); any other did:web is left unresolved, so
 * the test cannot reach out. The path mapping is the did:web method's: `did:web:host%3Aport:a:b` → `/a/b/did.json`.
 */
export class LoopbackWebDidResolver implements DidResolver {
  public readonly supportedMethods = ["web"];
  public readonly allowsCaching = false;
  public readonly allowsLocalDidRecord = false;

  async resolve(_agentContext: AgentContext, did: string, parsed: ParsedDid): Promise<DidResolutionResult> {
    const [host, ...path] = parsed.id.split(":").map(decodeURIComponent);
    const hostname = host!.replace(/:\d+$/, "");
    if (!LOOPBACK.has(hostname)) return { didDocument: null, didDocumentMetadata: {}, didResolutionMetadata: { error: "notFound", message: `not a loopback did:web: ${did}` } };
    const url = `http://${host}/${path.length ? path.join("/") : ".well-known"}/did.json`;
    const res = await fetch(url);
    if (!res.ok) return { didDocument: null, didDocumentMetadata: {}, didResolutionMetadata: { error: "notFound", message: `${url}: HTTP ${res.status}` } };
    return { didDocument: JsonTransformer.fromJSON(await res.json(), DidDocument), didDocumentMetadata: {}, didResolutionMetadata: { contentType: "application/did+json" } };
  }
}

/**
 * Registers the in-memory storage: the role Askar's storage plays in a real wallet. A new storage is at the current
 * framework storage version (as Askar marks a wallet it creates); without that record Credo takes an empty store for
 * a 0.1 wallet that needs migrating and refuses to start.
 */
class MemoryStorageModule implements Module {
  readonly #storage = new MemoryStorageService();
  register(dependencyManager: DependencyManager): void {
    dependencyManager.registerInstance(InjectionSymbols.StorageService, this.#storage);
  }
  async initialize(agentContext: AgentContext): Promise<void> {
    const updates = agentContext.dependencyManager.resolve(StorageUpdateService);
    if (!(await updates.hasStorageVersionRecord(agentContext))) await updates.setCurrentStorageVersion(agentContext, UpdateAssistant.frameworkStorageVersion);
  }
}

/** Nothing here writes files: storage and keys are in memory. Any use of the file system fails loudly. */
class NoFileSystem implements FileSystem {
  readonly dataPath = "/nonexistent/credo/data";
  readonly cachePath = "/nonexistent/credo/cache";
  readonly tempPath = "/nonexistent/credo/tmp";
  #refuse(): never {
    throw new CredoError("the test agent has no file system");
  }
  async exists(): Promise<boolean> {
    return false;
  }
  async createDirectory(): Promise<void> {
    this.#refuse();
  }
  async copyFile(): Promise<void> {
    this.#refuse();
  }
  async write(): Promise<void> {
    this.#refuse();
  }
  async read(): Promise<string> {
    this.#refuse();
  }
  async delete(): Promise<void> {
    this.#refuse();
  }
  async downloadToFile(): Promise<void> {
    this.#refuse();
  }
}

const dependencies: AgentDependencies = {
  FileSystem: NoFileSystem,
  EventEmitterClass: EventEmitter as unknown as AgentDependencies["EventEmitterClass"],
  fetch: (input, init) => fetch(input, init),
  // DIDComm's transport; OpenID4VC over HTTP never opens one.
  WebSocketClass: class {} as unknown as AgentDependencies["WebSocketClass"],
};

function modules() {
  return {
    storage: new MemoryStorageModule(),
    kms: new Kms.KeyManagementModule({ backends: [new NodeCryptoKms()] }),
    dids: new DidsModule({ resolvers: [new KeyDidResolver(), new JwkDidResolver(), new LoopbackWebDidResolver()], registrars: [new KeyDidRegistrar(), new JwkDidRegistrar()] }),
    openid4vc: new OpenId4VcModule(),
  };
}

export type CredoHolder = Agent<ReturnType<typeof modules>>;

/**
 * A fresh, initialised Credo holder. `allowInsecureHttpUrls`: the Senim under test is `http://127.0.0.1:<port>`
 * (a real wallet meets it over https); Credo otherwise refuses the issuer's and the verifier's http URLs.
 */
export async function newCredoHolder(): Promise<CredoHolder> {
  const agent = new Agent({ config: { allowInsecureHttpUrls: true }, dependencies, modules: modules() });
  await agent.initialize();
  return agent;
}
