/**
 * Issue 16, "English inside Kazakh and Russian pages": the refusals people meet on pages (/verify, the consoles) and
 * in problem documents are said in the page's language — rule errors, zod's validation problems, /verify's "not a
 * credential", the console's header and the participant list's placeholder, the accreditation check's decision.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accreditedProvider, eventWithParticipants, issued, startSenim, type TestSenim } from "./helpers.js";
import { toInstant } from "../src/domain/time.js";
import { consoleBrowser } from "./console-browser.js";
import { englishSentences } from "./english-text.js";
import { RBA_ID } from "../src/domain/catalog.js";
import type { Principal } from "../src/domain/authz.js";

let s: TestSenim;
beforeEach(async () => {
  s = await startSenim();
});
afterEach(async () => s.close());

const LANGS = ["kk", "ru"] as const;

const browser = () => consoleBrowser(s.app);


const future = (days: number) => toInstant(s.clock.ms + days * 86_400_000).slice(0, 16);

describe("console refusals in the page's language", () => {
  it("a rule of the event (endsAt before startsAt, 7.5 before the end, 5.1.2–5.1.3 without a centre) is said in kk and ru", async () => {
    const centre = await accreditedProvider(s);
    const organisation = await accreditedProvider(s, { kind: "organisation", name: "Заң ұйымы" });
    const expected = {
      endsBeforeStart: { kk: "Аяқталуы басталуынан кейін болуы керек.", ru: "Окончание должно быть позже начала." },
      notEnded: { kk: "7.5: сертификаттар іс-шарадан кейін беріледі; бұл іс-шара әлі аяқталған жоқ.", ru: "7.5: сертификаты выдаются после мероприятия; это мероприятие ещё не закончилось." },
      centre: { kk: "бірлескен ұйымдастырушы алқаны көрсетіңіз", ru: "укажите коллегию-соорганизатора" },
    };
    const event = (o: Record<string, string>) => ({
      topic: "Азаматтық процесс", programme: "civil", form: "course", deliveryMode: "in-person", coOrganiserBarId: "", place: "Алматы",
      startsAt: future(10), endsAt: future(11), durationMinutes: "360", "trainerName-0": "Сейтқали Ә.", "trainerField-0": "Азаматтық процесс", ...o,
    });
    for (const lang of LANGS) {
      const b = browser();
      await b.signIn(centre.token);
      const backwards = await b.post(`/console/events?lang=${lang}`, event({ startsAt: future(11), endsAt: future(10) }));
      expect(backwards.status).toBe(422);
      expect(backwards.text).toContain(expected.endsBeforeStart[lang]);
      expect(backwards.text).not.toContain("must be after");
      expect(englishSentences(backwards.text)).toEqual([]);

      // 7.5: issuing before the event has ended.
      const created = await b.post(`/console/events?lang=${lang}`, event({}));
      expect(created.status).toBe(303);
      await b.post(`${created.location}/participants?lang=${lang}`, { csv: "licence;name;bar;role\n123456;Әлия Құрманова;almaty-city;attendee" });
      const early = await b.post(`${created.location}/issue?lang=${lang}`, {});
      expect(early.status).toBe(422);
      expect(early.text).toContain(expected.notEnded[lang]);
      expect(early.text).not.toContain("certificates are issued after the event");
      expect(englishSentences(early.text)).toEqual([]);

      // 5.1.2–5.1.3: an organisation's seminar needs a co-organising bar.
      const o = browser();
      await o.signIn(organisation.token);
      const seminar = await o.post(`/console/events?lang=${lang}`, event({ form: "seminar" }));
      expect(seminar.status).toBe(422);
      expect(seminar.text).toContain(expected.centre[lang]);
      expect(seminar.text).not.toContain("set coOrganiser");
      expect(englishSentences(seminar.text)).toEqual([]);
    }
    // The detector finds what it is for: the English page says the rule in an English sentence.
    const b = browser();
    await b.signIn(centre.token);
    const inEnglish = await b.post("/console/events?lang=en", event({ startsAt: future(11), endsAt: future(10) }));
    expect(englishSentences(inEnglish.text).join(" ")).toContain("endsAt must be after startsAt");
  });

  it("zod's problems: the count, each problem by its kind and each field by its name, never zod's English", async () => {
    const provider = await accreditedProvider(s);
    const barKey = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "clerk" } })).body.token;
    for (const lang of LANGS) {
      const b = browser();
      await b.signIn(barKey);
      // No criterion ticked (9.1 needs one), no decision number.
      const refused = await b.post(`/console/accreditations?lang=${lang}`, { partyId: provider.party.id, barId: "almaty-city", decisionNumber: "", decisionDate: "2026-02-01", validFrom: "2026-02-01" });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain(lang === "kk" ? "Нысандағы қателер саны: 2; ештеңе сақталған жоқ." : "Ошибок в форме: 2; ничего не сохранено.");
      expect(refused.text).toContain(lang === "kk" ? "<code>Өлшемшарттар (9.1)</code>: кемінде 1 таңдаңыз немесе көрсетіңіз" : "<code>Критерии (9.1)</code>: выберите или укажите хотя бы 1");
      expect(refused.text).toContain(lang === "kk" ? "<code>Шешім нөмірі</code>: міндетті өріс" : "<code>Номер решения</code>: обязательное поле");
      expect(refused.text).toContain('data-path="criteria"');
      for (const english of ["problem(s)", "expected array", "Too small", "nothing was stored"]) expect(refused.text).not.toContain(english);
      expect(englishSentences(refused.text)).toEqual([]);
    }
  });

  it("the header names the bar and the role in words, and the participant list's placeholder is in the page's language", async () => {
    const provider = await accreditedProvider(s);
    const barKey = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "clerk" } })).body.token;
    const words = { kk: "Алматы қалалық адвокаттар алқасы — әкімші", ru: "Алматинская городская коллегия адвокатов — администратор", en: "Almaty City Bar Association — administrator" };
    for (const lang of ["kk", "ru", "en"] as const) {
      const b = browser();
      await b.signIn(barKey);
      const home = await b.get(`/console?lang=${lang}`);
      expect(home.text).toContain(`<span class="who">${words[lang]}</span>`);
      expect(home.text).not.toContain("bar-admin:");
    }
    const ev = await eventWithParticipants(s, provider.token);
    const placeholders = { kk: ["лицензия;аты-жөні;алқа;рөлі", "тыңдаушы немесе оқытушы"], ru: ["лицензия;фио;коллегия;роль", "слушатель или преподаватель"] };
    for (const lang of LANGS) {
      const b = browser();
      await b.signIn(provider.token);
      const page = await b.get(`/console/events/${ev.id}?lang=${lang}`);
      const placeholder = /<textarea name="csv"[^>]*placeholder="([^"]*)"/.exec(page.text)![1]!;
      for (const words of placeholders[lang]) expect(placeholder).toContain(words);
      expect(placeholder).not.toMatch(/licence|attendee|role/);
    }
  });
});

describe("/verify and the certificate's checks in the page's language", () => {
  it("says why the input is not a credential in kk and ru (not a vc+jwt, not one of this service's URLs)", async () => {
    const said = {
      kk: { jwt: "Енгізілген мәтін vc+jwt куәлігі емес.", url: "Сілтеме бойынша тек осы сервистің сертификат сілтемелері" },
      ru: { jwt: "Введённый текст не является удостоверением vc+jwt.", url: "По ссылке проверяются только ссылки на сертификаты этого сервиса" },
    };
    for (const lang of LANGS) {
      const post = async (text: string) => {
        const res = await s.app.request(`https://senim.test/verify?lang=${lang}`, { method: "POST", body: new URLSearchParams({ text }), headers: { "content-type": "application/x-www-form-urlencoded" } });
        return { status: res.status, text: await res.text() };
      };
      const jwt = await post("eyJhbGciOiJFZERTQSJ9.e30.AAAA");
      expect(jwt.status).toBe(400);
      expect(jwt.text).toContain(said[lang].jwt);
      expect(jwt.text).not.toContain("The input is not");
      const url = await post("https://elsewhere.example/c/abc");
      expect(url.status).toBe(400);
      expect(url.text).toContain(said[lang].url);
      expect(url.text).not.toContain("Only certificate URLs");
      expect(englishSentences(jwt.text)).toEqual([]);
      expect(englishSentences(url.text)).toEqual([]);
    }
  });

  it("the accreditation check names the bar and the decision in kk and ru, as in en", async () => {
    const { certificates } = await issued(s, 1);
    const id = certificates[0]!.id as string;
    const decision = { kk: "almaty-city алқасы аккредиттеген (2026-01-01 күнгі № 7-П шешім)", ru: "Аккредитован коллегией almaty-city (решение № 7-П от 2026-01-01)", en: "Accredited by almaty-city (decision 7-П of 2026-01-01)" };
    for (const lang of ["kk", "ru", "en"] as const) {
      const page = await (await s.app.request(`https://senim.test/c/${id}?lang=${lang}`)).text();
      const line = /<li class="check passed" data-check="accreditation"[\s\S]*?<\/li>/.exec(page)![0];
      expect(line).toContain(decision[lang]);
    }
  });
});

describe("problem documents follow Accept-Language; English when none is asked for", () => {
  it("a rule's detail, a validation's detail and problems, and 'not a credential'", async () => {
    const provider = await accreditedProvider(s);
    const event = {
      topic: "Азаматтық процесс", programme: "civil", form: "course", deliveryMode: "in-person", place: "Алматы",
      startsAt: "2026-05-20T18:00:00+05:00", endsAt: "2026-05-20T10:00:00+05:00", durationMinutes: 360, trainers: [{ name: "Сейтқали Ә.", field: "Азаматтық процесс" }],
    };
    const asked = (lang?: string): Record<string, string> => (lang ? { "accept-language": `${lang},en;q=0.5` } : {});
    const rule = async (lang?: string) => (await s.call("POST", "/api/events", { token: provider.token, body: event, headers: asked(lang) })).body;
    expect((await rule()).detail).toBe("endsAt must be after startsAt.");
    expect((await rule("en")).detail).toBe("endsAt must be after startsAt.");
    expect((await rule("kk")).detail).toBe("Аяқталуы басталуынан кейін болуы керек.");
    expect((await rule("ru")).detail).toBe("Окончание должно быть позже начала.");

    const invalid = async (lang?: string) => (await s.call("POST", "/api/events", { token: provider.token, body: { ...event, topic: "", durationMinutes: 0 }, headers: asked(lang) })).body;
    const english = await invalid();
    expect(english.detail).toBe("2 problem(s) in the request; nothing was stored.");
    expect(english.errors).toEqual([
      { path: "topic", code: "value-required", message: "required" },
      { path: "durationMinutes", code: "number-not-positive", message: "must be greater than 0" },
    ]);
    const russian = await invalid("ru");
    expect(russian.detail).toBe("Ошибок в запросе: 2; ничего не сохранено.");
    expect(russian.errors.map((e: any) => e.message)).toEqual(["обязательное поле", "должно быть больше 0"]);
    expect((await invalid("kk")).detail).toBe("Сұраудағы қателер саны: 2; ештеңе сақталған жоқ.");

    const notACredential = async (lang?: string) => (await s.call("POST", "/api/verify", { body: { jwt: "eyJhbGciOiJFZERTQSJ9.e30.AAAA" }, headers: asked(lang) })).body;
    expect((await notACredential()).detail).toBe("The input is not a vc+jwt credential.");
    expect((await notACredential("ru")).detail).toBe("Введённый текст не является удостоверением vc+jwt.");
    expect((await notACredential("kk")).detail).toBe("Енгізілген мәтін vc+jwt куәлігі емес.");
  });
});

describe("who may do what (src/domain/authz.ts): every refusal in kk and ru", () => {
  it("every 403 the rules give, for every role and bar, reads in kk and ru with no English left and nothing unfilled", async () => {
    const authz = await import("../src/domain/authz.js");
    const { detailText } = await import("../src/http/i18n.js");
    const { SenimError } = await import("../src/domain/errors.js");
    const principals: Principal[] = [
      { role: "rba-admin", keyId: "k0" },
      { role: "bar-admin", keyId: "ka", barId: "almaty-city" },
      { role: "bar-admin", keyId: "kb", barId: "astana-city" },
      { role: "provider", keyId: "k1", partyId: "p1" },
      { role: "provider", keyId: "k2", partyId: "p2" },
    ];
    const attempts = (p: Principal, barId: string): (() => unknown)[] => {
      const party = { id: "p1", barId };
      return [
        () => authz.assertMayUpdatePartyDetails(p, party),
        () => authz.assertMayManagePartyKeys(p, party),
        () => authz.assertMayManageApiKey(p, { role: "rba-admin", barId: null, partyId: null }, party),
        () => authz.assertMayManageApiKey(p, { role: "bar-admin", barId, partyId: null }, party),
        () => authz.assertMayManageApiKey(p, { role: "provider", barId: null, partyId: "p1" }, party),
        () => authz.assertMayManageApiKey(p, { role: "provider", barId: null, partyId: "p1" }, undefined),
        () => authz.assertMayDecideForBar(p, barId),
        () => authz.assertMayAnswerCoOrganisation(p, barId),
        () => authz.assertMayRegisterParty(p, barId),
        () => authz.assertMayActOnAccreditation(p, { barId }, "record a violation against"),
        () => authz.assertMayActOnAccreditation(p, { barId }, "withdraw"),
        () => authz.assertMayRevoke(p, { partyId: "p1", accreditingBarId: barId }),
        () => authz.surveyReadScope(p, { partyId: "p1" }),
        () => authz.surveyReadScope(p, { barId }),
        () => authz.surveyReadScope(p, {}),
        () => authz.assertMayRequestPresentations(p, barId),
        () => authz.ledgerScope(p),
        () => authz.assertMayKeepMembers(p, barId),
        () => authz.assertMayReadBarReports(p, barId),
        () => authz.lateEventScope(p),
        () => authz.assertMayReviewSubmissions(p, barId),
        () => authz.assertMayEnterSubmissions(p, barId),
        () => authz.assertMayManageReminders(p, barId),
        () => authz.assertMayCloseYear(p, barId),
        () => authz.assertMayApproveProgrammeContent(p, barId),
        () => authz.assertMayReadAudit(p),
        () => authz.assertMayCheckpointAudit(p),
        () => authz.assertIsProvider(p, "p1"),
        () => authz.assertIsProvider(p),
      ];
    };
    const used = new Set<string>();
    let refusals = 0;
    for (const p of principals) {
      for (const barId of [RBA_ID, "almaty-city", "astana-city"]) {
        for (const attempt of attempts(p, barId)) {
          let refusal: InstanceType<typeof SenimError> | undefined;
          try {
            attempt();
          } catch (e) {
            refusal = e as InstanceType<typeof SenimError>;
          }
          if (!refusal) continue;
          refusals++;
          expect(refusal.code).toBe("forbidden");
          expect(refusal.key, refusal.message).toBeDefined();
          used.add(refusal.key!);
          for (const part of Object.values(refusal.parts ?? {})) used.add(part);
          expect(detailText(refusal, "en")).toBe(refusal.message);
          for (const lang of LANGS) {
            const text = detailText(refusal, lang);
            expect(text, `${refusal.key} ${lang}`).not.toMatch(/\{\w+\}/);
            // Ids, the API's words and a URL path may stay Latin; no other Latin word may.
            const latin = text.replace(/almaty-city|astana-city|rba-admin|\brba\b|\bp[12]\b|\bAPI\b|GET \/api\/bars\/[\w-]+\/surveys/g, "").match(/[A-Za-z]{2,}/g);
            expect(latin, `${refusal.key} ${lang}: ${text}`).toBeNull();
            expect(text).toMatch(/[\u0400-\u04FF]/);
          }
        }
      }
    }
    expect(refusals).toBeGreaterThan(100);
    // Every text the rules have is one some refusal above says (none is dead, none is missed).
    expect([...used].sort()).toEqual(Object.keys(authz.AUTHZ_DETAIL_TEMPLATES).sort());
  });

  it("a real 403 over HTTP: another bar's admin changing a party gets the detail in Russian, English when none is asked", async () => {
    const party = (await s.call("POST", "/api/parties", { token: s.adminToken, body: { kind: "centre", name: "Біліктілікті арттыру орталығы", barId: "almaty-city" } })).body;
    const astana = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "astana-city", label: "clerk" } })).body.token;
    const change = (headers: Record<string, string>) => s.call("PATCH", `/api/parties/${party.id}`, { token: astana, body: { city: "Қарағанды" }, headers });
    const russian = await change({ "accept-language": "ru,en;q=0.5" });
    expect(russian.status).toBe(403);
    expect(russian.body.detail).toBe(
      `Сторону ${party.id} зарегистрировала коллегия almaty-city: изменять её данные может только администратор коллегии almaty-city или администратор РКА. ` +
        "Ваша коллегия (astana-city) может записывать только собственные решения об аккредитации и действовать только по ним.",
    );
    const kazakh = await change({ "accept-language": "kk" });
    expect(kazakh.body.detail).toContain(`${party.id} тарапын almaty-city алқасы тіркеген`);
    const english = await change({});
    expect(english.body.detail).toBe(
      `Party ${party.id} was registered by bar almaty-city: only the admin of bar almaty-city or the RBA's admin may change its details. ` +
        "Your bar (astana-city) may record, and act on, only its own accreditation decisions about it.",
    );
  });
});

describe("the modules' own refusals (accreditation, content, calendar, VC API, wallets, surveys, reminders, /me, keyring, web layer): kk and ru", () => {
  /** The keys of the web layer's own refusals (`detailError` in src/http/routes, src/http/hygiene.ts). */
  const WEB_KEYS = [
    "input-nul-in-body", "input-nul-in-field", "input-nul-in-url", "body-too-large", "json-too-deep", "vc-api-challenge-required",
    "report-format-invalid", "fonts-missing-reports", "report-only-invalid", "survey-answer-unreadable", "survey-ratings-required",
    "year-out-of-range", "csv-media-type", "csv-not-utf8", "submissions-unavailable", "submission-media-type", "bar-unknown",
    "provider-unknown", "verify-media-type", "idempotency-key-invalid", "idempotency-key-reused", "console-bar-admin-only",
    "console-only-invalid", "closing-unavailable", "attestations-unavailable", "reminders-unavailable", "advocate-sign-in-unconfigured",
    "me-foreign-post", "me-form-too-large", "fonts-missing-pdfs", "wallet-offer-unknown", "wallet-request-unknown-or-done",
    "wallet-verifier-did-none", "fonts-missing-attestations", "attestation-summary-unreadable", "fonts-missing-certificates", "closing-id-invalid",
    "verify-input-shape", "vc-api-credential-not-object", "vc-api-credential-unsecured",
  ];
  // Values as the code gives them (ids, dates, URLs, the checks' codes): they are the reader's data, not sentences.
  const VALUES: Record<string, string | number> = {
    count: 2, required: 3, criterion: "education-licence", decisionDate: "2026-05-01", today: "2026-04-01", date: "2026-01-10", number: "17/4",
    startsAt: "2026-01-15T04:00:00Z", failed: "signature: invalid-signature", why: "jsonld.InvalidTerm", dataModel: "2.0", did: "did:web:senim.kz:p1",
    name: '"Заң орталығы"', ours: "https://senim.kz/status/", space: "https://senim.kz/c/", endpoint: "POST /api/events/{id}/certificates",
    context: '"https://example.org/ctx"', id: '"p1"', year: 2026, field: "topic", max: 65536, type: "application/vc+jwt",
  };
  /** Placeholders that are texts of their own: every text that may fill them. */
  const PARTS: Record<string, string[]> = {
    what: ["announcement-doing-announce", "announcement-doing-withdraw"],
    purpose: ["standards-purpose-revocation", "standards-purpose-suspension"],
    rating: ["survey-rating-quality", "survey-rating-effectiveness", "survey-rating-usefulness"],
  };
  // Protocol and API names (headers, fields, media types, formats) stay as the API spells them.
  const TERMS =
    /JSON-LD|VC-JOSE-COSE|vc\+jwt|VC Data Model|Data Integrity|\bVC\b|options\.credentialStatus|options\.challenge|credentialStatus|issuer\.name|relatedResource|\(proof\)|urn:uuid|\bCLE\b|SENIM_KEK|\bNUL\b|U\+0000|Idempotency-Key|\bASCII\b|text\/csv|UTF-8|\bCSV\b|multipart\/form-data|`attachment`|`credential`|application\/json|\bPDF\b|\bDID\b|\bSenim\b|\/me\b|\bAPI\b|\bJSON\b|\bonly\b|\bshort\b|\(format\)|json, csv|\bhtml\b|\bclosing\b|\bjwt\b|\bcredential\b|\burl\b|verifiableCredential|EnvelopedVerifiableCredential/g;

  it("every key renders in kk and ru with its values, no placeholder unfilled and no English word", async () => {
    const { fillDetail } = await import("../src/domain/errors.js");
    const { kk } = await import("../src/http/i18n/kk.js");
    const { ru } = await import("../src/http/i18n/ru.js");
    const { en } = await import("../src/http/i18n/en.js");
    const modules = [
      (await import("../src/domain/accreditation.js")).ACCREDITATION_DETAIL_TEMPLATES,
      (await import("../src/domain/programme-content.js")).PROGRAMME_CONTENT_DETAIL_TEMPLATES,
      (await import("../src/domain/announcement.js")).ANNOUNCEMENT_DETAIL_TEMPLATES,
      (await import("../src/standards/details.js")).STANDARDS_DETAIL_TEMPLATES,
      (await import("../src/wallet/details.js")).WALLET_DETAIL_TEMPLATES,
      (await import("../src/compliance/surveys.js")).SURVEY_DETAIL_TEMPLATES,
      (await import("../src/compliance/reminders.js")).REMINDER_DETAIL_TEMPLATES,
      (await import("../src/advocates/details.js")).ADVOCATE_DETAIL_TEMPLATES,
      (await import("../src/registry/keyring.js")).KEYRING_DETAIL_TEMPLATES,
    ];
    const keys = [...modules.flatMap((m) => Object.keys(m)), ...WEB_KEYS];
    let rendered = 0;
    for (const key of keys) {
      const english = (en.problemDetails as Record<string, string>)[key]!;
      expect(english, key).toBeTruthy();
      const slots = [...english.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      const partSlot = slots.find((s) => s in PARTS);
      const choices: (Record<string, string> | undefined)[] = partSlot ? PARTS[partSlot]!.map((p) => ({ [partSlot]: p })) : [undefined];
      for (const parts of choices) {
        for (const [lang, catalogue] of [["kk", kk], ["ru", ru]] as const) {
          const text = fillDetail(catalogue.problemDetails as Record<string, string>, key, VALUES, parts);
          rendered++;
          expect(text, `${key} ${lang}`).not.toBe(fillDetail(en.problemDetails as Record<string, string>, key, VALUES, parts));
          let rest = text;
          for (const v of Object.values(VALUES)) rest = rest.split(String(v)).join(" ");
          expect(rest, `${key} ${lang}: ${text}`).not.toMatch(/\{\w+\}/);
          const latin = rest.replace(TERMS, " ").match(/[A-Za-z]{2,}/g);
          expect(latin, `${key} ${lang}: ${text}`).toBeNull();
          expect(text).toMatch(/[\u0400-\u04FF]/);
        }
      }
    }
    expect(rendered).toBeGreaterThan(200);
  });

  it("the rules' refusals carry their keys: the accreditation, content and calendar rules read in kk and ru", async () => {
    const { detailText } = await import("../src/http/i18n.js");
    const { assertAccreditationDecision, assertWithdrawalAllowed } = await import("../src/domain/accreditation.js");
    const { assertNotStarted, parseCalendarFilter } = await import("../src/domain/announcement.js");
    const refusal = (run: () => unknown) => {
      try {
        run();
      } catch (e) {
        return e as import("../src/domain/errors.js").SenimError;
      }
      throw new Error("no refusal");
    };
    const withdrawal = refusal(() => assertWithdrawalAllowed({ withdrawal: null, violationCount: 1 }, "repeated-violations"));
    expect(withdrawal.key).toBe("accreditation-withdrawal-needs-violations");
    expect(withdrawal.message).toMatch(/^9\.2: withdrawal for repeated violations needs at least \d+ recorded violations; 1 recorded\.$/);
    expect(detailText(withdrawal, "ru")).toMatch(/^9\.2: для отзыва аккредитации за неоднократные нарушения требуется не менее \d+ зарегистрированных нарушений; зарегистрировано 1\.$/);
    const centre = refusal(() => assertAccreditationDecision({ barId: RBA_ID, partyKind: "centre", criteria: [], validFrom: "2026-01-01", validUntil: null }));
    expect(centre.message).toBe("4.1(4): the RBA's presidium accredits organisations and trainers; a centre is accredited by a territorial bar (3.1(5)).");
    expect(detailText(centre, "kk")).toBe("4.1(4): РҚА төралқасы ұйымдар мен оқытушыларды аккредиттейді; орталықты аумақтық алқа аккредиттейді (3.1(5)).");
    const started = refusal(() => assertNotStarted({ startsAt: "2026-01-15T04:00:00Z" }, "2026-02-01T00:00:00Z", "withdraw"));
    expect(started.message).toBe("7.3: an event is withdrawn in the calendar before it starts; this one started at 2026-01-15T04:00:00Z.");
    expect(detailText(started, "ru")).toBe("7.3: мероприятие снимается в календаре только до его начала; это мероприятие началось 2026-01-15T04:00:00Z.");
    const filter = refusal(() => parseCalendarFilter((name) => (name === "from" ? "soon" : undefined)));
    expect(filter.key).toBe("calendar-filter-problems");
    expect(detailText(filter, "kk")).toBe("Күнтізбе сүзгісіндегі қателер саны: 1.");
  });

  it("over HTTP: an unknown bar in the calendar's filter and a NUL in the URL are refused in Russian, English when none is asked", async () => {
    const unknown = (headers: Record<string, string>) => s.call("GET", "/api/events/announced?bar=nowhere", { headers });
    const russian = await unknown({ "accept-language": "ru" });
    expect(russian.status).toBe(404);
    expect(russian.body.detail).toBe('Коллегии "nowhere" нет.');
    expect((await unknown({})).body.detail).toBe('No bar "nowhere".');
    const nul = await s.call("GET", "/api/events/announced?city=a%00b", { headers: { "accept-language": "kk" } });
    expect(nul.status).toBe(400);
    expect(nul.body.detail).toBe("Сұраудың мекенжайында NUL таңбасы (%00) бар, ол жолда да, сұрау параметрлерінде де болмауы тиіс.");
  });
});

describe("bookkeeping, submissions, closing a year, attestations, the registry, the stores, delivery, CSV files and the web layer: kk and ru", () => {
  /** The keys of the web layer's own refusals added with these (`detailError` in src/http/routes, src/http/*.ts). */
  const WEB_KEYS = [
    "logos-unavailable", "programme-content-unavailable", "console-sessions-unconfigured", "audit-log-unavailable", "audit-checkpoint-none",
    "metrics-token-required", "certificate-summary-unreadable",
  ];
  // Values as the code gives them (ids and licences JSON-quoted, bars' ids, dates, principals): the reader's data.
  const VALUES: Record<string, string | number> = {
    id: '"k7Qm2"', count: 2, licence: '"123456"', bar: "almaty-city", max: 2000, bytes: 10485761, why: "(…)", hours: 8.5,
    by: "bar-admin:almaty-city (registry office)", at: "2026-03-01T09:00:00Z", year: 2026, today: "2027-01-20",
  };
  /** Placeholders that are texts of their own, by key: every choice of the texts that may fill them. */
  const PARTS: Record<string, Record<string, string>[]> = {
    "submission-already-decided": [
      { status: "submission-status-accepted" },
      { status: "submission-status-rejected", by: "submission-decided-by-someone", at: "submission-decided-earlier" },
    ],
    "closing-member-not-short": [{ status: "closing-status-met" }, { status: "closing-status-exempt" }, { status: "closing-status-no-policy" }],
    "submission-credential-not-vc": [{}, { why: "credential-not-vc-json" }, { why: "credential-not-vc-jwt" }],
  };
  // Field, parameter, format and protocol names stay as the API spells them.
  const TERMS =
    /foundationsMinimumMinutes|\bnull\b|closedOn|decidedOn|creditedHours|identifier\.validUntil|validFrom|identifier\.publicKeyMultibase|Ed25519|Multikey|z6Mk|barId|partyId|did:key|\bAPI\b|\bPDF\b|\bJPEG\b|\bPNG\b|UTF-8|\.jwt|\.json|\bJSON\b|\bSenim\b|YYYY-MM-DD|\bNUL\b|U\+0000|METRICS_TOKEN|Authorization: Bearer <token>|vc\+jwt|\bVC\b/g;

  it("every key renders in kk and ru with its values and parts, no placeholder unfilled and no English word", async () => {
    const { fillDetail } = await import("../src/domain/errors.js");
    const { kk } = await import("../src/http/i18n/kk.js");
    const { ru } = await import("../src/http/i18n/ru.js");
    const { en } = await import("../src/http/i18n/en.js");
    const details = await import("../src/compliance/details.js");
    const modules = [
      details.COMPLIANCE_DETAIL_TEMPLATES, details.SUBMISSION_DETAIL_TEMPLATES, details.CLOSING_DETAIL_TEMPLATES, details.ATTESTATION_DETAIL_TEMPLATES,
      (await import("../src/registry/details.js")).REGISTRY_DETAIL_TEMPLATES,
      (await import("../src/domain/store-details.js")).STORAGE_DETAIL_TEMPLATES,
      (await import("../src/delivery/details.js")).DELIVERY_DETAIL_TEMPLATES,
      (await import("../src/lib/csv.js")).CSV_DETAIL_TEMPLATES,
    ];
    const keys = [...modules.flatMap((m) => Object.keys(m)), ...WEB_KEYS];
    expect(keys.length).toBeGreaterThan(80);
    let rendered = 0;
    for (const key of keys) {
      const english = (en.problemDetails as Record<string, string>)[key]!;
      expect(english, key).toBeTruthy();
      for (const parts of PARTS[key] ?? [undefined]) {
        for (const [lang, catalogue] of [["kk", kk], ["ru", ru]] as const) {
          const text = fillDetail(catalogue.problemDetails as Record<string, string>, key, VALUES, parts);
          rendered++;
          expect(text, `${key} ${lang}`).not.toBe(fillDetail(en.problemDetails as Record<string, string>, key, VALUES, parts));
          // Longest first (a principal's value names its bar's id), after the API's names (Ed25519 holds digits).
          let rest = text.replace(TERMS, " ");
          for (const v of Object.values(VALUES).map(String).sort((a, b) => b.length - a.length)) rest = rest.split(v).join(" ");
          expect(rest, `${key} ${lang}: ${text}`).not.toMatch(/\{\w+\}/);
          const latin = rest.match(/[A-Za-z]{2,}/g);
          expect(latin, `${key} ${lang}: ${text}`).toBeNull();
          expect(text).toMatch(/[\u0400-\u04FF]/);
        }
      }
    }
    expect(rendered).toBeGreaterThan(170);
  });

  it("over HTTP: a submission's review and a year's closing are refused in Russian and Kazakh, English when none is asked", async () => {
    const bar = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "registry office" } })).body.token;
    expect((await s.call("POST", "/api/bars/almaty-city/members", { token: bar, body: { licence: "100000", fullName: "Адвокат 100000", admissionDate: "2015-03-01" } })).status).toBe(201);
    const form = new FormData();
    for (const [k, v] of Object.entries({ organiser: "Шетелдік заң академиясы", topic: "Медиация", programme: "civil", form: "seminar", completedOn: "2026-04-10", academicHours: "8.5" })) form.set(k, v);
    form.set("attachment", new Blob([new TextEncoder().encode("%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n")], { type: "application/pdf" }), "scan.pdf");
    const submitted = await s.app.request("https://senim.test/api/bars/almaty-city/members/100000/submissions", { method: "POST", headers: { authorization: `Bearer ${bar}` }, body: form });
    expect(submitted.status).toBe(201);
    const path = `/api/bars/almaty-city/submissions/${((await submitted.json()) as { id: string }).id}`;

    const tooMany = (lang?: string) => s.call("POST", `${path}/accept`, { token: bar, body: { creditedHours: 9 }, headers: lang ? { "accept-language": lang } : {} });
    const ru = await tooMany("ru");
    expect(ru.status).toBe(422);
    expect(ru.body.detail).toBe("Коллегия может засчитать не более заявленных 8.5 академических часов.");
    expect((await tooMany()).body.detail).toBe("The bar may credit at most the 8.5 academic hours claimed.");

    expect((await s.call("POST", `${path}/accept`, { token: bar, body: { creditedHours: 8 } })).status).toBe(200);
    const again = await s.call("POST", `${path}/reject`, { token: bar, body: { reason: "Тақырып бағдарламаға сәйкес емес" }, headers: { "accept-language": "ru" } });
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/^Эта заявка уже принята \(кем: .+; когда: \d{4}-\d\d-\d\dT[\d:.]+Z\); решения окончательны\.$/);
    expect(englishSentences(again.body.detail)).toEqual([]);

    // 12.2: the year 2026 has not ended on the test clock's 1 June 2026.
    const close = (lang?: string) => s.call("POST", "/api/bars/almaty-city/years/2026/close", { token: bar, body: { closedOn: "2027-01-10" }, headers: lang ? { "accept-language": lang } : {} });
    const early = await close("ru");
    expect(early.status).toBe(422);
    expect(early.body.detail).toBe("2026 год в Казахстане ещё не закончился: год закрывается только после 31 декабря (12.2).");
    expect((await close("kk")).body.detail).toBe("2026 жыл Қазақстанда әлі аяқталған жоқ: жыл тек 31 желтоқсаннан кейін жабылады (12.2).");
    expect((await close()).body.detail).toBe("2026 has not ended in Kazakhstan: a year is closed only after 31 December (12.2).");
  });
});

describe("a field's problem (src/domain/field-problems.ts) in the reader's language, the field named in it", () => {
  it("no field problem in src/ is written as a bare English message without a code", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(join(dir, d.name)) : /\.tsx?$/.test(d.name) ? [join(dir, d.name)] : []));
    // What cannot take a code here, and why.
    const allowed: Record<string, string> = {
      // A zod refine of the certificate's schema: only the verifier's English check detail quotes it (the check itself
      // is translated by its code, malformed-certificate); it never becomes a field problem of a request.
      "src/credentials/schema.ts": "10.6: academicHours must equal",
    };
    const bare: string[] = [];
    for (const file of files("src").filter((f) => !f.includes("/i18n/"))) {
      readFileSync(file, "utf8").split("\n").forEach((line, i) => {
        if (!/\bmessage: ["`]/.test(line) || /\bcode: /.test(line)) return;
        if (allowed[file] !== undefined && line.includes(allowed[file]!)) return;
        bare.push(`${file}:${i + 1}: ${line.trim().slice(0, 140)}`);
      });
    }
    expect(bare).toEqual([]);
  });

  it("over HTTP in Russian: a submission completed in the future, a suspension with a date that is not one", async () => {
    const bar = (await s.call("POST", "/api/api-keys", { token: s.adminToken, body: { role: "bar-admin", barId: "almaty-city", label: "clerk" } })).body.token;
    expect((await s.call("POST", "/api/bars/almaty-city/members", { token: bar, body: { licence: "100000", fullName: "Ерлан Жұмабаев", admissionDate: "2020-05-04" } })).status).toBe(201);
    const ru = { "accept-language": "ru" };

    const form = new FormData();
    const tomorrow = toInstant(s.clock.ms + 86_400_000).slice(0, 10);
    for (const [k, v] of Object.entries({ organiser: "Шетелдік заң академиясы", topic: "Медиация", programme: "civil", form: "seminar", completedOn: tomorrow, academicHours: "8.5" })) form.set(k, v);
    form.set("attachment", new Blob([new TextEncoder().encode("%PDF-1.7\n%%EOF\n")], { type: "application/pdf" }), "a.pdf");
    const submitted = await s.app.request("https://senim.test/api/bars/almaty-city/members/100000/submissions", { method: "POST", headers: { authorization: `Bearer ${bar}`, ...ru }, body: form });
    expect(submitted.status).toBe(400);
    const submission = await submitted.json();
    expect(submission.errors).toEqual([{ path: "completedOn", code: "date-in-future", message: "дата ещё не наступила" }]);
    expect(submission.detail).not.toMatch(/[A-Za-z]{3,} [A-Za-z]{3,}/);

    const suspension = await s.call("POST", "/api/bars/almaty-city/members/100000/suspensions", { token: bar, body: { from: "2026-02-30" }, headers: ru });
    expect(suspension.status).toBe(400);
    expect(suspension.body.errors).toEqual([{ path: "from", code: "date-format-invalid", message: "должна быть дата в формате YYYY-MM-DD" }]);
    const english = await s.call("POST", "/api/bars/almaty-city/members/100000/suspensions", { token: bar, body: { from: "2026-02-01", until: "2026-01-01" } });
    expect(english.body.errors).toEqual([{ path: "until", code: "until-before-from", message: "before from" }]);

    // The bar's console, in Russian: the problem beside its field, under the field's Russian name; no English.
    const b = browser();
    await b.signIn(bar);
    const refused = await b.post("/console/members/100000/suspensions?lang=ru", { from: "2026-02-30", until: "", reason: "" });
    expect(refused.status).toBe(400);
    const label = /<label>([^<]*)<input[^>]*name="from"[^>]*\/?>\s*<span class="field-problem"[^>]*data-problem-field="from"[^>]*>([\s\S]*?)<\/span><\/label>/.exec(refused.text);
    expect(label?.[1]).toBe("С даты");
    expect(label?.[2]).toContain("должна быть дата в формате YYYY-MM-DD");
    expect(refused.text).not.toContain("must be a date");
    expect(englishSentences(refused.text)).toEqual([]);
  });
});
