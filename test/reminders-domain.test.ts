/** Issue 13, reminders: the pure rules (src/domain/reminders.ts) and who may set them (src/domain/authz.ts). */
import { describe, expect, it } from "vitest";
import { assertMayManageReminders } from "../src/domain/authz.js";
import { defaultReminderDates, dueReminderDates, MAX_REMINDER_DATES, planReminderRun, reminderKey, reminderYearAt, validateReminderDates } from "../src/domain/reminders.js";

describe("reminder dates", () => {
  it("default to 1 November and 1 December of the year", () => {
    expect(defaultReminderDates(2026)).toEqual(["2026-11-01", "2026-12-01"]);
  });

  it("are accepted sorted when each is a real date of the year, once, at most 12; an empty list is no reminders", () => {
    expect(validateReminderDates(2026, ["2026-12-01", "2026-02-28", "2026-11-15"])).toEqual({ dates: ["2026-02-28", "2026-11-15", "2026-12-01"], problems: [] });
    expect(validateReminderDates(2026, [])).toEqual({ dates: [], problems: [] });
    const twelve = Array.from({ length: MAX_REMINDER_DATES }, (_, i) => `2026-${String(i + 1).padStart(2, "0")}-01`);
    expect(validateReminderDates(2026, twelve).dates).toEqual(twelve);
  });

  it("are refused with every problem named and coded: not a date, another year, twice, more than 12", () => {
    const r = validateReminderDates(2026, ["2026-02-30", "1 Nov", "2027-01-01", "2026-11-01", "2026-11-01"]);
    expect(r.dates).toBeUndefined();
    expect(r.problems.map((p) => [p.path, p.code])).toEqual([
      ["dates/0", "date-invalid"],
      ["dates/1", "date-invalid"],
      ["dates/2", "date-outside-year"],
      ["dates/4", "date-repeated"],
    ]);
    expect(r.problems[2]!.params).toEqual({ date: "2027-01-01", year: 2026 });
    const thirteen = Array.from({ length: 13 }, (_, i) => `2026-01-${String(i + 1).padStart(2, "0")}`);
    expect(validateReminderDates(2026, thirteen).problems).toEqual([{ path: "dates", code: "too-many-dates", message: "at most 12 dates a year", params: { max: 12 } }]);
  });
});

describe("which dates are due", () => {
  const dates = ["2026-11-01", "2026-12-01"];
  it("a date is due from its start in Kazakhstan time (UTC+05:00), not UTC's", () => {
    expect(dueReminderDates(2026, dates, "2026-10-31T18:59:59Z")).toEqual([]); // 23:59:59 on 31 October in Almaty
    expect(dueReminderDates(2026, dates, "2026-10-31T19:00:00Z")).toEqual(["2026-11-01"]); // midnight in Almaty
  });
  it("stays due until the year ends there, so a server that was down catches up; never in the next year", () => {
    expect(dueReminderDates(2026, dates, "2026-12-31T18:59:59Z")).toEqual(["2026-11-01", "2026-12-01"]);
    expect(dueReminderDates(2026, dates, "2026-12-31T19:00:00Z")).toEqual([]); // 1 January 2027 in Almaty
    expect(reminderYearAt("2026-12-31T19:00:00Z")).toBe(2027);
    expect(dueReminderDates(2027, defaultReminderDates(2027), "2026-12-31T19:00:00Z")).toEqual([]);
  });
});

describe("a run's plan for one bar", () => {
  it("reminds for the latest due date not done; earlier missed ones are closed as superseded, nobody gets two at once", () => {
    expect(planReminderRun([], new Set())).toEqual({ remind: undefined, supersede: [] });
    expect(planReminderRun(["2026-11-01"], new Set())).toEqual({ remind: "2026-11-01", supersede: [] });
    expect(planReminderRun(["2026-11-01"], new Set(["2026-11-01"]))).toEqual({ remind: undefined, supersede: [] });
    expect(planReminderRun(["2026-11-01", "2026-12-01"], new Set())).toEqual({ remind: "2026-12-01", supersede: [{ date: "2026-11-01", by: "2026-12-01" }] });
    expect(planReminderRun(["2026-11-01", "2026-12-01"], new Set(["2026-11-01"]))).toEqual({ remind: "2026-12-01", supersede: [] });
    // A date added in the past after a later one ran: closed, not sent.
    expect(planReminderRun(["2026-11-15", "2026-12-01"], new Set(["2026-12-01"]))).toEqual({ remind: undefined, supersede: [{ date: "2026-11-15", by: "2026-12-01" }] });
  });
});

describe("a reminder's key", () => {
  it("is fixed by (bar, year, date, licence) and tells them apart unambiguously", () => {
    expect(reminderKey("almaty-city", 2026, "2026-11-01", "0001")).toBe(reminderKey("almaty-city", 2026, "2026-11-01", "0001"));
    const keys = new Set([
      reminderKey("almaty-city", 2026, "2026-11-01", "0001"),
      reminderKey("almaty-city", 2026, "2026-12-01", "0001"),
      reminderKey("almaty-city", 2026, "2026-11-01", "0002"),
      reminderKey("astana", 2026, "2026-11-01", "0001"),
      reminderKey("almaty-city", 2027, "2026-11-01", "0001"),
    ]);
    expect(keys.size).toBe(5);
  });
});

describe("who sets reminders", () => {
  it("the bar's own admin and the RBA's admin; another bar and providers are refused, saying who may", () => {
    expect(() => assertMayManageReminders({ role: "bar-admin", keyId: "k", barId: "almaty-city" }, "almaty-city")).not.toThrow();
    expect(() => assertMayManageReminders({ role: "rba-admin", keyId: "k" }, "almaty-city")).not.toThrow();
    expect(() => assertMayManageReminders({ role: "bar-admin", keyId: "k", barId: "astana" }, "almaty-city")).toThrow(/admin of bar almaty-city or the RBA's admin.*your bar is astana/);
    expect(() => assertMayManageReminders({ role: "provider", keyId: "k", partyId: "p1" }, "almaty-city")).toThrow(/not by a provider/);
  });
});
