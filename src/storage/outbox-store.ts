/**
 * The outbox (issue 13; migration 0009). Rows are inserted by the issuing write itself (see `outboxInserts`, which the
 * issuance store adds to the `atomic` list of the certificates), claimed by senders with one `UPDATE … RETURNING`
 * each, and updated only by the holder of the claim.
 */
import { sql, type CompiledQuery, type Kysely } from "kysely";
import type { MessageLang, NewOutboxMessage, OutboxKind, OutboxMessage, OutboxStatus } from "../domain/outbox.js";
import type { OutboxStore } from "../delivery/service.js";
import { memberKey } from "../issuance/service.js";
import { chunks, rowsPerInsert, type StoreDb } from "./atomic.js";
import type { Database, OutboxRow } from "./schema.js";

/**
 * The columns a new message sets. The lease, Message-ID, error and sent time start as the table's NULL default and
 * are left out: a 1,000-participant issue binds a third fewer parameters (bench/delivery.ts measures the outbox's
 * share of the issuing write).
 */
type NewOutboxRow = Omit<OutboxRow, "lease_until" | "lease_token" | "message_id" | "last_error" | "sent_at">;
const OUTBOX_INSERT_COLUMNS = 13;

/** The INSERTs for new messages, for the caller's own atomic write (the certificates' INSERTs beside them). */
export function outboxInserts(store: StoreDb, messages: readonly NewOutboxMessage[]): CompiledQuery[] {
  const rows: NewOutboxRow[] = messages.map((m) => ({
    id: m.id, kind: m.kind, certificate_id: m.certificateId, event_id: m.eventId, participant_id: m.participantId,
    to_address: m.toAddress, lang: m.lang, status: m.toAddress ? "queued" : "no_address", attempts: 0, generation: 0,
    next_attempt_at: m.createdAt, created_at: m.createdAt, updated_at: m.createdAt,
  }));
  return [...chunks(rows, rowsPerInsert(store, OUTBOX_INSERT_COLUMNS))].map((chunk) => store.db.insertInto("outbox").values(chunk).compile());
}

/** Longest reply text kept: a server's reply is for the provider to read, not a place to store megabytes. */
const MAX_ERROR = 1000;
const clip = (s: string) => (s.length > MAX_ERROR ? s.slice(0, MAX_ERROR) : s);

export class KyselyOutboxStore implements OutboxStore {
  private readonly db: Kysely<Database>;

  constructor(private readonly store: StoreDb) {
    this.db = store.db;
  }

  async claim(now: string, leaseUntil: string, leaseToken: string, limit: number): Promise<OutboxMessage[]> {
    // Due: queued and its time has come, or claimed by a sender whose lease lapsed (it crashed or hung).
    const due = (eb: any) =>
      eb.or([
        eb.and([eb("status", "=", "queued"), eb("next_attempt_at", "<=", now)]),
        eb.and([eb("status", "=", "sending"), eb("lease_until", "<", now)]),
      ]);
    // The condition is repeated outside the sub-select: two senders may pick the same ids, but the UPDATE re-checks
    // each row as it locks it (PostgreSQL re-evaluates the WHERE on the row's newest version; SQLite and D1 run one
    // writer at a time), so only one of them claims it.
    const rows = await this.db
      .updateTable("outbox")
      .set({ status: "sending", lease_until: leaseUntil, lease_token: leaseToken, attempts: sql`attempts + 1`, updated_at: now })
      .where((eb) =>
        eb.and([
          eb("id", "in", eb.selectFrom("outbox").select("id").where(due).orderBy("next_attempt_at").orderBy("id").limit(limit)),
          due(eb),
        ]),
      )
      .returningAll()
      .execute();
    return rows.map(message).sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt) || a.id.localeCompare(b.id));
  }

  async markSent(id: string, leaseToken: string, messageId: string, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable("outbox")
      .set({ status: "sent", message_id: messageId, sent_at: at, updated_at: at, lease_until: null, lease_token: null, last_error: null })
      .where("id", "=", id)
      .where("lease_token", "=", leaseToken)
      .where("status", "=", "sending")
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async markRetry(id: string, leaseToken: string, nextAttemptAt: string, error: string, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable("outbox")
      .set({ status: "queued", next_attempt_at: nextAttemptAt, last_error: clip(error), updated_at: at, lease_until: null, lease_token: null })
      .where("id", "=", id)
      .where("lease_token", "=", leaseToken)
      .where("status", "=", "sending")
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async markFailed(id: string, leaseToken: string, error: string, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable("outbox")
      .set({ status: "failed", last_error: clip(error), updated_at: at, lease_until: null, lease_token: null })
      .where("id", "=", id)
      .where("lease_token", "=", leaseToken)
      .where("status", "=", "sending")
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async get(id: string): Promise<OutboxMessage | undefined> {
    const r = await this.db.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirst();
    return r && message(r);
  }

  async listForEvent(eventId: string): Promise<OutboxMessage[]> {
    const rows = await this.db.selectFrom("outbox").selectAll().where("event_id", "=", eventId).orderBy("created_at").orderBy("id").execute();
    return rows.map(message);
  }

  async requeue(updates: { id: string; toAddress: string | null }[], at: string): Promise<number> {
    if (updates.length === 0) return 0;
    // A message being sent right now is left to its sender (its outcome lands in a moment); every other one starts
    // over as a new generation: a new Message-ID, attempts from zero.
    const queries = updates.map((u) =>
      this.db
        .updateTable("outbox")
        .set({
          status: u.toAddress ? "queued" : "no_address", to_address: u.toAddress, attempts: 0, generation: sql`generation + 1`,
          next_attempt_at: at, lease_until: null, lease_token: null, last_error: null, message_id: null, sent_at: null, updated_at: at,
        })
        .where("id", "=", u.id)
        .where("status", "!=", "sending")
        .compile(),
    );
    const results = await this.store.atomic(queries);
    return results.reduce((n, r) => n + Number(r.numAffectedRows ?? 0n), 0);
  }

  /** Member-record e-mails by `memberKey` (src/issuance/service.ts), read in chunks the dialect's parameter limit allows. */
  async memberEmails(members: { barId: string; licence: string }[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const byBar = new Map<string, string[]>();
    for (const m of members) (byBar.get(m.barId) ?? byBar.set(m.barId, []).get(m.barId)!).push(m.licence);
    for (const [barId, licences] of byBar) {
      for (const chunk of chunks([...new Set(licences)], Math.max(1, this.store.maxParameters - 2))) {
        const rows = await this.db.selectFrom("members").select(["licence", "email"]).where("bar_id", "=", barId).where("licence", "in", chunk).where("email", "is not", null).execute();
        for (const r of rows) if (r.email) out.set(memberKey(barId, r.licence), r.email);
      }
    }
    return out;
  }

  async countByStatus(): Promise<Record<OutboxStatus, number>> {
    const rows = await this.db.selectFrom("outbox").select(["status", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("status").execute();
    const out: Record<OutboxStatus, number> = { queued: 0, sending: 0, sent: 0, failed: 0, no_address: 0 };
    for (const r of rows) out[r.status as OutboxStatus] = Number(r.n);
    return out;
  }
}

const message = (r: OutboxRow): OutboxMessage => ({
  id: r.id,
  kind: r.kind as OutboxKind,
  certificateId: r.certificate_id,
  eventId: r.event_id,
  participantId: r.participant_id,
  toAddress: r.to_address,
  lang: (r.lang as MessageLang | null) ?? null,
  createdAt: r.created_at,
  status: r.status as OutboxStatus,
  attempts: Number(r.attempts),
  generation: Number(r.generation),
  nextAttemptAt: r.next_attempt_at,
  leaseUntil: r.lease_until,
  leaseToken: r.lease_token,
  messageId: r.message_id,
  lastError: r.last_error,
  updatedAt: r.updated_at,
  sentAt: r.sent_at,
});
