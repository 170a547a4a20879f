/**
 * Issue 14, "reports a presidium can table": the compliance report (12.1, everyone or only those short), the
 * participant lists (12.3) and the annual analysis (3.2) as XLSX, read back with exceljs (numbers are numeric cells
 * with a number format; headers in the asked language), and as A4 PDF, read back with poppler (names, totals with the
 * language's thousands separators, several pages with the header repeated, charts drawn), under the JSON forms'
 * authorisation. On SQLite and PostgreSQL; and once on the Worker (workerd + D1), where exceljs runs its browser build.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en, type Catalogue } from "../src/http/i18n/en.js";
import { kk } from "../src/http/i18n/kk.js";
import { ru } from "../src/http/i18n/ru.js";
import { formatNumber } from "../src/http/reports/numbers.js";
import { DATABASE_KINDS } from "./databases.js";
import { accreditedProvider, eventWithParticipants, issued, startSenim, type HttpTarget, type TestSenim } from "./helpers.js";
import { startWorkerTarget, type WorkerTarget } from "./worker-target.js";

const dir = mkdtempSync(join(tmpdir(), "senim-reports-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const LONG_NAME = "Әбдірахманқызы-Құрманғазина-".repeat(10) + "Ақерке";
const MEMBERS = 300;

async function download(s: HttpTarget, path: string, token?: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string | null; disposition: string | null; bytes: Buffer }> {
  const res = await s.fetch(path, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  return { status: res.status, type: res.headers.get("content-type"), disposition: res.headers.get("content-disposition"), bytes: Buffer.from(await res.arrayBuffer()) };
}

async function workbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

/** The sheet's table: the row whose first cells are `firstHeaders`, and every row under it. */
function table(ws: ExcelJS.Worksheet, firstHeaders: string[]): { header: string[]; rows: ExcelJS.Row[] } {
  let headerRow = 0;
  ws.eachRow((row, n) => {
    if (!headerRow && firstHeaders.every((h, i) => row.getCell(i + 1).value === h)) headerRow = n;
  });
  expect(headerRow, `a header row starting ${firstHeaders.join(", ")}`).toBeGreaterThan(0);
  const header = (ws.getRow(headerRow).values as unknown[]).slice(1).map(String);
  const rows: ExcelJS.Row[] = [];
  for (let n = headerRow + 1; n <= ws.rowCount; n++) if (ws.getRow(n).getCell(1).value !== null || ws.getRow(n).getCell(2).value !== null) rows.push(ws.getRow(n));
  return { header, rows };
}

let files = 0;
function pdfFile(bytes: Buffer): string {
  const file = join(dir, `report-${++files}.pdf`);
  writeFileSync(file, bytes);
  return file;
}
/** The text layer, laid out as on the page; pages apart (form feeds). Poppler prints U+202F as a plain space. */
const pdfPages = (bytes: Buffer): string[] => execFileSync("pdftotext", ["-layout", "-enc", "UTF-8", pdfFile(bytes), "-"]).toString().split("\f").filter((p) => p.trim());
const pdfInfo = (bytes: Buffer) => {
  const info = execFileSync("pdfinfo", [pdfFile(bytes)]).toString();
  return { pages: Number(/Pages:\s+(\d+)/.exec(info)![1]), size: /Page size:\s+([\d.]+ x [\d.]+)/.exec(info)![1], title: /Title:\s+(.*)/.exec(info)?.[1] };
};
/** Every word's box on every page (pdftotext -bbox), to see that nothing is drawn past the margins. */
function wordBoxes(bytes: Buffer): { page: number; width: number; word: string; xMin: number; xMax: number }[] {
  const html = execFileSync("pdftotext", ["-bbox", "-enc", "UTF-8", pdfFile(bytes), "-"]).toString();
  const out: { page: number; width: number; word: string; xMin: number; xMax: number }[] = [];
  let page = 0;
  let width = 0;
  for (const m of html.matchAll(/<page width="([\d.]+)"|<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)) {
    if (m[1]) (page++, (width = Number(m[1])));
    else out.push({ page, width, word: m[4]!, xMin: Number(m[2]), xMax: Number(m[3]) });
  }
  return out;
}
/** Pixels of the charts' bar colour (#2b6cb0) on the first page, rendered at 40 dpi. */
function barPixels(bytes: Buffer): number {
  const base = join(dir, `chart-${++files}`);
  execFileSync("pdftoppm", ["-r", "40", "-png", "-singlefile", "-f", "1", "-l", "1", pdfFile(bytes), base]);
  const png = PNG.sync.read(readFileSync(`${base}.png`));
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) if (Math.abs(png.data[i]! - 0x2b) < 12 && Math.abs(png.data[i + 1]! - 0x6c) < 12 && Math.abs(png.data[i + 2]! - 0xb0) < 12) n++;
  return n;
}
const spaced = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");

describe("numbers in the reader's language (issue 14)", () => {
  it("kk and ru group thousands with a narrow no-break space and put a comma before decimals; en a comma and a point", () => {
    expect(formatNumber(1234567.891, "kk", 1)).toBe("1\u202f234\u202f567,9");
    expect(formatNumber(1234567.891, "ru", 1)).toBe("1\u202f234\u202f567,9");
    expect(formatNumber(1234567.891, "en", 1)).toBe("1,234,567.9");
    expect(formatNumber(2222.2, "ru", 1)).toBe("2\u202f222,2");
    expect(formatNumber(999, "kk")).toBe("999");
    expect(formatNumber(1000, "kk")).toBe("1\u202f000");
    expect(formatNumber(1000, "en")).toBe("1,000");
    expect(formatNumber(100000, "en", 1)).toBe("100,000.0");
    expect(formatNumber(0, "ru", 1)).toBe("0,0");
    expect(formatNumber(-1234.5, "en", 1)).toBe("-1,234.5");
    expect(formatNumber(-0.04, "ru", 1)).toBe("0,0");
    expect(formatNumber(8.05, "en", 0)).toBe("8");
    expect(formatNumber(null, "en", 1)).toBe("—");
    expect(formatNumber(Number.NaN, "kk")).toBe("—");
  });
});

describe.each(["sqlite", "postgres"] as const)("tabled reports (12.1, 12.3, 3.2) on %s", (database) => {
  let s: TestSenim;
  let bar: string;
  let otherBar: string;
  let provider: Awaited<ReturnType<typeof issued>>["provider"];
  let event: { id: string };
  let certificateIds: string[];

  beforeAll(async () => {
    s = await startSenim({ database, now: "2026-06-01T09:00:00Z" });
    const key = async (barId: string) => (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId, label: "registry office" } })).body.token as string;
    bar = await key("almaty-city");
    otherBar = await key("astana-city");
    // Three certificates of 8 academic hours, to 100000 (the teacher), 100001 and 100002, for an event of May 2026.
    const made = await issued(s, 3);
    ({ provider, event } = made);
    certificateIds = made.certificates.map((c) => c.id);
    const csv = ["licence,name,admission date", ...Array.from({ length: MEMBERS }, (_, i) => `${100000 + i},${i === 5 ? LONG_NAME : `Қатысушы ${i + 1}`},2015-03-01`)].join("\n");
    expect((await s.call("POST", "/api/bars/almaty-city/members.csv", { token: bar, raw: csv, headers: { "content-type": "text/csv" } })).status).toBe(201);
    expect((await s.call("PUT", "/api/bars/almaty-city/policies/2026", { token: bar, body: { requiredAcademicHours: 8 } })).status).toBe(200);
    // 2.2.2: 100,000 minutes self-recorded (2,222.2 academic hours, never counted): a total past a thousand.
    expect((await s.call("POST", "/api/bars/almaty-city/members/100007/self-recorded", { token: bar, body: { year: 2026, minutes: 100_000, programme: "criminal", description: "Reading" } })).status).toBe(201);
    s.clock.set("2027-01-10T09:00:00Z"); // the year has ended: the report is final (12.1)
  }, 120_000);
  afterAll(async () => s?.close());

  it("12.1: the compliance report as XLSX — a numeric cell with a number format per figure, headers in the asked language", async () => {
    const res = await download(s, "/api/bars/almaty-city/compliance/2026.xlsx?lang=ru", bar);
    expect(res.status).toBe(200);
    expect(res.type).toBe(XLSX);
    expect(res.disposition).toBe('attachment; filename="compliance-almaty-city-2026-ru.xlsx"');
    const wb = await workbook(res.bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual([ru.reports.sheetReport, ru.reports.sheetSummary]);
    const ws = wb.getWorksheet(ru.reports.sheetReport)!;
    expect(ws.pageSetup.paperSize).toBe(9); // A4
    expect(String(ws.getCell(1, 1).value)).toContain("Алматинская городская коллегия адвокатов");
    expect(String(ws.getCell(1, 1).value)).toContain(ru.reports.final);
    const { header, rows } = table(ws, [ru.reports.number, ru.common.licence]);
    expect(header).toEqual(expect.arrayContaining([ru.bookkeeping.name, ru.bookkeeping.verified, ru.bookkeeping.required, ru.bookkeeping.status, ru.reports.suspendedDays]));
    const col = (name: string) => header.indexOf(name) + 1;
    const members = rows.filter((r) => typeof r.getCell(1).value === "number");
    expect(members).toHaveLength(MEMBERS);
    const teacher = members.find((r) => r.getCell(col(ru.common.licence)).value === "100000")!;
    expect(teacher.getCell(col(ru.bookkeeping.verified)).value).toBe(8);
    expect(teacher.getCell(col(ru.bookkeeping.verified)).numFmt).toBe("#,##0.0");
    expect(teacher.getCell(col(ru.bookkeeping.certificates)).value).toBe(1);
    expect(teacher.getCell(col(ru.bookkeeping.certificates)).numFmt).toBe("#,##0");
    expect(teacher.getCell(col(ru.reports.teachingHours)).value).toBe(8);
    expect(teacher.getCell(col(ru.reports.admissionDate)).value).toEqual(new Date("2015-03-01T00:00:00Z"));
    expect(teacher.getCell(col(ru.bookkeeping.status)).value).toBe(ru.complianceStatus.met);
    const reader = members.find((r) => r.getCell(col(ru.common.licence)).value === "100007")!;
    expect(reader.getCell(col(ru.bookkeeping.selfRecorded)).value).toBe(2222.2);
    expect(reader.getCell(col(ru.bookkeeping.status)).value).toBe(ru.complianceStatus.short);
    expect(members.find((r) => r.getCell(col(ru.common.licence)).value === "100005")!.getCell(col(ru.bookkeeping.name)).value).toBe(LONG_NAME);
    const total = rows.find((r) => r.getCell(2).value === ru.reports.total)!;
    expect(total.getCell(col(ru.bookkeeping.verified)).value).toBe(24);
    expect(total.getCell(col(ru.bookkeeping.selfRecorded)).value).toBe(2222.2);

    // The summary: the policy and the bar's totals, numbers as numbers.
    const summary = wb.getWorksheet(ru.reports.sheetSummary)!;
    const field = (label: string) => {
      let value: unknown;
      summary.eachRow((row) => {
        if (row.getCell(1).value === label) value = row.getCell(2).value;
      });
      return value;
    };
    expect(field(ru.bookkeeping.required)).toBe(8);
    expect(field(ru.bookkeeping.members)).toBe(MEMBERS);
    expect(field(ru.complianceStatus.met)).toBe(3);
    expect(field(ru.complianceStatus.short)).toBe(MEMBERS - 3);

    // Accept-Language when no ?lang=: the headers in Kazakh, then English.
    for (const [lang, c] of [["kk", kk], ["en", en]] as const) {
      const other = await workbook((await download(s, "/api/bars/almaty-city/compliance/2026.xlsx", bar, { "accept-language": `${lang};q=0.9` })).bytes);
      expect(table(other.worksheets[0]!, [c.reports.number, c.common.licence]).header).toContain(c.bookkeeping.verified);
    }
  });

  it("12.1: ?only=short lists only the members short of the duty, in XLSX and in PDF", async () => {
    const xlsx = await download(s, "/api/bars/almaty-city/compliance/2026.xlsx?lang=kk&only=short", bar);
    expect(xlsx.status).toBe(200);
    expect(xlsx.disposition).toContain("compliance-almaty-city-2026-short-kk.xlsx");
    const wb = await workbook(xlsx.bytes);
    expect(String(wb.worksheets[0]!.getCell(1, 1).value)).toContain(kk.reports.shortTitle);
    const { header, rows } = table(wb.worksheets[0]!, [kk.reports.number, kk.common.licence]);
    const members = rows.filter((r) => typeof r.getCell(1).value === "number");
    expect(members).toHaveLength(MEMBERS - 3);
    expect(new Set(members.map((r) => r.getCell(header.indexOf(kk.bookkeeping.status) + 1).value))).toEqual(new Set([kk.complianceStatus.short]));
    const licences = members.map((r) => r.getCell(2).value);
    for (const met of ["100000", "100001", "100002"]) expect(licences).not.toContain(met);

    const pdf = await download(s, "/api/bars/almaty-city/compliance/2026.pdf?lang=kk&only=short", bar);
    expect(pdf.status).toBe(200);
    const text = pdfPages(pdf.bytes).join("\n");
    expect(text).toContain(kk.reports.shortTitle);
    expect(text).toMatch(/\b100003\b/);
    for (const met of ["100000", "100001", "100002"]) expect(text).not.toMatch(new RegExp(`\\b${met}\\b`));
  });

  it("12.1: the compliance report as an A4 PDF — several pages, each with the table's header, the bar, the year, final, page n of N; totals with thousands separators", async () => {
    const res = await download(s, "/api/bars/almaty-city/compliance/2026.pdf?lang=ru", bar);
    expect(res.status).toBe(200);
    expect(res.type).toBe("application/pdf");
    expect(res.disposition).toBe('inline; filename="compliance-almaty-city-2026-ru.pdf"');
    const info = pdfInfo(res.bytes);
    expect(info.size).toBe("841.89 x 595.28"); // A4, landscape
    expect(info.pages).toBeGreaterThanOrEqual(5);
    expect(info.title).toContain(ru.bookkeeping.complianceTitle);
    const pages = pdfPages(res.bytes);
    expect(pages).toHaveLength(info.pages);
    pages.forEach((page, i) => {
      expect(page, `page ${i + 1}`).toContain("Алматинская городская коллегия адвокатов");
      expect(page).toContain(`${ru.bookkeeping.complianceTitle} — 2026`);
      expect(page).toContain(ru.reports.final);
      expect(page).toContain(`Страница ${i + 1} из ${info.pages}`);
      expect(page).toContain("Сформирован 2027-01-10 14:00");
      // The header row, again on every page.
      expect(page).toMatch(new RegExp(`№\\s+${ru.common.licence}\\s+${ru.bookkeeping.name}`));
    });
    const text = spaced(pages.join("\n"));
    expect(text).toContain("Қатысушы 300");
    expect(text).toMatch(/\b100299\b/);
    expect(text).toContain(`${ru.bookkeeping.members}: 300`);
    expect(text).toMatch(/Итого\s+3\s+24,0\s+2 222,2/); // the total row: certificates, verified hours, self-recorded
    expect(text).toContain(`${ru.complianceStatus.short}: 297`);
    // The long name wraps inside its column and ends clipped with "…"; no word is drawn past the right margin.
    expect(text).toContain("Әбдірахманқызы");
    expect(text).toContain("…");
    const boxes = wordBoxes(res.bytes);
    expect(boxes.length).toBeGreaterThan(MEMBERS * 5);
    for (const b of boxes) {
      expect(b.xMin, b.word).toBeGreaterThanOrEqual(39);
      expect(b.xMax, b.word).toBeLessThanOrEqual(b.width - 39);
    }
    // English: a comma groups thousands, a point before the decimals.
    const english = spaced(pdfPages((await download(s, "/api/bars/almaty-city/compliance/2026.pdf?lang=en", bar)).bytes).join("\n"));
    expect(english).toMatch(/Total\s+3\s+24\.0\s+2,222\.2/);
    expect(english).toContain("Page 1 of");
  });

  it("3.2: the annual analysis as XLSX (its figures, and each chart's figures on a sheet of their own) and as an A4 PDF with its charts drawn", async () => {
    const xlsx = await download(s, "/api/bars/almaty-city/analysis/2026.xlsx?lang=kk", bar);
    expect(xlsx.status).toBe(200);
    expect(xlsx.type).toBe(XLSX);
    const wb = await workbook(xlsx.bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual([kk.reports.sheetSummary, kk.reports.sheetChartData]);
    const figures = new Map<unknown, unknown>();
    wb.getWorksheet(kk.reports.sheetSummary)!.eachRow((row) => figures.set(row.getCell(1).value, row.getCell(2).value));
    expect(figures.get(kk.bookkeeping.certificates)).toBe(3);
    expect(figures.get(kk.bookkeeping.hours)).toBe(24);
    expect(figures.get(kk.bookkeeping.members)).toBe(MEMBERS);
    const data = wb.getWorksheet(kk.reports.sheetChartData)!;
    const cells = new Map<unknown, unknown[]>();
    data.eachRow((row) => cells.set(row.getCell(1).value, [row.getCell(2).value, row.getCell(3).value]));
    expect(String(data.getCell(3, 1).value)).toBe(kk.reports.chartDataNote);
    expect(cells.get("Қылмыстық істер бойынша адвокаттық қызмет")).toEqual([24, 3]); // criminal: hours, certificates
    expect(cells.get(kk.complianceStatus.short)).toEqual([MEMBERS - 3, null]);

    const pdf = await download(s, "/api/bars/almaty-city/analysis/2026.pdf?lang=kk", bar);
    expect(pdf.status).toBe(200);
    expect(pdfInfo(pdf.bytes).size).toBe("595.28 x 841.89"); // A4, portrait
    const text = spaced(pdfPages(pdf.bytes).join("\n"));
    for (const title of [kk.bookkeeping.byProgramme, kk.bookkeeping.byForm, kk.bookkeeping.byDelivery, kk.bookkeeping.membersStatus]) expect(text).toContain(title);
    expect(text).toContain("Алматы қалалық адвокаттар алқасы");
    expect(text).toContain(kk.reports.final);
    expect(text).toMatch(/Қылмыстық істер бойынша адвокаттық\s+24,0\s+қызмет/); // the label (in two lines) beside its value
    expect(barPixels(pdf.bytes)).toBeGreaterThan(50); // the bars, drawn in the charts' colour

    // The RBA's, over every territorial bar: the bars' table under its charts.
    const rba = await download(s, "/api/bars/rba/analysis/2026.pdf?lang=en", s.adminToken);
    expect(rba.status).toBe(200);
    const national = spaced(pdfPages(rba.bytes).join("\n"));
    expect(national).toContain(en.reports.byBar);
    expect(national).toContain(en.reports.byBarTable);
    expect(national).toMatch(/Almaty City Bar Association[^\n]*\s3\s+24\.0\s+300\b/);
  });

  it("12.3: the participant list as XLSX and A4 PDF for the event's provider: the event's particulars, each participant and certificate", async () => {
    const xlsx = await download(s, `/api/events/${event.id}/participants.xlsx?lang=en`, provider.token);
    expect(xlsx.status).toBe(200);
    expect(xlsx.type).toBe(XLSX);
    const wb = await workbook(xlsx.bytes);
    const ws = wb.getWorksheet(en.reports.sheetParticipants)!;
    const fields = new Map<unknown, unknown>();
    ws.eachRow((row) => fields.set(row.getCell(1).value, row.getCell(2).value));
    expect(fields.get(en.common.topic)).toBe("Қылмыстық процестегі дәлелдемелер");
    expect(fields.get(en.common.place)).toBe("Алматы");
    expect(fields.get(en.common.trainers)).toBe("Сейтқали Ә.");
    expect(fields.get(en.bookkeeping.hours)).toBe(8); // 360 minutes, a number
    expect(fields.get(en.reports.date)).toBe("2026-05-31");
    const { header, rows } = table(ws, [en.reports.number, en.common.licence]);
    expect(header).toEqual([en.reports.number, en.common.licence, en.bookkeeping.name, en.common.bar, en.common.role, en.reports.certificate]);
    expect(rows.map((r) => [r.getCell(2).value, r.getCell(3).value, r.getCell(6).value])).toEqual([
      ["100000", "Қатысушы 1", certificateIds[0]],
      ["100001", "Қатысушы 2", certificateIds[1]],
      ["100002", "Қатысушы 3", certificateIds[2]],
    ]);
    expect(rows[0]!.getCell(5).value).toBe(en.common.roleTeacher);

    const pdf = await download(s, `/api/events/${event.id}/participants.pdf?lang=ru`, provider.token);
    expect(pdf.status).toBe(200);
    const text = pdfPages(pdf.bytes).join("\n");
    for (const value of [ru.reports.participantsTitle, "Қылмыстық процестегі дәлелдемелер", "Алматы", "Сейтқали Ә.", "8,0", "Қатысушы 3", certificateIds[2]!, "Страница 1 из 1"]) expect(text).toContain(value);

    // Only the event's own provider: another provider does not learn it exists, a bar is not a provider.
    const stranger = await accreditedProvider(s, { name: "Басқа орталық" });
    expect((await download(s, `/api/events/${event.id}/participants.xlsx`, stranger.token)).status).toBe(404);
    expect((await download(s, `/api/events/${event.id}/participants.pdf`, bar)).status).toBe(403);
    expect((await download(s, `/api/events/${event.id}/participants.xlsx`)).status).toBe(401);
  });

  it("12.1, 3.2: the files answer to the JSON forms' check — another bar's admin 403, a provider 403, no key 401; a bad year or ?only 400", async () => {
    for (const path of ["/api/bars/almaty-city/compliance/2026.xlsx", "/api/bars/almaty-city/compliance/2026.pdf?only=short", "/api/bars/almaty-city/analysis/2026.xlsx", "/api/bars/almaty-city/analysis/2026.pdf"]) {
      expect((await download(s, path, otherBar)).status, path).toBe(403);
      expect((await download(s, path, provider.token)).status, path).toBe(403);
      expect((await download(s, path)).status, path).toBe(401);
      expect((await download(s, path, s.adminToken)).status, path).toBe(200); // the RBA reads every bar's
    }
    for (const path of ["/api/bars/almaty-city/compliance/1999.xlsx", "/api/bars/almaty-city/compliance/2101.pdf", "/api/bars/almaty-city/analysis/1999.pdf", "/api/bars/almaty-city/compliance/2026.xlsx?only=all"]) {
      const res = await s.call("GET", path, { token: bar });
      expect(res.status, path).toBe(400);
      expect(res.body.code).toBe("invalid_request");
    }
    expect((await s.call("GET", "/api/bars/atlantis/compliance/2026.pdf", { token: s.adminToken })).status).toBe(404);
    const doc = (await s.call("GET", "/openapi.json")).body;
    for (const path of ["/api/bars/{barId}/compliance/{year}.xlsx", "/api/bars/{barId}/compliance/{year}.pdf", "/api/bars/{barId}/analysis/{year}.xlsx", "/api/bars/{barId}/analysis/{year}.pdf", "/api/events/{id}/participants.xlsx", "/api/events/{id}/participants.pdf"]) {
      expect(doc.paths[path]?.get, path).toBeDefined();
    }
  });
});

describe.each(DATABASE_KINDS)("a closed year's tabled reports (12.1, 12.2, 13.1, 3.2) on %s", (database) => {
  let s: TestSenim;
  let bar: string;
  let otherBar: string;
  let provider: Awaited<ReturnType<typeof accreditedProvider>>;
  let lateEvent: string;
  let digest: string;
  const SHORT = "100002"; // 8 of 16 hours when the year is closed; the late certificate would make it 16
  const MET = "100001"; // 16 of 16, and 2,222.2 academic hours self-recorded (a total past a thousand)
  const MEASURE = "Төралқа ескерту жасады";
  const REOPEN_REASON = "Провайдер тізімді кешіктіріп жіберді";
  const years = "/api/bars/almaty-city/years/2026";
  const file = (what: "compliance" | "analysis", ext: "xlsx" | "pdf", lang: string, token = bar) => download(s, `/api/bars/almaty-city/${what}/2026.${ext}?lang=${lang}`, token);
  const issueAll = async (eventId: string) => {
    const r = await s.call("POST", `/api/events/${eventId}/certificates`, { token: provider.token });
    if (r.status !== 201) throw new Error(`issue: ${r.status} ${r.text}`);
    return (r.body.certificates as { id: string }[]).map((c) => c.id);
  };
  /** The report sheet's member rows, by licence, and every frozen figure of each (the columns before the measure's). */
  const reportSheet = async (bytes: Buffer, c: Catalogue) => {
    const wb = await workbook(bytes);
    const ws = wb.getWorksheet(c.reports.sheetReport)!;
    const { header, rows } = table(ws, [c.reports.number, c.common.licence]);
    const col = (name: string) => header.indexOf(name) + 1;
    const members = rows.filter((r) => typeof r.getCell(1).value === "number");
    const figures = rows.filter((r) => r.getCell(2).value !== null).map((r) => header.slice(0, 17).map((_, i) => r.getCell(i + 1).value));
    return { wb, ws, header, col, members, figures, of: (licence: string) => members.find((r) => r.getCell(col(c.common.licence)).value === licence)! };
  };
  const summaryField = (wb: ExcelJS.Workbook, c: Catalogue, label: string) => {
    let value: unknown;
    wb.getWorksheet(c.reports.sheetSummary)!.eachRow((row) => {
      if (row.getCell(1).value === label) value = row.getCell(2).value;
    });
    return value;
  };
  const titleBlock = (ws: ExcelJS.Worksheet) => Array.from({ length: 8 }, (_, i) => String(ws.getCell(i + 1, 1).value ?? "")).join("\n");
  /** The PDF's member table from its header row to its total row (what a closed year freezes), spaces normalised. */
  const memberTable = (text: string, c: Catalogue) => {
    const from = text.search(new RegExp(`${c.reports.number}\\s+${c.common.licence}`));
    const to = text.indexOf(c.reports.total, from);
    return text.slice(from, text.indexOf("\n", to)).replace(/[ \t]+/g, " ");
  };

  beforeAll(async () => {
    s = await startSenim({ database, now: "2026-06-01T09:00:00Z" });
    const key = async (barId: string) => (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId, label: "registry office" } })).body.token as string;
    bar = await key("almaty-city");
    otherBar = await key("astana-city");
    provider = await accreditedProvider(s);
    const csv = "licence,name,admission date\n100000,Қатысушы 1,2015-03-01\n100001,Қатысушы 2,2015-03-01\n100002,Қатысушы 3,2015-03-01\n";
    expect((await s.call("POST", "/api/bars/almaty-city/members.csv", { token: bar, raw: csv, headers: { "content-type": "text/csv" } })).status).toBe(201);
    expect((await s.call("PUT", "/api/bars/almaty-city/policies/2026", { token: bar, body: { requiredAcademicHours: 16 } })).status).toBe(200);
    expect((await s.call("POST", `/api/bars/almaty-city/members/${MET}/self-recorded`, { token: bar, body: { year: 2026, minutes: 100_000, programme: "criminal", description: "Reading" } })).status).toBe(201);
    await issueAll((await eventWithParticipants(s, provider.token, { n: 3 })).id); // 8 hours to 100000, 100001, 100002
    s.clock.set("2026-06-10T09:00:00Z");
    await issueAll((await eventWithParticipants(s, provider.token, { n: 2 })).id); // 8 more to 100000 and 100001
    // A December event whose certificates the provider issues only after the bar has closed the year (12.2).
    s.clock.set("2026-12-16T09:00:00Z");
    lateEvent = (await eventWithParticipants(s, provider.token, { n: 3 })).id;
    s.clock.set("2027-01-10T09:00:00Z");
  }, 120_000);
  afterAll(async () => s?.close());

  it("12.1: an open year's XLSX and PDF say in their header that it is not closed and the figures are live, in kk/ru/en", async () => {
    for (const [lang, c] of [["kk", kk], ["ru", ru], ["en", en]] as const) {
      const { ws, wb, header } = await reportSheet((await file("compliance", "xlsx", lang)).bytes, c);
      expect(titleBlock(ws)).toContain(c.reports.liveMark);
      expect(ws.headerFooter.oddHeader).toContain(c.reports.liveMark);
      expect(header).not.toContain(c.closing.measure);
      expect(wb.worksheets.map((w) => w.name)).toEqual([c.reports.sheetReport, c.reports.sheetSummary]); // no late sheet
      const pages = pdfPages((await file("compliance", "pdf", lang)).bytes);
      for (const page of pages) expect(page).toContain(c.reports.liveMark);
      expect(pages.join("\n")).toContain(c.closing.notClosed.replace("{year}", "2026").slice(0, 20));
    }
    const analysis = await workbook((await file("analysis", "xlsx", "ru")).bytes);
    expect(titleBlock(analysis.worksheets[0]!)).toContain(ru.reports.liveMark);
    expect(pdfPages((await file("analysis", "pdf", "en")).bytes)[0]).toContain(en.reports.liveMark);
    expect((await s.call("GET", "/api/bars/almaty-city/analysis/2026", { token: bar })).body.closing).toBeNull();
  });

  let before: { xlsx: Awaited<ReturnType<typeof reportSheet>>; pdf: string };
  it("12.1, 13.1: a closed year's XLSX and PDF show the closing date, the snapshot's digest and the short member's measure on their row", async () => {
    const closed = await s.call("POST", `${years}/close`, { token: bar, body: { closedOn: "2027-01-09" } });
    expect(closed.status, closed.text).toBe(201);
    digest = closed.body.current.digest;
    expect((await s.call("PUT", `${years}/measures/${SHORT}`, { token: bar, body: { decision: MEASURE, decidedOn: "2027-01-10" } })).status).toBe(200);

    const xlsx = await reportSheet((await file("compliance", "xlsx", "kk")).bytes, kk);
    const closedOn = kk.reports.closedMark.replace("{date}", "2027-01-09");
    expect(titleBlock(xlsx.ws)).toContain(closedOn);
    expect(titleBlock(xlsx.ws)).toContain(digest);
    expect(titleBlock(xlsx.ws)).not.toContain(kk.reports.liveMark);
    expect(xlsx.ws.headerFooter.oddHeader).toContain(closedOn);
    expect(summaryField(xlsx.wb, kk, kk.closing.closedOn)).toEqual(new Date("2027-01-09T00:00:00Z"));
    expect(summaryField(xlsx.wb, kk, kk.closing.digest)).toBe(digest);
    expect(summaryField(xlsx.wb, kk, kk.complianceStatus.short)).toBe(1);
    // 13.1: the decision and its date on the short member's own row; none on the others'.
    expect(xlsx.of(SHORT).getCell(xlsx.col(kk.bookkeeping.status)).value).toBe(kk.complianceStatus.short);
    expect(xlsx.of(SHORT).getCell(xlsx.col(kk.closing.measure)).value).toBe(MEASURE);
    expect(xlsx.of(SHORT).getCell(xlsx.col(kk.closing.decidedOn)).value).toEqual(new Date("2027-01-10T00:00:00Z"));
    expect(xlsx.of(MET).getCell(xlsx.col(kk.closing.measure)).value).toBeNull();
    expect(xlsx.of(MET).getCell(xlsx.col(kk.bookkeeping.selfRecorded)).value).toBe(2222.2);
    const late = xlsx.wb.getWorksheet(kk.reports.sheetLate)!;
    expect(titleBlock(late)).toContain(kk.closing.lateNone);

    const pdf = await file("compliance", "pdf", "ru");
    const pages = pdfPages(pdf.bytes);
    for (const page of pages) expect(page).toContain(ru.reports.closedMark.replace("{date}", "2027-01-09"));
    const text = spaced(pages.join("\n"));
    expect(text).toContain(digest);
    expect(text).toContain(ru.closing.measuresTitle);
    expect(text).toContain(`${MEASURE} (решение от 2027-01-10)`);
    // On the short member's row (the measure's column), and the table's total with the language's separators.
    const rows = memberTable(text, ru);
    // ("не выполнено" and the measure wrap in their cells: the row's first line, then the rest under it.)
    expect(rows).toMatch(new RegExp(`\\n 3 ${SHORT} Қатысушы 3 11 1 8,0 0,0 16,0 — не ${MEASURE}\\n выполнено \\(решение от 2027-01-10\\)`));
    expect(rows).toMatch(/Итого 5 40,0 2 222,2/);
    expect(text).toContain(ru.closing.lateNone);
    before = { xlsx, pdf: rows };
  });

  it("12.2: a certificate issued after the closing is listed in its own sheet and section; the data changing after the closing does not move the frozen figures", async () => {
    s.clock.set("2027-01-12T09:00:00Z");
    const lateIds = await issueAll(lateEvent); // issuing is not refused: the training was in 2026
    // A second change after the closing: the closed year's policy (with it, the live figures would meet everyone).
    expect((await s.call("PUT", "/api/bars/almaty-city/policies/2026", { token: bar, body: { requiredAcademicHours: 8 } })).status).toBe(200);

    const xlsx = await reportSheet((await file("compliance", "xlsx", "kk")).bytes, kk);
    expect(xlsx.figures).toEqual(before.xlsx.figures); // every member's frozen figure, and the total row
    expect(summaryField(xlsx.wb, kk, kk.bookkeeping.required)).toBe(16);
    expect(summaryField(xlsx.wb, kk, kk.complianceStatus.short)).toBe(1);
    expect(xlsx.of(SHORT).getCell(xlsx.col(kk.closing.measure)).value).toBe(MEASURE);
    const lateSheet = xlsx.wb.getWorksheet(kk.reports.sheetLate)!;
    expect(titleBlock(lateSheet)).toContain(kk.closing.lateTitle);
    const late = table(lateSheet, [kk.reports.number, kk.common.licence]);
    const certificates = late.rows.filter((r) => typeof r.getCell(1).value === "number");
    expect(certificates.map((r) => r.getCell(late.header.indexOf(kk.reports.certificate) + 1).value).sort()).toEqual([...lateIds].sort());
    const lateOf = certificates.find((r) => r.getCell(2).value === SHORT)!;
    expect(lateOf.getCell(late.header.indexOf(kk.bookkeeping.hours) + 1).value).toBe(8);
    expect(lateOf.getCell(late.header.indexOf(kk.closing.kind) + 1).value).toBe(kk.closing.lateIssued);
    expect(lateOf.getCell(late.header.indexOf(kk.closing.arrived) + 1).value).toBe("2027-01-12 14:00");
    // What the late certificates would change: the short member would meet the requirement.
    const effect = table(lateSheet, [kk.common.licence, kk.bookkeeping.name, kk.bookkeeping.hours]);
    const wouldChange = effect.rows.find((r) => r.getCell(1).value === SHORT)!;
    expect(wouldChange.getCell(5).value).toBe(kk.complianceStatus.short);
    expect(wouldChange.getCell(7).value).toBe(kk.complianceStatus.met);
    expect(wouldChange.getCell(8).value).toBe(kk.bookkeeping.yes);

    const text = spaced(pdfPages((await file("compliance", "pdf", "ru")).bytes).join("\n"));
    expect(memberTable(text, ru)).toBe(before.pdf);
    expect(text).toContain(ru.closing.lateTitle);
    expect(text).toContain(ru.reports.lateEffect);
    for (const id of lateIds) expect(text).toContain(id);
    expect(text).toContain(ru.closing.wouldChange);
    expect(text).not.toContain(ru.closing.lateNone);
    // The JSON is the same snapshot, and its digest still that of the bytes stored.
    const json = (await s.call("GET", "/api/bars/almaty-city/compliance/2026", { token: bar })).body;
    expect(json.closing.digest).toBe(digest);
    expect(json.totals).toMatchObject({ short: 1, met: 2 });
  });

  it("3.2: the closed year's analysis says it was closed and that its members' figures are the frozen ones, its certificates live", async () => {
    const json = (await s.call("GET", "/api/bars/almaty-city/analysis/2026", { token: bar })).body;
    expect(json.closing).toMatchObject({ closedOn: "2027-01-09", digest });
    expect(json.members).toMatchObject({ total: 3, met: 2, short: 1 }); // as frozen: live, the policy of 8 hours meets everyone
    expect(json.certificates).toBe(8); // live: the late certificates are counted
    const wb = await workbook((await file("analysis", "xlsx", "en")).bytes);
    const head = titleBlock(wb.getWorksheet(en.reports.sheetSummary)!);
    expect(head).toContain(en.reports.closedMark.replace("{date}", "2027-01-09"));
    expect(head).toContain(en.reports.analysisClosed.replace("{date}", "2027-01-09"));
    expect(head).not.toContain(en.reports.liveMark);
    expect(summaryField(wb, en, en.bookkeeping.certificates)).toBe(8);
    const pages = pdfPages((await file("analysis", "pdf", "kk")).bytes);
    for (const page of pages) expect(page).toContain(kk.reports.closedMark.replace("{date}", "2027-01-09"));
    expect(spaced(pages.join(" ")).replace(/\s+/g, " ")).toContain(kk.reports.analysisClosed.replace("{date}", "2027-01-09"));
    // The RBA's: each bar says whether its members' figures are frozen.
    const rba = (await s.call("GET", "/api/bars/rba/analysis/2026", { token: s.adminToken })).body;
    expect(rba.byBar.find((b: any) => b.barId === "almaty-city")).toMatchObject({ closedOn: "2027-01-09", members: { short: 1 } });
    expect(rba.byBar.find((b: any) => b.barId === "astana-city")).toMatchObject({ closedOn: null });
    const national = spaced(pdfPages((await download(s, "/api/bars/rba/analysis/2026.pdf?lang=en", s.adminToken)).bytes).join(" ")).replace(/\s+/g, " ");
    expect(national).toContain(`1 of ${rba.byBar.length} bars have closed the year`);
  });

  it("12.1, 12.2: reopening (with its reason) makes the exports live again and the reason stays in them; closed again, both closings are there", async () => {
    s.clock.set("2027-01-15T09:00:00Z");
    expect((await s.call("POST", `${years}/reopen`, { token: bar, body: { reason: REOPEN_REASON } })).status).toBe(200);
    let xlsx = await reportSheet((await file("compliance", "xlsx", "en")).bytes, en);
    expect(titleBlock(xlsx.ws)).toContain(en.reports.liveMark);
    expect(xlsx.header).not.toContain(en.closing.measure);
    expect(summaryField(xlsx.wb, en, en.complianceStatus.short)).toBe(0); // live: the policy of 8 hours, the late certificates
    const history = (wb: ExcelJS.Workbook) => table(wb.getWorksheet(en.reports.sheetSummary)!, [en.closing.closedOn, en.reports.closedBy]).rows;
    expect(history(xlsx.wb).map((r) => [r.getCell(1).value, r.getCell(3).value, r.getCell(5).value])).toEqual([[new Date("2027-01-09T00:00:00Z"), "2027-01-15 14:00", REOPEN_REASON]]);
    let text = spaced(pdfPages((await file("compliance", "pdf", "en")).bytes).join("\n"));
    expect(text).toContain(en.reports.liveMark);
    expect(text).toContain(en.closing.history);
    expect(text).toContain(REOPEN_REASON);

    const again = await s.call("POST", `${years}/close`, { token: bar, body: { closedOn: "2027-01-15" } });
    expect(again.status).toBe(201);
    expect(again.body.current.digest).not.toBe(digest);
    xlsx = await reportSheet((await file("compliance", "xlsx", "en")).bytes, en);
    expect(titleBlock(xlsx.ws)).toContain(again.body.current.digest);
    expect(summaryField(xlsx.wb, en, en.complianceStatus.short)).toBe(0);
    expect(history(xlsx.wb)).toHaveLength(1); // the reopened closing; the open one is the report's own
    text = spaced(pdfPages((await file("compliance", "pdf", "en")).bytes).join("\n"));
    expect(text).toContain(en.reports.closedMark.replace("{date}", "2027-01-15"));
    expect(text).toContain(REOPEN_REASON);
    expect(text).toContain(en.closing.lateNone); // nothing has arrived since this closing
  });

  it("12.1: a closed year's files answer to the JSON's check — another bar's admin 403, a provider 403, no key 401, an unknown bar 404", async () => {
    for (const path of ["/api/bars/almaty-city/compliance/2026.xlsx", "/api/bars/almaty-city/compliance/2026.pdf?only=short", "/api/bars/almaty-city/analysis/2026.xlsx", "/api/bars/almaty-city/analysis/2026.pdf"]) {
      expect((await download(s, path, otherBar)).status, path).toBe(403);
      expect((await download(s, path, provider.token)).status, path).toBe(403);
      expect((await download(s, path)).status, path).toBe(401);
      expect((await download(s, path, s.adminToken)).status, path).toBe(200);
    }
    expect((await download(s, "/api/bars/atlantis/compliance/2026.xlsx", s.adminToken)).status).toBe(404);
  });
});

describe("tabled reports on Workers (workerd + D1)", () => {
  let w: WorkerTarget;
  beforeAll(async () => {
    w = await startWorkerTarget();
  }, 240_000);
  afterAll(async () => w?.close());

  it("12.1: the compliance report's XLSX (exceljs' browser build) and PDF are made by the Worker too", async () => {
    const bar = (await w.call("POST", "/api/api-keys", { token: w.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "registry office" } })).body.token as string;
    const csv = "licence,name,admission date\n100000,Әлия Құрманова,2015-03-01\n100001,Ерлан Жұмабаев,2016-04-02\n";
    expect((await w.call("POST", "/api/bars/almaty-city/members.csv", { token: bar, raw: csv, headers: { "content-type": "text/csv" } })).status).toBe(201);
    const year = new Date(w.clock.ms + 5 * 3_600_000).getUTCFullYear();
    const xlsx = await download(w, `/api/bars/almaty-city/compliance/${year}.xlsx?lang=kk`, bar);
    expect(xlsx.status).toBe(200);
    expect(xlsx.type).toBe(XLSX);
    const { rows } = table((await workbook(xlsx.bytes)).worksheets[0]!, [kk.reports.number, kk.common.licence]);
    expect(rows.filter((r) => typeof r.getCell(1).value === "number").map((r) => r.getCell(3).value)).toEqual(expect.arrayContaining(["Әлия Құрманова", "Ерлан Жұмабаев"]));
    const pdf = await download(w, `/api/bars/almaty-city/compliance/${year}.pdf?lang=kk`, bar);
    expect(pdf.status).toBe(200);
    const text = pdfPages(pdf.bytes).join("\n");
    expect(text).toContain("Әлия Құрманова");
    expect(text).toContain(kk.reports.provisional);
  }, 120_000);
});
