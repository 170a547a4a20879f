/**
 * iCalendar (RFC 5545) for the calendar feeds (7.3): one VCALENDAR of VEVENTs, times in UTC, text escaped (3.3.11),
 * lines folded at 75 octets (3.1) without splitting a UTF-8 character, CRLF line ends. Pure: no clock, no I/O.
 */

export interface CalendarEvent {
  /** Globally unique and stable for the event (3.8.4.7), e.g. `{id}@{host}`. */
  uid: string;
  /** When this version of the event was last written (3.8.7.2). RFC 3339 instant. */
  stamp: string;
  start: string;
  end: string;
  summary: string;
  location?: string | null;
  url?: string | null;
  description?: string | null;
}

export interface Calendar {
  /** The product that made the calendar (3.7.3), e.g. `-//Senim//Calendar//EN`. */
  prodId: string;
  /** Shown by calendar clients as the calendar's name (X-WR-CALNAME, widely read; RFC 7986 NAME too). */
  name: string;
  events: CalendarEvent[];
}

/** RFC 5545 3.3.5 form 2: UTC date-time, `YYYYMMDDTHHMMSSZ`. */
export function icalUtc(instant: string): string {
  const ms = Date.parse(instant);
  if (!Number.isFinite(ms)) throw new Error(`not an instant: ${instant}`);
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
}

/**
 * 3.3.11 TEXT: backslash, semicolon and comma are escaped, every line break becomes `\n`; other control characters
 * (which TEXT may not hold) are dropped.
 */
export function escapeText(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, "\n")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\n/g, "\\n");
}

const utf8 = new TextEncoder();

/**
 * 3.1: a content line longer than 75 octets is split into lines of at most 75 octets, each continuation starting
 * with one space (which counts in its 75). Splits fall between characters, never inside one's UTF-8 bytes.
 */
export function foldLine(line: string): string {
  if (utf8.encode(line).length <= 75) return line;
  const out: string[] = [];
  let current = "";
  let octets = 0;
  for (const ch of line) {
    const n = utf8.encode(ch).length;
    if (octets + n > 75) {
      out.push(current);
      current = " ";
      octets = 1;
    }
    current += ch;
    octets += n;
  }
  out.push(current);
  return out.join("\r\n");
}

/** The calendar as an `text/calendar` body: CRLF after every line, the last one included. */
export function buildCalendar(cal: Calendar): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    `PRODID:${escapeText(cal.prodId)}`,
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `NAME:${escapeText(cal.name)}`,
    `X-WR-CALNAME:${escapeText(cal.name)}`,
  ];
  for (const e of cal.events) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${escapeText(e.uid)}`,
      `DTSTAMP:${icalUtc(e.stamp)}`,
      `DTSTART:${icalUtc(e.start)}`,
      `DTEND:${icalUtc(e.end)}`,
      `SUMMARY:${escapeText(e.summary)}`,
    );
    if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
    // URI values are not TEXT: no escaping, but a URL with a line break or control character is not a URL.
    if (e.url && /^[\x21-\x7e]+$/.test(e.url)) lines.push(`URL:${e.url}`);
    if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
    lines.push("END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join("\r\n") + "\r\n";
}
