import type { Accreditation, Withdrawal } from "../domain/accreditation.js";
import type { AuditedWrite } from "../domain/audit.js";
import type { PartyKind, Role } from "../domain/catalog.js";
import type { PublicJwk } from "./keyring.js";

export interface Names {
  kk: string;
  ru: string;
  en: string;
}

export interface Bar {
  id: string;
  kind: "rba" | "territorial";
  names: Names;
  /** Whether the names were confirmed against the bar's own publications. */
  verified: boolean;
}

export interface VocabularyEntry {
  code: string;
  clause: string;
  names: Names;
}

export interface Vocabulary {
  programmes: VocabularyEntry[];
  forms: VocabularyEntry[];
  deliveryModes: VocabularyEntry[];
}

export interface Party {
  id: string;
  kind: PartyKind;
  name: string;
  /** A centre's own bar (RBA or territorial); for organisations and trainers, the bar that registered them. */
  barId: string;
  did: string;
  website: string | null;
  /** 8.3: where the party trains, as the public registry shows it; `null` when not given. */
  city: string | null;
  address: string | null;
  createdAt: string;
}

/** What the bar that registered a party may change about it (8.3): never its kind, bar or DID. */
export type PartyDetails = Pick<Party, "name" | "website" | "city" | "address">;

export interface PartyKey {
  /** The DID URL, used as JWS `kid`. */
  id: string;
  partyId: string;
  publicJwk: PublicJwk;
  privateKeyEnc: string | null;
  validFrom: string;
  validUntil: string | null;
}

export interface Violation {
  id: string;
  accreditationId: string;
  occurredOn: string;
  description: string;
  recordedAt: string;
}

export interface ApiKey {
  id: string;
  role: Role;
  barId: string | null;
  partyId: string | null;
  label: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface Recorded {
  recordedAt: string;
  recordedBy: string;
}

/**
 * What the registry needs from storage. Each method is atomic on its own (D1 has no interactive transactions); an
 * `audit` given to a write is its audit entry, written in the same atomic write (issue 17, src/storage/audit-store.ts).
 */
export interface RegistryStore {
  listBars(): Promise<Bar[]>;
  vocabulary(): Promise<Vocabulary>;

  insertParty(party: Party, firstKey: PartyKey, audit?: AuditedWrite): Promise<void>;
  /** Replaces the party's details; `undefined` when there is no such party. */
  /** With its audit entry (issue 17) in the same write. */
  updatePartyDetails(id: string, details: PartyDetails, audit?: AuditedWrite): Promise<Party | undefined>;
  getParty(id: string): Promise<Party | undefined>;
  getPartyByDid(did: string): Promise<Party | undefined>;
  listParties(): Promise<Party[]>;

  getKey(id: string): Promise<PartyKey | undefined>;
  listKeys(partyId: string): Promise<PartyKey[]>;
  /** Retires every active key of the party at `at` and adds `next`, in one atomic step. */
  rotateKey(partyId: string, at: string, next: PartyKey, audit?: AuditedWrite): Promise<void>;

  insertAccreditation(a: Accreditation, recorded: Recorded, audit?: AuditedWrite): Promise<void>;
  getAccreditation(id: string): Promise<Accreditation | undefined>;
  listAccreditations(partyId?: string): Promise<Accreditation[]>;
  insertViolation(v: Violation, recordedBy: string, audit?: AuditedWrite): Promise<void>;
  listViolations(accreditationId: string): Promise<Violation[]>;
  /** `false` when the accreditation already has a withdrawal (there is at most one). */
  insertWithdrawal(accreditationId: string, w: Withdrawal, recorded: Recorded, audit?: AuditedWrite): Promise<boolean>;

  insertApiKey(key: ApiKey, tokenHash: string, recorded: { createdAt: string; createdBy: string }, audit?: AuditedWrite): Promise<void>;
  findApiKeyByHash(tokenHash: string): Promise<ApiKey | undefined>;
  getApiKey(id: string): Promise<ApiKey | undefined>;
  listApiKeys(): Promise<ApiKey[]>;
  /** `false` when the key was already revoked. */
  revokeApiKey(id: string, at: string, audit?: AuditedWrite): Promise<boolean>;
}
