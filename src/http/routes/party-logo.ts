/**
 * Issue 16: a provider's logo over HTTP, drawn in the header of its printable certificates (7.5).
 * PUT /api/parties/{id}/logo with the image as the body (Content-Type image/png or image/svg+xml, at most 100 KB)
 * stores or replaces it; DELETE removes it. Only the party's own API key, the admin of the bar that registered it, or
 * the RBA's admin may (src/domain/party-logo.ts). The bytes are stored as sent once checked; a refused upload stores
 * nothing and is a localised 4xx problem.
 *
 * Registered before the API's own /api/* middleware (src/http/app.ts): this route sets its own body limit (100 KB,
 * above the API's 64 KiB default) and says a refusal in the caller's language.
 */
import { z, type OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import type { Context } from "hono";
import { PDFDocument } from "pdf-lib";
import { assertMayChangePartyLogo, checkLogo, LOGO_MAX_BYTES, logoMediaType, logoTooLarge, noLogo, pngRefused } from "../../domain/party-logo.js";
import { detailError } from "../problem.js";
import { requirePrincipal, type AppEnv, type Services } from "../context.js";
import { BEARER, IdParam, jsonResponse, PROBLEM_RESPONSES } from "../schemas.js";

const PATH = "/api/parties/:id{[0-9a-z]{1,40}}/logo";

const LogoOut = z
  .object({ partyId: z.string(), mediaType: z.enum(["image/png", "image/svg+xml"]), bytes: z.number().int(), sha256: z.string(), updatedAt: z.string() })
  .openapi("PartyLogo");

const problems = {
  ...PROBLEM_RESPONSES,
  413: { description: `The logo is larger than ${LOGO_MAX_BYTES} bytes`, content: PROBLEM_RESPONSES[400].content },
  415: { description: "Not image/png or image/svg+xml", content: PROBLEM_RESPONSES[400].content },
};

/** The body, read at most to the limit: a longer one is refused before it is all in memory. */
async function readLimited(c: Context): Promise<Uint8Array<ArrayBuffer>> {
  const length = c.req.header("content-length");
  if (length !== undefined && Number(length) > LOGO_MAX_BYTES) throw logoTooLarge();
  const body = c.req.raw.body;
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > LOGO_MAX_BYTES) {
      await reader.cancel();
      throw logoTooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) bytes.set(chunk, (at += chunk.byteLength) - chunk.byteLength);
  return bytes;
}

const hex = (buffer: ArrayBuffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");

export function registerPartyLogo(app: OpenAPIHono<AppEnv>, services: Services): void {
  const { registry } = services;
  const store = () => {
    if (!services.partyLogos) throw detailError("internal", "logos-unavailable");
    return services.partyLogos;
  };
  /** Who calls, the party, and whether they may: settled before the body is read. */
  const authorised = async (c: Context<AppEnv>) => {
    const principal = await requirePrincipal(c, services);
    const party = await registry.requireParty(c.req.param("id")!);
    assertMayChangePartyLogo(principal, party);
    return party;
  };

  // Registered for the document only: the body is an image, checked by the handler.
  app.openAPIRegistry.registerPath({
    method: "put", path: "/api/parties/{id}/logo", tags: ["registry"], security: BEARER,
    summary: `Issue 16: the party's logo for its printable certificates: a PNG (at most ${1024}×${1024}) or an SVG of plain paths, at most ${LOGO_MAX_BYTES} bytes; the party's own key, the admin of the bar that registered it or the RBA's admin`,
    request: { params: IdParam, body: { content: { "image/png": { schema: z.string().openapi({ format: "binary" }) }, "image/svg+xml": { schema: z.string() } }, required: true } } as RouteConfig["request"],
    responses: { 200: jsonResponse(LogoOut, "The logo as stored"), ...problems },
  });
  app.put(PATH, async (c) => {
    const party = await authorised(c);
    const mediaType = logoMediaType(c.req.header("content-type"));
    const bytes = await readLimited(c);
    checkLogo(mediaType, bytes);
    if (mediaType === "image/png") {
      // Decoded once here by the library that draws it, so a PNG that would not draw is refused now, not at printing.
      try {
        await (await PDFDocument.create()).embedPng(bytes);
      } catch {
        throw pngRefused("logo-why-png-undecodable");
      }
    }
    const logo = { partyId: party.id, mediaType, bytes, sha256: hex(await crypto.subtle.digest("SHA-256", bytes)), updatedAt: registry.now() };
    await store().put(logo);
    return c.json({ partyId: logo.partyId, mediaType, bytes: bytes.length, sha256: logo.sha256, updatedAt: logo.updatedAt }, 200);
  });

  app.openAPIRegistry.registerPath({
    method: "delete", path: "/api/parties/{id}/logo", tags: ["registry"], security: BEARER,
    summary: "Issue 16: remove the party's logo (its certificates print without one); who may as for PUT",
    request: { params: IdParam },
    responses: { 204: { description: "Removed" }, ...problems },
  });
  app.delete(PATH, async (c) => {
    const party = await authorised(c);
    if (!(await store().delete(party.id))) throw noLogo(party.id);
    return c.body(null, 204);
  });
}
