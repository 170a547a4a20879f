/**
 * Issue 14, closing a bar's year over HTTP (12.1, 12.2, 13.1): close on a chosen date, reopen with a reason, the
 * closing's state and history, the frozen snapshot exactly as stored (its SHA-256 is the digest), and the measures
 * taken for members short in the closed year. The bar's own admin and the RBA's close, reopen and record measures
 * (`assertMayCloseYear`); whoever reads the bar's reports reads the closing. The compliance report of a closed year
 * (`/api/bars/{barId}/compliance/{year}`, every form of it) is the snapshot: ComplianceService.report serves it.
 */
import { createRoute, z, type OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import type { Context } from "hono";
import { CLOSING_TEXT_MAX, type YearClosingService } from "../../compliance/closing.js";
import { detailError } from "../problem.js";
import { fieldProblem } from "../../domain/field-problems.js";
import { requirePrincipal, type AppEnv, type Services } from "../context.js";
import { barParam, BEARER, jsonResponse, PROBLEM_RESPONSES } from "../schemas.js";

const yearParam = z.coerce.number().int().min(2000).max(2100).openapi({ param: { name: "year", in: "path" }, example: 2026 });
const licenceParam = z.string().min(1).max(40).openapi({ param: { name: "licence", in: "path" } });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD");

export const CloseIn = z
  .object({ closedOn: date.openapi({ description: "The date the bar closes the year on (its presidium's decision): after the year, not after today", example: "2027-01-15" }) })
  .openapi("YearCloseInput");
export const ReopenIn = z
  .object({ reason: z.string().trim().min(1).max(CLOSING_TEXT_MAX).openapi({ description: "Why the year is reopened; kept on record with the closing it ends" }) })
  .openapi("YearReopenInput");
export const MeasureIn = z
  .object({
    decision: z.string().trim().min(1).max(CLOSING_TEXT_MAX).openapi({ description: "13.1: the measure taken, as the bar decided it (free text)" }),
    decidedOn: date.openapi({ description: "When it was decided: after the year, not after today" }),
  })
  .openapi("YearMeasureInput");

const ClosingOut = z
  .object({
    id: z.string(),
    barId: z.string(),
    year: z.number().int(),
    closedOn: z.string(),
    closedAt: z.string().openapi({ description: "When the snapshot was taken: what is issued, presented or accepted later is late" }),
    closedBy: z.string(),
    digest: z.string().openapi({ description: "SHA-256 (hex) of the snapshot's canonical JSON, exactly as GET …/closing/snapshot serves it" }),
    reopenedAt: z.string().nullable(),
    reopenedBy: z.string().nullable(),
    reopenReason: z.string().nullable(),
  })
  .openapi("YearClosing");
const MeasureOut = z
  .object({ barId: z.string(), year: z.number().int(), licence: z.string(), decision: z.string(), decidedOn: z.string(), recordedAt: z.string(), recordedBy: z.string() })
  .openapi("YearMeasure");
const StateOut = z
  .object({
    barId: z.string(),
    year: z.number().int(),
    yearEnded: z.boolean().openapi({ description: "Whether the year has ended in Kazakhstan (only then may it be closed)" }),
    closed: z.boolean(),
    current: ClosingOut.nullable(),
    history: z.array(ClosingOut).openapi({ description: "Every closing, oldest first; reopened ones with who reopened them, when and why" }),
    measures: z.array(MeasureOut),
  })
  .openapi("YearClosingState");

/** RFC 9530 `Repr-Digest` of the served bytes, from the closing's hex SHA-256. */
const reprDigest = (hex: string) => `sha-256=:${btoa(String.fromCharCode(...(hex.match(/../g) ?? []).map((h) => parseInt(h, 16))))}:`;

export function registerYearClosing(app: OpenAPIHono<AppEnv>, services: Services): void {
  const auth = (c: Context<AppEnv>) => requirePrincipal(c, services);
  const closing = (): YearClosingService => {
    if (!services.closing) throw detailError("not_found", "closing-unavailable");
    return services.closing;
  };
  const route = <R extends RouteConfig>(r: R) => createRoute({ tags: ["bookkeeping"], security: BEARER, ...r });
  const params = z.object({ barId: barParam, year: yearParam });

  app.openapi(
    route({
      method: "post", path: "/api/bars/{barId}/years/{year}/close",
      summary: "12.1, 12.2: close the year on a chosen date, freezing its compliance report (a stored snapshot with its SHA-256); 422 before the year has ended in Kazakhstan, 409 when closed already",
      request: { params, body: { content: { "application/json": { schema: CloseIn } }, required: true } },
      responses: { 201: jsonResponse(StateOut, "The year, closed"), ...PROBLEM_RESPONSES },
    }),
    async (c) => {
      const { barId, year } = c.req.valid("param");
      return c.json(await closing().close(await auth(c), barId, year, c.req.valid("json")), 201);
    },
  );

  app.openapi(
    route({
      method: "post", path: "/api/bars/{barId}/years/{year}/reopen",
      summary: "Reopen a closed year, with a reason that stays on record (the closing is kept, marked reopened); 409 when not closed",
      request: { params, body: { content: { "application/json": { schema: ReopenIn } }, required: true } },
      responses: { 200: jsonResponse(StateOut, "The year, reopened"), ...PROBLEM_RESPONSES },
    }),
    async (c) => {
      const { barId, year } = c.req.valid("param");
      return c.json(await closing().reopen(await auth(c), barId, year, c.req.valid("json")), 200);
    },
  );

  app.openapi(
    route({
      method: "get", path: "/api/bars/{barId}/years/{year}/closing",
      summary: "Whether the year is closed, with its digest, every closing (reopened ones with their reasons) and the measures recorded",
      request: { params }, responses: { 200: jsonResponse(StateOut, "The closing"), ...PROBLEM_RESPONSES },
    }),
    async (c) => {
      const { barId, year } = c.req.valid("param");
      return c.json(await closing().state(await auth(c), barId, year), 200);
    },
  );

  app.openAPIRegistry.registerPath({
    method: "get", path: "/api/bars/{barId}/years/{year}/closing/snapshot", tags: ["bookkeeping"], security: BEARER,
    summary: "The frozen report exactly as stored (canonical JSON: sorted keys, no white space); its SHA-256 is the closing's digest, also sent as Repr-Digest. ?closing= for an earlier, reopened closing",
    request: { params, query: z.object({ closing: z.string().regex(/^[0-9a-z]{1,40}$/).optional() }) },
    responses: { 200: { description: "The snapshot", content: { "application/json": { schema: z.record(z.string(), z.unknown()) } } }, ...PROBLEM_RESPONSES },
  });
  app.get("/api/bars/:barId{[a-z-]{2,40}}/years/:year{[0-9]{4}}/closing/snapshot", async (c) => {
    const asked = c.req.query("closing");
    if (asked !== undefined && !/^[0-9a-z]{1,40}$/.test(asked)) throw detailError("invalid_request", "closing-id-invalid", undefined, { problems: [fieldProblem("closing", "not-an-id")] });
    const { closing: which, text } = await closing().snapshotText(await auth(c), c.req.param("barId"), Number(c.req.param("year")), asked);
    return c.body(text, 200, {
      "Content-Type": "application/json; charset=UTF-8",
      "Repr-Digest": reprDigest(which.digest),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    });
  });

  app.openapi(
    route({
      method: "put", path: "/api/bars/{barId}/years/{year}/measures/{licence}",
      summary: "13.1: record the measure taken for a member short in the closed year (free text and its date), shown on the report; 409 when the year is not closed, 422 for a member not short",
      request: { params: params.extend({ licence: licenceParam }), body: { content: { "application/json": { schema: MeasureIn } }, required: true } },
      responses: { 200: jsonResponse(MeasureOut, "The measure"), ...PROBLEM_RESPONSES },
    }),
    async (c) => {
      const { barId, year, licence } = c.req.valid("param");
      return c.json(await closing().recordMeasure(await auth(c), barId, year, licence, c.req.valid("json")), 200);
    },
  );
}
