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
import { administeredBar, assertIsProvider, assertMayRevoke, type Principal } from "../../domain/authz.js";
import { keyedError, SenimError, type FieldProblem } from "../../domain/errors.js";
import { kzDate } from "../../domain/time.js";
import { participantMinutes } from "../../domain/event.js";
import type { SessionService } from "../../console/sessions.js";
import { SESSION_TTL_MS } from "../../console/sessions.js";
import { importParticipantsCsv } from "../../issuance/participant-csv.js";
import type { AppEnv, Services } from "../context.js";
import { BK, BLISTS_T, CF_T, DELIVERY_T, detailText, ERROR_TITLES, LISTS_T, pickLang, t, UI, type Lang } from "../i18n.js";
import { fillTemplate } from "../../lib/csv.js";
import { BarBookkeepingNav } from "../pages/console-bookkeeping.js";
import { BarHome, ConsoleErrorPage, ConsoleRefusedPage, EventPage, ProviderHome, RevokePage, SignInPage, TRAINER_ROWS, type ConsoleFrame, type RefusedConsoleForm } from "../pages/console.js";
import { matchesQuery } from "../pages/providers.js";
import { en } from "../i18n/en.js";
import { csvLine } from "../../lib/csv.js";
import { LIST_PAGE_SIZE, listPage, listQuery } from "./console-bookkeeping.js";
import { detailError, httpStatusOf, refusalsAsPages, toSenimError } from "../problem.js";
import * as S from "../schemas.js";
import { BODY_LIMITS, inLanguage } from "./api.js";
import { registerBookkeepingConsole } from "./console-bookkeeping.js";
import type { CertificateFonts } from "../pdf.js";
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

/** A refused form's text is shown again up to this size: a larger CSV is not copied back into the page (300 KB). */
const REFILL_MAX = 64_000;
/** Refusals answered with the form again; the others (who you are, what exists, how much) keep the error page. */
const NOT_REFILLED = new Set(["unauthenticated", "forbidden", "not_found", "rate_limited", "payload_too_large"]);
/** Whole-form rules of an event (src/domain/event.ts) shown beside the field they are about. */
const RULE_FIELDS: Record<string, string> = {
  "event-ends-before-start": "endsAt", "event-span-too-long": "endsAt", "event-duration-invalid": "durationMinutes", "event-duration-too-long": "durationMinutes",
  "event-form-requires-centre": "form", "event-form-out-of-scope": "form", "event-programme-out-of-scope": "programme",
};

/** What was typed into a form, to show it again: its text fields (not the CSRF token, not files), each bounded. */
const formValues = (form: Form): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(form)) {
    if (k === "_csrf") continue;
    const texts = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string" && x.length <= REFILL_MAX);
    if (texts.length > 0) out[k] = texts.slice(0, 100);
  }
  return out;
};

/** `<input type=datetime-local>` sends wall-clock time without an offset: it is Kazakhstan time (UTC+05:00). */
const kzLocal = (value: string): string => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00+05:00` : value);

export function registerConsole(app: OpenAPIHono<AppEnv>, services: Services, options: { loadFonts?: () => Promise<CertificateFonts> } = {}): void {
  const { registry, issuance } = services;
  const sessions = (): SessionService => {
    if (!services.sessions) throw detailError("internal", "console-sessions-unconfigured");
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
      return <ConsoleRefusedPage lang={lang} title={ERROR_TITLES[e.code][lang]} detail={detailText(e, lang)} />;
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
    if (foreign) throw detailError("forbidden", "console-foreign-post");
    const maxSize = c.req.path.endsWith("/participants") || c.req.path === "/console/members/import" ? BODY_LIMITS.participants : c.req.path === "/console/submissions/new" ? BODY_LIMITS.submissions : BODY_LIMITS.default;
    return bodyLimit({ maxSize, onError: () => { throw detailError("payload_too_large", "console-form-too-large", { max: maxSize }); } })(c, next);
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
    if (principal.role === "provider") return c.html(await providerHome(c, principal, frame, { notice }));
    const registered = c.req.query("registered");
    if (registered !== undefined && new RegExp(`^${ID}$`).test(registered)) {
      // Issue 16: what was registered, in words, and that party chosen in the key and accreditation forms below.
      const party = await registry.getParty(registered);
      if (party) {
        const kind = t(party.kind === "centre" ? UI.kindCentre : party.kind === "organisation" ? UI.kindOrganisation : UI.kindTrainer, frame.lang);
        return c.html(await barHome(principal, frame, { notice: fillTemplate(t(CF_T.registered, frame.lang), { name: party.name, kind, id: party.id }), selectedParty: party.id }));
      }
    }
    return c.html(await barHome(principal, frame, { notice }));
  });

  /** Issue 16: the provider's events are paged and searched by topic in the store, however many years it has issued. */
  async function providerHome(c: Context<AppEnv>, principal: Principal, frame: ConsoleFrame, opts: { notice?: string; refused?: RefusedConsoleForm }) {
    assertIsProvider(principal);
    const { q, page } = listQuery(c);
    const [vocabulary, bars, party, found] = await Promise.all([
      registry.vocabulary(),
      registry.bars(),
      registry.requireParty(principal.partyId),
      issuance.pageOwnEvents(principal, q, (total) => ({ offset: listPage(page, total, q).offset, limit: LIST_PAGE_SIZE })),
    ]);
    const list = listPage(page, found.total, q);
    return <ProviderHome frame={frame} party={party} events={found.events} list={list} vocabulary={vocabulary} bars={bars} notice={opts.notice} refused={opts.refused} />;
  }

  async function barHome(principal: Principal, frame: ConsoleFrame, opts: { notice?: string; newToken?: string; newTokenAbout?: string; refused?: RefusedConsoleForm; selectedParty?: string } = {}) {
    const [vocabulary, bars] = await Promise.all([registry.vocabulary(), registry.bars()]);
    const barId = administeredBar(principal)!;
    const mine = principal.role === "rba-admin" ? bars : bars.filter((b) => b.id === barId);
    const accreditations = (await registry.listAccreditations()).filter((a) => principal.role === "rba-admin" || a.barId === barId);
    const lateEvents = await issuance.lateRecordedEvents(principal);
    // 5.1(3): the events naming this bar as co-organiser, for its admin to answer.
    const coOrganisation = await issuance.coOrganisationRequests(principal, barId);
    return (
      <BarHome frame={frame} barName={bars.find((b) => b.id === barId)?.names[frame.lang] ?? barId} bars={mine} accreditations={accreditations} parties={await registry.listParties()} vocabulary={vocabulary} now={registry.now()} {...opts} lateEvents={lateEvents} coOrganisation={coOrganisation}
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
      const resent = c.req.query("resent");
      const notice = resent !== undefined && /^\d{1,6}$/.test(resent) ? fillTemplate(t(DELIVERY_T.resent, frame.lang), { count: resent }) : c.req.query("done") ? t(UI.done, frame.lang) : undefined;
      return c.html(await eventPage(c, principal, frame, c.req.param("id"), { notice }));
    });
  });

  /**
   * Issue 16: an event's page shows one page of its participants (`?page=`, `?q=` a name or licence), so an event of
   * thousands stays a page a browser draws at once; the whole list is the CSV below.
   */
  async function eventPage(c: Context<AppEnv>, principal: Principal, frame: ConsoleFrame, id: string, opts: { notice?: string; refused?: RefusedConsoleForm } = {}) {
    const event = await issuance.ownEvent(principal, id);
    const { q, page } = listQuery(c);
    const [participants, certificates, vocabulary, bars, deliveries, announcement] = await Promise.all([
      issuance.listParticipants(principal, id),
      issuance.listEventCertificates(principal, id),
      registry.vocabulary(),
      registry.bars(),
      services.delivery?.eventDeliveries(principal, id),
      issuance.announcementOf(principal, id),
    ]);
    const found = q === "" ? participants : participants.filter((p) => p.licenceNumber.includes(q) || matchesQuery(p.fullName, q));
    const list = listPage(page, found.length, q);
    const rows = found.slice(list.offset, list.offset + LIST_PAGE_SIZE);
    const onPage = new Set(rows.map((p) => p.certificateId).filter((x): x is string => x !== null));
    const delivery = deliveries && {
      rows: deliveries.filter((d) => onPage.has(d.certificateId)),
      mailConfigured: services.mailConfigured ?? false,
      canResendAll: deliveries.some((d) => d.state === "failed" || d.state === "no_address"),
    };
    return (
      <EventPage frame={frame} event={event} participants={rows} certificates={certificates.filter((x) => onPage.has(x.id))} list={list} counts={{ participants: participants.length, issued: certificates.length }}
        issuing={{ chunk: services.issuing.chunk, continuesByItself: services.issuing.continuesByItself }}
        vocabulary={vocabulary} bars={bars} delivery={delivery} notice={opts.notice} announcement={announcement} now={registry.now()} refused={opts.refused} />
    );
  }

  // Issue 16: every participant of the event and their certificate, as CSV, for the principal that may see the event.
  app.get(`/console/events/:id{${ID}}/participants.csv`, async (c) => {
    c.header("Cache-Control", "no-store");
    const session = await signedIn(c);
    if (!session) return c.redirect("/console/sign-in", 303);
    const { principal, frame } = session;
    const id = c.req.param("id");
    return guarded(c, frame, `/console/events/${id}`, async () => {
      const event = await issuance.ownEvent(principal, id);
      const [participants, certificates] = await Promise.all([issuance.listParticipants(principal, id), issuance.listEventCertificates(principal, id)]);
      const certs = new Map(certificates.map((x) => [x.id, x]));
      const lang = frame.lang;
      // The first four columns are those the list's import reads (src/issuance/participant-csv.ts): it can go back in.
      const lines = [csvLine([t(BLISTS_T.csvLicence, lang), t(BLISTS_T.csvName, lang), t(CF_T.csvBar, lang), t(CF_T.csvRole, lang), t(CF_T.csvMinutes, lang), t(CF_T.csvCertificate, lang), t(CF_T.csvState, lang), t(CF_T.csvReason, lang)])];
      for (const p of participants) {
        const cert = p.certificateId ? certs.get(p.certificateId) : undefined;
        const state = cert ? t(cert.revokedAt ? UI.revoked : UI.valid, lang) : "";
        lines.push(csvLine([p.licenceNumber, p.fullName, p.barId, p.role, participantMinutes(event, p), cert?.id ?? "", state, cert?.revocationReason ?? ""]));
      }
      // A BOM, so a spreadsheet opens the Kazakh and Russian names as UTF-8.
      return c.body(`\uFEFF${lines.join("\r\n")}\r\n`, 200, { "Content-Type": "text/csv; charset=UTF-8", "Content-Disposition": `attachment; filename="participants-${event.id}.csv"` });
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
    }, async (r) => c.html(await providerHome(c, principal, frame, { refused: { form: "event", values: formValues(form), ...r } })));
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
    }, async (r) => {
      // The list comes back in the text box (a chosen file cannot be put back), so the bad line can be mended there.
      const sent = form.file;
      const csv = sent instanceof File && sent.size > 0 ? await sent.text() : field(form, "csv");
      return c.html(await eventPage(c, principal, frame, id, { refused: { form: "participants", values: csv.length <= REFILL_MAX ? { csv: [csv] } : {}, ...r } }));
    });
  });

  // 5.1(3): the co-organising bar's admin confirms or declines, from the bar console's list of requests.
  app.post(`/console/events/:id{${ID}}/co-organisation`, async (c) => {
    const session = await signedIn(c, true);
    if (!session) return c.redirect("/console/sign-in", 303);
    const { principal, frame, form } = session;
    return guarded(c, frame, "/console", async () => {
      const decision = field(form, "decision");
      if (decision !== "confirm" && decision !== "decline") throw detailError("invalid_request", "console-decision-invalid");
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
      await services.issuing.issue(principal, id);
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
      if (!services.delivery) throw detailError("not_found", "console-delivery-unavailable");
      const certificateId = field(form, "certificateId");
      if (certificateId && !new RegExp(`^${ID}$`).test(certificateId)) throw detailError("invalid_request", "console-certificate-id-invalid");
      const { requeued } = await services.delivery.resend(principal, id, certificateId || undefined);
      return c.redirect(`/console/events/${id}?resent=${requeued}#delivery`, 303);
    });
  });

  // Issue 16: revoking is final, so it is a step of its own: the certificate named, a reason, and a box ticked.
  app.get(`/console/certificates/:id{${ID}}/revoke`, async (c) => {
    c.header("Cache-Control", "no-store");
    const session = await signedIn(c);
    if (!session) return c.redirect("/console/sign-in", 303);
    const { principal, frame } = session;
    const eventId = c.req.query("eventId") ?? "";
    return guarded(c, frame, /^[0-9a-z]{1,40}$/.test(eventId) ? `/console/events/${eventId}` : "/console", async () => c.html(await revokePage(principal, frame, c.req.param("id"))));
  });

  /** The confirmation step of a revocation, for whoever may revoke the certificate (its provider, its bar). */
  async function revokePage(principal: Principal, frame: ConsoleFrame, id: string, refused?: RefusedConsoleForm) {
    const certificate = await issuance.requireCertificate(id);
    const accreditation = await registry.requireAccreditation(certificate.accreditationId);
    assertMayRevoke(principal, { partyId: certificate.partyId, accreditingBarId: accreditation.barId });
    // The provider's own list names the participant; a bar's admin sees the certificate's page behind its link.
    const participant = principal.role === "provider" ? (await issuance.listParticipants(principal, certificate.eventId)).find((p) => p.id === certificate.participantId) : undefined;
    return <RevokePage frame={frame} certificate={certificate} participantName={participant?.fullName ?? "—"} eventId={certificate.eventId} refused={refused} />;
  }

  app.post(`/console/certificates/:id{${ID}}/revoke`, async (c) => {
    const session = await signedIn(c, true);
    if (!session) return c.redirect("/console/sign-in", 303);
    const { principal, frame, form } = session;
    const eventId = field(form, "eventId");
    const back = /^[0-9a-z]{1,40}$/.test(eventId) ? `/console/events/${eventId}` : "/console";
    const id = c.req.param("id");
    return guarded(c, frame, back, async () => {
      const reason = confirmedReason(form, S.Revocation, frame.lang).reason;
      await issuance.revoke(principal, id, reason);
      return c.redirect(`${back}?done=1`, 303);
    }, async (r) => c.html(await revokePage(principal, frame, id, { form: "revoke", values: formValues(form), ...r })));
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
    }, async (r) => c.html(await barHome(principal, frame, { refused: { form: "accreditation", values: formValues(form), ...r } })));
  });

  app.post(`/console/accreditations/:id{${ID}}/withdraw`, async (c) => {
    const session = await signedIn(c, true);
    if (!session) return c.redirect("/console/sign-in", 303);
    const { principal, frame, form } = session;
    return guarded(c, frame, "/console", async () => {
      // Issue 16, 9.2: withdrawing is final: the box saying so must be ticked, besides the decision and its reason.
      const input = confirmedReason(form, S.NewWithdrawal, frame.lang, {
        ground: field(form, "ground"),
        decisionNumber: field(form, "decisionNumber"),
        decisionDate: field(form, "decisionDate"),
        reason: field(form, "reason"),
      });
      await registry.withdraw(principal, c.req.param("id"), input);
      return c.redirect("/console?done=1", 303);
    }, async (r) => c.html(await barHome(principal, frame, { refused: { form: `withdraw:${c.req.param("id")}`, values: formValues(form), ...r } })));
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
      const { party } = await registry.createParty(principal, input);
      return c.redirect(`/console?registered=${party.id}#register`, 303);
    }, async (r) => c.html(await barHome(principal, frame, { refused: { form: "party", values: formValues(form), ...r } })));
  });

  app.post("/console/api-keys", async (c) => {
    const session = await signedIn(c, true);
    if (!session) return c.redirect("/console/sign-in", 303);
    const { principal, frame, form } = session;
    return guarded(c, frame, "/console", async () => {
      // The bar console's form; a provider makes keys for itself through the API.
      if (principal.role === "provider") throw detailError("forbidden", "console-bars-only");
      // Issue 16: a provider's key, or a bar's admin key for a bar of the registry (the RBA's admin: any bar).
      const role = field(form, "role") === "bar-admin" ? "bar-admin" : "provider";
      const input = role === "bar-admin" ? { role, barId: field(form, "barId"), label: field(form, "label") } : { role, partyId: field(form, "partyId"), label: field(form, "label") };
      const { apiKey, token } = await registry.createApiKey(principal, parse(S.NewApiKey, input));
      const whom = apiKey.role === "bar-admin"
        ? fillTemplate(t(UI.whoBarAdmin, frame.lang), { bar: (await registry.bars()).find((b) => b.id === apiKey.barId)?.names[frame.lang] ?? apiKey.barId ?? "" })
        : ((await registry.getParty(apiKey.partyId ?? ""))?.name ?? apiKey.partyId ?? "");
      // Shown once, on this response only, at the top of the page: never stored, never in a URL.
      c.header("Cache-Control", "no-store");
      return c.html(await barHome(principal, frame, { newToken: token, newTokenAbout: fillTemplate(t(CF_T.keyCreated, frame.lang), { label: apiKey.label, whom }) }));
    }, async (r) => c.html(await barHome(principal, frame, { refused: { form: field(form, "role") === "bar-admin" ? "bar-key" : "api-key", values: formValues(form), ...r } })));
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
    const frame: ConsoleFrame = { lang, csrf, who: await describeWho(principal, lang) };
    let form: Form = {};
    if (post) {
      form = (await c.req.parseBody({ all: true })) as Form;
      if (field(form, "_csrf") !== csrf) throw new SenimError("forbidden", t(UI.csrfFailed, lang));
    }
    return { principal, frame, form };
  }

  /** Who is signed in, in words of the page's language: "Almaty City bar — administrator", never a key's principal. */
  async function describeWho(p: Principal, lang: Lang): Promise<string> {
    if (p.role === "provider") return t(UI.providerConsole, lang);
    if (p.role === "rba-admin") return t(UI.whoRbaAdmin, lang);
    const bar = (await registry.bars()).find((b) => b.id === p.barId);
    return fillTemplate(t(UI.whoBarAdmin, lang), { bar: bar?.names[lang] ?? p.barId });
  }

  registerBookkeepingConsole(app, services, { signedIn, guarded, field, parse, loadFonts: options.loadFonts });
  registerParticipantListsConsole(app, services, { signedIn, guarded });

  /**
   * Runs an action; a refusal from a service or a validation is shown on a page (with its 4xx status), not thrown.
   * With `again`, a refusal of what was typed draws the same form again, filled, with the problems beside the fields
   * (issue 16: a clerk's work is not lost); refusals of who may do what keep the error page.
   */
  async function guarded(c: Context<AppEnv>, frame: ConsoleFrame, back: string, action: () => Promise<Response>, again?: (refused: Omit<RefusedConsoleForm, "form" | "values">) => Promise<Response>): Promise<Response> {
    try {
      return await action();
    } catch (err) {
      const e = toSenimError(err);
      if (httpStatusOf(e) >= 500) throw err;
      const problems: FieldProblem[] = e.problems.slice(0, 50);
      // A CSV file's problems are counted in the page's language; other details by their key (English without one).
      const count = e.extra.problemCount;
      const detail = e.code === "invalid_csv" && typeof count === "number" ? fillTemplate(t(UI.csvProblemCount, frame.lang), { count }) : detailText(e, frame.lang);
      if (again && !NOT_REFILLED.has(e.code)) {
        // A rule of the whole form (ends before it starts) is also said beside the field it is about.
        const field = e.key !== undefined ? RULE_FIELDS[e.key] : undefined;
        if (problems.length === 0 && field) problems.push({ path: field, message: detail });
        const page = await again({ problems, detail });
        return new Response(page.body, { status: httpStatusOf(e), headers: page.headers });
      }
      return c.html(<ConsoleErrorPage frame={frame} title={ERROR_TITLES[e.code][frame.lang]} detail={detail} problems={problems} back={back} />, httpStatusOf(e) as 400);
    }
  }
}

/**
 * Issue 16: an irreversible step's form (revoke, withdraw): its fields by the API's schema (`value`, by default the
 * reason alone) and the box `confirm` ticked; every problem of the two at once, nothing done unless both pass.
 */
function confirmedReason<Z extends z.ZodType>(form: Form, schema: Z, lang: Lang, value: unknown = { reason: field(form, "reason") }): z.output<Z> {
  const r = schema.safeParse(value);
  const problems: FieldProblem[] = r.success ? [] : S.validationProblems(r.error.issues);
  if (field(form, "confirm") !== "yes") problems.push({ path: "confirm", message: t(CF_T.confirmMissing, lang) });
  if (problems.length > 0) throw keyedError("invalid_request", en.problemDetails, "form-problems", { count: problems.length }, { problems });
  return (r as { data: z.output<Z> }).data;
}

/** Zod validation with the API's own schemas; failures become the same `invalid_request` with field problems. */
function parse<Z extends z.ZodType>(schema: Z, value: unknown): z.output<Z> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw S.validationError(r.error.issues, "form");
}
