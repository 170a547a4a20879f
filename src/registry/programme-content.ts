/**
 * 10.3: each bar's approved indicative content of the programmes (10.1), published with the bar's registry (8.3). A
 * bar's admin records its presidium's approval (the content, the decision's number and date); a newer approval
 * supersedes the one in force and the older stays on record. Reading is public: the approved content is the bar's
 * published programme, which advocates choosing training (2.1) and providers planning it need, and it names no one.
 */
import type { AuditedWrite } from "../domain/audit.js";
import { assertMayApproveProgrammeContent, describePrincipal, type Principal } from "../domain/authz.js";
import { PROGRAMMES, type Programme } from "../domain/catalog.js";
import { keyedError } from "../domain/errors.js";
import { currentApproval, newestFirst, parseProgrammeApproval, type ProgrammeApproval, type ProgrammeApprovalTerms } from "../domain/programme-content.js";
import { kzDate } from "../domain/time.js";
import { audited } from "../lib/audit-chain.js";
import { newId } from "../lib/ids.js";
import { REGISTRY_DETAIL_TEMPLATES } from "./details.js";

/** What the approvals need from storage; each method is one statement, so atomic on its own. */
export interface ProgrammeContentStore {
  /** Adds an approval, with its audit entry (issue 17) in the same write; never replaces one. */
  insertApproval(a: ProgrammeApproval, audit?: AuditedWrite): Promise<void>;
  /** The bar's approvals (of one programme, or of all), newest first. */
  approvals(barId: string, programme?: Programme): Promise<ProgrammeApproval[]>;
}

/** An approval as published: who recorded it (an API key's id) is kept on record, not shown. */
export type PublishedApproval = Omit<ProgrammeApproval, "recordedBy"> & {
  /** The approval that superseded this one; `null` for the one in force. */
  supersededBy: string | null;
};

/** A programme's approved content at a bar: the approval in force and every approval, newest first. */
export interface ProgrammeContentState {
  barId: string;
  programme: Programme;
  current: PublishedApproval | null;
  history: PublishedApproval[];
}

export class ProgrammeContentService {
  constructor(private readonly deps: { store: ProgrammeContentStore; registry: { now(): string; bar(id: string): Promise<{ id: string } | undefined> } }) {}

  private async requireBar(barId: string): Promise<void> {
    if (!(await this.deps.registry.bar(barId))) throw keyedError("not_found", REGISTRY_DETAIL_TEMPLATES, "programme-content-bar-unknown", { id: JSON.stringify(barId) });
  }

  /**
   * 10.3: records the presidium's approval of the programme's content; it supersedes the one in force. Checked whole
   * before anything is stored (400 for a malformed approval, 422 for one dated after today or before the approval in
   * force); one INSERT, so nothing is stored half-way.
   */
  async approve(p: Principal, barId: string, programme: Programme, input: ProgrammeApprovalTerms): Promise<ProgrammeContentState> {
    assertMayApproveProgrammeContent(p, barId);
    await this.requireBar(barId);
    const now = this.deps.registry.now();
    const history = await this.deps.store.approvals(barId, programme);
    const terms = parseProgrammeApproval(input, { today: kzDate(now), current: currentApproval(history) });
    const approval: ProgrammeApproval = { id: newId(20), barId, programme, ...terms, recordedAt: now, recordedBy: describePrincipal(p) };
    await this.deps.store.insertApproval(approval, await audited({ at: now, principal: p, action: "programme-content.approved", barId, subjects: [approval.id], content: approval }));
    return this.state(barId, programme);
  }

  /** The programme's content at the bar: the approval in force (`null` before any) and the history. */
  async state(barId: string, programme: Programme): Promise<ProgrammeContentState> {
    await this.requireBar(barId);
    return stateOf(barId, programme, await this.deps.store.approvals(barId, programme));
  }

  /** Every programme (10.1, in its order) with the bar's approval in force, `null` where none is recorded. */
  async currentForBar(barId: string): Promise<{ programme: Programme; current: PublishedApproval | null }[]> {
    await this.requireBar(barId);
    const all = await this.deps.store.approvals(barId);
    return PROGRAMMES.map((programme) => ({ programme, current: stateOf(barId, programme, all.filter((a) => a.programme === programme)).current }));
  }
}

function stateOf(barId: string, programme: Programme, approvals: readonly ProgrammeApproval[]): ProgrammeContentState {
  const sorted = [...approvals].sort(newestFirst);
  const history = sorted.map(({ recordedBy: _, ...a }, i): PublishedApproval => ({ ...a, supersededBy: i === 0 ? null : sorted[i - 1]!.id }));
  return { barId, programme, current: history[0] ?? null, history };
}
