/**
 * A small strict CSV reader (RFC 4180 plus what spreadsheets in Kazakhstan export): a UTF-8 BOM, CRLF or LF line
 * ends, `,` or `;` as the delimiter (guessed from the header line), quoted fields with `""` escapes and line breaks.
 * It never throws on bad input: problems come back with their line number, so a caller can report every one.
 */
import { SenimError } from "../domain/errors.js";

export interface CsvRow {
  /** 1-based line number where the record starts in the file. */
  line: number;
  fields: string[];
}

export interface CsvProblem {
  line: number;
  message: string;
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
export function parseCsv(input: string, limits: CsvLimits = DEFAULT_CSV_LIMITS, onProgress?: (read: number, total: number) => void): ParsedCsv {
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
      if (fieldTooLong) problems.push({ line: recordLine, message: `a field is longer than ${limits.maxFieldLength} characters` });
      else if (fields.length > limits.maxFields) problems.push({ line: recordLine, message: `more than ${limits.maxFields} columns` });
      records.push({ line: recordLine, fields });
    }
    fields = [];
    fieldTooLong = false;
  };

  while (i < n) {
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
        problems.push({ line, message: "a quote inside an unquoted field (quote the whole field and double inner quotes)" });
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
      if (wasQuoted) problems.push({ line, message: "text after a closing quote" });
      if (field.length <= limits.maxFieldLength) field += ch;
      else fieldTooLong = true;
      i++;
    }
  }
  if (quoted) problems.push({ line: recordLine, message: "a quoted field is never closed" });
  else if (field !== "" || fields.length > 0) endRecord();
  if (records.length > limits.maxRecords + 1) {
    problems.push({ line: records[limits.maxRecords + 1]!.line, message: `more than ${limits.maxRecords} rows` });
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
  if (!header) return { index, problems: [{ line: 1, message: "the file is empty: the first line must name the columns" }] };
  const keys = header.fields.map(headerKey);
  for (const [column, spec] of Object.entries(columns) as [K, { readonly names: readonly string[]; readonly required: boolean }][]) {
    const at = keys.findIndex((k) => spec.names.some((n) => headerKey(n) === k));
    if (at >= 0) index[column] = at;
    else if (spec.required) problems.push({ line: header.line, message: `missing column "${spec.names[0]}"` });
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
  return new SenimError("invalid_csv", `${sorted.length} problem(s) in the file; nothing was stored.`, {
    problems: sorted.slice(0, 1000).map((x) => ({ path: `line ${x.line}`, message: x.message })),
    extra: { badLines: [...new Set(sorted.map((x) => x.line))].length },
  });
}
