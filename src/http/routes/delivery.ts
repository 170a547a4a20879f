/**
 * Issue 13: what became of each participant's certificate message, and sending again (the provider's own events).
 * The console's event page shows the same (src/http/routes/console.tsx).
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { detailError } from "../problem.js";
import { requirePrincipal, type AppEnv, type Services } from "../context.js";
import * as S from "../schemas.js";

const DeliveryRowOut = z
  .object({
    certificateId: z.string(),
    participantId: z.string(),
    licenceNumber: z.string(),
    fullName: z.string(),
    state: z.enum(["queued", "retrying", "sending", "sent", "failed", "no_address", "not_queued"]),
    toAddress: z.string().nullable(),
    attempts: z.number().int(),
    lastError: z.string().nullable().openapi({ description: "the mail server's last reply, for a failed or retrying message" }),
    messageId: z.string().nullable(),
    sentAt: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
  })
  .openapi("Delivery");

const ResendIn = z.object({ certificateId: z.string().max(64).optional() }).strict().openapi("Resend");

export function registerDelivery(app: OpenAPIHono<AppEnv>, services: Services): void {
  const auth = (c: Context<AppEnv>) => requirePrincipal(c, services);
  const delivery = () => {
    if (!services.delivery) throw detailError("not_found", "console-delivery-unavailable");
    return services.delivery;
  };

  app.openapi(
    createRoute({
      method: "get", path: "/api/events/{id}/deliveries", tags: ["issuing"], security: S.BEARER,
      summary: "Per participant: the certificate message queued, sent, failed (with the server's reply) or without an address",
      request: { params: S.IdParam },
      responses: { 200: S.jsonResponse(z.object({ mailConfigured: z.boolean(), deliveries: z.array(DeliveryRowOut) }), "The deliveries"), ...S.PROBLEM_RESPONSES },
    }),
    async (c) => {
      const rows = await delivery().eventDeliveries(await auth(c), c.req.valid("param").id);
      return c.json({ mailConfigured: services.mailConfigured ?? false, deliveries: rows }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post", path: "/api/events/{id}/deliveries/resend", tags: ["issuing"], security: S.BEARER,
      summary: "Send again: one certificate's message (any state), or without certificateId every failed message and every one without an address",
      request: { params: S.IdParam, body: { content: { "application/json": { schema: ResendIn } }, required: false } },
      responses: { 200: S.jsonResponse(z.object({ requeued: z.number().int() }), "Messages queued again"), ...S.PROBLEM_RESPONSES },
    }),
    async (c) => {
      const body = c.req.valid("json") as z.infer<typeof ResendIn> | undefined;
      return c.json(await delivery().resend(await auth(c), c.req.valid("param").id, body?.certificateId), 200);
    },
  );
}
