/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/** What anyone may open without a key: certificate pages and QR codes, the registry, DID documents, status lists. */
import { documentPublicGets } from "../schemas.js";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { CLE_CONTEXT_TEXT, VC_JWT_MEDIA_TYPE } from "../../credentials/vocabulary.js";
import { STATUS_LIST_JWT_MEDIA_TYPE } from "../../credentials/token-status-list.js";
import { TRUST_LIST_PATH } from "../../registry/trust-list.js";
import { STATUS_LIST_TTL_MS } from "../../issuance/service.js";
import type { AppEnv, Services } from "../context.js";
import { pickLang, requestedLang } from "../i18n.js";
import { CertificatePage } from "../pages/certificate.js";
import { CertificateNotFound } from "../pages/not-found.js";
import { RegistryPage } from "../pages/registry.js";
import { qrPng, qrSvg } from "../qr.js";
import { registerCalendar } from "./calendar.js";
import { registerProgrammeContent } from "./programme-content.js";

const ID = "{[0-9a-z]{1,40}}";

/** Public, non-JSON endpoints, described in the OpenAPI document beside the API. */
const PUBLIC_PATHS: [path: string, summary: string, mediaType: string][] = [
  ["/c/{id}", "The certificate's page (kk/ru/en by Accept-Language or ?lang=): its contents and every verification check", "text/html"],
  ["/c/{id}/qr.svg", "QR code of the certificate's URL (version ≤ 5), SVG", "image/svg+xml"],
  ["/c/{id}/qr.png", "QR code of the certificate's URL (version ≤ 5), PNG", "image/png"],
  ["/c/{id}/credential.jwt", "The certificate as application/vc+jwt", VC_JWT_MEDIA_TYPE],
  ["/c/{id}/credential.json", "The certificate's credential as JSON (verifiable through POST /api/verify)", "application/vc+json"],
  ["/registry", "The public registry of all bars (8.3), HTML", "text/html"],
  ["/registry/{bar}", "One bar's centres and accredited providers (8.3) and its programmes with their approved indicative content (10.3), HTML", "text/html"],
  ["/parties/{id}/did.json", "A party's did:web document with its verification keys, retired ones included", "application/did+json"],
  [TRUST_LIST_PATH, "The registry as one vc+jwt signed by the RBA (every bar, party, key with its window, accreditation with scope, dates and withdrawal), validUntil a week ahead, weak ETag = its version (docs/trust-list.md)", VC_JWT_MEDIA_TYPE],
  ["/.well-known/jwt-vc-issuer/parties/{id}", "JWT VC Issuer Metadata (SD-JWT VC §5) of a did:web party: its keys as a JWK Set, kid = the DID URL", "application/json"],
  ["/status/{id}", "A signed status list, ≥ 131,072 entries, by content negotiation: Accept application/vc+jwt (the default) → BitstringStatusListCredential as vc+jwt; application/statuslist+jwt → the same list as an IETF Status List Token (what SD-JWT VCs point at); application/vc, application/ld+json or application/json (or ?format=di) → Data Integrity, answered with the type asked for", VC_JWT_MEDIA_TYPE],
  ["/contexts/cle/v1", "Senim's JSON-LD context for CLE terms (https://w3id.org/senim/cle/v1)", "application/ld+json"],
  ["/healthz", "Liveness", "application/json"],
  ["/readyz", "Readiness: the database answers and the registry is seeded; 503 names the check that failed", "application/json"],
];

export function registerPublic(app: OpenAPIHono<AppEnv>, services: Services): void {
  const { registry, issuance, verification } = services;

  documentPublicGets(app, PUBLIC_PATHS);

  // Only a language we serve is passed on: the query as sent (CR/LF…) must never reach the Location header.
  app.get("/", (c) => {
    const lang = requestedLang(c);
    return c.redirect(`/registry${lang ? `?lang=${lang}` : ""}`);
  });
  app.get("/healthz", (c) => c.json({ ok: true }));
  // Issue 17: liveness says the process runs; readiness that it can serve, naming the check that failed (503).
  app.get("/readyz", async (c) => {
    const checks = await registry.readiness();
    const ready = checks.every((x) => x.ok);
    return c.json({ ready, checks }, ready ? 200 : 503, { "Cache-Control": "no-store" });
  });

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
      <CertificatePage lang={lang} id={id} url={issuance.certificateUrl(id)} result={result} vocabulary={await registry.vocabulary()} bars={await registry.bars()} revocationReason={stored.revocationReason} revokedAt={stored.revokedAt} number={issuance.numberOf(stored)} />,
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
    // 10.3: the bar's programmes with the indicative content its presidium approved.
    const programmes = await services.programmeContent?.currentForBar(bar.id);
    return c.html(<RegistryPage lang={pickLang(c)} registry={reg} vocabulary={await registry.vocabulary()} only={bar} programmes={programmes} />);
  });

  // 7.3: the calendar of accredited events beside the registry it draws on.
  registerCalendar(app, services);
  // 10.3: the programmes' approved content, published with the registry.
  registerProgrammeContent(app, services);

  app.get(`/parties/:id${ID}/did.json`, async (c) => {
    const doc = await registry.didDocument(c.req.param("id"));
    if (!doc) return c.notFound();
    return c.body(JSON.stringify(doc), 200, { "Content-Type": "application/did+json", "Cache-Control": "public, max-age=300" });
  });

  // Issue 17: the registry as one RBA-signed vc+jwt for offline verifiers (docs/trust-list.md), with a weak ETag:
  // instances sign their own copies of the same version.
  app.get(TRUST_LIST_PATH, async (c) => {
    if (!services.trustList) return c.notFound();
    const list = await services.trustList.current();
    const etag = `W/"${list.version}"`;
    const headers = { ETag: etag, "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" };
    const asked = c.req.header("if-none-match") ?? "";
    if (asked.split(",").map((t) => t.trim().replace(/^W\//, "")).includes(`"${list.version}"`)) return c.body(null, 304, headers);
    return c.body(list.jwt, 200, { ...headers, "Content-Type": VC_JWT_MEDIA_TYPE });
  });

  // SD-JWT VC §5: the JWT VC Issuer Metadata of https://{host}/parties/{id}, inserted after the host as §5.1 says.
  app.get(`/.well-known/jwt-vc-issuer/parties/:id${ID}`, async (c) => {
    const metadata = await registry.jwtVcIssuerMetadata(c.req.param("id"));
    if (!metadata) return c.notFound();
    return c.json(metadata, 200, { "Cache-Control": "public, max-age=300" });
  });

  app.get(`/status/:id${ID}`, async (c) => {
    // One list, two securing forms: `?format=di` names the Data Integrity form (Data Integrity credentials' entries
    // point there); otherwise Accept chooses, and a client that states no preference gets the vc+jwt.
    const form = c.req.query("format") === "di" ? "application/vc" : statusListForm(c.req.header("accept"));
    const headers = { "Cache-Control": `public, max-age=${STATUS_LIST_TTL_MS / 1000}`, Vary: "Accept" };
    if (form === STATUS_LIST_JWT_MEDIA_TYPE) {
      // The same list as an IETF Status List Token: what an SD-JWT VC's status.status_list points at.
      const token = await issuance.statusListToken(c.req.param("id"));
      if (!token) return c.notFound();
      return c.body(token, 200, { ...headers, "Content-Type": STATUS_LIST_JWT_MEDIA_TYPE });
    }
    if (form !== VC_JWT_MEDIA_TYPE) {
      // The same list secured with Data Integrity: a JSON-LD credential with an embedded proof.
      const secured = await services.standards.statusListDataIntegrity(c.req.param("id"));
      if (!secured) return c.notFound();
      return c.body(JSON.stringify(secured), 200, { ...headers, "Content-Type": form });
    }
    const jwt = await issuance.statusListCredential(c.req.param("id"));
    if (!jwt) return c.notFound();
    return c.body(jwt, 200, { ...headers, "Content-Type": VC_JWT_MEDIA_TYPE });
  });

  // Served as CLE_CONTEXT_TEXT, the text `relatedResource` digests of the context are checked against.
  app.get("/contexts/cle/v1", (c) =>
    c.body(CLE_CONTEXT_TEXT, 200, { "Content-Type": "application/ld+json", "Cache-Control": "public, max-age=86400" }),
  );
}

/** The media types a status list is served as: the vc+jwt, the Token Status List, or the Data Integrity form under any JSON(-LD) type. */
const STATUS_LIST_FORMS = [VC_JWT_MEDIA_TYPE, STATUS_LIST_JWT_MEDIA_TYPE, "application/vc", "application/ld+json", "application/json", "application/vc+ld+json"] as const;

/**
 * RFC 9110 §12.5.1: the form the client prefers, by quality then by order; wildcards and anything unknown leave the
 * choice to the server, which answers the vc+jwt (what every list URL gave before Data Integrity).
 */
export function statusListForm(accept: string | undefined): (typeof STATUS_LIST_FORMS)[number] {
  const ranges = (accept ?? "")
    .split(",")
    .slice(0, 20)
    .map((part, order) => {
      const [type = "", ...params] = part.split(";").map((x) => x.trim().toLowerCase());
      const q = params.find((p) => p.startsWith("q="));
      return { type, q: q ? Number(q.slice(2)) : 1, order };
    })
    .filter((r) => Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const r of ranges) {
    if (r.type === "*/*" || r.type === "application/*") return VC_JWT_MEDIA_TYPE;
    const form = STATUS_LIST_FORMS.find((f) => f === r.type);
    if (form) return form;
  }
  return VC_JWT_MEDIA_TYPE;
}
