/**
 * The W3C VC API (VCALM) endpoints: /credentials/issue, /credentials/verify, /presentations/verify and
 * /credentials/status, authorised by an API key. Input that is malformed answers 400, input that is understood but
 * refused or does not verify answers 422, always as a problem document (never 200 with verified:false).
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { assertIsProvider } from "../../domain/authz.js";
import { SenimError } from "../../domain/errors.js";
import { fieldProblem } from "../../domain/field-problems.js";
import { NotACredential } from "../../credentials/checks.js";
import { isPlainObject } from "../../credentials/jwt.js";
import { verificationFailed } from "../../standards/service.js";
import { requirePrincipal, type AppEnv, type Services } from "../context.js";
import { detailError, problemResponse } from "../problem.js";
import { exceedsJsonDepth, MAX_CREDENTIAL_JSON_DEPTH } from "../../lib/json-depth.js";

const STANDARDS_BODY_LIMIT = 256 * 1024;
/** Credentials looked at in one VC API presentation; more is refused as a whole. */
const MAX_CREDENTIALS_PER_VC_API_PRESENTATION = 20;
/** Deepest nesting a credential may have here; jsonld recurses over it. */
const MAX_DEPTH = MAX_CREDENTIAL_JSON_DEPTH;

const problem = { content: { "application/problem+json": { schema: z.looseObject({ code: z.string(), detail: z.string() }) } } };
const problems = {
  400: { description: "Malformed input", ...problem },
  401: { description: "No valid API key", ...problem },
  403: { description: "Not the caller's issuer", ...problem },
  422: { description: "Understood but refused, or did not verify", ...problem },
} as const;
const jsonObject = z.record(z.string(), z.unknown());

const IssueBody = z.object({
  credential: jsonObject,
  options: z
    .object({
      securing: z.enum(["di", "jwt"]).optional().openapi({ description: "di (default): eddsa-rdfc-2022 Data Integrity; jwt: an EnvelopedVerifiableCredential carrying a vc+jwt" }),
      credentialStatus: z.array(z.object({ statusPurpose: z.enum(["revocation", "suspension"]) })).max(2).optional(),
      credentialId: z.string().min(1).max(500).optional(),
      mandatoryPointers: z.array(z.string().max(200)).max(0).optional().openapi({ description: "Selective disclosure is not offered" }),
    })
    .strict()
    .optional(),
});
const VerifyCredentialBody = z.object({ verifiableCredential: jsonObject, options: z.looseObject({}).optional() });
const VerifyPresentationBody = z.object({
  verifiablePresentation: jsonObject,
  options: z.looseObject({ challenge: z.string().min(1).max(500).optional(), domain: z.string().min(1).max(500).optional() }).optional(),
});
const StatusBody = z
  .object({
    credentialId: z.string().min(1).max(2048),
    credentialStatus: z.object({ type: z.literal("BitstringStatusListEntry"), statusPurpose: z.enum(["revocation", "suspension"]) }).loose(),
    status: z.boolean(),
    reason: z.string().min(1).max(2000).optional(),
  })
  .strict();

const json = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });

export function registerStandards(app: OpenAPIHono<AppEnv>, services: Services): void {
  const { standards, verification } = services;
  const auth = (c: Context<AppEnv>) => requirePrincipal(c, services);

  for (const path of ["/credentials/*", "/presentations/*"]) {
    app.use(path, bodyLimit({ maxSize: STANDARDS_BODY_LIMIT, onError: (c) => problemResponse(c, detailError("payload_too_large", "body-too-large", { max: STANDARDS_BODY_LIMIT })) }));
    // Who is calling is settled before what they sent is looked at.
    app.use(path, async (c, next) => {
      await auth(c);
      await next();
    });
  }

  const bounded = (value: unknown, path: string) => {
    if (exceedsJsonDepth(value, MAX_DEPTH)) throw detailError("invalid_request", "json-too-deep", { max: MAX_DEPTH }, { problems: [fieldProblem(path, "json-too-deep")] });
  };
  const notACredentialIs400 = async <T,>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      if (err instanceof NotACredential) throw new SenimError("invalid_request", err.message, err.key ? { key: err.key, ...(err.params ? { params: err.params } : {}) } : {});
      throw err;
    }
  };

  app.openapi(
    createRoute({
      method: "post", path: "/credentials/issue", tags: ["vc-api"], security: [{ bearer: [] }],
      summary: "W3C VC API: issue a credential as the calling provider (Data Integrity by default, or an enveloped vc+jwt)",
      request: { body: { content: { "application/json": { schema: IssueBody } }, required: true } },
      responses: { 201: json(z.object({ verifiableCredential: jsonObject }), "Issued"), ...problems },
    }),
    async (c) => {
      const principal = await auth(c);
      assertIsProvider(principal);
      const body = c.req.valid("json");
      bounded(body.credential, "credential");
      const verifiableCredential = await standards.issue(principal, body as never);
      return c.json({ verifiableCredential }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "post", path: "/credentials/verify", tags: ["vc-api"], security: [{ bearer: [] }],
      summary: "W3C VC API: verify a Data Integrity credential or an EnvelopedVerifiableCredential (vc+jwt). 200 verified; 422 with the checks otherwise.",
      request: { body: { content: { "application/json": { schema: VerifyCredentialBody } }, required: true } },
      responses: { 200: json(z.object({ verified: z.literal(true), checks: z.array(z.unknown()) }), "Every check passed"), ...problems },
    }),
    async (c) => {
      const { verifiableCredential } = c.req.valid("json");
      bounded(verifiableCredential, "verifiableCredential");
      const result = await notACredentialIs400(() => {
        if (!isPlainObject(verifiableCredential)) throw detailError("invalid_request", "vc-api-credential-not-object");
        // The VC API verifies secured credentials only: Data Integrity, or an enveloped vc+jwt.
        const types = Array.isArray(verifiableCredential.type) ? verifiableCredential.type : [verifiableCredential.type];
        if (verifiableCredential.proof === undefined && !types.includes("EnvelopedVerifiableCredential")) {
          throw detailError("invalid_request", "vc-api-credential-unsecured");
        }
        return verification.verify({ credential: verifiableCredential });
      });
      if (!result.verified) throw verificationFailed(result, "credential");
      return c.json({ verified: true as const, checks: result.checks, warnings: [], errors: [] }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post", path: "/presentations/verify", tags: ["vc-api"], security: [{ bearer: [] }],
      summary: "W3C VC API: verify a Data Integrity presentation (challenge, domain) or an EnvelopedVerifiablePresentation (vp+jwt), and every credential in it",
      request: { body: { content: { "application/json": { schema: VerifyPresentationBody } }, required: true } },
      responses: { 200: json(z.object({ verified: z.literal(true), checks: z.array(z.unknown()), credentialResults: z.array(z.unknown()) }), "Verified"), ...problems },
    }),
    async (c) => {
      const { verifiablePresentation, options } = c.req.valid("json");
      bounded(verifiablePresentation, "verifiablePresentation");
      // Without a challenge any presentation ever made could be replayed.
      const challenge = options?.challenge;
      if (challenge === undefined) throw detailError("invalid_request", "vc-api-challenge-required", undefined, { problems: [fieldProblem("options/challenge", "is-required")] });
      const result = await notACredentialIs400(() => verification.verifyPresentation(verifiablePresentation, { challenge, domain: options?.domain, maxCredentials: MAX_CREDENTIALS_PER_VC_API_PRESENTATION }));
      const credentialResults = result.credentials.map((r) => ({ verified: r.verified, checks: r.checks }));
      if (!result.verified) {
        throw verificationFailed({ checks: [...result.checks, ...result.credentials.flatMap((r) => r.checks)] }, "presentation", { verified: false, checks: result.checks, credentialResults });
      }
      return c.json({ verified: true as const, checks: result.checks, credentialResults }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post", path: "/credentials/status", tags: ["vc-api"], security: [{ bearer: [] }],
      summary: "W3C VC API: revoke, or suspend and lift a suspension of, a credential the caller issued",
      request: { body: { content: { "application/json": { schema: StatusBody } }, required: true } },
      responses: { 200: json(z.object({ credentialId: z.string(), statusPurpose: z.string(), status: z.boolean(), statusListCredential: z.string() }), "Updated"), ...problems },
    }),
    async (c) => {
      const principal = await auth(c);
      return c.json(await standards.updateStatus(principal, c.req.valid("json")), 200);
    },
  );
}
