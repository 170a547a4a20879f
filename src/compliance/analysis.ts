/**
 * 3.2: each bar analyses and summarises the year's results; the RBA, the whole country's. Built from certificates
 * issued here (to the bar's members, by the participant list's bar), the anonymous surveys of providers the bar
 * accredited, and the compliance report of every member. A closed year's members' figures are those of its frozen
 * report (12.1, 12.2: the report the compliance service gives for the year); events, certificates, hours and surveys
 * are counted from what is stored now, late certificates included, and the analysis says so (`closing`).
 */
import type { Principal } from "../domain/authz.js";
import { assertMayReadBarReports } from "../domain/authz.js";
import { RBA_ID } from "../domain/catalog.js";
import type { ComplianceStatus } from "../domain/compliance.js";
import { keyedError } from "../domain/errors.js";
import { academicHours } from "../domain/time.js";
import type { RegistryService } from "../registry/service.js";
import type { ReportClosing } from "./closing.js";
import type { ComplianceReport, ComplianceService } from "./service.js";
import type { RatingSummary, SurveyService } from "./surveys.js";
import { COMPLIANCE_DETAIL_TEMPLATES } from "./details.js";

export interface TrainingGroup {
  programme: string;
  form: string;
  deliveryMode: string;
  certificates: number;
  minutes: number;
}

export interface AnalysisStore {
  /** Certificates (not revoked) for events that ended in `year`, grouped; `barId` limits to that bar's members. */
  trainingGroups(year: number, barId?: string): Promise<TrainingGroup[]>;
  distinctCounts(year: number, barId?: string): Promise<{ events: number; providers: number; advocates: number }>;
  certificatesByBar(year: number): Promise<{ barId: string; certificates: number; minutes: number }[]>;
}

export interface Breakdown {
  code: string;
  certificates: number;
  academicHours: number;
}

export interface AnnualAnalysis {
  barId: string;
  year: number;
  generatedAt: string;
  events: number;
  certificates: number;
  academicHours: number;
  activeProviders: number;
  advocatesTrained: number;
  byProgramme: Breakdown[];
  byForm: Breakdown[];
  byDeliveryMode: Breakdown[];
  surveys: RatingSummary;
  members: Record<ComplianceStatus, number> & { total: number };
  /**
   * 12.1, 12.2 (a territorial bar's analysis): the closing whose frozen report gave `members`, or `null` when they are
   * live (the year is not closed). Events, certificates, hours and surveys are live figures either way.
   */
  closing?: ReportClosing | null;
  /** The RBA's analysis only: each territorial bar's figures, `closedOn` when its members' are frozen at a closing. */
  byBar?: { barId: string; certificates: number; academicHours: number; members: Record<ComplianceStatus, number> & { total: number }; closedOn: string | null }[];
}

export class AnalysisService {
  constructor(private readonly deps: { store: AnalysisStore; registry: RegistryService; compliance: ComplianceService; surveys: SurveyService }) {}

  async analysis(p: Principal, barId: string, year: number): Promise<AnnualAnalysis> {
    assertMayReadBarReports(p, barId);
    if (!(await this.deps.registry.bar(barId))) throw keyedError("not_found", COMPLIANCE_DETAIL_TEMPLATES, "analysis-bar-unknown", { id: JSON.stringify(barId) });
    return this.build(barId, year, (id) => this.deps.compliance.yearReport(id, year));
  }

  /** `reportOf`: each bar's compliance report of the year; by default computed now (the closed years' too). */
  async build(barId: string, year: number, reportOf: (barId: string) => Promise<ComplianceReport> = (id) => this.deps.compliance.buildReport(id, year)): Promise<AnnualAnalysis> {
    const national = barId === RBA_ID;
    const scope = national ? undefined : barId;
    const vocabulary = await this.deps.registry.vocabulary();
    const territorial = (await this.deps.registry.bars()).filter((b) => b.id !== RBA_ID);
    const [groups, counts, surveys, byBarCerts, reports] = await Promise.all([
      this.deps.store.trainingGroups(year, scope),
      this.deps.store.distinctCounts(year, scope),
      this.deps.surveys.resultsFor(national ? { year } : { barId, year }),
      national ? this.deps.store.certificatesByBar(year) : Promise.resolve([]),
      Promise.all((national ? territorial.map((b) => b.id) : [barId]).map(reportOf)),
    ]);
    const breakdown = (key: "programme" | "form" | "deliveryMode", order: { code: string }[]): Breakdown[] => {
      const map = new Map<string, { certificates: number; minutes: number }>(order.map((o) => [o.code, { certificates: 0, minutes: 0 }]));
      for (const g of groups) {
        const e = map.get(g[key]) ?? { certificates: 0, minutes: 0 };
        e.certificates += g.certificates;
        e.minutes += g.minutes;
        map.set(g[key], e);
      }
      return [...map].map(([code, v]) => ({ code, certificates: v.certificates, academicHours: academicHours(v.minutes) }));
    };
    const memberTotals = (t: { members: number; met: number; short: number; exempt: number; "no-policy": number }) => ({ total: t.members, met: t.met, short: t.short, exempt: t.exempt, "no-policy": t["no-policy"] });
    const members = { total: 0, met: 0, short: 0, exempt: 0, "no-policy": 0 };
    for (const r of reports) for (const [k, v] of Object.entries(memberTotals(r.totals))) members[k as keyof typeof members] += v;
    const certificates = groups.reduce((a, g) => a + g.certificates, 0);
    const minutes = groups.reduce((a, g) => a + g.minutes, 0);
    const result: AnnualAnalysis = {
      barId,
      year,
      generatedAt: this.deps.registry.now(),
      events: counts.events,
      certificates,
      academicHours: academicHours(minutes),
      activeProviders: counts.providers,
      advocatesTrained: counts.advocates,
      byProgramme: breakdown("programme", vocabulary.programmes),
      byForm: breakdown("form", vocabulary.forms),
      byDeliveryMode: breakdown("deliveryMode", vocabulary.deliveryModes),
      surveys: surveys.overall,
      members,
    };
    if (!national) {
      result.closing = reports[0]!.closing ?? null;
    } else {
      result.byBar = territorial.map((b, i) => {
        const c = byBarCerts.find((x) => x.barId === b.id);
        return { barId: b.id, certificates: c?.certificates ?? 0, academicHours: academicHours(c?.minutes ?? 0), members: memberTotals(reports[i]!.totals), closedOn: reports[i]!.closing?.closedOn ?? null };
      });
    }
    return result;
  }
}
