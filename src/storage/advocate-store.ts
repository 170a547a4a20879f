/**
 * Advocates' sign-in codes and sessions (migration 0011), and the rows of one member's record. A code row and the
 * outbox row that carries it are one atomic write; a try of a code is one statement.
 */
import { sql } from "kysely";
import type { AdvocateSession, AdvocateStore, NewAdvocateCode, RecordCertificate, TryCodeOutcome } from "../advocates/service.js";
import type { MessageLang } from "../domain/outbox.js";
import type { StoreDb } from "./atomic.js";
import { participantMinutesSql } from "./member-store.js";

export class KyselyAdvocateStore implements AdvocateStore {
  constructor(private readonly store: StoreDb) {}

  private get db() {
    return this.store.db;
  }

  async insertCode(code: NewAdvocateCode, mail: { toAddress: string; lang: MessageLang }): Promise<void> {
    const at = code.createdAt;
    await this.store.atomic([
      this.db
        .insertInto("advocate_codes")
        .values({ id: code.id, bar_id: code.barId, licence: code.licence, code_mac: code.codeMac, failed_attempts: 0, created_at: at, expires_at: code.expiresAt, used_at: null })
        .compile(),
      // The message names no certificate: its id is the code's, from which the sender derives the code.
      this.db
        .insertInto("outbox")
        .values({
          id: code.id, kind: "advocate_code", certificate_id: null, event_id: null, participant_id: null, to_address: mail.toAddress, lang: mail.lang,
          status: "queued", attempts: 0, generation: 0, next_attempt_at: at, lease_until: null, lease_token: null, message_id: null, last_error: null,
          created_at: at, updated_at: at, sent_at: null,
        })
        .compile(),
    ]);
  }

  async takeCodeQuota(barId: string, licence: string, now: string, windowOpenedAfter: string, max: number): Promise<boolean> {
    // Every SET expression sees the row as it was: a lapsed window restarts at 1 from now, a live one counts on.
    const lapsed = sql<boolean>`advocate_code_quota.window_start <= ${windowOpenedAfter}`;
    const row = await this.db
      .insertInto("advocate_code_quota")
      .values({ bar_id: barId, licence, window_start: now, used: 1 })
      .onConflict((oc) =>
        oc.columns(["bar_id", "licence"]).doUpdateSet({
          used: sql<number>`CASE WHEN ${lapsed} THEN 1 ELSE advocate_code_quota.used + 1 END`,
          window_start: sql<string>`CASE WHEN ${lapsed} THEN ${now} ELSE advocate_code_quota.window_start END`,
        }),
      )
      .returning("used")
      .executeTakeFirstOrThrow();
    return Number(row.used) <= max;
  }

  async tryCode(id: string, codeMac: string, now: string, maxAttempts: number): Promise<TryCodeOutcome | undefined> {
    // The limit, the comparison and the count in one statement, as wallet PINs (KyselyWalletStore.redeemOffer):
    // concurrent tries serialise on the row, and PostgreSQL re-evaluates the WHERE on the row as the previous try left
    // it, so once 5 wrong codes are counted nothing matches, not even the right code.
    const right = sql<boolean>`code_mac = ${codeMac}`;
    const r = await this.db
      .updateTable("advocate_codes")
      .set({
        failed_attempts: sql<number>`CASE WHEN ${right} THEN failed_attempts ELSE failed_attempts + 1 END`,
        used_at: sql<string | null>`CASE WHEN ${right} THEN ${now} ELSE used_at END`,
      })
      .where("id", "=", id)
      .where("used_at", "is", null)
      .where("failed_attempts", "<", maxAttempts)
      .where("expires_at", ">", now)
      .returning(["bar_id", "licence", "used_at", "failed_attempts"])
      .executeTakeFirst();
    if (!r) return undefined;
    return r.used_at === now ? { outcome: "right", barId: r.bar_id, licence: r.licence } : { outcome: "wrong", failedAttempts: Number(r.failed_attempts) };
  }

  async insertSession(s: AdvocateSession): Promise<void> {
    await this.db.insertInto("advocate_sessions").values({ id: s.id, bar_id: s.barId, licence: s.licence, created_at: s.createdAt, expires_at: s.expiresAt }).execute();
  }

  async findSession(id: string): Promise<AdvocateSession | undefined> {
    const r = await this.db.selectFrom("advocate_sessions").selectAll().where("id", "=", id).executeTakeFirst();
    return r && { id: r.id, barId: r.bar_id, licence: r.licence, createdAt: r.created_at, expiresAt: r.expires_at };
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.deleteFrom("advocate_sessions").where("id", "=", id).execute();
  }

  async pruneSessions(at: string): Promise<void> {
    await this.db.deleteFrom("advocate_sessions").where("expires_at", "<", at).execute();
  }

  async certificatesOf(barId: string, licence: string, year: number, range: { from: string; to: string }): Promise<RecordCertificate[]> {
    // Issued: matched as the compliance report matches them (KyselyMemberStore.issuedToMembers: by licence, for
    // events that ended in the year), so the record lists exactly what the report counts.
    const [issued, presented] = await Promise.all([
      this.db
        .selectFrom("participants as p")
        .innerJoin("certificates as c", "c.participant_id", "p.id")
        .innerJoin("events as e", "e.id", "p.event_id")
        .innerJoin("parties as pa", "pa.id", "e.party_id")
        .select(["c.id", "pa.name", "e.topic", "e.programme", "e.form", "p.role", "p.bar_id", "p.licence_number", participantMinutesSql, "e.ends_at", "c.revoked_at"])
        .where("p.licence_number", "=", licence)
        .where("e.ends_at", ">=", range.from)
        .where("e.ends_at", "<", range.to)
        .orderBy("e.ends_at")
        .orderBy("c.id")
        .execute(),
      this.db
        .selectFrom("ledger_entries as l")
        .innerJoin("certificates as c", "c.id", "l.certificate_id")
        .innerJoin("participants as p", "p.id", "c.participant_id")
        .select(["l.certificate_id", "l.issuer_name", "l.topic", "l.programme", "l.form", "l.role", "p.bar_id", "p.licence_number", "l.duration_minutes", "l.event_end", "c.revoked_at"])
        .where("l.bar_id", "=", barId)
        .where("l.licence", "=", licence)
        .where("l.year", "=", year)
        .orderBy("l.event_end")
        .execute(),
    ]);
    const out: RecordCertificate[] = issued.map((r) => ({
      certificateId: r.id, organiser: r.name, topic: r.topic, programme: r.programme, form: r.form, role: r.role as "attendee" | "teacher",
      minutes: Number(r.duration_minutes), endedAt: r.ends_at, revoked: r.revoked_at !== null, provenBy: "issued",
      issuedTo: { barId: r.bar_id, licence: r.licence_number },
    }));
    // One issued here and also presented is shown once, as issued (the report counts it once too).
    const seen = new Set(out.map((c) => c.certificateId));
    for (const r of presented) {
      if (seen.has(r.certificate_id)) continue;
      seen.add(r.certificate_id);
      out.push({
        certificateId: r.certificate_id, organiser: r.issuer_name, topic: r.topic, programme: r.programme, form: r.form, role: r.role as "attendee" | "teacher",
        minutes: Number(r.duration_minutes), endedAt: r.event_end, revoked: r.revoked_at !== null, provenBy: "presented",
        issuedTo: { barId: r.bar_id, licence: r.licence_number },
      });
    }
    return out;
  }
}
