/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * The public web pages beyond the certificate page: /verify (camera, paste, upload), the registry search and each
 * provider's page (8.3), the printable certificate GET /c/{id}.pdf (7.5) and its sharing image GET /c/{id}.png (issue
 * 16). They call the same services as the API.
 */
import { documentPublicGets } from "../schemas.js";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { NotACredential, notACredential } from "../../credentials/verify.js";
import { publicAccreditation } from "../../registry/service.js";
import type { AppEnv, Services } from "../context.js";
import { detailText, ERROR_TITLES, NUMBER_T, pickLang, t, UI } from "../i18n.js";
import { detailError, toSenimError } from "../problem.js";
import { ProviderNotFound, ProviderPage, SearchPage } from "../pages/providers.js";
import { VerifyNumberChoicePage, VerifyPage, VerifyResultPage } from "../pages/verify.js";
import type { CertificateFonts } from "../pdf.js";
import { certificateToPrint, printableCertificate } from "../printable-certificate.js";
import { renderShareImage } from "../share-image.js";
import { BODY_LIMITS } from "./api.js";
import { certificateIdTyped } from "../../credentials/certificate-url.js";
import { parseCertificateNumber } from "../../domain/certificate-number.js";
import { fillTemplate } from "../../lib/csv.js";

const ID = "[0-9a-z]{1,40}";

export interface WebOptions {
  /** The TTF that draws certificates (Cyrillic with every Kazakh letter); see assets/fonts. */
  loadFonts?: () => Promise<CertificateFonts>;
}

export function registerWeb(app: OpenAPIHono<AppEnv>, services: Services, options: WebOptions = {}): void {
  const { registry, issuance, verification } = services;

  documentPublicGets(app, [
    ["/c/{id}.pdf", "The printable certificate (A4 PDF, kk/ru/en by ?lang= or Accept-Language) with its QR code; with ?survey=<token>, the participant's copy with their survey link (7.5)", "application/pdf"],
    ["/c/{id}.png", "The certificate's sharing image (1200×630 PNG, the link preview's og:image; kk/ru/en by ?lang= or Accept-Language): name, topic, hours, organiser, date, number, QR code and its state (issue 16)", "image/png"],
    ["/verify", "Verify a certificate: camera QR scan, pasted link or JWT, uploaded .jwt/.json (HTML; POST multipart works without JavaScript)", "text/html"],
    ["/search", "Search providers across every bar's registry (8.3), HTML", "text/html"],
    ["/providers/{id}", "A provider's public page with its accreditation history (8.3), HTML", "text/html"],
  ]);

  // ---- verification ---------------------------------------------------------------------------------------------

  app.get("/verify", (c) => c.html(<VerifyPage lang={pickLang(c)} />));

  // Browsers ask for /favicon.ico whatever the page links: send them to the one icon (public/favicon.svg).
  app.get("/favicon.ico", (c) => c.redirect("/favicon.svg", 301));

  const tooLarge = bodyLimit({
    maxSize: BODY_LIMITS.verify,
    onError: (c) => c.html(<VerifyPage lang={pickLang(c)} error={ERROR_TITLES.payload_too_large[pickLang(c)]} />, 413),
  });
  app.post("/verify", tooLarge, async (c) => {
    const lang = pickLang(c);
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const file = body.file;
    let input = typeof body.text === "string" ? body.text.trim() : "";
    if (file instanceof File && file.size > 0) input = (await file.text()).trim();
    if (!input) return c.html(<VerifyPage lang={lang} error={t(UI.verifyEmpty, lang)} />, 400);
    // Issue 16: the human number printed on the certificate (KZ-26-7F3K-Q9MR, any case, spaces, no dashes). Its year
    // is read in the current century of the service's clock; its check character catches a mistyped one before any
    // lookup. The number is not proof of anything: it only leads to the certificate's page, which shows the verdict.
    const number = parseCertificateNumber(input, Math.floor(new Date(registry.now()).getUTCFullYear() / 100));
    if (number?.kind === "mistyped") {
      return c.html(<VerifyPage lang={lang} error={fillTemplate(t(NUMBER_T.mistyped, lang), { number: input.slice(0, 40) })} text={input.slice(0, 4096)} />, 400);
    }
    if (number) {
      const found = await issuance.certificatesNumbered(number);
      const printed = input.slice(0, 40).toUpperCase();
      if (found.length === 1) return c.redirect(`/c/${found[0]!.id}`, 303);
      if (found.length === 0) {
        return c.html(<VerifyPage lang={lang} error={fillTemplate(t(NUMBER_T.none, lang), { number: printed, year: String(number.year) })} text={input.slice(0, 4096)} />, 404);
      }
      return c.html(<VerifyNumberChoicePage lang={lang} number={issuance.numberOf(found[0]!)} certificates={found.map((x) => ({ id: x.id, url: issuance.certificateUrl(x.id), issuedAt: x.issuedAt }))} />);
    }
    // A link to one of our certificates (or its printed number, or the link typed without https:// or broken by
    // spaces) opens its page, which shows everything and re-checks in the browser.
    const id = certificateIdTyped(registry.publicUrl, input);
    if (id) return c.redirect(`/c/${id}`, 303);
    try {
      let result;
      if (/^https?:\/\//i.test(input)) result = await verification.verify({ url: input });
      else if (input.startsWith("{")) {
        let credential: unknown;
        try {
          credential = JSON.parse(input);
        } catch {
          throw notACredential("credential-json-invalid");
        }
        if (typeof credential !== "object" || credential === null || Array.isArray(credential)) throw notACredential("credential-json-not-object");
        result = await verification.verify({ credential: credential as Record<string, unknown> });
      } else result = await verification.verify({ jwt: input });
      // A certificate issued here that was revoked: its banner says when and why, as its page does (issue 16).
      const issued = result.certificateId ? await issuance.getCertificate(result.certificateId) : undefined;
      return c.html(<VerifyResultPage lang={lang} result={result} revocation={issued?.revokedAt ? { at: issued.revokedAt, reason: issued.revocationReason } : null} />);
    } catch (err) {
      if (!(err instanceof NotACredential)) throw err;
      // Not a number, not a link, not a credential: what it can be, in the page's language, then why not, when that
      // reason has its text in that language (src/credentials/checks.ts NOT_A_CREDENTIAL_TEMPLATES): an English-only
      // reason stays off a kk or ru page.
      const why = err.key || lang === "en" ? ` ${t(UI.verifyNotCredential, lang)} ${detailText(toSenimError(err), lang)}` : "";
      return c.html(<VerifyPage lang={lang} error={`${t(NUMBER_T.unreadable, lang)}${why}`} text={input.slice(0, 4096)} />, 400);
    }
  });

  // ---- registry search and provider pages (8.3) -----------------------------------------------------------------

  app.get("/search", async (c) => {
    const q = (c.req.query("q") ?? "").slice(0, 100);
    return c.html(<SearchPage lang={pickLang(c)} q={q} registry={await registry.publicRegistry()} />);
  });

  app.get(`/providers/:id{${ID}}`, async (c) => {
    const lang = pickLang(c);
    const party = await registry.getParty(c.req.param("id"));
    if (!party) return c.html(<ProviderNotFound lang={lang} id={c.req.param("id")} />, 404);
    const now = registry.now();
    const bars = await registry.bars();
    const accreditations = (await registry.listAccreditations(party.id)).map((a) => publicAccreditation(a, now));
    return c.html(
      <ProviderPage lang={lang} party={party} barNames={new Map(bars.map((b) => [b.id, b.names[lang]]))} accreditations={accreditations} vocabulary={await registry.vocabulary()} />,
    );
  });

  // ---- the printable certificate (7.5) --------------------------------------------------------------------------

  app.get(`/c/:file{${ID}\\.pdf}`, async (c) => {
    const lang = pickLang(c);
    const id = c.req.param("file").slice(0, -4);
    const stored = await issuance.requireCertificate(id);
    if (!options.loadFonts) throw detailError("internal", "fonts-missing-certificates");
    // 7.5: the participant's copy carries their survey link; it is printed only for the token that opens this
    // certificate's survey (anyone may print the public copy, which has none), and only while the survey is open.
    const token = c.req.query("survey");
    const surveyUrl =
      token !== undefined && !stored.revokedAt && (await services.surveys.certificateForToken(token)) === stored.id && !(await services.surveys.isAnswered(stored.id))
        ? services.surveys.surveyUrl(token)
        : null;
    const { pdf } = await printableCertificate(services, stored, { lang, surveyUrl, fonts: await options.loadFonts() });
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="${stored.id}.pdf"`,
      "Cache-Control": "no-store",
      ...(token !== undefined ? { "Referrer-Policy": "no-referrer" } : {}),
    });
  });

  // Issue 16: the sharing image, drawn from what the PDF prints and stamped as its banner reads today; like the PDF
  // never cached, so a revocation shows in the next preview that is fetched.
  app.get(`/c/:file{${ID}\\.png}`, async (c) => {
    const lang = pickLang(c);
    const id = c.req.param("file").slice(0, -4);
    const stored = await issuance.requireCertificate(id);
    if (!options.loadFonts) throw detailError("internal", "fonts-missing-certificates");
    const { printable, state } = await certificateToPrint(services, stored, { lang, surveyUrl: null });
    const png = await renderShareImage(printable, state, await options.loadFonts());
    return c.body(png as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": "image/png",
      "Content-Disposition": `inline; filename="${stored.id}.png"`,
      "Cache-Control": "no-store",
    });
  });
}
