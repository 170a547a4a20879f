import { describe, expect, it } from "vitest";
import {
  activeDaysInYear,
  kzYearRange,
  assessMemberYear,
  completesFoundations,
  creditedMinutes,
  DEFAULT_POLICY,
  foundationsCompletions,
  foundationsRequired,
  hoursToMinutes,
  statusOf,
  wholeYearsBetween,
  withLateEntries,
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

describe("10.2 Foundations: once completed, and the bar's minimum length", () => {
  const rule = { operator: "<" as const, years: 1 };
  it("10.2: once completed in an earlier year the duty does not return, whatever the practice", () => {
    expect(foundationsRequired(rule, "2025-10-01", 2026)).toBe(true);
    expect(foundationsRequired(rule, "2025-10-01", 2026, 2025)).toBe(false);
    // Under the literal (>= 1 year) reading too: completed, never again.
    expect(foundationsRequired({ operator: ">=", years: 1 }, "2010-01-01", 2026, 2019)).toBe(false);
    // A completion "in" the same or a later year is not an earlier one.
    expect(foundationsRequired(rule, "2025-10-01", 2026, 2026)).toBe(true);
    const y = assessMemberYear(2026, { admissionDate: "2025-10-01", suspensions: [], foundationsCompletedIn: 2025 }, [cert("a", 40)], policy());
    expect(y).toMatchObject({ foundationsRequired: false, foundationsCompletedIn: 2025, status: "met" });
    expect(y.notes.map((n) => n.code)).toEqual(["foundations-completed"]);
    expect(y.notes[0]!.text).toBe("Foundations completed in 2025: not required again (10.2).");
  });

  it("10.2: a Foundations event shorter than the bar's minimum counts its hours but does not complete Foundations", () => {
    const newcomer = { admissionDate: "2026-02-01", suspensions: [] };
    const short = cert("f", 6, { programme: "foundations" }); // 270 minutes
    const entries = [cert("a", 40), short];
    expect(assessMemberYear(2026, newcomer, entries, policy()).foundationsDone).toBe(true); // default: any length
    const strict = assessMemberYear(2026, newcomer, entries, policy({ foundationsMinimumMinutes: 360 }));
    expect(strict).toMatchObject({ verifiedMinutes: hoursToMinutes(46), foundationsDone: false, foundationsTooShort: 1, status: "short" });
    expect(strict.notes.find((n) => n.code === "foundations-too-short")).toMatchObject({ params: { count: 1, minutes: 360 } });
    expect(completesFoundations({ ...short, minutes: 360 }, { foundationsMinimumMinutes: 360 })).toBe(true);
    expect(completesFoundations({ ...short, role: "teacher" }, { foundationsMinimumMinutes: null })).toBe(false);
    expect(completesFoundations({ ...short, provenBy: "self-recorded" }, {})).toBe(false);
  });

  it("10.2: an earlier completion is judged by the minimum of its own year's policy; the earliest counts", () => {
    const minimumOf = (year: number) => ({ foundationsMinimumMinutes: year === 2024 ? 400 : null });
    const completions = foundationsCompletions(
      [
        { licence: "1", year: 2024, minutes: 300 }, // below 2024's minimum: not a completion
        { licence: "1", year: 2025, minutes: 300 },
        { licence: "2", year: 2025, minutes: 500 },
        { licence: "2", year: 2023, minutes: 30 },
      ],
      minimumOf,
    );
    expect([...completions].sort()).toEqual([["1", 2025], ["2", 2023]]);
  });
});

describe("2.3 and 10.2 in words on the member's line", () => {
  it("2.3: a partial suspension prorates the requirement, and the line says so", () => {
    const m = { admissionDate: "2010-01-01", suspensions: [{ from: "2026-03-01", until: "2026-03-31" }] };
    const y = assessMemberYear(2026, m, [cert("a", 40)], policy());
    expect(y.notes.map((n) => n.code)).toEqual(["suspended", "quota-prorated"]);
    expect(y.notes[0]!.params).toEqual({ days: 31 });
    expect(y.notes[1]!.params).toEqual({ active: 334, days: 365, hours: 36.6, full: 40 });
    expect(y.notes[1]!.text).toBe("Requirement prorated to 334 of 365 days: 36.6 of 40 academic hours (2.3).");
    // Proration off, as the policy may say: the full requirement, in words.
    expect(assessMemberYear(2026, m, [], policy({ prorate: false })).notes.map((n) => n.code)).toEqual(["suspended", "quota-not-prorated"]);
  });

  it("2.3, 10.2: a late admission prorates from the admission date and needs Foundations, in words", () => {
    const y = assessMemberYear(2026, { admissionDate: "2026-07-01", suspensions: [] }, [], policy());
    expect(y.notes.map((n) => n.code)).toEqual(["admitted-mid-year", "quota-prorated", "foundations-required"]);
    expect(y.notes[0]!.params).toEqual({ date: "2026-07-01" });
    expect(y.notes[2]!.params).toEqual({ years: 0, on: "2026-07-01", rule: "< 1" });
    // A licence inactive all year: exempt, one note; a veteran active all year: none.
    expect(assessMemberYear(2026, { admissionDate: "2010-01-01", suspensions: [{ from: "2025-01-01", until: null }] }, [], policy()).notes.map((n) => n.code)).toEqual(["inactive-all-year"]);
    expect(assessMemberYear(2026, veteran, [], policy()).notes).toEqual([]);
  });
});

describe("12.2: what late certificates would change in a closed year", () => {
  it("12.2: late hours are weighed against the frozen figures under the closing's policy; exempt stays exempt", () => {
    const frozen = { verifiedMinutes: hoursToMinutes(30), requiredMinutes: hoursToMinutes(40), foundationsRequired: true, foundationsDone: false, status: "short" as const };
    const p = policy({ foundationsMinimumMinutes: 360 });
    expect(withLateEntries(frozen, [cert("x", 10)], p)).toMatchObject({ verifiedMinutes: hoursToMinutes(40), foundationsDone: false, status: "short" });
    expect(withLateEntries(frozen, [cert("x", 10), cert("f", 8, { programme: "foundations" })], p)).toMatchObject({ foundationsDone: true, status: "met" });
    expect(withLateEntries({ ...frozen, status: "exempt" }, [cert("x", 50)], p).status).toBe("exempt");
    expect(statusOf({ activeDays: 10, requiredMinutes: null, verifiedMinutes: 0, foundationsRequired: false, foundationsDone: false })).toBe("no-policy");
  });
});

describe("5.1(4): teaching credited by the minutes taught, on courses", () => {
  it("5.1(4): a teacher's entry credits the minutes taught at the policy's percentage; on another form it credits nothing", () => {
    const taught = { minutes: 90, role: "teacher" as const };
    expect(creditedMinutes(taught, { teachingCreditPercent: 100 })).toBe(90);
    expect(creditedMinutes({ ...taught, form: "course" }, { teachingCreditPercent: 150 })).toBe(135);
    expect(creditedMinutes({ ...taught, form: "seminar" }, { teachingCreditPercent: 150 })).toBe(0);
    // An attendee's minutes (12.3: partial attendance) count as they are, whatever the form.
    expect(creditedMinutes({ minutes: 100, role: "attendee", form: "seminar" }, { teachingCreditPercent: 150 })).toBe(100);
    const year = assessMemberYear(2026, veteran, [cert("t", 2, { role: "teacher", form: "course" }), cert("s", 2, { role: "teacher", form: "master-class" })], policy({ teachingCreditPercent: 100 }));
    expect(year).toMatchObject({ verifiedMinutes: 90, teachingMinutes: 90 });
  });
});
