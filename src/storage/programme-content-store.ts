/**
 * 10.3 (migration 0020): the bars' approvals of the programmes' indicative content. Rows are only ever inserted: a
 * newer approval supersedes the one in force by its date, and every approval stays on record.
 */
import type { Programme } from "../domain/catalog.js";
import type { ProgrammeApproval } from "../domain/programme-content.js";
import type { ProgrammeContentStore } from "../registry/programme-content.js";
import type { AuditedWrite } from "../domain/audit.js";
import type { StoreDb } from "./atomic.js";
import { auditedAtomic } from "./audit-store.js";
import type { ProgrammeApprovalRow } from "./schema.js";

export class KyselyProgrammeContentStore implements ProgrammeContentStore {
  constructor(private readonly store: StoreDb) {}

  private get db() {
    return this.store.db;
  }

  async insertApproval(a: ProgrammeApproval, audit?: AuditedWrite): Promise<void> {
    await auditedAtomic(this.store, [this.db.insertInto("programme_approvals").values(approvalRow(a)).compile()], audit);
  }

  async approvals(barId: string, programme?: Programme): Promise<ProgrammeApproval[]> {
    let q = this.db.selectFrom("programme_approvals").selectAll().where("bar_id", "=", barId);
    if (programme !== undefined) q = q.where("programme", "=", programme);
    const rows = await q.orderBy("decision_date", "desc").orderBy("recorded_at", "desc").orderBy("id", "desc").execute();
    return rows.map(approval);
  }
}

const approvalRow = (a: ProgrammeApproval): ProgrammeApprovalRow => ({
  id: a.id, bar_id: a.barId, programme: a.programme, content_kk: a.content.kk, content_ru: a.content.ru, content_en: a.content.en,
  decision_number: a.decisionNumber, decision_date: a.decisionDate, recorded_at: a.recordedAt, recorded_by: a.recordedBy,
});
const approval = (r: ProgrammeApprovalRow): ProgrammeApproval => ({
  id: r.id, barId: r.bar_id, programme: r.programme as Programme, content: { kk: r.content_kk, ru: r.content_ru, en: r.content_en },
  decisionNumber: r.decision_number, decisionDate: r.decision_date, recordedAt: r.recorded_at, recordedBy: r.recorded_by,
});
