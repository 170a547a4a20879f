/**
 * 7.5: the printable certificate. The PDF is read back by poppler (pdftotext for its text layer, pdftoppm to render
 * the page) and its QR code decoded by ZXing from the rendered pixels: what a printer and a phone would see.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accreditedProvider, startSenim, type TestSenim } from "./helpers.js";
import { toInstant } from "../src/domain/time.js";
import { decodeQrPng } from "./qr-decode.js";
import { PNG } from "pngjs";
import fontkit from "@pdf-lib/fontkit";
import { loadNodeFonts } from "../src/runtime/fonts.js";
import { en } from "../src/http/i18n/en.js";
import { kk } from "../src/http/i18n/kk.js";
import { ru } from "../src/http/i18n/ru.js";
import { certificateNumber } from "../src/domain/certificate-number.js";

let s: TestSenim;
beforeAll(async () => {
  s = await startSenim();
});
afterAll(async () => s.close());

/** A certificate whose every field has Kazakh letters, co-organised with the RBA (5.1.3). */
async function kazakhCertificate(participant = "Әлия Ғаниқызы Құрманова") {
  const provider = await accreditedProvider(s, { name: "Әділет құқықтық орталығы" });
  const end = s.clock.ms - 86_400_000;
  const ev = await s.call("POST", "/api/events", {
    token: provider.token,
    body: {
      topic: "Қылмыстық істер бойынша өңірлік тәжірибе: ұйымдастыру және үкім",
      programme: "criminal",
      form: "seminar",
      deliveryMode: "in-person",
      coOrganiserBarId: "rba",
      place: "Өскемен, Һәкім көшесі 1",
      startsAt: toInstant(end - 8 * 3_600_000),
      endsAt: toInstant(end),
      durationMinutes: 360,
      trainers: [{ name: "Ғалымжан Іңкәрұлы", field: "Қылмыстық процесс" }, { name: "Үміт Өмірқызы", field: "Сот практикасы" }],
    },
  });
  expect(ev.status).toBe(201);
  const put = await s.call("PUT", `/api/events/${ev.body.id}/participants`, {
    token: provider.token,
    body: { participants: [{ fullName: participant, licenceNumber: "123456", barId: "almaty-city", role: "attendee" }] },
  });
  expect(put.status).toBe(200);
  // 5.1(3): the RBA confirms the co-organisation before the certificates name it.
  expect((await s.call("POST", `/api/events/${ev.body.id}/co-organisation`, { token: s.adminToken, body: { decision: "confirm" } })).status).toBe(200);
  const issued = await s.call("POST", `/api/events/${ev.body.id}/certificates`, { token: provider.token });
  expect(issued.status).toBe(201);
  return { ...(issued.body.certificates[0] as { id: string; url: string; survey: string; participantPdf: string }), providerToken: provider.token as string, partyId: provider.party.id as string };
}

/** The words pdftotext finds on the page, with the height of each one's box (about its font size). */
function wordsWithHeights(file: string): { word: string; height: number }[] {
  const xml = execFileSync("pdftotext", ["-bbox", "-enc", "UTF-8", file, "-"]).toString();
  return [...xml.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({ word: m[5]!, height: Number(m[4]) - Number(m[2]) }));
}

/** A 160×80 PNG logo: an opaque green disc on a transparent ground, as pngjs writes it. */
function greenLogoPng(): Uint8Array<ArrayBuffer> {
  const png = new PNG({ width: 160, height: 80 });
  for (let y = 0; y < 80; y++)
    for (let x = 0; x < 160; x++) {
      const o = 4 * (y * 160 + x);
      const inside = (x - 80) ** 2 + (y - 40) ** 2 < 38 ** 2;
      png.data.set(inside ? [0, 160, 0, 255] : [0, 0, 0, 0], o);
    }
  return new Uint8Array(PNG.sync.write(png));
}

/** The share of pure-green pixels (the test logos' colour) in the page's top left corner, rendered at 40 dpi. */
function greenInHeader(file: string, name: string): number {
  execFileSync("pdftoppm", ["-r", "40", "-png", "-singlefile", file, join(s.dir, name)]);
  const { width, height, data } = PNG.sync.read(readFileSync(join(s.dir, `${name}.png`)));
  let green = 0;
  let all = 0;
  for (let y = 0; y < Math.round(height * 0.15); y++)
    for (let x = 0; x < Math.round(width * 0.3); x++) {
      const o = 4 * (y * width + x);
      all++;
      if (data[o + 1]! - data[o]! > 60 && data[o + 1]! - data[o + 2]! > 60) green++;
    }
  return green / all;
}

describe("printable certificate GET /c/{id}.pdf (7.5)", () => {
  it("7.5: the participant's copy (?survey=<their token>) prints their survey link; the public copy and a wrong token print none", async () => {
    const cert = await kazakhCertificate();
    expect(cert.participantPdf).toBe(`${cert.url}.pdf?survey=${cert.survey.split("/survey/")[1]}`);
    const textOf = async (path: string, name: string) => {
      const res = await s.app.request(path);
      expect(res.status).toBe(200);
      const file = join(s.dir, `${name}.pdf`);
      writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      return execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"]).toString().replace(/\s+/g, "");
    };
    // Wrapped beside the QR code: compared without the line breaks.
    const participant = await textOf(`${cert.participantPdf}&lang=kk`, "participant");
    expect(participant).toContain(cert.survey);
    expect(participant).toContain("Іс-шаратуралысауалнама(7.5)");
    for (const [path, name] of [[`${cert.url}.pdf?lang=kk`, "public"], [`${cert.url}.pdf?lang=kk&survey=AAAAAAAAAAAAAAAAAAAAAA`, "wrong"]] as const) {
      const text = await textOf(path, name);
      expect(text, name).not.toContain("/survey/");
      expect(text, name).not.toContain("Іс-шаратуралысауалнама");
    }
  });

  it("is one A4 page whose text layer has every field in the chosen language, Kazakh letters intact, and whose QR decodes to the certificate URL", async () => {
    const cert = await kazakhCertificate();
    const expected = {
      kk: ["БІЛІКТІЛІКТІ АРТТЫРУ СЕРТИФИКАТЫ", "Алматы қалалық адвокаттар алқасы", "Академиялық сағат", "Өткізілген орны", "Оқытушылар", "Бірлескен ұйымдастырушы", "Қылмыстық"],
      ru: ["СЕРТИФИКАТ ПОВЫШЕНИЯ КВАЛИФИКАЦИИ", "Алматинская городская коллегия адвокатов", "Академических часов", "Место проведения", "Преподаватели", "Соорганизатор"],
      en: ["CERTIFICATE OF PROFESSIONAL DEVELOPMENT", "Almaty City Bar Association", "Academic hours", "Place", "Trainers", "Co-organiser", "1 academic hour = 45 minutes (10.6)"],
    } as const;
    for (const [lang, texts] of Object.entries(expected)) {
      const res = await s.app.request(`${cert.url}.pdf?lang=${lang}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/pdf");
      const pdf = Buffer.from(await res.arrayBuffer());
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      const file = join(s.dir, `cert-${lang}.pdf`);
      writeFileSync(file, pdf);
      const info = execFileSync("pdfinfo", [file]).toString();
      expect(info).toMatch(/Pages:\s+1\n/);
      expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
      const text = execFileSync("pdftotext", ["-layout", "-enc", "UTF-8", file, "-"]).toString().replace(/\s+/g, " ");
      for (const t of texts) expect(text, `${lang}: ${t}`).toContain(t);
      // Issue 16: the header names the bar and the organiser before anything else; the human number is printed with
      // its label under the QR code; the URL once.
      const head = text.slice(0, text.indexOf(expected[lang as keyof typeof expected][0]));
      expect(head, lang).toContain(expected[lang as keyof typeof expected][1]);
      expect(head, lang).toContain("Әділет құқықтық орталығы");
      const number = certificateNumber(cert.id, 2026);
      expect(text, lang).toContain(number);
      expect(text, lang).toContain({ kk: "Сертификат нөмірі", ru: "Номер сертификата", en: "Certificate number" }[lang]);
      expect(text.split(cert.url).length - 1, `${lang}: the URL once`).toBe(1);
      // The name in bold and large: its words are the tallest on the page, twice the rows' text.
      const words = wordsWithHeights(file);
      const height = (w: string) => words.find((x) => x.word === w)!.height;
      expect(height("Құрманова")).toBeGreaterThan(2 * height("Өскемен,"));
      expect(Math.max(...words.map((w) => w.height))).toBe(height("Құрманова"));
      expect(execFileSync("pdffonts", [file]).toString()).toMatch(/DejaVuSans-Bold\S*\s+CID TrueType\s+Identity-H\s+yes/);
      // The fields themselves, with ә ғ қ ң ө ұ ү һ і as drawn by the embedded font.
      for (const field of ["Әділет құқықтық орталығы", "Әлия Ғаниқызы Құрманова", "Өскемен, Һәкім көшесі 1", "Ғалымжан Іңкәрұлы, Үміт Өмірқызы", lang === "en" ? "8.0" : "8,0", "••••56", cert.url]) {
        expect(text, `${lang}: ${field}`).toContain(field);
      }
      expect(text).toContain("ұйымдастыру және үкім");
      expect(text).not.toContain("123456"); // the licence stays masked on paper too
      expect(execFileSync("pdffonts", [file]).toString()).toMatch(/DejaVuSans\S*\s+CID TrueType\s+Identity-H\s+yes/); // embedded
      expect(pdf.length).toBeLessThan(120_000); // only the glyphs used are embedded, not the 760 KB font
      if (lang === "kk") {
        // Read by the /verify camera page's own decoder, at one print-like resolution: every code must read.
        execFileSync("pdftoppm", ["-r", "150", "-png", "-singlefile", file, join(s.dir, "page")]);
        expect(decodeQrPng(readFileSync(join(s.dir, "page.png"))).text).toBe(cert.url);
        if (process.env.SENIM_ARTIFACTS !== "0") { mkdirSync("test-artifacts", { recursive: true }); copyFileSync(join(s.dir, "page.png"), "test-artifacts/certificate-kk.pdf.png"); }
      }
    }
  });

  it("draws every catalogue text with the small Latin + Cyrillic cut of the font, and a name beyond it with the whole font", async () => {
    const { common, full, bold } = await loadNodeFonts();
    const inCommon = new Set(fontkit.create(common).characterSet);
    // Issue 16: the bold cut has the same letters, and is small too.
    expect(new Set(fontkit.create(bold).characterSet)).toEqual(inCommon);
    expect(bold.length).toBeLessThan(full.length / 8);
    const catalogueTexts = [kk, ru, en].flatMap((c) => Object.values(c).flatMap((section) => Object.values(section as Record<string, string>)));
    // Line breaks (form placeholders) are layout, not glyphs.
    const missing = new Set([...catalogueTexts.join("").replace(/\n/g, ""), ..."№ ✘ – •"].filter((ch) => !inCommon.has(ch.codePointAt(0)!)));
    expect([...missing]).toEqual([]);
    expect(common.length).toBeLessThan(full.length / 5);

    // Greek is outside the common cut: drawn with it, the name would come out as empty boxes.
    const greek = "Αλέξανδρος Παπαδόπουλος";
    expect([...greek].some((ch) => !inCommon.has(ch.codePointAt(0)!))).toBe(true);
    const cert = await kazakhCertificate(greek);
    const res = await s.app.request(`${cert.url}.pdf?lang=en`);
    expect(res.status).toBe(200);
    const file = join(s.dir, "cert-greek.pdf");
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const text = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"]).toString().replace(/\s+/g, " ");
    expect(text).toContain(greek);
    expect(text).toContain("Әділет құқықтық орталығы");
  });

  it("issue 16: a revoked certificate's PDF is stamped REVOKED with the date on every page, in kk, ru and en; a standing one is not", async () => {
    const cert = await kazakhCertificate();
    const id = cert.url.split("/c/")[1]!;
    const pageTexts = async (lang: string, name: string) => {
      const res = await s.app.request(`${cert.url}.pdf?lang=${lang}`);
      expect(res.status).toBe(200);
      const pdf = Buffer.from(await res.arrayBuffer());
      expect(pdf.length).toBeLessThan(120_000); // the stamp keeps the size budget
      const file = join(s.dir, `${name}-${lang}.pdf`);
      writeFileSync(file, pdf);
      const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [file]).toString())![1]);
      expect(pages).toBeGreaterThanOrEqual(1);
      return Array.from({ length: pages }, (_, i) =>
        execFileSync("pdftotext", ["-f", String(i + 1), "-l", String(i + 1), "-enc", "UTF-8", file, "-"]).toString().replace(/\s+/g, " "),
      );
    };
    const words = { kk: "КЕРІ ҚАЙТАРЫЛДЫ", ru: "ОТОЗВАН", en: "REVOKED" } as const;
    for (const [lang, word] of Object.entries(words)) for (const text of await pageTexts(lang, "standing")) expect(text, lang).not.toContain(word);

    const revoke = await s.call("POST", `/api/certificates/${id}/revocation`, { token: cert.providerToken, body: { reason: "Қате берілген" } });
    expect(revoke.status, revoke.text).toBe(201);
    const date = String(revoke.body.revokedAt);
    const kzDay = new Date(Date.parse(date) + 5 * 3_600_000).toISOString().slice(0, 10); // the date as read in Kazakhstan
    for (const [lang, word] of Object.entries(words)) {
      const pages = await pageTexts(lang, "revoked");
      for (const [i, text] of pages.entries()) {
        // The band across the top: the word with its date (pdftotext reads the diagonal stamp only letter by letter).
        expect(text, `${lang} page ${i + 1}`).toContain(word);
        expect(text, `${lang} page ${i + 1}`).toContain(kzDay);
      }
      // The old small red line gives way to the stamp.
      expect(pages.join(" "), lang).not.toMatch(/did not pass verification|тексеруден өтпеді|не прошёл проверку/);
    }
    // The large diagonal stamp, as a printer renders it: the stamp's orange across the middle of every page, none on
    // the standing copy (its ink is grey and black); and the QR code still reads, leading to the page that says why.
    const orangeShare = (name: string) => {
      const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [join(s.dir, `${name}.pdf`)]).toString())![1]);
      return Array.from({ length: pages }, (_, i) => {
        execFileSync("pdftoppm", ["-r", "40", "-png", "-singlefile", "-f", String(i + 1), "-l", String(i + 1), join(s.dir, `${name}.pdf`), join(s.dir, `${name}-${i}`)]);
        const { width, height, data } = PNG.sync.read(readFileSync(join(s.dir, `${name}-${i}.png`)));
        let orange = 0;
        // Below the band across the top: only the diagonal stamp is orange there.
        for (let y = Math.round(height * 0.1); y < height; y++) for (let x = 0; x < width; x++) {
          const o = 4 * (y * width + x);
          if (data[o]! - data[o + 2]! > 30) orange++;
        }
        return orange / (width * height * 0.9);
      });
    };
    for (const share of orangeShare("revoked-kk")) expect(share).toBeGreaterThan(0.01);
    for (const share of orangeShare("standing-kk")) expect(share).toBe(0);
    execFileSync("pdftoppm", ["-r", "150", "-png", "-singlefile", join(s.dir, "revoked-kk.pdf"), join(s.dir, "revoked")]);
    expect(decodeQrPng(readFileSync(join(s.dir, "revoked.png"))).text).toBe(cert.url);
    if (process.env.SENIM_ARTIFACTS !== "0") { mkdirSync("test-artifacts", { recursive: true }); copyFileSync(join(s.dir, "revoked.png"), "test-artifacts/certificate-revoked-kk.pdf.png"); }
  });

  it("issue 16: the organiser's logo (PNG or SVG paths) is drawn in the header, on one page within the size budget", async () => {
    const cert = await kazakhCertificate();
    const render = async (name: string) => {
      const res = await s.app.request(`${cert.url}.pdf?lang=ru`);
      expect(res.status).toBe(200);
      const pdf = Buffer.from(await res.arrayBuffer());
      const file = join(s.dir, `${name}.pdf`);
      writeFileSync(file, pdf);
      expect(execFileSync("pdfinfo", [file]).toString(), name).toMatch(/Pages:\s+1\n/);
      const text = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"]).toString().replace(/\s+/g, " ");
      expect(text, name).toContain("Әлия Ғаниқызы Құрманова");
      expect(text, name).toContain(certificateNumber(cert.id, 2026));
      expect(text.split(cert.url).length - 1, name).toBe(1);
      return { file, size: pdf.length };
    };
    const put = (body: Uint8Array<ArrayBuffer> | string, type: string) =>
      s.fetch(`/api/parties/${cert.partyId}/logo`, { method: "PUT", headers: { authorization: `Bearer ${cert.providerToken}`, "content-type": type }, body: body as BodyInit });

    const plain = await render("logo-none");
    expect(plain.size).toBeLessThan(120_000);
    expect(greenInHeader(plain.file, "logo-none")).toBe(0);

    const png = greenLogoPng();
    expect((await put(png, "image/png")).status).toBe(200);
    const withPng = await render("logo-png");
    // The logo's own bytes come on top of a certificate's (pdf-lib re-compresses the decoded pixels).
    expect(withPng.size).toBeLessThan(120_000);
    expect(withPng.size - plain.size).toBeLessThan(4 * png.length + 2_000);
    expect(greenInHeader(withPng.file, "logo-png")).toBeGreaterThan(0.02);

    const svg = `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50"><title>Әділет</title><g fill="#00a000" fill-rule="evenodd"><path d="M50 5 A20 20 0 1 1 49.9 5 Z"/></g><path d="M0 45 H100" stroke="#00a000" stroke-width="4" fill="none"/></svg>`;
    expect((await put(svg, "image/svg+xml")).status).toBe(200);
    const withSvg = await render("logo-svg");
    expect(withSvg.size).toBeLessThan(120_000);
    expect(greenInHeader(withSvg.file, "logo-svg")).toBeGreaterThan(0.02);
    if (process.env.SENIM_ARTIFACTS !== "0") {
      execFileSync("pdftoppm", ["-r", "100", "-png", "-singlefile", withPng.file, join(s.dir, "with-logo")]);
      mkdirSync("test-artifacts", { recursive: true });
      copyFileSync(join(s.dir, "with-logo.png"), "test-artifacts/certificate-logo-ru.pdf.png");
    }

    // Removed: the next copy has none.
    const del = await s.fetch(`/api/parties/${cert.partyId}/logo`, { method: "DELETE", headers: { authorization: `Bearer ${cert.providerToken}` } });
    expect(del.status).toBe(204);
    expect(greenInHeader((await render("logo-deleted")).file, "logo-deleted")).toBe(0);
  });

  it("an unknown certificate has no PDF (404 problem)", async () => {
    const res = await s.call("GET", "/c/nosuchcertificate.pdf");
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("not_found");
  });
});
