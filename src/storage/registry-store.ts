import type { Kysely } from "kysely";
import type { Accreditation, Withdrawal } from "../domain/accreditation.js";
import type { PartyKind, Role, WithdrawalGround } from "../domain/catalog.js";
import type { ApiKey, Bar, Party, PartyDetails, PartyKey, Recorded, RegistryStore, Violation, Vocabulary, VocabularyEntry } from "../registry/model.js";
import type { AuditedWrite } from "../domain/audit.js";
import type { StoreDb } from "./atomic.js";
import { auditedAtomic } from "./audit-store.js";
import { isUniqueViolation } from "./errors.js";
import type { AccreditationRow, ApiKeyRow, Database, PartyKeyRow, PartyRow, VocabRow, WithdrawalRow } from "./schema.js";

export class KyselyRegistryStore implements RegistryStore {
  private readonly db: Kysely<Database>;

  constructor(private readonly store: StoreDb) {
    this.db = store.db;
  }

  async listBars(): Promise<Bar[]> {
    const rows = await this.db.selectFrom("bars").selectAll().orderBy("sort").execute();
    return rows.map((r) => ({ id: r.id, kind: r.kind as Bar["kind"], names: { kk: r.name_kk, ru: r.name_ru, en: r.name_en }, verified: r.verified === 1 }));
  }

  async vocabulary(): Promise<Vocabulary> {
    const [programmes, forms, deliveryModes] = await Promise.all(
      (["programmes", "forms", "delivery_modes"] as const).map((t) => this.db.selectFrom(t).selectAll().orderBy("sort").execute()),
    );
    return { programmes: programmes!.map(vocab), forms: forms!.map(vocab), deliveryModes: deliveryModes!.map(vocab) };
  }

  async insertParty(party: Party, firstKey: PartyKey, audit?: AuditedWrite): Promise<void> {
    await auditedAtomic(this.store, [
      this.db
        .insertInto("parties")
        .values({ id: party.id, kind: party.kind, name: party.name, bar_id: party.barId, did: party.did, website: party.website, city: party.city, address: party.address, created_at: party.createdAt })
        .compile(),
      this.db.insertInto("party_keys").values(keyRow(firstKey, party.createdAt)).compile(),
    ], audit);
  }

  async updatePartyDetails(id: string, details: PartyDetails, audit?: AuditedWrite): Promise<Party | undefined> {
    const update = this.db.updateTable("parties").set({ name: details.name, website: details.website, city: details.city, address: details.address }).where("id", "=", id).compile();
    const [r] = await auditedAtomic(this.store, [update], audit);
    return Number(r!.numAffectedRows ?? 0n) === 1 ? this.getParty(id) : undefined;
  }

  async getParty(id: string): Promise<Party | undefined> {
    const row = await this.db.selectFrom("parties").selectAll().where("id", "=", id).executeTakeFirst();
    return row && party(row);
  }

  async getPartyByDid(did: string): Promise<Party | undefined> {
    const row = await this.db.selectFrom("parties").selectAll().where("did", "=", did).executeTakeFirst();
    return row && party(row);
  }

  async listParties(): Promise<Party[]> {
    return (await this.db.selectFrom("parties").selectAll().orderBy("name").execute()).map(party);
  }

  async getKey(id: string): Promise<PartyKey | undefined> {
    const row = await this.db.selectFrom("party_keys").selectAll().where("id", "=", id).executeTakeFirst();
    return row && partyKey(row);
  }

  async listKeys(partyId: string): Promise<PartyKey[]> {
    const rows = await this.db.selectFrom("party_keys").selectAll().where("party_id", "=", partyId).orderBy("valid_from").orderBy("id").execute();
    return rows.map(partyKey);
  }

  async rotateKey(partyId: string, at: string, next: PartyKey, audit?: AuditedWrite): Promise<void> {
    await auditedAtomic(this.store, [
      this.db.updateTable("party_keys").set({ valid_until: at }).where("party_id", "=", partyId).where("valid_until", "is", null).compile(),
      this.db.insertInto("party_keys").values(keyRow(next, at)).compile(),
    ], audit);
  }

  async insertAccreditation(a: Accreditation, recorded: Recorded, audit?: AuditedWrite): Promise<void> {
    const insert = this.db
      .insertInto("accreditations")
      .values({
        id: a.id,
        party_id: a.partyId,
        bar_id: a.barId,
        decision_number: a.decisionNumber,
        decision_date: a.decisionDate,
        criteria: JSON.stringify(a.criteria),
        programmes: a.programmes ? JSON.stringify(a.programmes) : null,
        forms: a.forms ? JSON.stringify(a.forms) : null,
        valid_from: a.validFrom,
        valid_until: a.validUntil,
        recorded_at: recorded.recordedAt,
        recorded_by: recorded.recordedBy,
      })
      .compile();
    await auditedAtomic(this.store, [insert], audit);
  }

  async getAccreditation(id: string): Promise<Accreditation | undefined> {
    return (await this.accreditations((q) => q.where("a.id", "=", id)))[0];
  }

  listAccreditations(partyId?: string): Promise<Accreditation[]> {
    return this.accreditations((q) => (partyId === undefined ? q : q.where("a.party_id", "=", partyId)));
  }

  private async accreditations(
    filter: (q: ReturnType<KyselyRegistryStore["accreditationQuery"]>) => ReturnType<KyselyRegistryStore["accreditationQuery"]>,
  ): Promise<Accreditation[]> {
    const rows = await filter(this.accreditationQuery()).orderBy("a.valid_from").orderBy("a.id").execute();
    return rows.map(accreditation);
  }

  private accreditationQuery() {
    return this.db
      .selectFrom("accreditations as a")
      .leftJoin("accreditation_withdrawals as w", "w.accreditation_id", "a.id")
      .selectAll("a")
      .select([
        "w.ground as w_ground",
        "w.decision_number as w_decision_number",
        "w.decision_date as w_decision_date",
        "w.effective_from as w_effective_from",
        "w.reason as w_reason",
        (eb) =>
          eb
            .selectFrom("accreditation_violations as v")
            .whereRef("v.accreditation_id", "=", "a.id")
            .select((eb2) => eb2.fn.countAll<number>().as("n"))
            .as("violation_count"),
      ]);
  }

  async insertViolation(v: Violation, recordedBy: string, audit?: AuditedWrite): Promise<void> {
    const insert = this.db
      .insertInto("accreditation_violations")
      .values({ id: v.id, accreditation_id: v.accreditationId, occurred_on: v.occurredOn, description: v.description, recorded_at: v.recordedAt, recorded_by: recordedBy })
      .compile();
    await auditedAtomic(this.store, [insert], audit);
  }

  async listViolations(accreditationId: string): Promise<Violation[]> {
    const rows = await this.db.selectFrom("accreditation_violations").selectAll().where("accreditation_id", "=", accreditationId).orderBy("occurred_on").execute();
    return rows.map((r) => ({ id: r.id, accreditationId: r.accreditation_id, occurredOn: r.occurred_on, description: r.description, recordedAt: r.recorded_at }));
  }

  async insertWithdrawal(accreditationId: string, w: Withdrawal, recorded: Recorded, audit?: AuditedWrite): Promise<boolean> {
    const row: WithdrawalRow = {
      accreditation_id: accreditationId,
      ground: w.ground,
      decision_number: w.decisionNumber,
      decision_date: w.decisionDate,
      effective_from: w.effectiveFrom,
      reason: w.reason,
      recorded_at: recorded.recordedAt,
      recorded_by: recorded.recordedBy,
    };
    // Audited, a second withdrawal is refused (its primary key, the entry's once-only key) and so logs nothing.
    const insert = audit
      ? this.db.insertInto("accreditation_withdrawals").values(row).compile()
      : this.db.insertInto("accreditation_withdrawals").values(row).onConflict((oc) => oc.column("accreditation_id").doNothing()).compile();
    const results = await onceOnly(auditedAtomic(this.store, [insert], audit && { ...audit, onceKey: `accreditation.withdrawn:${accreditationId}` }));
    return results !== undefined && Number(results[0]!.numAffectedRows ?? 0n) === 1;
  }

  async insertApiKey(key: ApiKey, tokenHash: string, recorded: { createdAt: string; createdBy: string }, audit?: AuditedWrite): Promise<void> {
    const insert = this.db
      .insertInto("api_keys")
      .values({ id: key.id, token_hash: tokenHash, role: key.role, bar_id: key.barId, party_id: key.partyId, label: key.label, created_at: recorded.createdAt, created_by: recorded.createdBy, revoked_at: key.revokedAt })
      .compile();
    await auditedAtomic(this.store, [insert], audit);
  }

  async findApiKeyByHash(tokenHash: string): Promise<ApiKey | undefined> {
    const r = await this.db.selectFrom("api_keys").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
    return r && apiKey(r);
  }

  async getApiKey(id: string): Promise<ApiKey | undefined> {
    const r = await this.db.selectFrom("api_keys").selectAll().where("id", "=", id).executeTakeFirst();
    return r && apiKey(r);
  }

  async listApiKeys(): Promise<ApiKey[]> {
    return (await this.db.selectFrom("api_keys").selectAll().orderBy("created_at").orderBy("id").execute()).map(apiKey);
  }

  async revokeApiKey(id: string, at: string, audit?: AuditedWrite): Promise<boolean> {
    const update = this.db.updateTable("api_keys").set({ revoked_at: at }).where("id", "=", id).where("revoked_at", "is", null).compile();
    const results = await onceOnly(auditedAtomic(this.store, [update], audit && { ...audit, onceKey: `api-key.revoked:${id}` }));
    return results !== undefined && Number(results[0]!.numAffectedRows ?? 0n) === 1;
  }
}

/** An audited once-only act that was already done: `undefined` (its once-only key refused the write), as "no row changed". */
async function onceOnly<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (e) {
    if (isUniqueViolation(e)) return undefined;
    throw e;
  }
}

// The token hash stays in storage: nothing above it needs it once a key is found.
const apiKey = (r: ApiKeyRow): ApiKey => ({ id: r.id, role: r.role as Role, barId: r.bar_id, partyId: r.party_id, label: r.label, createdAt: r.created_at, revokedAt: r.revoked_at });

const vocab = (r: VocabRow): VocabularyEntry => ({ code: r.code, clause: r.clause, names: { kk: r.name_kk, ru: r.name_ru, en: r.name_en } });

const party = (r: PartyRow): Party => ({ id: r.id, kind: r.kind as PartyKind, name: r.name, barId: r.bar_id, did: r.did, website: r.website, city: r.city, address: r.address, createdAt: r.created_at });

const partyKey = (r: PartyKeyRow): PartyKey => ({
  id: r.id,
  partyId: r.party_id,
  publicJwk: JSON.parse(r.public_jwk),
  privateKeyEnc: r.private_key_enc,
  validFrom: r.valid_from,
  validUntil: r.valid_until,
});

const keyRow = (k: PartyKey, createdAt: string): PartyKeyRow => ({
  id: k.id,
  party_id: k.partyId,
  public_jwk: JSON.stringify(k.publicJwk),
  private_key_enc: k.privateKeyEnc,
  valid_from: k.validFrom,
  valid_until: k.validUntil,
  created_at: createdAt,
});

type AccreditationJoined = AccreditationRow & {
  w_ground: string | null;
  w_decision_number: string | null;
  w_decision_date: string | null;
  w_effective_from: string | null;
  w_reason: string | null;
  violation_count: number | string | bigint | null;
};

function accreditation(r: AccreditationJoined): Accreditation {
  return {
    id: r.id,
    partyId: r.party_id,
    barId: r.bar_id,
    decisionNumber: r.decision_number,
    decisionDate: r.decision_date,
    criteria: JSON.parse(r.criteria),
    programmes: r.programmes ? JSON.parse(r.programmes) : null,
    forms: r.forms ? JSON.parse(r.forms) : null,
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    violationCount: Number(r.violation_count ?? 0),
    withdrawal:
      r.w_ground === null
        ? null
        : {
            ground: r.w_ground as WithdrawalGround,
            decisionNumber: r.w_decision_number!,
            decisionDate: r.w_decision_date!,
            effectiveFrom: r.w_effective_from!,
            reason: r.w_reason!,
          },
  };
}
