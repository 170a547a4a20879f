/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * Wallet protocols: OpenID4VCI (offers, metadata, token, nonce, credential) and OpenID4VP (the bar's presentation
 * requests and the wallet's direct_post), the upload path, and the yearly ledger (2.2.4, 12.2). Protocol endpoints
 * answer with the specs' `{error, error_description}`; the /api endpoints with RFC 9457 problems like the rest.
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { detailError } from "../problem.js";
import { OAuthError } from "../../wallet/oauth-error.js";
import { DPOP_SIGNING_ALGS } from "../../wallet/dpop.js";
import type { RequestLike } from "../../wallet/oid4vci.js";
import { HOLDER_PROOF_TYP } from "../../wallet/oid4vp.js";
import { requirePrincipal, type AppEnv, type Services } from "../context.js";
import { pickLang } from "../i18n.js";
import { PresentationRequestPage } from "../pages/presentation.js";
import { qrSvg } from "../qr.js";
import * as S from "../schemas.js";

const problems = S.PROBLEM_RESPONSES;
const json = S.jsonResponse;

/** Protocol bodies: a credential request with one proof is ~2 KB; a presentation of a year's certificates far less than this. */
export const WALLET_BODY_LIMITS = { oid4vci: 16 * 1024, oid4vp: 512 * 1024 } as const;

const OfferOut = z.object({
  offerId: z.string(),
  offer: z.string().openapi({ description: "openid-credential-offer://?credential_offer_uri=… — the link and the QR code's content" }),
  credentialOfferUri: z.string(),
  txCode: z.string().openapi({ description: "The PIN, shown once: hand it to the advocate apart from the offer" }),
  expiresAt: z.string(),
  qr: z.object({ svg: z.string() }),
});

function requestLike(c: Context): RequestLike {
  return { method: c.req.method as "POST" | "GET", url: c.req.url, headers: c.req.raw.headers };
}

function oauthResponse(c: Context, e: unknown): Response {
  if (!(e instanceof OAuthError)) throw e;
  const headers: Record<string, string> = { "Content-Type": "application/json", "Cache-Control": "no-store" };
  // RFC 9449 §7.1: a refused DPoP proof is challenged under the DPoP scheme, with the algorithms a proof may use.
  if (e.status === 401) headers["WWW-Authenticate"] = e.error === "invalid_dpop_proof" ? `DPoP error="${e.error}", algs="${DPOP_SIGNING_ALGS.join(" ")}"` : `Bearer error="${e.error}"`;
  return new Response(JSON.stringify(e.body), { status: e.status, headers });
}

const noStore = { "Cache-Control": "no-store" };

/** The protocol endpoints, described in the OpenAPI document beside the API (their bodies are the specs'). */
const PROTOCOL_PATHS: [method: "get" | "post", path: string, summary: string, mediaType: string][] = [
  ["get", "/.well-known/openid-credential-issuer", "OpenID4VCI 1.0 credential issuer metadata", "application/json"],
  ["get", "/vct/cle-certificate", "SD-JWT VC Type Metadata of the certificate's vct (dc+sd-jwt), with its display in kk/ru/en", "application/json"],
  ["get", "/.well-known/oauth-authorization-server", "OAuth 2.0 authorization server metadata (RFC 8414) for the pre-authorized code grant", "application/json"],
  ["get", "/oid4vci/offers/{id}", "A credential offer (by reference), with its pre-authorized code and tx_code description", "application/json"],
  ["get", "/oid4vci/offers/{id}/qr.svg", "QR code of openid-credential-offer://?credential_offer_uri=…", "image/svg+xml"],
  ["post", "/oid4vci/token", "Token endpoint: pre-authorized code + tx_code (form) → access token and c_nonce", "application/json"],
  ["post", "/oid4vci/nonce", "Nonce endpoint: a fresh c_nonce", "application/json"],
  ["post", "/oid4vci/credential", "Credential endpoint: jwt proof of possession → the offer's certificate (jwt_vc_json as a VC-JWT 1.1, ldp_vc, or dc+sd-jwt as an SD-JWT VC) or annual attestation, bound to the wallet's DID", "application/json"],
  ["get", "/oid4vp/requests/{id}", "OpenID4VP request object (JAR) signed by the bar's did:web key", "application/oauth-authz-req+jwt"],
  ["get", "/oid4vp/requests/{id}/qr.svg", "QR code of openid4vp://?client_id=…&request_uri=…", "image/svg+xml"],
  ["post", "/oid4vp/responses/{id}", "OpenID4VP direct_post: vp_token and state (form)", "application/json"],
  ["get", "/presentations/{id}", "The presentation request's desk page with its QR code (kk/ru/en)", "text/html"],
  ["get", "/bars/{bar}/did.json", "A bar's verifier DID document (did:web)", "application/did+json"],
];

export function registerWallet(app: OpenAPIHono<AppEnv>, services: Services): void {
  const { oid4vci, presentations } = services.wallet;
  const bearer = S.BEARER;

  for (const [method, path, summary, mediaType] of PROTOCOL_PATHS) {
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    app.openAPIRegistry.registerPath({
      method,
      path,
      tags: ["wallet"],
      summary,
      ...(names.length ? { request: { params: z.object(Object.fromEntries(names.map((n) => [n, z.string()]))) } } : {}),
      responses: { 200: { description: summary, content: { [mediaType]: { schema: z.string() } } }, 400: { description: "The spec's {error, error_description}" }, 404: { description: "Not found" } },
    });
  }

  // Web wallets call these from their own origin; nothing here rides on cookies.
  const walletCors = cors({ origin: "*", allowMethods: ["GET", "POST", "OPTIONS"], allowHeaders: ["Content-Type", "Authorization", "DPoP"], maxAge: 86_400 });
  for (const path of ["/.well-known/openid-credential-issuer", "/.well-known/oauth-authorization-server", "/oid4vci/*", "/oid4vp/*", "/bars/*", "/vct/*"]) app.use(path, walletCors);
  const tooLarge = (c: Context) => new Response(JSON.stringify({ error: "invalid_request", error_description: "The request body is too large." }), { status: 413, headers: { "Content-Type": "application/json" } });
  app.use("/oid4vci/*", bodyLimit({ maxSize: WALLET_BODY_LIMITS.oid4vci, onError: tooLarge }));
  app.use("/oid4vp/*", bodyLimit({ maxSize: WALLET_BODY_LIMITS.oid4vp, onError: tooLarge }));

  // ---- OpenID4VCI -------------------------------------------------------------------------------------------------

  app.get("/.well-known/openid-credential-issuer", (c) => c.json(oid4vci.credentialIssuerMetadata()));
  app.get("/.well-known/oauth-authorization-server", (c) => c.json(oid4vci.authorizationServerMetadata()));
  app.get("/vct/cle-certificate", (c) => c.json(oid4vci.certificateTypeMetadata(), 200, { "Cache-Control": "public, max-age=3600" }));

  app.openapi(
    createRoute({
      method: "post", path: "/api/certificates/{id}/offers", tags: ["wallet"], security: bearer,
      summary: "OpenID4VCI credential offer (by reference) for one of the provider's certificates, with a PIN shown once",
      request: { params: S.IdParam }, responses: { 201: json(OfferOut, "The offer"), ...problems },
    }),
    async (c) => {
      const offer = await oid4vci.createOffer(await requirePrincipal(c, services), c.req.valid("param").id);
      return c.json({ ...offer, qr: { svg: `${offer.credentialOfferUri}/qr.svg` } }, 201, noStore);
    },
  );

  app.get("/oid4vci/offers/:id{[0-9a-z]{20}}", async (c) => {
    const offer = await oid4vci.offerObject(c.req.param("id"));
    if (!offer) return c.json({ error: "invalid_request", error_description: "No such credential offer, or it has expired or been used." }, 404, noStore);
    return c.json(offer, 200, noStore);
  });

  app.get("/oid4vci/offers/:id{[0-9a-z]{20}}/qr.svg", async (c) => {
    const id = c.req.param("id");
    if (!(await oid4vci.offerObject(id))) throw detailError("not_found", "wallet-offer-unknown");
    const link = `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(oid4vci.offerUri(id))}`;
    return c.body(await qrSvg(link), 200, { "Content-Type": "image/svg+xml", ...noStore });
  });

  app.post("/oid4vci/token", async (c) => {
    try {
      const type = c.req.header("content-type") ?? "";
      if (!type.startsWith("application/x-www-form-urlencoded")) throw new OAuthError(400, "invalid_request", "The token request must be application/x-www-form-urlencoded.");
      const form = Object.fromEntries(new URLSearchParams(await c.req.text()));
      return c.json(await oid4vci.token(requestLike(c), form), 200, noStore);
    } catch (e) {
      return oauthResponse(c, e);
    }
  });

  app.post("/oid4vci/nonce", async (c) => c.json(await oid4vci.nonce(), 200, noStore));

  app.post("/oid4vci/credential", async (c) => {
    try {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw new OAuthError(400, "invalid_credential_request", "The credential request must be JSON.");
      }
      return c.json(await oid4vci.credential(requestLike(c), body), 200, noStore);
    } catch (e) {
      return oauthResponse(c, e);
    }
  });

  // ---- OpenID4VP: the bar asks, the wallet answers ----------------------------------------------------------------

  app.openapi(
    createRoute({
      method: "post", path: "/api/presentation-requests", tags: ["wallet"], security: bearer,
      summary: "A bar asks an advocate's wallet for the year's CLE certificates (OpenID4VP, DCQL, by reference): a QR code and a link",
      request: { body: { content: { "application/json": { schema: NewPresentationRequestIn } }, required: true } },
      responses: { 201: json(PresentationRequestOut, "The request"), ...problems },
    }),
    async (c) => c.json(await presentations.createRequest(await requirePrincipal(c, services), c.req.valid("json")), 201, noStore),
  );

  app.openapi(
    createRoute({
      method: "get", path: "/api/presentation-requests/{id}", tags: ["wallet"], security: bearer,
      summary: "The request and, once answered, what was credited to the ledger and what was refused",
      request: { params: S.IdParam }, responses: { 200: json(S.AnyObject, "The request and its outcome"), ...problems },
    }),
    async (c) => c.json(await presentations.requestStatus(await requirePrincipal(c, services), c.req.valid("param").id), 200, noStore),
  );

  app.openapi(
    createRoute({
      method: "post", path: "/api/bars/{barId}/verifier-key/rotation", tags: ["wallet"], security: bearer,
      summary: "Replace the key the bar signs its presentation requests with (the bar's admin or the RBA's). The old key stays in the bar's DID document for an hour, or leaves at once when compromised",
      request: { params: z.object({ barId: S.barParam }), body: { content: { "application/json": { schema: VerifierKeyRotationIn } }, required: false } },
      responses: { 201: json(VerifierKeyRotationOut, "The new key and what became of the old one"), ...problems },
    }),
    async (c) => {
      const { reason } = c.req.valid("json") ?? {};
      return c.json(await presentations.rotateVerifierKey(await requirePrincipal(c, services), c.req.valid("param").barId, reason ?? "scheduled"), 201, noStore);
    },
  );

  app.openapi(
    createRoute({
      method: "post", path: "/api/presentation-requests/{id}/uploads", tags: ["wallet"], security: bearer,
      summary: "For advocates without a wallet: the bar answers its request with a presentation (VP JWT or Data Integrity) or the certificate files (.jwt text, .json with or without a Data Integrity proof) of one licence; same checks",
      request: { params: S.IdParam, body: { content: { "application/json": { schema: UploadIn } }, required: true } },
      responses: { 201: json(S.AnyObject, "What was credited and what was refused"), ...problems },
    }),
    async (c) => c.json(await presentations.upload(await requirePrincipal(c, services), c.req.valid("param").id, c.req.valid("json")), 201),
  );

  app.get("/oid4vp/requests/:id{[0-9a-z]{20}}", async (c) => {
    const jar = await presentations.requestObject(c.req.param("id"));
    if (!jar) return c.json({ error: "invalid_request_uri", error_description: "No such presentation request, or it has expired or been answered." }, 404, noStore);
    return c.body(jar, 200, { "Content-Type": "application/oauth-authz-req+jwt", ...noStore });
  });

  app.get("/oid4vp/requests/:id{[0-9a-z]{20}}/qr.svg", async (c) => {
    const id = c.req.param("id");
    if (!(await presentations.requestObject(id))) throw detailError("not_found", "wallet-request-unknown-or-done");
    return c.body(await qrSvg(await presentations.linkFor(id)), 200, { "Content-Type": "image/svg+xml", ...noStore });
  });

  app.post("/oid4vp/responses/:id{[0-9a-z]{20}}", async (c) => {
    try {
      const type = c.req.header("content-type") ?? "";
      if (!type.startsWith("application/x-www-form-urlencoded")) throw new OAuthError(400, "invalid_request", "direct_post responses are application/x-www-form-urlencoded.");
      const form = Object.fromEntries(new URLSearchParams(await c.req.text()));
      await presentations.directPost(c.req.param("id"), form);
      // Cross-device: nothing to redirect to; the bar sees the outcome on its side.
      return c.json({}, 200, noStore);
    } catch (e) {
      return oauthResponse(c, e);
    }
  });

  app.get("/presentations/:id{[0-9a-z]{20}}", async (c) => {
    const lang = pickLang(c);
    const view = await presentations.publicView(c.req.param("id"));
    if (!view || !view.bar) throw detailError("not_found", "wallet-presentation-request-unknown");
    c.header("Vary", "Accept-Language");
    return c.html(
      <PresentationRequestPage lang={lang} id={view.id} barName={view.bar.names[lang]} year={view.year} link={view.link} expiresAt={view.expiresAt} state={view.state} />,
      200,
      noStore,
    );
  });

  app.get("/bars/:bar{[a-z-]{2,40}}/did.json", async (c) => {
    const doc = await presentations.barDidDocument(c.req.param("bar"));
    if (!doc) throw detailError("not_found", "wallet-verifier-did-none");
    return c.json(doc, 200, { "Content-Type": "application/did+json", "Cache-Control": "public, max-age=300" });
  });

  // ---- the ledger (2.2.2, 12.2) -----------------------------------------------------------------------------------

  app.openapi(
    createRoute({
      method: "get", path: "/api/advocates/{licence}/ledger", tags: ["wallet"], security: bearer,
      summary: `An advocate's certificates credited for a calendar year, with totals by programme and form. A bar's admin sees its bar's entries; the advocate sends "Authorization: Holder <jwt>" (typ ${HOLDER_PROOF_TYP}) signed by the wallet that presented`,
      request: { params: z.object({ licence: z.string().min(1).max(32) }), query: z.object({ year: z.coerce.number().int().min(2000).max(2100) }) },
      responses: { 200: json(LedgerOut, "The ledger"), ...problems },
    }),
    async (c) => {
      const { licence } = c.req.valid("param");
      const { year } = c.req.valid("query");
      const holder = /^Holder\s+(\S{1,4096})$/i.exec(c.req.header("authorization") ?? "");
      const view = holder
        ? await presentations.ledgerForHolder(holder[1]!, licence, year)
        : await presentations.ledgerFor(await requirePrincipal(c, services), licence, year);
      return c.json(view, 200, noStore);
    },
  );
}

const NewPresentationRequestIn = z.object({
  barId: z.string().min(2).max(40).optional().openapi({ description: "Defaults to the bar-admin key's bar" }),
  year: z.number().int().min(2000).max(2100).openapi({ description: "12.2: the calendar year whose certificates are asked for" }),
});

const PresentationRequestOut = z.object({
  id: z.string(), barId: z.string(), year: z.number(), clientId: z.string(), requestUri: z.string(),
  link: z.string().openapi({ description: "openid4vp://?client_id=…&request_uri=… — the link and the QR code's content" }),
  page: z.string().openapi({ description: "An HTML page with the QR code and the link (kk/ru/en), for the desk screen or an e-mail" }),
  expiresAt: z.string(), qr: z.object({ svg: z.string() }),
});

const VerifierKeyRotationIn = z.object({
  reason: z.enum(["scheduled", "compromised"]).default("scheduled").openapi({ description: "compromised: the old key leaves the DID document at once" }),
}).strict();

const VerifierKeyRotationOut = z.object({
  barId: z.string(), did: z.string(), kid: z.string().openapi({ description: "The key new request objects are signed with" }),
  retired: z.object({ kid: z.string(), reason: z.enum(["scheduled", "compromised"]), publishedUntil: z.string() }),
});

const UploadIn = z.object({
  presentation: z.union([z.string().max(256 * 1024), z.record(z.string(), z.unknown())]).optional().openapi({ description: "A VP JWT answering this request (nonce, aud = the bar's client_id), or a Data Integrity presentation (eddsa-rdfc-2022, challenge = nonce, domain = the bar's client_id)" }),
  licence: z.string().min(1).max(32).optional(),
  credentials: z.array(z.union([z.string().max(64 * 1024), z.record(z.string(), z.unknown())])).max(100).optional().openapi({ description: ".jwt files as text, or .json downloads as objects" }),
});

const LedgerEntryOut = z.object({
  certificateId: z.string(), credentialId: z.string(), barId: z.string(), issuer: z.string(), issuerName: z.string(), topic: z.string(),
  programme: z.string(), form: z.string(), durationMinutes: z.number(), academicHours: z.number(), eventEnd: z.string(),
  provenBy: z.enum(["openid4vp", "upload", "issued"]), presentationId: z.string().nullable(), createdAt: z.string(),
}).passthrough();
const TotalsOut = z.object({ certificates: z.number(), durationMinutes: z.number(), academicHours: z.number() });
const LedgerOut = z.object({
  licence: z.string(), year: z.number(), barId: z.string().nullable(), entries: z.array(LedgerEntryOut),
  totals: z.object({ total: TotalsOut, byProgramme: z.record(z.string(), TotalsOut), byForm: z.record(z.string(), TotalsOut) }),
});
