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
