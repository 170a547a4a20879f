/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** What anyone may open without a key: certificate pages and QR codes, the registry, DID documents, status lists. */
import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { CLE_CONTEXT_DOCUMENT, VC_JWT_MEDIA_TYPE } from "../../credentials/vocabulary.js";
import { STATUS_LIST_TTL_MS } from "../../issuance/service.js";
import type { AppEnv, Services } from "../context.js";
import { pickLang, requestedLang } from "../i18n.js";
import { CertificateNotFound, CertificatePage } from "../pages/certificate.js";
import { RegistryPage } from "../pages/registry.js";
import { qrPng, qrSvg } from "../qr.js";
import { registerCalendar } from "./calendar.js";

const ID = "{[0-9a-z]{1,40}}";

/** Public, non-JSON endpoints, described in the OpenAPI document beside the API. */
const PUBLIC_PATHS: [path: string, summary: string, mediaType: string][] = [
  ["/c/{id}", "The certificate's page (kk/ru/en by Accept-Language or ?lang=): its contents and every verification check", "text/html"],
  ["/c/{id}/qr.svg", "QR code of the certificate's URL (version ≤ 5), SVG", "image/svg+xml"],
  ["/c/{id}/qr.png", "QR code of the certificate's URL (version ≤ 5), PNG", "image/png"],
  ["/c/{id}/credential.jwt", "The certificate as application/vc+jwt", VC_JWT_MEDIA_TYPE],
  ["/c/{id}/credential.json", "The certificate's credential as JSON (verifiable through POST /api/verify)", "application/vc+json"],
  ["/registry", "The public registry of all bars (8.3), HTML", "text/html"],
  ["/registry/{bar}", "One bar's centres and accredited providers (8.3), HTML", "text/html"],
  ["/parties/{id}/did.json", "A party's did:web document with its verification keys, retired ones included", "application/did+json"],
  ["/status/{id}", "A signed BitstringStatusListCredential (vc+jwt), ≥ 131,072 entries", VC_JWT_MEDIA_TYPE],
  ["/contexts/cle/v1", "Senim's JSON-LD context for CLE terms (https://w3id.org/senim/cle/v1)", "application/ld+json"],
  ["/healthz", "Liveness", "application/json"],
];

export function registerPublic(app: OpenAPIHono<AppEnv>, services: Services): void {
  const { registry, issuance, verification } = services;

  for (const [path, summary, mediaType] of PUBLIC_PATHS) {
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    app.openAPIRegistry.registerPath({
      method: "get",
      path,
      tags: ["public"],
      summary,
      ...(names.length ? { request: { params: z.object(Object.fromEntries(names.map((n) => [n, z.string()]))) } } : {}),
      responses: { 200: { description: summary, content: { [mediaType]: { schema: z.string() } } }, 404: { description: "Not found" } },
    });
  }

  // Only a language we serve is passed on: the query as sent (CR/LF…) must never reach the Location header.
  app.get("/", (c) => {
    const lang = requestedLang(c);
    return c.redirect(`/registry${lang ? `?lang=${lang}` : ""}`);
  });
  app.get("/healthz", (c) => c.json({ ok: true }));

  app.get(`/c/:id${ID}`, async (c) => {
    const lang = pickLang(c);
    const id = c.req.param("id");
    const stored = await issuance.getCertificate(id);
    c.header("Cache-Control", "no-store"); // the verdict can change (revocation), so never from a cache
    if (!stored) return c.html(<CertificateNotFound lang={lang} id={id} />, 404);
    // The page verifies the signed credential itself, not the database row. It is public (the QR code leads here), so
    // it shows no one-time secret: no live wallet offer, no survey link; those go to the participant alone.
    const result = await verification.verifyStored(id);
    return c.html(
      <CertificatePage lang={lang} id={id} url={issuance.certificateUrl(id)} result={result} vocabulary={await registry.vocabulary()} bars={await registry.bars()} revocationReason={stored.revocationReason} />,
    );
  });

  app.get(`/c/:id${ID}/credential.jwt`, async (c) => {
    const stored = await issuance.requireCertificate(c.req.param("id"));
    return c.body(stored.jwt, 200, { "Content-Type": VC_JWT_MEDIA_TYPE, "Content-Disposition": `attachment; filename="${stored.id}.jwt"` });
  });

  app.get(`/c/:id${ID}/credential.di.json`, async (c) => {
    const stored = await issuance.requireCertificate(c.req.param("id"));
    const secured = await services.standards.dataIntegrityOf(stored);
    return c.body(JSON.stringify(secured, null, 2), 200, { "Content-Type": "application/vc", "Content-Disposition": `attachment; filename="${stored.id}.di.json"` });
  });

  app.get(`/c/:id${ID}/credential.json`, async (c) => {
    const stored = await issuance.requireCertificate(c.req.param("id"));
    return c.body(JSON.stringify(issuance.credentialOf(stored), null, 2), 200, { "Content-Type": "application/vc+json", "Content-Disposition": `attachment; filename="${stored.id}.json"` });
  });

  app.get(`/c/:id${ID}/qr.svg`, async (c) => {
    const stored = await issuance.requireCertificate(c.req.param("id"));
    return c.body(await qrSvg(issuance.certificateUrl(stored.id)), 200, { "Content-Type": "image/svg+xml", "Cache-Control": "public, max-age=86400, immutable" });
  });

  app.get(`/c/:id${ID}/qr.png`, async (c) => {
    const stored = await issuance.requireCertificate(c.req.param("id"));
    const png = await qrPng(issuance.certificateUrl(stored.id));
    return c.body(png as Uint8Array<ArrayBuffer>, 200, { "Content-Type": "image/png", "Cache-Control": "public, max-age=86400, immutable" });
  });

  app.get("/registry", async (c) => {
    return c.html(<RegistryPage lang={pickLang(c)} registry={await registry.publicRegistry()} vocabulary={await registry.vocabulary()} />);
  });

  app.get("/registry/:bar{[a-z-]{2,40}}", async (c) => {
    const reg = await registry.publicRegistry();
    const bar = reg.bars.find((b) => b.id === c.req.param("bar"));
    if (!bar) return c.notFound();
    return c.html(<RegistryPage lang={pickLang(c)} registry={reg} vocabulary={await registry.vocabulary()} only={bar} />);
  });

  // 7.3: the calendar of accredited events beside the registry it draws on.
  registerCalendar(app, services);

  app.get(`/parties/:id${ID}/did.json`, async (c) => {
    const doc = await registry.didDocument(c.req.param("id"));
    if (!doc) return c.notFound();
    return c.body(JSON.stringify(doc), 200, { "Content-Type": "application/did+json", "Cache-Control": "public, max-age=300" });
  });

  app.get(`/status/:id${ID}`, async (c) => {
    if (c.req.query("format") === "di") {
      // The same list secured with Data Integrity (application/vc: a JSON-LD credential with an embedded proof).
      const secured = await services.standards.statusListDataIntegrity(c.req.param("id"));
      if (!secured) return c.notFound();
      return c.body(JSON.stringify(secured), 200, { "Content-Type": "application/vc", "Cache-Control": `public, max-age=${STATUS_LIST_TTL_MS / 1000}` });
    }
    const jwt = await issuance.statusListCredential(c.req.param("id"));
    if (!jwt) return c.notFound();
    return c.body(jwt, 200, { "Content-Type": VC_JWT_MEDIA_TYPE, "Cache-Control": `public, max-age=${STATUS_LIST_TTL_MS / 1000}` });
  });

  app.get("/contexts/cle/v1", (c) =>
    c.body(JSON.stringify(CLE_CONTEXT_DOCUMENT, null, 2), 200, { "Content-Type": "application/ld+json", "Cache-Control": "public, max-age=86400" }),
  );
}
