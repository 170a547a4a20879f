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
import type { SelfHoursInput } from "../../compliance/service.js";
import { SenimError, isSenimError } from "../../domain/errors.js";
import { kzDate } from "../../domain/time.js";
import type { AppEnv, Services } from "../context.js";
import { ATTESTATION_T, detailText, ERROR_TITLES, ME_T, pickLang, t, UI, type Lang } from "../i18n.js";
import { validationError } from "../schemas.js";
import type { CertificateFonts } from "../pdf.js";
import { detailError, refusalsAsPages } from "../problem.js";
import { qrSvg } from "../qr.js";
import { renderTranscriptPdf, transcriptOf } from "../transcript.js";
import { MeCodePage, MeRecordPage, MeRefusedPage, MeSelfHoursPage, MeSignInPage, MeWalletOfferPage, type SelfHoursValues } from "../pages/me.js";
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

export function registerMe(app: OpenAPIHono<AppEnv>, services: Services, options: { loadFonts?: () => Promise<CertificateFonts> } = {}): void {
  const { registry } = services;
  const advocates = (): AdvocateService => {
    if (!services.advocates) throw detailError("internal", "advocate-sign-in-unconfigured");
    return services.advocates;
  };
  const publicOrigin = new URL(registry.publicUrl).origin;
  const secure = publicOrigin.startsWith("https:");

  // A refusal (CSRF, another site, a body too large, a submission's problems) is a page: /me is used by browsers.
  app.use(
    "/me/*",
    refusalsAsPages((c, e) => {
      const lang = pickLang(c);
      return <MeRefusedPage lang={lang} title={ERROR_TITLES[e.code][lang]} detail={detailText(e, lang)} problems={e.problems} />;
    }),
  );

  app.use("/me/*", async (c, next) => {
    if (c.req.method !== "POST") return next();
    const site = c.req.header("sec-fetch-site");
    const origin = c.req.header("origin");
    const foreign = site !== undefined ? site !== "same-origin" && site !== "none" : origin !== undefined && origin !== "null" && origin !== publicOrigin;
    if (foreign) throw detailError("forbidden", "me-foreign-post");
    // An outside certificate's scan may be 10 MB (the API's own limit for it); every other form is a few fields.
    const maxSize = c.req.path === "/me/submissions" ? BODY_LIMITS.submissions : MAX_FORM;
    return bodyLimit({ maxSize, onError: () => { throw detailError("payload_too_large", "me-form-too-large", { max: maxSize }); } })(c, next);
  });

  const form = async (c: Context): Promise<Form> => (await c.req.parseBody({ all: true })) as Form;

  const currentYear = () => Number(kzDate(registry.now()).slice(0, 4));
  /** The years the record offers, newest first: from the first year of the Procedure's ledgers to the next one. */
  const years = () => {
    const current = currentYear();
    return Array.from({ length: current + 1 - FIRST_YEAR + 1 }, (_, i) => current + 1 - i);
  };
  /** `?year=` when it is one of {@link years}; `undefined` otherwise. */
  const yearAsked = (asked: string | undefined): number | undefined =>
    asked && /^\d{4}$/.test(asked) && Number(asked) >= FIRST_YEAR && Number(asked) <= currentYear() + 1 ? Number(asked) : undefined;
  // What a notice on the record says after a post, by the `?done=` the post redirects with.
  const NOTICES = { submitted: ME_T.outsideSubmitted, added: ME_T.selfAdded, saved: ME_T.selfSaved, deleted: ME_T.selfDeleted } as const;

  app.get("/me", async (c) => {
    const lang = pickLang(c);
    c.header("Cache-Control", "no-store");
    const token = getCookie(c, COOKIE);
    const session = await advocates().session(token);
    if (!session || !token) return c.html(<MeSignInPage lang={lang} bars={await registry.bars()} />);
    // A year outside the selector shows the current one: the selector is the only way to pick one.
    const year = yearAsked(c.req.query("year")) ?? currentYear();
    const [record, bar, vocabulary, submissions, attestations] = await Promise.all([
      advocates().record(session, year),
      registry.bar(session.barId),
      registry.vocabulary(),
      services.submissions?.ofMember(session.barId, session.licence) ?? Promise.resolve([]),
      // 12.1, 12.2: the bar's signed annual attestations of this member, every year.
      services.attestations?.ofMember(session.barId, session.licence),
    ]);
    const done = c.req.query("submitted") === "1" ? "submitted" : c.req.query("done");
    const notice = done && Object.hasOwn(NOTICES, done) ? t(NOTICES[done as keyof typeof NOTICES], lang) : undefined;
    const mine = attestations?.map((a) => ({ id: a.id, year: a.year, url: a.url, requiredHours: a.requiredHours, verifiedHours: a.verifiedHours, revoked: a.revokedAt !== null, closingStands: a.closingStands }));
    return c.html(
      <MeRecordPage lang={lang} record={record} barName={bar?.names[lang] ?? session.barId} csrf={await advocates().csrfToken(token)} years={years()} vocabulary={vocabulary} submissions={submissions} notice={notice} attestations={mine} />,
    );
  });

  // The year's transcript: what the record shows, as one PDF with every credited certificate's verification link.
  app.get("/me/transcript.pdf", async (c) => {
    const lang = pickLang(c);
    c.header("Cache-Control", "no-store");
    const session = await advocates().session(getCookie(c, COOKIE));
    if (!session) throw new SenimError("unauthenticated", t(ME_T.signInFirst, lang));
    const asked = c.req.query("year");
    const year = asked === undefined ? currentYear() : yearAsked(asked);
    if (year === undefined) throw new SenimError("invalid_request", t(ME_T.transcriptBadYear, lang));
    if (!options.loadFonts) throw detailError("internal", "fonts-missing-pdfs");
    const [record, bar, vocabulary, submissions, fonts] = await Promise.all([
      advocates().record(session, year),
      registry.bar(session.barId),
      registry.vocabulary(),
      services.submissions?.ofMember(session.barId, session.licence) ?? Promise.resolve([]),
      options.loadFonts(),
    ]);
    const transcript = transcriptOf(record, {
      lang, barName: bar?.names[lang] ?? session.barId, vocabulary, submissions, certificateUrl: (id) => services.issuance.certificateUrl(id), today: kzDate(registry.now()),
    });
    return c.body((await renderTranscriptPdf(transcript, fonts)) as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="senim-transcript-${year}.pdf"`,
      "Cache-Control": "no-store",
    });
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
    if (!token || !session) throw new SenimError("unauthenticated", t(ME_T.signInFirst, lang));
    if (field(f, "_csrf") !== (await advocates().csrfToken(token))) throw new SenimError("forbidden", t(UI.csrfFailed, lang));
    return { token, session, form: f };
  }

  // An outside or paper certificate, through the one submission service (same limits and checks as the bar's entry).
  app.post("/me/submissions", async (c) => {
    const lang = pickLang(c);
    const { session, form: f } = await signedInPost(c);
    if (!services.submissions) throw detailError("not_found", "submissions-unavailable");
    const input = await readSubmissionForm(f, parseOrRefuse);
    await services.submissions.submitAsAdvocate(session.barId, session.licence, input);
    return c.redirect(`/me?lang=${lang}&submitted=1`, 303);
  });

  // "Add to wallet" (2.2.3): the offer of one of the advocate's own certificates, its QR code and PIN on this screen.
  app.post("/me/certificates/:id{[0-9a-z]{1,40}}/wallet", async (c) => {
    const lang = pickLang(c);
    c.header("Cache-Control", "no-store");
    const { session } = await signedInPost(c);
    const offer = await localised(services.wallet.oid4vci.createOfferForMember(session, c.req.param("id")), "not_found", t(ME_T.walletNotFound, lang));
    return c.html(<MeWalletOfferPage lang={lang} link={offer.offer} pin={offer.txCode} expiresAt={offer.expiresAt} qrSvg={await qrSvg(offer.offer)} />);
  });

  // 12.1, 12.2: the same for the bar's annual attestation of the advocate (only the member it names, while it stands).
  app.post("/me/attestations/:id{[0-9a-z]{1,40}}/wallet", async (c) => {
    const lang = pickLang(c);
    c.header("Cache-Control", "no-store");
    const { session } = await signedInPost(c);
    const offer = await localised(services.wallet.oid4vci.createAttestationOfferForMember(session, c.req.param("id")), "not_found", t(ATTESTATION_T.meWalletNotFound, lang));
    return c.html(<MeWalletOfferPage lang={lang} link={offer.offer} pin={offer.txCode} expiresAt={offer.expiresAt} qrSvg={await qrSvg(offer.offer)} title={t(ATTESTATION_T.meWalletTitle, lang)} />);
  });

  // Self-recorded hours (2.2(2)): the advocate's own, added, changed and deleted here; never counted.
  async function selfHoursPage(c: Context, lang: Lang, action: string, csrf: string, values: SelfHoursValues, e: SenimError) {
    const page = <MeSelfHoursPage lang={lang} action={`${action}?lang=${lang}`} adding={action === "/me/self-recorded"} csrf={csrf} vocabulary={await registry.vocabulary()} years={years()} values={values} problems={e.problems} />;
    return c.html(page, e.code === "invalid_request" ? 400 : 422);
  }
  /** Runs a change of self-recorded hours; its refusals of the fields come back as the form with each problem. */
  async function selfHoursChange(c: Context, action: string, change: (session: { barId: string; licence: string }, input: SelfHoursInput) => Promise<unknown>, done: "added" | "saved") {
    const lang = pickLang(c);
    const { token, session, form: f } = await signedInPost(c);
    const { values, input } = readSelfHours(f);
    try {
      await localised(change(session, input), "not_found", t(ME_T.selfNotFound, lang));
    } catch (e) {
      if (isSenimError(e) && e.problems.some((p) => p.code?.startsWith("self_hours_"))) return selfHoursPage(c, lang, action, await advocates().csrfToken(token), values, e);
      throw e;
    }
    return c.redirect(`/me?lang=${lang}&year=${input.year}&done=${done}`, 303);
  }

  app.post("/me/self-recorded", (c) => selfHoursChange(c, "/me/self-recorded", (m, input) => services.compliance.recordOwnSelfHours(m, input), "added"));

  app.post("/me/self-recorded/:id{[0-9a-z]{1,40}}", (c) => {
    const id = c.req.param("id");
    return selfHoursChange(c, `/me/self-recorded/${id}`, (m, input) => services.compliance.updateOwnSelfHours(m, id, input), "saved");
  });

  app.post("/me/self-recorded/:id{[0-9a-z]{1,40}}/delete", async (c) => {
    const lang = pickLang(c);
    const { session } = await signedInPost(c);
    await localised(services.compliance.deleteOwnSelfHours(session, c.req.param("id")), "not_found", t(ME_T.selfNotFound, lang));
    return c.redirect(`/me?lang=${lang}&done=deleted`, 303);
  });

  app.post("/me/sign-out", async (c) => {
    const lang = pickLang(c);
    const { token } = await signedInPost(c);
    await advocates().signOut(token);
    deleteCookie(c, COOKIE, { path: "/me", secure });
    return c.redirect(`/me?lang=${lang}`, 303);
  });
}

/** A refusal of `code` said in the page's language instead of the service's English (the same code and status). */
async function localised<T>(work: Promise<T>, code: "not_found", text: string): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (isSenimError(e) && e.code === code) throw new SenimError(code, text);
    throw e;
  }
}

/**
 * The self-recorded hours form as sent, and as the service takes it: the amount is academic hours (45 minutes, 10.6)
 * or minutes, a decimal comma or point; whatever is not a number becomes NaN, which the service refuses by name.
 */
function readSelfHours(f: Form): { values: SelfHoursValues; input: SelfHoursInput } {
  const values: SelfHoursValues = {
    year: field(f, "year").trim().slice(0, 10),
    amount: field(f, "amount").trim().slice(0, 20),
    unit: field(f, "unit") === "minutes" ? "minutes" : "hours",
    programme: field(f, "programme").slice(0, 40),
    description: field(f, "description").slice(0, 2000),
  };
  const amount = /^\d{1,6}([.,]\d{1,2})?$/.test(values.amount) ? Number(values.amount.replace(",", ".")) : Number.NaN;
  return {
    values,
    input: {
      year: /^\d{4}$/.test(values.year) ? Number(values.year) : Number.NaN,
      minutes: values.unit === "minutes" ? amount : Math.round(amount * 45),
      programme: values.programme,
      description: values.description,
    },
  };
}

/** Zod validation of a form read by hand: the same `invalid_request` with field problems as the API's. */
function parseOrRefuse<Z extends z.ZodType>(schema: Z, value: unknown): z.output<Z> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw validationError(r.error.issues, "form");
}
