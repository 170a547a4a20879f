/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * The advocate's side at /me (issue 13): sign-in with licence and a one-time code from the e-mail on the bar's member
 * record, then the record of a calendar year. The session cookie (HttpOnly, SameSite=Strict, path /me) holds a random
 * token whose SHA-256 is stored; every post of a signed-in page carries a CSRF token derived from it, and posts from
 * another site are refused outright, as in the consoles.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { ADVOCATE_SESSION_TTL_MS, type AdvocateService } from "../../advocates/service.js";
import type { z } from "@hono/zod-openapi";
import { SenimError, isSenimError } from "../../domain/errors.js";
import { kzDate } from "../../domain/time.js";
import type { AppEnv, Services } from "../context.js";
import { ERROR_TITLES, ME_T, pickLang, t, UI } from "../i18n.js";
import { refusalsAsPages } from "../problem.js";
import { MeCodePage, MeRecordPage, MeRefusedPage, MeSignInPage } from "../pages/me.js";
import { BODY_LIMITS } from "./api.js";
import { readSubmissionForm } from "./bookkeeping.js";

const COOKIE = "senim_me";
/** Every /me form is a few fields. */
const MAX_FORM = 8 * 1024;
/** Years shown in the selector: from the first year of the Procedure's ledgers to the current one. */
const FIRST_YEAR = 2024;

type Form = Record<string, string | File | (string | File)[]>;
const field = (form: Form, name: string): string => {
  const v = form[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === "string" ? s : "";
};

export function registerMe(app: OpenAPIHono<AppEnv>, services: Services): void {
  const { registry } = services;
  const advocates = (): AdvocateService => {
    if (!services.advocates) throw new SenimError("internal", "Advocate sign-in is not configured.");
    return services.advocates;
  };
  const publicOrigin = new URL(registry.publicUrl).origin;
  const secure = publicOrigin.startsWith("https:");

  // A refusal (CSRF, another site, a body too large, a submission's problems) is a page: /me is used by browsers.
  app.use(
    "/me/*",
    refusalsAsPages((c, e) => {
      const lang = pickLang(c);
      return <MeRefusedPage lang={lang} title={ERROR_TITLES[e.code][lang]} detail={e.message} problems={e.problems} />;
    }),
  );

  app.use("/me/*", async (c, next) => {
    if (c.req.method !== "POST") return next();
    const site = c.req.header("sec-fetch-site");
    const origin = c.req.header("origin");
    const foreign = site !== undefined ? site !== "same-origin" && site !== "none" : origin !== undefined && origin !== "null" && origin !== publicOrigin;
    if (foreign) throw new SenimError("forbidden", "Forms of /me are accepted from Senim's own pages only.");
    // An outside certificate's scan may be 10 MB (the API's own limit for it); every other form is a few fields.
    const maxSize = c.req.path === "/me/submissions" ? BODY_LIMITS.submissions : MAX_FORM;
    return bodyLimit({ maxSize, onError: () => { throw new SenimError("payload_too_large", `A /me form may be at most ${maxSize} bytes.`); } })(c, next);
  });

  const form = async (c: Context): Promise<Form> => (await c.req.parseBody({ all: true })) as Form;

  app.get("/me", async (c) => {
    const lang = pickLang(c);
    c.header("Cache-Control", "no-store");
    const token = getCookie(c, COOKIE);
    const session = await advocates().session(token);
    if (!session || !token) return c.html(<MeSignInPage lang={lang} bars={await registry.bars()} />);
    const current = Number(kzDate(registry.now()).slice(0, 4));
    const asked = c.req.query("year");
    // A year outside the selector shows the current one: the selector is the only way to pick one.
    const year = asked && /^\d{4}$/.test(asked) && Number(asked) >= FIRST_YEAR && Number(asked) <= current + 1 ? Number(asked) : current;
    const [record, bar, vocabulary, submissions] = await Promise.all([
      advocates().record(session, year),
      registry.bar(session.barId),
      registry.vocabulary(),
      services.submissions?.ofMember(session.barId, session.licence) ?? Promise.resolve([]),
    ]);
    const years = Array.from({ length: current + 1 - FIRST_YEAR + 1 }, (_, i) => current + 1 - i);
    const notice = c.req.query("submitted") === "1" ? t(ME_T.outsideSubmitted, lang) : undefined;
    return c.html(
      <MeRecordPage lang={lang} record={record} barName={bar?.names[lang] ?? session.barId} csrf={await advocates().csrfToken(token)} years={years} vocabulary={vocabulary} submissions={submissions} notice={notice} />,
    );
  });

  // The same page whatever the licence: known or not, with an e-mail or not, asked too often or not.
  app.post("/me/code", async (c) => {
    const lang = pickLang(c);
    c.header("Cache-Control", "no-store");
    const f = await form(c);
    const barId = field(f, "bar").slice(0, 100);
    const licence = field(f, "licence").slice(0, 100);
    try {
      const { challenge } = await advocates().requestCode(barId, licence, lang);
      return c.html(<MeCodePage lang={lang} challenge={challenge} />);
    } catch (e) {
      if (isSenimError(e) && e.code === "invalid_request") {
        return c.html(<MeSignInPage lang={lang} bars={await registry.bars()} error={t(ME_T.formInvalid, lang)} barId={barId} licence={licence} />, 400);
      }
      throw e;
    }
  });

  app.post("/me/sign-in", async (c) => {
    const lang = pickLang(c);
    c.header("Cache-Control", "no-store");
    const f = await form(c);
    const challenge = field(f, "challenge").slice(0, 100);
    const opened = await advocates().signIn(challenge, field(f, "code").slice(0, 20));
    if (!opened) return c.html(<MeCodePage lang={lang} challenge={challenge} error={t(ME_T.codeRefused, lang)} />, 401);
    setCookie(c, COOKIE, opened.token, { path: "/me", httpOnly: true, sameSite: "Strict", secure, maxAge: ADVOCATE_SESSION_TTL_MS / 1000 });
    return c.redirect(`/me?lang=${lang}`, 303);
  });

  /** The signed-in advocate of a post, after its CSRF token; refused (401, 403) otherwise. */
  async function signedInPost(c: Context): Promise<{ token: string; session: { barId: string; licence: string }; form: Form }> {
    const lang = pickLang(c);
    const token = getCookie(c, COOKIE);
    const f = await form(c);
    const session = await advocates().session(token);
    if (!token || !session) throw new SenimError("unauthenticated", "Sign in at /me first.");
    if (field(f, "_csrf") !== (await advocates().csrfToken(token))) throw new SenimError("forbidden", t(UI.csrfFailed, lang));
    return { token, session, form: f };
  }

  // An outside or paper certificate, through the one submission service (same limits and checks as the bar's entry).
  app.post("/me/submissions", async (c) => {
    const lang = pickLang(c);
    const { session, form: f } = await signedInPost(c);
    if (!services.submissions) throw new SenimError("not_found", "Submissions are not available on this server.");
    const input = await readSubmissionForm(f, parseOrRefuse);
    await services.submissions.submitAsAdvocate(session.barId, session.licence, input);
    return c.redirect(`/me?lang=${lang}&submitted=1`, 303);
  });

  app.post("/me/sign-out", async (c) => {
    const lang = pickLang(c);
    const { token } = await signedInPost(c);
    await advocates().signOut(token);
    deleteCookie(c, COOKIE, { path: "/me", secure });
    return c.redirect(`/me?lang=${lang}`, 303);
  });
}

/** Zod validation of a form read by hand: the same `invalid_request` with field problems as the API's. */
function parseOrRefuse<Z extends z.ZodType>(schema: Z, value: unknown): z.output<Z> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new SenimError("invalid_request", `${r.error.issues.length} problem(s) in the form.`, { problems: r.error.issues.slice(0, 50).map((i) => ({ path: i.path.map(String).join("/"), message: i.message })) });
}
