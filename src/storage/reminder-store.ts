/**
 * Reminders (issue 13; migration 0012): the bars' dates, the log of reminders with their outbox rows, and the marks of
 * completed runs. A reminder and its outbox message are one atomic write, each INSERT with ON CONFLICT DO NOTHING
 * under an id derived from (bar, year, date, licence): whoever writes second writes nothing.
 */
import type { Reminder, ReminderRun, ReminderStore, ReminderWithDelivery, StoredReminderSchedule } from "../compliance/reminders.js";
import type { MessageLang, OutboxStatus } from "../domain/outbox.js";
import { chunks, rowsPerInsert, type StoreDb } from "./atomic.js";
import type { OutboxRow, ReminderRow } from "./schema.js";

const REMINDER_COLUMNS = 12;
const OUTBOX_COLUMNS = 18;

export class KyselyReminderStore implements ReminderStore {
  constructor(private readonly store: StoreDb) {}

  private get db() {
    return this.store.db;
  }

  async getSchedule(barId: string, year: number): Promise<StoredReminderSchedule | undefined> {
    const r = await this.db.selectFrom("reminder_schedules").selectAll().where("bar_id", "=", barId).where("year", "=", year).executeTakeFirst();
    return r && schedule(r);
  }

  async putSchedule(s: StoredReminderSchedule): Promise<void> {
    const values = { bar_id: s.barId, year: s.year, dates: JSON.stringify(s.dates), updated_at: s.updatedAt, updated_by: s.updatedBy };
    await this.db
      .insertInto("reminder_schedules")
      .values(values)
      .onConflict((oc) => oc.columns(["bar_id", "year"]).doUpdateSet({ dates: values.dates, updated_at: values.updated_at, updated_by: values.updated_by }))
      .execute();
  }

  async schedulesOf(year: number): Promise<StoredReminderSchedule[]> {
    return (await this.db.selectFrom("reminder_schedules").selectAll().where("year", "=", year).execute()).map(schedule);
  }

  async runsOf(year: number, barId?: string): Promise<ReminderRun[]> {
    let q = this.db.selectFrom("reminder_runs").selectAll().where("year", "=", year);
    if (barId !== undefined) q = q.where("bar_id", "=", barId);
    const rows = await q.orderBy("bar_id").orderBy("reminder_date").execute();
    return rows.map((r) => ({ barId: r.bar_id, year: Number(r.year), date: r.reminder_date, completedAt: r.completed_at, supersededBy: r.superseded_by }));
  }

  async barsWithRequirement(year: number): Promise<string[]> {
    const rows = await this.db.selectFrom("compliance_policies").select("bar_id").where("year", "=", year).where("required_minutes", "is not", null).execute();
    return rows.map((r) => r.bar_id);
  }

  async contacts(barId: string, licences: string[]): Promise<Map<string, { email: string | null; lang: MessageLang | null }>> {
    const out = new Map<string, { email: string | null; lang: MessageLang | null }>();
    for (const chunk of chunks([...new Set(licences)], Math.max(1, this.store.maxParameters - 2))) {
      const [members, codes] = await Promise.all([
        this.db.selectFrom("members").select(["licence", "email"]).where("bar_id", "=", barId).where("licence", "in", chunk).execute(),
        // The language of each sign-in code request is on its outbox message (same id as the code row, 0011).
        this.db
          .selectFrom("advocate_codes as a")
          .innerJoin("outbox as o", "o.id", "a.id")
          .select(["a.licence", "o.lang"])
          .where("a.bar_id", "=", barId)
          .where("a.licence", "in", chunk)
          .where("o.kind", "=", "advocate_code")
          .orderBy("a.created_at")
          .orderBy("a.id")
          .execute(),
      ]);
      const latest = new Map<string, MessageLang>();
      for (const c of codes) if (c.lang === "kk" || c.lang === "ru" || c.lang === "en") latest.set(c.licence, c.lang); // the last one stays
      for (const m of members) out.set(m.licence, { email: m.email || null, lang: latest.get(m.licence) ?? null });
    }
    return out;
  }

  async insertReminders(reminders: Reminder[]): Promise<string[]> {
    if (reminders.length === 0) return [];
    const rows: ReminderRow[] = reminders.map((r) => ({
      id: r.id, bar_id: r.barId, year: r.year, reminder_date: r.date, licence: r.licence, full_name: r.fullName, to_address: r.toAddress, lang: r.lang,
      verified_tenths: r.verifiedTenths, required_tenths: r.requiredTenths, foundations_missing: r.foundationsMissing ? 1 : 0, created_at: r.createdAt,
    }));
    // The message names no certificate: its id is the reminder's, from which the composer reads the hours.
    const messages: OutboxRow[] = reminders.map((r) => ({
      id: r.id, kind: "reminder", certificate_id: null, event_id: null, participant_id: null, to_address: r.toAddress, lang: r.lang,
      status: r.toAddress ? "queued" : "no_address", attempts: 0, generation: 0, next_attempt_at: r.createdAt, lease_until: null, lease_token: null,
      message_id: null, last_error: null, created_at: r.createdAt, updated_at: r.createdAt, sent_at: null,
    }));
    const reminderInserts = [...chunks(rows, rowsPerInsert(this.store, REMINDER_COLUMNS))].map((chunk) =>
      this.db.insertInto("reminders").values(chunk).onConflict((oc) => oc.doNothing()).returning("id").compile(),
    );
    const outboxInserts = [...chunks(messages, rowsPerInsert(this.store, OUTBOX_COLUMNS))].map((chunk) =>
      this.db.insertInto("outbox").values(chunk).onConflict((oc) => oc.doNothing()).compile(),
    );
    const results = await this.store.atomic([...reminderInserts, ...outboxInserts]);
    return results.slice(0, reminderInserts.length).flatMap((r) => (r.rows as { id: string }[]).map((x) => x.id));
  }

  async completeRuns(runs: ReminderRun[]): Promise<void> {
    if (runs.length === 0) return;
    await this.db
      .insertInto("reminder_runs")
      .values(runs.map((r) => ({ bar_id: r.barId, year: r.year, reminder_date: r.date, completed_at: r.completedAt, superseded_by: r.supersededBy })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async get(id: string): Promise<Reminder | undefined> {
    const r = await this.db.selectFrom("reminders").selectAll().where("id", "=", id).executeTakeFirst();
    return r && reminder(r);
  }

  async log(barId: string, year: number): Promise<ReminderWithDelivery[]> {
    // A reminder and its outbox row are written together and neither is ever deleted alone: an inner join.
    const rows = await this.db
      .selectFrom("reminders as r")
      .innerJoin("outbox as o", "o.id", "r.id")
      .selectAll("r")
      .select(["o.status", "o.attempts", "o.sent_at", "o.last_error"])
      .where("r.bar_id", "=", barId)
      .where("r.year", "=", year)
      .orderBy("r.reminder_date")
      .orderBy("r.licence")
      .execute();
    return rows.map((r) => ({ ...reminder(r), status: r.status as OutboxStatus, attempts: Number(r.attempts), sentAt: r.sent_at, lastError: r.last_error }));
  }
}

const schedule = (r: { bar_id: string; year: number; dates: string; updated_at: string; updated_by: string }): StoredReminderSchedule => ({
  barId: r.bar_id, year: Number(r.year), dates: JSON.parse(r.dates) as string[], updatedAt: r.updated_at, updatedBy: r.updated_by,
});

const reminder = (r: ReminderRow): Reminder => ({
  id: r.id,
  barId: r.bar_id,
  year: Number(r.year),
  date: r.reminder_date,
  licence: r.licence,
  fullName: r.full_name,
  toAddress: r.to_address,
  lang: r.lang === "kk" || r.lang === "ru" || r.lang === "en" ? r.lang : null,
  verifiedTenths: Number(r.verified_tenths),
  requiredTenths: Number(r.required_tenths),
  foundationsMissing: Number(r.foundations_missing) === 1,
  createdAt: r.created_at,
});
