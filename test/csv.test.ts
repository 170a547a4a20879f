import { describe, expect, it } from "vitest";
import { csvField, mapColumns, parseCsv } from "../src/lib/csv.js";

describe("CSV reader (12.3 uploads)", () => {
  it("reads a BOM, CRLF, ';' delimiters and quoted fields with doubled quotes and line breaks", async () => {
    const r = await parseCsv('\ufeffa;b;c\r\n1;"x;y";"say ""hi"""\r\n2;"two\r\nlines";\r\n\r\n');
    expect(r.delimiter).toBe(";");
    expect(r.header?.fields).toEqual(["a", "b", "c"]);
    expect(r.rows).toEqual([
      { line: 2, fields: ["1", "x;y", 'say "hi"'] },
      { line: 3, fields: ["2", "two\r\nlines", ""] },
    ]);
    expect(r.problems).toEqual([]);
  });

  it("numbers records by the line they start on, after multi-line fields and blank lines", async () => {
    const r = await parseCsv('a,b\n"1\n2",x\n\n3,y');
    expect(r.delimiter).toBe(",");
    expect(r.rows.map((x) => x.line)).toEqual([2, 5]);
  });

  it("reports stray and unclosed quotes with their line, without throwing", async () => {
    expect((await parseCsv('a,b\n1,x"y\n')).problems).toEqual([{ line: 2, code: "stray-quote", message: expect.stringContaining("quote inside") }]);
    expect((await parseCsv('a,b\n1,"x" y\n')).problems[0]).toMatchObject({ line: 2, message: "text after a closing quote" });
    expect((await parseCsv('a,b\n1,"never closed\n2,3\n')).problems).toEqual([{ line: 2, code: "unclosed-quote", message: "a quoted field is never closed" }]);
  });

  it("enforces row, field-length and column limits", async () => {
    const limits = { maxRecords: 2, maxFieldLength: 5, maxFields: 3 };
    expect((await parseCsv("a\n1\n2\n3\n4\n", limits)).problems).toEqual([{ line: 4, code: "too-many-rows", params: { max: 2 }, message: "more than 2 rows" }]);
    expect((await parseCsv("a\n123456\n", limits)).problems).toEqual([{ line: 2, code: "field-too-long", params: { max: 5 }, message: "a field is longer than 5 characters" }]);
    expect((await parseCsv("a\n1,2,3,4\n", limits)).problems).toEqual([{ line: 2, code: "too-many-columns", params: { max: 3 }, message: "more than 3 columns" }]);
  });

  it("maps columns by any of their names, loosely, and names the missing ones", async () => {
    const { header } = await parseCsv("Licence Number;ФИО\n");
    const m = mapColumns(header, { licence: { names: ["licence", "licence_number"], required: true }, name: { names: ["name", "фио"], required: true }, email: { names: ["email"], required: false }, date: { names: ["admission date"], required: true } });
    expect(m.index).toEqual({ licence: 0, name: 1 });
    expect(m.problems).toEqual([{ line: 1, code: "missing-column", params: { column: "admission date" }, message: 'missing column "admission date"' }]);
  });

  it("writes fields that spreadsheets will not run as formulas", () => {
    expect(csvField("=1+1")).toBe("'=1+1");
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField(-3)).toBe("-3");
    expect(csvField(null)).toBe("");
  });
});
