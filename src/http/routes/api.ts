/** The domain API under /api: registry, issuing, certificates, verification. Every endpoint is in the OpenAPI document. */
import { createRoute, z, type OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { isSenimError, SenimError } from "../../domain/errors.js";
import { ANNOUNCEMENT_LIMITS, FEE_KINDS, parseCalendarFilter, SPONSORS, type Announcement } from "../../domain/announcement.js";
import { academicHours, toInstant } from "../../domain/time.js";
import { recordingLag } from "../../domain/event.js";
import { withdrawalDue } from "../../domain/accreditation.js";
import { VC_JWT_MEDIA_TYPE } from "../../credentials/vocabulary.js";
import { sha256Hex } from "../../lib/ids.js";
import { describePrincipal, maySeeAccreditationEvidence, type Principal } from "../../domain/authz.js";
import type { CalendarEntry, CleEvent } from "../../issuance/model.js";
import { publicAccreditation } from "../../registry/service.js";
import { requirePrincipal, type AppEnv, type Services } from "../context.js";
import { detailError, problemResponse } from "../problem.js";
import { CAL_T, LISTS_T, pickLang, problemText, t, type Lang } from "../i18n.js";
import { fillTemplate } from "../../lib/csv.js";
import { exceedsJsonDepth, MAX_CREDENTIAL_JSON_DEPTH } from "../../lib/json-depth.js";
import * as S from "../schemas.js";

const problems = S.PROBLEM_RESPONSES;
const json = S.jsonResponse;

/** Body limits per endpoint family: big enough for the largest honest request, small enough to refuse abuse early. */
/** `submissions`: an outside certificate's scan (≤ 10 MB) and credential file (≤ 256 KiB) with its multipart framing. */
export const BODY_LIMITS = { default: 64 * 1024, participants: 8 * 1024 * 1024, verify: 256 * 1024, uploads: 1024 * 1024, submissions: 11 * 1024 * 1024 } as const;

export function registerApi(app: OpenAPIHono<AppEnv>, services: Services): void {
  const { registry, issuance, verification } = services;
  const auth = (c: Context<AppEnv>) => requirePrincipal(c, services);
  const bearer = S.BEARER;

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", description: "An API key from POST /api/api-keys, or SENIM_ADMIN_TOKEN" });

  app.use("/api/*", async (c, next) => {
    const limit = c.req.path.endsWith("/participants") || c.req.path.endsWith(".csv") ? BODY_LIMITS.participants : c.req.path === "/api/verify" ? BODY_LIMITS.verify : c.req.path.endsWith("/uploads") ? BODY_LIMITS.uploads : c.req.path.endsWith("/submissions") ? BODY_LIMITS.submissions : BODY_LIMITS.default;
    const tooLarge = () => problemResponse(c, detailError("payload_too_large", "body-too-large", { max: limit }));
    // Fast path: a Content-Length without Transfer-Encoding is what Node enforces; checking it does not touch
    // c.req.raw.body, which on @hono/node-server would build a whole web Request + ReadableStream per request.
    const length = c.req.header("content-length");
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    if (length !== undefined && c.req.header("transfer-encoding") === undefined) return Number(length) > limit ? tooLarge() : next();
    return bodyLimit({ maxSize: limit, onError: tooLarge })(c, next);
  });

  // Who is calling is settled before what they sent is validated: an anonymous caller learns nothing about the API's
  // validation rules, only that it needs a key. Verification is open to anyone.
  app.use("/api/*", async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD" && c.req.path !== "/api/verify") await auth(c);
    await next();
  });

  // ---- reference data and the public registry (8.3) -------------------------------------------------------------

  app.openapi(
    createRoute({ method: "get", path: "/api/registry", tags: ["registry"], summary: "Every bar's centres and accredited providers, with criteria and dates (8.3)", responses: { 200: json(S.AnyObject, "The registry") } }),
    async (c) => c.json({ ...(await registry.publicRegistry()) }, 200),
  );

  app.openapi(
    createRoute({ method: "get", path: "/api/vocabulary", tags: ["registry"], summary: "Bars, programmes (10.1), forms (5.1), delivery modes (7.4)", responses: { 200: json(S.AnyObject, "Reference data") } }),
    async (c) => c.json({ bars: await registry.bars(), ...(await registry.vocabulary()) }, 200),
  );

  // ---- API keys and parties -------------------------------------------------------------------------------------

  app.openapi(
    createRoute({
      method: "post", path: "/api/api-keys", tags: ["registry"], security: bearer,
      summary: "Create an API key (rba-admin: any; bar-admin: its bar and the parties it registered; provider: itself). The token is shown once.",
      request: { body: { content: { "application/json": { schema: S.NewApiKey } }, required: true } },
      responses: { 201: json(S.ApiKeyOut, "The key and its token"), ...problems },
    }),
    async (c) => {
      const { apiKey, token } = await registry.createApiKey(await auth(c), c.req.valid("json"));
      return c.json({ ...apiKey, token }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get", path: "/api/api-keys", tags: ["registry"], security: bearer,
      summary: "The API keys the caller may manage (never their tokens)",
      responses: { 200: json(z.object({ apiKeys: z.array(S.ApiKeyInfo) }), "The keys"), ...problems },
    }),
    async (c) => c.json({ apiKeys: await registry.listApiKeys(await auth(c)) }, 200),
  );

  app.openapi(
    createRoute({
      method: "post", path: "/api/api-keys/{id}/revocation", tags: ["registry"], security: bearer,
      summary: "Revoke an API key at once (e.g. a leaked token); by the roles that may create it",
      request: { params: S.IdParam }, responses: { 201: json(S.ApiKeyInfo, "The revoked key"), ...problems },
    }),
    async (c) => c.json(await registry.revokeApiKey(await auth(c), c.req.valid("param").id), 201),
  );

  app.openapi(
    createRoute({
      method: "post", path: "/api/parties", tags: ["registry"], security: bearer,
      summary: "Register a centre, accredited organisation or trainer; its did:web and first Ed25519 key are created",
      request: { body: { content: { "application/json": { schema: S.NewParty } }, required: true } },
      responses: { 201: json(S.PartyOut, "The party"), ...problems },
    }),
    async (c) => {
      const { party, keys } = await registry.createParty(await auth(c), c.req.valid("json"));
      return c.json({ ...party, didDocument: `${registry.publicUrl}/parties/${party.id}/did.json`, keys: keys.map(publicKey) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "patch", path: "/api/parties/{id}", tags: ["registry"], security: bearer,
      summary: "Correct a party's name, website, city or address (8.3): the bar that registered it, or the RBA",
      request: { params: S.IdParam, body: { content: { "application/json": { schema: S.PartyDetailsIn } }, required: true } },
      responses: { 200: json(S.PartyOut, "The party"), ...problems },
    }),
    async (c) => {
      const party = await registry.updatePartyDetails(await auth(c), c.req.valid("param").id, c.req.valid("json"));
      return c.json({ ...party, keys: (await registry.listKeys(party.id)).map(publicKey) }, 200);
    },
  );

  app.openapi(
    createRoute({ method: "get", path: "/api/parties/{id}", tags: ["registry"], summary: "A party, its keys and its accreditation history (with each decision's evidence and violations for the RBA, the bar that made it and the bar that registered the party)", request: { params: S.IdParam }, responses: { 200: json(S.PartyOut.extend({ accreditations: z.array(S.AccreditationOut) }), "The party"), ...problems } }),
    async (c) => {
      const party = await registry.requireParty(c.req.valid("param").id);
      const [keys, accreditations] = await Promise.all([registry.listKeys(party.id), registry.listAccreditations(party.id)]);
      const now = registry.now();
      const caller = c.req.header("authorization") ? await auth(c) : undefined;
      const history = await Promise.all(
        accreditations.map(async (a) => {
          const admin = maySeeAccreditationEvidence(caller, party, a);
          return { ...publicAccreditation(a, now, admin), ...(admin ? { violations: await registry.listViolations(a.id) } : {}) };
        }),
      );
      return c.json({ ...party, keys: keys.map(publicKey), accreditations: history }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post", path: "/api/parties/{id}/keys/rotate", tags: ["registry"], security: bearer,
      summary: "Rotate the party's signing key (the party, the bar that registered it, or the RBA): a new key becomes active; the old one is retired (validUntil) and keeps verifying what it signed",
      request: { params: S.IdParam }, responses: { 200: json(S.RotationOut, "The keys"), ...problems },
    }),
    async (c) => {
      const { active, keys } = await registry.rotateKey(await auth(c), c.req.valid("param").id);
      return c.json({ active: publicKey(active), keys: keys.map(publicKey) }, 200);
    },
  );

  // ---- accreditation (9) ----------------------------------------------------------------------------------------

  app.openapi(
    createRoute({
      method: "post", path: "/api/parties/{id}/accreditations", tags: ["registry"], security: bearer,
      summary: "Record a presidium's accreditation decision (9.1); a territorial bar's admin only for their bar",
      request: { params: S.IdParam, body: { content: { "application/json": { schema: S.NewAccreditation } }, required: true } },
      responses: { 201: json(S.AccreditationOut, "The accreditation"), ...problems },
    }),
    async (c) => {
      const a = await registry.accredit(await auth(c), c.req.valid("param").id, c.req.valid("json"));
      return c.json({ ...publicAccreditation(a, registry.now(), true), partyId: a.partyId }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "post", path: "/api/accreditations/{id}/violations", tags: ["registry"], security: bearer,
      summary: "Record a violation of the requirements against an accreditation (9.2.2)",
      request: { params: S.IdParam, body: { content: { "application/json": { schema: S.NewViolation } }, required: true } },
      responses: { 201: json(S.ViolationOut, "The violation"), ...problems },
    }),
    async (c) => {
      const { violation, accreditation } = await registry.recordViolation(await auth(c), c.req.valid("param").id, c.req.valid("json"));
      return c.json({ ...violation, violationCount: accreditation.violationCount, withdrawalDue: withdrawalDue(accreditation) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "post", path: "/api/accreditations/{id}/withdrawal", tags: ["registry"], security: bearer,
      summary: "Withdraw an accreditation (9.2): non-compliance, or repeated-violations (refused below two recorded violations)",
      request: { params: S.IdParam, body: { content: { "application/json": { schema: S.NewWithdrawal } }, required: true } },
      responses: { 201: json(S.AccreditationOut, "The accreditation with its withdrawal"), ...problems },
    }),
    async (c) => {
      const a = await registry.withdraw(await auth(c), c.req.valid("param").id, c.req.valid("json"));
      return c.json({ ...publicAccreditation(a, registry.now(), true), violations: await registry.listViolations(a.id) }, 201);
    },
  );

  // ---- events, participants, issuing ----------------------------------------------------------------------------

  app.openapi(
    createRoute({
      method: "post", path: "/api/events", tags: ["issuing"], security: bearer,
      summary: "Create an event (provider): topic, programme, form, delivery, organiser, place, times, trainers, duration in minutes",
      request: { body: { content: { "application/json": { schema: S.NewEvent } }, required: true } },
      responses: { 201: json(S.EventOut, "The event"), ...problems },
    }),
    async (c) => {
      const principal = await auth(c);
      // 12.3, 11.1: the trainers' problems carry codes, said in the caller's language.
      return c.json(eventView(await inLanguage(pickLang(c), LISTS_T.eventProblems, () => issuance.createEvent(principal, c.req.valid("json")))), 201);
    },
  );

  // ---- co-organisation (5.1(3)) ------------------------------------------------------------------------------------

  app.openapi(
    createRoute({
      method: "post", path: "/api/events/{id}/co-organisation", tags: ["issuing"], security: bearer,
      summary: "5.1(3): the co-organising bar's admin confirms or declines the co-organisation the event names (the first answer stands); certificates are issued only once it is confirmed",
      request: { params: S.IdParam, body: { content: { "application/json": { schema: CoOrganisationDecision } }, required: true } },
      responses: { 200: json(S.EventOut, "The event with the bar's answer"), ...problems },
    }),
    async (c) => {
      const e = await issuance.decideCoOrganisation(await auth(c), c.req.valid("param").id, c.req.valid("json").decision);
      return c.json(eventView(e), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get", path: "/api/bars/{barId}/co-organisation-requests", tags: ["issuing"], security: bearer,
      summary: "5.1(3): the events naming the bar as co-organiser, those awaiting its answer first (the bar's own admin)",
      request: { params: z.object({ barId: S.barParam }) },
      responses: { 200: json(z.object({ count: z.number(), events: z.array(S.EventOut) }), "The requests"), ...problems },
    }),
    async (c) => {
      const events = await issuance.coOrganisationRequests(await auth(c), c.req.valid("param").barId);
      return c.json({ count: events.length, events: events.map(eventView) }, 200);
    },
  );

  // ---- the calendar of accredited events (7.3, 2.1(4), 6.1–6.2) ----------------------------------------------------
  // Registered before GET /api/events/{id}, whose id pattern "announced" would match too.

  app.openapi(
    createRoute({
      method: "get", path: "/api/events/announced", tags: ["calendar"],
      summary: "7.3: the public calendar as JSON: announced events still to come whose organiser an accreditation covers for them; the filters of GET /events, and bar or provider",
      request: { query: CalendarQuery },
      responses: { 200: json(CalendarOut, "The calendar"), 400: problems[400], 404: problems[404] },
    }),
    async (c) => {
      const lang = pickLang(c);
      const filter = inLanguage(lang, "filterProblems", () => parseCalendarFilter((name) => c.req.query(name)));
      const { bar, provider } = c.req.valid("query");
      if (bar !== undefined && !(await registry.bar(bar))) throw detailError("not_found", "bar-unknown", { id: JSON.stringify(bar) });
      if (provider !== undefined && !(await registry.getParty(provider))) throw detailError("not_found", "provider-unknown", { id: JSON.stringify(provider) });
      const { entries } = await issuance.calendar(filter, { ...(bar ? { barId: bar } : {}), ...(provider ? { partyId: provider } : {}) });
      return c.json({ generatedAt: registry.now(), count: entries.length, events: entries.map((x) => calendarEntryView(x, registry.publicUrl)) }, 200);
    },
  );

  // Registered for the document only: the handler checks the body itself (src/domain/announcement.ts), so every
  // problem, a wrong type included, has a code and is said in the caller's language.
  app.openAPIRegistry.registerPath({
    method: "put", path: "/api/events/{id}/announcement", tags: ["calendar"], security: bearer,
    summary: "7.3: announce one of the provider's events in the public calendar, or change its announcement, before it starts; refused (not_accredited, out_of_scope) unless an accreditation covers its programme and form on its dates",
    request: { params: S.IdParam, body: { content: { "application/json": { schema: AnnouncementIn } }, required: true } } as RouteConfig["request"],
    responses: { 200: json(AnnouncementOut, "The announcement, and the event's public page"), ...problems },
  });
  app.put("/api/events/:id{[0-9a-z]{1,40}}/announcement", async (c) => {
    const principal = await auth(c);
    const lang = pickLang(c);
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      throw detailError("invalid_json", "request-json-invalid");
    }
    const id = c.req.param("id");
    const a = await inLanguage(lang, "problems", () => issuance.announce(principal, id, body));
    return c.json(announcementView(a, registry.publicUrl), 200);
  });

  app.openapi(
    createRoute({
      method: "get", path: "/api/events/{id}/announcement", tags: ["calendar"], security: bearer,
      summary: "7.3: the announcement of one of the provider's events (404 when it is not announced)", request: { params: S.IdParam },
      responses: { 200: json(AnnouncementOut, "The announcement"), ...problems },
    }),
    async (c) => {
      const a = await issuance.announcementOf(await auth(c), c.req.valid("param").id);
      if (!a) throw detailError("not_found", "event-not-announced");
      return c.json(announcementView(a, registry.publicUrl), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete", path: "/api/events/{id}/announcement", tags: ["calendar"], security: bearer,
      summary: "7.3: withdraw the event's announcement before it starts: it leaves the calendar, its page and every feed", request: { params: S.IdParam },
      responses: { 204: { description: "Withdrawn" }, ...problems },
    }),
    async (c) => {
      await issuance.withdrawAnnouncement(await auth(c), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "get", path: "/api/events/{id}", tags: ["issuing"], security: bearer,
      summary: "One of the provider's events", request: { params: S.IdParam },
      responses: { 200: json(S.EventOut, "The event"), ...problems },
    }),
    async (c) => c.json(eventView(await issuance.ownEvent(await auth(c), c.req.valid("param").id)), 200),
  );

  app.openapi(
    createRoute({
      method: "put", path: "/api/events/{id}/participants", tags: ["issuing"], security: bearer,
      summary: "Replace the event's participant list (12.3); validated whole, nothing stored unless every row is valid",
      request: { params: S.IdParam, body: { content: { "application/json": { schema: S.ParticipantList } }, required: true } },
      responses: { 200: json(S.ParticipantListOut, "The stored list"), ...problems },
    }),
    async (c) => {
      const principal = await auth(c);
      // 12.3, 5.1(4): the minutes' problems carry codes, said in the caller's language.
      const list = await inLanguage(pickLang(c), LISTS_T.participantProblems, () => issuance.setParticipants(principal, c.req.valid("param").id, c.req.valid("json").participants));
      return c.json({ count: list.length, participants: list }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get", path: "/api/events/{id}/participants", tags: ["issuing"], security: bearer,
      summary: "The event's participant list with each participant's certificate", request: { params: S.IdParam },
      responses: { 200: json(S.ParticipantListOut, "The list"), ...problems },
    }),
    async (c) => {
      const list = await issuance.listParticipants(await auth(c), c.req.valid("param").id);
      return c.json({ count: list.length, participants: list }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post", path: "/api/events/{id}/certificates", tags: ["issuing"], security: bearer,
      summary: "Issue a certificate to every participant without one. Idempotent; honours Idempotency-Key; each call all or nothing. Where one call takes at most a chunk of participants (Workers), 202 says how many remain: they are issued by the service's queue, or by calling again.",
      request: { params: S.IdParam, query: S.FormatQuery },
      responses: {
        201: json(S.IssueOutcomeOut, "Certificates were issued"),
        202: json(S.IssueOutcomeOut, "Certificates were issued to part of the list; `pending` remain (issue 18)"),
        200: json(S.IssueOutcomeOut, "Nothing new to issue"),
        ...problems,
      },
    }),
    async (c) => {
      const principal = await auth(c);
      const eventId = c.req.valid("param").id;
      const format = c.req.valid("query").format ?? "jwt";
      const route = `POST /api/events/${eventId}/certificates${format === "jwt" ? "" : `?format=${format}`}`;
      const response = await idempotent(c, services, principal, route, async () => {
        const { issuedIds: _, ...outcome } = await services.issuing.issue(principal, eventId, format);
        // 7.5: each new certificate's survey link, for the provider to deliver to that participant only. A secret kept
        // nowhere (the database has its HMAC), so the copy kept for Idempotency-Key replays carries none; fresh links:
        // POST /api/events/{id}/survey-links.
        const links = await services.surveys.firstLinks(principal, outcome);
        const withLinks = (keep: boolean) => ({
          ...outcome,
          certificates: outcome.certificates.map((x) => ({ ...x, survey: (keep && links.get(x.id)?.survey) || null, participantPdf: (keep && links.get(x.id)?.pdf) || null })),
        });
        return { status: outcome.pending > 0 ? 202 : outcome.issued > 0 ? 201 : 200, body: withLinks(true), replayBody: withLinks(false) };
      });
      // A replayed response is raw bytes from the store, so it cannot carry the route's typed-response brand.
      return response as never;
    },
  );

  // ---- certificates ---------------------------------------------------------------------------------------------

  app.openapi(
    createRoute({ method: "get", path: "/api/certificates/{id}", tags: ["certificates"], summary: "A certificate: the credential, its vc+jwt and its URL; with format=di also the Data Integrity secured credential", request: { params: S.IdParam, query: S.FormatQuery }, responses: { 200: json(S.CertificateOut, "The certificate"), ...problems } }),
    async (c) => {
      const cert = await issuance.requireCertificate(c.req.valid("param").id);
      const format = c.req.valid("query").format ?? "jwt";
      return c.json({
        ...(format === "di" ? { dataIntegrity: await services.standards.dataIntegrityOf(cert) } : {}),
        id: cert.id,
        url: issuance.certificateUrl(cert.id),
        qr: { svg: `${issuance.certificateUrl(cert.id)}/qr.svg`, png: `${issuance.certificateUrl(cert.id)}/qr.png` },
        credential: issuance.credentialOf(cert),
        jwt: cert.jwt,
        issuedAt: cert.issuedAt,
        revoked: cert.revokedAt ? { at: cert.revokedAt, reason: cert.revocationReason } : null,
      }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post", path: "/api/certificates/{id}/revocation", tags: ["certificates"], security: bearer,
      summary: "Revoke a certificate, with a reason: the issuing provider, or the bar whose accreditation it was issued under",
      request: { params: S.IdParam, body: { content: { "application/json": { schema: S.Revocation } }, required: true } },
      responses: { 201: json(S.RevocationOut, "Revoked"), ...problems },
    }),
    async (c) => {
      const cert = await issuance.revoke(await auth(c), c.req.valid("param").id, c.req.valid("json").reason);
      return c.json({ id: cert.id, revokedAt: cert.revokedAt, reason: cert.revocationReason, statusList: issuance.statusListUrl(cert.statusListId) }, 201);
    },
  );

  // ---- verification ---------------------------------------------------------------------------------------------
  // Registered for the document only: the handler reads the body itself, as it accepts JSON or a raw vc+jwt.
  app.openAPIRegistry.registerPath({
    method: "post", path: "/api/verify", tags: ["verification"],
    summary: "Verify a certificate: every check, and a summary. 200 all pass; 422 a check failed (same body); 400 not a credential.",
    request: { body: { content: { "application/json": { schema: S.VerifyRequest }, [VC_JWT_MEDIA_TYPE]: { schema: { type: "string" } } }, required: true } } as RouteConfig["request"],
    responses: { 200: json(S.VerifyResponse, "Every check passed"), 422: json(S.VerifyResponse, "At least one check failed or could not be made"), 400: problems[400], 413: { description: "Too large" } },
  });
  app.post("/api/verify", async (c) => {
    const input = await readVerificationInput(c);
    const { verified, profile, checks, summary, attestation } = await verification.verify(input);
    // The caller already holds the credential it sent: the answer is the checks and what the certificate (or the
    // bar's annual attestation) says.
    return c.json({ verified, profile, checks, summary, ...(attestation ? { attestation } : {}) }, verified ? 200 : 422);
  });
}

const MAX_JSON_DEPTH = MAX_CREDENTIAL_JSON_DEPTH;

async function readVerificationInput(c: Context<AppEnv>) {
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const raw = await c.req.text();
  if (type === VC_JWT_MEDIA_TYPE || type === "application/jwt" || type === "text/plain") return { jwt: raw.trim() };
  if (type !== "application/json" && type !== "application/vc" && type !== "") {
    throw detailError("unsupported_media_type", "verify-media-type", { type: VC_JWT_MEDIA_TYPE });
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw detailError("invalid_json", "request-json-invalid");
  }
  if (exceedsJsonDepth(body, MAX_JSON_DEPTH)) throw detailError("not_a_credential", "json-too-deep", { max: MAX_JSON_DEPTH });
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw detailError("not_a_credential", "verify-input-shape");
  const o = body as Record<string, unknown>;
  if (typeof o.jwt === "string") return { jwt: o.jwt };
  if (typeof o.url === "string") return { url: o.url };
  const credential = o.credential ?? o.verifiableCredential ?? (o["@context"] !== undefined ? o : undefined);
  if (typeof credential === "string") return { jwt: credential };
  if (credential && typeof credential === "object" && !Array.isArray(credential)) return { credential: credential as Record<string, unknown> };
  throw detailError("not_a_credential", "verify-input-shape");
}

/** How long an Idempotency-Key is remembered; after that the same key starts a new request. */
export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 3_600_000;

/**
 * Idempotency-Key (draft-ietf-httpapi-idempotency-key-header): a replay of the same request returns the first
 * response; the same key with a different request is refused.
 */
async function idempotent(
  c: Context<AppEnv>,
  services: Services,
  principal: Principal,
  fingerprintSource: string,
  run: () => Promise<{ status: 200 | 201 | 202; body: unknown; /** What a replay answers, when the body holds secrets that must not be stored. */ replayBody?: unknown }>,
): Promise<Response> {
  const key = c.req.header("idempotency-key");
  if (key === undefined) {
    const { status, body } = await run();
    return c.json(body as object, status);
  }
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) throw detailError("invalid_request", "idempotency-key-invalid");
  const who = describePrincipal(principal);
  const fingerprint = await sha256Hex(fingerprintSource);
  const store = services.issuance.idempotencyStore;
  const now = services.registry.now();
  const notBefore = toInstant(Date.parse(now) - IDEMPOTENCY_KEY_LIFETIME_MS);
  const previous = await store.getIdempotentResponse(who, key, notBefore);
  if (previous) {
    if (previous.fingerprint !== fingerprint) throw detailError("idempotency_key_reused", "idempotency-key-reused");
    return new Response(previous.body, { status: previous.status, headers: { "Content-Type": "application/json", "Idempotent-Replayed": "true" } });
  }
  const { status, body, replayBody } = await run();
  const text = JSON.stringify(body);
  await store.putIdempotentResponse(who, key, { fingerprint, status, body: replayBody === undefined ? text : JSON.stringify(replayBody) }, now, notBefore);
  return new Response(text, { status, headers: { "Content-Type": "application/json" } });
}

function publicKey(k: { id: string; publicJwk: object; validFrom: string; validUntil: string | null }) {
  return { id: k.id, type: "JsonWebKey", publicKeyJwk: k.publicJwk, validFrom: k.validFrom, validUntil: k.validUntil, state: k.validUntil ? "retired" : "active" };
}

// ---- the calendar (7.3) ----------------------------------------------------------------------------------------------

/** 5.1(3): the co-organising bar's answer. */
const CoOrganisationDecision = z
  .object({ decision: z.enum(["confirm", "decline"]).openapi({ description: "confirm: certificates may name the bar; decline: none may (the event gets no certificates)" }) })
  .openapi("CoOrganisationDecision");

const Fee = z
  .union([
    z.object({ kind: z.literal("free") }),
    z.object({ kind: z.literal("paid"), amountTenge: z.number().int().min(1).max(ANNOUNCEMENT_LIMITS.amountTenge).openapi({ description: "whole tenge, paid by the advocate" }) }),
    z.object({ kind: z.literal("sponsored"), sponsor: z.enum(SPONSORS).openapi({ description: "who pays instead of the advocate: the bar, the RBA or a grant" }) }),
  ])
  .openapi("Fee", { description: `6.1–6.2: who pays (${FEE_KINDS.join(", ")})` });

const AnnouncementIn = z
  .object({
    description: z.string().max(ANNOUNCEMENT_LIMITS.description).openapi({ description: "a short description; line breaks are kept" }),
    city: z.string().max(ANNOUNCEMENT_LIMITS.city).nullish().openapi({ description: "required for in-person events (7.4)" }),
    venue: z.string().max(ANNOUNCEMENT_LIMITS.venue).nullish().openapi({ description: "the address; required for in-person events" }),
    link: z.string().max(ANNOUNCEMENT_LIMITS.link).nullish().openapi({ description: "an https URL; required for distance and online events" }),
    fee: Fee,
    seats: z.number().int().min(1).max(ANNOUNCEMENT_LIMITS.seats).nullish().openapi({ description: "omit when not stated" }),
  })
  .openapi("AnnouncementIn");

const AnnouncementOut = z
  .object({
    eventId: z.string(),
    announcedAt: z.string(),
    updatedAt: z.string(),
    description: z.string(),
    city: z.string().nullable(),
    venue: z.string().nullable(),
    link: z.string().nullable(),
    fee: Fee,
    seats: z.number().nullable(),
    url: z.string().openapi({ description: "the event's public page" }),
  })
  .openapi("Announcement");

const CalendarQuery = z.object({
  programme: z.string().optional().openapi({ description: "10.1" }),
  form: z.string().optional().openapi({ description: "5.1" }),
  delivery: z.string().optional().openapi({ description: "7.4: in-person, distance or online" }),
  city: z.string().optional(),
  from: z.string().optional().openapi({ description: "YYYY-MM-DD: events still running on or after it" }),
  to: z.string().optional().openapi({ description: "YYYY-MM-DD: events starting on or before it" }),
  free: z.string().optional().openapi({ description: "1: only events that cost the advocate nothing (6.1–6.2)" }),
  bar: z.string().regex(/^[a-z-]{2,40}$/).optional().openapi({ description: "only events a decision of this bar covers, or that it co-organises" }),
  provider: z.string().regex(/^[0-9a-z]{1,40}$/).optional().openapi({ description: "only this provider's events" }),
});

const CalendarOut = z
  .object({
    generatedAt: z.string(),
    count: z.number(),
    events: z.array(
      z.looseObject({
        id: z.string(),
        topic: z.string(),
        programme: z.string(),
        form: z.string(),
        deliveryMode: z.string(),
        startsAt: z.string(),
        endsAt: z.string(),
        academicHours: z.number(),
        organiser: z.object({ id: z.string(), name: z.string(), kind: z.string(), registry: z.string() }),
        accreditedBy: z.array(z.string()).openapi({ description: "the bars whose accreditation covers this event" }),
        announcement: AnnouncementOut,
        url: z.string(),
      }),
    ),
  })
  .openapi("Calendar");

/**
 * Runs `work`; an `invalid_request` whose problems carry codes (src/domain/announcement.ts, src/domain/event.ts) comes
 * out with each problem's message, and the detail (a calendar text by name, or any `{count}` text), in the caller's
 * language.
 */
export function inLanguage<T>(lang: Lang, detail: "problems" | "filterProblems" | Record<Lang, string>, work: () => T): T {
  const translate = (err: unknown): never => {
    if (!isSenimError(err) || err.code !== "invalid_request" || !err.problems.some((p) => p.code)) throw err;
    const problems = err.problems.map((p) => ({ ...p, message: p.code ? problemText(p, lang).text : p.message }));
    const text = typeof detail === "string" ? CAL_T[detail] : detail;
    throw new SenimError(err.code, fillTemplate(t(text, lang), { count: problems.length }), { problems, extra: err.extra });
  };
  try {
    const out = work();
    return (out instanceof Promise ? out.catch(translate) : out) as T;
  } catch (err) {
    return translate(err);
  }
}

function announcementView(a: Announcement, publicUrl: string) {
  return { ...a, url: `${publicUrl}/events/${a.eventId}` };
}

function calendarEntryView(x: CalendarEntry, publicUrl: string) {
  const e = x.event;
  return {
    id: e.id,
    topic: e.topic,
    programme: e.programme,
    form: e.form,
    deliveryMode: e.deliveryMode,
    coOrganiserBarId: e.coOrganiserBarId,
    startsAt: e.startsAt,
    endsAt: e.endsAt,
    durationMinutes: e.durationMinutes,
    academicHours: academicHours(e.durationMinutes),
    trainers: e.trainers.map((tr) => tr.name),
    organiser: { ...x.organiser, registry: `${publicUrl}/providers/${x.organiser.id}` },
    accreditedBy: x.accreditedBy,
    announcement: announcementView(x.announcement, publicUrl),
    url: `${publicUrl}/events/${e.id}`,
  };
}

function eventView(e: CleEvent) {
  return { ...e, academicHours: academicHours(e.durationMinutes), ...recordingLag(e) };
}
