/**
 * 10.3 over HTTP: a bar's presidium approves the programmes' indicative content. The bar's own admin (the RBA's admin
 * for the RBA) records an approval with PUT; it supersedes the one in force, which stays in the history. Reading is
 * public, like the registry it is published with (8.3): the current approval and the history of one programme, and
 * the approvals in force of every programme of a bar.
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { PROGRAMMES } from "../../domain/catalog.js";
import { detailError } from "../problem.js";
import { DECISION_NUMBER_MAX, PROGRAMME_CONTENT_MAX } from "../../domain/programme-content.js";
import type { ProgrammeContentService } from "../../registry/programme-content.js";
import { requirePrincipal, type AppEnv, type Services } from "../context.js";
import { barParam, BEARER, jsonResponse, PROBLEM_RESPONSES } from "../schemas.js";

const programmeParam = z.enum(PROGRAMMES).openapi({ param: { name: "programme", in: "path" }, example: "criminal", description: "10.1: one of the four programmes" });
const contentText = z.string().trim().max(PROGRAMME_CONTENT_MAX).nullish();

export const ProgrammeApprovalIn = z
  .object({
    content: z
      .object({ kk: contentText, ru: contentText, en: contentText })
      .strict()
      .openapi({ description: `The approved indicative content, as the presidium approved it: in Kazakh, Russian and/or English (at least one), each at most ${PROGRAMME_CONTENT_MAX} characters` }),
    decisionNumber: z.string().trim().min(1).max(DECISION_NUMBER_MAX).openapi({ description: "The presidium decision's number", example: "14-П" }),
    decisionDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD").openapi({ description: "The decision's date: not after today, nor before the approval in force", example: "2026-02-10" }),
  })
  .strict()
  .openapi("ProgrammeApprovalInput");

const ApprovalOut = z
  .object({
    id: z.string(),
    barId: z.string(),
    programme: z.enum(PROGRAMMES),
    content: z.object({ kk: z.string().nullable(), ru: z.string().nullable(), en: z.string().nullable() }),
    decisionNumber: z.string(),
    decisionDate: z.string(),
    recordedAt: z.string(),
    supersededBy: z.string().nullable().openapi({ description: "The approval that superseded this one; null for the one in force" }),
  })
  .openapi("ProgrammeApproval");
const StateOut = z
  .object({
    barId: z.string(),
    programme: z.enum(PROGRAMMES),
    current: ApprovalOut.nullable().openapi({ description: "The approval in force; null before any is recorded" }),
    history: z.array(ApprovalOut).openapi({ description: "Every approval, newest first (the first is the one in force)" }),
  })
  .openapi("ProgrammeContent");
const BarOut = z
  .object({ barId: z.string(), programmes: z.array(z.object({ programme: z.enum(PROGRAMMES), current: ApprovalOut.nullable() })) })
  .openapi("BarProgrammeContent");

export function registerProgrammeContent(app: OpenAPIHono<AppEnv>, services: Services): void {
  const content = (): ProgrammeContentService => {
    if (!services.programmeContent) throw detailError("not_found", "programme-content-unavailable");
    return services.programmeContent;
  };
  const params = z.object({ barId: barParam, programme: programmeParam });

  app.openapi(
    createRoute({
      method: "put", path: "/api/bars/{barId}/programmes/{programme}/content", tags: ["registry"], security: BEARER,
      summary: "10.3: record the bar presidium's approval of the programme's indicative content (its decision's number and date); it supersedes the one in force, which stays in the history. The bar's own admin only (the RBA's admin for the RBA)",
      request: { params, body: { content: { "application/json": { schema: ProgrammeApprovalIn } }, required: true } },
      responses: { 200: jsonResponse(StateOut, "The approval recorded: the programme's content now"), ...PROBLEM_RESPONSES },
    }),
    async (c) => {
      const { barId, programme } = c.req.valid("param");
      const body = c.req.valid("json");
      const approval = { ...body, content: { kk: body.content.kk ?? null, ru: body.content.ru ?? null, en: body.content.en ?? null } };
      return c.json(await content().approve(await requirePrincipal(c, services), barId, programme, approval), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get", path: "/api/bars/{barId}/programmes/{programme}/content", tags: ["registry"],
      summary: "10.3: the programme's indicative content approved by the bar, in force and every earlier approval (public, as the registry is)",
      request: { params },
      responses: { 200: jsonResponse(StateOut, "The programme's approved content"), ...PROBLEM_RESPONSES },
    }),
    async (c) => {
      const { barId, programme } = c.req.valid("param");
      return c.json(await content().state(barId, programme), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get", path: "/api/bars/{barId}/programmes", tags: ["registry"],
      summary: "10.3: each programme (10.1) with the indicative content the bar approved, in force (public)",
      request: { params: z.object({ barId: barParam }) },
      responses: { 200: jsonResponse(BarOut, "The bar's programmes"), ...PROBLEM_RESPONSES },
    }),
    async (c) => {
      const { barId } = c.req.valid("param");
      return c.json({ barId, programmes: await content().currentForBar(barId) }, 200);
    },
  );
}
