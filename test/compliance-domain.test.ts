import { describe, expect, it } from "vitest";
import {
  activeDaysInYear,
  kzYearRange,
  assessMemberYear,
  DEFAULT_POLICY,
  foundationsRequired,
  hoursToMinutes,
  wholeYearsBetween,
  type CompliancePolicy,
  type YearEntry,
} from "../src/domain/compliance.js";

const policy = (p: Partial<CompliancePolicy> = {}): CompliancePolicy => ({ ...DEFAULT_POLICY, requiredMinutes: hoursToMinutes(40), ...p });
const veteran = { admissionDate: "2010-05-01", suspensions: [] };
const cert = (id: string, hours: number, o: Partial<YearEntry> = {}): YearEntry => ({ credentialId: id, minutes: hoursToMinutes(hours), programme: "civil", role: "attendee", provenBy: "issued", ...o });

describe("length of practice and active days", () => {
  it("counts whole years from the admission date", () => {
    expect(wholeYearsBetween("2020-03-15", "2021-03-14")).toBe(0);
    expect(wholeYearsBetween("2020-03-15", "2021-03-15")).toBe(1);
    expect(wholeYearsBetween("2010-05-01", "2026-12-31")).toBe(16);
  });

  it("2.3: a suspension spanning two years removes from each year only its own days", () => {
    const m = { admissionDate: "2010-01-01", suspensions: [{ from: "2025-11-01", until: "2026-02-28" }] };
    expect(activeDaysInYear(2025, m)).toBe(365 - 61); // 1 Nov – 31 Dec 2025
    expect(activeDaysInYear(2026, m)).toBe(365 - 59); // 1 Jan – 28 Feb 2026
  });

  it("2.3: overlapping and open-ended suspensions count each day once", () => {
    const m = { admissionDate: "2010-01-01", suspensions: [{ from: "2026-03-01", until: "2026-03-31" }, { from: "2026-03-15", until: "2026-04-10" }, { from: "2026-12-01", until: null }] };
    expect(activeDaysInYear(2026, m)).toBe(365 - 41 - 31);
  });

  it("12.2: the calendar year is Kazakhstan's (UTC+05:00)", () => {
    expect(kzYearRange(2026)).toEqual({ from: "2025-12-31T19:00:00Z", to: "2026-12-31T19:00:00Z" });
  });

  it("counts the licence as active only from admission", () => {
    expect(activeDaysInYear(2026, { admissionDate: "2026-07-01", suspensions: [] })).toBe(184);
    expect(activeDaysInYear(2026, { admissionDate: "2027-01-10", suspensions: [] })).toBe(0);
  });
});

describe("the yearly assessment (12.1, 12.2)", () => {
  it("2.3: the quota is prorated over a suspension that spans two years", () => {
    const m = { admissionDate: "2010-01-01", suspensions: [{ from: "2025-07-02", until: "2026-07-01" }] };
    const y2025 = assessMemberYear(2025, m, [cert("a", 20)], policy());
    const y2026 = assessMemberYear(2026, m, [cert("b", 21)], policy());
    // 40 h = 1800 min; 2025 active 1 Jan – 1 Jul (182 days), 2026 active 2 Jul – 31 Dec (183 days)
    expect(y2025.requiredMinutes).toBe(Math.ceil((1800 * 182) / 365));
    expect(y2026.requiredMinutes).toBe(Math.ceil((1800 * 183) / 365));
    expect(y2025.status).toBe("met");
    expect(y2026.status).toBe("met");
    // Proration turned off by policy: the full quota, so 20 hours fall short.
    expect(assessMemberYear(2026, m, [cert("b", 20)], policy({ prorate: false })).status).toBe("short");
  });

  it("2.3: a licence suspended the whole year is exempt", () => {
    const m = { admissionDate: "2010-01-01", suspensions: [{ from: "2025-06-01", until: null }] };
    expect(assessMemberYear(2026, m, [], policy()).status).toBe("exempt");
  });

  it("10.2: an advocate in their first year without Foundations is short, whatever their hours", () => {
    const newcomer = { admissionDate: "2026-02-01", suspensions: [] };
    const lots = [cert("a", 30), cert("b", 30)];
    const without = assessMemberYear(2026, newcomer, lots, policy());
    expect(without).toMatchObject({ foundationsRequired: true, foundationsDone: false, status: "short" });
    const withFoundations = assessMemberYear(2026, newcomer, [...lots, cert("f", 6, { programme: "foundations" })], policy());
    expect(withFoundations).toMatchObject({ foundationsDone: true, status: "met" });
    // A veteran needs no Foundations course under the default (< 1 year) reading …
    expect(assessMemberYear(2026, veteran, lots, policy()).foundationsRequired).toBe(false);
    // … but does under the literal (>= 1 year) wording, when a bar chooses it.
    expect(assessMemberYear(2026, veteran, lots, policy({ foundationsRule: { operator: ">=", years: 1 } })).status).toBe("short");
  });

  it("10.2: practice is judged at the year's start, so an advocate admitted in autumn still needs Foundations the next year", () => {
    expect(foundationsRequired({ operator: "<", years: 1 }, "2025-10-01", 2026)).toBe(true);
    expect(foundationsRequired({ operator: "<", years: 1 }, "2025-01-01", 2026)).toBe(false);
    expect(foundationsRequired(null, "2026-01-01", 2026)).toBe(false);
  });

  it("5.1.4: teaching earns credit, 1:1 by default and as the policy's multiplier", () => {
    const entries = [cert("t", 10, { role: "teacher" }), cert("a", 10)];
    const oneToOne = assessMemberYear(2026, veteran, entries, policy({ requiredMinutes: hoursToMinutes(20) }));
    expect(oneToOne).toMatchObject({ verifiedMinutes: 900, teachingMinutes: 450, status: "met" });
    const double = assessMemberYear(2026, veteran, entries, policy({ requiredMinutes: hoursToMinutes(30), teachingCreditPercent: 200 }));
    expect(double).toMatchObject({ verifiedMinutes: 1350, teachingMinutes: 900, status: "met" });
    // Teaching a Foundations course does not complete it (10.2 asks the newcomer to take it).
    const taught = assessMemberYear(2026, { admissionDate: "2026-01-10", suspensions: [] }, [cert("f", 50, { role: "teacher", programme: "foundations" })], policy());
    expect(taught.foundationsDone).toBe(false);
  });

  it("2.2.4: a certificate counts once whether issued here or presented", () => {
    const url = "https://senim.test/c/abc";
    const r = assessMemberYear(2026, veteran, [cert(url, 20), cert(url, 20, { provenBy: "presented" }), cert("https://other.example/c/1", 20, { provenBy: "presented" })], policy());
    expect(r).toMatchObject({ verifiedMinutes: 1800, certificates: 2, status: "met" });
  });

  it("2.2.2: self-recorded hours are shown apart and never turned into verified ones", () => {
    const r = assessMemberYear(2026, veteran, [cert("a", 10), { credentialId: null, minutes: hoursToMinutes(100), programme: "civil", role: "attendee", provenBy: "self-recorded" }], policy());
    expect(r).toMatchObject({ verifiedMinutes: 450, selfRecordedMinutes: 4500, certificates: 1, status: "short" });
  });

  it("12.2: without a quota the year shows totals and the status 'no-policy', never a verdict", () => {
    const r = assessMemberYear(2026, veteran, [cert("a", 10)], DEFAULT_POLICY);
    expect(r).toMatchObject({ requiredMinutes: null, verifiedMinutes: 450, status: "no-policy" });
  });
});
