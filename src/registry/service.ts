/**
 * The registry of who may issue (3.1.5, 4.1.4, 8.3, 9): parties, their signing keys, accreditation decisions,
 * violations and withdrawals, and the API keys that stand for bars and providers.
 */
import {
  ACCREDITATION_DETAIL_TEMPLATES,
  assertAccreditationDecision,
  assertWithdrawalAllowed,
  coverage,
  withdrawalDue,
  type Accreditation,
  type CriterionEvidence,
} from "../domain/accreditation.js";
import {
  assertMayAccredit,
  assertMayActOnAccreditation,
  assertMayManageApiKey,
  assertMayManagePartyKeys,
  assertMayRegisterParty,
  assertMayUpdatePartyDetails,
  describePrincipal,
  mayManageApiKey,
  type ApiKeyRef,
  type Principal,
} from "../domain/authz.js";
import { RBA_ID, type Form, type PartyKind, type Programme, type Role, type WithdrawalGround } from "../domain/catalog.js";
import { keyedError } from "../domain/errors.js";
import { fieldProblem } from "../domain/field-problems.js";
import { audited } from "../lib/audit-chain.js";
import { retirementInstant, signingKeyAt } from "../domain/keys.js";
import { requireInstant, toInstant } from "../domain/time.js";
import { isWebsiteUrl } from "../domain/website.js";
import type { Signer } from "../credentials/jwt.js";
import type { ResolvedKey } from "../credentials/verify.js";
import { TtlCache } from "../lib/cache.js";
import { newId, newToken, sha256Hex } from "../lib/ids.js";
import { didWebFor, partyIdFromDid } from "./did.js";
import { MULTIKEY_CONTEXT } from "../credentials/contexts.js";
import { didKeyFor, ed25519FromMultibase, ed25519Multibase, JWK_METHOD_CONTEXT, jwkFromEd25519, jwkVerificationMethod, resolveDidKey } from "../credentials/multikey.js";
import { fromBase64url } from "../lib/ids.js";
import { importPublicKey, type Keyring } from "./keyring.js";
import type { ApiKey, Bar, Party, PartyDetails, PartyKey, RegistryStore, Violation, Vocabulary } from "./model.js";
import { REGISTRY_DETAIL_TEMPLATES } from "./details.js";

export interface Clock {
  now(): string;
}

export const systemClock: Clock = { now: () => toInstant(Date.now()) };

export interface RegistryDeps {
  store: RegistryStore;
  keyring: Keyring;
  publicUrl: string;
  clock: Clock;
  /** SHA-256 of `SENIM_ADMIN_TOKEN`, when set. */
  adminTokenHash?: string;
}

export interface NewParty {
  kind: PartyKind;
  name: string;
  barId: string;
  website?: string | null;
  /** 8.3: where the party trains. */
  city?: string | null;
  address?: string | null;
  /**
   * How the party is identified. Default `did:web` under this service with a key the service holds. `did:key` with
   * `publicKeyMultibase`: an external key the party holds itself (the registry stores only the public key and its
   * validity window; the service cannot sign for it). `did:key` without: a key the service holds, named as did:key.
   */
  identifier?: { method: "did:key"; publicKeyMultibase?: string; validFrom?: string; validUntil?: string | null } | null;
}

export interface NewAccreditation {
  barId: string;
  decisionNumber: string;
  decisionDate: string;
  criteria: CriterionEvidence[];
  programmes?: Programme[] | null;
  forms?: Form[] | null;
  validFrom: string;
  validUntil?: string | null;
}

export interface NewWithdrawal {
  ground: WithdrawalGround;
  decisionNumber: string;
  decisionDate: string;
  effectiveFrom?: string;
  reason: string;
}

const CACHE_TTL_MS = 30_000;

/** Suffix of the Multikey verification method that publishes a did:web key a second time. */
export const MULTIKEY_SUFFIX = "-multikey";

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

/** The one key of a did:key party: external (public key only) or generated and held by the service. */
async function didKeyPartyKey(
  keyring: Keyring,
  input: { publicKeyMultibase?: string; validFrom?: string; validUntil?: string | null },
  now: string,
): Promise<{ did: string; row: Omit<PartyKey, "partyId"> & { partyId: string } }> {
  const validFrom = input.validFrom ? requireInstant(input.validFrom, "identifier.validFrom") : now;
  const validUntil = input.validUntil ? requireInstant(input.validUntil, "identifier.validUntil") : null;
  if (validUntil !== null && Date.parse(validUntil) <= Date.parse(validFrom)) throw keyedError("invalid_request", REGISTRY_DETAIL_TEMPLATES, "registry-identifier-valid-until");
  if (input.publicKeyMultibase !== undefined) {
    const raw = ed25519FromMultibase(input.publicKeyMultibase);
    if (!raw) throw keyedError("invalid_request", REGISTRY_DETAIL_TEMPLATES, "registry-identifier-multikey");
    const did = didKeyFor(raw);
    return { did, row: { id: `${did}#${input.publicKeyMultibase}`, partyId: "", publicJwk: jwkFromEd25519(raw), privateKeyEnc: null, validFrom, validUntil } };
  }
  const generated = await keyring.generateNamed((jwk) => {
    const raw = fromBase64url(jwk.x);
    return `${didKeyFor(raw)}#${ed25519Multibase(raw)}`;
  });
  return { did: generated.keyId.split("#")[0]!, row: { id: generated.keyId, partyId: "", publicJwk: generated.publicJwk, privateKeyEnc: generated.privateKeyEnc, validFrom, validUntil } };
}

export class RegistryService {
  private readonly keys = new TtlCache<ResolvedKey | null>(CACHE_TTL_MS);
  private readonly accreditationsByDid = new TtlCache<Accreditation[] | null>(CACHE_TTL_MS);
  private readonly namesByDid = new TtlCache<string | null>(CACHE_TTL_MS);
  private barsCache: Promise<Bar[]> | undefined;
  private vocabularyCache: Promise<Vocabulary> | undefined;

  constructor(private readonly deps: RegistryDeps) {}

  get publicUrl(): string {
    return this.deps.publicUrl;
  }

  now(): string {
    return this.deps.clock.now();
  }

  // ---- readiness (issue 17) -------------------------------------------------------------------------------------

  /**
   * What `GET /readyz` reports: the database answers a read of the registry now (never from a cache), and the
   * registry holds the seeded bars (an empty one means migrations or the seed did not run). Each failure is named,
   * with the driver's message cut short: it goes to an operator, and names no secret (URLs are never in it).
   */
  async readiness(): Promise<{ check: "database" | "registry"; ok: boolean; detail: string }[]> {
    let bars: Bar[];
    try {
      bars = await this.deps.store.listBars();
    } catch (err) {
      const message = err instanceof Error ? err.message.replace(/\w+:\/\/\S+/g, "<url>").slice(0, 200) : "unknown error";
      return [{ check: "database", ok: false, detail: `The database did not answer: ${message}` }];
    }
    return [
      { check: "database", ok: true, detail: "The database answers." },
      bars.length > 0 ? { check: "registry", ok: true, detail: `${bars.length} bars in the registry.` } : { check: "registry", ok: false, detail: "The registry holds no bars: the migrations have not been applied." },
    ];
  }

  // ---- reference data -------------------------------------------------------------------------------------------

  bars(): Promise<Bar[]> {
    return (this.barsCache ??= this.deps.store.listBars());
  }

  async bar(id: string): Promise<Bar | undefined> {
    return (await this.bars()).find((b) => b.id === id);
  }

  async requireBar(id: string): Promise<Bar> {
    const bar = await this.bar(id);
    if (!bar) throw keyedError("invalid_request", REGISTRY_DETAIL_TEMPLATES, "registry-bar-unknown", { id: JSON.stringify(id) }, { problems: [fieldProblem("barId", "bar-id-unknown")] });
    return bar;
  }

  vocabulary(): Promise<Vocabulary> {
    return (this.vocabularyCache ??= this.deps.store.vocabulary());
  }

  barUrl(barId: string): string {
    return `${this.deps.publicUrl}/registry/${barId}`;
  }

  // ---- API keys -------------------------------------------------------------------------------------------------

  /**
   * Which SENIM_ADMIN_TOKEN is configured, as a digest of its hash (undefined without one): the token has no api_keys
   * row to revoke, so what was opened with it (a console session) records this and lapses when the token is replaced.
   */
  async adminTokenFingerprint(): Promise<string | undefined> {
    return this.deps.adminTokenHash && (await sha256Hex(`senim-admin-token:${this.deps.adminTokenHash}`)).slice(0, 32);
  }

  async authenticate(token: string): Promise<Principal | undefined> {
    if (!/^[\x21-\x7e]{16,200}$/.test(token)) return undefined;
    const hash = await sha256Hex(token);
    // Compare hashes, not tokens: equal-length digests, and the admin token itself is never kept in memory.
    if (this.deps.adminTokenHash && hash === this.deps.adminTokenHash) return { role: "rba-admin", keyId: "env" };
    const key = await this.deps.store.findApiKeyByHash(hash);
    if (!key || key.revokedAt) return undefined;
    if (key.role === "rba-admin") return { role: "rba-admin", keyId: key.id };
    if (key.role === "bar-admin" && key.barId) return { role: "bar-admin", keyId: key.id, barId: key.barId };
    if (key.role === "provider" && key.partyId) return { role: "provider", keyId: key.id, partyId: key.partyId };
    return undefined;
  }

  /**
   * Issue 18: the provider a stored API key stands for, while it stands (not revoked, still the party's): work
   * continued in a later invocation acts with the rights its requester has then, not with those it had.
   */
  async principalOfProviderKey(keyId: string, partyId: string): Promise<Principal | undefined> {
    const key = await this.deps.store.getApiKey(keyId);
    if (!key || key.revokedAt || key.role !== "provider" || key.partyId !== partyId) return undefined;
    return { role: "provider", keyId: key.id, partyId };
  }

  /**
   * Issues an API key; the token is returned once and only its hash is stored. Who may is domain/authz.ts
   * `mayManageApiKey`: the RBA's admin any key; a bar's admin, keys for its bar and for the parties it registered
   * (not those it only accredited); a provider, more keys for itself.
   */
  async createApiKey(
    principal: Principal,
    input: { role: Role; barId?: string | null; partyId?: string | null; label: string },
  ): Promise<{ apiKey: ApiKey; token: string }> {
    const key: ApiKey = { id: newId(12), role: input.role, barId: null, partyId: null, label: input.label, createdAt: this.now(), revokedAt: null };
    let party: Party | undefined;
    if (input.role === "bar-admin") {
      if (!input.barId) throw keyedError("invalid_request", REGISTRY_DETAIL_TEMPLATES, "registry-bar-admin-key-needs-bar", undefined, { problems: [{ path: "barId", message: "required", code: "value-required" }] });
      await this.requireBar(input.barId);
      key.barId = input.barId;
    } else if (input.role === "provider") {
      if (!input.partyId) throw keyedError("invalid_request", REGISTRY_DETAIL_TEMPLATES, "registry-provider-key-needs-party", undefined, { problems: [{ path: "partyId", message: "required", code: "value-required" }] });
      party = await this.requireParty(input.partyId);
      key.partyId = party.id;
    }
    assertMayManageApiKey(principal, key, party);
    const token = newToken();
    // Audited without the token or its hash: what the key is, not what opens it.
    const audit = await audited({ at: key.createdAt, principal, action: "api-key.created", barId: key.barId ?? party?.barId ?? null, subjects: [key.id], content: key });
    await this.deps.store.insertApiKey(key, await sha256Hex(token), { createdAt: key.createdAt, createdBy: describePrincipal(principal) }, audit);
    return { apiKey: key, token };
  }

  /** The keys the caller could have created (never their tokens: only hashes are stored). */
  async listApiKeys(principal: Principal): Promise<ApiKey[]> {
    const visible: ApiKey[] = [];
    const parties = new Map<string, Promise<Party | undefined>>(); // one registry read per party, however many keys it has
    for (const key of await this.deps.store.listApiKeys()) {
      const party = key.partyId ? (parties.get(key.partyId) ?? parties.set(key.partyId, this.deps.store.getParty(key.partyId)).get(key.partyId)!) : undefined;
      if (mayManageApiKey(principal, key, await party)) visible.push(key);
    }
    return visible;
  }

  /**
   * Revokes a key at once (a leaked token stops working); the same roles that may create it may revoke it. Anyone
   * else is told why (403) rather than "no such key": ids are random and listed only to those who may manage them,
   * so whoever holds one learns nothing new, and a bar that tries is told whose key it is and who administers it.
   */
  async revokeApiKey(principal: Principal, id: string): Promise<ApiKey> {
    const key = await this.deps.store.getApiKey(id);
    if (!key) throw keyedError("not_found", REGISTRY_DETAIL_TEMPLATES, "registry-api-key-unknown", { id: JSON.stringify(id) });
    const party = await this.partyOfKey(key);
    assertMayManageApiKey(principal, key, party);
    if (key.revokedAt) throw keyedError("conflict", REGISTRY_DETAIL_TEMPLATES, "registry-api-key-revoked");
    const at = this.now();
    const audit = await audited({ at, principal, action: "api-key.revoked", barId: key.barId ?? party?.barId ?? null, subjects: [key.id], content: { id: key.id, revokedAt: at } });
    if (!(await this.deps.store.revokeApiKey(key.id, at, audit))) throw keyedError("conflict", REGISTRY_DETAIL_TEMPLATES, "registry-api-key-revoked");
    return (await this.deps.store.getApiKey(key.id))!;
  }

  /** The party a provider key stands for (the rules need the bar that registered it). */
  private async partyOfKey(key: ApiKeyRef): Promise<Party | undefined> {
    return key.role === "provider" && key.partyId ? this.deps.store.getParty(key.partyId) : undefined;
  }

  // ---- parties and keys -----------------------------------------------------------------------------------------

  async createParty(principal: Principal, input: NewParty): Promise<{ party: Party; keys: PartyKey[] }> {
    const details = partyDetails(input);
    await this.requireBar(input.barId);
    assertMayRegisterParty(principal, input.barId);
    const id = newId(16);
    const now = this.now();
    if (input.identifier?.method === "did:key") {
      const key = await didKeyPartyKey(this.deps.keyring, input.identifier, now);
      if (await this.deps.store.getPartyByDid(key.did)) throw keyedError("conflict", REGISTRY_DETAIL_TEMPLATES, "registry-did-key-registered");
      const party: Party = { id, kind: input.kind, barId: input.barId, did: key.did, ...details, createdAt: now };
      const row: PartyKey = { ...key.row, partyId: id };
      await this.deps.store.insertParty(party, row, await partyAudit(principal, party, row));
      this.namesByDid.delete(key.did); // a lookup before it registered found no one
      return { party, keys: [row] };
    }
    const did = didWebFor(this.deps.publicUrl, "parties", id);
    const party: Party = { id, kind: input.kind, barId: input.barId, did, ...details, createdAt: now };
    const key = await this.newKey(party, now);
    await this.deps.store.insertParty(party, key, await partyAudit(principal, party, key));
    return { party, keys: [key] };
  }

  /** 8.3: the registering bar (or the RBA) corrects a party's name, website, city and address. */
  async updatePartyDetails(principal: Principal, partyId: string, input: Partial<PartyDetails>): Promise<Party> {
    const current = await this.requireParty(partyId);
    assertMayUpdatePartyDetails(principal, current);
    const details = partyDetails({ ...current, ...input });
    const audit = await audited({ at: this.now(), principal, action: "party.details.corrected", barId: current.barId, subjects: [partyId], content: { partyId, ...details } });
    const updated = await this.deps.store.updatePartyDetails(partyId, details, audit);
    if (!updated) throw keyedError("not_found", REGISTRY_DETAIL_TEMPLATES, "registry-party-unknown", { id: JSON.stringify(partyId) });
    this.namesByDid.delete(updated.did);
    return updated;
  }

  async getParty(id: string): Promise<Party | undefined> {
    return this.deps.store.getParty(id);
  }

  async requireParty(id: string): Promise<Party> {
    const party = await this.deps.store.getParty(id);
    if (!party) throw keyedError("not_found", REGISTRY_DETAIL_TEMPLATES, "registry-party-unknown", { id: JSON.stringify(id) });
    return party;
  }

  /** Every registered party (the bars' consoles choose whom to accredit from it). */
  listParties(): Promise<Party[]> {
    return this.deps.store.listParties();
  }

  listKeys(partyId: string): Promise<PartyKey[]> {
    return this.deps.store.listKeys(partyId);
  }

  /** A new key becomes active now; the old one is retired with `validUntil` = now and keeps verifying what it signed. */
  async rotateKey(principal: Principal, partyId: string): Promise<{ active: PartyKey; keys: PartyKey[] }> {
    const party = await this.requireParty(partyId);
    assertMayManagePartyKeys(principal, party);
    // A did:key names exactly one key: a new key is a new identifier, so a new party registration.
    if (party.did.startsWith("did:key:")) throw keyedError("rule_violated", REGISTRY_DETAIL_TEMPLATES, "registry-did-key-no-rotation");
    const now = this.now();
    const next = await this.newKey(party, now);
    const retiredAt = retirementInstant(now);
    const audit = await audited({ at: now, principal, action: "party.key.rotated", barId: party.barId, subjects: [party.id, next.id], content: { partyId: party.id, retiredAt, next: publicKeyOf(next) } });
    await this.deps.store.rotateKey(party.id, retiredAt, next, audit);
    this.keys.clear();
    return { active: next, keys: await this.deps.store.listKeys(party.id) };
  }

  private async newKey(party: Party, validFrom: string): Promise<PartyKey> {
    const id = `${party.did}#key-${newId(10)}`;
    const generated = await this.deps.keyring.generate(id);
    return { id, partyId: party.id, publicJwk: generated.publicJwk, privateKeyEnc: generated.privateKeyEnc, validFrom, validUntil: null };
  }

  /** The key that signs for `partyId` at `at`, or a refusal when it has none (every key retired). */
  async signerFor(partyId: string, at: string): Promise<Signer & { keyId: string }> {
    const keys = await this.deps.store.listKeys(partyId);
    const active = signingKeyAt(keys.filter((k) => k.privateKeyEnc !== null), at);
    if (!active) throw keyedError("no_active_key", REGISTRY_DETAIL_TEMPLATES, "registry-no-active-key");
    return { kid: active.id, keyId: active.id, privateKey: await this.deps.keyring.signingKey(active.id, active.privateKeyEnc!) };
  }

  /** For verifiers: the key behind a `kid`, with its validity window and controller. */
  async resolveKey(kid: string): Promise<ResolvedKey | undefined> {
    const cached = this.keys.get(kid);
    if (cached !== undefined) return cached ?? undefined;
    // The Multikey method of a did:web key is the same key under a second id (see didDocument).
    const row = await this.deps.store.getKey(kid.endsWith(MULTIKEY_SUFFIX) ? kid.slice(0, -MULTIKEY_SUFFIX.length) : kid);
    let resolved: ResolvedKey | null = null;
    if (row) {
      const party = await this.deps.store.getParty(row.partyId);
      if (party) {
        resolved = { kid, controller: party.did, publicKey: await importPublicKey(row.id, row.publicJwk), validFrom: row.validFrom, validUntil: row.validUntil };
      }
    }
    this.keys.set(kid, resolved);
    return resolved ?? undefined;
  }

  /**
   * JWT VC Issuer Metadata (SD-JWT VC §5) of a did:web party, for verifiers that resolve HTTPS issuers rather than
   * DIDs: the same keys as its DID document (retired ones too), as a JWK Set whose `kid`s are the DID URLs an SD-JWT
   * VC's header names, under `issuer` = the HTTPS URL the did:web stands for (did:web §3.2). A party whose DID is a
   * did:key has no HTTPS identity here.
   */
  async jwtVcIssuerMetadata(partyId: string): Promise<Record<string, unknown> | undefined> {
    const party = await this.deps.store.getParty(partyId);
    if (!party || !party.did.startsWith("did:web:")) return undefined;
    const keys = await this.deps.store.listKeys(party.id);
    return { issuer: `${this.deps.publicUrl}/parties/${party.id}`, jwks: { keys: keys.map((k) => ({ ...k.publicJwk, alg: "EdDSA", use: "sig", kid: k.id })) } };
  }

  async didDocument(partyId: string): Promise<Record<string, unknown> | undefined> {
    const party = await this.deps.store.getParty(partyId);
    if (!party) return undefined;
    const keys = await this.deps.store.listKeys(party.id);
    if (party.did.startsWith("did:key:")) return resolveDidKey(party.did);
    // Retired keys stay listed: credentials they signed while active must keep verifying. Each key is published
    // twice: as a JWK (the vc+jwt `kid`) and as Multikey (the Data Integrity `verificationMethod`).
    const methods = keys.flatMap((k) => [
      jwkVerificationMethod(k.id, party.did, { ...k.publicJwk, alg: "EdDSA" }),
      { id: k.id + MULTIKEY_SUFFIX, type: "Multikey", controller: party.did, publicKeyMultibase: ed25519Multibase(fromBase64url(k.publicJwk.x)) },
    ]);
    const active = keys.filter((k) => k.validUntil === null).flatMap((k) => [k.id, k.id + MULTIKEY_SUFFIX]);
    return {
      "@context": ["https://www.w3.org/ns/did/v1", JWK_METHOD_CONTEXT, MULTIKEY_CONTEXT],
      id: party.did,
      alsoKnownAs: [`${this.deps.publicUrl}/registry#${party.id}`],
      verificationMethod: methods,
      assertionMethod: methods.map((m) => m.id),
      authentication: active,
    };
  }

  /** The Data Integrity `verificationMethod` for a key: its Multikey id (did:web) or the did:key method itself. */
  dataIntegrityMethod(keyId: string): string {
    return keyId.startsWith("did:key:") ? keyId : keyId + MULTIKEY_SUFFIX;
  }

  /** The private key of `keyId`, for adding a Data Integrity proof to what that key already signed as vc+jwt. */
  async signingKeyOf(keyId: string): Promise<CryptoKey | undefined> {
    const row = await this.deps.store.getKey(keyId);
    return row?.privateKeyEnc ? this.deps.keyring.signingKey(row.id, row.privateKeyEnc) : undefined;
  }

  /**
   * Offline DID resolution for the document loader: did:key from the identifier itself; this service's did:web
   * parties from the registry. A DID URL with a fragment resolves to that verification method. `undefined` otherwise.
   */
  async resolveDidUrl(didUrl: string): Promise<Record<string, unknown> | undefined> {
    if (didUrl.length > 600) return undefined;
    if (didUrl.startsWith("did:key:")) return resolveDidKey(didUrl);
    const [did, fragment] = splitOnce(didUrl, "#");
    const partyId = partyIdFromDid(this.deps.publicUrl, did);
    if (!partyId) return undefined;
    const doc = await this.didDocument(partyId);
    if (!doc || fragment === undefined) return doc;
    const vm = (doc.verificationMethod as Record<string, unknown>[]).find((m) => m.id === didUrl);
    return vm && (vm.type === "Multikey" ? { "@context": MULTIKEY_CONTEXT, ...vm } : vm);
  }

  // ---- accreditation (9) ----------------------------------------------------------------------------------------

  async accredit(principal: Principal, partyId: string, input: NewAccreditation): Promise<Accreditation> {
    const party = await this.requireParty(partyId);
    await this.requireBar(input.barId);
    assertMayAccredit(principal, input.barId);
    const validFrom = requireInstant(input.validFrom, "validFrom");
    const validUntil = input.validUntil ? requireInstant(input.validUntil, "validUntil") : null;
    requireInstant(input.decisionDate, "decisionDate");
    const a: Accreditation = {
      id: newId(16),
      partyId: party.id,
      barId: input.barId,
      decisionNumber: input.decisionNumber.trim(),
      decisionDate: input.decisionDate,
      criteria: input.criteria.map((c) => ({ criterion: c.criterion, evidence: c.evidence.trim() })),
      programmes: input.programmes?.length ? [...new Set(input.programmes)] : null,
      forms: input.forms?.length ? [...new Set(input.forms)] : null,
      validFrom,
      validUntil,
      withdrawal: null,
      violationCount: 0,
    };
    assertAccreditationDecision({ ...a, partyKind: party.kind });
    const recordedAt = this.now();
    const audit = await audited({ at: recordedAt, principal, action: "accreditation.recorded", barId: a.barId, subjects: [a.id, party.id], content: a });
    await this.deps.store.insertAccreditation(a, { recordedAt, recordedBy: describePrincipal(principal) }, audit);
    this.accreditationsByDid.clear();
    return a;
  }

  async requireAccreditation(id: string): Promise<Accreditation> {
    const a = await this.deps.store.getAccreditation(id);
    if (!a) throw keyedError("not_found", REGISTRY_DETAIL_TEMPLATES, "registry-accreditation-unknown", { id: JSON.stringify(id) });
    return a;
  }

  async recordViolation(principal: Principal, accreditationId: string, input: { occurredOn: string; description: string }): Promise<{ violation: Violation; accreditation: Accreditation }> {
    const a = await this.requireAccreditation(accreditationId);
    assertMayActOnAccreditation(principal, a, "record a violation against");
    requireInstant(input.occurredOn, "occurredOn");
    const v: Violation = { id: newId(16), accreditationId: a.id, occurredOn: input.occurredOn, description: input.description.trim(), recordedAt: this.now() };
    const audit = await audited({ at: v.recordedAt, principal, action: "accreditation.violation", barId: a.barId, subjects: [v.id, a.id], content: v });
    await this.deps.store.insertViolation(v, describePrincipal(principal), audit);
    return { violation: v, accreditation: await this.requireAccreditation(a.id) };
  }

  listViolations(accreditationId: string): Promise<Violation[]> {
    return this.deps.store.listViolations(accreditationId);
  }

  /** 9.2: withdrawal is a decision with a ground; `repeated-violations` needs two or more recorded violations. */
  async withdraw(principal: Principal, accreditationId: string, input: NewWithdrawal): Promise<Accreditation> {
    const a = await this.requireAccreditation(accreditationId);
    assertMayActOnAccreditation(principal, a, "withdraw");
    assertWithdrawalAllowed(a, input.ground);
    const decisionInstant = requireInstant(input.decisionDate, "decisionDate");
    const effectiveFrom = input.effectiveFrom ? requireInstant(input.effectiveFrom, "effectiveFrom") : decisionInstant;
    const withdrawal = { ground: input.ground, decisionNumber: input.decisionNumber.trim(), decisionDate: input.decisionDate, effectiveFrom, reason: input.reason.trim() };
    const recordedAt = this.now();
    const audit = await audited({ at: recordedAt, principal, action: "accreditation.withdrawn", barId: a.barId, subjects: [a.id], content: { accreditationId: a.id, ...withdrawal } });
    const inserted = await this.deps.store.insertWithdrawal(a.id, withdrawal, { recordedAt, recordedBy: describePrincipal(principal) }, audit);
    if (!inserted) throw keyedError("already_withdrawn", ACCREDITATION_DETAIL_TEMPLATES, "accreditation-already-withdrawn");
    this.accreditationsByDid.clear();
    return this.requireAccreditation(a.id);
  }

  listAccreditations(partyId?: string): Promise<Accreditation[]> {
    return this.deps.store.listAccreditations(partyId);
  }

  /** For verifiers: the organiser's name in the registry entry of this DID (`undefined` if the registry does not know it). */
  async registeredNameOf(did: string): Promise<string | undefined> {
    const cached = this.namesByDid.get(did);
    if (cached !== undefined) return cached ?? undefined;
    const name = (await this.deps.store.getPartyByDid(did))?.name ?? null;
    this.namesByDid.set(did, name);
    return name ?? undefined;
  }

  /** For verifiers: the accreditation history of an issuer DID; `undefined` if the registry does not know it. */
  async accreditationsOf(did: string): Promise<Accreditation[] | undefined> {
    const cached = this.accreditationsByDid.get(did);
    if (cached !== undefined) return cached ?? undefined;
    const party = await this.deps.store.getPartyByDid(did);
    const list = party ? await this.deps.store.listAccreditations(party.id) : null;
    this.accreditationsByDid.set(did, list);
    return list ?? undefined;
  }

  /**
   * Issue 17: what a verifier needs to check a certificate without this service — every bar, and every party with its
   * DID, its keys (retired ones with their windows) and its accreditations (scope, dates, withdrawal); nothing
   * personal (no evidence, no API keys). src/registry/trust-list.ts signs it.
   */
  async trustListEntries(): Promise<TrustListEntries> {
    const [bars, parties, accreditations] = await Promise.all([this.bars(), this.deps.store.listParties(), this.deps.store.listAccreditations()]);
    const keys = await Promise.all(parties.map((p) => this.deps.store.listKeys(p.id)));
    return {
      bars: bars.map((b) => ({ id: b.id, kind: b.kind, names: b.names, url: this.barUrl(b.id) })),
      parties: parties.map((p, i) => ({
        id: p.id,
        kind: p.kind,
        name: p.name,
        barId: p.barId,
        did: p.did,
        keys: keys[i]!.map((k) => ({ kid: k.id, publicKeyJwk: { kty: k.publicJwk.kty, crv: k.publicJwk.crv, x: k.publicJwk.x }, validFrom: k.validFrom, validUntil: k.validUntil })),
        accreditations: accreditations
          .filter((a) => a.partyId === p.id)
          .map((a) => ({
            id: a.id,
            barId: a.barId,
            decision: { number: a.decisionNumber, date: a.decisionDate },
            programmes: a.programmes,
            forms: a.forms,
            validFrom: a.validFrom,
            validUntil: a.validUntil,
            withdrawal: a.withdrawal && { ground: a.withdrawal.ground, decision: { number: a.withdrawal.decisionNumber, date: a.withdrawal.decisionDate }, effectiveFrom: a.withdrawal.effectiveFrom },
          })),
      })),
    };
  }

  /** 8.3: every bar's centres and accredited providers, with criteria and dates; nothing personal. */
  async publicRegistry(): Promise<PublicRegistry> {
    const [bars, parties, accreditations] = await Promise.all([this.bars(), this.deps.store.listParties(), this.deps.store.listAccreditations()]);
    const now = this.now();
    const byParty = new Map(parties.map((p) => [p.id, p]));
    return {
      generatedAt: now,
      bars: bars.map((bar) => {
        const granted = accreditations.filter((a) => a.barId === bar.id);
        const centres = parties.filter((p) => p.kind === "centre" && p.barId === bar.id);
        const providerIds = [...new Set(granted.map((a) => a.partyId))];
        return {
          id: bar.id,
          kind: bar.kind,
          names: bar.names,
          verified: bar.verified,
          url: this.barUrl(bar.id),
          centres: centres.map((p) => ({ id: p.id, name: p.name, did: p.did, city: p.city, address: p.address })),
          providers: providerIds.map((pid) => {
            const p = byParty.get(pid)!;
            return {
              id: p.id,
              kind: p.kind,
              name: p.name,
              did: p.did,
              website: p.website,
              city: p.city,
              address: p.address,
              accreditations: granted.filter((a) => a.partyId === pid).map((a) => publicAccreditation(a, now)),
            };
          }),
        };
      }),
    };
  }
}

export type AccreditationState = "active" | "not-yet-valid" | "expired" | "withdrawn";

export function accreditationState(a: Accreditation, at: string): AccreditationState {
  const c = coverage({ ...a, programmes: null, forms: null }, "", "", at);
  return c === "covered" ? "active" : (c as AccreditationState);
}

/**
 * An accreditation as the registry publishes it (8.3). The criteria met are public; the evidence behind them is free
 * text that may name a person's documents, so only administrators see it (`withEvidence`).
 */
export function publicAccreditation(a: Accreditation, now: string, withEvidence = false) {
  return {
    id: a.id,
    barId: a.barId,
    decision: { number: a.decisionNumber, date: a.decisionDate },
    criteria: a.criteria.map((c) => (withEvidence ? c : { criterion: c.criterion })),
    programmes: a.programmes,
    forms: a.forms,
    validFrom: a.validFrom,
    validUntil: a.validUntil,
    state: accreditationState(a, now),
    violationCount: a.violationCount,
    /** 9.2(2): two or more violations recorded and not yet withdrawn: the deciding bar must withdraw. */
    withdrawalDue: withdrawalDue(a),
    withdrawal: a.withdrawal,
  };
}

/** The registry as the signed trust list carries it (src/registry/trust-list.ts; docs/trust-list.md). */
export interface TrustListEntries {
  bars: { id: string; kind: Bar["kind"]; names: Bar["names"]; url: string }[];
  parties: {
    id: string;
    kind: Party["kind"];
    name: string;
    barId: string;
    did: string;
    keys: { kid: string; publicKeyJwk: { kty: string; crv: string; x: string }; validFrom: string; validUntil: string | null }[];
    accreditations: {
      id: string;
      barId: string;
      decision: { number: string; date: string };
      programmes: Accreditation["programmes"];
      forms: Accreditation["forms"];
      validFrom: string;
      validUntil: string | null;
      withdrawal: { ground: string; decision: { number: string; date: string }; effectiveFrom: string } | null;
    }[];
  }[];
}

export interface PublicRegistry {
  generatedAt: string;
  bars: {
    id: string;
    kind: string;
    names: Bar["names"];
    verified: boolean;
    url: string;
    centres: { id: string; name: string; did: string; city: string | null; address: string | null }[];
    providers: { id: string; kind: PartyKind; name: string; did: string; website: string | null; city: string | null; address: string | null; accreditations: ReturnType<typeof publicAccreditation>[] }[];
  }[];
}


/** Longest city and address kept: a registry line, not a document. */
export const PARTY_CITY_MAX = 100;
export const PARTY_ADDRESS_MAX = 300;

/**
 * A party's details as stored, whichever door (API, console, CLI) they came in by: trimmed, empty as `null`, and the
 * website a web page only, since pages link to it.
 */
function partyDetails(input: { name: string; website?: string | null; city?: string | null; address?: string | null }): PartyDetails {
  const optional = (v: string | null | undefined) => (v == null || v.trim() === "" ? null : v.trim());
  const d: PartyDetails = { name: input.name.trim(), website: optional(input.website), city: optional(input.city), address: optional(input.address) };
  const problems = [
    ...(d.name === "" ? [fieldProblem("name", "must-not-be-empty")] : []),
    ...(d.website !== null && !isWebsiteUrl(d.website) ? [fieldProblem("website", "website-invalid")] : []),
    ...((d.city?.length ?? 0) > PARTY_CITY_MAX ? [fieldProblem("city", "text-too-long-at-most", { max: PARTY_CITY_MAX })] : []),
    ...((d.address?.length ?? 0) > PARTY_ADDRESS_MAX ? [fieldProblem("address", "text-too-long-at-most", { max: PARTY_ADDRESS_MAX })] : []),
  ];
  if (problems.length) throw keyedError("invalid_request", REGISTRY_DETAIL_TEMPLATES, "registry-party-problems", { count: problems.length }, { problems });
  return d;
}

/** A key as the audit log digests it: its id, public key and window (never the sealed private key). */
const publicKeyOf = (k: PartyKey) => ({ id: k.id, publicJwk: k.publicJwk, validFrom: k.validFrom, validUntil: k.validUntil });

const partyAudit = (principal: Principal, party: Party, key: PartyKey) =>
  audited({ at: party.createdAt, principal, action: "party.registered", barId: party.barId, subjects: [party.id, key.id], content: { party, key: publicKeyOf(key) } });
