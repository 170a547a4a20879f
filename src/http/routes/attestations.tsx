/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * Issue 14, the bar's signed annual attestation over HTTP (12.1, 12.2): the bar issues the closed year's
 * attestations (POST …/years/{year}/attestations, idempotent) and revokes one with a reason; each has a public page
 * `/a/{id}` (kk/ru/en) that verifies the stored vc+jwt through the one pipeline, its vc+jwt and its QR code.
 */
import { createRoute, z, type OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ATTESTATION_REASON_MAX, type AttestationService } from "../../compliance/attestations.js";
import { ATTESTATION_CONTEXT_TEXT } from "../../credentials/attestation.js";
import { VC_JWT_MEDIA_TYPE } from "../../credentials/vocabulary.js";
import { detailError } from "../problem.js";
import { requirePrincipal, type AppEnv, type Services } from "../context.js";
import { pickLang } from "../i18n.js";
import { AttestationNotFound, AttestationPage } from "../pages/attestation.js";
import { renderAttestationPdf, type CertificateFonts } from "../pdf.js";
import { qrSvg } from "../qr.js";
import { barParam, BEARER, documentPublicGets, jsonResponse, PROBLEM_RESPONSES } from "../schemas.js";

const ID = "{[0-9a-z]{20}}";
const yearParam = z.coerce.number().int().min(2000).max(2100).openapi({ param: { name: "year", in: "path" }, example: 2026 });
const idParam = z.string().regex(/^[0-9a-z]{20}$/).openapi({ param: { name: "id", in: "path" } });

const AttestationOut = z
  .object({
    id: z.string(),
    barId: z.string(),
    licence: z.string(),
    year: z.number().int(),
    closingId: z.string().openapi({ description: "The closing whose frozen report it attests" }),
    url: z.string().openapi({ description: "The attestation's page, which its QR code carries" }),
    jwtUrl: z.string(),
    qrUrl: z.string(),
    issuedAt: z.string(),
    revokedAt: z.string().nullable(),
    reason: z.string().nullable(),
  })
  .openapi("Attestation");
const IssuedOut = z
  .object({ barId: z.string(), year: z.number().int(), closingId: z.string(), issued: z.number().int().openapi({ description: "How many this call issued" }), attestations: z.array(AttestationOut) })
  .openapi("IssuedAttestations");
const RevokeIn = z.object({ reason: z.string().trim().min(1).max(ATTESTATION_REASON_MAX) }).openapi("AttestationRevocation");

const PUBLIC_PATHS: [path: string, summary: string, mediaType: string][] = [
  ["/a/{id}", "A bar's annual attestation (12.1, 12.2), kk/ru/en: what it says and every verification check", "text/html"],
  ["/a/{id}.jwt", "The annual attestation as application/vc+jwt, signed with the bar's did:web key", VC_JWT_MEDIA_TYPE],
  ["/a/{id}/qr.svg", "QR code of the attestation's URL, SVG", "image/svg+xml"],
  ["/a/{id}.pdf", "The printable attestation (A4 PDF, kk/ru/en by ?lang= or Accept-Language) with its QR code", "application/pdf"],
  ["/contexts/attestation/v1", "Senim's JSON-LD context for the annual attestation's terms (https://w3id.org/senim/attestation/v1)", "application/ld+json"],
];

export function registerAttestations(app: OpenAPIHono<AppEnv>, services: Services, options: { loadFonts?: () => Promise<CertificateFonts> } = {}): void {
  const auth = (c: Context<AppEnv>) => requirePrincipal(c, services);
  const attestations = (): AttestationService => {
    if (!services.attestations) throw detailError("not_found", "attestations-unavailable");
    return services.attestations;
  };
  const route = <R extends RouteConfig>(r: R) => createRoute({ tags: ["bookkeeping"], security: BEARER, ...r });

  app.openapi(
    route({
      method: "post", path: "/api/bars/{barId}/years/{year}/attestations",
      summary: "12.1, 12.2: issue the closed year's annual attestations, one to each member met in the frozen report, signed with the bar's did:web key; idempotent (201 when it issued some, 200 when all were issued already); 409 when the year is not closed",
      request: { params: z.object({ barId: barParam, year: yearParam }) },
      responses: { 200: jsonResponse(IssuedOut, "Every attestation of the year's closing"), 201: jsonResponse(IssuedOut, "Every attestation of the year's closing, some just issued"), ...PROBLEM_RESPONSES },
    }),
    async (c) => {
      const { barId, year } = c.req.valid("param");
      const out = await attestations().issue(await auth(c), barId, year);
      return c.json(out, out.issued > 0 ? 201 : 200);
    },
  );

  app.openapi(
    route({
      method: "post", path: "/api/attestations/{id}/revoke",
      summary: "Revoke an annual attestation, with a reason that stays on record (the bar's admin or the RBA's); 409 when revoked already",
      request: { params: z.object({ id: idParam }), body: { content: { "application/json": { schema: RevokeIn } }, required: true } },
      responses: { 200: jsonResponse(AttestationOut, "The attestation, revoked"), ...PROBLEM_RESPONSES },
    }),
    async (c) => c.json(await attestations().revoke(await auth(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );

  documentPublicGets(app, PUBLIC_PATHS);

  app.get("/contexts/attestation/v1", (c) =>
    c.body(ATTESTATION_CONTEXT_TEXT, 200, { "Content-Type": "application/ld+json", "Cache-Control": "public, max-age=86400" }),
  );

  app.get(`/a/:id${ID}`, async (c) => {
    const lang = pickLang(c);
    const id = c.req.param("id");
    const stored = await services.attestations?.get(id);
    c.header("Cache-Control", "no-store"); // the verdict can change (revocation, a reopened year)
    if (!stored) return c.html(<AttestationNotFound lang={lang} id={id} />, 404);
    const result = await services.verification.verifyAttestation(id);
    return c.html(<AttestationPage lang={lang} id={id} url={attestations().url(id)} result={result} bars={await services.registry.bars()} revocationReason={stored.reason} />);
  });

  app.get(`/a/:file{[0-9a-z]{20}\\.jwt}`, async (c) => {
    const id = c.req.param("file").slice(0, -4);
    const stored = await services.attestations?.get(id);
    if (!stored) return c.notFound();
    return c.body(stored.jwt, 200, { "Content-Type": VC_JWT_MEDIA_TYPE, "Content-Disposition": `attachment; filename="${id}.jwt"` });
  });

  // Printed from the verified credential, like a certificate's PDF: a reopened year or a revocation is printed as such.
  app.get(`/a/:file{[0-9a-z]{20}\\.pdf}`, async (c) => {
    const lang = pickLang(c);
    const id = c.req.param("file").slice(0, -4);
    if (!(await services.attestations?.get(id))) return c.notFound();
    if (!options.loadFonts) throw detailError("internal", "fonts-missing-attestations");
    const result = await services.verification.verifyAttestation(id);
    const a = result.attestation;
    if (!a) throw detailError("internal", "attestation-summary-unreadable");
    const barName = (await services.registry.bars()).find((b) => b.id === a.bar.id)?.names[lang] ?? a.bar.name;
    const pdf = await renderAttestationPdf({ lang, id, url: attestations().url(id), verified: result.verified, attestation: a, barName }, await options.loadFonts());
    c.header("Cache-Control", "no-store");
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, { "Content-Type": "application/pdf", "Content-Disposition": `inline; filename="attestation-${id}-${lang}.pdf"` });
  });

  app.get(`/a/:id${ID}/qr.svg`, async (c) => {
    const id = c.req.param("id");
    if (!(await services.attestations?.get(id))) return c.notFound();
    return c.body(await qrSvg(attestations().url(id)), 200, { "Content-Type": "image/svg+xml", "Cache-Control": "public, max-age=86400, immutable" });
  });
}
