/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * The web consoles behind API-key sign-in. A form sets a session cookie (HttpOnly, SameSite=Strict, Secure over
 * https) that holds a random session token, never the API key; every form post carries a CSRF token. The handlers
 * call the same services as the API with the same principal, so the same rules (src/domain/authz.ts) decide.
 */
import type { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { administeredBar, describePrincipal, type Principal } from "../../domain/authz.js";
import { SenimError } from "../../domain/errors.js";
import { kzDate } from "../../domain/time.js";
import type { SessionService } from "../../console/sessions.js";
import { SESSION_TTL_MS } from "../../console/sessions.js";
import { importParticipantsCsv } from "../../issuance/participant-csv.js";
import type { AppEnv, Services } from "../context.js";
import { BK, DELIVERY_T, ERROR_TITLES, LISTS_T, pickLang, t, UI, type Lang } from "../i18n.js";
import { fillTemplate } from "../../lib/csv.js";
import { BarBookkeepingNav } from "../pages/console-bookkeeping.js";
import { BarHome, ConsoleErrorPage, ConsoleRefusedPage, EventPage, ProviderHome, SignInPage, TRAINER_ROWS, type ConsoleFrame } from "../pages/console.js";
import { httpStatusOf, refusalsAsPages, toSenimError } from "../problem.js";
import * as S from "../schemas.js";
import { BODY_LIMITS, inLanguage } from "./api.js";
import { registerBookkeepingConsole } from "./console-bookkeeping.js";
import { registerParticipantListsConsole } from "./participant-lists.js";

export const SESSION_COOKIE = "senim_session";
const ID = "[0-9a-z]{1,40}";

type Form = Record<string, string | File | (string | File)[]>;

/** One value of a form field as text ("" when absent or a file). */
const field = (form: Form, name: string): string => {
  const v = form[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === "string" ? first.trim() : "";
};
const fields = (form: Form, name: string): string[] => {
  const v = form[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === "string" && x !== "");
};

/** `<input type=datetime-local>` sends wall-clock time without an offset: it is Kazakhstan time (UTC+05:00). */
const kzLocal = (value: string): string => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00+05:00` : value);

export function registerConsole(app: OpenAPIHono<AppEnv>, services: Services): void {
  const { registry, issuance } = services;
  const sessions = (): SessionService => {
    if (!services.sessions) throw new SenimError("internal", "Console sessions are not configured.");
    return services.sessions;
  };
  // The public URL says whether browsers reach Senim over https, even when TLS ends at a proxy in front of it.
  const publicOrigin = new URL(registry.publicUrl).origin;
  const secure = (_c: Context) => publicOrigin.startsWith("https:");

  // A refusal thrown before a page could handle it (CSRF, another site, a body too large) is shown as a page too:
  // the consoles are used by browsers, not API clients.
  app.use(
    "/console/*",
    refusalsAsPages((c, e) => {
      const lang = pickLang(c);
      return <ConsoleRefusedPage lang={lang} title={ERROR_TITLES[e.code][lang]} detail={e.message} />;
    }),
  );

  // Body limits: a participant list may be large; every other console form is small. A post from another site is
  // refused outright (Sec-Fetch-Site, else Origin; besides SameSite=Strict and the CSRF token), which also covers sign-in.
  app.use("/console/*", async (c, next) => {
    if (c.req.method !== "POST") return next();
    // Fetch metadata first: with Referrer-Policy no-referrer a browser sends `Origin: null` even from our own pages.
    const site = c.req.header("sec-fetch-site");
    const origin = c.req.header("origin");
    const foreign = site !== undefined ? site !== "same-origin" && site !== "none" : origin !== undefined && origin !== "null" && origin !== publicOrigin;
    if (foreign) throw new SenimError("forbidden", "Console forms are accepted from Senim's own pages only.");
    const maxSize = c.req.path.endsWith("/participants") || c.req.path === "/console/members/import" ? BODY_LIMITS.participants : c.req.path === "/console/submissions/new" ? BODY_LIMITS.submissions : BODY_LIMITS.default;
    return bodyLimit({ maxSize, onError: () => { throw new SenimError("payload_too_large", `A console form may be at most ${maxSize} bytes.`); } })(c, next);
  });

  // ---- sign-in --------------------------------------------------------------------------------------------------

  app.get("/console/sign-in", (c) => {
    c.header("Cache-Control", "no-store");
    return c.html(<SignInPage lang={pickLang(c)} />);
  });

  app.post("/console/sign-in", async (c) => {
    const lang = pickLang(c);
    const form = (await c.req.parseBody()) as Form;
    const opened = await sessions().signIn(field(form, "apiKey").slice(0, 200));
    if (!opened) return c.html(<SignInPage lang={lang} error={t(UI.signInFailed, lang)} />, 401);
    setCookie(c, SESSION_COOKIE, opened.token, { path: "/console", httpOnly: true, sameSite: "Strict", secure: secure(c), maxAge: SESSION_TTL_MS / 1000 });
    return c.redirect("/console", 303);
  });

  app.get("/console", async (c) => {
    c.header("Cache-Control", "no-store");
    const session = await signedIn(c);
    if (!session) return c.redirect("/console/sign-in", 303);
    const { principal, frame } = session;
    const notice = c.req.query("done") ? t(UI.done, frame.lang) : undefined;
    if (principal.role === "provider") {
      const [vocabulary, bars] = await Promise.all([registry.vocabulary(), registry.bars()]);
      const party = await registry.requireParty(principal.partyId);
      return c.html(<ProviderHome frame={frame} party={party} events={await issuance.listOwnEvents(principal)} vocabulary={vocabulary} bars={bars} notice={notice} />);
    }
    return c.html(await barHome(principal, frame, notice));
  });

  async function barHome(principal: Principal, frame: ConsoleFrame, notice?: string, newToken?: string) {
    const [vocabulary, bars] = await Promise.all([registry.vocabulary(), registry.bars()]);
    const barId = administeredBar(principal)!;
    const mine = principal.role === "rba-admin" ? bars : bars.filter((b) => b.id === barId);
    const accreditations = (await registry.listAccreditations()).filter((a) => principal.role === "rba-admin" || a.barId === barId);
    const lateEvents = await issuance.lateRecordedEvents(principal);
    // 5.1(3): the events naming this bar as co-organiser, for its admin to answer.
    const coOrganisation = await issuance.coOrganisationRequests(principal, barId);
    return (
      <BarHome frame={frame} barName={bars.find((b) => b.id === barId)?.names[frame.lang] ?? barId} bars={mine} accreditations={accreditations} parties={await registry.listParties()} vocabulary={vocabulary} now={registry.now()} notice={notice} newToken={newToken} lateEvents={lateEvents} coOrganisation={coOrganisation}
        nav={principal.role === "bar-admin" ? <BarBookkeepingNav lang={frame.lang} year={Number(kzDate(registry.now()).slice(0, 4))} /> : <nav class="console-nav"><a href="/console/analysis">{t(BK.analysisTitle, frame.lang)}</a>{" · "}<a href="/console/surveys">{t(BK.surveys, frame.lang)}</a></nav>} />
    );
  }

  app.post("/console/sign-out", async (c) => {
    const session = await signedIn(c, true);
    if (session) await sessions().signOut(getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: "/console", secure: secure(c) });
    return c.redirect("/console/sign-in", 303);
  });

  // ---- provider: events, participants, issuing, revocation ------------------------------------------------------

  app.get(`/console/events/:id{${ID}}`, async (c) => {
    c.header("Cache-Control", "no-store");
    const session = await signedIn(c);
    if (!session) return c.redirect("/console/sign-in", 303);
    const { principal, frame } = session;
    return guarded(c, frame, "/console", async () => {
      const id = c.req.param("id");
      const event = await issuance.ownEvent(principal, id);
      const [participants, certificates, vocabulary, bars, deliveries, announcement] = await Promise.all([
        issuance.listParticipants(principal, id),
        issuance.listEventCertificates(principal, id),
        registry.vocabulary(),
        registry.bars(),
        services.delivery?.eventDeliveries(principal, id),
        issuance.announcementOf(principal, id),
      ]);
      const resent = c.req.query("resent");
      const notice = resent !== undefined && /^\d{1,6}$/.test(resent) ? fillTemplate(t(DELIVERY_T.resent, frame.lang), { count: resent }) : c.req.query("done") ? t(UI.done, frame.lang) : undefined;
      const delivery = deliveries && { rows: deliveries, mailConfigured: services.mailConfigured ?? false };
      return c.html(<EventPage frame={frame} event={event} participants={participants} certificates={certificates} vocabulary={vocabulary} bars={bars} delivery={delivery} notice={notice} announcement={announcement} now={registry.now()} />);
    });
  });

  app.post("/console/events", async (c) => {
    const session = await signedIn(c, true);
    if (!session) return c.redirect("/console/sign-in", 303);
    const { principal, frame, form } = session;
    return guarded(c, frame, "/console", async () => {
      const input = parse(S.NewEvent, {
        topic: field(form, "topic"),
        programme: field(form, "programme"),
        form: field(form, "form"),
        deliveryMode: field(form, "deliveryMode"),
        coOrganiserBarId: field(form, "coOrganiserBarId") || null,
        place: field(form, "place"),
        startsAt: kzLocal(field(form, "startsAt")),
        endsAt: kzLocal(field(form, "endsAt")),
        durationMinutes: Number(field(form, "durationMinutes")),
        // 12.3, 11.1: each trainer's name and field of experience; rows left empty are no trainer.
        trainers: Array.from({ length: TRAINER_ROWS }, (_, i) => ({ name: field(form, `trainerName-${i}`), field: field(form, `trainerField-${i}`) })).filter((tr) => tr.name !== "" || tr.field !== ""),
      });
      const event = await inLanguage(frame.lang, LISTS_T.eventProblems, () => issuance.createEvent(principal, input));
      return c.redirect(`/console/events/${event.id}`, 303);
    });
  });

  app.post(`/console/events/:id{${ID}}/participants`, async (c) => {
    const session = await signedIn(c, true);
    if (!session) return c.redirect("/console/sign-in", 303);
    const { principal, frame, form } = session;
    const id = c.req.param("id");
    return guarded(c, frame, `/console/events/${id}`, async () => {
      const file = form.file;
      const csv = file instanceof File && file.size > 0 ? await file.text() : field(form, "csv");
      // 12.3: the same reader as PUT /api/events/{id}/participants.csv — a header naming the columns, every bad row
      // reported with its line, nothing stored unless all are valid.
      await importParticipantsCsv({ issuance, registry }, principal, id, csv);
      return c.redirect(`/console/events/${id}?done=1`, 303);
    });
  });

  // 5.1(3): the co-organising bar's admin confirms or declines, from the bar console's list of requests.
  app.post(`/console/events/:id{${ID}}/co-organisation`, async (c) => {
    const session = await signedIn(c, true);
    if (!session) return c.redirect("/console/sign-in", 303);
    const { principal, frame, form } = session;
    return guarded(c, frame, "/console", async () => {
      const decision = field(form, "decision");
      if (decision !== "confirm" && decision !== "decline") throw new SenimError("invalid_request", "decision must be confirm or decline.");
      await issuance.decideCoOrganisation(principal, c.req.param("id"), decision);
      return c.redirect("/console?done=1#co-organisation", 303);
    });
  });

  // 7.3: announce the event in the public calendar (or change its announcement), and withdraw it, before it starts.
  app.post(`/console/events/:id{${ID}}/announcement`, async (c) => {
    const session = await signedIn(c, true);
    if (!session) return c.redirect("/console/sign-in", 303);
    const { principal, frame, form } = session;
    const id = c.req.param("id");
    return guarded(c, frame, `/console/events/${id}`, async () => {
      const kind = field(form, "feeKind");
      const number = (name: string) => (field(form, name) === "" ? null : Number(field(form, name)));
      const fee = kind === "paid" ? { kind, amountTenge: number("feeAmount") } : kind === "sponsored" ? { kind, sponsor: field(form, "feeSponsor") } : { kind };
      // The same check as PUT /api/events/{id}/announcement: the form's fields are the API's, as text.
      await inLanguage(frame.lang, "problems", () =>
        issuance.announce(principal, id, { description: field(form, "description"), city: field(form, "city"), venue: field(form, "venue"), link: field(form, "link"), fee, seats: number("seats") }),
      );
      return c.redirect(`/console/events/${id}?done=1#announcement`, 303);
    });
  });

  app.post(`/console/events/:id{${ID}}/announcement/withdraw`, async (c) => {
    const session = await signedIn(c, true);
    if (!session) return c.redirect("/console/sign-in", 303);
    const { principal, frame } = session;
    const id = c.req.param("id");
    return guarded(c, frame, `/console/events/${id}`, async () => {
      await issuance.withdrawAnnouncement(principal, id);
      return c.redirect(`/console/events/${id}?done=1#announcement`, 303);
    });
  });

  app.post(`/console/events/:id{${ID}}/issue`, async (c) => {
    const session = await signedIn(c, true);
    if (!session) return c.redirect("/console/sign-in", 303);
    const { principal, frame } = session;
    const id = c.req.param("id");
    return guarded(c, frame, `/console/events/${id}`, async () => {
      await issuance.issueCertificates(principal, id);
      return c.redirect(`/console/events/${id}?done=1`, 303);
    });
  });

  // Issue 13: send one participant's certificate message again, or every failed one and those without an address.
  app.post(`/console/events/:id{${ID}}/deliveries/resend`, async (c) => {
    const session = await signedIn(c, true);
    if (!session) return c.redirect("/console/sign-in", 303);
    const { principal, frame, form } = session;
    const id = c.req.param("id");
    return guarded(c, frame, `/console/events/${id}`, async () => {
      if (!services.delivery) throw new SenimError("not_found", "Delivery is not available on this server.");
      const certificateId = field(form, "certificateId");
      if (certificateId && !new RegExp(`^${ID}$`).test(certificateId)) throw new SenimError("invalid_request", "certificateId is not a certificate id.");
      const { requeued } = await services.delivery.resend(principal, id, certificateId || undefined);
      return c.redirect(`/console/events/${id}?resent=${requeued}#delivery`, 303);
    });
  });

  app.post(`/console/certificates/:id{${ID}}/revoke`, async (c) => {
    const session = await signedIn(c, true);
    if (!session) return c.redirect("/console/sign-in", 303);
    const { principal, frame, form } = session;
    const eventId = field(form, "eventId");
    const back = /^[0-9a-z]{1,40}$/.test(eventId) ? `/console/events/${eventId}` : "/console";
    return guarded(c, frame, back, async () => {
      const { reason } = parse(S.Revocation, { reason: field(form, "reason") });
      await issuance.revoke(principal, c.req.param("id"), reason);
      return c.redirect(`${back}?done=1`, 303);
    });
  });

  // ---- bar: accreditation (9.1) and withdrawal (9.2) ------------------------------------------------------------

  app.post("/console/accreditations", async (c) => {
    const session = await signedIn(c, true);
    if (!session) return c.redirect("/console/sign-in", 303);
    const { principal, frame, form } = session;
    return guarded(c, frame, "/console", async () => {
      const partyId = field(form, "partyId");
      const input = parse(S.NewAccreditation, {
        barId: field(form, "barId"),
        decisionNumber: field(form, "decisionNumber"),
        decisionDate: field(form, "decisionDate"),
        criteria: fields(form, "criterion").map((criterion) => ({ criterion, evidence: field(form, `evidence-${criterion}`) })),
        programmes: fields(form, "programmes"),
        forms: fields(form, "forms"),
        validFrom: field(form, "validFrom"),
        validUntil: field(form, "validUntil") || null,
      });
      await registry.accredit(principal, partyId, input);
      return c.redirect("/console?done=1", 303);
    });
  });

  app.post(`/console/accreditations/:id{${ID}}/withdraw`, async (c) => {
    const session = await signedIn(c, true);
    if (!session) return c.redirect("/console/sign-in", 303);
    const { principal, frame, form } = session;
    return guarded(c, frame, "/console", async () => {
      const input = parse(S.NewWithdrawal, {
        ground: field(form, "ground"),
        decisionNumber: field(form, "decisionNumber"),
        decisionDate: field(form, "decisionDate"),
        reason: field(form, "reason"),
      });
      await registry.withdraw(principal, c.req.param("id"), input);
      return c.redirect("/console?done=1", 303);
    });
  });

  app.post(`/console/accreditations/:id{${ID}}/violations`, async (c) => {
    const session = await signedIn(c, true);
    if (!session) return c.redirect("/console/sign-in", 303);
    const { principal, frame, form } = session;
    return guarded(c, frame, "/console", async () => {
      const input = parse(S.NewViolation, { occurredOn: field(form, "occurredOn"), description: field(form, "description") });
      await registry.recordViolation(principal, c.req.param("id"), input);
      return c.redirect("/console?done=1", 303);
    });
  });

  // 3.1, 8.1: a bar registers the centres, organisations and trainers it accredits, and gives them API keys.
  app.post("/console/parties", async (c) => {
    const session = await signedIn(c, true);
    if (!session) return c.redirect("/console/sign-in", 303);
    const { principal, frame, form } = session;
    return guarded(c, frame, "/console", async () => {
      const input = parse(S.NewParty, { kind: field(form, "kind"), name: field(form, "name"), barId: field(form, "barId"), website: field(form, "website") || null, city: field(form, "city") || null, address: field(form, "address") || null });
      await registry.createParty(principal, input);
      return c.redirect("/console?done=1", 303);
    });
  });

  app.post("/console/api-keys", async (c) => {
    const session = await signedIn(c, true);
    if (!session) return c.redirect("/console/sign-in", 303);
    const { principal, frame, form } = session;
    return guarded(c, frame, "/console", async () => {
      // The bar console's form; a provider makes keys for itself through the API.
      if (principal.role === "provider") throw new SenimError("forbidden", "This form is for bars.");
      const { token } = await registry.createApiKey(principal, parse(S.NewApiKey, { role: "provider", partyId: field(form, "partyId"), label: field(form, "label") }));
      // Shown once, on this response only: never stored, never in a URL.
      c.header("Cache-Control", "no-store");
      return c.html(await barHome(principal, frame, t(UI.done, frame.lang), token));
    });
  });

  // ---- helpers --------------------------------------------------------------------------------------------------

  /**
   * The signed-in principal and the page frame; for posts (`post`), also the parsed form, after checking its CSRF
   * token. `undefined` when there is no valid session; a post with a wrong CSRF token is refused (403).
   */
  async function signedIn(c: Context<AppEnv>, post = false): Promise<{ principal: Principal; frame: ConsoleFrame; form: Form } | undefined> {
    const token = getCookie(c, SESSION_COOKIE);
    const principal = await sessions().principal(token);
    if (!principal || !token) return undefined;
    const lang = pickLang(c);
    const csrf = await sessions().csrfToken(token);
    const frame: ConsoleFrame = { lang, csrf, who: describeWho(principal, lang) };
    let form: Form = {};
    if (post) {
      form = (await c.req.parseBody({ all: true })) as Form;
      if (field(form, "_csrf") !== csrf) throw new SenimError("forbidden", t(UI.csrfFailed, lang));
    }
    return { principal, frame, form };
  }

  function describeWho(p: Principal, lang: Lang): string {
    return p.role === "provider" ? t(UI.providerConsole, lang) : `${t(UI.barConsole, lang)} (${describePrincipal(p).split(":").slice(0, 2).join(":")})`;
  }

  registerBookkeepingConsole(app, services, { signedIn, guarded, field, parse });
  registerParticipantListsConsole(app, services, { signedIn, guarded });

  /** Runs an action; a refusal from a service or a validation is shown on a page (with its 4xx status), not thrown. */
  async function guarded(c: Context<AppEnv>, frame: ConsoleFrame, back: string, action: () => Promise<Response>): Promise<Response> {
    try {
      return await action();
    } catch (err) {
      const e = toSenimError(err);
      if (httpStatusOf(e) >= 500) throw err;
      const problems = e.problems.slice(0, 50);
      // A CSV file's problems are counted in the page's language; other details are the API's English text.
      const count = e.extra.problemCount;
      const detail = e.code === "invalid_csv" && typeof count === "number" ? fillTemplate(t(UI.csvProblemCount, frame.lang), { count }) : e.message;
      return c.html(<ConsoleErrorPage frame={frame} title={ERROR_TITLES[e.code][frame.lang]} detail={detail} problems={problems} back={back} />, httpStatusOf(e) as 400);
    }
  }
}

/** Zod validation with the API's own schemas; failures become the same `invalid_request` with field problems. */
function parse<Z extends z.ZodType>(schema: Z, value: unknown): z.output<Z> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const problems = r.error.issues.slice(0, 50).map((i) => ({ path: i.path.map(String).join("/"), message: i.message }));
  throw new SenimError("invalid_request", `${r.error.issues.length} problem(s) in the form; nothing was stored.`, { problems });
}
