/**
 * The iCalendar writer of the calendar feeds (7.3, RFC 5545), read back by ical.js (Mozilla's parser, which nobody
 * here wrote): UTC times, TEXT escaping (3.3.11) and line folding at 75 octets (3.1) that never splits a character.
 */
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { buildCalendar, escapeText, foldLine, icalUtc } from "../src/lib/ical.js";

const octets = (s: string) => new TextEncoder().encode(s).length;

const sample = {
  uid: "k7a9x2m4p6q8r1s3@senim.test",
  stamp: "2026-06-01T09:00:00Z",
  start: "2026-07-15T05:00:00Z",
  end: "2026-07-15T11:00:00Z",
  summary: "Қылмыстық процестегі дәлелдемелер; адвокаттың рөлі, сотта",
  location: "Абай даңғылы 10, Алматы",
  url: "https://senim.test/events/k7a9x2m4p6q8r1s3",
  description: "Бірінші жол\nЕкінші жол: a\\b, c; d\r\nҮшінші — «тырнақша»",
};

describe("7.3: the calendar feed's iCalendar (RFC 5545)", () => {
  it("7.3: a VCALENDAR of VEVENTs ical.js reads back field for field: UID, DTSTAMP, DTSTART/DTEND in UTC, SUMMARY, LOCATION, URL, DESCRIPTION", () => {
    const text = buildCalendar({ prodId: "-//Senim//Test//EN", name: "Күнтізбе, сынақ", events: [sample, { ...sample, uid: "second@senim.test", location: null, description: null }] });
    expect(text.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
    expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/); // CRLF only, no bare line ends
    const cal = new ICAL.Component(ICAL.parse(text));
    expect(cal.getFirstPropertyValue("version")).toBe("2.0");
    // RFC 7986 NAME and X-WR-CALNAME are TEXT, escaped like any (ical.js knows neither, so they are checked as written).
    expect(text).toContain("\r\nNAME:Күнтізбе\\, сынақ\r\n");
    expect(text).toContain("X-WR-CALNAME:Күнтізбе\\, сынақ\r\n");
    const [first, second] = cal.getAllSubcomponents("vevent");
    const ev = new ICAL.Event(first!);
    expect(ev.uid).toBe(sample.uid);
    expect(ev.summary).toBe(sample.summary);
    expect(ev.location).toBe(sample.location);
    expect(ev.description).toBe(sample.description.replace(/\r\n/g, "\n"));
    expect(first!.getFirstPropertyValue("url")).toBe(sample.url);
    expect(ev.startDate.zone.tzid).toBe("UTC");
    expect(ev.startDate.toJSDate().toISOString()).toBe("2026-07-15T05:00:00.000Z");
    expect(ev.endDate.toJSDate().toISOString()).toBe("2026-07-15T11:00:00.000Z");
    expect((first!.getFirstPropertyValue("dtstamp") as ICAL.Time).toJSDate().toISOString()).toBe("2026-06-01T09:00:00.000Z");
    expect(text).toContain("DTSTART:20260715T050000Z\r\n");
    expect(second!.getFirstPropertyValue("location")).toBeNull();
    expect(second!.getFirstPropertyValue("description")).toBeNull();
  });

  it("7.3: lines are folded at 75 octets without splitting a UTF-8 character, and unfold to the original line", () => {
    const long = `DESCRIPTION:${escapeText("Әділет ".repeat(60) + "end")}`;
    const folded = foldLine(long);
    const lines = folded.split("\r\n");
    expect(lines.length).toBeGreaterThan(5);
    for (const [i, l] of lines.entries()) {
      expect(octets(l), `line ${i}`).toBeLessThanOrEqual(75);
      if (i > 0) expect(l.startsWith(" ")).toBe(true);
      // A split inside a character would leave a lone surrogate or a replacement character; neither is here.
      expect(new TextDecoder("utf-8", { fatal: true }).decode(new TextEncoder().encode(l))).toBe(l);
    }
    expect(lines.map((l, i) => (i === 0 ? l : l.slice(1))).join("")).toBe(long);
    // Two-byte letters: the first line ends where the next letter would pass 75 octets, not before.
    expect(octets(lines[0]!)).toBeGreaterThanOrEqual(74);
    expect(foldLine("SUMMARY:short")).toBe("SUMMARY:short");
    // Four-byte characters (emoji) are kept whole too.
    const emoji = foldLine(`SUMMARY:${"📅".repeat(40)}`);
    for (const l of emoji.split("\r\n")) expect(octets(l)).toBeLessThanOrEqual(75);
    expect(emoji.split("\r\n").map((l, i) => (i === 0 ? l : l.slice(1))).join("")).toBe(`SUMMARY:${"📅".repeat(40)}`);
  });

  it("7.3: TEXT escapes backslash, semicolon, comma and line breaks, and drops other control characters", () => {
    expect(escapeText("a\\b;c,d\ne\r\nf\rg")).toBe("a\\\\b\\;c\\,d\\ne\\nf\\ng");
    expect(escapeText("bell\u0007 tab\tkept")).toBe("bell tab\tkept");
    // A URL with a line break is not written at all: it could start a property of its own.
    const text = buildCalendar({ prodId: "p", name: "n", events: [{ ...sample, url: "https://x.test/\r\nATTACH:evil" }] });
    expect(text).not.toContain("ATTACH");
    // An attempt to end the event early from a summary stays text.
    const sneaky = buildCalendar({ prodId: "p", name: "n", events: [{ ...sample, summary: "x\r\nEND:VEVENT\r\nBEGIN:VEVENT" }] });
    const events = new ICAL.Component(ICAL.parse(sneaky)).getAllSubcomponents("vevent");
    expect(events).toHaveLength(1);
    expect(events[0]!.getFirstPropertyValue("summary")).toBe("x\nEND:VEVENT\nBEGIN:VEVENT");
  });

  it("UTC date-times are YYYYMMDDTHHMMSSZ, from any RFC 3339 offset", () => {
    expect(icalUtc("2026-03-01T10:00:00+05:00")).toBe("20260301T050000Z");
    expect(icalUtc("2026-12-31T23:59:59.900Z")).toBe("20261231T235959Z");
    expect(() => icalUtc("not a date")).toThrow();
  });

  it("an empty calendar is still a valid VCALENDAR", () => {
    const cal = new ICAL.Component(ICAL.parse(buildCalendar({ prodId: "p", name: "n", events: [] })));
    expect(cal.name).toBe("vcalendar");
    expect(cal.getAllSubcomponents("vevent")).toHaveLength(0);
  });
});
