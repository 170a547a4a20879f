/**
 * Issue 17, the audit log over HTTP: `GET /api/audit` (the RBA's admin every entry, a bar's admin its own bar's),
 * `POST /api/audit/checkpoints` (the RBA's admin signs the head now) and the public `GET /audit/checkpoint`, the latest
 * signed head, which anyone may keep to check the log later (docs/audit.md).
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { AUDIT_ACTIONS } from "../../domain/audit.js";
import { detailError } from "../problem.js";
import { AUDIT_PAGE_MAX, type AuditService } from "../../registry/audit.js";
import { requirePrincipal, type AppEnv, type Services } from "../context.js";
import { BEARER, jsonResponse, PROBLEM_RESPONSES } from "../schemas.js";

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

const AuditEntryOut = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    actor: z.object({ role: z.string(), keyId: z.string().openapi({ description: "The API key's id (`env`: SENIM_ADMIN_TOKEN); never a token" }) }),
    action: z.enum(AUDIT_ACTIONS),
    barId: z.string().nullable().openapi({ description: "The bar whose record the act is; null for RBA-wide acts" }),
    subjects: z.array(z.string()).openapi({ description: "Ids of what was acted on" }),
    digest: hex64.openapi({ description: "SHA-256 of the act's content as canonical JSON" }),
    prevHash: hex64,
    hash: hex64.openapi({ description: "SHA-256(prevHash ‖ canonical JSON of the entry without hash)" }),
  })
  .openapi("AuditEntry");

const CheckpointOut = z
  .object({
    seq: z.number().int(),
    hash: hex64,
    at: z.string(),
    jws: z.string().openapi({ description: "Compact JWS (EdDSA, typ senim-audit-checkpoint+jwt) by the RBA's did:web key over { iss, seq, hash, at }" }),
  })
  .openapi("AuditCheckpoint");

const AuditQuery = z.object({
  after: z.coerce.number().int().min(0).default(0).openapi({ param: { name: "after", in: "query" }, description: "Entries with a greater seq" }),
  limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(100).openapi({ param: { name: "limit", in: "query" } }),
});

export function registerAudit(app: OpenAPIHono<AppEnv>, services: Services): void {
  const auth = (c: Context<AppEnv>) => requirePrincipal(c, services);
  const audit = (): AuditService => {
    if (!services.audit) throw detailError("not_found", "audit-log-unavailable");
    return services.audit;
  };

  app.openapi(
    createRoute({
      method: "get", path: "/api/audit", tags: ["audit"], security: BEARER,
      summary: "The audit log after a seq, in chain order (rba-admin: every entry; bar-admin: its own bar's; providers: 403)",
      request: { query: AuditQuery },
      responses: { 200: jsonResponse(z.object({ entries: z.array(AuditEntryOut), head: z.object({ seq: z.number().int(), hash: hex64 }) }), "A page of entries and the log's head"), ...PROBLEM_RESPONSES },
    }),
    async (c) => c.json(await audit().list(await auth(c), c.req.valid("query")), 200),
  );

  app.openapi(
    createRoute({
      method: "post", path: "/api/audit/checkpoints", tags: ["audit"], security: BEARER,
      summary: "Sign the log's head now with the RBA's key (rba-admin only); also done daily",
      responses: { 201: jsonResponse(CheckpointOut, "The checkpoint"), ...PROBLEM_RESPONSES },
    }),
    async (c) => c.json(await audit().checkpoint(await auth(c)), 201),
  );

  app.openapi(
    createRoute({
      method: "get", path: "/audit/checkpoint", tags: ["audit"],
      summary: "The latest signed head of the audit log (public; docs/audit.md says how to check it offline)",
      responses: { 200: jsonResponse(CheckpointOut, "The latest checkpoint"), 404: PROBLEM_RESPONSES[404] },
    }),
    async (c) => {
      const latest = await audit().latestCheckpoint();
      if (!latest) throw detailError("not_found", "audit-checkpoint-none");
      return c.json(latest, 200, { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" });
    },
  );
}
