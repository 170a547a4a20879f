/**
 * The calendar's pure rules (src/domain/announcement.ts, src/domain/event.ts): the announce rule is the recording and
 * signing rule, the calendar of a bar is that rule over the bar's own decisions, an announcement is normalised and
 * checked whole, and a visitor's filter is read or refused with every problem.
 */
import { describe, expect, it } from "vitest";
import type { Accreditation } from "../src/domain/accreditation.js";
import { calendarFilterQuery, calendarSpan, cityKey, costsAdvocateNothing, parseAnnouncement, parseCalendarFilter } from "../src/domain/announcement.js";
import { SenimError } from "../src/domain/errors.js";
import { accreditingBars, eventCoverage, requireAccreditationForEvent } from "../src/domain/event.js";

const accreditation = (o: Partial<Accreditation> = {}): Accreditation => ({
  id: "a1", partyId: "p1", barId: "almaty-city", decisionNumber: "1-П", decisionDate: "2026-01-01", criteria: [{ criterion: "education-licence", evidence: "x" }],
  programmes: null, forms: null, validFrom: "2026-01-01T00:00:00Z", validUntil: null, withdrawal: null, violationCount: 0, ...o,
});
const withdrawnFrom = (effectiveFrom: string) => ({ ground: "non-compliance" as const, decisionNumber: "9-П", decisionDate: effectiveFrom.slice(0, 10), effectiveFrom, reason: "9.2(1)" });
const event = (o: Partial<{ programme: string; form: string; startsAt: string; endsAt: string }> = {}) => ({ programme: "civil", form: "course", startsAt: "2026-07-10T05:00:00Z", endsAt: "2026-07-10T11:00:00Z", ...o });

const problems = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(SenimError);
    expect((err as SenimError).code).toBe("invalid_request");
    return (err as SenimError).problems.map((p) => `${p.path}:${p.code}`);
  }
  throw new Error("expected problems");
};

describe("7.3: who may announce, and whose calendar lists it", () => {
  it("7.3: announcing is refused exactly when recording and signing are: one decision covering the programme and form over the event's dates", () => {
    const lists: Accreditation[][] = [
      [],
      [accreditation()],
      [accreditation({ programmes: ["criminal"] })],
      [accreditation({ forms: ["seminar"] })],
      [accreditation({ validFrom: "2026-08-01T00:00:00Z" })],
      [accreditation({ validUntil: "2026-07-10T08:00:00Z" })],
      [accreditation({ withdrawal: withdrawnFrom("2026-07-01T00:00:00Z") })],
      [accreditation({ withdrawal: withdrawnFrom("2026-08-01T00:00:00Z") })],
      [accreditation({ id: "a1", validUntil: "2026-07-10T08:00:00Z" }), accreditation({ id: "a2", barId: "rba", validFrom: "2026-07-10T08:00:00Z" })],
      [accreditation({ programmes: ["criminal"] }), accreditation({ id: "a2", barId: "astana-city", programmes: ["civil"] })],
    ];
    for (const list of lists) {
      const outcome = (action: "record" | "sign" | "announce") => {
        try {
          return requireAccreditationForEvent(list, event(), action).id;
        } catch (err) {
          return (err as SenimError).code;
        }
      };
      expect(outcome("announce")).toBe(outcome("record"));
      expect(outcome("announce")).toBe(outcome("sign"));
      // The calendar lists the event exactly when it could be announced, under the bars whose decisions cover it.
      expect(accreditingBars(list, event()).length > 0).toBe("accreditation" in eventCoverage(list, event()));
      expect(accreditingBars(list, event()).length > 0).toBe(!["not_accredited", "out_of_scope"].includes(outcome("announce")));
    }
    expect(accreditingBars(lists[9]!, event())).toEqual(["astana-city"]);
    expect(accreditingBars([accreditation(), accreditation({ id: "a2", barId: "rba" })], event())).toEqual(["almaty-city", "rba"]);
    expect(() => requireAccreditationForEvent([], event(), "announce")).toThrow(/refuses to announce it \(7\.3\)/);
  });
});

describe("7.3, 6.1–6.2, 7.4: what an announcement says", () => {
  it("7.3: normalises text (spaces, line breaks, the Latin schwa) and keeps the description's paragraphs", () => {
    const a = parseAnnouncement(
      { description: "  Бірінші  жол\r\n\r\n\r\n\r\nЕкінші\tжол  ", city: "  Алматы\n ", venue: "Абай  даңғылы 10", link: " https://example.kz/e ", fee: { kind: "free" } },
      "in-person",
    );
    expect(a).toEqual({ description: "Бірінші жол\n\nЕкінші жол", city: "Алматы", venue: "Абай даңғылы 10", link: "https://example.kz/e", fee: { kind: "free" }, seats: null });
    expect(parseAnnouncement({ description: "Сəулет", link: "https://x.kz", fee: { kind: "free" } }, "online").description).toBe("Сәулет");
  });

  it("6.1–6.2: the fee is free, paid in whole tenge, or paid by the bar, the RBA or a grant; only paid costs the advocate", () => {
    const base = { description: "x", link: "https://x.kz" };
    expect(parseAnnouncement({ ...base, fee: { kind: "paid", amountTenge: 25000 } }, "online").fee).toEqual({ kind: "paid", amountTenge: 25000 });
    expect(parseAnnouncement({ ...base, fee: { kind: "sponsored", sponsor: "rba", amountTenge: 5 } }, "online").fee).toEqual({ kind: "sponsored", sponsor: "rba" });
    expect(problems(() => parseAnnouncement({ ...base, fee: { kind: "paid", amountTenge: 10.5 } }, "online"))).toEqual(["fee/amountTenge:fee-amount-invalid"]);
    expect(problems(() => parseAnnouncement({ ...base, fee: { kind: "paid", amountTenge: "100" } }, "online"))).toEqual(["fee/amountTenge:fee-amount-invalid"]);
    expect(problems(() => parseAnnouncement({ ...base, fee: { kind: "donation" } }, "online"))).toEqual(["fee:fee-invalid"]);
    expect(problems(() => parseAnnouncement({ ...base }, "online"))).toEqual(["fee:fee-invalid"]);
    expect(costsAdvocateNothing({ kind: "free" })).toBe(true);
    expect(costsAdvocateNothing({ kind: "sponsored", sponsor: "grant" })).toBe(true);
    expect(costsAdvocateNothing({ kind: "paid", amountTenge: 1 })).toBe(false);
  });

  it("7.4: in person needs a city and an address; distance and online need an https link; every problem at once", () => {
    expect(problems(() => parseAnnouncement({ description: "x", fee: { kind: "free" } }, "in-person"))).toEqual(["city:city-required", "venue:venue-required"]);
    expect(problems(() => parseAnnouncement({ description: "x", fee: { kind: "free" } }, "distance"))).toEqual(["link:link-required"]);
    for (const link of ["http://x.kz", "javascript:alert(1)", "https://", "https://x.kz/\nnext", `https://x.kz/${"a".repeat(500)}`, 42]) {
      expect(problems(() => parseAnnouncement({ description: "x", link, fee: { kind: "free" } }, "online")), String(link)).toEqual(["link:link-invalid"]);
    }
    expect(problems(() => parseAnnouncement({ description: "x".repeat(2001), city: 7, venue: "v".repeat(501), link: "https://x.kz", fee: { kind: "free" }, seats: -1 }, "in-person"))).toEqual([
      "description:description-invalid", "city:city-invalid", "venue:venue-invalid", "seats:seats-invalid",
    ]);
    expect(problems(() => parseAnnouncement(null, "online"))).toEqual([":announcement-invalid"]);
  });
});

describe("7.3: the calendar's filter", () => {
  const q = (o: Record<string, string>) => (name: string) => o[name];

  it("7.3: reads programme, form, delivery, city, dates and free; empty means any; the rest of the query is not its business", () => {
    expect(parseCalendarFilter(q({}))).toEqual({ freeOnly: false });
    const f = parseCalendarFilter(q({ programme: "criminal", form: "seminar", delivery: "online", city: " Алматы ", from: "2026-07-01", to: "2026-07-31", free: "1", lang: "kk", page: "2" }));
    expect(f).toEqual({ programme: "criminal", form: "seminar", deliveryMode: "online", city: "Алматы", from: "2026-07-01", to: "2026-07-31", freeOnly: true });
    expect(calendarFilterQuery(f)).toBe("programme=criminal&form=seminar&delivery=online&city=%D0%90%D0%BB%D0%BC%D0%B0%D1%82%D1%8B&from=2026-07-01&to=2026-07-31&free=1");
    expect(parseCalendarFilter(q({ programme: "", form: "", city: "" }))).toEqual({ freeOnly: false });
  });

  it("7.3: refuses what it cannot read, every problem at once", () => {
    expect(problems(() => parseCalendarFilter(q({ programme: "x", form: "lecture", delivery: "post", city: "c".repeat(101), from: "2026-02-29", to: "2026-13-01", free: "yes" })))).toEqual([
      "programme:filter-programme-invalid", "form:filter-form-invalid", "delivery:filter-delivery-invalid", "city:filter-city-invalid",
      "from:filter-from-invalid", "to:filter-to-invalid", "free:filter-free-invalid",
    ]);
    expect(problems(() => parseCalendarFilter(q({ from: "2026-08-01", to: "2026-07-31" })))).toEqual(["to:filter-range-invalid"]);
  });

  it("7.3: dates are Kazakhstan days; the calendar never reaches back before now", () => {
    const now = "2026-06-01T09:00:00Z";
    expect(calendarSpan({ freeOnly: false }, now)).toEqual({ endsAfter: now });
    expect(calendarSpan({ freeOnly: false, from: "2026-05-01" }, now)).toEqual({ endsAfter: now });
    expect(calendarSpan({ freeOnly: false, from: "2026-07-01", to: "2026-07-31" }, now)).toEqual({ endsAfter: "2026-06-30T19:00:00Z", startsBefore: "2026-07-31T19:00:00Z" });
  });

  it("a city compares without case, ё/е, extra spaces or the Latin schwa", () => {
    expect(cityKey("  Өскемен  ")).toBe(cityKey("өскемен"));
    expect(cityKey("Щучинск")).toBe(cityKey("ЩУЧИНСК"));
    expect(cityKey("Семёновка")).toBe(cityKey("Семеновка"));
    expect(cityKey("Тəраз")).toBe(cityKey("Тәраз"));
    expect(cityKey("Алматы")).not.toBe(cityKey("Астана"));
  });
});
