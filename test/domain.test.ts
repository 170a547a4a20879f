/**
 * The Procedure's rules as pure functions (src/domain): no database, no HTTP. Clause numbers are in the test names.
 */
import { describe, expect, it } from "vitest";
import {
  assertAccreditationDecision,
  withdrawalDue,
  assertWithdrawalAllowed,
  coverage,
  findCoveringAccreditation,
  MIN_VIOLATIONS_FOR_WITHDRAWAL,
  type Accreditation,
  type Withdrawal,
} from "../src/domain/accreditation.js";
import {
  administeredBar,
  assertIsProvider,
  assertMayDecideForBar,
  assertMayManagePartyKeys,
  assertMayRegisterParty,
  assertMayRevoke,
  describePrincipal,
  type Principal,
} from "../src/domain/authz.js";
import { FORMS, FORMS_REQUIRING_CENTRE_OR_BAR, PARTY_KINDS, PROGRAMMES, RBA_ID, type Form, type PartyKind } from "../src/domain/catalog.js";
import { SenimError, type ErrorCode } from "../src/domain/errors.js";
import { httpStatusOf } from "../src/http/problem.js";
import { assertEventTimes, assertOrganiserMayRunForm, LATE_RECORDING_DAYS, MAX_EVENT_SPAN_DAYS, recordingLag, requireAccreditationForEvent } from "../src/domain/event.js";
import { lateEventScope } from "../src/domain/authz.js";
import { keyValidAt, retirementInstant, signingKeyAt } from "../src/domain/keys.js";
import { maskLicence, normaliseKazakh, normaliseLicence } from "../src/domain/people.js";
import { ACADEMIC_HOUR_MINUTES, academicHours, isValidDate, KZ_OFFSET, kzDate, parseInstant, toInstant } from "../src/domain/time.js";

/** Runs `fn` and returns the SenimError code it throws (fails the test if it throws nothing or something else). */
function codeOf(fn: () => void): ErrorCode {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SenimError);
    return (e as SenimError).code;
  }
  throw new Error("expected a SenimError, nothing was thrown");
}

function accreditation(o: Partial<Accreditation> = {}): Accreditation {
  return {
    id: "a1",
    partyId: "p1",
    barId: "almaty-city",
    decisionNumber: "7-П",
    decisionDate: "2026-01-01",
    criteria: [{ criterion: "education-licence", evidence: "Licence KZ-EDU-001" }],
    programmes: null,
    forms: null,
    validFrom: "2025-12-31T19:00:00Z", // 2026-01-01 in Kazakhstan
    validUntil: null,
    withdrawal: null,
    violationCount: 0,
    ...o,
  };
}

const withdrawal = (effectiveFrom: string, ground: Withdrawal["ground"] = "non-compliance"): Withdrawal => ({
  ground,
  decisionNumber: "12-П",
  decisionDate: "2026-05-01",
  effectiveFrom,
  reason: "9.2",
});

describe("10.6: academic hours", () => {
  it("10.6: one academic hour is 45 minutes", () => {
    expect(ACADEMIC_HOUR_MINUTES).toBe(45);
    expect(academicHours(45)).toBe(1);
  });

  it("10.6: 270 minutes are 6.0 academic hours", () => {
    expect(academicHours(270)).toBe(6);
  });

  it("10.6: 360 minutes (a six-hour clock day) are 8 academic hours, never 6", () => {
    expect(academicHours(360)).toBe(8);
  });

  it("10.6: 60 minutes are 1.3 academic hours, shown with one decimal", () => {
    expect(academicHours(60)).toBe(1.3);
    expect(academicHours(100)).toBe(2.2);
    expect(academicHours(90)).toBe(2);
  });

  it("10.6: hours are rounded half up to one decimal (22 and 23 minutes are 0.5; 67 minutes 1.5)", () => {
    expect(academicHours(22)).toBe(0.5);
    expect(academicHours(23)).toBe(0.5);
    expect(academicHours(67)).toBe(1.5);
  });

  it("10.6: the result always has at most one decimal", () => {
    for (let m = 1; m <= 10_000; m++) {
      const h = academicHours(m);
      expect(Math.round(h * 10) / 10).toBe(h);
      expect(Math.abs(h - m / 45)).toBeLessThanOrEqual(0.05 + 1e-9);
    }
  });
});

describe("dates in Kazakhstan (UTC+05:00)", () => {
  it("a presidium's date means the start of that day in Kazakhstan, UTC+05:00", () => {
    expect(KZ_OFFSET).toBe("+05:00");
    expect(parseInstant("2026-03-01")).toBe("2026-02-28T19:00:00Z");
    expect(parseInstant("2028-02-29")).toBe("2028-02-28T19:00:00Z");
  });

  it("rejects impossible calendar dates that Date.parse would roll over: 2026-02-30, 2026-02-31, 2027-02-29, 2026-04-31", () => {
    expect(parseInstant("2026-02-30")).toBeUndefined();
    expect(parseInstant("2026-02-31")).toBeUndefined();
    expect(parseInstant("2027-02-29")).toBeUndefined();
    expect(parseInstant("2026-04-31")).toBeUndefined();
    // Date-times too: Date.parse would roll these over silently.
    for (const bad of ["2026-02-30T10:00:00Z", "2026-04-31T00:00:00+05:00", "2026-03-01T24:00:00Z", "2026-03-01T10:60:00Z", "2026-13-01T10:00:00Z", "2026-03-01T10:00:00+24:00"]) {
      expect({ bad, parsed: parseInstant(bad) }).toEqual({ bad, parsed: undefined });
    }
    expect(isValidDate("2026-02-30")).toBe(false);
    expect(isValidDate("2026-02-28")).toBe(true);
  });

  it("rejects months and days out of range, and text that is not a date", () => {
    for (const bad of ["2026-13-01", "2026-00-10", "2026-1-1", "01.03.2026", "", "yesterday", "2026-03-01T10:00:00", "2026-03-01T10:00:00+25:00", "2026-03-01T23:60:00Z"]) {
      expect({ bad, parsed: parseInstant(bad) }).toEqual({ bad, parsed: undefined });
    }
  });

  it("normalises an RFC 3339 date-time with any offset to a whole-second UTC instant", () => {
    expect(parseInstant("2026-03-01T10:00:00+05:00")).toBe("2026-03-01T05:00:00Z");
    expect(parseInstant("2026-03-01T10:00+05:00")).toBe("2026-03-01T05:00:00Z");
    expect(parseInstant("2026-03-01T10:00:00Z")).toBe("2026-03-01T10:00:00Z");
    expect(parseInstant("2026-03-01T10:00:00.999Z")).toBe("2026-03-01T10:00:00Z");
    expect(parseInstant("2026-03-01T00:00:00-03:00")).toBe("2026-03-01T03:00:00Z");
  });

  it("toInstant truncates to whole seconds in the YYYY-MM-DDTHH:MM:SSZ form", () => {
    expect(toInstant(Date.parse("2026-06-01T09:00:00.999Z"))).toBe("2026-06-01T09:00:00Z");
    expect(toInstant(0)).toBe("1970-01-01T00:00:00Z");
  });

  it("12.2: the calendar date in Kazakhstan: 19:00Z on 31 December is already the next year", () => {
    expect(kzDate("2026-12-31T18:59:59Z")).toBe("2026-12-31");
    expect(kzDate("2026-12-31T19:00:00Z")).toBe("2027-01-01");
  });
});

describe("accreditation coverage (9.1, 9.2, 10.1, 5.1)", () => {
  it("9.1: an accreditation covers every programme and form from its validFrom (inclusive)", () => {
    const a = accreditation();
    for (const p of PROGRAMMES) for (const f of FORMS) expect(coverage(a, p, f, "2026-03-01T10:00:00Z")).toBe("covered");
    expect(coverage(a, "civil", "course", a.validFrom)).toBe("covered");
  });

  it("9.1: not yet valid one second before validFrom", () => {
    expect(coverage(accreditation(), "civil", "course", "2025-12-31T18:59:59Z")).toBe("not-yet-valid");
  });

  it("9.1: expired from validUntil (exclusive end)", () => {
    const a = accreditation({ validUntil: "2026-12-31T19:00:00Z" });
    expect(coverage(a, "civil", "course", "2026-12-31T18:59:59Z")).toBe("covered");
    expect(coverage(a, "civil", "course", "2026-12-31T19:00:00Z")).toBe("expired");
    expect(coverage(a, "civil", "course", "2027-06-01T00:00:00Z")).toBe("expired");
  });

  it("9.2: withdrawn from the withdrawal's effective date, not before", () => {
    const a = accreditation({ withdrawal: withdrawal("2026-04-30T19:00:00Z") });
    expect(coverage(a, "civil", "course", "2026-04-30T18:59:59Z")).toBe("covered");
    expect(coverage(a, "civil", "course", "2026-04-30T19:00:00Z")).toBe("withdrawn");
    expect(coverage(a, "civil", "course", "2026-06-01T00:00:00Z")).toBe("withdrawn");
  });

  it("9.2: history matters: a certificate dated before the withdrawal is still covered by the withdrawn accreditation", () => {
    const a = accreditation({ withdrawal: withdrawal("2026-04-30T19:00:00Z", "repeated-violations"), violationCount: 2 });
    const found = findCoveringAccreditation([a], "criminal", "course", "2026-03-15T09:00:00Z");
    expect(found).toEqual({ accreditation: a });
    expect(findCoveringAccreditation([a], "criminal", "course", "2026-05-15T09:00:00Z")).toEqual({ refusal: "withdrawn" });
  });

  it("10.1: an accreditation scoped to programmes refuses the others", () => {
    const a = accreditation({ programmes: ["civil", "topical"] });
    expect(coverage(a, "civil", "course", "2026-03-01T00:00:00Z")).toBe("covered");
    expect(coverage(a, "topical", "course", "2026-03-01T00:00:00Z")).toBe("covered");
    expect(coverage(a, "criminal", "course", "2026-03-01T00:00:00Z")).toBe("programme-out-of-scope");
    expect(coverage(a, "foundations", "course", "2026-03-01T00:00:00Z")).toBe("programme-out-of-scope");
  });

  it("5.1: an accreditation scoped to forms refuses the others", () => {
    const a = accreditation({ forms: ["course"] });
    expect(coverage(a, "criminal", "course", "2026-03-01T00:00:00Z")).toBe("covered");
    expect(coverage(a, "criminal", "seminar", "2026-03-01T00:00:00Z")).toBe("form-out-of-scope");
    expect(coverage(a, "criminal", "master-class", "2026-03-01T00:00:00Z")).toBe("form-out-of-scope");
  });

  it("9.2 before scope: a withdrawn accreditation reports withdrawn even for an out-of-scope programme", () => {
    const a = accreditation({ programmes: ["civil"], withdrawal: withdrawal("2026-02-01T00:00:00Z") });
    expect(coverage(a, "criminal", "course", "2026-03-01T00:00:00Z")).toBe("withdrawn");
  });

  it("findCoveringAccreditation: nothing at all is refused as not-yet-valid", () => {
    expect(findCoveringAccreditation([], "civil", "course", "2026-03-01T00:00:00Z")).toEqual({ refusal: "not-yet-valid" });
  });

  it("findCoveringAccreditation: a second accreditation covers what the first does not (scope)", () => {
    const civil = accreditation({ id: "a1", programmes: ["civil"] });
    const criminal = accreditation({ id: "a2", programmes: ["criminal"], validFrom: "2026-02-01T00:00:00Z" });
    expect(findCoveringAccreditation([civil, criminal], "criminal", "course", "2026-03-01T00:00:00Z")).toEqual({ accreditation: criminal });
    expect(findCoveringAccreditation([civil, criminal], "civil", "course", "2026-03-01T00:00:00Z")).toEqual({ accreditation: civil });
  });

  it("findCoveringAccreditation: a renewal after expiry covers later dates; the gap is refused", () => {
    const first = accreditation({ id: "a1", validUntil: "2026-03-01T00:00:00Z" });
    const renewal = accreditation({ id: "a2", validFrom: "2026-04-01T00:00:00Z" });
    expect(findCoveringAccreditation([renewal, first], "civil", "course", "2026-02-01T00:00:00Z")).toEqual({ accreditation: first });
    expect(findCoveringAccreditation([renewal, first], "civil", "course", "2026-05-01T00:00:00Z")).toEqual({ accreditation: renewal });
    expect(findCoveringAccreditation([renewal, first], "civil", "course", "2026-03-15T00:00:00Z")).toEqual({ refusal: "expired" });
  });

  it("findCoveringAccreditation: when several cover, the earliest granted wins whatever the input order", () => {
    const early = accreditation({ id: "b", validFrom: "2026-01-01T00:00:00Z" });
    const late = accreditation({ id: "a", validFrom: "2026-02-01T00:00:00Z" });
    expect(findCoveringAccreditation([late, early], "civil", "course", "2026-03-01T00:00:00Z")).toEqual({ accreditation: early });
    expect(findCoveringAccreditation([early, late], "civil", "course", "2026-03-01T00:00:00Z")).toEqual({ accreditation: early });
  });

  it("findCoveringAccreditation: the refusal closest to success is reported (scope over expiry)", () => {
    const expired = accreditation({ id: "a1", validUntil: "2026-02-01T00:00:00Z" });
    const scoped = accreditation({ id: "a2", programmes: ["civil"] });
    expect(findCoveringAccreditation([expired, scoped], "criminal", "course", "2026-03-01T00:00:00Z")).toEqual({ refusal: "programme-out-of-scope" });
    const formScoped = accreditation({ id: "a3", forms: ["course"] });
    expect(findCoveringAccreditation([expired, formScoped], "criminal", "seminar", "2026-03-01T00:00:00Z")).toEqual({ refusal: "form-out-of-scope" });
  });
});

describe("accreditation on the training's dates: spans (5.1(1), 7.1, 9.2)", () => {
  // 5.1(1), 7.1: training counts when given *by* an accredited provider: the days it was given are what must be
  // covered, by one decision, whatever day its certificates are signed.
  const span = (from: string, to: string) => ({ from, to });

  it("5.1(1), 7.1: an event held entirely before validFrom is refused (not yet accredited)", () => {
    const a = accreditation({ validFrom: "2026-02-28T19:00:00Z" }); // 1 March in Kazakhstan
    expect(coverage(a, "civil", "course", span("2026-01-15T04:00:00Z", "2026-01-15T10:00:00Z"))).toBe("not-yet-valid");
    expect(findCoveringAccreditation([a], "civil", "course", span("2026-01-15T04:00:00Z", "2026-01-15T10:00:00Z"))).toEqual({ refusal: "not-yet-valid" });
    // Signed today, inside the accreditation: the instant form would say covered; the span is what counts.
    expect(coverage(a, "civil", "course", "2026-06-01T09:00:00Z")).toBe("covered");
  });

  it("5.1(1), 7.1: an event straddling validFrom is refused: its first days were not covered", () => {
    const a = accreditation({ validFrom: "2026-02-28T19:00:00Z" });
    expect(coverage(a, "civil", "course", span("2026-02-27T04:00:00Z", "2026-03-03T10:00:00Z"))).toBe("not-yet-valid");
    expect(coverage(a, "civil", "course", span("2026-02-28T19:00:00Z", "2026-03-03T10:00:00Z"))).toBe("covered"); // from validFrom, inclusive
  });

  it("9.2: an event held entirely before a withdrawal's effect stays covered, however late it is checked", () => {
    const a = accreditation({ withdrawal: withdrawal("2026-04-30T19:00:00Z") });
    const held = span("2026-04-20T04:00:00Z", "2026-04-30T18:59:59Z");
    expect(coverage(a, "civil", "course", held)).toBe("covered");
    expect(findCoveringAccreditation([a], "civil", "course", held)).toEqual({ accreditation: a });
    // The same accreditation refuses an instant after the withdrawal (a certificate's date): the span is not that.
    expect(coverage(a, "civil", "course", "2026-06-01T09:00:00Z")).toBe("withdrawn");
  });

  it("9.2: an event straddling the withdrawal's effect, or held after it, is refused", () => {
    const a = accreditation({ withdrawal: withdrawal("2026-04-30T19:00:00Z") });
    expect(coverage(a, "civil", "course", span("2026-04-29T04:00:00Z", "2026-05-02T10:00:00Z"))).toBe("withdrawn");
    expect(coverage(a, "civil", "course", span("2026-04-29T04:00:00Z", "2026-04-30T19:00:00Z"))).toBe("withdrawn"); // ends at the effect
    expect(coverage(a, "civil", "course", span("2026-05-10T04:00:00Z", "2026-05-10T10:00:00Z"))).toBe("withdrawn");
  });

  it("9.1: expiry likewise: an event that ended before validUntil is covered; one running past it, or after it, is not", () => {
    const a = accreditation({ validUntil: "2026-12-31T19:00:00Z" });
    expect(coverage(a, "civil", "course", span("2026-12-30T04:00:00Z", "2026-12-31T18:59:59Z"))).toBe("covered");
    expect(coverage(a, "civil", "course", span("2026-12-30T04:00:00Z", "2027-01-02T10:00:00Z"))).toBe("expired");
    expect(coverage(a, "civil", "course", span("2027-01-10T04:00:00Z", "2027-01-10T10:00:00Z"))).toBe("expired");
  });

  it("5.1(1), 7.1: one decision must cover the whole span: an expiry and a renewal the next day do not add up", () => {
    const first = accreditation({ id: "a1", validUntil: "2026-03-01T00:00:00Z" });
    const renewal = accreditation({ id: "a2", validFrom: "2026-03-01T00:00:00Z" });
    expect(findCoveringAccreditation([first, renewal], "civil", "course", span("2026-02-27T04:00:00Z", "2026-03-02T10:00:00Z"))).toEqual({ refusal: "expired" });
    expect(findCoveringAccreditation([first, renewal], "civil", "course", span("2026-03-02T04:00:00Z", "2026-03-02T10:00:00Z"))).toEqual({ accreditation: renewal });
  });

  it("requireAccreditationForEvent: names the covering decision, or refuses with the code and reason for the event's dates", () => {
    const a = accreditation({ validFrom: "2026-02-28T19:00:00Z", programmes: ["civil"], withdrawal: withdrawal("2026-04-30T19:00:00Z") });
    const event = (o: Partial<{ programme: string; form: string; startsAt: string; endsAt: string }> = {}) => ({ programme: "civil", form: "course", startsAt: "2026-03-10T04:00:00Z", endsAt: "2026-03-10T10:00:00Z", ...o });
    expect(requireAccreditationForEvent([a], event(), "sign")).toBe(a);
    const refusal = (e: ReturnType<typeof event>, list: Accreditation[] = [a]) => {
      try {
        requireAccreditationForEvent(list, e, "record");
      } catch (err) {
        expect(err).toBeInstanceOf(SenimError);
        return { code: (err as SenimError).code, ...(err as SenimError).extra, detail: (err as SenimError).message };
      }
      throw new Error("expected a refusal");
    };
    expect(refusal(event({ startsAt: "2026-01-10T04:00:00Z", endsAt: "2026-01-10T10:00:00Z" }))).toMatchObject({ code: "not_accredited", reason: "not-yet-valid", startsAt: "2026-01-10T04:00:00Z", detail: expect.stringContaining("not yet accredited on the event's dates") });
    expect(refusal(event({ startsAt: "2026-05-10T04:00:00Z", endsAt: "2026-05-10T10:00:00Z" }))).toMatchObject({ code: "not_accredited", reason: "withdrawn", detail: expect.stringContaining("9.2") });
    expect(refusal(event({ programme: "criminal" }))).toMatchObject({ code: "out_of_scope", reason: "programme-out-of-scope", detail: expect.stringContaining("10.1") });
    expect(refusal(event(), [])).toMatchObject({ code: "not_accredited", detail: expect.stringContaining("not accredited (3.1, 9.1)") });
  });
});

describe("events recorded late (issue 12: back-dating)", () => {
  it("marks an event recorded more than LATE_RECORDING_DAYS after it ended, and counts whole days", () => {
    expect(LATE_RECORDING_DAYS).toBe(30);
    const endsAt = "2026-03-01T10:00:00Z";
    const at = (days: number, ms = 0) => toInstant(Date.parse(endsAt) + days * 86_400_000 + ms);
    expect(recordingLag({ endsAt, createdAt: "2026-02-20T09:00:00Z" })).toEqual({ recordedDaysAfterEnd: 0, recordedLate: false }); // planned ahead
    expect(recordingLag({ endsAt, createdAt: at(1) })).toEqual({ recordedDaysAfterEnd: 1, recordedLate: false });
    expect(recordingLag({ endsAt, createdAt: at(30) })).toEqual({ recordedDaysAfterEnd: 30, recordedLate: false }); // exactly 30 days: not more
    expect(recordingLag({ endsAt, createdAt: at(30, 1_000) })).toEqual({ recordedDaysAfterEnd: 30, recordedLate: true });
    expect(recordingLag({ endsAt, createdAt: at(120) })).toEqual({ recordedDaysAfterEnd: 120, recordedLate: true });
  });

  it("a bar sees its own providers' late events, the RBA every provider's, a provider none but its own (in its console)", () => {
    expect(lateEventScope({ role: "rba-admin", keyId: "k" })).toEqual({});
    expect(lateEventScope({ role: "bar-admin", keyId: "k", barId: "almaty-city" })).toEqual({ barId: "almaty-city" });
    expect(codeOf(() => lateEventScope({ role: "provider", keyId: "k", partyId: "p1" }))).toBe("forbidden");
  });
});

describe("9.1, 9.2: accreditation decisions and withdrawals", () => {
  it("9.2.2: repeated-violations withdrawal is refused with 0 recorded violations", () => {
    expect(MIN_VIOLATIONS_FOR_WITHDRAWAL).toBe(2);
    expect(codeOf(() => assertWithdrawalAllowed({ withdrawal: null, violationCount: 0 }, "repeated-violations"))).toBe("withdrawal_refused");
  });

  it("9.2.2: repeated-violations withdrawal is refused with 1 recorded violation, and says how many are needed", () => {
    let error: SenimError | undefined;
    try {
      assertWithdrawalAllowed({ withdrawal: null, violationCount: 1 }, "repeated-violations");
    } catch (e) {
      error = e as SenimError;
    }
    expect(error).toBeInstanceOf(SenimError);
    expect(error!.code).toBe("withdrawal_refused");
    expect(httpStatusOf(error!)).toBe(422);
    expect(error!.extra).toEqual({ violationCount: 1, required: 2 });
  });

  it("9.2.2: two violations allow withdrawal for repeated violations (and three too)", () => {
    expect(() => assertWithdrawalAllowed({ withdrawal: null, violationCount: 2 }, "repeated-violations")).not.toThrow();
    expect(() => assertWithdrawalAllowed({ withdrawal: null, violationCount: 3 }, "repeated-violations")).not.toThrow();
  });

  it("9.2(2): two or more violations make the withdrawal due, until it is recorded", () => {
    expect(withdrawalDue({ withdrawal: null, violationCount: 1 })).toBe(false);
    expect(withdrawalDue({ withdrawal: null, violationCount: 2 })).toBe(true);
    expect(withdrawalDue({ withdrawal: null, violationCount: 5 })).toBe(true);
    expect(withdrawalDue({ withdrawal: withdrawal("2026-04-01T00:00:00Z"), violationCount: 5 })).toBe(false);
  });

  it("9.2.1: withdrawal for non-compliance needs no recorded violation", () => {
    expect(() => assertWithdrawalAllowed({ withdrawal: null, violationCount: 0 }, "non-compliance")).not.toThrow();
  });

  it("9.2: an accreditation cannot be withdrawn twice (409)", () => {
    const code = codeOf(() => assertWithdrawalAllowed({ withdrawal: withdrawal("2026-04-01T00:00:00Z"), violationCount: 5 }, "non-compliance"));
    expect(code).toBe("already_withdrawn");
    expect(httpStatusOf(new SenimError(code, ""))).toBe(409);
  });

  /** A territorial bar's decision about an organisation: the kinds' own rules are tested below. */
  const BY_BAR = { barId: "almaty-city", partyKind: "organisation" as const };

  it("9.1: a decision needs at least one criterion met", () => {
    expect(codeOf(() => assertAccreditationDecision({ ...BY_BAR, criteria: [], validFrom: "2026-01-01T00:00:00Z", validUntil: null }))).toBe("rule_violated");
  });

  it("9.1: any one criterion is enough; each criterion at most once", () => {
    const one = [{ criterion: "advocacy-5-years" as const, evidence: "since 2015" }];
    expect(() => assertAccreditationDecision({ ...BY_BAR, criteria: one, validFrom: "2026-01-01T00:00:00Z", validUntil: null })).not.toThrow();
    expect(codeOf(() => assertAccreditationDecision({ ...BY_BAR, criteria: [...one, ...one], validFrom: "2026-01-01T00:00:00Z", validUntil: null }))).toBe("rule_violated");
  });

  it("4.1(4), 3.1(5): the RBA accredits organisations and trainers, not centres; territorial bars accredit all three", () => {
    const decision = { criteria: [{ criterion: "advocacy-5-years" as const, evidence: "since 2015" }], validFrom: "2026-01-01T00:00:00Z", validUntil: null };
    expect(codeOf(() => assertAccreditationDecision({ ...decision, barId: "rba", partyKind: "centre" }))).toBe("rule_violated");
    for (const partyKind of ["organisation", "trainer"] as const) expect(() => assertAccreditationDecision({ ...decision, barId: "rba", partyKind })).not.toThrow();
    for (const partyKind of ["centre", "organisation", "trainer"] as const) expect(() => assertAccreditationDecision({ ...decision, barId: "karaganda", partyKind })).not.toThrow();
  });

  it("9.1(1): the education licence is an educational organisation's criterion, never a trainer's", () => {
    const licence = [{ criterion: "education-licence" as const, evidence: "KZ-EDU-1" }];
    expect(codeOf(() => assertAccreditationDecision({ barId: "karaganda", partyKind: "trainer", criteria: licence, validFrom: "2026-01-01T00:00:00Z", validUntil: null }))).toBe("rule_violated");
    expect(codeOf(() => assertAccreditationDecision({ barId: "karaganda", partyKind: "trainer", criteria: [...licence, { criterion: "advocacy-5-years", evidence: "x" }], validFrom: "2026-01-01T00:00:00Z", validUntil: null }))).toBe("rule_violated");
    expect(() => assertAccreditationDecision({ barId: "karaganda", partyKind: "organisation", criteria: licence, validFrom: "2026-01-01T00:00:00Z", validUntil: null })).not.toThrow();
  });

  it("9.1: validUntil must be after validFrom", () => {
    const criteria = [{ criterion: "academic-degree" as const, evidence: "PhD" }];
    expect(codeOf(() => assertAccreditationDecision({ ...BY_BAR, criteria, validFrom: "2026-01-01T00:00:00Z", validUntil: "2026-01-01T00:00:00Z" }))).toBe("rule_violated");
    expect(codeOf(() => assertAccreditationDecision({ ...BY_BAR, criteria, validFrom: "2026-01-01T00:00:00Z", validUntil: "2025-01-01T00:00:00Z" }))).toBe("rule_violated");
    expect(() => assertAccreditationDecision({ ...BY_BAR, criteria, validFrom: "2026-01-01T00:00:00Z", validUntil: "2026-01-01T00:00:01Z" })).not.toThrow();
  });
});

describe("5.1: who may run which form", () => {
  it("5.1.1: a course may be run by any accredited provider, alone", () => {
    for (const kind of PARTY_KINDS) expect(() => assertOrganiserMayRunForm("course", kind, null)).not.toThrow();
  });

  it("5.1.2: a centre may run a seminar, training or master class alone", () => {
    expect([...FORMS_REQUIRING_CENTRE_OR_BAR].sort()).toEqual(["master-class", "seminar", "training"]);
    for (const form of FORMS_REQUIRING_CENTRE_OR_BAR) expect(() => assertOrganiserMayRunForm(form, "centre", null)).not.toThrow();
  });

  it("5.1.2–5.1.3: an organisation or trainer alone may not run a seminar, training or master class", () => {
    for (const kind of ["organisation", "trainer"] as PartyKind[]) {
      for (const form of FORMS_REQUIRING_CENTRE_OR_BAR) {
        expect({ kind, form, code: codeOf(() => assertOrganiserMayRunForm(form, kind, null)) }).toEqual({ kind, form, code: "form_requires_centre" });
      }
    }
  });

  it("5.1.3: the same forms count when organised jointly with the RBA or a territorial bar", () => {
    for (const kind of ["organisation", "trainer"] as PartyKind[]) {
      for (const form of FORMS_REQUIRING_CENTRE_OR_BAR as ReadonlySet<Form>) {
        expect(() => assertOrganiserMayRunForm(form, kind, RBA_ID)).not.toThrow();
        expect(() => assertOrganiserMayRunForm(form, kind, "almaty-city")).not.toThrow();
      }
    }
  });
});

describe("10.6, 12.3: event times", () => {
  const start = "2026-03-01T04:00:00Z";
  it("12.3: a duration that fits between start and end is accepted, up to the full span", () => {
    expect(() => assertEventTimes(start, "2026-03-01T12:00:00Z", 360)).not.toThrow();
    expect(() => assertEventTimes(start, "2026-03-01T12:00:00Z", 480)).not.toThrow();
  });

  it("10.6: the duration may not exceed the time between start and end", () => {
    expect(codeOf(() => assertEventTimes(start, "2026-03-01T12:00:00Z", 481))).toBe("rule_violated");
  });

  it("12.3: the end must be after the start", () => {
    expect(codeOf(() => assertEventTimes(start, start, 1))).toBe("rule_violated");
    expect(codeOf(() => assertEventTimes("2026-03-02T00:00:00Z", start, 1))).toBe("rule_violated");
  });

  it("the duration is a positive whole number of minutes", () => {
    for (const d of [0, -45, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect({ d, code: codeOf(() => assertEventTimes(start, "2026-03-02T00:00:00Z", d)) }).toEqual({ d, code: "rule_violated" });
    }
  });

  it(`an event spans at most ${MAX_EVENT_SPAN_DAYS} days`, () => {
    const t0 = Date.parse(start);
    expect(() => assertEventTimes(start, toInstant(t0 + MAX_EVENT_SPAN_DAYS * 86_400_000), 45)).not.toThrow();
    expect(codeOf(() => assertEventTimes(start, toInstant(t0 + MAX_EVENT_SPAN_DAYS * 86_400_000 + 1000), 45))).toBe("rule_violated");
  });
});

describe("keys", () => {
  const key = { validFrom: "2026-01-01T00:00:00Z", validUntil: "2026-06-01T00:00:00Z" };
  it("a key signs from validFrom (inclusive) until validUntil (exclusive)", () => {
    expect(keyValidAt(key, "2025-12-31T23:59:59Z")).toBe(false);
    expect(keyValidAt(key, "2026-01-01T00:00:00Z")).toBe(true);
    expect(keyValidAt(key, "2026-05-31T23:59:59Z")).toBe(true);
    expect(keyValidAt(key, "2026-06-01T00:00:00Z")).toBe(false);
  });

  it("an active key (no validUntil) is valid for ever after validFrom", () => {
    expect(keyValidAt({ validFrom: "2026-01-01T00:00:00Z", validUntil: null }, "2099-01-01T00:00:00Z")).toBe(true);
    expect(keyValidAt({ validFrom: "2026-01-01T00:00:00Z", validUntil: null }, "2025-01-01T00:00:00Z")).toBe(false);
  });

  it("an unparseable instant is never valid", () => {
    expect(keyValidAt({ validFrom: "2026-01-01T00:00:00Z", validUntil: null }, "not a date")).toBe(false);
  });

  it("a key rotated at T still covers what it signed earlier in T's second; from T the new key signs", () => {
    const t = "2026-06-01T09:00:00Z";
    const old = { id: "old", validFrom: "2026-01-01T00:00:00Z", validUntil: retirementInstant(t) };
    const next = { id: "next", validFrom: t, validUntil: null };
    expect(old.validUntil).toBe("2026-06-01T09:00:01Z");
    expect(keyValidAt(old, t)).toBe(true); // a certificate stamped T, signed just before the rotation
    expect(keyValidAt(old, "2026-06-01T09:00:01Z")).toBe(false);
    expect(signingKeyAt([old, next], t)?.id).toBe("next");
    expect(signingKeyAt([old, next], "2026-05-01T00:00:00Z")?.id).toBe("old");
    expect(signingKeyAt([old], "2026-06-01T09:00:01Z")).toBeUndefined();
    // Two rotations in one second: the current key signs; without one, the key retired last.
    const middle = { id: "middle", validFrom: t, validUntil: retirementInstant(t) };
    expect(signingKeyAt([old, middle, next], t)?.id).toBe("next");
    const earlier = { ...old, validUntil: "2026-06-01T09:00:00.500Z" };
    expect(signingKeyAt([earlier, middle], t)?.id).toBe("middle");
  });
});

describe("personal data on public pages", () => {
  it("a licence number shows only its last 2 characters", () => {
    expect(maskLicence("123456")).toBe("••••56");
    expect(maskLicence("KZ-0012345")).toBe("••••••••45");
  });

  it("never reveals more than the last 2 characters, and nothing at all of a short number", () => {
    for (const licence of ["1", "12", "123", "1234", "12345", "12345678", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"]) {
      const masked = maskLicence(licence);
      const shown = masked.replace(/^•+/, "");
      expect(shown).toBe(licence.length > 4 ? licence.slice(-2) : "");
      expect(masked.length - shown.length).toBeGreaterThanOrEqual(4);
    }
  });

  it("licence numbers compare on letters and digits: spaces and dashes are dropped, letters upper-cased", () => {
    expect(normaliseLicence(" kz-001 234 ")).toBe("KZ001234");
    expect(normaliseLicence("001‐234")).toBe("001234"); // U+2010 hyphen
    expect(normaliseLicence("001–234")).toBe("001234"); // U+2013 en dash
  });

  it("Kazakh: the Latin schwa ə/Ə (U+0259/U+018F) becomes the Cyrillic ә/Ә (U+04D9/U+04D8)", () => {
    expect(normaliseKazakh("\u018Fділет")).toBe("\u04D8ділет");
    expect(normaliseKazakh("Сейтқали \u018F.")).toBe("Сейтқали \u04D8.");
    expect(normaliseKazakh("кәсібінің негіздері".replace("ә", "\u0259"))).toBe("кәсібінің негіздері");
    expect(normaliseKazakh("Адвокат кәсібі")).toBe("Адвокат кәсібі");
    expect(normaliseKazakh("\u0259\u018F")).not.toMatch(/[\u0259\u018F]/);
  });

  it("Kazakh text is NFC-normalised (a decomposed й becomes one code point)", () => {
    expect(normaliseKazakh("и\u0306")).toBe("й");
  });
});

describe("authorisation (3.1, 4.1)", () => {
  const rba: Principal = { role: "rba-admin", keyId: "k0" };
  const almaty: Principal = { role: "bar-admin", keyId: "k1", barId: "almaty-city" };
  const astana: Principal = { role: "bar-admin", keyId: "k2", barId: "astana-city" };
  const provider: Principal = { role: "provider", keyId: "k3", partyId: "p1" };
  const otherProvider: Principal = { role: "provider", keyId: "k4", partyId: "p2" };

  it("describePrincipal names role, scope and key", () => {
    expect(describePrincipal(rba)).toBe("rba-admin:k0");
    expect(describePrincipal(almaty)).toBe("bar-admin:almaty-city:k1");
    expect(describePrincipal(provider)).toBe("provider:p1:k3");
  });

  it("4.1: the RBA's admin administers the RBA; 3.1: a bar's admin its bar; a provider none", () => {
    expect(administeredBar(rba)).toBe(RBA_ID);
    expect(administeredBar(almaty)).toBe("almaty-city");
    expect(administeredBar(provider)).toBeUndefined();
  });

  it("4.1.4: the RBA's admin may record decisions for the RBA and for any territorial bar", () => {
    expect(() => assertMayDecideForBar(rba, RBA_ID)).not.toThrow();
    expect(() => assertMayDecideForBar(rba, "almaty-city")).not.toThrow();
  });

  it("3.1.5: a territorial bar's admin decides only for that bar, never for the RBA or another bar", () => {
    expect(() => assertMayDecideForBar(almaty, "almaty-city")).not.toThrow();
    expect(codeOf(() => assertMayDecideForBar(almaty, "astana-city"))).toBe("forbidden");
    expect(codeOf(() => assertMayDecideForBar(almaty, RBA_ID))).toBe("forbidden");
  });

  it("3.1, 4.1, 8.1: registering parties is the bars' work, not a provider's", () => {
    expect(() => assertMayRegisterParty(rba, "almaty-city")).not.toThrow();
    expect(() => assertMayRegisterParty(almaty, "almaty-city")).not.toThrow();
    expect(codeOf(() => assertMayRegisterParty(astana, "almaty-city"))).toBe("forbidden");
    expect(codeOf(() => assertMayRegisterParty(provider, "almaty-city"))).toBe("forbidden");
  });

  it("a provider acts only for itself; admins are not providers", () => {
    expect(() => assertIsProvider(provider)).not.toThrow();
    expect(() => assertIsProvider(provider, "p1")).not.toThrow();
    expect(codeOf(() => assertIsProvider(provider, "p2"))).toBe("forbidden");
    expect(codeOf(() => assertIsProvider(rba))).toBe("forbidden");
    expect(codeOf(() => assertIsProvider(almaty, "p1"))).toBe("forbidden");
  });

  it("a party's keys: the party itself, the bar that registered it, or the RBA", () => {
    const party = { id: "p1", barId: "almaty-city" };
    expect(() => assertMayManagePartyKeys(provider, party)).not.toThrow();
    expect(() => assertMayManagePartyKeys(almaty, party)).not.toThrow();
    expect(() => assertMayManagePartyKeys(rba, party)).not.toThrow();
    expect(codeOf(() => assertMayManagePartyKeys(otherProvider, party))).toBe("forbidden");
    expect(codeOf(() => assertMayManagePartyKeys(astana, party))).toBe("forbidden");
  });

  it("revocation: the issuing provider or the accrediting bar, nobody else", () => {
    const cert = { partyId: "p1", accreditingBarId: "almaty-city" };
    expect(() => assertMayRevoke(provider, cert)).not.toThrow();
    expect(() => assertMayRevoke(almaty, cert)).not.toThrow();
    expect(codeOf(() => assertMayRevoke(otherProvider, cert))).toBe("forbidden");
    expect(codeOf(() => assertMayRevoke(astana, cert))).toBe("forbidden");
    // The RBA's admin acts for the RBA: it revokes what the RBA accredited, not a territorial bar's decisions.
    expect(codeOf(() => assertMayRevoke(rba, cert))).toBe("forbidden");
    expect(() => assertMayRevoke(rba, { partyId: "p1", accreditingBarId: RBA_ID })).not.toThrow();
  });

  it("every forbidden refusal is a 403", () => {
    try {
      assertMayRevoke(otherProvider, { partyId: "p1", accreditingBarId: "almaty-city" });
    } catch (e) {
      expect(httpStatusOf(e as SenimError)).toBe(403);
      return;
    }
    throw new Error("not refused");
  });
});
