/**
 * A printable A4 document of rows and figures — the layout of every tabled report (12.1, 12.3, 3.2) and of any later
 * A4 listing: headings, paragraphs, label–value fields, tables and drawn blocks flow down the page and on to the next,
 * each page with a running head (whose report, what, which year, final or provisional) and a foot (when it was made,
 * page n of N), and a table's header row drawn again at the top of every page the table continues on. Text is in the
 * printable certificate's embedded font (every Kazakh letter, src/http/pdf.ts), wrapped inside its column or clipped
 * with "…": nothing is ever drawn past its cell or the margin.
 */
import fontkit from "@pdf-lib/fontkit";
import { PDFDocument, rgb, type Color, type PDFFont, type PDFPage } from "pdf-lib";
import { A4, fontForText, wrap, type CertificateFonts } from "./pdf.js";

export interface RunningHead {
  /** The head's left side: whose document it is (the bar's name). */
  left: string;
  /** The head's right side: what it is (title and year). */
  right: string;
  /** Under the right side, e.g. whether the figures are final; `warn` prints it in the warning colour. */
  mark?: { text: string; tone: "plain" | "warn" };
  /** Under the left side, the same way, e.g. whether the year is closed (12.1, 12.2). */
  note?: { text: string; tone: "plain" | "warn" };
  /** The foot's left side, e.g. when the document was generated. */
  foot: string;
  /** The page number as printed, e.g. "Page 2 of 5". */
  pageLabel: (page: number, pages: number) => string;
}

export interface TableColumn {
  header: string;
  /** A share of the table's width: the shares are scaled to the width between the margins. */
  width: number;
  /** Numbers are right-aligned, so their digits line up. */
  align?: "left" | "right";
}

export interface DocumentMeta {
  title: string;
  lang: string;
  author?: string;
  /** When the document's content was made (its figures' time), as an ISO instant. */
  createdAt?: string;
}

export const INK = rgb(0.1, 0.1, 0.1);
export const MUTED = rgb(0.36, 0.36, 0.36);
const WARN = rgb(0.64, 0.07, 0.1);
const RULE = rgb(0.72, 0.72, 0.72);
const HEADER_BAND = rgb(0.89, 0.91, 0.94);
const ZEBRA = rgb(0.965, 0.965, 0.965);

const MARGIN = 40;
/** Room the running head takes at the top of each page, and the foot at its bottom. */
const HEAD_ROOM = 40;
const FOOT_ROOM = 26;
const CELL_PAD_X = 3;
const CELL_PAD_Y = 3;

/**
 * One document, written top to bottom. Create it with every text it will print (so the font that draws them all is
 * embedded once), add its parts in order, then {@link save}.
 */
export class A4Document {
  readonly left = MARGIN;
  readonly width: number;
  private readonly pageSize: [number, number];
  private readonly pages: PDFPage[] = [];
  private page!: PDFPage;
  private y = 0;
  /** What a table draws again at the top of each page it continues on (its header row), while it runs. */
  private continued: (() => void) | null = null;
  /** Text widths, measured once: fontkit's layout is the costliest step, and reports repeat the same numbers. */
  private readonly widths = new Map<string, number>();

  private constructor(
    private readonly doc: PDFDocument,
    readonly font: PDFFont,
    private readonly head: RunningHead,
    landscape: boolean,
  ) {
    this.pageSize = landscape ? [A4[1], A4[0]] : [A4[0], A4[1]];
    this.width = this.pageSize[0] - 2 * MARGIN;
    this.newPage();
  }

  /** `text`: every value the document will print (names, places…), to choose the font cut that has them all. */
  static async create(o: { fonts: CertificateFonts; text: string; head: RunningHead; meta: DocumentMeta; landscape?: boolean }): Promise<A4Document> {
    const doc = await PDFDocument.create();
    // A fresh parse per document, as for certificates: a parsed fontkit font keeps per-subset state (src/http/pdf.ts).
    doc.registerFontkit(fontkit);
    const sample = `${o.text}${o.head.left}${o.head.right}${o.head.mark?.text ?? ""}${o.head.note?.text ?? ""}${o.head.foot}${o.head.pageLabel(1, 1)}${o.meta.title}`;
    const font = await doc.embedFont(fontForText(sample, o.fonts), { subset: true });
    doc.setTitle(o.meta.title);
    doc.setLanguage(o.meta.lang);
    if (o.meta.author) doc.setAuthor(o.meta.author);
    doc.setProducer("Senim");
    doc.setCreator("Senim");
    if (o.meta.createdAt) {
      doc.setCreationDate(new Date(o.meta.createdAt));
      doc.setModificationDate(new Date(o.meta.createdAt));
    }
    return new A4Document(doc, font, o.head, o.landscape ?? false);
  }

  // ---- measuring --------------------------------------------------------------------------------------------------

  measure(text: string, size: number): number {
    const key = `${size}\u0000${text}`;
    let w = this.widths.get(key);
    if (w === undefined) this.widths.set(key, (w = this.font.widthOfTextAtSize(text, size)));
    return w;
  }

  /** `text` if it fits in `width`, else its longest start that fits with "…" after it (always, when `clipped`). */
  fit(text: string, size: number, width: number, clipped = false): string {
    // A hair of tolerance: a width computed as `measure + pad - pad` must still fit its own text.
    if (!clipped && this.measure(text, size) <= width + 0.01) return text;
    const chars = [...text];
    let lo = 0;
    let hi = chars.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.measure(`${chars.slice(0, mid).join("").trimEnd()}…`, size) <= width + 0.01) lo = mid;
      else hi = mid - 1;
    }
    return `${chars.slice(0, lo).join("").trimEnd()}…`;
  }

  /** `text` in lines no wider than `width`, at most `maxLines` of them, the last clipped with "…" when it goes on. */
  lines(text: string, size: number, width: number, maxLines = Infinity): string[] {
    const single = !text.includes("\n") && this.measure(text, size) <= width + 0.01;
    const lines = single ? [text] : text.split("\n").flatMap((part) => wrap(this.font, part, size, width));
    if (lines.length <= maxLines) return lines;
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = this.fit(kept[maxLines - 1]!, size, width, true);
    return kept;
  }

  // ---- flowing parts ----------------------------------------------------------------------------------------------

  /** Leaves `points` of space, or starts the next page when there is not that much left. */
  gap(points: number): void {
    if (this.y - points < this.bottom) this.newPage();
    else this.y -= points;
  }

  /** A heading, kept on one page with `keepWithNext` points of what follows it (never left alone at a page's foot). */
  heading(text: string, size = 14, keepWithNext = 60): void {
    this.keep(this.lines(text, size, this.width).length * size * 1.3 + keepWithNext);
    this.paragraph(text, { size, spaceAfter: size * 0.5 });
  }

  paragraph(text: string, o: { size?: number; color?: Color; spaceAfter?: number } = {}): void {
    const size = o.size ?? 9.5;
    const lineHeight = size * 1.3;
    for (const line of this.lines(text, size, this.width)) {
      this.ensure(lineHeight);
      this.y -= lineHeight;
      this.page.drawText(line, { x: this.left, y: this.y + size * 0.25, size, font: this.font, color: o.color ?? INK });
    }
    this.y -= o.spaceAfter ?? size * 0.4;
  }

  /** Label–value rows, the label in a column of its own; values wrap beside it. */
  fields(rows: [string, string][], o: { size?: number; labelWidth?: number } = {}): void {
    const size = o.size ?? 9.5;
    const labelWidth = o.labelWidth ?? Math.min(200, this.width * 0.35);
    const lineHeight = size * 1.3;
    for (const [label, value] of rows) {
      const labels = this.lines(label, size - 0.5, labelWidth - 8);
      const values = this.lines(value, size, this.width - labelWidth);
      const height = Math.max(labels.length, values.length) * lineHeight + 2;
      this.ensure(height);
      labels.forEach((l, i) => this.page.drawText(l, { x: this.left, y: this.y - (i + 1) * lineHeight + size * 0.25, size: size - 0.5, font: this.font, color: MUTED }));
      values.forEach((v, i) => this.page.drawText(v, { x: this.left + labelWidth, y: this.y - (i + 1) * lineHeight + size * 0.25, size, font: this.font, color: INK }));
      this.y -= height;
    }
    this.y -= size * 0.4;
  }

  /**
   * The columns' widths: their shares of the text width, except that no column is narrower than the longest word of
   * its header (so "Сертификаттар" is never cut in two), nor a right-aligned (number) column than its widest value;
   * what those take is found from the columns with room to spare.
   */
  private columnWidths(columns: TableColumn[], headerSize: number, rows: string[][], size: number): number[] {
    const least = columns.map((c, i) => {
      const words = c.header.split(/\s+/).map((word) => this.measure(word, headerSize));
      const values = c.align === "right" ? rows.map((r) => this.measure(r[i] ?? "", size)) : [];
      return Math.max(0, ...words, ...values) + 2 * CELL_PAD_X + 0.5;
    });
    const widths = columns.map(() => 0);
    const held = new Set<number>();
    if (least.reduce((n, w) => n + w, 0) > this.width) return columns.map((c) => (c.width / columns.reduce((n, x) => n + x.width, 0)) * this.width);
    for (;;) {
      const room = this.width - [...held].reduce((n, i) => n + least[i]!, 0);
      const share = columns.reduce((n, c, i) => (held.has(i) ? n : n + c.width), 0);
      let changed = false;
      columns.forEach((c, i) => {
        if (held.has(i)) return void (widths[i] = least[i]!);
        widths[i] = (c.width / share) * room;
        if (widths[i]! < least[i]!) (held.add(i), (changed = true));
      });
      if (!changed) return widths;
    }
  }

  /**
   * A table: its header row on a band, then each row, every cell wrapped to its column in at most `maxLines` lines
   * (the last clipped with "…"). A row never splits across pages; the header row is drawn again on each new page.
   * `footRows` (totals) follow the rows, ruled off above.
   */
  table(columns: TableColumn[], rows: string[][], o: { size?: number; maxLines?: number; footRows?: string[][] } = {}): void {
    const size = o.size ?? 8;
    const headerSize = size - 0.5;
    const maxLines = o.maxLines ?? 3;
    const widths = this.columnWidths(columns, headerSize, [...rows, ...(o.footRows ?? [])], size);
    const xs = widths.map((_, i) => this.left + widths.slice(0, i).reduce((n, w) => n + w, 0));
    const layout = (cells: string[], size: number, maxLines: number) => {
      const lines = columns.map((_, i) => this.lines(cells[i] ?? "", size, widths[i]! - 2 * CELL_PAD_X, maxLines));
      return { lines, size, height: Math.max(1, ...lines.map((l) => l.length)) * size * 1.25 + 2 * CELL_PAD_Y };
    };
    const draw = (cells: { lines: string[][]; size: number; height: number }, fill: Color | null, color: Color) => {
      const size = cells.size;
      const lineHeight = size * 1.25;
      const top = this.y;
      if (fill) this.page.drawRectangle({ x: this.left, y: top - cells.height, width: this.width, height: cells.height, color: fill });
      cells.lines.forEach((lines, i) => {
        const column = columns[i]!;
        lines.forEach((line, j) => {
          const w = this.measure(line, size);
          const x = column.align === "right" ? xs[i]! + widths[i]! - CELL_PAD_X - w : xs[i]! + CELL_PAD_X;
          this.page.drawText(line, { x, y: top - CELL_PAD_Y - size * 0.95 - j * lineHeight, size, font: this.font, color });
        });
      });
      this.y -= cells.height;
    };
    const header = layout(columns.map((c) => c.header), headerSize, 5);
    const drawHeader = () => {
      draw(header, HEADER_BAND, INK);
      this.rule(0.6, INK);
    };
    this.ensure(header.height + size * 1.25 + 2 * CELL_PAD_Y);
    drawHeader();
    this.continued = drawHeader;
    try {
      rows.forEach((cells, n) => {
        const row = layout(cells, size, maxLines);
        this.ensure(row.height);
        draw(row, n % 2 === 1 ? ZEBRA : null, INK);
        this.rule(0.25, RULE);
      });
      if (o.footRows?.length) {
        this.rule(0.6, INK);
        for (const cells of o.footRows) {
          const row = layout(cells, size, maxLines);
          this.ensure(row.height);
          draw(row, null, INK);
        }
      }
    } finally {
      this.continued = null;
    }
    this.y -= size;
  }

  /**
   * Room for a drawing `height` points tall across the text width (on the next page if this one has not that much
   * left); `draw` gets the page and the drawing's top-left corner.
   */
  block(height: number, draw: (at: { page: PDFPage; x: number; top: number; width: number }) => void): void {
    this.ensure(height);
    draw({ page: this.page, x: this.left, top: this.y, width: this.width });
    this.y -= height;
  }

  /** The document's bytes, with every page's head and foot (page n of N, now that N is known). */
  async save(): Promise<Uint8Array> {
    const pages = this.pages.length;
    this.pages.forEach((page, i) => this.drawHeadAndFoot(page, i + 1, pages));
    return this.doc.save();
  }

  get pageCount(): number {
    return this.pages.length;
  }

  // ---- pages ------------------------------------------------------------------------------------------------------

  private get bottom(): number {
    return MARGIN + FOOT_ROOM;
  }

  private newPage(): void {
    this.page = this.doc.addPage(this.pageSize);
    this.pages.push(this.page);
    this.y = this.pageSize[1] - MARGIN - HEAD_ROOM;
    this.continued?.();
  }

  /** Starts the next page unless `height` fits above the foot: to keep a part and its title together. */
  keep(height: number): void {
    this.ensure(height);
  }

  /** Starts the next page unless `height` fits above the foot (a part taller than a page is drawn on a fresh one). */
  private ensure(height: number): void {
    if (this.y - height < this.bottom && this.y < this.pageSize[1] - MARGIN - HEAD_ROOM) this.newPage();
  }

  private rule(thickness: number, color: Color): void {
    this.page.drawLine({ start: { x: this.left, y: this.y }, end: { x: this.left + this.width, y: this.y }, thickness, color });
  }

  private drawHeadAndFoot(page: PDFPage, n: number, pages: number): void {
    const [w, h] = this.pageSize;
    const size = 8.5;
    const half = this.width / 2 - 6;
    const top = h - MARGIN;
    page.drawText(this.fit(this.head.left, size, half), { x: this.left, y: top - size, size, font: this.font, color: MUTED });
    const right = this.fit(this.head.right, size, half);
    page.drawText(right, { x: w - MARGIN - this.measure(right, size), y: top - size, size, font: this.font, color: INK });
    if (this.head.mark) {
      const mark = this.fit(this.head.mark.text, size, half);
      page.drawText(mark, { x: w - MARGIN - this.measure(mark, size), y: top - 2.3 * size, size, font: this.font, color: this.head.mark.tone === "warn" ? WARN : INK });
    }
    if (this.head.note) {
      page.drawText(this.fit(this.head.note.text, size, half), { x: this.left, y: top - 2.3 * size, size, font: this.font, color: this.head.note.tone === "warn" ? WARN : INK });
    }
    page.drawLine({ start: { x: this.left, y: top - 2.9 * size }, end: { x: w - MARGIN, y: top - 2.9 * size }, thickness: 0.5, color: RULE });
    const label = this.head.pageLabel(n, pages);
    const labelWidth = this.measure(label, size);
    page.drawLine({ start: { x: this.left, y: MARGIN + size + 4 }, end: { x: w - MARGIN, y: MARGIN + size + 4 }, thickness: 0.5, color: RULE });
    page.drawText(this.fit(this.head.foot, size, this.width - labelWidth - 12), { x: this.left, y: MARGIN, size, font: this.font, color: MUTED });
    page.drawText(label, { x: w - MARGIN - labelWidth, y: MARGIN, size, font: this.font, color: MUTED });
  }
}
