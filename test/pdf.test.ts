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
import fontkit from "@pdf-lib/fontkit";
import { loadNodeFonts } from "../src/runtime/fonts.js";
import { en } from "../src/http/i18n/en.js";
import { kk } from "../src/http/i18n/kk.js";
import { ru } from "../src/http/i18n/ru.js";

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
  return issued.body.certificates[0] as { id: string; url: string; survey: string; participantPdf: string };
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
      // The fields themselves, with ә ғ қ ң ө ұ ү һ і as drawn by the embedded font.
      for (const field of ["Әділет құқықтық орталығы", "Әлия Ғаниқызы Құрманова", "Өскемен, Һәкім көшесі 1", "Ғалымжан Іңкәрұлы, Үміт Өмірқызы", "8.0", "••••56", cert.url]) {
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
    const { common, full } = await loadNodeFonts();
    const inCommon = new Set(fontkit.create(common).characterSet);
    const catalogueTexts = [kk, ru, en].flatMap((c) => Object.values(c).flatMap((section) => Object.values(section as Record<string, string>)));
    const missing = new Set([...catalogueTexts.join(""), ..."№ ✘ – •"].filter((ch) => !inCommon.has(ch.codePointAt(0)!)));
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

  it("an unknown certificate has no PDF (404 problem)", async () => {
    const res = await s.call("GET", "/c/nosuchcertificate.pdf");
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("not_found");
  });
});
