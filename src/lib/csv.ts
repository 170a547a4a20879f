/**
 * A small strict CSV reader (RFC 4180 plus what spreadsheets in Kazakhstan export): a UTF-8 BOM, CRLF or LF line
 * ends, `,` or `;` as the delimiter (guessed from the header line), quoted fields with `""` escapes and line breaks.
 * It never throws on bad input: problems come back with their line number, so a caller can report every one.
 */
import { keyedError, type SenimError } from "../domain/errors.js";
import { CSV_SLICE_CHARS, yieldToEventLoop } from "./yield.js";

export interface CsvRow {
  /** 1-based line number where the record starts in the file. */
  line: number;
  fields: string[];
}

/**
 * What can be wrong in a CSV list, in English with `{name}` placeholders: the API and the command line give these
 * texts; the English catalogue takes them as they are (src/http/i18n/en.ts) and kk.ts and ru.ts translate each code,
 * so the consoles show every problem in the reader's language.
 */
export const CSV_PROBLEM_TEMPLATES = {
  // the file itself
  "field-too-long": "a field is longer than {max} characters",
  "too-many-columns": "more than {max} columns",
  "stray-quote": "a quote inside an unquoted field (quote the whole field and double inner quotes)",
  "text-after-quote": "text after a closing quote",
  "unclosed-quote": "a quoted field is never closed",
  "too-many-rows": "more than {max} rows",
  "empty-file": "the file is empty: the first line must name the columns",
  "not-utf8": "not UTF-8",
  "missing-column": "missing column \"{column}\"",
  // participant lists (12.3): the event's columns must be this event's
  "date-mismatch": "date: {value} is not the event's date ({expected})",
  "time-mismatch": "time: {value} is not the event's start ({expected})",
  "place-mismatch": "place: not the event's place",
  "course-mismatch": "course: not the event's title",
  "hours-mismatch": "hours: {value} is not the event's {expected} academic hours",
  "programme-mismatch": "programme: not the event's programme (10.1)",
  "trainers-mismatch": "trainers: names none of the event's trainers",
  "no-participants": "the list has no participants",
  "bar-unknown": "bar: unknown bar {bar} (use the bar's id, e.g. almaty-city)",
  "role-invalid": "role: attendee or teacher (5.1.4)",
  "wallet-did-invalid": "wallet did: not a DID",
  // people, in participant lists and member registers
  "licence-invalid": "licence: must be 1–32 letters and digits",
  "licence-repeated": "licence: {licence} repeats line {first}",
  "name-invalid": "name: required, at most 300 characters",
  "email-invalid": "email: not an e-mail address",
  "admission-date-invalid": "admission date: must be a real date YYYY-MM-DD",
  "admission-date-future": "admission date: is in the future",
} as const;

export type CsvProblemCode = keyof typeof CSV_PROBLEM_TEMPLATES;

/** The refusal of a CSV file as a whole (its lines' problems are CSV_PROBLEM_TEMPLATES); kk and ru: problemDetails. */
export const CSV_DETAIL_TEMPLATES = {
  "csv-file-problems": "{count} problem(s) in the file; nothing was stored.",
} as const;
export type TextParams = Record<string, string | number>;

/** Puts the parameters into a `{name}` template; a placeholder without a value stays as it is. */
export function fillTemplate(template: string, params: TextParams = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export interface CsvProblem {
  line: number;
  /** One of CSV_PROBLEM_TEMPLATES, or the code of a rule the caller checked the row against (its catalogue translates it). */
  code: CsvProblemCode | (string & {});
  params?: TextParams;
  /** In English (CSV_PROBLEM_TEMPLATES). */
  message: string;
}

export function csvProblem(line: number, code: CsvProblemCode, params?: TextParams): CsvProblem {
  return { line, code, ...(params ? { params } : {}), message: fillTemplate(CSV_PROBLEM_TEMPLATES[code], params) };
}

export interface CsvLimits {
  maxRecords: number;
  maxFieldLength: number;
  maxFields: number;
}

export const DEFAULT_CSV_LIMITS: CsvLimits = { maxRecords: 100_000, maxFieldLength: 2_000, maxFields: 50 };

export interface ParsedCsv {
  delimiter: "," | ";";
  header: CsvRow | undefined;
  rows: CsvRow[];
  problems: CsvProblem[];
}

/** Picks `;` when the header line has more semicolons than commas outside quotes (Excel in ru/kk locales). */
function guessDelimiter(text: string): "," | ";" {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && ch === ",") commas++;
    else if (!quoted && ch === ";") semicolons++;
  }
  return semicolons > commas ? ";" : ",";
}

/**
 * Parses the whole text. `onProgress` is called now and then with the characters read so far, so a command line can
 * show progress on large files. Blank lines are skipped; the first record is the header.
 */
export async function parseCsv(input: string, limits: CsvLimits = DEFAULT_CSV_LIMITS, onProgress?: (read: number, total: number) => void): Promise<ParsedCsv> {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const delimiter = guessDelimiter(text);
  const records: CsvRow[] = [];
  const problems: CsvProblem[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let wasQuoted = false;
  let fieldTooLong = false;
  let i = 0;
  const n = text.length;
  let nextReport = 256 * 1024;
  // Issue 17: a large file is read in slices, the event loop given back between them (src/lib/yield.ts).
  let nextYield = CSV_SLICE_CHARS;

  const endField = () => {
    if (field.length > limits.maxFieldLength) fieldTooLong = true;
    fields.push(field);
    field = "";
    wasQuoted = false;
  };
  const endRecord = () => {
    endField();
    const blank = fields.length === 1 && fields[0] === "";
    if (!blank) {
      if (fieldTooLong) problems.push(csvProblem(recordLine, "field-too-long", { max: limits.maxFieldLength }));
      else if (fields.length > limits.maxFields) problems.push(csvProblem(recordLine, "too-many-columns", { max: limits.maxFields }));
      records.push({ line: recordLine, fields });
    }
    fields = [];
    fieldTooLong = false;
  };

  while (i < n) {
    if (i >= nextYield) {
      nextYield += CSV_SLICE_CHARS;
      await yieldToEventLoop();
    }
    if (i >= nextReport) {
      onProgress?.(i, n);
      nextReport += 256 * 1024;
    }
    if (records.length > limits.maxRecords + 1) break; // the header, the rows allowed, and one more to report
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      if (ch === "\n") line++;
      if (field.length <= limits.maxFieldLength) field += ch;
      else fieldTooLong = true;
      i++;
      continue;
    }
    if (ch === '"') {
      if (field.length === 0 && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
      } else {
        problems.push(csvProblem(line, "stray-quote"));
      }
      i++;
    } else if (ch === delimiter) {
      endField();
      i++;
    } else if (ch === "\r" || ch === "\n") {
      endRecord();
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      if (wasQuoted) problems.push(csvProblem(line, "text-after-quote"));
      if (field.length <= limits.maxFieldLength) field += ch;
      else fieldTooLong = true;
      i++;
    }
  }
  if (quoted) problems.push(csvProblem(recordLine, "unclosed-quote"));
  else if (field !== "" || fields.length > 0) endRecord();
  if (records.length > limits.maxRecords + 1) {
    problems.push(csvProblem(records[limits.maxRecords + 1]!.line, "too-many-rows", { max: limits.maxRecords }));
  }
  onProgress?.(n, n);
  const [header, ...rows] = records;
  return { delimiter, header, rows: rows.slice(0, limits.maxRecords), problems };
}

/** Header names compared loosely: case, spaces, dashes and underscores do not matter. */
export const headerKey = (name: string): string => name.trim().toLowerCase().replace(/[\s_\-–.]+/g, "");

/**
 * Maps each wanted column to its index in the header, given the names it may go by. Returns the missing required
 * columns as problems on line 1.
 */
export function mapColumns<K extends string>(
  header: CsvRow | undefined,
  columns: Record<K, { readonly names: readonly string[]; readonly required: boolean }>,
): { index: Partial<Record<K, number>>; problems: CsvProblem[] } {
  const problems: CsvProblem[] = [];
  const index: Partial<Record<K, number>> = {};
  if (!header) return { index, problems: [csvProblem(1, "empty-file")] };
  const keys = header.fields.map(headerKey);
  for (const [column, spec] of Object.entries(columns) as [K, { readonly names: readonly string[]; readonly required: boolean }][]) {
    const at = keys.findIndex((k) => spec.names.some((n) => headerKey(n) === k));
    if (at >= 0) index[column] = at;
    else if (spec.required) problems.push(csvProblem(header.line, "missing-column", { column: spec.names[0]! }));
  }
  return { index, problems };
}

/** Quotes a value for CSV output when needed; formula-like values are prefixed so spreadsheets do not run them. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  let s = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (values: (string | number | boolean | null | undefined)[]): string => values.map(csvField).join(",");

/** Every bad line of a CSV file, in line order, as one problem response. */
export function csvError(problems: CsvProblem[]): SenimError {
  const sorted = [...problems].sort((a, b) => a.line - b.line);
  return keyedError("invalid_csv", CSV_DETAIL_TEMPLATES, "csv-file-problems", { count: sorted.length }, {
    problems: sorted.slice(0, 1000).map((x) => ({ path: `line ${x.line}`, message: x.message, code: x.code, params: { ...x.params, line: x.line } })),
    extra: { badLines: [...new Set(sorted.map((x) => x.line))].length, problemCount: sorted.length },
  });
}
