/**
 * Frozen: issue 18 — a bar reads the survey results of the events it accredited (7.5, 3.2) by `bar_id`, which had no
 * index: every bar's analysis scanned every answer ever given. The index starts from the bar and carries the event, the
 * join the aggregate makes next.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("survey_responses_bar").on("survey_responses").columns(["bar_id", "event_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("survey_responses_bar").execute();
}
