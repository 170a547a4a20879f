import { sql } from "kysely";
import type { StoredSurveyResponse, SurveyEventAggregate, SurveyStore } from "../compliance/surveys.js";
import { kzYearRange } from "../domain/compliance.js";
import { isUniqueViolation } from "./errors.js";
import { chunks, rowsPerInsert, type StoreDb } from "./atomic.js";

export class KyselySurveyStore implements SurveyStore {
  constructor(private readonly store: StoreDb) {}

  private get db() {
    return this.store.db;
  }

  async answer(tokenHash: string, r: StoredSurveyResponse): Promise<"recorded" | "already-answered" | "id-taken"> {
    // A plain INSERT of the token: a second answer (even a concurrent one) violates its key and fails the whole unit.
    try {
      await this.store.atomic([
        this.db.insertInto("survey_spent").values({ token_hash: tokenHash }).compile(),
        this.db
          .insertInto("survey_responses")
          .values({ id: r.id, event_id: r.eventId, party_id: r.partyId, bar_id: r.barId, quality: r.quality, effectiveness: r.effectiveness, usefulness: r.usefulness, comment: r.comment })
          .compile(),
      ]);
      return "recorded";
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      // Nothing was written: either the token was already spent, or the random response id is taken.
      return (await this.isSpent(tokenHash)) ? "already-answered" : "id-taken";
    }
  }

  async isSpent(tokenHash: string): Promise<boolean> {
    return (await this.db.selectFrom("survey_spent").select("token_hash").where("token_hash", "=", tokenHash).executeTakeFirst()) !== undefined;
  }

  async putLinks(links: { certificateId: string; tokenMac: string }[], mode: "first" | "replace"): Promise<Set<string>> {
    if (links.length === 0) return new Set();
    // Every chunk in one unit; each statement returns the rows it wrote, so `first` reports only the links it made.
    const statements = [...chunks(links, rowsPerInsert(this.store, 2))].map((rows) =>
      this.db
        .insertInto("survey_links")
        .values(rows.map((l) => ({ certificate_id: l.certificateId, token_mac: l.tokenMac })))
        .onConflict((oc) => (mode === "first" ? oc.column("certificate_id").doNothing() : oc.column("certificate_id").doUpdateSet((eb) => ({ token_mac: eb.ref("excluded.token_mac") }))))
        .returning("certificate_id")
        .compile(),
    );
    const results = await this.store.atomic(statements);
    return new Set(results.flatMap((r) => (r.rows as { certificate_id: string }[]).map((row) => row.certificate_id)));
  }

  async certificateOfLink(tokenMac: string): Promise<string | undefined> {
    const r = await this.db.selectFrom("survey_links").select("certificate_id").where("token_mac", "=", tokenMac).executeTakeFirst();
    return r?.certificate_id;
  }

  async aggregate(filter: { partyId?: string; barId?: string; year?: number }): Promise<SurveyEventAggregate[]> {
    let q = this.db
      .selectFrom("survey_responses as s")
      .innerJoin("events as e", "e.id", "s.event_id")
      .innerJoin("parties as p", "p.id", "s.party_id")
      .select([
        "s.event_id", "e.topic", "s.party_id", "p.name as party_name", "s.bar_id",
        sql<number>`count(*)`.as("n"),
        sql<number>`sum(s.quality)`.as("q"),
        sql<number>`sum(s.effectiveness)`.as("ef"),
        sql<number>`sum(s.usefulness)`.as("u"),
      ])
      .groupBy(["s.event_id", "e.topic", "s.party_id", "p.name", "s.bar_id"]);
    if (filter.partyId !== undefined) q = q.where("s.party_id", "=", filter.partyId);
    if (filter.barId !== undefined) q = q.where("s.bar_id", "=", filter.barId);
    if (filter.year !== undefined) {
      const { from, to } = kzYearRange(filter.year);
      q = q.where("e.ends_at", ">=", from).where("e.ends_at", "<", to);
    }
    const rows = await q.orderBy("e.topic").orderBy("s.event_id").execute();
    const comments = new Map<string, string[]>();
    if (rows.length > 0 && rows.length <= 500) {
      // Comments in random order: the table's order says nothing, and neither does the list.
      const list = await this.db.selectFrom("survey_responses").select(["event_id", "comment"]).where("event_id", "in", rows.map((r) => r.event_id)).where("comment", "is not", null).orderBy("id").execute();
      for (const c of list) comments.set(c.event_id, [...(comments.get(c.event_id) ?? []), c.comment!]);
    }
    return rows.map((r) => ({
      eventId: r.event_id, topic: r.topic, partyId: r.party_id, partyName: r.party_name, barId: r.bar_id, responses: Number(r.n),
      sums: { quality: Number(r.q), effectiveness: Number(r.ef), usefulness: Number(r.u) }, comments: comments.get(r.event_id) ?? [],
    }));
  }
}
