import { sql, type Kysely } from "kysely";
import type { BarVerifierKey, CredentialOffer, LedgerEntry, PresentationOutcome, PresentationRequest, RedeemOutcome, RetiredVerifierKey, VerifierKeyRetirement, WalletErrorResponse, WalletStore } from "../wallet/model.js";
import type { AuditedWrite } from "../domain/audit.js";
import { chunks, rowsPerInsert, type StoreDb } from "./atomic.js";
import { auditedAtomic } from "./audit-store.js";
import { isUniqueViolation } from "./errors.js";
import type { Database, LedgerEntryRow } from "./schema.js";

export interface CredentialOfferRow {
  id: string; certificate_id: string | null; attestation_id: string | null; pre_authorized_code: string; tx_code_mac: string; created_at: string; created_by: string;
  expires_at: string; failed_attempts: number; redeemed_at: string | null; access_token_hash: string | null;
  access_token_expires_at: string | null; access_token_jkt: string | null; holder_did: string | null; credential_issued_at: string | null;
}
export interface WalletNonceRow { nonce: string; expires_at: string }
export interface PresentationRequestRow {
  id: string; bar_id: string; year: number; nonce: string; created_at: string; created_by: string; expires_at: string;
  answered_at: string | null; licence: string | null; holder_did: string | null; outcome: string | null;
  wallet_error: string | null; wallet_error_at: string | null;
}
export interface BarVerifierKeyRow { bar_id: string; kid: string; public_jwk: string; private_key_enc: string; created_at: string }
export interface BarVerifierRetiredKeyRow {
  kid: string; bar_id: string; public_jwk: string; created_at: string; retired_at: string; retired_by: string; reason: string; published_until: string;
}
/** The wallet tables beside the core ones (see migrations/0005_wallet.ts). */
export interface WalletDatabase extends Database {
  credential_offers: CredentialOfferRow;
  wallet_nonces: WalletNonceRow;
  presentation_requests: PresentationRequestRow;
  bar_verifier_keys: BarVerifierKeyRow;
  bar_verifier_retired_keys: BarVerifierRetiredKeyRow;
}

export class KyselyWalletStore implements WalletStore {
  private readonly db: Kysely<WalletDatabase>;

  constructor(private readonly store: StoreDb) {
    this.db = store.db as unknown as Kysely<WalletDatabase>;
  }

  async insertOffer(o: CredentialOffer): Promise<void> {
    await this.db.insertInto("credential_offers").values(offerRow(o)).execute();
  }

  async redeemOffer(code: string, txCodeMac: string, now: string, maxAttempts: number, accessTokenHash: string, accessTokenExpiresAt: string, accessTokenJkt: string | null = null): Promise<RedeemOutcome | undefined> {
    // The limit, the PIN comparison and the count are one statement. Counting in a second statement let a burst of
    // wrong PINs all pass the limit before any was counted (PostgreSQL, 10 connections: up to 550 of 1,000 checked).
    // Here concurrent tries serialise on the row lock, and PostgreSQL re-evaluates the WHERE on the row as the previous
    // try left it, so the sixth wrong PIN finds failed_attempts = 5 and matches nothing (SQLite and D1 have one writer).
    const right = sql<boolean>`tx_code_mac = ${txCodeMac}`;
    const r = await this.db
      .updateTable("credential_offers")
      .set({
        failed_attempts: sql<number>`CASE WHEN ${right} THEN failed_attempts ELSE failed_attempts + 1 END`,
        redeemed_at: sql<string | null>`CASE WHEN ${right} THEN ${now} ELSE redeemed_at END`,
        access_token_hash: sql<string | null>`CASE WHEN ${right} THEN ${accessTokenHash} ELSE access_token_hash END`,
        access_token_expires_at: sql<string | null>`CASE WHEN ${right} THEN ${accessTokenExpiresAt} ELSE access_token_expires_at END`,
        access_token_jkt: sql<string | null>`CASE WHEN ${right} THEN ${accessTokenJkt} ELSE access_token_jkt END`,
      })
      .where("pre_authorized_code", "=", code)
      .where("redeemed_at", "is", null)
      .where("failed_attempts", "<", maxAttempts)
      .where("expires_at", ">", now)
      // Offers from before migration 0008 lost their PIN hash: no PIN opens them, and none is counted.
      .where("tx_code_mac", "<>", "")
      .returningAll()
      .executeTakeFirst();
    if (!r) return undefined;
    const o = offer(r);
    return o.redeemedAt === now && o.accessTokenHash === accessTokenHash ? { outcome: "redeemed", offer: o } : { outcome: "wrong-pin", failedAttempts: o.failedAttempts };
  }

  async offerByCode(code: string): Promise<CredentialOffer | undefined> {
    const r = await this.db.selectFrom("credential_offers").selectAll().where("pre_authorized_code", "=", code).executeTakeFirst();
    return r && offer(r);
  }

  async offerById(id: string): Promise<CredentialOffer | undefined> {
    const r = await this.db.selectFrom("credential_offers").selectAll().where("id", "=", id).executeTakeFirst();
    return r && offer(r);
  }

  async offerByAccessToken(tokenHash: string): Promise<CredentialOffer | undefined> {
    const r = await this.db.selectFrom("credential_offers").selectAll().where("access_token_hash", "=", tokenHash).executeTakeFirst();
    return r && offer(r);
  }

  async markCredentialIssued(offerId: string, holderDid: string, now: string): Promise<boolean> {
    const r = await this.db
      .updateTable("credential_offers")
      .set({ credential_issued_at: now, holder_did: holderDid })
      .where("id", "=", offerId)
      .where("credential_issued_at", "is", null)
      .returning("id")
      .executeTakeFirst();
    return r !== undefined;
  }

  async listOffers(certificateId: string): Promise<CredentialOffer[]> {
    const rows = await this.db.selectFrom("credential_offers").selectAll().where("certificate_id", "=", certificateId).orderBy("created_at").execute();
    return rows.map(offer);
  }

  async insertNonce(nonce: string, expiresAt: string, now: string): Promise<void> {
    // Expired nonces are pruned as new ones are handed out: one indexed DELETE, no background job; both in one batch.
    await this.store.atomic([
      this.db.deleteFrom("wallet_nonces").where("expires_at", "<=", now).compile(),
      this.db.insertInto("wallet_nonces").values({ nonce, expires_at: expiresAt }).compile(),
    ]);
  }

  async consumeNonce(nonce: string, now: string): Promise<boolean> {
    const r = await this.db.deleteFrom("wallet_nonces").where("nonce", "=", nonce).returning("expires_at").executeTakeFirst();
    return r !== undefined && r.expires_at > now;
  }

  async insertPresentationRequest(r: PresentationRequest): Promise<void> {
    await this.db
      .insertInto("presentation_requests")
      .values({
        id: r.id, bar_id: r.barId, year: r.year, nonce: r.nonce, created_at: r.createdAt, created_by: r.createdBy, expires_at: r.expiresAt,
        answered_at: null, licence: null, holder_did: null, outcome: null, wallet_error: null, wallet_error_at: null,
      })
      .execute();
  }

  async getPresentationRequest(id: string): Promise<PresentationRequest | undefined> {
    const r = await this.db.selectFrom("presentation_requests").selectAll().where("id", "=", id).executeTakeFirst();
    return r && presentationRequest(r);
  }

  async claimPresentationRequest(id: string, now: string): Promise<boolean> {
    const r = await this.db
      .updateTable("presentation_requests")
      .set({ answered_at: now })
      .where("id", "=", id)
      .where("answered_at", "is", null)
      .returning("id")
      .executeTakeFirst();
    return r !== undefined;
  }

  async recordPresentationOutcome(id: string, outcome: PresentationOutcome): Promise<void> {
    await this.db
      .updateTable("presentation_requests")
      .set({ outcome: JSON.stringify(outcome), licence: outcome.licence, holder_did: outcome.holder })
      .where("id", "=", id)
      .execute();
  }

  async recordWalletError(id: string, e: WalletErrorResponse): Promise<boolean> {
    const r = await this.db
      .updateTable("presentation_requests")
      .set({ wallet_error: JSON.stringify({ error: e.error, description: e.description }), wallet_error_at: e.at })
      .where("id", "=", id)
      .where("answered_at", "is", null)
      .returning("id")
      .executeTakeFirst();
    return r !== undefined;
  }

  async hasPresented(licence: string, holderDid: string): Promise<boolean> {
    const r = await this.db.selectFrom("presentation_requests").select("id").where("licence", "=", licence).where("holder_did", "=", holderDid).executeTakeFirst();
    return r !== undefined;
  }

  async certificateHolder(certificateId: string): Promise<{ licence: string; barId: string; revoked: boolean } | undefined> {
    const r = await this.db
      .selectFrom("certificates as c")
      .innerJoin("participants as p", "p.id", "c.participant_id")
      .select(["p.licence_number", "p.bar_id", "c.revoked_at"])
      .where("c.id", "=", certificateId)
      .executeTakeFirst();
    return r && { licence: r.licence_number, barId: r.bar_id, revoked: r.revoked_at !== null };
  }

  async barVerifierKey(barId: string): Promise<BarVerifierKey | undefined> {
    const r = await this.db.selectFrom("bar_verifier_keys").selectAll().where("bar_id", "=", barId).executeTakeFirst();
    return r && { barId: r.bar_id, kid: r.kid, publicJwk: JSON.parse(r.public_jwk), privateKeyEnc: r.private_key_enc, createdAt: r.created_at };
  }

  async insertBarVerifierKey(k: BarVerifierKey): Promise<void> {
    await this.db
      .insertInto("bar_verifier_keys")
      .values({ bar_id: k.barId, kid: k.kid, public_jwk: JSON.stringify(k.publicJwk), private_key_enc: k.privateKeyEnc, created_at: k.createdAt })
      .onConflict((oc) => oc.column("bar_id").doNothing())
      .execute();
  }

  async rotateBarVerifierKey(currentKid: string, next: BarVerifierKey, r: VerifierKeyRetirement, audit?: AuditedWrite): Promise<boolean> {
    // Both statements are conditioned on the same current kid, so a rotation that lost a race writes nothing; audited,
    // the entry's once-only key (the retired kid) refuses the loser's whole write, entry included.
    const value = (v: string) => sql<string>`${v}`;
    const statements = [
      this.db
        .insertInto("bar_verifier_retired_keys")
        .columns(["kid", "bar_id", "public_jwk", "created_at", "retired_at", "retired_by", "reason", "published_until"])
        .expression(
          this.db
            .selectFrom("bar_verifier_keys")
            .select(["kid", "bar_id", "public_jwk", "created_at"])
            .select([value(r.retiredAt).as("retired_at"), value(r.retiredBy).as("retired_by"), value(r.reason).as("reason"), value(r.publishedUntil).as("published_until")])
            .where("bar_id", "=", next.barId)
            .where("kid", "=", currentKid),
        )
        // A concurrent rotation from the same key (PostgreSQL: both read it before either committed) inserts nothing
        // here, and its UPDATE below then finds the kid changed and matches no row.
        .onConflict((oc) => oc.column("kid").doNothing())
        .compile(),
      this.db
        .updateTable("bar_verifier_keys")
        .set({ kid: next.kid, public_jwk: JSON.stringify(next.publicJwk), private_key_enc: next.privateKeyEnc, created_at: next.createdAt })
        .where("bar_id", "=", next.barId)
        .where("kid", "=", currentKid)
        .compile(),
    ];
    try {
      const [, replaced] = await auditedAtomic(this.store, statements, audit && { ...audit, onceKey: `verifier-key.rotated:${currentKid}` });
      return Number(replaced!.numAffectedRows ?? 0n) === 1;
    } catch (e) {
      if (audit && isUniqueViolation(e)) return false;
      throw e;
    }
  }

  async verifierKeyByKid(kid: string) {
    const current = await this.db.selectFrom("bar_verifier_keys").selectAll().where("kid", "=", kid).executeTakeFirst();
    if (current) return { barId: current.bar_id, kid, publicJwk: JSON.parse(current.public_jwk), createdAt: current.created_at, retiredAt: null };
    const r = await this.db.selectFrom("bar_verifier_retired_keys").selectAll().where("kid", "=", kid).executeTakeFirst();
    return r && { barId: r.bar_id, kid, publicJwk: JSON.parse(r.public_jwk), createdAt: r.created_at, retiredAt: r.retired_at };
  }

  async publishedRetiredVerifierKeys(barId: string, at: string): Promise<RetiredVerifierKey[]> {
    const rows = await this.db.selectFrom("bar_verifier_retired_keys").selectAll().where("bar_id", "=", barId).where("published_until", ">", at).orderBy("retired_at").execute();
    return rows.map((r) => ({
      barId: r.bar_id,
      kid: r.kid,
      publicJwk: JSON.parse(r.public_jwk),
      createdAt: r.created_at,
      retiredAt: r.retired_at,
      retiredBy: r.retired_by,
      reason: r.reason as RetiredVerifierKey["reason"],
      publishedUntil: r.published_until,
    }));
  }

  async credit(entries: LedgerEntry[]): Promise<LedgerEntry[]> {
    if (entries.length === 0) return [];
    // 17 parameters a row (D1: 5 rows a statement), every statement in one batch; each returns the rows it inserted,
    // so an entry already credited (the unique key) is neither stored twice nor reported as new.
    const statements = [...chunks(entries.map(ledgerRow), rowsPerInsert(this.store, 17))].map((rows) =>
      this.db
        .insertInto("ledger_entries")
        .values(rows)
        .onConflict((oc) => oc.columns(["bar_id", "licence", "year", "certificate_id"]).doNothing())
        .returningAll()
        .compile(),
    );
    const results = await this.store.atomic(statements);
    return results.flatMap((r) => (r.rows as LedgerEntryRow[]).map(ledgerEntry));
  }

  async ledger(licence: string, year: number, barId?: string): Promise<LedgerEntry[]> {
    let q = this.db.selectFrom("ledger_entries").selectAll().where("licence", "=", licence).where("year", "=", year);
    if (barId !== undefined) q = q.where("bar_id", "=", barId);
    const rows = await q.orderBy("event_end").orderBy("certificate_id").execute();
    return rows.map(ledgerEntry);
  }
}

function offerRow(o: CredentialOffer): CredentialOfferRow {
  return {
    id: o.id, certificate_id: o.certificateId ?? null, attestation_id: o.attestationId ?? null, pre_authorized_code: o.preAuthorizedCode, tx_code_mac: o.txCodeMac,
    created_at: o.createdAt, created_by: o.createdBy, expires_at: o.expiresAt, failed_attempts: o.failedAttempts, redeemed_at: o.redeemedAt,
    access_token_hash: o.accessTokenHash, access_token_expires_at: o.accessTokenExpiresAt, access_token_jkt: o.accessTokenJkt, holder_did: o.holderDid, credential_issued_at: o.credentialIssuedAt,
  };
}

function offer(r: CredentialOfferRow): CredentialOffer {
  // Exactly one of the two is set (migration 0019's check).
  const offered = r.attestation_id !== null ? { attestationId: r.attestation_id } : { certificateId: r.certificate_id! };
  return {
    id: r.id, ...offered, preAuthorizedCode: r.pre_authorized_code, txCodeMac: r.tx_code_mac,
    createdAt: r.created_at, createdBy: r.created_by, expiresAt: r.expires_at, failedAttempts: Number(r.failed_attempts), redeemedAt: r.redeemed_at,
    accessTokenHash: r.access_token_hash, accessTokenExpiresAt: r.access_token_expires_at, accessTokenJkt: r.access_token_jkt ?? null, holderDid: r.holder_did, credentialIssuedAt: r.credential_issued_at,
  };
}

function presentationRequest(r: PresentationRequestRow): PresentationRequest {
  return {
    id: r.id, barId: r.bar_id, year: Number(r.year), nonce: r.nonce, createdAt: r.created_at, createdBy: r.created_by, expiresAt: r.expires_at,
    answeredAt: r.answered_at, licence: r.licence, holderDid: r.holder_did, outcome: r.outcome ? (JSON.parse(r.outcome) as PresentationOutcome) : null,
    walletError: walletError(r),
  };
}

function walletError(r: PresentationRequestRow): WalletErrorResponse | null {
  if (r.wallet_error === null || r.wallet_error_at === null) return null;
  const e = JSON.parse(r.wallet_error) as { error: string; description: string | null };
  return { error: e.error, description: e.description, at: r.wallet_error_at };
}

function ledgerRow(e: LedgerEntry): LedgerEntryRow {
  return {
    id: e.id, bar_id: e.barId, licence: e.licence, year: e.year, certificate_id: e.certificateId, credential_id: e.credentialId, issuer: e.issuer,
    issuer_name: e.issuerName, topic: e.topic, programme: e.programme, form: e.form, role: e.role, duration_minutes: e.durationMinutes,
    academic_hours: String(e.academicHours), event_end: e.eventEnd, proven_by: e.provenBy, presentation_id: e.presentationId, created_at: e.createdAt,
  };
}

function ledgerEntry(r: LedgerEntryRow): LedgerEntry {
  return {
    id: r.id, barId: r.bar_id, licence: r.licence, year: Number(r.year), certificateId: r.certificate_id, credentialId: r.credential_id, issuer: r.issuer,
    issuerName: r.issuer_name, topic: r.topic, programme: r.programme, form: r.form, role: r.role as LedgerEntry["role"], durationMinutes: Number(r.duration_minutes),
    academicHours: Number(r.academic_hours), eventEnd: r.event_end, provenBy: r.proven_by as LedgerEntry["provenBy"], presentationId: r.presentation_id, createdAt: r.created_at,
  };
}
