/**
 * Issue 13, reminders over HTTP: a bar's reminder dates for a year and the log of who was reminded (the bar's admin,
 * and the RBA's: `assertMayManageReminders`). The bar console's page (routes/console-bookkeeping.tsx) calls the same
 * service with the same schemas.
 */
import { createRoute, z, type OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import type { Context } from "hono";
import { detailError } from "../problem.js";
import { MAX_REMINDER_DATES } from "../../domain/reminders.js";
import type { ReminderService } from "../../compliance/reminders.js";
import { requirePrincipal, type AppEnv, type Services } from "../context.js";
import { barParam, BEARER, jsonResponse, PROBLEM_RESPONSES } from "../schemas.js";

const yearParam = z.coerce.number().int().min(2000).max(2100).openapi({ param: { name: "year", in: "path" }, example: 2026 });

/**
 * The dates' shape only; what makes a date acceptable (a real date within the year, none twice, at most 12) is the
 * domain's rule (validateReminderDates), whose problems carry codes a page can say in its language.
 */
export const ReminderDatesIn = z
  .object({
    dates: z
      .array(z.string().max(40))
      .max(100)
      .openapi({ description: `YYYY-MM-DD dates within the year, at most ${MAX_REMINDER_DATES}, each once (sorted on storing); [] sends no reminders that year`, example: ["2026-10-15", "2026-12-01"] }),
  })
  .strict()
  .openapi("ReminderDates");

const ScheduleOut = z
  .object({
    barId: z.string(),
    year: z.number().int(),
    configured: z.boolean().openapi({ description: "false: the bar has not set dates for the year, the defaults apply" }),
    dates: z.array(z.string()),
    defaults: z.array(z.string()),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
  })
  .openapi("ReminderSchedule");

const LogOut = z
  .object({
    barId: z.string(),
    year: z.number().int(),
    schedule: ScheduleOut,
    dates: z.array(
      z.object({
        date: z.string(),
        state: z.enum(["scheduled", "due", "done", "superseded", "missed"]).openapi({ description: "superseded: closed without reminding, as a later date was due too; missed: the year ended before it could run" }),
        completedAt: z.string().nullable(),
        supersededBy: z.string().nullable(),
        reminded: z.number().int(),
      }),
    ),
    reminders: z.array(
      z.object({
        id: z.string(),
        date: z.string(),
        licence: z.string(),
        fullName: z.string(),
        toAddress: z.string().nullable(),
        lang: z.enum(["kk", "ru", "en"]).nullable().openapi({ description: "null: Kazakh and Russian together" }),
        verifiedHours: z.number(),
        requiredHours: z.number(),
        shortHours: z.number(),
        foundationsMissing: z.boolean(),
        queuedAt: z.string(),
        state: z.enum(["queued", "retrying", "sending", "sent", "failed", "no_address"]),
        attempts: z.number().int(),
        sentAt: z.string().nullable(),
        lastError: z.string().nullable().openapi({ description: "the mail server's last reply, for a failed or retrying message" }),
      }),
    ),
  })
  .openapi("ReminderLog");

export function registerReminders(app: OpenAPIHono<AppEnv>, services: Services): void {
  const auth = (c: Context<AppEnv>) => requirePrincipal(c, services);
  const reminders = (): ReminderService => {
    if (!services.reminders) throw detailError("not_found", "reminders-unavailable");
    return services.reminders;
  };
  const route = <R extends RouteConfig>(r: R) => createRoute({ tags: ["bookkeeping"], security: BEARER, ...r });
  const params = z.object({ barId: barParam, year: yearParam });

  app.openapi(
    route({
      method: "get", path: "/api/bars/{barId}/reminders/{year}", summary: "The year's reminder dates (the defaults, 1 November and 1 December, until the bar sets its own)",
      request: { params }, responses: { 200: jsonResponse(ScheduleOut, "The dates"), ...PROBLEM_RESPONSES },
    }),
    async (c) => {
      const { barId, year } = c.req.valid("param");
      return c.json(await reminders().schedule(await auth(c), barId, year), 200);
    },
  );

  app.openapi(
    route({
      method: "put", path: "/api/bars/{barId}/reminders/{year}",
      summary: "Set the year's reminder dates: on each, from its start in Kazakhstan time, members short of the requirement are reminded once by e-mail",
      request: { params, body: { content: { "application/json": { schema: ReminderDatesIn } }, required: true } },
      responses: { 200: jsonResponse(ScheduleOut, "The dates as stored"), ...PROBLEM_RESPONSES },
    }),
    async (c) => {
      const { barId, year } = c.req.valid("param");
      return c.json(await reminders().setSchedule(await auth(c), barId, year, c.req.valid("json").dates), 200);
    },
  );

  app.openapi(
    route({
      method: "get", path: "/api/bars/{barId}/reminders/{year}/log",
      summary: "Who was reminded: per date its state and count, per reminder the member, hours and requirement when sent, and the message's delivery state",
      request: { params }, responses: { 200: jsonResponse(LogOut, "The log"), ...PROBLEM_RESPONSES },
    }),
    async (c) => {
      const { barId, year } = c.req.valid("param");
      return c.json(await reminders().log(await auth(c), barId, year), 200);
    },
  );
}
